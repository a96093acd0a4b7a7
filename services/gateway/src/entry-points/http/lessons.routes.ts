import { Router, type Request } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface LessonsRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

interface LessonsQuery {
  from: string;
  to: string;
  teacherId?: string;
  status?: string;
  needsDecision?: string;
}

/** The filter of a lessons list as schedule's request, for a class or a school (and a teacher). */
function lessonsFilter(req: Request, where: { classId?: string; schoolId?: string }) {
  const query = req.query as unknown as LessonsQuery;
  return {
    class_id: where.classId ?? '',
    school_id: where.schoolId ?? '',
    teacher_id: query.teacherId ?? '',
    from: query.from,
    to: query.to,
    status: query.status ?? '',
    needs_decision: query.needsDecision === 'true',
  };
}

/**
 * Dated lessons (уроки, R4.1, R4.3, R1.5, R2.3): REST in front of schedule. Lessons are listed
 * under their class, or under the school (a teacher's with `teacherId`, the whole school's
 * without); one lesson is read and changed by its id, each change an action with the version read
 * (`POST …/move`, `…/cancel`, `…/keep`, `…/substitute`, `…/revoke-substitute`, like a
 * guardianship's). A lesson beyond the timetable is added under its class; the school's daily list
 * of substitutions and a class's curriculum fulfilment are reads of their own.
 */
export function lessonsRouter({ schedule, signer }: LessonsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get('/api/v1/classes/:classId/lessons', validateRequest('listClassLessons'), async (req, res) => {
    const { lessons } = await schedule.ListLessons(
      lessonsFilter(req, { classId: String(req.params.classId) }),
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(lessons) });
  });

  // With `teacherId` the teacher's lessons in the school; without, the whole school's (managers).
  router.get('/api/v1/schools/:schoolId/lessons', validateRequest('listSchoolLessons'), async (req, res) => {
    const { lessons } = await schedule.ListLessons(
      lessonsFilter(req, { schoolId: String(req.params.schoolId) }),
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(lessons) });
  });

  router.get('/api/v1/lessons/:id', validateRequest('getLesson'), async (req, res) => {
    const { lesson } = await schedule.GetLesson(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(lesson));
  });

  // Absent `room` keeps the lesson's room.
  router.post('/api/v1/lessons/:id/move', validateRequest('moveLesson'), async (req, res) => {
    const { lesson } = await schedule.MoveLesson(
      messageShape({ ...req.body, lessonId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(lesson));
  });

  router.post('/api/v1/lessons/:id/cancel', validateRequest('cancelLesson'), async (req, res) => {
    const { lesson } = await schedule.CancelLesson(
      messageShape({ ...req.body, lessonId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(lesson));
  });

  router.post('/api/v1/lessons/:id/keep', validateRequest('keepLesson'), async (req, res) => {
    const { lesson } = await schedule.KeepLesson(
      messageShape({ ...req.body, lessonId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(lesson));
  });

  router.post(
    '/api/v1/classes/:classId/extra-lessons',
    validateRequest('addExtraLesson'),
    async (req, res) => {
      const { lesson } = await schedule.AddExtraLesson(
        messageShape({ ...req.body, classId: String(req.params.classId) }),
        await commandOptions(req, res, signer),
      );
      const body = restShape<{ id: string }>(lesson);
      res
        .status(201)
        .location(`/api/v1/lessons/${encodeURIComponent(body.id)}`)
        .json(body);
    },
  );

  router.post('/api/v1/lessons/:id/substitute', validateRequest('assignSubstitute'), async (req, res) => {
    const { lesson } = await schedule.AssignSubstitute(
      messageShape({ ...req.body, lessonId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(lesson));
  });

  router.post(
    '/api/v1/lessons/:id/revoke-substitute',
    validateRequest('revokeSubstitute'),
    async (req, res) => {
      const { lesson } = await schedule.RevokeSubstitute(
        messageShape({ ...req.body, lessonId: String(req.params.id) }),
        await commandOptions(req, res, signer),
      );
      res.json(restShape(lesson));
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/substitutions',
    validateRequest('listSubstitutions'),
    async (req, res) => {
      const query = req.query as { from: string; to: string };
      const { lessons } = await schedule.ListSubstitutions(
        { school_id: String(req.params.schoolId), from: query.from, to: query.to },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(lessons) });
    },
  );

  // Absent `period` is every study period of the class's grade.
  router.get(
    '/api/v1/classes/:classId/curriculum-fulfilment',
    validateRequest('getCurriculumFulfilment'),
    async (req, res) => {
      const period = req.query.period;
      const answer = await schedule.GetCurriculumFulfilment(
        { class_id: String(req.params.classId), period: period === undefined ? 0 : Number(period) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(answer));
    },
  );

  return router;
}
