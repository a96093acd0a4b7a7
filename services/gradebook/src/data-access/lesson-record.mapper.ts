import type { AttendanceState } from '@edu/proto/dist/generated/edu/events/v1/AttendanceState';
import type { HomeworkState } from '@edu/proto/dist/generated/edu/events/v1/HomeworkState';
import type { LessonRecordState } from '@edu/proto/dist/generated/edu/events/v1/LessonRecordState';
import type { MarkState } from '@edu/proto/dist/generated/edu/events/v1/MarkState';
import type { Attendance, Homework, LessonRecord, Mark } from '../domain/lesson-record';
import type { LessonRecordDocument } from './lesson-record.model';

export function toDocument(record: LessonRecord, createdAt: Date): LessonRecordDocument {
  const { lessonId, ...fields } = record;
  return { _id: lessonId, ...fields, createdAt };
}

export function fromDocument(doc: LessonRecordDocument): LessonRecord {
  return {
    lessonId: doc._id,
    courseId: doc.courseId,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    classId: doc.classId,
    subgroupId: doc.subgroupId ?? '',
    subjectId: doc.subjectId,
    subjectKey: doc.subjectKey ?? '',
    period: doc.period ?? 0,
    date: doc.date,
    lessonNumber: doc.lessonNumber,
    startsAt: doc.startsAt ?? '',
    endsAt: doc.endsAt ?? '',
    teacherId: doc.teacherId ?? '',
    substituteTeacherId: doc.substituteTeacherId ?? '',
    lessonStatus: doc.lessonStatus ?? '',
    topic: doc.topic ?? null,
    homework: doc.homework ?? null,
    individualHomework: doc.individualHomework ?? [],
    marks: doc.marks ?? [],
    attendance: doc.attendance ?? [],
    attendanceTaken: doc.attendanceTaken ?? false,
    firstEntries: doc.firstEntries ?? { topic: '', attendance: '', marks: '', homework: '' },
    version: doc.version,
    updatedAt: doc.updatedAt ?? '',
  };
}

export function toMarkState(mark: Mark): MarkState {
  return {
    mark_id: mark.id,
    student_id: mark.studentId,
    value: mark.value,
    work_type: mark.workType,
    work_type_name: mark.workTypeName,
    weight: mark.weight,
    comment: mark.comment,
    posted_by: mark.postedBy,
    posted_at: mark.postedAt,
    status: mark.status,
    corrected: mark.history.length > 1,
    history: mark.history.map((h) => ({
      kind: h.kind,
      value: h.value,
      work_type: h.workType,
      weight: h.weight,
      comment: h.comment,
      by: h.by,
      at: h.at,
      reason: h.reason,
      order_ref: h.orderRef,
    })),
  };
}

export function toAttendanceState(a: Attendance): AttendanceState {
  return {
    student_id: a.studentId,
    kind: a.kind,
    late_minutes: a.lateMinutes,
    recorded_by: a.recordedBy,
    recorded_at: a.recordedAt,
    reason: a.reason,
    reason_set_by: a.reasonSetBy,
    reason_set_at: a.reasonSetAt,
    reason_note: a.reasonNote,
  };
}

export function toHomeworkState(h: Homework): HomeworkState {
  return {
    text: h.text,
    due_date: h.dueDate,
    attachments: [...h.attachments],
    student_id: h.studentId,
    set_by: h.setBy,
    set_at: h.setAt,
  };
}

/** The record as events and answers carry it. */
export function toRecordState(record: LessonRecord): LessonRecordState {
  return {
    lesson_id: record.lessonId,
    course_id: record.courseId,
    school_id: record.schoolId,
    academic_year_id: record.academicYearId,
    class_id: record.classId,
    subgroup_id: record.subgroupId,
    subject_id: record.subjectId,
    subject_key: record.subjectKey,
    period: record.period,
    date: record.date,
    lesson_number: record.lessonNumber,
    starts_at: record.startsAt,
    ends_at: record.endsAt,
    teacher_id: record.teacherId,
    substitute_teacher_id: record.substituteTeacherId,
    lesson_status: record.lessonStatus,
    topic: record.topic
      ? {
          text: record.topic.text,
          plan_item_id: record.topic.planItemId,
          set_by: record.topic.setBy,
          set_at: record.topic.setAt,
        }
      : null,
    homework: record.homework ? toHomeworkState(record.homework) : null,
    individual_homework: record.individualHomework.map(toHomeworkState),
    marks: record.marks.map(toMarkState),
    attendance: record.attendance.map(toAttendanceState),
    attendance_taken: record.attendanceTaken,
    version: String(record.version),
    updated_at: record.updatedAt,
  };
}
