import {
  accusative,
  adviceWorkTypes,
  averagesOf,
  fivesNeeded,
  forecastOf,
  marksNeeded,
  NO_MARKS_ADVICE,
  NO_NUMERIC_MARKS_ADVICE,
  pluralForm,
  roundByThreshold,
  type ForecastMark,
} from '../../src/domain/forecast';
import type { PolicyDoc } from '../../src/domain/model';

// The forecast of a period mark (R6.3): arithmetic, rounding by the school's threshold, and the
// advice in Russian a parent reads.

const policy: Pick<PolicyDoc, 'roundingThreshold' | 'workTypes'> = {
  roundingThreshold: 0.5,
  workTypes: [
    { key: 'oral', name: 'Ответ на уроке', weight: 1, active: true },
    { key: 'homework', name: 'Домашняя работа', weight: 1, active: true },
    { key: 'independent', name: 'Самостоятельная работа', weight: 1.5, active: true },
    { key: 'test', name: 'Контрольная работа', weight: 2, active: true },
    { key: 'project', name: 'Проект', weight: 5, active: false },
  ],
};

const TYPES: Record<string, [string, number]> = {
  oral: ['Ответ на уроке', 1],
  homework: ['Домашняя работа', 1],
  independent: ['Самостоятельная работа', 1.5],
  test: ['Контрольная работа', 2],
};

function m(value: string, workType = 'oral', o: Partial<ForecastMark> = {}): ForecastMark {
  const [workTypeName, weight] = TYPES[workType] ?? ['Работа', 1];
  return { value, workType, workTypeName, weight, status: 'active', ...o };
}

describe('averagesOf', () => {
  it('counts active numeric marks only, arithmetic and weighted, to 2 decimals', () => {
    const marks = [
      m('5', 'test'),
      m('4'),
      m('3', 'independent'),
      m('зач'),
      m('н/а'),
      m('2', 'test', { status: 'voided' }),
    ];
    expect(averagesOf(marks)).toEqual({ arithmetic: 4, weighted: 4.11, count: 3 });
  });

  it('is 0 without numeric marks', () => {
    expect(averagesOf([])).toEqual({ arithmetic: 0, weighted: 0, count: 0 });
    expect(averagesOf([m('зач'), m('осв')])).toEqual({ arithmetic: 0, weighted: 0, count: 0 });
  });
});

describe('roundByThreshold', () => {
  it('rounds up from the threshold fraction, exactly at it included', () => {
    expect(roundByThreshold(4.5, 0.5)).toBe(5);
    expect(roundByThreshold(4.49, 0.5)).toBe(4);
    expect(roundByThreshold(4.6, 0.6)).toBe(5);
    expect(roundByThreshold(4.59, 0.6)).toBe(4);
    expect(roundByThreshold(3.0, 0.5)).toBe(3);
    expect(roundByThreshold(5, 0.5)).toBe(5);
  });
});

describe('Russian wording', () => {
  it('agrees the count of fives', () => {
    expect(fivesNeeded(1)).toBe('нужна ещё одна пятёрка');
    expect(fivesNeeded(2)).toBe('нужны ещё две пятёрки');
    expect(fivesNeeded(3)).toBe('нужны ещё три пятёрки');
    expect(fivesNeeded(4)).toBe('нужны ещё четыре пятёрки');
    expect(fivesNeeded(5)).toBe('нужно ещё пять пятёрок');
    expect(fivesNeeded(10)).toBe('нужно ещё десять пятёрок');
    expect(fivesNeeded(11)).toBe('нужно ещё 11 пятёрок');
    expect(fivesNeeded(12)).toBe('нужно ещё 12 пятёрок');
    expect(fivesNeeded(21)).toBe('нужна ещё 21 пятёрка');
    expect(fivesNeeded(22)).toBe('нужны ещё 22 пятёрки');
    expect(pluralForm(14)).toBe('many');
    expect(pluralForm(104)).toBe('few');
  });

  it('puts work type names in the accusative after «за»', () => {
    expect(accusative('Контрольная работа')).toBe('контрольную работу');
    expect(accusative('Самостоятельная работа')).toBe('самостоятельную работу');
    expect(accusative('Домашняя работа')).toBe('домашнюю работу');
    expect(accusative('Ответ на уроке')).toBe('ответ на уроке');
    expect(accusative('Работа на уроке')).toBe('работу на уроке');
    expect(accusative('Устный ответ')).toBe('устный ответ');
    expect(accusative('Диктант')).toBe('диктант');
    expect(accusative('Лабораторная работа')).toBe('лабораторную работу');
    expect(accusative('ВПР')).toBe('ВПР');
  });
});

