import type { FieldError } from '@edu/kit';
import { SCHEDULE_ID_NAMESPACE } from './bell-schedule';
import type { CopiedCalendar } from './roster-copy';
import { uuidV5 } from './subject-catalogue';
import { isDate, type DayRange } from './teaching-assignment';
import type { PublishedClassTimetable, WeekParity } from './timetable';

// Dated lessons (уроки): the published weekly template of a study period laid out on the days of
// the period by roster's calendar. Pure rules here: which days are school days for a grade, which
// lessons a class has on them, and what changes when a period is generated again.

export type LessonStatus = 'scheduled' | 'cancelled';
export type LessonOrigin = 'timetable' | 'extra';

/** Why a regeneration cancels a lesson; a lesson cancelled for another reason was cancelled by hand. */
export const REGENERATION_REASONS = ['timetable_changed', 'calendar_changed'] as const;
export type RegenerationReason = (typeof REGENERATION_REASONS)[number];

/** What a regeneration decides for a lesson: everything but status, version, flags and timestamps. */
export interface PlannedLesson {
  /** `lessonId(classId, subgroupId, date, lessonNumber)`. */
  id: string;
  schoolId: string;
  academicYearId: string;
  period: number;
  classId: string;
  className: string;
  /** '' for the whole class. */
  subgroupId: string;
  subgroupName: string;
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  subjectShortName: string;
  teacherId: string;
  /** YYYY-MM-DD. */
  date: string;
  lessonNumber: number;
  /** HH:MM, the school's local time (the bells at publication). */
  startsAt: string;
  endsAt: string;
  room: string;
}

