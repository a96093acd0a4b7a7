import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@edu/events';
import { applyFact } from '../../src/domain/copies';
import type { NotificationIntent } from '../../src/domain/model';
import { intentsOf } from '../../src/domain/triggers';
import { factsOf } from '../../src/entry-points/kafka/source-events';
import { MemoryCopies } from './memory-copies';

// Hand-built source events for the unit tests: envelopes as the codec hands them over (proto field
// names, keepCase; int64 as strings), with explicit versions so that a test can repeat and reorder
// them, and a small school: 5А (Иван, Ольга), 5Б (Пётр); Анна is Иван's and Пётр's guardian with
// consent, Борис Иван's without, Вера Ольга's.

export const SCHOOL = 'school-1';
export const YEAR = 'year-1';
export const CLASS_A = 'class-5a';
export const CLASS_B = 'class-5b';
export const IVAN = 'st-ivan';
export const OLGA = 'st-olga';
export const PETR = 'st-petr';
export const ANNA = 'g-anna';
export const BORIS = 'g-boris';
export const VERA = 'g-vera';
export const TEACHER_A = 'teacher-a';
export const TEACHER_B = 'teacher-b';
export const DEPUTY = 'deputy-1';
export const MATH = 'subj-math';

/** 12:00 in Moscow on Tuesday 24.11.2026: today is 2026-11-24, tomorrow 2026-11-25. */
export const NOW = new Date('2026-11-24T09:00:00.000Z');
export const TODAY = '2026-11-24';
export const TOMORROW = '2026-11-25';

export function envelope(
  type: string,
  aggregateId: string,
  aggregateVersion: number,
  payload: unknown,
  occurredAt = '2026-11-24T08:00:00.000Z',
): EventEnvelope<unknown> {
  return {
    id: randomUUID(),
    type,
    schoolId: SCHOOL,
    aggregateId,
    aggregateVersion,
    occurredAt,
    actor: { accountId: '', personId: '' },
    traceId: '',
    payload,
  };
}

/** Applies the event's facts to the copies, then asks the triggers (as the consumer does). */
export async function handle(
  copies: MemoryCopies,
  event: EventEnvelope<unknown>,
  now = NOW,
): Promise<NotificationIntent[]> {
  const intents: NotificationIntent[] = [];
  for (const fact of factsOf(event)) {
    await applyFact(copies, fact);
    intents.push(...(await intentsOf(copies, fact, now)));
  }
  return intents;
}

export async function handleAll(copies: MemoryCopies, events: EventEnvelope<unknown>[]): Promise<void> {
  for (const event of events) await handle(copies, event);
}

// Roster

export function schoolEvent(
  version: number,
  name = 'Школа № 1',
  timeZone = 'Europe/Moscow',
): EventEnvelope<unknown> {
  const type = version === 1 ? 'edu.roster.school.created' : 'edu.roster.school.updated';
  return envelope(type, SCHOOL, version, {
    school: { school_id: SCHOOL, full_name: name, short_name: 'СШ № 1', time_zone: timeZone },
  });
}

export function classEvent(
  classId: string,
  version: number,
  name: string,
  classTeacherId: string,
  status = 'open',
): EventEnvelope<unknown> {
  const type = version === 1 ? 'edu.roster.class.opened' : 'edu.roster.class.teacher_assigned';
  return envelope(type, classId, version, {
    school_class: {
      class_id: classId,
      school_id: SCHOOL,
      academic_year_id: YEAR,
      grade: 5,
      letter: name.slice(-1),
      name,
      class_teacher_id: classTeacherId,
      status,
    },
  });
}

export function personEvent(id: string, kind: string, name: string, version = 1): EventEnvelope<unknown> {
  const type = version === 1 ? 'edu.roster.person.registered' : 'edu.roster.person.updated';
  return envelope(type, id, version, {
    person: { person_id: id, school_id: SCHOOL, kind, display_name: name, status: 'active' },
  });
}

export function movementEvent(
  action: 'enrolled' | 'transferred' | 'withdrawn' | 'promoted' | 'graduated',
  studentId: string,
  version: number,
  move: { from?: string; to?: string; on: string; yearId?: string },
): EventEnvelope<unknown> {
  const yearId = move.yearId ?? YEAR;
  const enrolmentId = `${yearId}:${studentId}`;
  return envelope(`edu.roster.student.${action}`, enrolmentId, version, {
    enrolment: {
      enrolment_id: enrolmentId,
      school_id: SCHOOL,
      academic_year_id: yearId,
      student_id: studentId,
      class_id: move.to ?? '',
      status: action === 'withdrawn' ? 'withdrawn' : action === 'graduated' ? 'graduated' : 'active',
    },
    movement: { from_class_id: move.from ?? '', to_class_id: move.to ?? '', effective_on: move.on },
  });
}

