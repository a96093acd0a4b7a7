import { hoursInPeriod, type Curriculum, type StudyWeeks } from './curriculum';
import type { Lesson } from './lesson';

// Curriculum fulfilment (выполнение учебного плана, R2.3, R5.9 hours side): per class × subject
// (× subgroup where the subject is split) × study period, the hours the plan asks for, the
// lessons the timetable and its changes give, and the lessons held so far. A lesson is held when
// it is not cancelled and has ended (the school's local time).

/** One line of the answer. */
export interface FulfilmentRow {
  period: number;
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  /** '' for the whole class. */
  subgroupId: string;
  subgroupName: string;
  /** Hours of the plan in the period: weekly hours × weeks of study; 0 when the plan lacks the subject. */
  planned: number;
  /** Lessons not cancelled in the period (held ones included). */
  scheduled: number;
  /** Of those, the ones that have ended. */
  held: number;
  /** Lessons cancelled (by hand or by a regeneration). */
  cancelled: number;
}

/** "Now" in the school's time zone: the day and the time of day. */
export interface LocalNow {
  date: string;
  /** HH:MM. */
  time: string;
}

/** Whether a lesson has taken place by `now`: scheduled, and its end has passed. */
export function isHeld(lesson: Pick<Lesson, 'status' | 'date' | 'endsAt'>, now: LocalNow): boolean {
  if (lesson.status !== 'scheduled') return false;
  return lesson.date < now.date || (lesson.date === now.date && lesson.endsAt <= now.time);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * The rows of a class: every line of its plan in every period of the grade (once per subgroup
 * that has lessons of it, or once for the class), and every subject with lessons but no line.
 * Ordered by period, then the plan's order, then subgroup name.
 */
export function fulfilmentOf(
  curriculum: Pick<Curriculum, 'lines'> | null,
  weeks: StudyWeeks,
  lessons: Lesson[],
  now: LocalNow,
): FulfilmentRow[] {
  const rows = new Map<string, FulfilmentRow>();
  const keyOf = (period: number, subjectId: string, subgroupId: string) =>
    `${period}|${subjectId}|${subgroupId}`;
  const lines = curriculum?.lines ?? [];
  const lineOrder = new Map(lines.map((line, i) => [line.subjectId, i]));
  const plannedOf = (period: number, subjectId: string) => {
    const line = lines.find((l) => l.subjectId === subjectId);
    const periodWeeks = weeks.periods.find((p) => p.number === period)?.weeks ?? 0;
    return line ? round2(hoursInPeriod(line, period) * periodWeeks) : 0;
  };
  for (const lesson of lessons) {
    const key = keyOf(lesson.period, lesson.subjectId, lesson.subgroupId);
    let row = rows.get(key);
    if (!row) {
      row = {
        period: lesson.period,
        subjectId: lesson.subjectId,
        subjectKey: lesson.subjectKey,
        subjectName: lesson.subjectName,
        subgroupId: lesson.subgroupId,
        subgroupName: lesson.subgroupName,
        planned: plannedOf(lesson.period, lesson.subjectId),
        scheduled: 0,
        held: 0,
        cancelled: 0,
      };
      rows.set(key, row);
    }
    if (lesson.status === 'cancelled') row.cancelled += 1;
    else row.scheduled += 1;
    if (isHeld(lesson, now)) row.held += 1;
  }
  const withLessons = new Set([...rows.values()].map((r) => `${r.period}|${r.subjectId}`));
  for (const period of weeks.periods) {
    for (const line of lines) {
      if (withLessons.has(`${period.number}|${line.subjectId}`)) continue;
      rows.set(keyOf(period.number, line.subjectId, ''), {
        period: period.number,
        subjectId: line.subjectId,
        subjectKey: line.subjectKey,
        subjectName: line.subjectName,
        subgroupId: '',
        subgroupName: '',
        planned: plannedOf(period.number, line.subjectId),
        scheduled: 0,
        held: 0,
        cancelled: 0,
      });
    }
  }
  const order = (row: FulfilmentRow) => lineOrder.get(row.subjectId) ?? lines.length;
  return [...rows.values()].sort(
    (a, b) =>
      a.period - b.period ||
      order(a) - order(b) ||
      a.subjectName.localeCompare(b.subjectName, 'ru') ||
      a.subgroupName.localeCompare(b.subgroupName, 'ru'),
  );
}
