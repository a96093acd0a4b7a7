import { Router } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface TimetableRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

interface TimetableEntryBody {
  weekday: number;
  lessonNumber: number;
  subgroupId?: string;
  subjectId: string;
  teacherId: string;
  room?: string;
  weekParity?: string;
}

interface ClassTimetableBody {
  schoolId: string;
  academicYearId: string;
  shift?: number;
  expectedVersion: number;
  entries: TimetableEntryBody[];
}

/**
 * The timetable (расписание уроков, R4.1): REST in front of schedule. A class's week of a study
 * period is set as a whole with its version and read at the class's address (the school and year
 * are body fields, as for the curriculum); the school's template of a period is read and
 * published under the school, with the year as a query parameter or body field; a teacher's week
 * is read under the school too. Absent optional fields are schedule's defaults: the whole class,
 * no room, every week, the first shift.
 */
export function timetableRouter({ schedule, signer }: TimetableRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.put(
    '/api/v1/classes/:classId/timetable/:period',
    validateRequest('setClassTimetable'),
    async (req, res) => {
      const body = req.body as ClassTimetableBody;
      const { timetable } = await schedule.SetTimetableEntries(
        {
          school_id: body.schoolId,
          academic_year_id: body.academicYearId,
          class_id: String(req.params.classId),
          period: Number(req.params.period),
          shift: body.shift ?? 0,
          expected_version: String(body.expectedVersion),
          entries: body.entries.map((e) => ({
            weekday: e.weekday,
            lesson_number: e.lessonNumber,
            subgroup_id: e.subgroupId ?? '',
            subject_id: e.subjectId,
            teacher_id: e.teacherId,
            room: e.room ?? '',
            week_parity: e.weekParity ?? '',
          })),
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(timetable));
    },
  );

  // The week with the last publication of the school's template of the period.
  router.get(
    '/api/v1/classes/:classId/timetable/:period',
    validateRequest('getClassTimetable'),
    async (req, res) => {
      const { timetable, publication } = await schedule.GetClassTimetable(
        { class_id: String(req.params.classId), period: Number(req.params.period) },
        await upstreamOptions(res, signer),
      );
      res.json({ ...restShape(timetable), publication: restShape(publication) });
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/timetable/:period',
    validateRequest('listTimetable'),
    async (req, res) => {
      const { classes, publication } = await schedule.ListTimetable(
        {
          school_id: String(req.params.schoolId),
          academic_year_id: String(req.query.academicYearId),
          period: Number(req.params.period),
        },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(classes), publication: restShape(publication) });
    },
  );

  router.post(
    '/api/v1/schools/:schoolId/timetable/:period/publish',
    validateRequest('publishTimetable'),
    async (req, res) => {
      const answer = await schedule.PublishTimetable(
        {
          school_id: String(req.params.schoolId),
          academic_year_id: String((req.body as { academicYearId: string }).academicYearId),
          period: Number(req.params.period),
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(answer));
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/teachers/:teacherId/timetable/:period',
    validateRequest('getTeacherTimetable'),
    async (req, res) => {
      const answer = await schedule.GetTeacherTimetable(
        {
          school_id: String(req.params.schoolId),
          academic_year_id: String(req.query.academicYearId),
          teacher_id: String(req.params.teacherId),
          period: Number(req.params.period),
        },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(answer));
    },
  );

  return router;
}
