import { createHash } from 'node:crypto';
import type { EducationArea, Subject } from './subject';

// The region-wide catalogue: the usual subjects of Russian schools (ФГОС / ФООП НОО, ООО, СОО),
// the same in every school. Seeded at every start; a stored subject is never changed by a seed.
// Keys follow roster's subgroup keys (`english`, `pe`, as the demo seed forms them).

export interface CatalogueEntry {
  key: string;
  name: string;
  shortName: string;
  educationArea: EducationArea;
  splitIntoSubgroups: boolean;
}

export const SUBJECT_CATALOGUE: readonly CatalogueEntry[] = [
  {
    key: 'russian',
    name: 'Русский язык',
    shortName: 'Рус. яз.',
    educationArea: 'russian_and_literature',
    splitIntoSubgroups: false,
  },
  {
    key: 'literary_reading',
    name: 'Литературное чтение',
    shortName: 'Лит. чтение',
    educationArea: 'russian_and_literature',
    splitIntoSubgroups: false,
  },
  {
    key: 'literature',
    name: 'Литература',
    shortName: 'Лит.',
    educationArea: 'russian_and_literature',
    splitIntoSubgroups: false,
  },
  {
    key: 'native_language',
    name: 'Родной язык (русский)',
    shortName: 'Родн. яз.',
    educationArea: 'native_language_and_literature',
    splitIntoSubgroups: false,
  },
  {
    key: 'native_literary_reading',
    name: 'Литературное чтение на родном языке (русском)',
    shortName: 'Лит. чт. на родн. яз.',
    educationArea: 'native_language_and_literature',
    splitIntoSubgroups: false,
  },
  {
    key: 'native_literature',
    name: 'Родная литература (русская)',
    shortName: 'Родн. лит.',
    educationArea: 'native_language_and_literature',
    splitIntoSubgroups: false,
  },
  {
    key: 'english',
    name: 'Иностранный язык (английский)',
    shortName: 'Англ. яз.',
    educationArea: 'foreign_languages',
    splitIntoSubgroups: true,
  },
  {
    key: 'german',
    name: 'Иностранный язык (немецкий)',
    shortName: 'Нем. яз.',
    educationArea: 'foreign_languages',
    splitIntoSubgroups: true,
  },
  {
    key: 'french',
    name: 'Иностранный язык (французский)',
    shortName: 'Франц. яз.',
    educationArea: 'foreign_languages',
    splitIntoSubgroups: true,
  },
  {
    key: 'mathematics',
    name: 'Математика',
    shortName: 'Матем.',
    educationArea: 'mathematics_and_informatics',
    splitIntoSubgroups: false,
  },
  {
    key: 'algebra',
    name: 'Алгебра',
    shortName: 'Алгебра',
    educationArea: 'mathematics_and_informatics',
    splitIntoSubgroups: false,
  },
  {
    key: 'algebra_analysis',
    name: 'Алгебра и начала математического анализа',
    shortName: 'Алг. и нач. ан.',
    educationArea: 'mathematics_and_informatics',
    splitIntoSubgroups: false,
  },
  {
    key: 'geometry',
    name: 'Геометрия',
    shortName: 'Геом.',
    educationArea: 'mathematics_and_informatics',
    splitIntoSubgroups: false,
  },
  {
    key: 'probability_statistics',
    name: 'Вероятность и статистика',
    shortName: 'Вер. и стат.',
    educationArea: 'mathematics_and_informatics',
    splitIntoSubgroups: false,
  },
  {
    key: 'informatics',
    name: 'Информатика',
    shortName: 'Информ.',
    educationArea: 'mathematics_and_informatics',
    splitIntoSubgroups: true,
  },
  {
    key: 'history',
    name: 'История',
    shortName: 'История',
    educationArea: 'social_sciences',
    splitIntoSubgroups: false,
  },
  {
    key: 'social_studies',
    name: 'Обществознание',
    shortName: 'Общ.',
    educationArea: 'social_sciences',
    splitIntoSubgroups: false,
  },
  {
    key: 'geography',
    name: 'География',
    shortName: 'Геогр.',
    educationArea: 'social_sciences',
    splitIntoSubgroups: false,
  },
  {
    key: 'physics',
    name: 'Физика',
    shortName: 'Физика',
    educationArea: 'natural_sciences',
    splitIntoSubgroups: false,
  },
  {
    key: 'chemistry',
    name: 'Химия',
    shortName: 'Химия',
    educationArea: 'natural_sciences',
    splitIntoSubgroups: false,
  },
  {
    key: 'biology',
    name: 'Биология',
    shortName: 'Биол.',
    educationArea: 'natural_sciences',
    splitIntoSubgroups: false,
  },
  {
    key: 'world_around',
    name: 'Окружающий мир',
    shortName: 'Окр. мир',
    educationArea: 'society_and_nature',
    splitIntoSubgroups: false,
  },
  // Parents choose a module for their child: the class is usually split by module.
  {
    key: 'orkse',
    name: 'Основы религиозных культур и светской этики',
    shortName: 'ОРКСЭ',
    educationArea: 'religious_cultures_and_secular_ethics',
    splitIntoSubgroups: true,
  },
  {
    key: 'odnknr',
    name: 'Основы духовно-нравственной культуры народов России',
    shortName: 'ОДНКНР',
    educationArea: 'spiritual_moral_culture',
    splitIntoSubgroups: false,
  },
  {
    key: 'fine_arts',
    name: 'Изобразительное искусство',
    shortName: 'ИЗО',
    educationArea: 'arts',
    splitIntoSubgroups: false,
  },
  { key: 'music', name: 'Музыка', shortName: 'Музыка', educationArea: 'arts', splitIntoSubgroups: false },
  {
    key: 'technology',
    name: 'Труд (технология)',
    shortName: 'Труд',
    educationArea: 'technology',
    splitIntoSubgroups: true,
  },
  {
    key: 'pe',
    name: 'Физическая культура',
    shortName: 'Физ-ра',
    educationArea: 'physical_culture_and_safety',
    splitIntoSubgroups: true,
  },
  {
    key: 'obzr',
    name: 'Основы безопасности и защиты Родины',
    shortName: 'ОБЗР',
    educationArea: 'physical_culture_and_safety',
    splitIntoSubgroups: false,
  },
  {
    key: 'individual_project',
    name: 'Индивидуальный проект',
    shortName: 'Инд. проект',
    educationArea: 'other',
    splitIntoSubgroups: false,
  },
];

/** The namespace of catalogue subject ids (UUID v5); never change it, or every id changes. */
const CATALOGUE_NAMESPACE = 'cdb8116e-89fa-4346-b3d0-fe1bce07e30d';

/** A UUID v5 (RFC 9562, SHA-1) of `name` in `namespace`: the same inputs, the same id. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the catalogue subject of `key`: the same in every environment and at every start. */
export function catalogueSubjectId(key: string): string {
  return uuidV5(`subject:${key}`, CATALOGUE_NAMESPACE);
}

/** The catalogue as subjects (region-wide: no school), stored at `now` if new. */
export function catalogueSubjects(now: Date): Subject[] {
  return SUBJECT_CATALOGUE.map((entry) => ({
    id: catalogueSubjectId(entry.key),
    schoolId: '',
    ...entry,
    version: 1,
    createdAt: now.toISOString(),
  }));
}
