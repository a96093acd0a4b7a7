import type { FieldError } from '@edu/kit';
import { SCHEDULE_ID_NAMESPACE, minutesOf, type BellLesson } from './bell-schedule';
import type { CopiedSubgroup } from './roster-copy';
import type { Subject } from './subject';
import { uuidV5 } from './subject-catalogue';
import { isEmptyRange, rangesOverlap, type DayRange, type TeachingAssignment } from './teaching-assignment';

// The timetable (расписание уроков, R4.1): a weekly template per class and study period — which
// lesson of which weekday the class (or one of its subgroups) has which subject with which
// teacher in which room, every week or only odd or even weeks. A deputy edits one class's week at
// a time; the rules are checked against the whole school's template of the period, and the
// school's template is published as a whole.

/** Which weeks an entry holds: every week, or only odd or even weeks of the period. */
export const WEEK_PARITIES = ['every', 'odd', 'even'] as const;
export type WeekParity = (typeof WEEK_PARITIES)[number];

/** Weekdays 1..6 (Monday..Saturday; a six-day week is usual in Russian schools), as people read them. */
export const WEEKDAY_NAMES = ['понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'] as const;

export const TIMETABLE_RULES = {
  weekdays: { min: 1, max: 6 },
  roomMax: 20,
  /** 6 days × 20 lessons, each for two subgroups with both parities would be more; bounds the request. */
  maxEntries: 200,
} as const;

/** One lesson of a class's week. */
export interface TimetableEntry {
  /** 1 (Monday) .. 6 (Saturday). */
  weekday: number;
  /** A lesson of the bell schedule of the class's shift. */
  lessonNumber: number;
  /** '' when the whole class has the lesson. */
  subgroupId: string;
  subjectId: string;
  /** Person id (roster). */
  teacherId: string;
  /** Free text, '' when not given (never conflicts). */
  room: string;
  weekParity: WeekParity;
}

/** A class's week in one study period, replaced as a whole by version. */
export interface ClassTimetable {
  /** Derived from the class and period (`classTimetableId`). */
  id: string;
  schoolId: string;
  academicYearId: string;
  /** Study period number of the class's grade (1..4 while schedule does not know the scheme). */
  period: number;
  classId: string;
  /** The shift whose bells the lesson numbers are of: 1 or 2. */
  shift: number;
  entries: TimetableEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Account id. */
  updatedBy: string;
}

/** A published state of a school's template of a period: which version of each class was published. */
export interface TimetablePublication {
  /** Derived from the school, year and period (`timetablePublicationId`). */
  id: string;
  schoolId: string;
  academicYearId: string;
  period: number;
  /** 1 at the first publication, +1 at each one after. */
  version: number;
  classes: { classId: string; version: number }[];
  publishedAt: string;
  /** Account id. */
  publishedBy: string;
}

export function classTimetableId(classId: string, period: number): string {
  return uuidV5(`timetable:${classId}:${period}`, SCHEDULE_ID_NAMESPACE);
}

export function timetablePublicationId(schoolId: string, academicYearId: string, period: number): string {
  return uuidV5(`timetable-publication:${schoolId}:${academicYearId}:${period}`, SCHEDULE_ID_NAMESPACE);
}

/** An entry as a request gives it, before it is normalised. */
export interface TimetableEntryInput {
  weekday: number;
  lessonNumber: number;
  subgroupId: string;
  subjectId: string;
  teacherId: string;
  room: string;
  weekParity: string;
}

/** Trims ids and the room (runs of spaces joined); an empty parity means every week. */
export function normaliseEntry(input: TimetableEntryInput): TimetableEntry {
  return {
    weekday: input.weekday,
    lessonNumber: input.lessonNumber,
    subgroupId: input.subgroupId.trim(),
    subjectId: input.subjectId.trim(),
    teacherId: input.teacherId.trim(),
    room: input.room.normalize('NFC').trim().replace(/\s+/g, ' '),
    weekParity: (input.weekParity.trim() || 'every') as WeekParity,
  };
}

