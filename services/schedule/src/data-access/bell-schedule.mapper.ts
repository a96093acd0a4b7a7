import type { BellScheduleState } from '@edu/proto/dist/generated/edu/events/v1/BellScheduleState';
import type { BellSchedule as BellScheduleMessage } from '@edu/proto/dist/generated/edu/schedule/v1/BellSchedule';
import { lessonTimes, type BellSchedule } from '../domain/bell-schedule';
import type { BellScheduleDocument } from './bell-schedule.model';

// A bell schedule in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: BellScheduleDocument): BellSchedule {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    shift: doc.shift,
    name: doc.name ?? '',
    lessons: (doc.lessons ?? []).map((l) => ({ number: l.number, startsAt: l.startsAt, endsAt: l.endsAt })),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    updatedBy: doc.updatedBy ?? '',
  };
}

export function toDocument(bellSchedule: BellSchedule): BellScheduleDocument {
  const { id, createdAt, updatedAt, ...fields } = bellSchedule;
  return { _id: id, ...fields, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export function toMessage(bellSchedule: BellSchedule): BellScheduleMessage {
  const times = lessonTimes(bellSchedule.lessons);
  return {
    id: bellSchedule.id,
    school_id: bellSchedule.schoolId,
    shift: bellSchedule.shift,
    name: bellSchedule.name,
    lessons: bellSchedule.lessons.map((lesson, i) => ({
      number: lesson.number,
      starts_at: lesson.startsAt,
      ends_at: lesson.endsAt,
      minutes: times[i]!.minutes,
      break_after_minutes: times[i]!.breakAfterMinutes,
    })),
    version: String(bellSchedule.version),
    updated_at: bellSchedule.updatedAt,
    updated_by: bellSchedule.updatedBy,
  };
}

/** `edu.events.v1.BellScheduleState`. */
export function toBellScheduleState(bellSchedule: BellSchedule): BellScheduleState {
  return {
    bell_schedule_id: bellSchedule.id,
    school_id: bellSchedule.schoolId,
    shift: bellSchedule.shift,
    name: bellSchedule.name,
    lessons: bellSchedule.lessons.map((l) => ({
      number: l.number,
      starts_at: l.startsAt,
      ends_at: l.endsAt,
    })),
  };
}
