import type { EventEnvelope } from '@edu/events';
import { isDate } from '@edu/kit';
import type { AttendanceState } from '@edu/proto/dist/generated/edu/events/v1/AttendanceState';
import type { GradingPolicyState } from '@edu/proto/dist/generated/edu/events/v1/GradingPolicyState';
import type { HomeworkState } from '@edu/proto/dist/generated/edu/events/v1/HomeworkState';
import type { LessonRecordState } from '@edu/proto/dist/generated/edu/events/v1/LessonRecordState';
import type { LessonState } from '@edu/proto/dist/generated/edu/events/v1/LessonState';
import type { MarkState } from '@edu/proto/dist/generated/edu/events/v1/MarkState';
import type { PeriodMarkState } from '@edu/proto/dist/generated/edu/events/v1/PeriodMarkState';
import type { SchoolEventState } from '@edu/proto/dist/generated/edu/events/v1/SchoolEventState';
import type { SubjectState } from '@edu/proto/dist/generated/edu/events/v1/SubjectState';
import type { TeachingAssignmentState } from '@edu/proto/dist/generated/edu/events/v1/TeachingAssignmentState';
import {
  classFrom,
  enrolmentFrom,
  guardianshipFrom,
  movementFrom,
  personFrom,
  requiredPayload,
  rosterEventParts,
  rosterEventsAbout,
  schoolFrom,
  staffPositionFrom,
  subgroupFrom,
  type RosterPayload,
} from '@edu/roster-events';
import type {
  MarkFact,
  NotificationFact,
  RecordLesson,
  ScheduleLesson,
  SourceRef,
} from '../../domain/copies';

// The edge between the sources' events and the service's facts: which event types it keeps or
// reacts to (with their payload messages, for the codec) and how each becomes its own fact.
// Nothing of a producer's code is imported; roster's states are read through @edu/roster-events.

/** The topics the service reads (before the environment's prefix). */
export const SOURCE_TOPICS = ['edu.roster.v1', 'edu.schedule.v1', 'edu.gradebook.v1'] as const;

const ROSTER_EVENTS = rosterEventsAbout(
  ['school', 'class', 'subgroup', 'person', 'student', 'guardian', 'consent', 'staff'],
  // A rollover's own facts (opened classes, promotions) come as events of their own.
  ['edu.roster.academic_year.rolled_over'],
);

const TEACHING_EVENTS: Record<string, string> = {
  'edu.schedule.teaching.assigned': 'edu.events.v1.TeachingAssigned',
  'edu.schedule.teaching.unassigned': 'edu.events.v1.TeachingUnassigned',
};

/** Schedule's lesson events that change a day's timetable, with the change each is. */
const TIMETABLE_EVENTS: Record<string, string> = {
  'edu.schedule.lesson.cancelled': 'edu.events.v1.LessonCancelled',
  'edu.schedule.lesson.rescheduled': 'edu.events.v1.LessonRescheduled',
  'edu.schedule.substitution.assigned': 'edu.events.v1.SubstitutionAssigned',
};

const SCHOOL_EVENT_EVENTS: Record<string, string> = {
  'edu.schedule.event.scheduled': 'edu.events.v1.SchoolEventScheduled',
  'edu.schedule.event.changed': 'edu.events.v1.SchoolEventChanged',
  'edu.schedule.event.cancelled': 'edu.events.v1.SchoolEventCancelled',
};

const RECORD_EVENTS: Record<string, string> = {
  'edu.gradebook.homework.assigned': 'edu.events.v1.HomeworkAssigned',
  'edu.gradebook.homework.changed': 'edu.events.v1.HomeworkAssigned',
  'edu.gradebook.mark.posted': 'edu.events.v1.MarkPosted',
  'edu.gradebook.mark.corrected': 'edu.events.v1.MarkCorrected',
  'edu.gradebook.attendance.recorded': 'edu.events.v1.AttendanceRecorded',
  'edu.gradebook.absence.reason_set': 'edu.events.v1.AbsenceReasonSet',
};

const PERIOD_MARK_EVENTS: Record<string, string> = {
  'edu.gradebook.period_mark.posted': 'edu.events.v1.PeriodMarkPosted',
  'edu.gradebook.period_mark.corrected': 'edu.events.v1.PeriodMarkCorrected',
};