export function guardianEvent(
  linkId: string,
  guardianId: string,
  studentId: string,
  version: number,
  state: { status?: string; consent: boolean },
): EventEnvelope<unknown> {
  const type = !state.consent
    ? version === 1
      ? 'edu.roster.guardian.linked'
      : state.status === 'ended'
        ? 'edu.roster.guardian.unlinked'
        : 'edu.roster.consent.revoked'
    : 'edu.roster.consent.recorded';
  return envelope(type, linkId, version, {
    guardianship: {
      guardianship_id: linkId,
      school_id: SCHOOL,
      guardian_id: guardianId,
      student_id: studentId,
      kind: 'mother',
      status: state.status ?? 'active',
      consent_active: state.consent,
    },
  });
}

export function staffEvent(
  positionId: string,
  personId: string,
  kind: string,
  version: number,
  status = 'active',
): EventEnvelope<unknown> {
  const type =
    status === 'dismissed'
      ? 'edu.roster.staff.dismissed'
      : version === 1
        ? 'edu.roster.staff.hired'
        : 'edu.roster.staff.position_changed';
  return envelope(type, positionId, version, {
    position: { position_id: positionId, school_id: SCHOOL, person_id: personId, kind, title: kind, status },
    effective_on: '2026-09-01',
  });
}

export function subgroupEvent(
  subgroupId: string,
  classId: string,
  memberIds: string[],
  version: number,
): EventEnvelope<unknown> {
  return envelope(
    version === 1 ? 'edu.roster.subgroup.formed' : 'edu.roster.subgroup.members_changed',
    subgroupId,
    version,
    {
      subgroup: {
        subgroup_id: subgroupId,
        school_id: SCHOOL,
        academic_year_id: YEAR,
        class_id: classId,
        subject_key: 'english',
        name: 'Группа 1',
        member_ids: memberIds,
        status: 'open',
      },
    },
  );
}

// Schedule

export function subjectEvent(id: string, key: string, name: string): EventEnvelope<unknown> {
  return envelope('edu.schedule.subject.created', id, 1, {
    subject: { subject_id: id, school_id: '', key, name, short_name: name.slice(0, 5) },
  });
}

export function teachingEvent(
  assignmentId: string,
  classId: string,
  teacherId: string,
  version: number,
  status = 'active',
): EventEnvelope<unknown> {
  const type = status === 'active' ? 'edu.schedule.teaching.assigned' : 'edu.schedule.teaching.unassigned';
  return envelope(type, assignmentId, version, {
    assignment: {
      assignment_id: assignmentId,
      school_id: SCHOOL,
      academic_year_id: YEAR,
      teacher_id: teacherId,
      class_id: classId,
      subgroup_id: '',
      subject_id: 'subj-physics',
      subject_key: 'physics',
      subject_name: 'Физика',
      starts_on: '2026-09-01',
      ends_on: '2027-05-31',
      status,
    },
  });
}

export interface LessonOptions {
  lessonId?: string;
  classId?: string;
  subgroupId?: string;
  date: string;
  movedFromDate?: string;
  substituteTeacherId?: string;
  changed?: string[];
  version?: number;
}

export function lessonEvent(
  type: 'cancelled' | 'rescheduled' | 'substitution',
  o: LessonOptions,
): EventEnvelope<unknown> {
  const lessonId = o.lessonId ?? `lesson-${o.date}`;
  const lesson = {
    lesson_id: lessonId,
    school_id: SCHOOL,
    academic_year_id: YEAR,
    period: 2,
    class_id: o.classId ?? CLASS_A,
    class_name: '5А',
    subgroup_id: o.subgroupId ?? '',
    subject_id: MATH,
    subject_key: 'math',
    subject_name: 'Математика',
    teacher_id: TEACHER_A,
    date: o.date,
    lesson_number: 3,
    starts_at: '10:00',
    ends_at: '10:45',
    room: '214',
    status: type === 'cancelled' ? 'cancelled' : 'scheduled',
    cancellation_reason: type === 'cancelled' ? 'Болезнь учителя' : '',
    substitute_teacher_id: o.substituteTeacherId ?? '',
    moved_from_date: o.movedFromDate ?? '',
  };
  const eventType =
    type === 'cancelled'
      ? 'edu.schedule.lesson.cancelled'
      : type === 'rescheduled'
        ? 'edu.schedule.lesson.rescheduled'
        : 'edu.schedule.substitution.assigned';
  return envelope(eventType, lessonId, o.version ?? 2, { lesson, changed: o.changed ?? [] });
}

