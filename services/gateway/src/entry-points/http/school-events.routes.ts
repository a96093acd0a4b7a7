import { Router } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface SchoolEventsRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

interface SchoolEventsQuery {
  academicYearId: string;
  from?: string;
  to?: string;
  classId?: string;
  studentId?: string;
}

/**
 * The card of an event as schedule's message. REST has the card's fields at the top of the body,
 * next to the year (creation) or the version (a change); schedule wants them in `card`. Absent
 * optional fields are schedule's defaults: no description, place or times, the first day as the
 * last, everyone of the scope taking part.
 */
function cardOf(body: Record<string, unknown>) {
  const { academicYearId: _year, expectedVersion: _version, ...card } = body;
  return messageShape(card);
}

/**
 * The events calendar (R4.2, R4.4): school and class events, REST in front of schedule. They are
 * entered and listed under the school with the year (a body field, a required query parameter),
 * like teaching assignments; one event is read, changed as a whole (`PUT`, with its version),
 * cancelled and given its results by its id. Calendar warnings (late day transfers) are a read of
 * the school's year.
 */
export function schoolEventsRouter({ schedule, signer }: SchoolEventsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  // A late entry is accepted: the answer carries `lateNotice` and the warning `event.late_notice`.
  router.post(
    '/api/v1/schools/:schoolId/school-events',
    validateRequest('createSchoolEvent'),
    async (req, res) => {
      const body = req.body as Record<string, unknown>;
      const { event } = await schedule.CreateSchoolEvent(
        {
          school_id: String(req.params.schoolId),
          academic_year_id: String(body.academicYearId),
          card: cardOf(body),
        },
        await commandOptions(req, res, signer),
      );
      const created = restShape<{ id: string }>(event);
      res
        .status(201)
        .location(`/api/v1/school-events/${encodeURIComponent(created.id)}`)
        .json(created);
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/school-events',
    validateRequest('listSchoolEvents'),
    async (req, res) => {
      const query = req.query as unknown as SchoolEventsQuery;
      const { events } = await schedule.ListSchoolEvents(
        {
          school_id: String(req.params.schoolId),
          academic_year_id: query.academicYearId,
          from: query.from ?? '',
          to: query.to ?? '',
          class_id: query.classId ?? '',
          student_id: query.studentId ?? '',
        },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(events) });
    },
  );

  router.get('/api/v1/school-events/:id', validateRequest('getSchoolEvent'), async (req, res) => {
    const { event } = await schedule.GetSchoolEvent(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(event));
  });

  router.put('/api/v1/school-events/:id', validateRequest('changeSchoolEvent'), async (req, res) => {
    const body = req.body as Record<string, unknown> & { expectedVersion: number };
    const { event } = await schedule.ChangeSchoolEvent(
      { id: String(req.params.id), card: cardOf(body), expected_version: String(body.expectedVersion) },
      await commandOptions(req, res, signer),
    );
    res.json(restShape(event));
  });

  router.post('/api/v1/school-events/:id/cancel', validateRequest('cancelSchoolEvent'), async (req, res) => {
    const { event } = await schedule.CancelSchoolEvent(
      messageShape({ ...req.body, id: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(event));
  });

  // Replaces the results as a whole; absent parts are none.
  router.post(
    '/api/v1/school-events/:id/results',
    validateRequest('recordSchoolEventResults'),
    async (req, res) => {
      const { event } = await schedule.RecordSchoolEventResults(
        messageShape({ ...req.body, id: String(req.params.id) }),
        await commandOptions(req, res, signer),
      );
      res.json(restShape(event));
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/calendar-warnings',
    validateRequest('listCalendarWarnings'),
    async (req, res) => {
      const { warnings } = await schedule.ListCalendarWarnings(
        { school_id: String(req.params.schoolId), academic_year_id: String(req.query.academicYearId) },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(warnings) });
    },
  );

  return router;
}
