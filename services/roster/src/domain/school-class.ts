import { GRADES } from './academic-year';
import type { FieldError } from './school';

export type SchoolClassStatus = 'open' | 'closed';

/** A class («5А») of a school in one academic year. */
export interface SchoolClass {
  id: string;
  schoolId: string;
  academicYearId: string;
  grade: number;
  letter: string;
  /** Person id of the class teacher; '' when none. */
  classTeacherId: string;
  /** Most students it takes; 0 when not set. */
  capacity: number;
  status: SchoolClassStatus;
  version: number;
  createdAt: string;
}

export const CAPACITY_MAX = 60;

/** «5А»: the grade, then the letter. */
export function className(schoolClass: Pick<SchoolClass, 'grade' | 'letter'>): string {
  return `${schoolClass.grade}${schoolClass.letter}`;
}

/** Letters are kept upper case and trimmed: «5а» and «5А» are one class. */
export function normaliseLetter(letter: string): string {
  return letter.trim().toLocaleUpperCase('ru-RU');
}

/** A class label: 1–3 Cyrillic or Latin letters or digits, e.g. «А», «Б», «1», «ИТ». */
export function letterErrors(letter: string, field = 'letter'): FieldError[] {
  return /^[А-ЯЁA-Z0-9]{1,3}$/.test(letter)
    ? []
    : [{ field, message: 'Буква класса — от 1 до 3 букв или цифр, например «А»' }];
}

export function gradeErrors(grade: number): FieldError[] {
  return Number.isInteger(grade) && grade >= GRADES.min && grade <= GRADES.max
    ? []
    : [{ field: 'grade', message: `Параллель — число от ${GRADES.min} до ${GRADES.max}` }];
}

export function capacityErrors(capacity: number): FieldError[] {
  return Number.isInteger(capacity) && capacity >= 0 && capacity <= CAPACITY_MAX
    ? []
    : [{ field: 'capacity', message: `Наполняемость — от 1 до ${CAPACITY_MAX} (0 — не задана)` }];
}