export function calendarEvent(
  action: 'scheduled' | 'changed' | 'cancelled',
  o: {
    eventId?: string;
    scope: string;
    classIds?: string[];
    participantIds?: string[];
    startsOn?: string;
    change?: string;
  },
): EventEnvelope<unknown> {
  const eventId = o.eventId ?? 'event-1';
  return envelope(`edu.schedule.event.${action}`, eventId, action === 'scheduled' ? 1 : 2, {
    event: {
      event_id: eventId,
      school_id: SCHOOL,
      academic_year_id: YEAR,
      kind: 'parent_meeting',
      kind_name: 'Родительское собрание',
      title: 'Итоги четверти',
      starts_on: o.startsOn ?? '2026-11-27',
      ends_on: o.startsOn ?? '2026-11-27',
      starts_at: '18:00',
      place: 'Актовый зал',
      scope: o.scope,
      class_ids: o.classIds ?? [],
      participant_ids: o.participantIds ?? [],
      status: action === 'cancelled' ? 'cancelled' : 'scheduled',
      cancel_reason: action === 'cancelled' ? 'Карантин' : '',
    },
    change: o.change ?? 'card',
  });
}

// Gradebook

export interface RecordOptions {
  lessonId?: string;
  classId?: string;
  subgroupId?: string;
  date?: string;
  version?: number;
  subjectId?: string;
  subjectKey?: string;
}

export function record(o: RecordOptions = {}): Record<string, unknown> {
  return {
    lesson_id: o.lessonId ?? 'lesson-rec-1',
    school_id: SCHOOL,
    academic_year_id: YEAR,
    class_id: o.classId ?? CLASS_A,
    subgroup_id: o.subgroupId ?? '',
    subject_id: o.subjectId ?? MATH,
    subject_key: o.subjectKey ?? 'math',
    period: 2,
    date: o.date ?? TODAY,
    lesson_number: 2,
    teacher_id: TEACHER_A,
    lesson_status: 'scheduled',
    version: String(o.version ?? 1),
  };
}

export function mark(
  studentId: string,
  value: string,
  markId = `mark-${studentId}-${value}`,
): Record<string, unknown> {
  return {
    mark_id: markId,
    student_id: studentId,
    value,
    work_type: 'test',
    work_type_name: 'Контрольная работа',
    weight: 2,
    status: 'active',
  };
}

export function marksPosted(marks: Record<string, unknown>[], o: RecordOptions = {}): EventEnvelope<unknown> {
  const r = record(o);
  return envelope('edu.gradebook.mark.posted', String(r.lesson_id), Number(r.version), {
    record: { ...r, marks },
    marks,
  });
}

export function markCorrected(
  studentId: string,
  from: string,
  to: string,
  o: RecordOptions = {},
): EventEnvelope<unknown> {
  const r = record(o);
  const m = { ...mark(studentId, to, 'mark-corrected'), corrected: true };
  return envelope('edu.gradebook.mark.corrected', String(r.lesson_id), Number(r.version), {
    record: { ...r, marks: [m] },
    mark: m,
    previous_value: from,
    reason: 'Ошибка ввода: перепутаны ученики',
  });
}

export function attendanceRecorded(
  changed: { studentId: string; kind: string; reason?: string }[],
  cleared: string[] = [],
  o: RecordOptions = {},
): EventEnvelope<unknown> {
  const r = record(o);
  const states = changed.map((a) => ({
    student_id: a.studentId,
    kind: a.kind,
    late_minutes: a.kind === 'late' ? 10 : 0,
    reason: a.reason ?? '',
  }));
  return envelope('edu.gradebook.attendance.recorded', String(r.lesson_id), Number(r.version), {
    record: { ...r, attendance: states, attendance_taken: true },
    changed: states,
    cleared_student_ids: cleared,
  });
}

export function absenceReasonSet(
  studentId: string,
  reason: string,
  o: RecordOptions = {},
): EventEnvelope<unknown> {
  const r = record(o);
  const attendance = { student_id: studentId, kind: 'absent', reason };
  return envelope('edu.gradebook.absence.reason_set', String(r.lesson_id), Number(r.version), {
    record: { ...r, attendance: [attendance], attendance_taken: true },
    attendance,
  });
}

