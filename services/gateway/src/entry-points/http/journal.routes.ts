import { Router } from 'express';
import { restShape } from '../../wire-case';
import type { GradebookRoutesDeps } from './grading-policy.routes';
import { validateRequest } from './request.middleware';
import { courseOf } from './thematic-plans.routes';
import { upstreamOptions } from './upstream';

/**
 * The journal's reads (R5.1, R5.8, R8.1): REST in front of gradebook. A course's page for a period
 * (every cell in one answer), a student's marks across subjects, a teacher's day with what is still
 * missing, and the school's journal-keeping data per teacher, course and week.
 */
export function journalRouter({ gradebook, signer }: GradebookRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get(
    '/api/v1/classes/:classId/subjects/:subjectId/journal',
    validateRequest('getJournalPage'),
    async (req, res) => {
      const answer = await gradebook.GetJournalPage(
        { course: courseOf(req), period: Number(req.query.period) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(answer));
    },
  );

  router.get(
    '/api/v1/classes/:classId/students/:studentId/marks',
    validateRequest('getStudentMarks'),
    async (req, res) => {
      const answer = await gradebook.GetStudentMarks(
        {
          class_id: String(req.params.classId),
          student_id: String(req.params.studentId),
          period: Number(req.query.period),
        },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(answer));
    },
  );

  // Without `date`: today in the school's time zone (gradebook knows the zone, the gateway does not).
  router.get('/api/v1/teachers/:teacherId/day', validateRequest('getTeacherDay'), async (req, res) => {
    const date = req.query.date;
    const answer = await gradebook.GetTeacherDay(
      { teacher_id: String(req.params.teacherId), date: date === undefined ? '' : String(date) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(answer));
  });

  router.get(
    '/api/v1/schools/:schoolId/journal-keeping',
    validateRequest('getJournalKeeping'),
    async (req, res) => {
      const query = req.query as { from: string; to: string; teacherId?: string; classId?: string };
      const { rows } = await gradebook.GetJournalKeeping(
        {
          school_id: String(req.params.schoolId),
          from: query.from,
          to: query.to,
          teacher_id: query.teacherId ?? '',
          class_id: query.classId ?? '',
        },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(rows) });
    },
  );

  return router;
}