/** Problems with the form of a week's entries (every one at once), fields `entries[i].…`. */
export function timetableFormErrors(entries: TimetableEntry[]): FieldError[] {
  if (entries.length > TIMETABLE_RULES.maxEntries) {
    return [{ field: 'entries', message: `В неделе класса не больше ${TIMETABLE_RULES.maxEntries} уроков` }];
  }
  const { min, max } = TIMETABLE_RULES.weekdays;
  return entries.flatMap((entry, i) => {
    const field = `entries[${i}]`;
    const errors: FieldError[] = [];
    if (!Number.isInteger(entry.weekday) || entry.weekday < min || entry.weekday > max) {
      errors.push({
        field: `${field}.weekday`,
        message: `День недели — от ${min} (понедельник) до ${max} (суббота)`,
      });
    }
    if (!Number.isInteger(entry.lessonNumber) || entry.lessonNumber < 1) {
      errors.push({ field: `${field}.lessonNumber`, message: 'Номер урока — целое число от 1' });
    }
    if (!entry.subjectId) errors.push({ field: `${field}.subjectId`, message: 'Укажите предмет' });
    if (!entry.teacherId) errors.push({ field: `${field}.teacherId`, message: 'Укажите учителя' });
    if (entry.room.length > TIMETABLE_RULES.roomMax || /\p{Cc}/u.test(entry.room)) {
      errors.push({
        field: `${field}.room`,
        message: `Кабинет — не длиннее ${TIMETABLE_RULES.roomMax} символов, без служебных знаков`,
      });
    }
    if (!(WEEK_PARITIES as readonly string[]).includes(entry.weekParity)) {
      errors.push({
        field: `${field}.weekParity`,
        message: 'Недели — every (каждая), odd (нечётные) или even (чётные)',
      });
    }
    return errors;
  });
}

/** The codes of the timetable's rules, in the order a refusal names its code by. */
export const TIMETABLE_RULE_CODES = [
  'timetable.unknown_lesson',
  'timetable.split_subject',
  'timetable.no_assignment',
  'timetable.class_busy',
  'timetable.members_overlap',
  'timetable.teacher_busy',
  'timetable.room_busy',
] as const;
export type TimetableRuleCode = (typeof TIMETABLE_RULE_CODES)[number];

/** One broken rule at one entry (field), with a message that names the other entry. */
export interface TimetableViolation {
  code: TimetableRuleCode;
  field: string;
  message: string;
}

/** An entry where it is in the school's week, with what messages and checks need. */
export interface PlacedEntry extends TimetableEntry {
  classId: string;
  className: string;
  shift: number;
  /** From the shift's bells, '' when the shift's bells have no such lesson. */
  startsAt: string;
  endsAt: string;
  subjectName: string;
  /** '' for the whole class. */
  subgroupName: string;
}

/** An entry being checked: where it is in the request (`entries[3]`). */
export type CheckedEntry = PlacedEntry & { field: string };

/** "3-й урок" */
function lessonName(number: number): string {
  return `${number}-й урок`;
}

function parityNote(parity: WeekParity): string {
  return parity === 'odd' ? ' (нечётные недели)' : parity === 'even' ? ' (чётные недели)' : '';
}

/** The other entry as people read it: "5Б («Группа 1»), понедельник, 3-й урок, «Математика»". */
export function describeEntry(entry: PlacedEntry): string {
  const target = entry.subgroupName ? `${entry.className} («${entry.subgroupName}»)` : entry.className;
  return `${target}, ${WEEKDAY_NAMES[entry.weekday - 1] ?? `день ${entry.weekday}`}, ${lessonName(entry.lessonNumber)}${parityNote(entry.weekParity)}, «${entry.subjectName}»`;
}

/** Odd and even weeks never meet; every week meets both. */
export function paritiesMeet(a: WeekParity, b: WeekParity): boolean {
  return a === 'every' || b === 'every' || a === b;
}

/**
 * Whether two entries take place at the same time: the same weekday and weeks, and the same lesson
 * of the same shift, or lessons whose bell times overlap (a second shift's first lesson may
 * overlap the first shift's last ones).
 */
