import { Router } from 'express';
import { restShape } from '../../wire-case';
import type { GradebookRoutesDeps } from './grading-policy.routes';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

interface SetPeriodMarkBody {
  studentId: string;
  subgroupId?: string;
  kind: string;
  period?: number;
  value: string;
  expectedVersion: number;
  reason?: string;
  orderRef?: string;
}

/** An optional query parameter as gradebook's "all" ("" or 0) when absent. */
const textOrAll = (value: unknown) => (value === undefined ? '' : String(value));
const numberOrAll = (value: unknown) => (value === undefined ? 0 : Number(value));

/**
 * Period, year, exam and final marks (R5.5) and the students lacking marks to be attested (R5.6):
 * REST in front of gradebook. A mark is set (or corrected, with the version read and a reason)
 * under its class and subject, the student and kind in the body; the class's marks are listed
 * with optional filters.
 */
export function periodMarksRouter({ gradebook, signer }: GradebookRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.put(
    '/api/v1/classes/:classId/subjects/:subjectId/period-marks',
    validateRequest('setPeriodMark'),
    async (req, res) => {
      const body = req.body as SetPeriodMarkBody;
      const { period_mark } = await gradebook.SetPeriodMark(
        {
          student_id: body.studentId,
          course: {
            class_id: String(req.params.classId),
            subgroup_id: body.subgroupId ?? '',
            subject_id: String(req.params.subjectId),
          },
          kind: body.kind,
          period: body.period ?? 0,
          value: body.value,
          expected_version: String(body.expectedVersion),
          reason: body.reason ?? '',
          order_ref: body.orderRef ?? '',
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(period_mark));
    },
  );

  router.get(
    '/api/v1/classes/:classId/period-marks',
    validateRequest('listPeriodMarks'),
    async (req, res) => {
      const { period_marks } = await gradebook.ListPeriodMarks(
        {
          class_id: String(req.params.classId),
          subject_id: textOrAll(req.query.subjectId),
          kind: textOrAll(req.query.kind),
          period: numberOrAll(req.query.period),
        },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(period_marks) });
    },
  );

  router.get(
    '/api/v1/classes/:classId/subjects/:subjectId/lacking-marks',
    validateRequest('listLackingMarks'),
    async (req, res) => {
      const answer = await gradebook.ListLackingMarks(
        {
          course: {
            class_id: String(req.params.classId),
            subgroup_id: textOrAll(req.query.subgroupId),
            subject_id: String(req.params.subjectId),
          },
          period: Number(req.query.period),
        },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(answer));
    },
  );

  return router;
}
