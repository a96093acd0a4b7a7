import type { FieldError } from '@edu/kit';
import { uuidV5 } from './subject-catalogue';

// Bell schedules (расписание звонков, R4.1): per school and shift, the numbered lessons of a day
// with their times in the school's local time. Replaced as a whole, by version.

/** One lesson of the day: its number and its times, "HH:MM" in the school's local time. */
export interface BellLesson {
  number: number;
  startsAt: string;
  endsAt: string;
}

export interface BellSchedule {
  /** Derived from the school and shift (`bellScheduleId`): one schedule per shift for ever. */
  id: string;
  schoolId: string;
  shift: number;
  /** "" when not given. */
  name: string;
  /** By number, 1..N. */
  lessons: BellLesson[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Account id. */
  updatedBy: string;
}

/**
 * The limits of a school day. Lesson length: 30 minutes (the shortest lesson of the first grade's
 * "step" mode is 35, a shortened day's lessons 30) to 90 (a double lesson); breaks of at least 5
 * minutes; the day from 07:00 to 21:00 (a second shift ends in the evening). Constants rather than
 * config: they are the rules of every school of the region, not of a deployment.
 */
export const BELL_RULES = {
  shifts: [1, 2],
  lessonMinutes: { min: 30, max: 90 },
  breakMinutes: { min: 5 },
  day: { from: '07:00', to: '21:00' },
  /** More lessons than a day can hold is not a bell schedule; also bounds the request. */
  maxLessons: 20,
  nameMax: 100,
} as const;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time of day written "HH:MM" (24-hour). */
export function isTime(value: string): boolean {
  return TIME.test(value);
}

/** Minutes since midnight of an "HH:MM" time. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** The namespace of bell schedule and curriculum ids (UUID v5); never change it. */
export const SCHEDULE_ID_NAMESPACE = '5d0b8f0e-3c55-4a3f-9a43-0d6f8b5d2c71';

/** The id of a school's shift's bell schedule: the same at every call, so a shift has one. */
export function bellScheduleId(schoolId: string, shift: number): string {
  return uuidV5(`bells:${schoolId}:${shift}`, SCHEDULE_ID_NAMESPACE);
}

/** Trims and joins runs of spaces. */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** A shift is 1 or 2. */
export function shiftErrors(shift: number): FieldError[] {
  return (BELL_RULES.shifts as readonly number[]).includes(shift)
    ? []
    : [{ field: 'shift', message: 'Смена — 1 или 2' }];
}

/** Problems with the form of a bell schedule (every one at once): shift, name, lessons, times. */
export function bellFormErrors(input: { shift: number; name: string; lessons: BellLesson[] }): FieldError[] {
  const errors: FieldError[] = [...shiftErrors(input.shift)];
  if (input.name.length > BELL_RULES.nameMax || /\p{Cc}/u.test(input.name)) {
    errors.push({
      field: 'name',
      message: `Название — не длиннее ${BELL_RULES.nameMax} символов, без служебных знаков`,
    });
  }
  if (input.lessons.length === 0) {
    errors.push({ field: 'lessons', message: 'Укажите хотя бы один урок' });
  } else if (input.lessons.length > BELL_RULES.maxLessons) {
    // Not a bell schedule at all: say so once instead of a message per lesson.
    errors.push({ field: 'lessons', message: `В смене не больше ${BELL_RULES.maxLessons} уроков` });
    return errors;
  }
  input.lessons.forEach((lesson, i) => {
    for (const field of ['startsAt', 'endsAt'] as const) {
      if (!isTime(lesson[field])) {
        errors.push({
          field: `lessons[${i}].${field}`,
          message: 'Укажите время в виде ЧЧ:ММ, например 08:30',
        });
      }
    }
  });
  return errors;
}

/** A rule of bell schedules that lessons break, with the lessons (fields) that break it. */
export interface BellRuleViolation {
  code:
    | 'bells.numbering'
    | 'bells.outside_day'
    | 'bells.lesson_length'
    | 'bells.overlap'
    | 'bells.break_too_short';
  detail: string;
  errors: FieldError[];
}

/**
 * The first rule (in the order below) that well-formed lessons break, with every lesson that
 * breaks it; undefined when they keep every rule. Fields name the lessons as given
 * (`lessons[i]`), messages name them by number, as a deputy reads them.
 *
 * 1. numbers 1..N, each once (`bells.numbering`);
 * 2. every lesson within 07:00..21:00 (`bells.outside_day`);
 * 3. every lesson 30..90 minutes long (`bells.lesson_length`);
 * 4. a lesson starts no earlier than the previous one ends (`bells.overlap`);
 * 5. the break between two lessons is at least 5 minutes (`bells.break_too_short`).
 */
export function bellRuleViolation(lessons: BellLesson[]): BellRuleViolation | undefined {
  const indexed = lessons.map((lesson, index) => ({ lesson, index, field: `lessons[${index}]` }));

  const numbering: FieldError[] = [];
  const seen = new Set<number>();
  for (const { lesson, field } of indexed) {
    if (!Number.isInteger(lesson.number) || lesson.number < 1 || lesson.number > lessons.length) {
      numbering.push({
        field: `${field}.number`,
        message: `Номер урока ${lesson.number} вне 1–${lessons.length}: уроки нумеруются подряд с 1`,
      });
    } else if (seen.has(lesson.number)) {
      numbering.push({ field: `${field}.number`, message: `Урок ${lesson.number} указан дважды` });
    }
    seen.add(lesson.number);
  }
  if (numbering.length > 0) {
    const missing = Array.from({ length: lessons.length }, (_, i) => i + 1).filter((n) => !seen.has(n));
    return {
      code: 'bells.numbering',
      detail: `Уроки нумеруются подряд с 1 по ${lessons.length}${missing.length > 0 ? `: нет урока ${missing.join(', ')}` : ''}`,
      errors: numbering,
    };
  }

  const byNumber = [...indexed].sort((a, b) => a.lesson.number - b.lesson.number);
  const { from, to } = BELL_RULES.day;
  const outside = byNumber.flatMap(({ lesson, field }) => {
    const errors: FieldError[] = [];
    if (lesson.startsAt < from) {
      errors.push({
        field: `${field}.startsAt`,
        message: `Урок ${lesson.number} начинается в ${lesson.startsAt}, раньше ${from}`,
      });
    }
    if (lesson.endsAt > to) {
      errors.push({
        field: `${field}.endsAt`,
        message: `Урок ${lesson.number} заканчивается в ${lesson.endsAt}, позже ${to}`,
      });
    }
    return errors;
  });
  if (outside.length > 0) {
    return {
      code: 'bells.outside_day',
      detail: `Уроки проходят с ${from} до ${to}`,
      errors: outside,
    };
  }

  const { min, max } = BELL_RULES.lessonMinutes;
  const length = byNumber.flatMap(({ lesson, field }) => {
    const minutes = minutesOf(lesson.endsAt) - minutesOf(lesson.startsAt);
    return minutes < min || minutes > max
      ? [
          {
            field: `${field}.endsAt`,
            message:
              minutes <= 0
                ? `Урок ${lesson.number} заканчивается (${lesson.endsAt}) не позже, чем начинается (${lesson.startsAt})`
                : `Урок ${lesson.number} длится ${minutes} мин, а урок — от ${min} до ${max} минут`,
          },
        ]
      : [];
  });
  if (length.length > 0) {
    return {
      code: 'bells.lesson_length',
      detail: `Урок длится от ${min} до ${max} минут`,
      errors: length,
    };
  }

  const overlap: FieldError[] = [];
  const shortBreak: FieldError[] = [];
  byNumber.forEach(({ lesson, field }, i) => {
    const previous = byNumber[i - 1]?.lesson;
    if (!previous) return;
    const gap = minutesOf(lesson.startsAt) - minutesOf(previous.endsAt);
    if (gap < 0) {
      overlap.push({
        field: `${field}.startsAt`,
        message: `Урок ${lesson.number} начинается в ${lesson.startsAt}, до конца урока ${previous.number} (${previous.endsAt})`,
      });
    } else if (gap < BELL_RULES.breakMinutes.min) {
      shortBreak.push({
        field: `${field}.startsAt`,
        message: `Перемена между уроками ${previous.number} и ${lesson.number} — ${gap} мин, нужно не меньше ${BELL_RULES.breakMinutes.min}`,
      });
    }
  });
  if (overlap.length > 0) {
    return { code: 'bells.overlap', detail: 'Уроки не должны пересекаться по времени', errors: overlap };
  }
  if (shortBreak.length > 0) {
    return {
      code: 'bells.break_too_short',
      detail: `Перемена — не меньше ${BELL_RULES.breakMinutes.min} минут`,
      errors: shortBreak,
    };
  }
  return undefined;
}

/** The lessons by number. */
export function sortLessons(lessons: BellLesson[]): BellLesson[] {
  return [...lessons].sort((a, b) => a.number - b.number);
}

/** A lesson's length and the break after it (0 after the last), in minutes, for answers. */
export function lessonTimes(lessons: BellLesson[]): { minutes: number; breakAfterMinutes: number }[] {
  return lessons.map((lesson, i) => {
    const next = lessons[i + 1];
    return {
      minutes: minutesOf(lesson.endsAt) - minutesOf(lesson.startsAt),
      breakAfterMinutes: next ? minutesOf(next.startsAt) - minutesOf(lesson.endsAt) : 0,
    };
  });
}