export function sameTime(a: PlacedEntry, b: PlacedEntry): boolean {
  if (a.weekday !== b.weekday || !paritiesMeet(a.weekParity, b.weekParity)) return false;
  if (a.shift === b.shift && a.lessonNumber === b.lessonNumber) return true;
  if (!a.startsAt || !b.startsAt || !a.endsAt || !b.endsAt) return false;
  return minutesOf(a.startsAt) < minutesOf(b.endsAt) && minutesOf(b.startsAt) < minutesOf(a.endsAt);
}

/** Rooms are compared without case and spaces ("каб. 12" = "Каб.12"); an empty room is no room. */
export function roomKey(room: string): string {
  return room.toLocaleLowerCase('ru').replace(/\s+/g, '');
}

/** The rules two entries at the same time break, told at `entry` (the one being checked). */
function pairViolations(
  entry: CheckedEntry,
  other: PlacedEntry,
  membersOf: (subgroupId: string) => readonly string[],
): TimetableViolation[] {
  const violations: TimetableViolation[] = [];
  const them = describeEntry(other);
  if (entry.classId === other.classId) {
    if (!entry.subgroupId || !other.subgroupId || entry.subgroupId === other.subgroupId) {
      const who = entry.subgroupId && entry.subgroupId === other.subgroupId ? 'У подгруппы' : 'У класса';
      violations.push({
        code: 'timetable.class_busy',
        field: `${entry.field}.lessonNumber`,
        message: `${who} в это время уже есть урок: ${them}`,
      });
    } else {
      const members = new Set(membersOf(other.subgroupId));
      const shared = membersOf(entry.subgroupId).filter((id) => members.has(id)).length;
      if (shared > 0) {
        violations.push({
          code: 'timetable.members_overlap',
          field: `${entry.field}.subgroupId`,
          message: `В подгруппе «${entry.subgroupName}» и в подгруппе урока ${them} есть общие ученики (${shared}): они не могут быть на двух уроках сразу`,
        });
      }
    }
  }
  if (entry.teacherId === other.teacherId) {
    violations.push({
      code: 'timetable.teacher_busy',
      field: `${entry.field}.teacherId`,
      message: `Учитель в это время ведёт урок: ${them}`,
    });
  }
  if (entry.room && other.room && roomKey(entry.room) === roomKey(other.room)) {
    violations.push({
      code: 'timetable.room_busy',
      field: `${entry.field}.room`,
      message: `Кабинет «${entry.room}» в это время занят: ${them}`,
    });
  }
  return violations;
}

/**
 * Who is in two places at once: each checked entry against the rest of the school's week
 * (`others`) and against the checked entries before it. A teacher (`timetable.teacher_busy`), a
 * room (`timetable.room_busy`), the class — the whole class twice, or the whole class and one of
 * its subgroups, or a subgroup twice (`timetable.class_busy`) — and two subgroups of a class
 * sharing a student (`timetable.members_overlap`; subgroups are of one class in roster).
 */
export function timetableConflicts(
  checked: CheckedEntry[],
  others: PlacedEntry[],
  membersOf: (subgroupId: string) => readonly string[],
): TimetableViolation[] {
  return checked.flatMap((entry, i) =>
    [...others, ...checked.slice(0, i)]
      .filter((other) => sameTime(entry, other))
      .flatMap((other) => pairViolations(entry, other, membersOf)),
  );
}

/** Entries whose lesson number is not in the bells of the shift (`timetable.unknown_lesson`). */
export function unknownLessonViolations(
  checked: CheckedEntry[],
  shift: number,
  bells: BellLesson[],
): TimetableViolation[] {
  const numbers = new Set(bells.map((b) => b.number));
  const known = bells.length > 0 ? `уроки 1–${bells.length}` : 'звонки смены не заданы';
  return checked
    .filter((entry) => !numbers.has(entry.lessonNumber))
    .map((entry) => ({
      code: 'timetable.unknown_lesson',
      field: `${entry.field}.lessonNumber`,
      message: `В расписании звонков ${shift}-й смены нет ${entry.lessonNumber}-го урока (${known})`,
    }));
}

/**
 * Whole-class entries of a subject taught in subgroups where the class has open subgroups for it
 * (`timetable.split_subject`): the lesson goes to each subgroup.
 */
