import type { TimetablePublished } from '@edu/proto/dist/generated/edu/events/v1/TimetablePublished';
import type { ClassTimetable as ClassTimetableMessage } from '@edu/proto/dist/generated/edu/schedule/v1/ClassTimetable';
import type { TimetableEntry as TimetableEntryMessage } from '@edu/proto/dist/generated/edu/schedule/v1/TimetableEntry';
import type { TimetablePublication as PublicationMessage } from '@edu/proto/dist/generated/edu/schedule/v1/TimetablePublication';
import type { TimetableEvent } from '../domain/ports';
import {
  WEEKDAY_NAMES,
  type ClassTimetable,
  type TimetablePublication,
  type WeekParity,
} from '../domain/timetable';
import type { ClassTimetableView, PublicationView, TimetableEntryView } from '../domain/timetable.use-cases';
import type { ClassTimetableDocument, TimetablePublicationDocument } from './timetable.model';

// The timetable in its outer shapes: documents, gRPC messages, the event payload.

export function fromDocument(doc: ClassTimetableDocument): ClassTimetable {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    period: doc.period,
    classId: doc.classId,
    shift: doc.shift,
    entries: (doc.entries ?? []).map((e) => ({
      weekday: e.weekday,
      lessonNumber: e.lessonNumber,
      subgroupId: e.subgroupId ?? '',
      subjectId: e.subjectId,
      teacherId: e.teacherId,
      room: e.room ?? '',
      weekParity: e.weekParity as WeekParity,
    })),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    updatedBy: doc.updatedBy ?? '',
  };
}

export function toDocument(timetable: ClassTimetable): ClassTimetableDocument {
  const { id, createdAt, updatedAt, ...fields } = timetable;
  return { _id: id, ...fields, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export function fromPublicationDocument(doc: TimetablePublicationDocument): TimetablePublication {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    period: doc.period,
    version: doc.version,
    classes: (doc.classes ?? []).map((c) => ({ classId: c.classId, version: c.version })),
    publishedAt: doc.publishedAt.toISOString(),
    publishedBy: doc.publishedBy ?? '',
  };
}

export function toPublicationDocument(publication: TimetablePublication): TimetablePublicationDocument {
  const { id, publishedAt, ...fields } = publication;
  const at = new Date(publishedAt);
  return { _id: id, ...fields, publishedAt: at, createdAt: at };
}

export function toEntryMessage(view: TimetableEntryView): TimetableEntryMessage {
  const { entry } = view;
  return {
    weekday: entry.weekday,
    weekday_name: WEEKDAY_NAMES[entry.weekday - 1] ?? '',
    lesson_number: entry.lessonNumber,
    starts_at: view.startsAt,
    ends_at: view.endsAt,
    class_id: view.classId,
    class_name: view.className,
    subgroup_id: entry.subgroupId,
    subgroup_name: view.subgroupName,
    subject_id: entry.subjectId,
    subject_name: view.subjectName,
    teacher_id: entry.teacherId,
    teacher_name: view.teacherName,
    room: entry.room,
    week_parity: entry.weekParity,
  };
}

export function toMessage(view: ClassTimetableView): ClassTimetableMessage {
  const { timetable } = view;
  return {
    id: timetable.id,
    school_id: timetable.schoolId,
    academic_year_id: timetable.academicYearId,
    period: timetable.period,
    class_id: timetable.classId,
    class_name: view.className,
    shift: timetable.shift,
    entries: view.entries.map(toEntryMessage),
    version: String(timetable.version),
    updated_at: timetable.updatedAt,
    updated_by: timetable.updatedBy,
  };
}

export function toPublicationMessage(view: PublicationView, fallbackId: string): PublicationMessage {
  const { publication } = view;
  return {
    id: publication?.id ?? fallbackId,
    version: String(publication?.version ?? 0),
    published_at: publication?.publishedAt ?? '',
    published_by: publication?.publishedBy ?? '',
    changed_since: view.changedSince,
  };
}

/** `edu.events.v1.TimetablePublished`: ids and times only, no names of people. */
export function toPublishedPayload(event: TimetableEvent): TimetablePublished {
  const { publication } = event;
  return {
    timetable_id: publication.id,
    school_id: publication.schoolId,
    academic_year_id: publication.academicYearId,
    period: publication.period,
    published_at: publication.publishedAt,
    classes: event.classes.map((c) => ({
      class_id: c.classId,
      class_name: c.className,
      grade: c.grade,
      shift: c.shift,
      version: String(c.version),
      entries: c.entries.map((e) => ({
        weekday: e.weekday,
        lesson_number: e.lessonNumber,
        starts_at: e.startsAt,
        ends_at: e.endsAt,
        subgroup_id: e.subgroupId,
        subject_id: e.subjectId,
        subject_key: e.subjectKey,
        teacher_id: e.teacherId,
        room: e.room,
        week_parity: e.weekParity,
      })),
    })),
  };
}
