import { addDays } from '@edu/kit';
import type {
  AttendanceDoc,
  ClassDoc,
  Days,
  HomeworkDoc,
  LessonDoc,
  MarkDoc,
  PersonDoc,
  RecordDoc,
  SchoolDoc,
  StudentDoc,
  WeekDoc,
} from './model';

// The diary's answers assembled from read-model documents, pure: which lessons of a class-week
// are the student's, and what of each lesson the student (or their guardian) sees — only this
// student's marks, attendance and individual homework, never anyone else's.

/** The zone of a school roster has not told one of yet. */
export const FALLBACK_TIME_ZONE = 'Europe/Moscow';

export interface StudentCardView {
  studentId: string;
  displayName: string;
  schoolId: string;
  schoolName: string;
  classId: string;
  className: string;
  academicYearId: string;
  timeZone: string;
}

export interface MarkView {
  markId: string;
  value: string;
  workType: string;
  workTypeName: string;
  weight: number;
  comment: string;
  status: string;
  corrected: boolean;
  previousValues: string[];
  correctionReason: string;
  lessonId: string;
  date: string;
  subjectId: string;
  subjectName: string;
  lessonTopic: string;
  postedAt: string;
}

export interface HomeworkView {
  text: string;
  dueDate: string;
  attachments: string[];
  individual: boolean;
  subjectId: string;
  subjectName: string;
  lessonId: string;
  lessonDate: string;
}

export interface AttendanceView {
  kind: string;
  lateMinutes: number;
  reason: string;
  reasonName: string;
}

export interface LessonView {
  lessonId: string;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  subjectId: string;
  subjectName: string;
  subgroupName: string;
  teacherId: string;
  teacherName: string;
  substituteTeacherId: string;
  substituteTeacherName: string;
  room: string;
  status: string;
  notes: string[];
  topic: string;
  homework: HomeworkView[];
  marks: MarkView[];
  attendance: AttendanceView | null;
}

/** What a view of a student's lessons needs besides the lessons. */
export interface ViewOptions {
  studentId: string;
  /** The school shows why a mark was corrected. */
  showCorrectionReasons: boolean;
  /** Staff names by person id. */
  people: Map<string, PersonDoc>;
}

// --- Days ---------------------------------------------------------------------------------------

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the week of a date. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/** A date within a stretch of days ('' bounds are open). */
export function inDays(date: string, days: Days): boolean {
  return (days.from === '' || date >= days.from) && (days.until === '' || date < days.until);
}

/** A stretch overlaps [from, to] (both included). */
export function overlapsRange(days: Days, from: string, to: string): boolean {
  return (days.from === '' || days.from <= to) && (days.until === '' || days.until > from);
}

/** The Mondays of every week touching [from, to]. */
export function mondaysBetween(from: string, to: string): string[] {
  const mondays: string[] = [];
  for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) mondays.push(monday);
  return mondays;
}

/** DD.MM of a YYYY-MM-DD date. */
function dayMonth(date: string): string {
  const [, month, day] = date.split('-');
  return `${day}.${month}`;
}

// --- The student ---------------------------------------------------------------------------------

/** The class stint covering a date, else the latest one (null when the student has none). */
export function stintOn(student: StudentDoc, date: string): StudentDoc['classStints'][number] | null {
  const covering = student.classStints.filter((s) => inDays(date, s));
  const pool = covering.length > 0 ? covering : student.classStints;
  return [...pool].sort((a, b) => a.from.localeCompare(b.from)).at(-1) ?? null;
}

/** The unique class ids of the student's stints overlapping [from, to]. */
export function classIdsBetween(student: StudentDoc, from: string, to: string): string[] {
  return [...new Set(student.classStints.filter((s) => overlapsRange(s, from, to)).map((s) => s.classId))];
}

export function studentCard(
  student: StudentDoc,
  date: string,
  docs: { person: PersonDoc | null; classes: ClassDoc[]; school: SchoolDoc | null },
): StudentCardView {
  const stint = stintOn(student, date);
  const schoolClass = stint ? docs.classes.find((c) => c._id === stint.classId) : undefined;
  return {
    studentId: student._id,
    displayName: docs.person?.displayName ?? '',
    schoolId: student.schoolId,
    schoolName: docs.school?.name ?? '',
    classId: stint?.classId ?? '',
    className: schoolClass?.name ?? '',
    academicYearId: stint?.academicYearId ?? schoolClass?.academicYearId ?? '',
    timeZone: docs.school?.timeZone || FALLBACK_TIME_ZONE,
  };
}

