import { Router } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { upstreamOptions } from './upstream';

export interface StudentTimetableRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

/**
 * A student's week of a study period (R4.4, R1.9): REST in front of schedule, at the student's
 * address like a class's week at the class's, with the year as a query parameter. Read by the
 * student, a guardian with a consent in effect and the class's staff; schedule decides who.
 */
export function studentTimetableRouter({ schedule, signer }: StudentTimetableRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get(
    '/api/v1/students/:studentId/timetable/:period',
    validateRequest('getStudentTimetable'),
    async (req, res) => {
      const answer = await schedule.GetStudentTimetable(
        {
          student_id: String(req.params.studentId),
          academic_year_id: String(req.query.academicYearId),
          period: Number(req.params.period),
        },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(answer));
    },
  );

  return router;
}
