import type { FieldError } from '@edu/kit';

// Subjects (R2.3): the region-wide catalogue (subject-catalogue.ts) and a school's own subjects.

/** Education areas (предметные области of the ФГОС), in the order lists show them. */
export const EDUCATION_AREAS = {
  russian_and_literature: 'Русский язык и литература',
  native_language_and_literature: 'Родной язык и родная литература',
  foreign_languages: 'Иностранные языки',
  mathematics_and_informatics: 'Математика и информатика',
  social_sciences: 'Общественно-научные предметы',
  natural_sciences: 'Естественно-научные предметы',
  society_and_nature: 'Обществознание и естествознание («Окружающий мир»)',
  religious_cultures_and_secular_ethics: 'Основы религиозных культур и светской этики',
  spiritual_moral_culture: 'Основы духовно-нравственной культуры народов России',
  arts: 'Искусство',
  technology: 'Технология',
  physical_culture_and_safety: 'Физическая культура и основы безопасности и защиты Родины',
  other: 'Другие предметы и курсы',
} as const;

export type EducationArea = keyof typeof EDUCATION_AREAS;

export function isEducationArea(value: string): value is EducationArea {
  return Object.hasOwn(EDUCATION_AREAS, value);
}

/**
 * A subject. The key is what roster's subgroups name (`subject_key`): a subgroup of key
 * "english" is a subgroup of the subject whose key is "english". `schoolId` is '' for the
 * catalogue. Never deleted.
 */
export interface Subject {
  id: string;
  schoolId: string;
  key: string;
  name: string;
  shortName: string;
  educationArea: EducationArea;
  /** Classes are usually split into subgroups for it (languages, PE, informatics, труд). */
  splitIntoSubgroups: boolean;
  version: number;
  createdAt: string;
}

/** The same form as roster's subgroup keys: `english`, `pe`. */
export const SUBJECT_KEY = /^[a-z][a-z0-9_]{1,39}$/;
export const SUBJECT_NAME_MAX = 150;
export const SUBJECT_SHORT_NAME_MAX = 30;

/** Trims and joins runs of spaces. */
export function normaliseSubjectName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** Names compare case-insensitively, "ё" as "е". */
export function subjectNameKey(name: string): string {
  return normaliseSubjectName(name).toLocaleLowerCase('ru').replaceAll('ё', 'е');
}

/** Every problem with a new subject's fields (already normalised), at once. */
export function subjectErrors(input: {
  key: string;
  name: string;
  shortName: string;
  educationArea: string;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (!SUBJECT_KEY.test(input.key)) {
    errors.push({
      field: 'key',
      message:
        'Код предмета — от 2 до 40 символов: строчные латинские буквы, цифры и «_», начиная с буквы (например robotics)',
    });
  }
  if (!input.name) errors.push({ field: 'name', message: 'Укажите полное название предмета' });
  else if (input.name.length > SUBJECT_NAME_MAX) {
    errors.push({ field: 'name', message: `Название предмета — не длиннее ${SUBJECT_NAME_MAX} символов` });
  } else if (!/^[\p{Script=Cyrillic}0-9]/u.test(input.name) || /\p{Cc}/u.test(input.name)) {
    errors.push({ field: 'name', message: 'Название предмета пишется по-русски, например «Робототехника»' });
  }
  if (!input.shortName) {
    errors.push({
      field: 'shortName',
      message: `Укажите краткое название предмета (до ${SUBJECT_SHORT_NAME_MAX} символов), например «Робот.»`,
    });
  } else if (input.shortName.length > SUBJECT_SHORT_NAME_MAX || /\p{Cc}/u.test(input.shortName)) {
    errors.push({
      field: 'shortName',
      message: `Краткое название — не длиннее ${SUBJECT_SHORT_NAME_MAX} символов, без служебных знаков`,
    });
  }
  if (!isEducationArea(input.educationArea)) {
    errors.push({ field: 'educationArea', message: 'Выберите предметную область из списка' });
  }
  return errors;
}

/** The short name given, or the full name when none is given and it is short enough. */
export function defaultShortName(name: string, shortName: string): string {
  const given = normaliseSubjectName(shortName);
  if (given) return given;
  return name.length <= SUBJECT_SHORT_NAME_MAX ? name : '';
}