function touchesStudent(record: RecordDoc | null, studentId: string): boolean {
  if (!record) return false;
  return (
    record.marks.some((m) => m.studentId === studentId) ||
    record.attendance.some((a) => a.studentId === studentId) ||
    record.individualHomework.some((h) => h.studentId === studentId)
  );
}

/**
 * The student's lessons of a class-week: dated within a stint in that class, of the whole class
 * or of a subgroup the student is in that day (or a lesson the journal recorded them in).
 */
export function studentLessons(student: StudentDoc, week: WeekDoc): LessonDoc[] {
  const stints = student.classStints.filter((s) => s.classId === week.classId);
  return week.lessons.filter((lesson) => {
    if (!stints.some((s) => inDays(lesson.date, s))) return false;
    if (lesson.subgroupId === '') return true;
    const member = student.subgroupStints.some(
      (s) => s.subgroupId === lesson.subgroupId && inDays(lesson.date, s),
    );
    return member || touchesStudent(lesson.record, student._id);
  });
}

/** A lesson with the class it belongs to. */
export interface ClassLesson {
  classId: string;
  lesson: LessonDoc;
}

/** The student's lessons of every loaded class-week, ordered by date, number, start, subgroup. */
export function studentLessonsOf(student: StudentDoc, weeks: WeekDoc[]): ClassLesson[] {
  const result: ClassLesson[] = [];
  for (const week of weeks) {
    for (const lesson of studentLessons(student, week)) result.push({ classId: week.classId, lesson });
  }
  return result.sort(
    (a, b) =>
      a.lesson.date.localeCompare(b.lesson.date) ||
      a.lesson.lessonNumber - b.lesson.lessonNumber ||
      a.lesson.startsAt.localeCompare(b.lesson.startsAt) ||
      a.lesson.subgroupName.localeCompare(b.lesson.subgroupName),
  );
}

// --- A lesson as the diary shows it -----------------------------------------------------------------

/** «Иванова А. П.» from «Иванова Анна Петровна»; one word stays as it is. */
export function shortName(displayName: string): string {
  const [surname, ...rest] = displayName.trim().split(/\s+/).filter(Boolean);
  if (!surname) return '';
  if (rest.length === 0) return surname;
  return `${surname} ${rest.map((w) => `${w.charAt(0).toUpperCase()}.`).join(' ')}`;
}

function staffName(people: Map<string, PersonDoc>, personId: string): string {
  if (!personId) return '';
  return shortName(people.get(personId)?.displayName ?? '');
}

const REASON_NAMES: Record<string, string> = {
  illness: 'уважительная (болезнь)',
  application: 'уважительная (заявление)',
  other: 'уважительная (другая причина)',
  unexcused: 'неуважительная',
  '': 'причина не указана',
};

export const EXCUSED_REASONS = ['illness', 'application', 'other'];

export function attendanceView(attendance: AttendanceDoc): AttendanceView {
  return {
    kind: attendance.kind,
    lateMinutes: attendance.lateMinutes,
    reason: attendance.reason,
    reasonName: REASON_NAMES[attendance.reason] ?? REASON_NAMES['']!,
  };
}

/** A mark as this student's diary shows it: values before, oldest first; the reason if allowed. */
export function markView(mark: MarkDoc, lesson: LessonDoc, showCorrectionReasons: boolean): MarkView {
  const steps = mark.history.filter((h) => h.kind !== 'posted');
  // Every value the mark had, the current one last ('' once voided).
  const chain = [mark.postedValue, ...steps.map((h) => h.value)];
  const previousValues = chain.slice(0, -1).filter((v) => v !== '');
  const reason = [...steps].reverse().find((h) => h.reason !== '')?.reason ?? '';
  return {
    markId: mark.markId,
    value: mark.status === 'voided' ? '' : mark.value,
    workType: mark.workType,
    workTypeName: mark.workTypeName,
    weight: mark.weight,
    comment: mark.comment,
    status: mark.status,
    corrected: mark.corrected || mark.status === 'voided' || steps.length > 0,
    previousValues,
    correctionReason: showCorrectionReasons ? reason : '',
    lessonId: lesson.lessonId,
    date: lesson.date,
    subjectId: lesson.subjectId,
    subjectName: lesson.subjectName,
    lessonTopic: lesson.record?.topic ?? '',
    postedAt: mark.postedAt,
  };
}

