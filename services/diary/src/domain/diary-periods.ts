import { averagesOf, forecastOf, type ForecastResult } from './forecast';
import { EXCUSED_REASONS, studentMarks, type ClassLesson, type MarkView } from './diary-queries';
import type { PeriodMarkDoc, PolicyDoc, SubjectDoc, YearDoc } from './model';

// A student's study period, pure: which period is meant, the marks of each subject in it with
// averages, period mark and forecast, attendance counts, and the year's final marks.

export interface StudyPeriod {
  number: number;
  startsOn: string;
  endsOn: string;
  name: string;
}

const PERIOD_WORDS: Record<string, string> = {
  quarter: 'четверть',
  trimester: 'триместр',
  half_year: 'полугодие',
};

/** The periods of a grade in a year (the scheme listing the grade), ordered by number. */
export function periodsOf(year: YearDoc | null, grade: number): StudyPeriod[] {
  const scheme = year?.periodSchemes.find((s) => s.grades.includes(grade));
  if (!scheme) return [];
  const word = PERIOD_WORDS[scheme.kind] ?? 'период';
  return [...scheme.periods]
    .sort((a, b) => a.number - b.number)
    .map((p) => ({ number: p.number, startsOn: p.startsOn, endsOn: p.endsOn, name: `${p.number} ${word}` }));
}

/**
 * The period asked for: by number, or for 0 the one containing today, else the last that has
 * started, else the first. Null when there is no such period.
 */
export function pickPeriod(periods: StudyPeriod[], number: number, today: string): StudyPeriod | null {
  if (number > 0) return periods.find((p) => p.number === number) ?? null;
  return (
    periods.find((p) => p.startsOn <= today && today <= p.endsOn) ??
    periods.filter((p) => p.startsOn <= today).at(-1) ??
    periods[0] ??
    null
  );
}

export interface PeriodMarkView {
  subjectId: string;
  subjectName: string;
  kind: string;
  period: number;
  value: string;
  corrected: boolean;
  previousValues: string[];
  setAt: string;
}

export function periodMarkView(mark: PeriodMarkDoc, subjectName: string): PeriodMarkView {
  return {
    subjectId: mark.subjectId,
    subjectName,
    kind: mark.kind,
    period: mark.period,
    value: mark.value,
    corrected: mark.corrected,
    previousValues: [...mark.previousValues],
    setAt: mark.setAt,
  };
}

/** Subject names: from the lessons, else the catalogue, else the subject's key (or id). */
export function subjectNames(lessons: ClassLesson[], subjects: SubjectDoc[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const subject of subjects) if (subject.name) names.set(subject._id, subject.name);
  for (const { lesson } of lessons) if (lesson.subjectName) names.set(lesson.subjectId, lesson.subjectName);
  return names;
}

export function nameOf(names: Map<string, string>, subjectId: string, fallback: string): string {
  return names.get(subjectId) ?? (fallback || subjectId);
}

/** The student's period mark of a subject for the period, if set. */
export function periodMarkOf(
  marks: PeriodMarkDoc[],
  academicYearId: string,
  subjectId: string,
  period: number,
): PeriodMarkDoc | null {
  return (
    marks.find(
      (m) =>
        m.academicYearId === academicYearId &&
        m.subjectId === subjectId &&
        m.kind === 'period' &&
        m.period === period,
    ) ?? null
  );
}

const FINAL_KINDS = ['year', 'exam', 'final'];

/** The year, exam and final marks of a year, by subject name then kind. */
export function finalMarks(
  marks: PeriodMarkDoc[],
  academicYearId: string,
  names: Map<string, string>,
): PeriodMarkView[] {
  return marks
    .filter((m) => m.academicYearId === academicYearId && FINAL_KINDS.includes(m.kind))
    .map((m) => periodMarkView(m, nameOf(names, m.subjectId, m.subjectKey)))
    .sort(
      (a, b) =>
        a.subjectName.localeCompare(b.subjectName, 'ru') ||
        FINAL_KINDS.indexOf(a.kind) - FINAL_KINDS.indexOf(b.kind),
    );
}

/** A subject of the period: the student's marks in it (oldest first) and what follows from them. */
export interface SubjectPeriod {
  subjectId: string;
  subjectName: string;
  marks: MarkView[];
  /** Active marks (numeric or not). */
  marksCount: number;
  arithmeticAverage: number;
  weightedAverage: number;
  forecast: ForecastResult;
  periodMark: PeriodMarkView | null;
  absences: number;
  latenesses: number;
}

/** The lessons of the period (dated inside it). */
export function lessonsIn(lessons: ClassLesson[], period: StudyPeriod): ClassLesson[] {
  return lessons.filter((l) => l.lesson.date >= period.startsOn && l.lesson.date <= period.endsOn);
}

/** Subject ids in order of their names. */
export function orderSubjects(subjectIds: string[], names: Map<string, string>): string[] {
  const ids = [...new Set(subjectIds)];
  return ids.sort(
    (a, b) => nameOf(names, a, '').localeCompare(nameOf(names, b, ''), 'ru') || a.localeCompare(b),
  );
}

export function subjectPeriod(input: {
  subjectId: string;
  subjectName: string;
  /** The student's lessons of the period (any subject). */
  lessons: ClassLesson[];
  studentId: string;
  periodMarks: PeriodMarkDoc[];
  academicYearId: string;
  period: number;
  policy: PolicyDoc | null;
  showCorrectionReasons: boolean;
}): SubjectPeriod {
  const lessons = input.lessons.filter((l) => l.lesson.subjectId === input.subjectId);
  const marks = lessons
    .flatMap((l) => studentMarks(l.lesson, input.studentId, input.showCorrectionReasons))
    .sort((a, b) => a.date.localeCompare(b.date) || a.postedAt.localeCompare(b.postedAt));
  // Voided marks show only ''; the averages and the forecast read the active ones.
  const averages = averagesOf(marks);
  let absences = 0;
  let latenesses = 0;
  for (const { lesson } of lessons) {
    const attendance = lesson.record?.attendance.find((a) => a.studentId === input.studentId);
    if (attendance?.kind === 'absent') absences += 1;
    if (attendance?.kind === 'late') latenesses += 1;
  }
  const periodMark = periodMarkOf(input.periodMarks, input.academicYearId, input.subjectId, input.period);
  return {
    subjectId: input.subjectId,
    subjectName: input.subjectName,
    marks,
    marksCount: marks.filter((m) => m.status === 'active').length,
    arithmeticAverage: averages.arithmetic,
    weightedAverage: averages.weighted,
    forecast: forecastOf(marks, input.policy),
    periodMark: periodMark ? periodMarkView(periodMark, input.subjectName) : null,
    absences,
    latenesses,
  };
}

export interface AttendanceCounts {
  absences: number;
  excused: number;
  unexcused: number;
  latenesses: number;
}

/** The student's absences (excused, unexcused) and latenesses over the lessons. */
export function attendanceCounts(lessons: ClassLesson[], studentId: string): AttendanceCounts {
  const counts: AttendanceCounts = { absences: 0, excused: 0, unexcused: 0, latenesses: 0 };
  for (const { lesson } of lessons) {
    const attendance = lesson.record?.attendance.find((a) => a.studentId === studentId);
    if (!attendance) continue;
    if (attendance.kind === 'late') counts.latenesses += 1;
    if (attendance.kind !== 'absent') continue;
    counts.absences += 1;
    if (EXCUSED_REASONS.includes(attendance.reason)) counts.excused += 1;
    else if (attendance.reason === 'unexcused') counts.unexcused += 1;
  }
  return counts;
}
