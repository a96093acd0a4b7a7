import { Router } from 'express';
import type { ActorSignerPort, RosterPort } from '../../domain/ports';
import {
  academicYearDto,
  changeCalendarRequest,
  openAcademicYearRequest,
  type AcademicYearPlanDto,
  type CalendarChangeDto,
} from '../../academic-year.mapper';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

// A rollover writes a whole school (every class and student): more time than a single change.
const ROLLOVER_DEADLINE_MS = 120_000;

export interface AcademicYearsRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

/** Academic years of a school (R2.2): REST in front of roster. */
export function academicYearsRouter({ roster, signer }: AcademicYearsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.post(
    '/api/v1/schools/:schoolId/academic-years',
    validateRequest('openAcademicYear'),
    async (req, res) => {
      const options = await commandOptions(req, res, signer);
      const { academic_year } = await roster.openAcademicYear(
        openAcademicYearRequest(String(req.params.schoolId), req.body as AcademicYearPlanDto),
        options,
      );
      const body = academicYearDto(academic_year);
      res
        .status(201)
        .location(`/api/v1/academic-years/${encodeURIComponent(body.id)}`)
        .json(body);
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/academic-years',
    validateRequest('listAcademicYears'),
    async (req, res) => {
      const { academic_years } = await roster.listAcademicYears(
        { school_id: String(req.params.schoolId) },
        await upstreamOptions(res, signer),
      );
      res.json({ items: academic_years.map(academicYearDto) });
    },
  );

  router.get('/api/v1/academic-years/:id', validateRequest('getAcademicYear'), async (req, res) => {
    const { academic_year } = await roster.getAcademicYear(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(academicYearDto(academic_year));
  });

  router.post(
    '/api/v1/academic-years/:id/calendar-changes',
    validateRequest('changeCalendar'),
    async (req, res) => {
      const options = await commandOptions(req, res, signer);
      const { academic_year } = await roster.changeCalendar(
        changeCalendarRequest(String(req.params.id), req.body as CalendarChangeDto),
        options,
      );
      res.json(academicYearDto(academic_year));
    },
  );

  router.post('/api/v1/academic-years/:id/close', validateRequest('closeAcademicYear'), async (req, res) => {
    const { academic_year } = await roster.yearEnd.CloseAcademicYear(
      messageShape({ ...req.body, academicYearId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(academicYearDto(academic_year));
  });

  router.post(
    '/api/v1/academic-years/:id/rollovers',
    validateRequest('rolloverAcademicYear'),
    async (req, res) => {
      const summary = await roster.yearEnd.RolloverAcademicYear(
        messageShape({ ...req.body, fromAcademicYearId: String(req.params.id) }),
        {
          ...(await commandOptions(req, res, signer)),
          deadline: new Date(Date.now() + ROLLOVER_DEADLINE_MS),
        },
      );
      const body = restShape<{ dryRun: boolean; toAcademicYearId: string }>(summary);
      if (body.dryRun) {
        res.json(body);
        return;
      }
      res
        .status(201)
        .location(`/api/v1/academic-years/${encodeURIComponent(body.toAcademicYearId)}`)
        .json(body);
    },
  );

  router.get('/api/v1/academic-years/:id/orders', validateRequest('listOrders'), async (req, res) => {
    const { orders } = await roster.registers.ListOrders(
      { academic_year_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(orders) });
  });

  router.get('/api/v1/academic-years/:id/counts', validateRequest('getSchoolCounts'), async (req, res) => {
    const counts = await roster.registers.GetSchoolCounts(
      { academic_year_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(counts));
  });

  return router;
}
