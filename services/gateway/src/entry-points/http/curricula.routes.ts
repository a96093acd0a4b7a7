import { Router } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface CurriculaRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

/**
 * Curricula (учебный план, R2.3): REST in front of schedule. One per class, set as a whole with
 * its version (0 for a class that has none yet) and read at the class's address; the school and
 * year are body fields because schedule checks the class against them (the gateway calls one
 * service and does not look the class up in roster). A school's year lists them.
 */
export function curriculaRouter({ schedule, signer }: CurriculaRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.put('/api/v1/classes/:classId/curriculum', validateRequest('setCurriculum'), async (req, res) => {
    const { curriculum } = await schedule.SetCurriculum(
      messageShape({ ...req.body, classId: String(req.params.classId) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(curriculum));
  });

  router.get('/api/v1/classes/:classId/curriculum', validateRequest('getCurriculum'), async (req, res) => {
    const { curriculum } = await schedule.GetCurriculum(
      { class_id: String(req.params.classId) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(curriculum));
  });

  router.get('/api/v1/schools/:schoolId/curricula', validateRequest('listCurricula'), async (req, res) => {
    const { curricula } = await schedule.ListCurricula(
      { school_id: String(req.params.schoolId), academic_year_id: String(req.query.academicYearId) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(curricula) });
  });

  return router;
}
