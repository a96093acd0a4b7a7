import { extractFileName, transliterate } from '../../src/domain/diary-week';
import {
  markView,
  mondayOf,
  mondaysBetween,
  nextLessonDate,
  shortName,
  stintOn,
  studentLessons,
  weekdayOf,
} from '../../src/domain/diary-queries';
import { periodsOf, pickPeriod } from '../../src/domain/diary-periods';
import type { YearDoc } from '../../src/domain/model';
import { annDoc, CLASS_A, GROUP_1, GROUP_2, lesson, mark, record } from './diary-queries.fixtures';

// The pure assembly: days and weeks, names, marks' history, which lessons are the student's.

describe('days', () => {
  it('finds the weekday and the Monday of a date', () => {
    expect(weekdayOf('2026-11-23')).toBe(1);
    expect(weekdayOf('2026-11-29')).toBe(7);
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(mondaysBetween('2026-11-05', '2026-11-23')).toEqual([
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ]);
  });
});

describe('names', () => {
  it('shortens a full name to the surname and initials', () => {
    expect(shortName('Иванова Анна Петровна')).toBe('Иванова А. П.');
    expect(shortName('  Орлова   ольга ')).toBe('Орлова О.');
    expect(shortName('Платон')).toBe('Платон');
    expect(shortName('')).toBe('');
  });

  it('names the week extract in ASCII', () => {
    expect(transliterate('щукина ё. ю.')).toBe('shchukina e. iu.');
    expect(extractFileName('Смирнова Анна Сергеевна', '2026-11-23')).toBe(
      'dnevnik-smirnova-a-s-2026-11-23.pdf',
    );
    expect(extractFileName('', '2026-11-23')).toBe('dnevnik-2026-11-23.pdf');
  });
});

describe('markView', () => {
  const l = lesson('l1', '2026-11-23', 1, { record: record({ topic: 'Дроби' }) });

  it('lists the values before, oldest first, and the latest reason only when allowed', () => {
    const twice = mark('m', 's', '5', {
      postedValue: '3',
      corrected: true,
      history: [
        { kind: 'corrected', value: '4', reason: 'Опечатка', at: '1' },
        { kind: 'corrected', value: '5', reason: 'Пересдача', at: '2' },
      ],
    });
    expect(markView(twice, l, false)).toMatchObject({
      value: '5',
      previousValues: ['3', '4'],
      correctionReason: '',
    });
    expect(markView(twice, l, true).correctionReason).toBe('Пересдача');
  });

  it('shows a voided mark without a value, its values kept', () => {
    const voided = mark('m', 's', '', {
      postedValue: '3',
      status: 'voided',
      history: [
        { kind: 'corrected', value: '4', reason: '', at: '1' },
        { kind: 'voided', value: '', reason: 'Не тот ученик', at: '2' },
      ],
    });
    expect(markView(voided, l, true)).toMatchObject({
      value: '',
      status: 'voided',
      corrected: true,
      previousValues: ['3', '4'],
      correctionReason: 'Не тот ученик',
      lessonTopic: 'Дроби',
    });
  });
});

describe('studentLessons', () => {
  const week = {
    _id: 'w',
    classId: CLASS_A,
    schoolId: 'school-1',
    academicYearId: 'year-1',
    weekStart: '2026-11-23',
    lessons: [
      lesson('whole', '2026-11-24', 1),
      lesson('mine', '2026-11-24', 2, { subgroupId: GROUP_1 }),
      lesson('theirs', '2026-11-24', 2, { subgroupId: GROUP_2 }),
      lesson('recorded', '2026-11-24', 3, {
        subgroupId: GROUP_2,
        record: record({ marks: [mark('m', 's-ann', '5')] }),
      }),
      lesson('after', '2026-11-25', 1),
    ],
  };

  it('keeps the class’s and the student’s subgroups’ lessons within the stint', () => {
    expect(studentLessons(annDoc(), week).map((l) => l.lessonId)).toEqual(['whole', 'mine', 'recorded']);
  });

  it('follows subgroup stints by day', () => {
    const student = annDoc({
      subgroupStints: [{ subgroupId: GROUP_2, classId: CLASS_A, from: '2026-11-24', until: '' }],
    });
    expect(studentLessons(student, week).map((l) => l.lessonId)).toEqual(['whole', 'theirs', 'recorded']);
  });

  it('takes the stint covering a day, else the latest', () => {
    expect(stintOn(annDoc(), '2026-11-24')?.classId).toBe(CLASS_A);
    expect(stintOn(annDoc(), '2026-11-25')?.classId).toBe('class-5b');
    expect(stintOn(annDoc(), '2026-08-01')?.classId).toBe('class-5b');
    expect(stintOn(annDoc({ classStints: [] }), '2026-08-01')).toBeNull();
  });
});

describe('nextLessonDate', () => {
  it('is the next lesson of the subject and subgroup that is not cancelled', () => {
    const pool = [
      lesson('a', '2026-11-23', 1),
      lesson('b', '2026-11-24', 1, { status: 'cancelled' }),
      lesson('c', '2026-11-25', 1, { subgroupId: GROUP_1 }),
      lesson('d', '2026-11-26', 1, { subjectId: 'russian' }),
      lesson('e', '2026-11-27', 1),
    ].map((l) => ({ classId: CLASS_A, lesson: l }));
    expect(nextLessonDate(pool[0]!.lesson, CLASS_A, pool)).toBe('2026-11-27');
    expect(nextLessonDate(pool[0]!.lesson, 'class-other', pool)).toBe('');
    expect(nextLessonDate(pool[4]!.lesson, CLASS_A, pool)).toBe('');
  });
});

describe('periods', () => {
  const year = {
    periodSchemes: [
      {
        grades: [5],
        kind: 'trimester',
        periods: [{ number: 1, startsOn: '2026-09-01', endsOn: '2026-11-30' }],
      },
      {
        grades: [10],
        kind: 'half_year',
        periods: [{ number: 2, startsOn: '2027-01-09', endsOn: '2027-05-26' }],
      },
    ],
  } as YearDoc;

  it('names periods by the scheme of the grade', () => {
    expect(periodsOf(year, 5)[0]!.name).toBe('1 триместр');
    expect(periodsOf(year, 10)[0]!.name).toBe('2 полугодие');
    expect(periodsOf(year, 7)).toEqual([]);
    expect(periodsOf(null, 5)).toEqual([]);
  });

  it('picks the current period, the last started, else the first', () => {
    const periods = periodsOf(year, 10)
      .concat(periodsOf(year, 5))
      .sort((a, b) => a.number - b.number);
    expect(pickPeriod(periods, 0, '2026-10-01')?.number).toBe(1);
    expect(pickPeriod(periods, 0, '2026-12-15')?.number).toBe(1);
    expect(pickPeriod(periods, 0, '2027-06-15')?.number).toBe(2);
    expect(pickPeriod(periods, 0, '2026-08-01')?.number).toBe(1);
    expect(pickPeriod(periods, 3, '2026-10-01')).toBeNull();
  });
});