export function homeworkAssigned(
  homework: { text: string; dueDate: string; studentId?: string }[],
  o: RecordOptions = {},
  type: 'assigned' | 'changed' = 'assigned',
): EventEnvelope<unknown> {
  const r = record(o);
  const states = homework.map((h) => ({ text: h.text, due_date: h.dueDate, student_id: h.studentId ?? '' }));
  return envelope(`edu.gradebook.homework.${type}`, String(r.lesson_id), Number(r.version), {
    record: {
      ...r,
      homework: states.find((h) => !h.student_id),
      individual_homework: states.filter((h) => h.student_id),
    },
    homework: states,
  });
}

export function periodMarkEvent(
  studentId: string,
  kind: string,
  value: string,
  version: number,
  previousValue = '',
): EventEnvelope<unknown> {
  const id = `${YEAR}:${studentId}:${MATH}:${kind}:${kind === 'period' ? 2 : 0}`;
  const type = previousValue ? 'edu.gradebook.period_mark.corrected' : 'edu.gradebook.period_mark.posted';
  return envelope(type, id, version, {
    period_mark: {
      period_mark_id: id,
      school_id: SCHOOL,
      academic_year_id: YEAR,
      student_id: studentId,
      class_id: CLASS_A,
      subject_id: MATH,
      subject_key: 'math',
      kind,
      period: kind === 'period' ? 2 : 0,
      value,
      corrected: !!previousValue,
      version: String(version),
    },
    previous_value: previousValue,
    reason: previousValue ? 'Пересчёт' : '',
  });
}

export function policyEvent(lowMarkThreshold: number, version: number): EventEnvelope<unknown> {
  return envelope('edu.gradebook.policy.set', SCHOOL, version, {
    policy: { school_id: SCHOOL, low_mark_threshold: lowMarkThreshold, version: String(version) },
  });
}

/** The school of the tests, every copy in place. */
/** The small school's events (roster's and schedule's subject), in the order its sources publish them. */
export function seedEvents(): EventEnvelope<unknown>[] {
  return [
    schoolEvent(1),
    subjectEvent(MATH, 'math', 'Математика'),
    classEvent(CLASS_A, 1, '5А', TEACHER_A),
    classEvent(CLASS_B, 1, '5Б', TEACHER_B),
    personEvent(IVAN, 'student', 'Иванов Иван'),
    personEvent(OLGA, 'student', 'Смирнова Ольга'),
    personEvent(PETR, 'student', 'Петров Пётр'),
    personEvent(ANNA, 'guardian', 'Иванова Анна'),
    personEvent(BORIS, 'guardian', 'Иванов Борис'),
    personEvent(VERA, 'guardian', 'Смирнова Вера'),
    personEvent(TEACHER_A, 'staff', 'Кузнецова Мария Петровна'),
    personEvent('teacher-sub', 'staff', 'Соколов Андрей Ильич'),
    movementEvent('enrolled', IVAN, 1, { to: CLASS_A, on: '2026-09-01' }),
    movementEvent('enrolled', OLGA, 1, { to: CLASS_A, on: '2026-09-01' }),
    movementEvent('enrolled', PETR, 1, { to: CLASS_B, on: '2026-09-01' }),
    guardianEvent('link-anna-ivan', ANNA, IVAN, 2, { consent: true }),
    guardianEvent('link-anna-petr', ANNA, PETR, 2, { consent: true }),
    guardianEvent('link-boris-ivan', BORIS, IVAN, 1, { consent: false }),
    guardianEvent('link-vera-olga', VERA, OLGA, 2, { consent: true }),
    staffEvent('pos-deputy', DEPUTY, 'deputy', 1),
    staffEvent('pos-deputy-old', 'deputy-old', 'deputy', 2, 'dismissed'),
    staffEvent('pos-director', 'director-1', 'director', 1),
    staffEvent('pos-teacher-a', TEACHER_A, 'teacher', 1),
  ];
}

export async function seededCopies(): Promise<MemoryCopies> {
  const copies = new MemoryCopies();
  await handleAll(copies, seedEvents());
  return copies;
}

/** Recipients of intents of one trigger, sorted. */
export function recipients(intents: NotificationIntent[], trigger?: string): string[] {
  return intents
    .filter((i) => !trigger || i.trigger === trigger)
    .map((i) => i.recipientId)
    .sort();
}