describe('adviceWorkTypes', () => {
  it('takes the heaviest and the lightest active type of the policy, ties to the type used more', () => {
    const types = adviceWorkTypes([m('4', 'homework'), m('5', 'homework'), m('3')], policy);
    expect(types?.heaviest).toEqual({ key: 'test', name: 'Контрольная работа', weight: 2 });
    expect(types?.lightest).toEqual({ key: 'homework', name: 'Домашняя работа', weight: 1 });
  });

  it('without a policy takes the types of the student’s marks', () => {
    const types = adviceWorkTypes([m('4', 'independent'), m('5')], null);
    expect(types?.heaviest.key).toBe('independent');
    expect(types?.lightest.key).toBe('oral');
  });
});

describe('marksNeeded', () => {
  it('finds the fewest marks that bring the weighted average to the target', () => {
    const marks = [
      { value: 4, weight: 1 },
      { value: 4, weight: 1 },
    ];
    expect(marksNeeded(marks, 5, 1, 4.5)).toBe(2);
    expect(marksNeeded(marks, 5, 2, 4.5)).toBe(1);
    // Unreachable targets say nothing.
    expect(marksNeeded([{ value: 1, weight: 100 }], 5, 1, 4.9)).toBeNull();
  });
});

describe('forecastOf', () => {
  it('forecasts from the weighted average and says how many fives of the heaviest and lightest type lift it', () => {
    // (5·2 + 4·1 + 3·1.5) / 4.5 = 4.11
    const result = forecastOf([m('5', 'test'), m('4'), m('3', 'independent')], policy);
    expect(result).toEqual({
      expected: '4',
      weightedAverage: 4.11,
      advice: [
        'Чтобы выйти на 5, нужны ещё две пятёрки за контрольную работу',
        'Чтобы выйти на 5, нужны ещё четыре пятёрки за ответ на уроке',
        'Одна двойка за контрольную работу опустит прогноз до 3',
      ],
    });
  });

  it('needs one five of a test from 4.4', () => {
    // 4, 5, 4, 5, 4 orally: 4.4 → one test 5 gives (22 + 10) / 7 = 4.57.
    const result = forecastOf([m('4'), m('5'), m('4'), m('5'), m('4')], policy);
    expect(result.expected).toBe('4');
    expect(result.weightedAverage).toBe(4.4);
    expect(result.advice[0]).toBe('Чтобы выйти на 5, нужна ещё одна пятёрка за контрольную работу');
    // (22 + 5) / 6 = 4.5: one oral five is enough too.
    expect(result.advice[1]).toBe('Чтобы выйти на 5, нужна ещё одна пятёрка за ответ на уроке');
  });

  it('says «нужно ещё пять пятёрок» when five are needed', () => {
    // Five fours orally: to 4.5 with oral fives (20 + 5n)/(5 + n) ≥ 4.5 → n = 5; with test fives
    // (20 + 10n)/(5 + 2n) ≥ 4.5 → n = 3; one test two: 24 / 7 = 3.43 → 3.
    const result = forecastOf([m('4'), m('4'), m('4'), m('4'), m('4')], policy);
    expect(result.expected).toBe('4');
    expect(result.advice).toEqual([
      'Чтобы выйти на 5, нужны ещё три пятёрки за контрольную работу',
      'Чтобы выйти на 5, нужно ещё пять пятёрок за ответ на уроке',
      'Одна двойка за контрольную работу опустит прогноз до 3',
    ]);
  });

  it('rounds up exactly at the threshold and warns that one two would lower it', () => {
    // (5 + 4) / 2 = 4.5 → 5; with a test two (9 + 4) / 4 = 3.25 → 3.
    const result = forecastOf([m('5'), m('4')], policy);
    expect(result).toEqual({
      expected: '5',
      weightedAverage: 4.5,
      advice: ['Одна двойка за контрольную работу опустит прогноз до 3'],
    });
  });

  it('uses the school’s threshold', () => {
    const strict = { ...policy, roundingThreshold: 0.6 };
    const result = forecastOf([m('5'), m('4')], strict);
    expect(result.expected).toBe('4');
    expect(result.advice[0]).toBe('Чтобы выйти на 5, нужна ещё одна пятёрка за контрольную работу');
  });

  it('asks for nothing when the forecast is already 5 and safe', () => {
    // 55 / 11 = 5; with a test two 59 / 13 = 4.54 → still 5.
    const fives = [1, 2, 3, 4, 5].map(() => m('5', 'test'));
    const result = forecastOf([...fives, m('5')], policy);
    expect(result).toEqual({ expected: '5', weightedAverage: 5, advice: [] });
  });

  it('warns an all-five student when a single test two would cost the 5', () => {
    // 35 / 7 = 5; with a test two 39 / 9 = 4.33 → 4.
    const result = forecastOf([m('5', 'test'), m('5', 'test'), m('5', 'test'), m('5')], policy);
    expect(result).toEqual({
      expected: '5',
      weightedAverage: 5,
      advice: ['Одна двойка за контрольную работу опустит прогноз до 4'],
    });
  });

  it('ignores voided marks', () => {
    const result = forecastOf([m('5'), m('2', 'test', { status: 'voided', value: '' })], policy);
    expect(result.expected).toBe('5');
    expect(result.weightedAverage).toBe(5);
  });

  it('without a policy rounds at 0.5 and names the types of the student’s marks', () => {
    // 10 / 2.5 = 4: (10 + 7.5n)/(2.5 + 1.5n) ≥ 4.5 → 2; (10 + 5n)/(2.5 + n) ≥ 4.5 → 3; 13 / 4 → 3.
    const result = forecastOf([m('4', 'independent'), m('4')], null);
    expect(result.expected).toBe('4');
    expect(result.advice).toEqual([
      'Чтобы выйти на 5, нужны ещё две пятёрки за самостоятельную работу',
      'Чтобы выйти на 5, нужны ещё три пятёрки за ответ на уроке',
      'Одна двойка за самостоятельную работу опустит прогноз до 3',
    ]);
  });

  it('names one type once when the heaviest and the lightest weigh the same', () => {
    const result = forecastOf([m('4', 'homework'), m('4', 'homework')], null);
    expect(result.advice).toEqual([
      'Чтобы выйти на 5, нужны ещё две пятёрки за домашнюю работу',
      'Одна двойка за домашнюю работу опустит прогноз до 3',
    ]);
  });

  it('says when there are no marks yet', () => {
    expect(forecastOf([], policy)).toEqual({ expected: '', weightedAverage: 0, advice: [NO_MARKS_ADVICE] });
    expect(NO_MARKS_ADVICE).toBe('Отметок пока нет — прогноз появится после первой отметки');
    expect(forecastOf([m('', 'oral', { status: 'voided' })], policy).advice).toEqual([NO_MARKS_ADVICE]);
  });

  it('forecasts nothing from pass/fail marks only', () => {
    expect(forecastOf([m('зач'), m('зач')], policy)).toEqual({
      expected: '',
      weightedAverage: 0,
      advice: [NO_NUMERIC_MARKS_ADVICE],
    });
  });
});
