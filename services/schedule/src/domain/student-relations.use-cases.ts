import { invalid, notFound, type FieldError } from '@edu/kit';
import type { RequestContext, StudentRelationsReader } from './ports';
import { authorizeInSchool, canManageSchedule, hasRoleIn } from './schedule-policy';
import { classOfStudent, readsForChild } from './student-relations';
import { classTimetableId, timetablePublicationId, type ClassTimetable } from './timetable';
import {
  describeClassTimetable,
  type ClassTimetableView,
  type PublicationView,
  type TimetableDeps,
} from './timetable.use-cases';
import { teachesClass } from './teaching-assignment';

// What a student and a guardian read of schedule (R1.9): the student's own week. Decided with
// schedule's copy of student relations (enrolments, guardianships with consent).

export interface StudentTimetableDeps extends TimetableDeps {
  relations: StudentRelationsReader;
}

const studentNotFound = () => notFound('student.not_found', 'Обучающийся не найден');

/**
 * A student's week of a period (R4.1, R1.9): the class's whole-class lessons and only those of
 * the subgroups the student is a member of. Read by the student, a guardian while a consent is in
 * effect, the school's managers, the class teacher and the teachers of the class. Anyone else
 * without a role in the school gets `student.not_found`, with one PERMISSION_DENIED; logged.
 */
export async function getStudentTimetable(
  deps: StudentTimetableDeps,
  ctx: RequestContext,
  query: { studentId: string; academicYearId: string; period: number },
): Promise<{ classId: string; className: string; view: ClassTimetableView; publication: PublicationView }> {
  const errors: FieldError[] = [];
  if (!query.studentId) errors.push({ field: 'studentId', message: 'Укажите обучающегося' });
  if (!query.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (!Number.isInteger(query.period) || query.period < 1) {
    errors.push({ field: 'period', message: 'Укажите учебный период: номер от 1' });
  }
  if (errors.length > 0)
    throw invalid('timetable.filter_invalid', 'Отбор расписания указан с ошибками', errors);

  const enrolment = await deps.relations.enrolment(query.academicYearId, query.studentId);
  const classId = classOfStudent(enrolment);
  const schoolClass = classId ? await deps.roster.schoolClass(classId) : null;
  // No class in the year (never enrolled, withdrawn, graduated): nothing to read, nothing revealed.
  if (!enrolment || !schoolClass) throw studentNotFound();
  const schoolId = enrolment.schoolId;
  const personId = ctx.actor.personId ?? '';
  const self = !!personId && personId === query.studentId;
  const guardian =
    !!personId &&
    !self &&
    readsForChild(await deps.relations.guardianshipsOf(personId), personId, query.studentId);
  const staff =
    canManageSchedule(ctx.actor, schoolId) ||
    (hasRoleIn(ctx.actor, schoolId) &&
      !!personId &&
      (schoolClass.classTeacherId === personId ||
        teachesClass(personId, await deps.assignments.listByClass(schoolClass.id))));
  authorizeInSchool(
    deps,
    ctx,
    schoolId,
    self || guardian || staff,
    { action: 'timetable.read', object: `student:${query.studentId}` },
    studentNotFound,
  );

  const id = classTimetableId(schoolClass.id, query.period);
  const stored = await deps.timetables.get(id);
  const timetable: ClassTimetable = stored ?? {
    id,
    schoolId,
    academicYearId: schoolClass.academicYearId,
    period: query.period,
    classId: schoolClass.id,
    shift: 1,
    entries: [],
    version: 0,
    createdAt: deps.now().toISOString(),
    updatedAt: '',
    updatedBy: '',
  };
  const subgroupIds = [...new Set(timetable.entries.map((e) => e.subgroupId).filter(Boolean))];
  const mine = new Set(
    (await deps.roster.subgroups(subgroupIds))
      .filter((s) => s.memberIds.includes(query.studentId))
      .map((s) => s.id),
  );
  const own = {
    ...timetable,
    entries: timetable.entries.filter((e) => !e.subgroupId || mine.has(e.subgroupId)),
  };
  const publication = await deps.timetables.getPublication(
    timetablePublicationId(schoolId, schoolClass.academicYearId, query.period),
  );
  const published = publication?.classes.find((c) => c.classId === schoolClass.id)?.version ?? 0;
  return {
    classId: schoolClass.id,
    className: schoolClass.name,
    view: await describeClassTimetable(deps, own),
    publication: {
      publication,
      changedSince: !!publication && timetable.version > 0 && published !== timetable.version,
    },
  };
}
