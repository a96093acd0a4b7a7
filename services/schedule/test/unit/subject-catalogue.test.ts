import { SUBJECT_KEY, isEducationArea, subjectNameKey } from '../../src/domain/subject';
import {
  SUBJECT_CATALOGUE,
  catalogueSubjectId,
  catalogueSubjects,
  uuidV5,
} from '../../src/domain/subject-catalogue';

// The region-wide catalogue: stable ids, unique keys and names, the usual subjects present.

describe('the subject catalogue', () => {
  it('when a UUID v5 is made from the RFC example, then it is the RFC value', () => {
    // RFC 9562 appendix A.4: "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('when the catalogue is made at two different times, then every subject keeps its id', () => {
    const first = catalogueSubjects(new Date('2026-08-01T00:00:00Z'));
    const later = catalogueSubjects(new Date('2030-01-01T00:00:00Z'));

    expect(later.map((s) => s.id)).toEqual(first.map((s) => s.id));
    expect(first.find((s) => s.key === 'english')?.id).toBe(catalogueSubjectId('english'));
    // Written down once: a changed namespace or name scheme would change every id in every region.
    expect(catalogueSubjectId('english')).toBe(
      uuidV5('subject:english', 'cdb8116e-89fa-4346-b3d0-fe1bce07e30d'),
    );
    expect(new Set(first.map((s) => s.id)).size).toBe(first.length);
  });

  it('when keys and names are compared, then each is unique and every key has the subgroup key form', () => {
    const keys = SUBJECT_CATALOGUE.map((s) => s.key);
    const names = SUBJECT_CATALOGUE.map((s) => subjectNameKey(s.name));

    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(names).size).toBe(names.length);
    expect(keys.filter((key) => !SUBJECT_KEY.test(key))).toEqual([]);
    expect(SUBJECT_CATALOGUE.filter((s) => !isEducationArea(s.educationArea))).toEqual([]);
    expect(SUBJECT_CATALOGUE.filter((s) => s.shortName.length > 30)).toEqual([]);
  });

  it('when the usual subjects are looked for, then each is there, split where classes are divided', () => {
    const byName = new Map(SUBJECT_CATALOGUE.map((s) => [s.name, s]));
    const usual = [
      'Русский язык',
      'Литература',
      'Математика',
      'Алгебра',
      'Геометрия',
      'Вероятность и статистика',
      'Информатика',
      'История',
      'Обществознание',
      'География',
      'Биология',
      'Физика',
      'Химия',
      'Иностранный язык (английский)',
      'Физическая культура',
      'Основы безопасности и защиты Родины',
      'Изобразительное искусство',
      'Музыка',
      'Труд (технология)',
      'Окружающий мир',
      'Литературное чтение',
      'Основы религиозных культур и светской этики',
      'Основы духовно-нравственной культуры народов России',
    ];

    expect(usual.filter((name) => !byName.has(name))).toEqual([]);
    expect(SUBJECT_CATALOGUE.filter((s) => s.splitIntoSubgroups).map((s) => s.key)).toEqual(
      expect.arrayContaining(['english', 'pe', 'informatics', 'technology']),
    );
    expect(byName.get('Математика')?.splitIntoSubgroups).toBe(false);
    // The keys roster's demo subgroups use.
    expect(byName.get('Иностранный язык (английский)')?.key).toBe('english');
    expect(byName.get('Физическая культура')?.key).toBe('pe');
  });
});
