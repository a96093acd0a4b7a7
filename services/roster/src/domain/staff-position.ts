import { ruDate, type OrderRef } from './academic-year';
import { isPlainDate, type FieldError } from './school';

// Staff positions of a school (R3.1, R1.7): who holds which post, at what rate, by which orders.

export const POSITION_KINDS = ['director', 'deputy', 'teacher', 'hr', 'secretary', 'other'] as const;
/**
 * The kind of a post. Each kind but `other` is also the school role identity derives from an
 * active position (`schoolAdmin` is no position: identity grants it explicitly).
 */
export type PositionKind = (typeof POSITION_KINDS)[number];

/** The title a post gets when none is given (`other` has none: its title is required). */
export const DEFAULT_TITLES: Record<Exclude<PositionKind, 'other'>, string> = {
  director: 'Директор',
  deputy: 'Заместитель директора',
  teacher: 'Учитель',
  hr: 'Специалист по кадрам',
  secretary: 'Секретарь',
};

export type PositionStatus = 'active' | 'dismissed';

export type StaffChangeKind = 'hired' | 'changed' | 'dismissed';

/** One step of a position, by order; kept forever. */
export interface StaffChange {
  kind: StaffChangeKind;
  effectiveOn: string;
  order: OrderRef;
  /** The title and rate after the step. */
  title: string;
  rate: number;
  /** Dismissals only. */
  reason: string;
  recordedAt: string;
  recordedBy: string;
}

/** A post held by a staff person of the school. No personal data: the names are the person's. */
export interface StaffPosition {
  id: string;
  schoolId: string;
  personId: string;
  kind: PositionKind;
  title: string;
  rate: number;
  hiredOn: string;
  hireOrder: OrderRef;
  status: PositionStatus;
  /** '' while active. */
  dismissedOn: string;
  /** `null` while active. */
  dismissalOrder: OrderRef | null;
  /** '' while active. */
  dismissalReason: string;
  history: StaffChange[];
  version: number;
  createdAt: string;
}

export const RATE = { min: 0.25, max: 2, step: 0.25 } as const;
export const TITLE_MAX = 150;
const REASON_MAX = 300;

/** Trims and joins runs of spaces. */
export function normaliseTitle(title: string): string {
  return title.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** "Учитель Математики" and "учитель математики" are one title; "ё" is "е". */
export function titleKey(title: string): string {
  return normaliseTitle(title).toLocaleLowerCase('ru').replaceAll('ё', 'е');
}

/** The title a hire gets: the one given, or the kind's usual title. */
export function titleFor(kind: string, title: string): string {
  const given = normaliseTitle(title);
  if (given || kind === 'other') return given;
  return DEFAULT_TITLES[kind as Exclude<PositionKind, 'other'>] ?? '';
}

// A title for people: starts with a Cyrillic letter; letters, digits, spaces and the punctuation
// of job titles ("Заместитель директора по УВР", "Учитель (ИЗО, технология)", "Педагог-психолог").
const TITLE = /^\p{Script=Cyrillic}[\p{L}\p{N} .,;:()«»"'/№–-]*$/u;

export function titleErrors(title: string, kind: string): FieldError[] {
  if (!title) {
    return [
      {
        field: 'title',
        message:
          kind === 'other' ? 'Укажите название должности, например «Педагог-психолог»' : 'Укажите должность',
      },
    ];
  }
  if (title.length > TITLE_MAX) {
    return [{ field: 'title', message: `Название должности — не длиннее ${TITLE_MAX} символов` }];
  }
  if (!TITLE.test(title)) {
    return [
      {
        field: 'title',
        message: 'Название должности начинается с русской буквы: буквы, цифры, пробелы и знаки препинания',
      },
    ];
  }
  return [];
}

/** A rate (ставка) of 0.25 .. 2.0 in steps of 0.25. */
export function isValidRate(rate: number): boolean {
  return Number.isFinite(rate) && rate >= RATE.min && rate <= RATE.max && Number.isInteger(rate / RATE.step);
}

export function rateErrors(rate: number): FieldError[] {
  return isValidRate(rate)
    ? []
    : [{ field: 'rate', message: 'Ставка — от 0,25 до 2 с шагом 0,25 (например 0,5; 1; 1,25)' }];
}

export function dateErrors(field: string, value: string): FieldError[] {
  return isPlainDate(value) ? [] : [{ field, message: 'Дата в формате ГГГГ-ММ-ДД' }];
}

export function reasonErrors(reason: string): FieldError[] {
  const trimmed = reason.trim();
  if (!trimmed) return [{ field: 'reason', message: 'Укажите основание увольнения' }];
  if (trimmed.length > REASON_MAX) {
    return [{ field: 'reason', message: `Основание увольнения — не длиннее ${REASON_MAX} символов` }];
  }
  return [];
}

/** The first day a new step of the position may take effect: its last step's day. */
export function earliestNextDate(position: StaffPosition): string {
  return position.history.at(-1)?.effectiveOn ?? position.hiredOn;
}

/** "Не раньше 01.09.2026", for messages about a date that comes too early. */
export function notBefore(date: string): string {
  return `Не раньше ${ruDate(date)}`;
}

/** True when two positions are the same post: the same kind and title (case-insensitive). */
export function samePost(a: Pick<StaffPosition, 'kind' | 'title'>, b: Pick<StaffPosition, 'kind' | 'title'>) {
  return a.kind === b.kind && titleKey(a.title) === titleKey(b.title);
}