/** This student's marks of a lesson, in the order given. */
export function studentMarks(
  lesson: LessonDoc,
  studentId: string,
  showCorrectionReasons: boolean,
): MarkView[] {
  return (lesson.record?.marks ?? [])
    .filter((m) => m.studentId === studentId)
    .map((m) => markView(m, lesson, showCorrectionReasons));
}

/**
 * The day homework is due when the teacher gave none: the next lesson of the same subject and
 * subgroup of the class that is not cancelled, among `pool` ('' when none is loaded).
 */
export function nextLessonDate(lesson: LessonDoc, classId: string, pool: ClassLesson[]): string {
  let next = '';
  for (const other of pool) {
    const l = other.lesson;
    if (other.classId !== classId || l.status === 'cancelled' || l.date <= lesson.date) continue;
    if (l.subjectId !== lesson.subjectId || l.subgroupId !== lesson.subgroupId) continue;
    if (next === '' || l.date < next) next = l.date;
  }
  return next;
}

function homeworkView(
  homework: HomeworkDoc,
  lesson: LessonDoc,
  classId: string,
  pool: ClassLesson[],
): HomeworkView {
  return {
    text: homework.text,
    dueDate: homework.dueDate || nextLessonDate(lesson, classId, pool),
    attachments: [...homework.attachments],
    individual: homework.studentId !== '',
    subjectId: lesson.subjectId,
    subjectName: lesson.subjectName,
    lessonId: lesson.lessonId,
    lessonDate: lesson.date,
  };
}

/** The general homework of a lesson and this student's own (never another student's). */
export function studentHomework(
  lesson: LessonDoc,
  classId: string,
  studentId: string,
  pool: ClassLesson[],
): HomeworkView[] {
  const record = lesson.record;
  if (!record) return [];
  const given = [
    ...(record.homework && record.homework.text ? [record.homework] : []),
    ...record.individualHomework.filter((h) => h.studentId === studentId),
  ];
  return given.map((h) => homeworkView(h, lesson, classId, pool));
}

/** «Урок отменён», «Замена: Иванова А. П.», «Перенесён с 12.10». */
export function lessonNotes(lesson: LessonDoc, people: Map<string, PersonDoc>): string[] {
  const notes: string[] = [];
  if (lesson.status === 'cancelled') {
    notes.push('Урок отменён');
    if (lesson.cancellationReason) notes.push(`Причина: ${lesson.cancellationReason}`);
  }
  if (lesson.substituteTeacherId) {
    const name = staffName(people, lesson.substituteTeacherId);
    notes.push(name ? `Замена: ${name}` : 'Замена учителя');
  }
  if (lesson.movedFromDate) notes.push(`Перенесён с ${dayMonth(lesson.movedFromDate)}`);
  return notes;
}

export function lessonView(entry: ClassLesson, pool: ClassLesson[], options: ViewOptions): LessonView {
  const { lesson, classId } = entry;
  const attendance = lesson.record?.attendance.find((a) => a.studentId === options.studentId);
  return {
    lessonId: lesson.lessonId,
    lessonNumber: lesson.lessonNumber,
    startsAt: lesson.startsAt,
    endsAt: lesson.endsAt,
    subjectId: lesson.subjectId,
    subjectName: lesson.subjectName,
    subgroupName: lesson.subgroupId ? lesson.subgroupName : '',
    teacherId: lesson.teacherId,
    teacherName: staffName(options.people, lesson.teacherId),
    substituteTeacherId: lesson.substituteTeacherId,
    substituteTeacherName: staffName(options.people, lesson.substituteTeacherId),
    room: lesson.room,
    status: lesson.status,
    notes: lessonNotes(lesson, options.people),
    topic: lesson.record?.topic ?? '',
    homework: studentHomework(lesson, classId, options.studentId, pool),
    marks: studentMarks(lesson, options.studentId, options.showCorrectionReasons),
    attendance: attendance ? attendanceView(attendance) : null,
  };
}

/** The staff ids the lessons name (teachers and substitutes). */
export function staffIdsOf(lessons: ClassLesson[]): string[] {
  const ids = new Set<string>();
  for (const { lesson } of lessons) {
    if (lesson.teacherId) ids.add(lesson.teacherId);
    if (lesson.substituteTeacherId) ids.add(lesson.substituteTeacherId);
  }
  return [...ids];
}
