import { Router } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface TeachingAssignmentsRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

/**
 * Teaching assignments (нагрузка; R2.3, R1.3): REST in front of schedule. They are made and
 * listed under the school, because schedule checks each against the school it names; the year
 * is a field (a body field, a required query parameter). One assignment is read and ended by its
 * id; ending keeps it with its history.
 */
export function teachingAssignmentsRouter({ schedule, signer }: TeachingAssignmentsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.post(
    '/api/v1/schools/:schoolId/teaching-assignments',
    validateRequest('assignTeacher'),
    async (req, res) => {
      const { assignment } = await schedule.AssignTeacher(
        messageShape({ ...req.body, schoolId: String(req.params.schoolId) }),
        await commandOptions(req, res, signer),
      );
      const body = restShape<{ id: string }>(assignment);
      res
        .status(201)
        .location(`/api/v1/teaching-assignments/${encodeURIComponent(body.id)}`)
        .json(body);
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/teaching-assignments',
    validateRequest('listTeachingAssignments'),
    async (req, res) => {
      const query = req.query as {
        academicYearId: string;
        teacherId?: string;
        classId?: string;
        includeEnded?: string;
      };
      const { assignments } = await schedule.ListAssignments(
        {
          school_id: String(req.params.schoolId),
          academic_year_id: query.academicYearId,
          teacher_id: query.teacherId ?? '',
          class_id: query.classId ?? '',
          include_ended: query.includeEnded === 'true',
        },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(assignments) });
    },
  );

  router.get(
    '/api/v1/teaching-assignments/:id',
    validateRequest('getTeachingAssignment'),
    async (req, res) => {
      const { assignment } = await schedule.GetAssignment(
        { id: String(req.params.id) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(assignment));
    },
  );

  // Absent `endsOn` is schedule's "today in the school's time zone"; absent `reason` is none.
  router.post(
    '/api/v1/teaching-assignments/:id/end',
    validateRequest('endTeachingAssignment'),
    async (req, res) => {
      const { assignment } = await schedule.EndAssignment(
        messageShape({ ...req.body, id: String(req.params.id) }),
        await commandOptions(req, res, signer),
      );
      res.json(restShape(assignment));
    },
  );

  return router;
}