/** Every event type the service handles with its payload message (for the codec). */
export const NOTIFICATION_SOURCE_EVENTS: Record<string, string> = {
  ...ROSTER_EVENTS,
  'edu.schedule.subject.created': 'edu.events.v1.SubjectCreated',
  ...TEACHING_EVENTS,
  ...TIMETABLE_EVENTS,
  ...SCHOOL_EVENT_EVENTS,
  ...RECORD_EVENTS,
  ...PERIOD_MARK_EVENTS,
  'edu.gradebook.policy.set': 'edu.events.v1.GradingPolicySet',
};

/** The payload fields of the schedule and gradebook events handled (each event some of them). */
interface SourcePayload {
  subject?: SubjectState | null;
  assignment?: TeachingAssignmentState | null;
  lesson?: LessonState | null;
  /** LessonRescheduled: "date", "time", "teacher", "room", "subject". */
  changed?: string[] | AttendanceState[] | null;
  event?: SchoolEventState | null;
  change?: string | null;
  record?: LessonRecordState | null;
  homework?: HomeworkState[] | null;
  marks?: MarkState[] | null;
  mark?: MarkState | null;
  previous_value?: string | null;
  cleared_student_ids?: string[] | null;
  attendance?: AttendanceState | null;
  period_mark?: PeriodMarkState | null;
  policy?: GradingPolicyState | null;
}

function required<T>(value: T | null | undefined, event: EventEnvelope<unknown>, field: string): T {
  return requiredPayload(value, event, field);
}

function requiredDate(
  value: string | null | undefined,
  event: EventEnvelope<unknown>,
  field: string,
): string {
  const date = required(value, event, field);
  if (!isDate(date)) throw new Error(`${event.type} ${event.id}: ${field} "${date}" is not a date`);
  return date;
}

function sourceOf(event: EventEnvelope<unknown>): SourceRef {
  return { eventId: event.id, occurredAt: event.occurredAt };
}

/**
 * The service's facts of an event: none for a type it does not handle; an Error for a handled
 * type without its state (the consumer retries it, then sends it to the DLQ).
 */
export function factsOf(event: EventEnvelope<unknown>): NotificationFact[] {
  if (!(event.type in NOTIFICATION_SOURCE_EVENTS)) return [];
  if (event.type in ROSTER_EVENTS) return [rosterFact(event as EventEnvelope<RosterPayload>)];
  const e = event as EventEnvelope<SourcePayload>;
  const p = e.payload ?? {};
  if (event.type in TEACHING_EVENTS) return [teachingFact(required(p.assignment, e, 'assignment'), e)];
  if (event.type in TIMETABLE_EVENTS) return [timetableFact(required(p.lesson, e, 'lesson'), p, e)];
  if (event.type in SCHOOL_EVENT_EVENTS) return [schoolEventFact(required(p.event, e, 'event'), p, e)];
  if (event.type in RECORD_EVENTS) return [recordFact(required(p.record, e, 'record'), p, e)];
  if (event.type in PERIOD_MARK_EVENTS) {
    return [periodMarkFact(required(p.period_mark, e, 'period_mark'), p, e)];
  }
  if (event.type === 'edu.schedule.subject.created') {
    const s = required(p.subject, e, 'subject');
    const id = required(s.subject_id || e.aggregateId, e, 'subject_id');
    return [{ kind: 'subject', subject: { id, key: s.key ?? '', name: s.name ?? '' } }];
  }
  const policy = required(p.policy, e, 'policy');
  return [
    {
      kind: 'policy',
      schoolId: policy.school_id || e.schoolId,
      lowMarkThreshold: Number(policy.low_mark_threshold ?? 0),
      version: Number(policy.version ?? 0),
    },
  ];
}

