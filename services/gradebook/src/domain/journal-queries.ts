import type { CopiedPerson, Course, CourseLesson, Days, Stint } from './copies';
import { overlaps } from './course-students';
import { addDays, daysBetween, localDate } from '@edu/kit';
import type { Scale } from './grading-policy';
import {
  averages,
  emptyRecord,
  hasContent,
  journalKeeper,
  recordLesson,
  type LessonRecord,
} from './lesson-record';
import { periodMarkId, type PeriodMark } from './ports';
import { within } from './study-periods';

// Assembly of the journal's read views from what the use cases loaded by computed ids: the
// students of a period, the lessons with their records, averages, what a lesson still lacks and
// the journal-keeping rows (R8.1). Pure: no store, no clock (instants come in).

/** A student of a journal page: in the course from `from` until `until` ('' while in it). */
export interface JournalStudent {
  studentId: string;
  displayName: string;
  from: string;
  until: string;
}

/**
 * The students who belong to the course on some day of the period, by display name (Russian
 * collation). A student with several stretches in the period gets one row spanning them: the page
 * greys out the days between by the lessons' dates, not by separate rows.
 */
export function periodStudents(stints: Stint[], period: Days, people: CopiedPerson[]): JournalStudent[] {
  const spans = new Map<string, { from: string; until: string }>();
  for (const stint of stints) {
    if (!overlaps(stint, period)) continue;
    const span = spans.get(stint.studentId);
    if (!span) {
      spans.set(stint.studentId, { from: stint.from, until: stint.until });
      continue;
    }
    if (stint.from < span.from) span.from = stint.from;
    if (span.until !== '' && (stint.until === '' || stint.until > span.until)) span.until = stint.until;
  }
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  return [...spans]
    .map(([studentId, span]) => ({ studentId, displayName: names.get(studentId) ?? studentId, ...span }))
    .sort(
      (a, b) => a.displayName.localeCompare(b.displayName, 'ru') || a.studentId.localeCompare(b.studentId),
    );
}

/**
 * A lesson's record as the journal shows it: the stored one (or an empty one) with the lesson's
 * part as schedule tells it now (a lesson moved after its record was written shows its new day).
 */
export function lessonRecordOf(
  course: Course,
  lesson: CourseLesson,
  stored: LessonRecord | undefined,
): LessonRecord {
  const current = recordLesson(course, lesson);
  return stored ? { ...stored, ...current } : emptyRecord(current);
}

/** The course's lessons on some days (date, then number), each with its record; cancelled ones only with content. */
export function lessonsWithRecords(course: Course, days: Days, stored: LessonRecord[]): LessonRecord[] {
  const byId = new Map(stored.map((r) => [r.lessonId, r]));
  return course.lessons
    .filter((lesson) => within(lesson.date, days))
    .map((lesson) => lessonRecordOf(course, lesson, byId.get(lesson.lessonId)))
    .filter((record) => record.lessonStatus !== 'cancelled' || hasContent(record))
    .sort(compareRecords);
}

/** Date, then lesson number. */
export function compareRecords(a: LessonRecord, b: LessonRecord): number {
  return a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber;
}

/** A student's averages and attendance over a page's lessons. */
export interface StudentSummary {
  studentId: string;
  arithmeticAverage: number;
  weightedAverage: number;
  marksCount: number;
  absences: number;
  latenesses: number;
}

/** Per student (in the given order): averages of their active marks, lessons missed and late. */
export function studentSummaries(studentIds: string[], records: LessonRecord[]): StudentSummary[] {
  return studentIds.map((studentId) => {
    const marks = records.flatMap((r) => r.marks.filter((m) => m.studentId === studentId));
    const attendance = records.flatMap((r) => r.attendance.filter((a) => a.studentId === studentId));
    const { arithmetic, weighted, count } = averages(marks);
    return {
      studentId,
      arithmeticAverage: arithmetic,
      weightedAverage: weighted,
      marksCount: count,
      absences: attendance.filter((a) => a.kind === 'absent').length,
      latenesses: attendance.filter((a) => a.kind === 'late').length,
    };
  });
}

/**
 * The ids of the period marks a page shows: each student's mark of the period, and their year,
 * exam and final marks when the period is the year's last.
 */