export function splitSubjectViolations(
  checked: CheckedEntry[],
  subjects: ReadonlyMap<string, Pick<Subject, 'key' | 'name' | 'splitIntoSubgroups'>>,
  openSubgroupsOfClass: CopiedSubgroup[],
): TimetableViolation[] {
  return checked.flatMap((entry) => {
    const subject = subjects.get(entry.subjectId);
    if (entry.subgroupId || !subject?.splitIntoSubgroups) return [];
    const blocking = openSubgroupsOfClass.filter(
      (s) => s.classId === entry.classId && s.status === 'open' && s.subjectKey === subject.key,
    );
    if (blocking.length === 0) return [];
    return [
      {
        code: 'timetable.split_subject' as const,
        field: `${entry.field}.subgroupId`,
        message: `Предмет «${subject.name}» в классе ${entry.className} изучают по подгруппам (${blocking.map((s) => `«${s.name}»`).join(', ')}): поставьте урок подгруппе, а не всему классу`,
      },
    ];
  });
}

/**
 * Entries without a teaching assignment of that teacher, target (class or subgroup) and subject
 * whose days share a day with the period (`timetable.no_assignment`); an ended assignment counts
 * with its shortened days.
 */
export function noAssignmentViolations(
  checked: CheckedEntry[],
  assignments: TeachingAssignment[],
  periodDays: DayRange,
): TimetableViolation[] {
  return checked.flatMap((entry) => {
    const found = assignments.some(
      (a) =>
        a.teacherId === entry.teacherId &&
        a.classId === entry.classId &&
        a.subgroupId === entry.subgroupId &&
        a.subjectId === entry.subjectId &&
        !isEmptyRange(a) &&
        rangesOverlap(a, periodDays),
    );
    if (found) return [];
    const target = entry.subgroupName ? `${entry.className} («${entry.subgroupName}»)` : entry.className;
    return [
      {
        code: 'timetable.no_assignment' as const,
        field: `${entry.field}.teacherId`,
        message: `У учителя нет нагрузки по предмету «${entry.subjectName}» в ${target} в этом учебном периоде`,
      },
    ];
  });
}

/**
 * The refusal of broken rules: the code of the first rule (in `TIMETABLE_RULE_CODES` order) with
 * its first message as the detail, and every violation as a field error, so that one answer
 * shows all the problems of the request.
 */
export function refusalOf(
  violations: TimetableViolation[],
): { code: TimetableRuleCode; detail: string; errors: FieldError[] } | undefined {
  if (violations.length === 0) return undefined;
  const rank = (v: TimetableViolation) => TIMETABLE_RULE_CODES.indexOf(v.code);
  const first = [...violations].sort((a, b) => rank(a) - rank(b))[0]!;
  const more = violations.length - 1;
  return {
    code: first.code,
    detail: more > 0 ? `${first.message} (и ещё замечаний: ${more})` : first.message,
    errors: violations.map((v) => ({ field: v.field, message: v.message })),
  };
}

/** The study period's days, or undefined while the grade's scheme is unknown. */
export interface PeriodOfClass {
  number: number;
  days?: DayRange;
}

/**
 * Whether two classes' periods share a day: by their days when both are known (a 10th grade's
 * half-year overlaps two quarters of the 5th), otherwise by number.
 */
export function periodsOverlap(a: PeriodOfClass, b: PeriodOfClass): boolean {
  return a.days && b.days ? rangesOverlap(a.days, b.days) : a.number === b.number;
}

/** The order of a week's entries: weekday, lesson, subgroup, parity. */
export function compareEntries(
  a: TimetableEntry & { subgroupName?: string },
  b: TimetableEntry & { subgroupName?: string },
): number {
  return (
    a.weekday - b.weekday ||
    a.lessonNumber - b.lessonNumber ||
    (a.subgroupName ?? a.subgroupId).localeCompare(b.subgroupName ?? b.subgroupId, 'ru') ||
    WEEK_PARITIES.indexOf(a.weekParity) - WEEK_PARITIES.indexOf(b.weekParity)
  );
}

/** A class's week as published: with the class's name and grade, each lesson with its times. */
export interface PublishedClassTimetable {
  classId: string;
  className: string;
  grade: number;
  shift: number;
  version: number;
  entries: (TimetableEntry & { startsAt: string; endsAt: string; subjectKey: string })[];
}