function rosterFact(event: EventEnvelope<RosterPayload>): NotificationFact {
  const p = event.payload ?? {};
  const { entity } = rosterEventParts(event.type);
  switch (entity) {
    case 'school': {
      const card = requiredPayload(p.school, event, 'school');
      const { id, shortName, timeZone, version } = schoolFrom(card, event);
      return { kind: 'school', school: { id, name: card.full_name || shortName, timeZone, version } };
    }
    case 'class': {
      const c = classFrom(requiredPayload(p.school_class, event, 'school_class'), event);
      return {
        kind: 'class',
        schoolClass: {
          id: c.id,
          schoolId: c.schoolId,
          academicYearId: c.academicYearId,
          name: c.name,
          classTeacherId: c.classTeacherId,
          status: c.status,
          version: c.version,
        },
      };
    }
    case 'person': {
      const person = personFrom(requiredPayload(p.person, event, 'person'), event);
      return {
        kind: 'person',
        person: {
          id: person.id,
          schoolId: person.schoolId,
          kind: person.kind,
          displayName: person.displayName,
          version: person.version,
        },
      };
    }
    case 'student': {
      const enrolment = enrolmentFrom(requiredPayload(p.enrolment, event, 'enrolment'), event);
      const movement = movementFrom(requiredPayload(p.movement, event, 'movement'), event);
      return {
        kind: 'movement',
        movement: {
          enrolmentId: enrolment.id,
          schoolId: enrolment.schoolId,
          studentId: requiredPayload(enrolment.studentId, event, 'student_id'),
          kind: movement.kind,
          fromClassId: movement.fromClassId,
          toClassId: movement.toClassId,
          effectiveOn: requiredDate(movement.effectiveOn, event, 'effective_on'),
          version: enrolment.version,
        },
      };
    }
    case 'subgroup': {
      const s = subgroupFrom(requiredPayload(p.subgroup, event, 'subgroup'), event);
      return {
        kind: 'subgroup',
        subgroup: {
          id: s.id,
          schoolId: s.schoolId,
          classId: s.classId,
          memberIds: s.memberIds,
          status: s.status,
          version: s.version,
        },
      };
    }
    case 'guardian':
    case 'consent': {
      const g = guardianshipFrom(requiredPayload(p.guardianship, event, 'guardianship'), event);
      return {
        kind: 'guardianship',
        link: {
          guardianshipId: g.id,
          schoolId: g.schoolId,
          guardianId: requiredPayload(g.guardianId, event, 'guardian_id'),
          studentId: requiredPayload(g.studentId, event, 'student_id'),
          active: g.status === 'active' && g.consentActive,
          version: g.version,
        },
      };
    }
    case 'staff': {
      const s = staffPositionFrom(requiredPayload(p.position, event, 'position'), event);
      return {
        kind: 'staff',
        position: {
          id: s.id,
          schoolId: s.schoolId,
          personId: s.personId,
          kind: s.kind,
          status: s.status,
          version: s.version,
        },
      };
    }
    default:
      throw new Error(`${event.type} ${event.id}: not a roster event the service keeps`);
  }
}

/** A teaching assignment; its version is the envelope's aggregate version. */
function teachingFact(a: TeachingAssignmentState, event: EventEnvelope<unknown>): NotificationFact {
  return {
    kind: 'teaching',
    assignment: {
      id: a.assignment_id || event.aggregateId,
      schoolId: a.school_id || event.schoolId,
      academicYearId: a.academic_year_id ?? '',
      classId: required(a.class_id, event, 'class_id'),
      teacherId: a.teacher_id ?? '',
      active: a.status === 'active',
      subjectId: a.subject_id ?? '',
      subjectKey: a.subject_key ?? '',
      subjectName: a.subject_name ?? '',
      version: event.aggregateVersion,
    },
  };
}

function timetableFact(l: LessonState, p: SourcePayload, event: EventEnvelope<unknown>): NotificationFact {
  const lesson: ScheduleLesson = {
    lessonId: l.lesson_id || event.aggregateId,
    schoolId: l.school_id || event.schoolId,
    classId: required(l.class_id, event, 'class_id'),
    subgroupId: l.subgroup_id ?? '',
    subjectId: l.subject_id ?? '',
    subjectKey: l.subject_key ?? '',
    subjectName: l.subject_name ?? '',
    date: requiredDate(l.date, event, 'date'),
    lessonNumber: Number(l.lesson_number ?? 0),
    startsAt: l.starts_at ?? '',
    endsAt: l.ends_at ?? '',
    room: l.room ?? '',
    teacherId: l.teacher_id ?? '',
    substituteTeacherId: l.substitute_teacher_id ?? '',
    status: l.status === 'cancelled' ? 'cancelled' : 'scheduled',
    movedFromDate: l.moved_from_date && isDate(l.moved_from_date) ? l.moved_from_date : '',
  };
  const change =
    event.type === 'edu.schedule.lesson.cancelled'
      ? 'cancelled'
      : event.type === 'edu.schedule.substitution.assigned'
        ? 'substituted'
        : 'rescheduled';
  const changed = change === 'rescheduled' ? ((p.changed ?? []) as string[]).map(String) : [];
  return { kind: 'timetableChange', source: sourceOf(event), change, lesson, changed };
}

