import type { LessonState } from '@edu/proto/dist/generated/edu/events/v1/LessonState';
import type { Lesson as LessonMessage } from '@edu/proto/dist/generated/edu/schedule/v1/Lesson';
import type { LessonGeneration as LessonGenerationMessage } from '@edu/proto/dist/generated/edu/schedule/v1/LessonGeneration';
import type { Lesson, LessonChange } from '../domain/lesson';
import type { LessonGenerationResult } from '../domain/lesson.use-cases';
import type { LessonDocument } from './lesson.model';

// Dated lessons in their outer shapes: documents, gRPC messages, the event payloads.

export function fromDocument(doc: LessonDocument): Lesson {
  const { _id, createdAt, updatedAt, ...fields } = doc;
  return {
    ...fields,
    id: _id,
    subgroupId: fields.subgroupId ?? '',
    room: fields.room ?? '',
    cancellationReason: fields.cancellationReason ?? '',
    substituteTeacherId: fields.substituteTeacherId ?? '',
    substitutionReason: fields.substitutionReason ?? '',
    substitutionApprovedBy: fields.substitutionApprovedBy ?? '',
    movedFromDate: fields.movedFromDate ?? '',
    movedFromLessonNumber: fields.movedFromLessonNumber ?? 0,
    changeReason: fields.changeReason ?? '',
    hasJournalContent: fields.hasJournalContent ?? false,
    journalVersion: fields.journalVersion ?? 0,
    needsDecision: fields.needsDecision ?? false,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  };
}

/** Every field, in a fixed order (documents are inserted as they are, without mongoose). */
export function toDocument(lesson: Lesson): LessonDocument {
  return {
    _id: lesson.id,
    schoolId: lesson.schoolId,
    academicYearId: lesson.academicYearId,
    period: lesson.period,
    classId: lesson.classId,
    className: lesson.className,
    subgroupId: lesson.subgroupId,
    subgroupName: lesson.subgroupName,
    subjectId: lesson.subjectId,
    subjectKey: lesson.subjectKey,
    subjectName: lesson.subjectName,
    subjectShortName: lesson.subjectShortName,
    teacherId: lesson.teacherId,
    date: lesson.date,
    lessonNumber: lesson.lessonNumber,
    startsAt: lesson.startsAt,
    endsAt: lesson.endsAt,
    room: lesson.room,
    status: lesson.status,
    origin: lesson.origin,
    cancellationReason: lesson.cancellationReason,
    substituteTeacherId: lesson.substituteTeacherId,
    substitutionReason: lesson.substitutionReason,
    substitutionApprovedBy: lesson.substitutionApprovedBy,
    movedFromDate: lesson.movedFromDate,
    movedFromLessonNumber: lesson.movedFromLessonNumber,
    changeReason: lesson.changeReason,
    hasJournalContent: lesson.hasJournalContent,
    journalVersion: lesson.journalVersion,
    needsDecision: lesson.needsDecision,
    version: lesson.version,
    createdAt: new Date(lesson.createdAt),
    updatedAt: new Date(lesson.updatedAt),
  };
}

export function toMessage(lesson: Lesson): LessonMessage {
  const { lesson_id: id, ...state } = toLessonState(lesson);
  return {
    id,
    ...state,
    has_journal_content: lesson.hasJournalContent,
    needs_decision: lesson.needsDecision,
    version: String(lesson.version),
    created_at: lesson.createdAt,
    updated_at: lesson.updatedAt,
  };
}

export function toGenerationMessage(result: LessonGenerationResult): LessonGenerationMessage {
  return {
    scheduled: result.scheduled,
    rescheduled: result.rescheduled,
    cancelled: result.cancelled,
    kept: result.kept.map(toMessage),
    kept_count: result.keptCount,
    total: result.total,
  };
}

/** What gradebook and diary need of a lesson (no journal flags: those are gradebook's own). */
export function toLessonState(lesson: Lesson): LessonState {
  return {
    lesson_id: lesson.id,
    school_id: lesson.schoolId,
    academic_year_id: lesson.academicYearId,
    period: lesson.period,
    class_id: lesson.classId,
    class_name: lesson.className,
    subgroup_id: lesson.subgroupId,
    subgroup_name: lesson.subgroupName,
    subject_id: lesson.subjectId,
    subject_key: lesson.subjectKey,
    subject_name: lesson.subjectName,
    subject_short_name: lesson.subjectShortName,
    teacher_id: lesson.teacherId,
    date: lesson.date,
    lesson_number: lesson.lessonNumber,
    starts_at: lesson.startsAt,
    ends_at: lesson.endsAt,
    room: lesson.room,
    status: lesson.status,
    origin: lesson.origin,
    cancellation_reason: lesson.cancellationReason,
    substitute_teacher_id: lesson.substituteTeacherId,
    substitution_reason: lesson.substitutionReason,
    moved_from_date: lesson.movedFromDate,
    moved_from_lesson_number: lesson.movedFromLessonNumber,
    change_reason: lesson.changeReason,
  };
}

/** The payload of a change's event: the lesson's state, and what the type adds to it. */
export function toEventPayload(change: LessonChange): Record<string, unknown> & { lesson: LessonState } {
  const lesson = toLessonState(change.lesson);
  switch (change.event?.type) {
    case 'edu.schedule.lesson.rescheduled':
      return { lesson, changed: change.event.changed };
    case 'edu.schedule.substitution.assigned':
      return { lesson, approved_by: change.lesson.substitutionApprovedBy };
    case 'edu.schedule.substitution.revoked':
      return {
        lesson,
        previous_substitute_teacher_id: change.event.previousSubstituteTeacherId ?? '',
        revoked_by: change.lesson.substitutionApprovedBy,
      };
    default:
      return { lesson };
  }
}
