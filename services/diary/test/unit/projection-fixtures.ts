import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@edu/events';
import { applyFact } from '../../src/domain/projection';
import { factsOf } from '../../src/entry-points/kafka/source-events';
import type { MemoryModel } from './memory-model';

// Hand-built source events for the projection's tests: envelopes as the codec hands them over
// (proto field names, keepCase; int64 as strings), with explicit versions so that a test can
// repeat, reorder and replay them.

export const SCHOOL = 'school-1';
export const YEAR = 'year-1';

/** An envelope of a source event. */
export function envelope(
  type: string,
  aggregateId: string,
  aggregateVersion: number,
  payload: unknown,
  occurredAt = '2026-09-01T06:00:00.000Z',
  schoolId = SCHOOL,
): EventEnvelope<unknown> {
  return {
    id: randomUUID(),
    type,
    schoolId,
    aggregateId,
    aggregateVersion,
    occurredAt,
    actor: { accountId: '', personId: '' },
    traceId: '',
    payload,
  };
}

/** Maps the event at the edge and applies its facts; true when a document changed. */
export async function applyEvent(model: MemoryModel, event: EventEnvelope<unknown>): Promise<boolean> {
  let changed = false;
  for (const fact of factsOf(event)) changed = (await applyFact(model, fact)) || changed;
  return changed;
}

export async function applyAll(model: MemoryModel, events: EventEnvelope<unknown>[]): Promise<void> {
  for (const event of events) await applyEvent(model, event);
}

// Roster

export function schoolEvent(version: number, timeZone: string, name = 'Школа № 1'): EventEnvelope<unknown> {
  const type = version === 1 ? 'edu.roster.school.created' : 'edu.roster.school.updated';
  return envelope(type, SCHOOL, version, {
    school: { school_id: SCHOOL, full_name: name, short_name: 'СШ № 1', time_zone: timeZone },
  });
}

export function yearEvent(version: number): EventEnvelope<unknown> {
  return envelope('edu.roster.academic_year.opened', YEAR, version, {
    academic_year: {
      academic_year_id: YEAR,
      school_id: SCHOOL,
      name: '2026/2027',
      days: { starts_on: '2026-09-01', ends_on: '2027-05-31' },
      status: 'open',
      holidays: [{ name: 'Осенние', days: { starts_on: '2026-10-26', ends_on: '2026-11-03' } }],
      period_schemes: [
        {
          grades: [5, 6],
          kind: 'quarter',
          periods: [{ number: 1, days: { starts_on: '2026-09-01', ends_on: '2026-10-25' } }],
        },
      ],
    },
  });
}

