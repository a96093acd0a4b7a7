import { Router } from 'express';
import type { ActorSignerPort, RosterPort } from '../../domain/ports';
import {
  changeClassRequest,
  schoolClassDto,
  type ChangeClassDto,
  type OpenClassDto,
} from '../../school-class.mapper';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface ClassesRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

/** Classes of an academic year: REST in front of roster. */
export function classesRouter({ roster, signer }: ClassesRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.post('/api/v1/academic-years/:id/classes', validateRequest('openClass'), async (req, res) => {
    const body = req.body as OpenClassDto;
    const { school_class } = await roster.openClass(
      {
        academic_year_id: String(req.params.id),
        grade: body.grade,
        letter: body.letter,
        capacity: body.capacity ?? 0,
      },
      await commandOptions(req, res, signer),
    );
    const created = schoolClassDto(school_class);
    res
      .status(201)
      .location(`/api/v1/classes/${encodeURIComponent(created.id)}`)
      .json(created);
  });

  router.get('/api/v1/academic-years/:id/classes', validateRequest('listClasses'), async (req, res) => {
    const { school_classes } = await roster.listClasses(
      { academic_year_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: school_classes.map(schoolClassDto) });
  });

  router.get('/api/v1/classes/:id', validateRequest('getClass'), async (req, res) => {
    const { school_class } = await roster.getClass(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(schoolClassDto(school_class));
  });

  router.patch('/api/v1/classes/:id', validateRequest('changeClass'), async (req, res) => {
    const { school_class } = await roster.changeClass(
      changeClassRequest(String(req.params.id), req.body as ChangeClassDto),
      await commandOptions(req, res, signer),
    );
    res.json(schoolClassDto(school_class));
  });

  return router;
}
