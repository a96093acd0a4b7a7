import { Router } from 'express';
import type { SaveLessonRecordRequest } from '@edu/proto/dist/generated/edu/gradebook/v1/SaveLessonRecordRequest';
import { messageShape, restShape } from '../../wire-case';
import type { GradebookRoutesDeps } from './grading-policy.routes';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

interface HomeworkBody {
  text: string;
  dueDate?: string;
  attachments?: string[];
}

interface SaveLessonRecordBody {
  expectedVersion: number;
  topic?: { text: string; planItemId?: string };
  homework?: HomeworkBody;
  individualHomework?: (HomeworkBody & { studentId: string })[];
  marks?: { studentId: string; value: string; workType: string; comment?: string }[];
  attendance?: { studentId: string; kind: string; lateMinutes?: number }[];
}

const homeworkMessage = (h: HomeworkBody) => ({
  text: h.text,
  due_date: h.dueDate ?? '',
  attachments: h.attachments ?? [],
});

/**
 * A save as gradebook's request. Absent parts stay absent (gradebook leaves them as they are);
 * the whole-list parts travel wrapped in a message, so that an empty list ("everyone was present")
 * differs from no list at all.
 */
function saveRequest(lessonId: string, body: SaveLessonRecordBody): SaveLessonRecordRequest {
  return {
    lesson_id: lessonId,
    expected_version: String(body.expectedVersion),
    ...(body.topic && { topic: { text: body.topic.text, plan_item_id: body.topic.planItemId ?? '' } }),
    ...(body.homework && { homework: homeworkMessage(body.homework) }),
    ...(body.individualHomework && {
      individual_homework: {
        items: body.individualHomework.map((h) => ({ student_id: h.studentId, ...homeworkMessage(h) })),
      },
    }),
    marks: (body.marks ?? []).map((m) => ({
      student_id: m.studentId,
      value: m.value,
      work_type: m.workType,
      comment: m.comment ?? '',
    })),
    ...(body.attendance && {
      attendance: {
        items: body.attendance.map((a) => ({
          student_id: a.studentId,
          kind: a.kind,
          late_minutes: a.lateMinutes ?? 0,
        })),
      },
    }),
  };
}

/**
 * Lesson records of the journal (R5.1–R5.4): REST in front of gradebook. A lesson's record lives
 * at the lesson's address (schedule's id) and is saved at once — topic, homework, new marks,
 * attendance — with the version read; a mark is corrected or voided by an action with a reason
 * (`POST …/corrections`, `…/void`), like a lesson's changes; the reasons of a student's absences
 * over days are set under the class, by its class teacher.
 */
export function lessonRecordsRouter({ gradebook, signer }: GradebookRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get('/api/v1/lessons/:lessonId/record', validateRequest('getLessonRecord'), async (req, res) => {
    const answer = await gradebook.GetLessonRecord(
      { lesson_id: String(req.params.lessonId) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(answer));
  });

  router.put('/api/v1/lessons/:lessonId/record', validateRequest('saveLessonRecord'), async (req, res) => {
    const answer = await gradebook.SaveLessonRecord(
      saveRequest(String(req.params.lessonId), req.body as SaveLessonRecordBody),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(answer));
  });

  router.post(
    '/api/v1/lessons/:lessonId/marks/:markId/corrections',
    validateRequest('correctMark'),
    async (req, res) => {
      const answer = await gradebook.CorrectMark(
        messageShape({
          ...req.body,
          lessonId: String(req.params.lessonId),
          markId: String(req.params.markId),
        }),
        await commandOptions(req, res, signer),
      );
      res.json(restShape(answer));
    },
  );

  router.post(
    '/api/v1/lessons/:lessonId/marks/:markId/void',
    validateRequest('voidMark'),
    async (req, res) => {
      const answer = await gradebook.VoidMark(
        messageShape({
          ...req.body,
          lessonId: String(req.params.lessonId),
          markId: String(req.params.markId),
        }),
        await commandOptions(req, res, signer),
      );
      res.json(restShape(answer));
    },
  );

  router.post(
    '/api/v1/classes/:classId/students/:studentId/absence-reasons',
    validateRequest('setAbsenceReason'),
    async (req, res) => {
      const { records } = await gradebook.SetAbsenceReason(
        messageShape({
          ...req.body,
          classId: String(req.params.classId),
          studentId: String(req.params.studentId),
        }),
        await commandOptions(req, res, signer),
      );
      res.json({ items: restShape(records) });
    },
  );

  return router;
}
