import type { OrderRef } from './academic-year';
import type { FieldError } from './school';

// Subgroups of a class per subject (R2.3): «Английский язык, группа 1», «Физкультура, мальчики».

export type SubgroupStatus = 'open' | 'closed';

/**
 * `formed`: the first members; `members_changed`: students moved in or out by order (a move from
 * one subgroup to another is a removal here and an addition there, under one order);
 * `left_class`: removed because the student was transferred out of the class or withdrawn.
 */
export type SubgroupChangeKind = 'formed' | 'members_changed' | 'left_class';

/** One change of a subgroup's members; kept forever, like a student's movements. */
export interface SubgroupChange {
  kind: SubgroupChangeKind;
  added: string[];
  removed: string[];
  /** The order behind it; null for a subgroup formed without one. */
  order: OrderRef | null;
  recordedAt: string;
  recordedBy: string;
}

/**
 * A subgroup of one class for one subject. Its school and year are the class's. Members are
 * students with an active enrolment in the class; a student is in at most one open subgroup per
 * class and subject. Never deleted: a disbanded subgroup is closed and keeps its members.
 */
export interface Subgroup {
  id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  subjectKey: string;
  name: string;
  /** Person id of the teacher; '' when none. */
  teacherId: string;
  /** Student person ids, in the order they were added. */
  memberIds: string[];
  /** Every change of the members, oldest first. */
  history: SubgroupChange[];
  status: SubgroupStatus;
  version: number;
  createdAt: string;
}

/** A subject's code until subjects exist (they come with the schedule): `english`, `pe`. */
export const SUBJECT_KEY = /^[a-z][a-z0-9_]{1,39}$/;
export const SUBGROUP_NAME_MAX = 100;
/** More members than any class holds (classes take at most 60). */
export const MEMBERS_MAX = 60;

/** Trims and joins runs of spaces. */
export function normaliseSubgroupName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** Names compare case-insensitively, "ё" as "е". */
export function subgroupNameKey(name: string): string {
  return normaliseSubgroupName(name).toLocaleLowerCase('ru').replaceAll('ё', 'е');
}

export function subjectKeyErrors(subjectKey: string): FieldError[] {
  return SUBJECT_KEY.test(subjectKey)
    ? []
    : [
        {
          field: 'subjectKey',
          message:
            'Код предмета — от 2 до 40 символов: строчные латинские буквы, цифры и «_», начиная с буквы (например english)',
        },
      ];
}

export function subgroupNameErrors(name: string): FieldError[] {
  if (!name)
    return [{ field: 'name', message: 'Укажите название подгруппы, например «Английский язык, группа 1»' }];
  if (name.length > SUBGROUP_NAME_MAX) {
    return [{ field: 'name', message: `Название подгруппы — не длиннее ${SUBGROUP_NAME_MAX} символов` }];
  }
  if (/\p{Cc}/u.test(name))
    return [{ field: 'name', message: 'Название подгруппы содержит недопустимые символы' }];
  return [];
}

/**
 * Problems with a list of student ids (`field[i]`): empty ids, repeats, too many. Messages name
 * positions in the list, never a person.
 */
export function idListErrors(field: string, ids: string[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (!id.trim()) errors.push({ field: `${field}[${i}]`, message: 'Пустой идентификатор обучающегося' });
    else if (seen.has(id)) errors.push({ field: `${field}[${i}]`, message: 'Обучающийся указан дважды' });
    seen.add(id);
  });
  if (ids.length > MEMBERS_MAX) {
    errors.push({ field, message: `Не больше ${MEMBERS_MAX} обучающихся за раз` });
  }
  return errors;
}
