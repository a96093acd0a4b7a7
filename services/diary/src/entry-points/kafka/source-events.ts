import type { EventEnvelope } from '@edu/events';
import { isDate } from '@edu/kit';
import type { HomeworkState } from '@edu/proto/dist/generated/edu/events/v1/HomeworkState';
import type { GradingPolicyState } from '@edu/proto/dist/generated/edu/events/v1/GradingPolicyState';
import type { LessonRecordState } from '@edu/proto/dist/generated/edu/events/v1/LessonRecordState';
import type { LessonState } from '@edu/proto/dist/generated/edu/events/v1/LessonState';
import type { MarkState } from '@edu/proto/dist/generated/edu/events/v1/MarkState';
import type { PeriodMarkState } from '@edu/proto/dist/generated/edu/events/v1/PeriodMarkState';
import type { SchoolEventState } from '@edu/proto/dist/generated/edu/events/v1/SchoolEventState';
import type { SubjectState } from '@edu/proto/dist/generated/edu/events/v1/SubjectState';
import {
  academicYearFrom,
  classFrom,
  enrolmentFrom,
  guardianshipFrom,
  movementFrom,
  personFrom,
  requiredPayload,
  rosterEventParts,
  rosterEventsAbout,
  schoolFrom,
  subgroupFrom,
  type RosterPayload,
} from '@edu/roster-events';
import type { HomeworkDoc, MarkDoc, RecordDoc } from '../../domain/model';
import type { DiaryFact } from '../../domain/projection';

// The edge between the sources' events and the diary's facts: which event types the diary keeps
// (with their payload messages, for the codec) and how each becomes the diary's own fact. Nothing
// of a producer's code is imported; roster's states are read through @edu/roster-events.

/** The topics the diary is built from (before the environment's prefix). */
export const SOURCE_TOPICS = ['edu.roster.v1', 'edu.schedule.v1', 'edu.gradebook.v1'] as const;

const ROSTER_EVENTS = rosterEventsAbout(
  ['school', 'academic_year', 'class', 'subgroup', 'person', 'student', 'guardian', 'consent'],
  // A rollover's own facts (opened years, classes, promotions) come as events of their own.
  ['edu.roster.academic_year.rolled_over'],
);

const SCHEDULE_LESSON_EVENTS: Record<string, string> = {
  'edu.schedule.lesson.scheduled': 'edu.events.v1.LessonScheduled',
  'edu.schedule.lesson.rescheduled': 'edu.events.v1.LessonRescheduled',
  'edu.schedule.lesson.cancelled': 'edu.events.v1.LessonCancelled',
  'edu.schedule.substitution.assigned': 'edu.events.v1.SubstitutionAssigned',
  'edu.schedule.substitution.revoked': 'edu.events.v1.SubstitutionRevoked',
};

const SCHEDULE_CALENDAR_EVENTS: Record<string, string> = {
  'edu.schedule.event.scheduled': 'edu.events.v1.SchoolEventScheduled',
  'edu.schedule.event.changed': 'edu.events.v1.SchoolEventChanged',
  'edu.schedule.event.cancelled': 'edu.events.v1.SchoolEventCancelled',
};

/** Gradebook's lesson record events: each carries the whole record (`record_changed` does not). */
const RECORD_EVENTS: Record<string, string> = {
  'edu.gradebook.lesson.topic_set': 'edu.events.v1.LessonTopicSet',
  'edu.gradebook.homework.assigned': 'edu.events.v1.HomeworkAssigned',
  'edu.gradebook.homework.changed': 'edu.events.v1.HomeworkAssigned',
  'edu.gradebook.mark.posted': 'edu.events.v1.MarkPosted',
  'edu.gradebook.mark.corrected': 'edu.events.v1.MarkCorrected',
  'edu.gradebook.mark.voided': 'edu.events.v1.MarkVoided',
  'edu.gradebook.attendance.recorded': 'edu.events.v1.AttendanceRecorded',
  'edu.gradebook.absence.reason_set': 'edu.events.v1.AbsenceReasonSet',
};