export function periodMarkIdsOf(
  course: Pick<Course, 'academicYearId' | 'subjectId'>,
  studentIds: string[],
  period: number,
  lastPeriod: boolean,
): string[] {
  const kinds: { kind: PeriodMark['kind']; period: number }[] = [{ kind: 'period', period }];
  if (lastPeriod)
    kinds.push({ kind: 'year', period: 0 }, { kind: 'exam', period: 0 }, { kind: 'final', period: 0 });
  return studentIds.flatMap((studentId) =>
    kinds.map((k) =>
      periodMarkId({ academicYearId: course.academicYearId, subjectId: course.subjectId, studentId, ...k }),
    ),
  );
}

/** What a lesson's record still lacks: "topic", "attendance", "homework", "marks" (none on a scale without marks). */
export function missingItems(record: LessonRecord, scale: Scale): string[] {
  const missing: string[] = [];
  if (record.topic === null) missing.push('topic');
  if (!record.attendanceTaken) missing.push('attendance');
  if (record.homework === null && record.individualHomework.length === 0) missing.push('homework');
  if (scale !== 'none' && !record.marks.some((m) => m.status === 'active')) missing.push('marks');
  return missing;
}

/** The Monday of a day's week, YYYY-MM-DD. */
export function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** Days of a range, both ends included (1 for a single day). */
export function daysInRange(from: string, to: string): number {
  return daysBetween(from, to) + 1;
}

/** When a record got its first content (the earliest of its first entries), '' when it has none. */
export function firstEntryOf(record: LessonRecord): string {
  const entries = Object.values(record.firstEntries).filter(Boolean).sort();
  return entries[0] ?? '';
}

/** A lesson seen by journal-keeping: its record, whether it was held, students on its day, the school's zone. */
export interface KeptLesson {
  course: Course;
  record: LessonRecord;
  /** Ended before now and not cancelled. */
  held: boolean;
  students: number;
  timeZone: string;
}

/** One row of journal-keeping (R8.1): a teacher's course over a week. */
export interface KeepingRow {
  teacherId: string;
  courseId: string;
  course: Course;
  /** Monday of the week. */
  week: string;
  lessonsHeld: number;
  topicsEntered: number;
  homeworkEntered: number;
  attendanceTaken: number;
  enteredOnTime: number;
  enteredLate: number;
  marks: number;
  marksDensity: number;
}

/**
 * Journal-keeping rows per journal keeper × course × week over held lessons: what was entered,
 * whether the first entry came on the lesson's day (school time) or later, and marks per student
 * per lesson. Rows in teacher, week, course order (names are the caller's to sort by).
 */
export function keepingRows(lessons: KeptLesson[]): KeepingRow[] {
  const rows = new Map<string, KeepingRow & { studentLessons: number }>();
  for (const { course, record, held, students, timeZone } of lessons) {
    if (!held) continue;
    const teacherId = journalKeeper(record);
    const week = mondayOf(record.date);
    const key = `${teacherId}|${course.id}|${week}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        teacherId,
        courseId: course.id,
        course,
        week,
        lessonsHeld: 0,
        topicsEntered: 0,
        homeworkEntered: 0,
        attendanceTaken: 0,
        enteredOnTime: 0,
        enteredLate: 0,
        marks: 0,
        marksDensity: 0,
        studentLessons: 0,
      };
      rows.set(key, row);
    }
    row.lessonsHeld += 1;
    row.studentLessons += students;
    if (record.topic !== null) row.topicsEntered += 1;
    if (record.homework !== null || record.individualHomework.length > 0) row.homeworkEntered += 1;
    if (record.attendanceTaken) row.attendanceTaken += 1;
    const first = firstEntryOf(record);
    if (first) {
      if (localDate(new Date(first), timeZone) <= record.date) row.enteredOnTime += 1;
      else row.enteredLate += 1;
    }
    row.marks += record.marks.filter((m) => m.status === 'active').length;
  }
  return [...rows.values()]
    .map(({ studentLessons, ...row }) => ({
      ...row,
      marksDensity: studentLessons === 0 ? 0 : Math.round((row.marks / studentLessons) * 100) / 100,
    }))
    .sort(
      (a, b) =>
        a.teacherId.localeCompare(b.teacherId) ||
        a.week.localeCompare(b.week) ||
        a.courseId.localeCompare(b.courseId),
    );
}
