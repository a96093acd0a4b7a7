import type { Course, CourseLesson } from './copies';
import { numericValue } from './grading-policy';

// The journal record of one dated lesson (one aggregate, one document with its pending events):
// topic, homework, marks and attendance. Corrections never overwrite — a mark keeps its history.

export interface MarkRevision {
  kind: 'posted' | 'corrected' | 'voided';
  value: string;
  workType: string;
  weight: number;
  comment: string;
  by: string;
  at: string;
  reason: string;
  orderRef: string;
}

export interface Mark {
  id: string;
  studentId: string;
  value: string;
  workType: string;
  workTypeName: string;
  weight: number;
  comment: string;
  postedBy: string;
  postedAt: string;
  status: 'active' | 'voided';
  history: MarkRevision[];
}

export const ABSENCE_REASONS = ['illness', 'application', 'other', 'unexcused'] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];

export interface Attendance {
  studentId: string;
  kind: 'absent' | 'late';
  lateMinutes: number;
  recordedBy: string;
  recordedAt: string;
  /** '' until the class teacher sets it. */
  reason: AbsenceReason | '';
  reasonSetBy: string;
  reasonSetAt: string;
  reasonNote: string;
}

export interface Homework {
  text: string;
  dueDate: string;
  attachments: string[];
  /** '' for the general homework. */
  studentId: string;
  setBy: string;
  setAt: string;
}

export interface Topic {
  text: string;
  planItemId: string;
  setBy: string;
  setAt: string;
}

/** The lesson as schedule told it, copied into the record when it is written. */
export interface RecordLesson {
  lessonId: string;
  courseId: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  subgroupId: string;
  subjectId: string;
  subjectKey: string;
  period: number;
  date: string;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  teacherId: string;
  substituteTeacherId: string;
  lessonStatus: string;
}

export interface LessonRecord extends RecordLesson {
  topic: Topic | null;
  homework: Homework | null;
  individualHomework: Homework[];
  marks: Mark[];
  attendance: Attendance[];
  attendanceTaken: boolean;
  /**
   * When the first content of each kind was entered (journal-keeping, R8.1: on time or late);
   * '' while none.
   */
  firstEntries: { topic: string; attendance: string; marks: string; homework: string };
  /** 0 before any content (never stored), +1 per save. */
  version: number;
  updatedAt: string;
}

/** The lesson part of a record from the course it belongs to. */
export function recordLesson(course: Course, lesson: CourseLesson): RecordLesson {
  return {
    lessonId: lesson.lessonId,
    courseId: course.id,
    schoolId: course.schoolId,
    academicYearId: course.academicYearId,
    classId: course.classId,
    subgroupId: course.subgroupId,
    subjectId: course.subjectId,
    subjectKey: course.subjectKey,
    period: lesson.period,
    date: lesson.date,
    lessonNumber: lesson.lessonNumber,
    startsAt: lesson.startsAt,
    endsAt: lesson.endsAt,
    teacherId: lesson.teacherId,
    substituteTeacherId: lesson.substituteTeacherId,
    lessonStatus: lesson.status,
  };
}

/** A record with no content yet: what a lesson's page shows before anything was entered. */
export function emptyRecord(lesson: RecordLesson): LessonRecord {
  return {
    ...lesson,
    topic: null,
    homework: null,
    individualHomework: [],
    marks: [],
    attendance: [],
    attendanceTaken: false,
    firstEntries: { topic: '', attendance: '', marks: '', homework: '' },
    version: 0,
    updatedAt: '',
  };
}

/** Whether a record has any content (schedule keeps a lesson with content). */
export function hasContent(record: LessonRecord): boolean {
  return (
    record.topic !== null ||
    record.homework !== null ||
    record.individualHomework.length > 0 ||
    record.marks.some((m) => m.status === 'active') ||
    record.attendance.length > 0
  );
}

/** Who keeps the journal of a lesson: its substitute while there is one, else its teacher (R1.5). */
export function journalKeeper(lesson: Pick<RecordLesson, 'teacherId' | 'substituteTeacherId'>): string {
  return lesson.substituteTeacherId || lesson.teacherId;
}

/** Arithmetic and weighted averages of numeric active marks (pass/fail and н/а, осв not counted). */
export function averages(marks: Pick<Mark, 'value' | 'weight' | 'status'>[]): {
  arithmetic: number;
  weighted: number;
  count: number;
} {
  let sum = 0;
  let weightedSum = 0;
  let weights = 0;
  let count = 0;
  for (const mark of marks) {
    const value = numericValue(mark.value);
    if (mark.status !== 'active' || value === null) continue;
    sum += value;
    weightedSum += value * mark.weight;
    weights += mark.weight;
    count += 1;
  }
  return {
    arithmetic: count === 0 ? 0 : round2(sum / count),
    weighted: weights === 0 ? 0 : round2(weightedSum / weights),
    count,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
