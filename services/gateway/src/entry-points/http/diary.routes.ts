import { Router, type Request } from 'express';
import type { RebuildStatus__Output } from '@edu/proto/dist/generated/edu/diary/v1/RebuildStatus';
import type { ActorSignerPort, DiaryPort } from '../../domain/ports';
import { restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface DiaryRoutesDeps {
  diary: DiaryPort;
  signer: ActorSignerPort;
}

const studentOf = (req: Request) => String(req.params.studentId);

/** `?period=` as the diary takes it: 0 (the current period) when not given. */
const periodOf = (req: Request) => (req.query.period === undefined ? 0 : Number(req.query.period));

/** `?date=` as the diary takes it: "" (the current week in the school's time zone) when not given. */
const dateOf = (req: Request) => (req.query.date === undefined ? '' : String(req.query.date));

// The diary names its file; the header takes only a plain ASCII name (no quotes, no line breaks),
// so anything else falls back to one built from the week asked for.
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.pdf$/;

function fileNameOf(fileName: string, date: string): string {
  if (SAFE_FILE_NAME.test(fileName)) return fileName;
  return date === '' ? 'dnevnik.pdf' : `dnevnik-${date}.pdf`;
}

/** The rebuild's progress in REST form: its counters (int64, text in gRPC) as numbers. */
function rebuildShape(status: RebuildStatus__Output) {
  return restShape({
    ...status,
    events_applied: Number(status.events_applied),
    lag: Number(status.lag),
  });
}

/**
 * The diary (R6.1–R6.6): REST in front of the diary service, what guardians and students read. A
 * student's week (also as a printable PDF), marks in a subject, the forecast and summary of a
 * period, the home page of the caller's children; a school's diary settings; the read model's
 * rebuild. Who may read whose diary is the diary's decision: the gateway only checks the request.
 */
export function diaryRouter({ diary, signer }: DiaryRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get('/api/v1/diary/students/:studentId/week', validateRequest('getDiaryWeek'), async (req, res) => {
    const week = await diary.GetWeek(
      { student_id: studentOf(req), date: dateOf(req) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(week));
  });

  router.get(
    '/api/v1/diary/students/:studentId/week.pdf',
    validateRequest('getDiaryWeekExtract'),
    async (req, res) => {
      const document = await diary.GetWeekExtract(
        { student_id: studentOf(req), date: dateOf(req) },
        await upstreamOptions(res, signer),
      );
      // The name is plain ASCII by now, so it is quoted as is (express would leave it unquoted).
      res
        .type('application/pdf')
        .set('Content-Disposition', `attachment; filename="${fileNameOf(document.file_name, dateOf(req))}"`)
        .send(Buffer.from(document.content));
    },
  );

  router.get(
    '/api/v1/diary/students/:studentId/subjects/:subjectId',
    validateRequest('getDiarySubject'),
    async (req, res) => {
      const view = await diary.GetSubject(
        { student_id: studentOf(req), subject_id: String(req.params.subjectId), period: periodOf(req) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(view));
    },
  );

  router.get(
    '/api/v1/diary/students/:studentId/forecast',
    validateRequest('getDiaryForecast'),
    async (req, res) => {
      const view = await diary.GetForecast(
        { student_id: studentOf(req), period: periodOf(req) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(view));
    },
  );

  router.get(
    '/api/v1/diary/students/:studentId/summary',
    validateRequest('getDiarySummary'),
    async (req, res) => {
      const summary = await diary.GetSummary(
        { student_id: studentOf(req), period: periodOf(req) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(summary));
    },
  );

  router.get('/api/v1/diary/home', validateRequest('getDiaryHome'), async (_req, res) => {
    const home = await diary.GetHome({}, await upstreamOptions(res, signer));
    res.json(restShape(home));
  });

  router.get(
    '/api/v1/diary/schools/:schoolId/settings',
    validateRequest('getDiarySettings'),
    async (req, res) => {
      const settings = await diary.GetSettings(
        { school_id: String(req.params.schoolId) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(settings));
    },
  );

  router.put(
    '/api/v1/diary/schools/:schoolId/settings',
    validateRequest('setDiarySettings'),
    async (req, res) => {
      const body = req.body as { showCorrectionReasons: boolean };
      const settings = await diary.SetSettings(
        { school_id: String(req.params.schoolId), show_correction_reasons: body.showCorrectionReasons },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(settings));
    },
  );

  // Starting a rebuild returns at once: 202 with the status to follow it by.
  router.post('/api/v1/diary/rebuild', validateRequest('rebuildDiary'), async (req, res) => {
    const status = await diary.RebuildReadModel({}, await commandOptions(req, res, signer));
    res.status(202).json(rebuildShape(status));
  });

  router.get('/api/v1/diary/rebuild', validateRequest('getDiaryRebuildStatus'), async (_req, res) => {
    const status = await diary.GetRebuildStatus({}, await upstreamOptions(res, signer));
    res.json(rebuildShape(status));
  });

  return router;
}