const PERIOD_MARK_EVENTS: Record<string, string> = {
  'edu.gradebook.period_mark.posted': 'edu.events.v1.PeriodMarkPosted',
  'edu.gradebook.period_mark.corrected': 'edu.events.v1.PeriodMarkCorrected',
};

/** Every event type the diary keeps with its payload message (for the codec). */
export const DIARY_SOURCE_EVENTS: Record<string, string> = {
  ...ROSTER_EVENTS,
  'edu.schedule.subject.created': 'edu.events.v1.SubjectCreated',
  ...SCHEDULE_CALENDAR_EVENTS,
  ...SCHEDULE_LESSON_EVENTS,
  ...RECORD_EVENTS,
  ...PERIOD_MARK_EVENTS,
  'edu.gradebook.policy.set': 'edu.events.v1.GradingPolicySet',
};

/** The payload fields the kept schedule and gradebook events carry (each event one of them). */
interface SourcePayload {
  subject?: SubjectState | null;
  event?: SchoolEventState | null;
  lesson?: LessonState | null;
  record?: LessonRecordState | null;
  period_mark?: PeriodMarkState | null;
  policy?: GradingPolicyState | null;
}

/** The value, or an error naming the event (a handled type without it goes to the DLQ). */
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

/**
 * The diary's facts of an event: none for a type it does not keep; an Error for a kept type
 * without its state (the consumer retries it, then sends it to the DLQ).
 */
export function factsOf(event: EventEnvelope<unknown>): DiaryFact[] {
  if (!(event.type in DIARY_SOURCE_EVENTS)) return [];
  if (event.type in ROSTER_EVENTS) return [rosterFact(event as EventEnvelope<RosterPayload>)];
  const e = event as EventEnvelope<SourcePayload>;
  const p = e.payload ?? {};
  if (event.type in SCHEDULE_LESSON_EVENTS) return [lessonFact(required(p.lesson, e, 'lesson'), e)];
  if (event.type in RECORD_EVENTS) return [recordFact(required(p.record, e, 'record'), e)];
  if (event.type in PERIOD_MARK_EVENTS) return [periodMarkFact(required(p.period_mark, e, 'period_mark'), e)];
  if (event.type in SCHEDULE_CALENDAR_EVENTS) return [schoolEventFact(required(p.event, e, 'event'), e)];
  if (event.type === 'edu.schedule.subject.created') {
    const s = required(p.subject, e, 'subject');
    const id = required(s.subject_id || e.aggregateId, e, 'subject_id');
    return [
      {
        kind: 'subject',
        subject: { _id: id, key: s.key ?? '', name: s.name ?? '', shortName: s.short_name ?? '' },
      },
    ];
  }
  return [policyFact(required(p.policy, e, 'policy'), e)];
}