/** A dated lesson as stored. */
export interface Lesson extends PlannedLesson {
  status: LessonStatus;
  origin: LessonOrigin;
  /** A regeneration reason or a manager's; '' unless cancelled. */
  cancellationReason: string;
  /** The teacher approved to substitute for this lesson (R4.3, R1.5); '' when none. */
  substituteTeacherId: string;
  /** Why the substitute was assigned (or the last one revoked); '' when never. */
  substitutionReason: string;
  /** Account id of the director or deputy who approved (or revoked) the substitution; '' when never. */
  substitutionApprovedBy: string;
  /** The day the lesson had in the timetable before a manager moved it; '' unless moved. */
  movedFromDate: string;
  /** Its lesson number then; 0 unless moved. */
  movedFromLessonNumber: number;
  /** A manager's reason for moving it or adding it beyond the timetable; '' otherwise. */
  changeReason: string;
  /** Gradebook has a record with content for it (gradebook's `lesson.record_changed`). */
  hasJournalContent: boolean;
  /** Gradebook's record version behind `hasJournalContent` (0: never told). */
  journalVersion: number;
  /** No longer in the template or the calendar but kept for its journal content: to decide. */
  needsDecision: boolean;
  /** 1 when generated, +1 per change (the events' aggregate version). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type LessonEventType =
  | 'edu.schedule.lesson.scheduled'
  | 'edu.schedule.lesson.rescheduled'
  | 'edu.schedule.lesson.cancelled'
  | 'edu.schedule.substitution.assigned'
  | 'edu.schedule.substitution.revoked';

/** What a rescheduling changed ("date": moved to another day or lesson number). */
export type LessonChangeKind = 'date' | 'time' | 'teacher' | 'room' | 'subject';

/** One lesson's new state, what it was at (0: new) and the fact to publish (none for flags only). */
export interface LessonChange {
  lesson: Lesson;
  previousVersion: number;
  event?: {
    type: LessonEventType;
    changed: LessonChangeKind[];
    /** For `substitution.revoked`: the substitute who no longer substitutes. */
    previousSubstituteTeacherId?: string;
  };
}

/** The lesson's id: the same for a class (or subgroup), date and lesson number at every generation. */
export function lessonId(classId: string, subgroupId: string, date: string, lessonNumber: number): string {
  return uuidV5(`lesson:${classId}:${subgroupId}:${date}:${lessonNumber}`, SCHEDULE_ID_NAMESPACE);
}

// Dates are plain YYYY-MM-DD days of the school's calendar; computed in UTC so that no time zone
// or daylight saving shifts them.

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday: 1 (Monday) .. 7 (Sunday). */
export function isoWeekday(date: string): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

function inDays(date: string, days: { startsOn: string; endsOn: string }): boolean {
  return days.startsOn <= date && date <= days.endsOn;
}

/** A school day of a class's period: the weekday whose lessons it has, and its week of the period. */
export interface SchoolDay {
  date: string;
  /** 1..6: the date's own weekday, or the one a transfer makes it work as. */
  weekday: number;
  /** 1 for the calendar week (Monday–Sunday) of the period's first day, then +1 per week. */
  week: number;
}

/** Odd weeks are the 1st, 3rd, … of the period. */
export function parityOfWeek(week: number): Exclude<WeekParity, 'every'> {
  return week % 2 === 1 ? 'odd' : 'even';
}

/**
 * The school days of a grade in a period's days: every day but Sundays, holidays (the whole
 * school's) and closures of the grade (a closure without grades closes the whole school). A
 * transferred weekend day works as the weekday it names (1..6) — but not on a holiday or a
 * closure, which win. Weeks count calendar weeks from the one of the period's first day (week 1,
 * odd), holiday weeks included, so that odd and even weeks alternate with the calendar whatever
 * falls in between; a transferred day is of its own calendar week.
 */
export function schoolDaysOf(
  calendar: CopiedCalendar | undefined,
  grade: number,
  days: DayRange,
): SchoolDay[] {
  if (!days.startsOn || !days.endsOn || days.startsOn > days.endsOn) return [];
  const holidays = calendar?.holidays ?? [];
  const closures = (calendar?.closures ?? []).filter(
    (c) => c.grades.length === 0 || c.grades.includes(grade),
  );
  const transfers = new Map((calendar?.transfers ?? []).map((t) => [t.date, t.worksAs]));
  const first = dayNumber(days.startsOn);
  const firstMonday = first - (isoWeekday(days.startsOn) - 1);
  const result: SchoolDay[] = [];
  for (let day = first; day <= dayNumber(days.endsOn); day += 1) {
    const date = dateOf(day);
    if (holidays.some((h) => inDays(date, h)) || closures.some((c) => inDays(date, c))) continue;
    const worksAs = transfers.get(date);
    const weekday = worksAs !== undefined && worksAs >= 1 && worksAs <= 6 ? worksAs : isoWeekday(date);
    if (weekday === 7) continue;
    result.push({ date, weekday, week: Math.floor((day - firstMonday) / 7) + 1 });
  }
  return result;
}

/** The days both ranges share (a period is cut to its year). */
export function intersectDays(a: DayRange, b: DayRange): DayRange {
  return {
    startsOn: a.startsOn > b.startsOn ? a.startsOn : b.startsOn,
    endsOn: a.endsOn < b.endsOn ? a.endsOn : b.endsOn,
  };
}

/** What a class's published week needs besides itself. */
export interface LessonNames {
  subjects: ReadonlyMap<string, { key: string; name: string; shortName: string }>;
  subgroupNames: ReadonlyMap<string, string>;
}

/** The lessons of a class's published week on its school days: each entry on each day of its weekday and weeks. */
export function plannedLessonsOf(
  scope: { schoolId: string; academicYearId: string; period: number },
  week: PublishedClassTimetable,
  days: SchoolDay[],
  names: LessonNames,
): PlannedLesson[] {
  const byWeekday = new Map<number, PublishedClassTimetable['entries']>();
  for (const entry of week.entries)
    byWeekday.set(entry.weekday, [...(byWeekday.get(entry.weekday) ?? []), entry]);
  return days.flatMap((day) =>
    (byWeekday.get(day.weekday) ?? [])
      .filter((entry) => entry.weekParity === 'every' || entry.weekParity === parityOfWeek(day.week))
      .map((entry) => {
        const subject = names.subjects.get(entry.subjectId);
        return {
          id: lessonId(week.classId, entry.subgroupId, day.date, entry.lessonNumber),
          ...scope,
          classId: week.classId,
          className: week.className,
          subgroupId: entry.subgroupId,
          subgroupName: entry.subgroupId ? (names.subgroupNames.get(entry.subgroupId) ?? '') : '',
          subjectId: entry.subjectId,
          subjectKey: subject?.key ?? entry.subjectKey,
          subjectName: subject?.name ?? '',
          subjectShortName: subject?.shortName ?? '',
          teacherId: entry.teacherId,
          date: day.date,
          lessonNumber: entry.lessonNumber,
          startsAt: entry.startsAt,
          endsAt: entry.endsAt,
          room: entry.room,
        };
      }),
  );
}

/** What a change of the plan changes in a lesson people rely on. */
export function changesOf(stored: PlannedLesson, planned: PlannedLesson): LessonChangeKind[] {
  const changed: LessonChangeKind[] = [];
  if (stored.startsAt !== planned.startsAt || stored.endsAt !== planned.endsAt) changed.push('time');
  if (stored.teacherId !== planned.teacherId) changed.push('teacher');
  if (stored.room !== planned.room) changed.push('room');
  if (stored.subjectId !== planned.subjectId) changed.push('subject');
  return changed;
}

/** Left alone by regenerations: added, moved or cancelled by hand. */
export function isManaged(lesson: Lesson): boolean {
  return (
    lesson.origin === 'extra' ||
    lesson.movedFromDate !== '' ||
    (lesson.status === 'cancelled' &&
      !(REGENERATION_REASONS as readonly string[]).includes(lesson.cancellationReason))
  );
}

/** What a regeneration does to the stored lessons of its scope. */
export interface LessonDiff {
  /** New states to store (and their facts), in plan order then the stored ones left. */
  changes: LessonChange[];
  /** Lessons no longer planned kept for their journal content (to decide on). */
  kept: Lesson[];
  /** Scheduled lessons of the scope after it. */
  total: number;
}

/**
 * Compares the planned lessons of a scope (a school's period) with the stored ones of the same
 * scope. A planned lesson that is new is scheduled; one whose time, teacher, room or subject
 * differ is rescheduled; one cancelled by an earlier regeneration is scheduled again. A stored
 * lesson from the template that is no longer planned is cancelled with `reason` — unless it has
 * journal content: then it stays as it is, flagged `needsDecision`, and is reported. Lessons added
 * or cancelled by hand are never touched (a planned lesson on one of their ids is not made).
 */
export function diffLessons(
  planned: PlannedLesson[],
  stored: Lesson[],
  { reason, now }: { reason: RegenerationReason; now: string },
): LessonDiff {
  const storedById = new Map(stored.map((lesson) => [lesson.id, lesson]));
  const plannedIds = new Set<string>();
  const changes: LessonChange[] = [];
  const kept: Lesson[] = [];
  let total = 0;
  for (const plan of planned) {
    if (plannedIds.has(plan.id)) continue;
    plannedIds.add(plan.id);
    const current = storedById.get(plan.id);
    if (current && isManaged(current)) {
      if (current.status === 'scheduled') total += 1;
      continue;
    }
    total += 1;
    if (!current) {
      changes.push({
        lesson: {
          ...plan,
          status: 'scheduled',
          origin: 'timetable',
          cancellationReason: '',
          substituteTeacherId: '',
          substitutionReason: '',
          substitutionApprovedBy: '',
          movedFromDate: '',
          movedFromLessonNumber: 0,
          changeReason: '',
          hasJournalContent: false,
          journalVersion: 0,
          needsDecision: false,
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
        previousVersion: 0,
        event: { type: 'edu.schedule.lesson.scheduled', changed: [] },
      });
      continue;
    }
    const changed = changesOf(current, plan);
    const revived = current.status === 'cancelled';
    if (!revived && changed.length === 0 && !current.needsDecision) continue;
    const next: Lesson = {
      ...current,
      ...(revived || changed.length > 0 ? plan : {}),
      status: 'scheduled',
      cancellationReason: '',
      needsDecision: false,
      version: current.version + 1,
      updatedAt: now,
    };
    changes.push({
      lesson: next,
      previousVersion: current.version,
      ...(revived
        ? { event: { type: 'edu.schedule.lesson.scheduled' as const, changed: [] } }
        : changed.length > 0
          ? { event: { type: 'edu.schedule.lesson.rescheduled' as const, changed } }
          : {}),
    });
  }
  for (const current of stored) {
    if (plannedIds.has(current.id) || isManaged(current) || current.status !== 'scheduled') continue;
    if (current.hasJournalContent) {
      kept.push(current.needsDecision ? current : { ...current, needsDecision: true });
      total += 1;
      if (!current.needsDecision) {
        changes.push({
          lesson: { ...current, needsDecision: true, version: current.version + 1, updatedAt: now },
          previousVersion: current.version,
        });
      }
      continue;
    }
    changes.push({
      lesson: {
        ...current,
        status: 'cancelled',
        cancellationReason: reason,
        needsDecision: false,
        version: current.version + 1,
        updatedAt: now,
      },
      previousVersion: current.version,
      event: { type: 'edu.schedule.lesson.cancelled', changed: [] },
    });
  }
  return { changes, kept, total };
}

/** The order of lists: date, lesson number, class, subgroup. */
export function compareLessons(a: Lesson, b: Lesson): number {
  return (
    a.date.localeCompare(b.date) ||
    a.lessonNumber - b.lessonNumber ||
    a.className.localeCompare(b.className, 'ru') ||
    a.subgroupName.localeCompare(b.subgroupName, 'ru') ||
    a.id.localeCompare(b.id)
  );
}

/** Days of a range, both ends included (0 when the range is empty). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

export const LESSON_RULES = {
  /** The longest range a list reads: a quarter and a bit. */
  maxListDays: 93,
  /** Lessons a list returns at most. */
  maxListed: 10_000,
  /** Kept lessons a generation's answer names (all are counted). */
  maxKeptListed: 500,
} as const;

/** Problems with the days of a list (`from`, `to`: real days, in order, at most `maxListDays`). */
export function listRangeErrors(from: string, to: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isDate(from)) errors.push({ field: 'from', message: 'Первый день — дата ГГГГ-ММ-ДД' });
  if (!isDate(to)) errors.push({ field: 'to', message: 'Последний день — дата ГГГГ-ММ-ДД' });
  if (errors.length > 0) return errors;
  const days = daysBetween(from, to);
  if (days < 1) errors.push({ field: 'to', message: 'Последний день не раньше первого' });
  else if (days > LESSON_RULES.maxListDays) {
    errors.push({ field: 'to', message: `Не больше ${LESSON_RULES.maxListDays} дней за один запрос` });
  }
  return errors;
}