function schoolEventFact(
  s: SchoolEventState,
  p: SourcePayload,
  event: EventEnvelope<unknown>,
): NotificationFact {
  const action =
    event.type === 'edu.schedule.event.scheduled'
      ? 'scheduled'
      : event.type === 'edu.schedule.event.changed'
        ? 'changed'
        : 'cancelled';
  return {
    kind: 'schoolEvent',
    source: sourceOf(event),
    action,
    change: p.change ?? '',
    event: {
      eventId: s.event_id || event.aggregateId,
      schoolId: s.school_id || event.schoolId,
      kindName: s.kind_name ?? '',
      title: s.title ?? '',
      startsOn: requiredDate(s.starts_on, event, 'starts_on'),
      endsOn: s.ends_on && isDate(s.ends_on) ? s.ends_on : '',
      startsAt: s.starts_at ?? '',
      endsAt: s.ends_at ?? '',
      place: s.place ?? '',
      scope: s.scope ?? '',
      classIds: [...(s.class_ids ?? [])],
      participantIds: [...(s.participant_ids ?? [])],
      cancelReason: s.cancel_reason ?? '',
    },
  };
}

function markFact(m: MarkState): MarkFact {
  return {
    markId: m.mark_id ?? '',
    studentId: m.student_id ?? '',
    value: m.status === 'voided' ? '' : (m.value ?? ''),
    workTypeName: m.work_type_name ?? '',
  };
}

function attendanceOf(a: AttendanceState): { studentId: string; kind: string; reason: string } {
  return { studentId: a.student_id ?? '', kind: a.kind ?? '', reason: a.reason ?? '' };
}

/** A gradebook record event: the lesson as the record tells it, and what changed now. */
function recordFact(r: LessonRecordState, p: SourcePayload, event: EventEnvelope<unknown>): NotificationFact {
  const source = sourceOf(event);
  const lesson: RecordLesson = {
    lessonId: r.lesson_id || event.aggregateId,
    schoolId: r.school_id || event.schoolId,
    classId: required(r.class_id, event, 'class_id'),
    subgroupId: r.subgroup_id ?? '',
    subjectId: r.subject_id ?? '',
    subjectKey: r.subject_key ?? '',
    date: requiredDate(r.date, event, 'date'),
    lessonNumber: Number(r.lesson_number ?? 0),
    recordVersion: Number(r.version ?? 0),
  };
  switch (event.type) {
    case 'edu.gradebook.mark.posted':
      return { kind: 'marksPosted', source, lesson, marks: (p.marks ?? []).map(markFact) };
    case 'edu.gradebook.mark.corrected':
      return {
        kind: 'markCorrected',
        source,
        lesson,
        mark: markFact(required(p.mark, event, 'mark')),
        previousValue: p.previous_value ?? '',
      };
    case 'edu.gradebook.attendance.recorded':
      return {
        kind: 'attendance',
        source,
        lesson,
        changed: ((p.changed ?? []) as AttendanceState[]).map(attendanceOf),
        clearedStudentIds: [...(p.cleared_student_ids ?? [])],
      };
    case 'edu.gradebook.absence.reason_set':
      return {
        kind: 'absenceReason',
        source,
        lesson,
        attendance: attendanceOf(required(p.attendance, event, 'attendance')),
      };
    default:
      return {
        kind: 'homework',
        source,
        lesson,
        homework: (p.homework ?? []).map((h) => ({
          text: h.text ?? '',
          dueDate: h.due_date ?? '',
          studentId: h.student_id ?? '',
        })),
      };
  }
}

function periodMarkFact(
  m: PeriodMarkState,
  p: SourcePayload,
  event: EventEnvelope<unknown>,
): NotificationFact {
  const corrected = event.type === 'edu.gradebook.period_mark.corrected';
  return {
    kind: 'periodMark',
    source: sourceOf(event),
    mark: {
      id: m.period_mark_id || event.aggregateId,
      schoolId: m.school_id || event.schoolId,
      studentId: required(m.student_id, event, 'student_id'),
      academicYearId: m.academic_year_id ?? '',
      subjectId: m.subject_id ?? '',
      subjectKey: m.subject_key ?? '',
      kind: m.kind ?? '',
      period: Number(m.period ?? 0),
      value: m.value ?? '',
      version: Number(m.version ?? 0),
    },
    previousValue: corrected ? (p.previous_value ?? '') : '',
    corrected,
  };
}