export function classEvent(
  classId: string,
  version: number,
  name: string,
  classTeacherId = 'teacher-class',
): EventEnvelope<unknown> {
  const type = version === 1 ? 'edu.roster.class.opened' : 'edu.roster.class.renamed';
  return envelope(type, classId, version, {
    school_class: {
      class_id: classId,
      school_id: SCHOOL,
      academic_year_id: YEAR,
      grade: 5,
      letter: name.slice(-1),
      name,
      class_teacher_id: classTeacherId,
      status: 'open',
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

export function subgroupEvent(
  action: 'formed' | 'members_changed' | 'changed' | 'disbanded',
  subgroupId: string,
  version: number,
  memberIds: string[],
  occurredAt: string,
  classId = 'class-5a',
): EventEnvelope<unknown> {
  return envelope(
    `edu.roster.subgroup.${action}`,
    subgroupId,
    version,
    {
      subgroup: {
        subgroup_id: subgroupId,
        school_id: SCHOOL,
        academic_year_id: YEAR,
        class_id: classId,
        subject_key: 'english',
        name: `Английский язык, ${subgroupId}`,
        teacher_id: 'teacher-en',
        member_ids: memberIds,
        status: action === 'disbanded' ? 'closed' : 'open',
      },
    },
    occurredAt,
  );
}

export function guardianshipEvent(
  type: 'guardian.linked' | 'guardian.unlinked' | 'consent.recorded' | 'consent.revoked',
  id: string,
  version: number,
  link: { guardianId: string; studentId: string },
): EventEnvelope<unknown> {
  const status = type === 'guardian.unlinked' ? 'ended' : 'active';
  return envelope(`edu.roster.${type}`, id, version, {
    guardianship: {
      guardianship_id: id,
      school_id: SCHOOL,
      guardian_id: link.guardianId,
      student_id: link.studentId,
      kind: 'mother',
      status,
      consent_active: type === 'consent.recorded',
    },
  });
}

// Schedule

export interface LessonFields {
  lessonId: string;
  date: string;
  lessonNumber?: number;
  classId?: string;
  subgroupId?: string;
  subjectId?: string;
  teacherId?: string;
  substituteTeacherId?: string;
  status?: string;
  room?: string;
  movedFromDate?: string;
}

export function lessonState(l: LessonFields): Record<string, unknown> {
  const lessonNumber = l.lessonNumber ?? 1;
  return {
    lesson_id: l.lessonId,
    school_id: SCHOOL,
    academic_year_id: YEAR,
    period: 1,
    class_id: l.classId ?? 'class-5a',
    class_name: '5А',
    subgroup_id: l.subgroupId ?? '',
    subgroup_name: l.subgroupId ? `Группа ${l.subgroupId}` : '',
    subject_id: l.subjectId ?? 'subject-math',
    subject_key: l.subjectId === 'subject-en' ? 'english' : 'math',
    subject_name: l.subjectId === 'subject-en' ? 'Английский язык' : 'Математика',
    subject_short_name: 'Матем.',
    teacher_id: l.teacherId ?? 'teacher-math',
    date: l.date,
    lesson_number: lessonNumber,
    starts_at: `0${7 + lessonNumber}:30`.slice(-5),
    ends_at: `0${8 + lessonNumber}:15`.slice(-5),
    room: l.room ?? '214',
    status: l.status ?? 'scheduled',
    origin: 'timetable',
    cancellation_reason: l.status === 'cancelled' ? 'Карантин' : '',
    substitute_teacher_id: l.substituteTeacherId ?? '',
    substitution_reason: '',
    moved_from_date: l.movedFromDate ?? '',
    moved_from_lesson_number: 0,
    change_reason: '',
  };
}

export function lessonEvent(
  type:
    | 'lesson.scheduled'
    | 'lesson.rescheduled'
    | 'lesson.cancelled'
    | 'substitution.assigned'
    | 'substitution.revoked',
  version: number,
  lesson: LessonFields,
): EventEnvelope<unknown> {
  return envelope(`edu.schedule.${type}`, lesson.lessonId, version, { lesson: lessonState(lesson) });
}

export function subjectEvent(subjectId: string, key: string, name: string): EventEnvelope<unknown> {
  return envelope(
    'edu.schedule.subject.created',
    subjectId,
    1,
    { subject: { subject_id: subjectId, school_id: '', key, name, short_name: name.slice(0, 5) } },
    undefined,
    '',
  );
}

export function calendarEvent(
  type: 'scheduled' | 'changed' | 'cancelled',
  eventId: string,
  version: number,
  startsOn: string,
  title = 'Олимпиада по математике',
): EventEnvelope<unknown> {
  return envelope(`edu.schedule.event.${type}`, eventId, version, {
    event: {
      event_id: eventId,
      school_id: SCHOOL,
      academic_year_id: YEAR,
      kind: 'olympiad',
      kind_name: 'Олимпиада',
      title,
      description: '',
      starts_on: startsOn,
      ends_on: startsOn,
      starts_at: '10:00',
      ends_at: '',
      place: 'Актовый зал',
      scope: 'school',
      class_ids: [],
      participant_ids: [],
      status: type === 'cancelled' ? 'cancelled' : 'scheduled',
    },
  });
}

// Gradebook

export interface MarkFields {
  markId: string;
  studentId: string;
  /** Values step by step: the first posted, the rest corrections ('' voids). */
  values: string[];
}

function markState(m: MarkFields): Record<string, unknown> {
  const last = m.values[m.values.length - 1] ?? '';
  const voided = m.values.length > 1 && last === '';
  return {
    mark_id: m.markId,
    student_id: m.studentId,
    value: last,
    work_type: 'test',
    work_type_name: 'Контрольная работа',
    weight: 2,
    comment: '',
    posted_by: 'teacher-math',
    posted_at: '2026-09-07T08:00:00.000Z',
    status: voided ? 'voided' : 'active',
    corrected: m.values.length > 1,
    history: m.values.map((value, i) => ({
      kind: i === 0 ? 'posted' : value === '' ? 'voided' : 'corrected',
      value,
      work_type: 'test',
      weight: 2,
      comment: '',
      by: 'teacher-math',
      at: `2026-09-0${7 + i}T08:00:00.000Z`,
      reason: i === 0 ? '' : 'Ошибка ввода',
      order_ref: '',
    })),
  };
}

export interface RecordFields {
  lessonId: string;
  date: string;
  version: number;
  lessonNumber?: number;
  classId?: string;
  topic?: string;
  homework?: string;
  marks?: MarkFields[];
  absent?: string[];
}

export function recordState(r: RecordFields): Record<string, unknown> {
  return {
    lesson_id: r.lessonId,
    course_id: `${YEAR}:${r.classId ?? 'class-5a'}:-:subject-math`,
    school_id: SCHOOL,
    academic_year_id: YEAR,
    class_id: r.classId ?? 'class-5a',
    subgroup_id: '',
    subject_id: 'subject-math',
    subject_key: 'math',
    period: 1,
    date: r.date,
    lesson_number: r.lessonNumber ?? 1,
    starts_at: '08:30',
    ends_at: '09:15',
    teacher_id: 'teacher-math',
    substitute_teacher_id: '',
    lesson_status: 'scheduled',
    topic: r.topic ? { text: r.topic, plan_item_id: '', set_by: 'teacher-math', set_at: '' } : null,
    homework: r.homework
      ? { text: r.homework, due_date: '', attachments: ['file-1'], student_id: '', set_by: '', set_at: '' }
      : null,
    individual_homework: [],
    marks: (r.marks ?? []).map(markState),
    attendance: (r.absent ?? []).map((studentId) => ({
      student_id: studentId,
      kind: 'absent',
      late_minutes: 0,
      recorded_by: 'teacher-math',
      recorded_at: '',
      reason: 'illness',
      reason_set_by: '',
      reason_set_at: '',
      reason_note: '',
    })),
    attendance_taken: (r.absent ?? []).length > 0,
    version: String(r.version),
    updated_at: '2026-09-07T08:00:00.000Z',
  };
}

/** A lesson record event; the record's aggregate version follows the record's. */
export function recordEvent(
  type:
    | 'lesson.topic_set'
    | 'homework.assigned'
    | 'homework.changed'
    | 'mark.posted'
    | 'mark.corrected'
    | 'mark.voided'
    | 'attendance.recorded'
    | 'absence.reason_set',
  record: RecordFields,
): EventEnvelope<unknown> {
  return envelope(`edu.gradebook.${type}`, record.lessonId, record.version, { record: recordState(record) });
}

export function periodMarkEvent(
  studentId: string,
  version: number,
  values: string[],
  period = 1,
): EventEnvelope<unknown> {
  const id = `${YEAR}:${studentId}:subject-math:period:${period}`;
  const type = version === 1 ? 'edu.gradebook.period_mark.posted' : 'edu.gradebook.period_mark.corrected';
  return envelope(type, id, version, {
    period_mark: {
      period_mark_id: id,
      school_id: SCHOOL,
      academic_year_id: YEAR,
      student_id: studentId,
      class_id: 'class-5a',
      subject_id: 'subject-math',
      subject_key: 'math',
      kind: 'period',
      period,
      value: values[values.length - 1],
      set_by: 'teacher-math',
      set_at: '2026-10-20T08:00:00.000Z',
      corrected: values.length > 1,
      history: values.map((value, i) => ({ kind: i === 0 ? 'posted' : 'corrected', value, at: '' })),
      version: String(version),
    },
  });
}

export function policyEvent(version: number, roundingThreshold = 0.6): EventEnvelope<unknown> {
  return envelope('edu.gradebook.policy.set', SCHOOL, version, {
    policy: {
      school_id: SCHOOL,
      work_types: [
        { key: 'test', name: 'Контрольная работа', weight: 2, active: true },
        { key: 'oral', name: 'Устный ответ', weight: 1, active: true },
      ],
      rounding_threshold: roundingThreshold,
      low_mark_threshold: 2,
      version: String(version),
    },
  });
}