function rosterFact(event: EventEnvelope<RosterPayload>): DiaryFact {
  const p = event.payload ?? {};
  const { entity, action } = rosterEventParts(event.type);
  switch (entity) {
    case 'school': {
      const card = requiredPayload(p.school, event, 'school');
      const { id, shortName, timeZone, version } = schoolFrom(card, event);
      return {
        kind: 'school',
        school: { _id: id, name: card.full_name ?? '', shortName, timeZone, version },
      };
    }
    case 'academic_year': {
      const y = academicYearFrom(requiredPayload(p.academic_year, event, 'academic_year'), event);
      return {
        kind: 'year',
        year: {
          _id: y.id,
          schoolId: y.schoolId,
          name: y.name,
          startsOn: y.startsOn,
          endsOn: y.endsOn,
          periodSchemes: y.periodSchemes,
          version: y.version,
        },
      };
    }
    case 'class': {
      const c = classFrom(requiredPayload(p.school_class, event, 'school_class'), event);
      return {
        kind: 'class',
        schoolClass: {
          _id: c.id,
          schoolId: c.schoolId,
          academicYearId: c.academicYearId,
          grade: c.grade,
          name: c.name,
          classTeacherId: c.classTeacherId,
          version: c.version,
        },
      };
    }
    case 'person': {
      const person = personFrom(requiredPayload(p.person, event, 'person'), event);
      return {
        kind: 'person',
        person: {
          _id: person.id,
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
          academicYearId: enrolment.academicYearId,
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
        change: {
          action,
          subgroup: {
            _id: s.id,
            schoolId: s.schoolId,
            academicYearId: s.academicYearId,
            classId: s.classId,
            name: s.name,
            subjectKey: s.subjectKey,
            status: s.status,
            version: s.version,
          },
          // The state's members decide; `added`/`removed` of members_changed agree with them.
          memberIds: s.memberIds,
          occurredAt: event.occurredAt,
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
          guardianId: requiredPayload(g.guardianId, event, 'guardian_id'),
          studentId: requiredPayload(g.studentId, event, 'student_id'),
          schoolId: g.schoolId,
          active: g.status === 'active' && g.consentActive,
          version: g.version,
        },
      };
    }
    default:
      throw new Error(`${event.type} ${event.id}: not a roster event the diary keeps`);
  }
}

/** Schedule's whole lesson; its version is the envelope's aggregate version. */
function lessonFact(l: LessonState, event: EventEnvelope<unknown>): DiaryFact {
  return {
    kind: 'lesson',
    lesson: {
      lessonId: l.lesson_id || event.aggregateId,
      schoolId: l.school_id || event.schoolId,
      academicYearId: required(l.academic_year_id, event, 'academic_year_id'),
      classId: required(l.class_id, event, 'class_id'),
      className: l.class_name ?? '',
      date: requiredDate(l.date, event, 'date'),
      lessonNumber: Number(l.lesson_number ?? 0),
      startsAt: l.starts_at ?? '',
      endsAt: l.ends_at ?? '',
      period: Number(l.period ?? 0),
      subgroupId: l.subgroup_id ?? '',
      subgroupName: l.subgroup_name ?? '',
      subjectId: l.subject_id ?? '',
      subjectKey: l.subject_key ?? '',
      subjectName: l.subject_name ?? '',
      teacherId: l.teacher_id ?? '',
      substituteTeacherId: l.substitute_teacher_id ?? '',
      room: l.room ?? '',
      status: l.status === 'cancelled' ? 'cancelled' : 'scheduled',
      cancellationReason: l.cancellation_reason ?? '',
      movedFromDate: l.moved_from_date ?? '',
      version: event.aggregateVersion,
    },
  };
}

function homeworkDoc(h: HomeworkState): HomeworkDoc {
  return {
    text: h.text ?? '',
    dueDate: h.due_date ?? '',
    attachments: [...(h.attachments ?? [])],
    studentId: h.student_id ?? '',
  };
}

function markDoc(m: MarkState): MarkDoc {
  const history = m.history ?? [];
  const voided = m.status === 'voided';
  return {
    markId: m.mark_id ?? '',
    studentId: m.student_id ?? '',
    value: voided ? '' : (m.value ?? ''),
    workType: m.work_type ?? '',
    workTypeName: m.work_type_name ?? '',
    weight: Number(m.weight ?? 0),
    comment: m.comment ?? '',
    postedAt: m.posted_at ?? '',
    status: voided ? 'voided' : 'active',
    corrected: !!m.corrected,
    history: history.slice(1).map((step) => ({
      kind: step.kind ?? '',
      value: step.value ?? '',
      reason: step.reason ?? '',
      at: step.at ?? '',
    })),
    postedValue: history[0]?.value ?? m.value ?? '',
  };
}

/** Gradebook's whole lesson record, with what it tells of the lesson (by the record's version). */
function recordFact(r: LessonRecordState, event: EventEnvelope<unknown>): DiaryFact {
  const record: RecordDoc = {
    version: Number(r.version ?? 0),
    topic: r.topic?.text ?? '',
    homework: r.homework ? homeworkDoc(r.homework) : null,
    individualHomework: (r.individual_homework ?? []).map(homeworkDoc),
    marks: (r.marks ?? []).map(markDoc),
    attendance: (r.attendance ?? []).map((a) => ({
      studentId: a.student_id ?? '',
      kind: a.kind ?? '',
      lateMinutes: Number(a.late_minutes ?? 0),
      reason: a.reason ?? '',
    })),
    attendanceTaken: !!r.attendance_taken,
  };
  return {
    kind: 'record',
    lesson: {
      lessonId: r.lesson_id || event.aggregateId,
      schoolId: r.school_id || event.schoolId,
      academicYearId: required(r.academic_year_id, event, 'academic_year_id'),
      classId: required(r.class_id, event, 'class_id'),
      date: requiredDate(r.date, event, 'date'),
      lessonNumber: Number(r.lesson_number ?? 0),
      startsAt: r.starts_at ?? '',
      endsAt: r.ends_at ?? '',
      period: Number(r.period ?? 0),
      subgroupId: r.subgroup_id ?? '',
      subjectId: r.subject_id ?? '',
      subjectKey: r.subject_key ?? '',
      teacherId: r.teacher_id ?? '',
      substituteTeacherId: r.substitute_teacher_id ?? '',
      status: r.lesson_status === 'cancelled' ? 'cancelled' : 'scheduled',
    },
    record,
  };
}

function periodMarkFact(m: PeriodMarkState, event: EventEnvelope<unknown>): DiaryFact {
  const studentId = required(m.student_id, event, 'student_id');
  const history = m.history ?? [];
  return {
    kind: 'periodMark',
    schoolId: m.school_id || event.schoolId,
    studentId,
    mark: {
      id: m.period_mark_id || event.aggregateId,
      academicYearId: m.academic_year_id ?? '',
      classId: m.class_id ?? '',
      subjectId: m.subject_id ?? '',
      subjectKey: m.subject_key ?? '',
      kind: m.kind ?? '',
      period: Number(m.period ?? 0),
      value: m.value ?? '',
      corrected: !!m.corrected,
      // Every value before the current one (the last step is the current value).
      previousValues: history.slice(0, -1).map((step) => step.value ?? ''),
      setAt: m.set_at ?? '',
      version: Number(m.version ?? 0),
    },
  };
}

function schoolEventFact(s: SchoolEventState, event: EventEnvelope<unknown>): DiaryFact {
  return {
    kind: 'schoolEvent',
    schoolId: s.school_id || event.schoolId,
    academicYearId: required(s.academic_year_id, event, 'academic_year_id'),
    event: {
      eventId: s.event_id || event.aggregateId,
      kind: s.kind ?? '',
      kindName: s.kind_name ?? '',
      title: s.title ?? '',
      description: s.description ?? '',
      startsOn: s.starts_on ?? '',
      endsOn: s.ends_on ?? '',
      startsAt: s.starts_at ?? '',
      endsAt: s.ends_at ?? '',
      place: s.place ?? '',
      scope: s.scope ?? '',
      classIds: [...(s.class_ids ?? [])],
      participantIds: [...(s.participant_ids ?? [])],
      status: s.status ?? '',
      version: event.aggregateVersion,
    },
  };
}

function policyFact(p: GradingPolicyState, event: EventEnvelope<unknown>): DiaryFact {
  return {
    kind: 'policy',
    schoolId: p.school_id || event.schoolId,
    policy: {
      roundingThreshold: Number(p.rounding_threshold ?? 0),
      lowMarkThreshold: Number(p.low_mark_threshold ?? 0),
      workTypes: (p.work_types ?? []).map((w) => ({
        key: w.key ?? '',
        name: w.name ?? '',
        weight: Number(w.weight ?? 0),
        active: !!w.active,
      })),
      version: Number(p.version ?? 0),
    },
  };
}
