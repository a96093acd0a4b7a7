import type { PolicyDoc } from './model';

// The forecast of a period mark (R6.3): the weighted average rounded by the school's threshold,
// and advice in words a parent understands — how many fives of which work type lift the mark, and
// whether a single two would lower it. Pure arithmetic and Russian wording, no I/O.

/** The part of a mark the averages and the forecast need. */
export interface ForecastMark {
  value: string;
  weight: number;
  workType: string;
  workTypeName: string;
  status: string;
}

export interface Averages {
  arithmetic: number;
  weighted: number;
  /** Active numeric marks counted. */
  count: number;
}

export interface ForecastResult {
  /** "" without numeric marks. */
  expected: string;
  weightedAverage: number;
  advice: string[];
}

/** The rounding when the school has no policy (4.5 → 5). */
export const DEFAULT_ROUNDING_THRESHOLD = 0.5;
/** Advice asking for more fives than this says nothing useful. */
const MAX_FIVES = 50;
const EPSILON = 1e-9;

export const NO_MARKS_ADVICE = 'Отметок пока нет — прогноз появится после первой отметки';
export const NO_NUMERIC_MARKS_ADVICE =
  'По предмету стоят только отметки без баллов (зачёт) — прогноз не рассчитывается';

/** A mark "1".."5" as a number, null for anything else (зачёт, н/а, осв, voided ''). */
export function numericValue(value: string): number | null {
  return /^[1-5]$/.test(value) ? Number(value) : null;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function counted(marks: ForecastMark[]): { value: number; weight: number }[] {
  const result: { value: number; weight: number }[] = [];
  for (const mark of marks) {
    const value = numericValue(mark.value);
    if (mark.status !== 'active' || value === null) continue;
    result.push({ value, weight: mark.weight > 0 ? mark.weight : 1 });
  }
  return result;
}

/** Arithmetic and weighted averages over the active numeric marks, 0 when none, to 2 decimals. */
export function averagesOf(marks: ForecastMark[]): Averages {
  const numeric = counted(marks);
  if (numeric.length === 0) return { arithmetic: 0, weighted: 0, count: 0 };
  const sum = numeric.reduce((s, m) => s + m.value, 0);
  const weightedSum = numeric.reduce((s, m) => s + m.value * m.weight, 0);
  const weights = numeric.reduce((s, m) => s + m.weight, 0);
  return {
    arithmetic: round2(sum / numeric.length),
    weighted: round2(weightedSum / weights),
    count: numeric.length,
  };
}

/** A weighted average as a mark: up from the threshold's fraction (0.5: 4.5 → 5, 4.49 → 4). */
export function roundByThreshold(average: number, threshold: number): number {
  const whole = Math.floor(average + EPSILON);
  return average - whole >= threshold - EPSILON ? whole + 1 : whole;
}

/** A work type the advice may name: its key, name and weight. */
export interface AdviceWorkType {
  key: string;
  name: string;
  weight: number;
}

/**
 * The heaviest and the lightest work type the advice names. With a policy: its active work types;
 * ties go to the type the student has more marks of, then to the policy's order. Without one: the
 * types of the student's own marks (their weights from the marks).
 */
export function adviceWorkTypes(
  marks: ForecastMark[],
  policy: Pick<PolicyDoc, 'workTypes'> | null,
): { heaviest: AdviceWorkType; lightest: AdviceWorkType } | null {
  const used = new Map<string, number>();
  for (const mark of marks)
    if (mark.status === 'active') used.set(mark.workType, (used.get(mark.workType) ?? 0) + 1);
  let candidates: AdviceWorkType[];
  if (policy && policy.workTypes.some((w) => w.active && w.weight > 0)) {
    candidates = policy.workTypes
      .filter((w) => w.active && w.weight > 0)
      .map(({ key, name, weight }) => ({ key, name, weight }));
  } else {
    const byKey = new Map<string, AdviceWorkType>();
    for (const mark of marks) {
      if (mark.status !== 'active' || numericValue(mark.value) === null || byKey.has(mark.workType)) continue;
      byKey.set(mark.workType, {
        key: mark.workType,
        name: mark.workTypeName,
        weight: mark.weight > 0 ? mark.weight : 1,
      });
    }
    candidates = [...byKey.values()];
  }
  if (candidates.length === 0) return null;
  const pick = (better: (a: number, b: number) => boolean): AdviceWorkType =>
    candidates.reduce((best, w) =>
      better(w.weight, best.weight) ||
      (w.weight === best.weight && (used.get(w.key) ?? 0) > (used.get(best.key) ?? 0))
        ? w
        : best,
    );
  return { heaviest: pick((a, b) => a > b), lightest: pick((a, b) => a < b) };
}

/** The fewest marks of `value` with `weight` that bring the weighted average to `target`, or null. */
export function marksNeeded(
  marks: { value: number; weight: number }[],
  value: number,
  weight: number,
  target: number,
): number | null {
  let sum = marks.reduce((s, m) => s + m.value * m.weight, 0);
  let weights = marks.reduce((s, m) => s + m.weight, 0);
  for (let n = 1; n <= MAX_FIVES; n += 1) {
    sum += value * weight;
    weights += weight;
    if (round2(sum / weights) >= target - EPSILON) return n;
  }
  return null;
}

/** The expected period mark and the advice (R6.3). */
export function forecastOf(
  marks: ForecastMark[],
  policy: Pick<PolicyDoc, 'roundingThreshold' | 'workTypes'> | null,
): ForecastResult {
  const numeric = counted(marks);
  if (numeric.length === 0) {
    const anyActive = marks.some((m) => m.status === 'active' && m.value !== '');
    return {
      expected: '',
      weightedAverage: 0,
      advice: [anyActive ? NO_NUMERIC_MARKS_ADVICE : NO_MARKS_ADVICE],
    };
  }
  const threshold =
    policy && policy.roundingThreshold > 0 && policy.roundingThreshold < 1
      ? policy.roundingThreshold
      : DEFAULT_ROUNDING_THRESHOLD;
  const weightedAverage = averagesOf(marks).weighted;
  const expected = roundByThreshold(weightedAverage, threshold);
  const advice: string[] = [];
  const types = adviceWorkTypes(marks, policy);
  if (types && expected < 5) {
    const next = expected + 1;
    // The average from which the next mark is given: 4.5 for a 5 at threshold 0.5.
    const target = expected + threshold;
    const kinds =
      types.heaviest.weight === types.lightest.weight ? [types.heaviest] : [types.heaviest, types.lightest];
    for (const type of kinds) {
      const n = marksNeeded(numeric, 5, type.weight, target);
      if (n !== null) advice.push(`Чтобы выйти на ${next}, ${fivesNeeded(n)} за ${accusative(type.name)}`);
    }
  }
  if (types && expected > 1) {
    const heavy = types.heaviest;
    const after = numeric.concat({ value: 2, weight: heavy.weight });
    const lowered = roundByThreshold(
      round2(after.reduce((s, m) => s + m.value * m.weight, 0) / after.reduce((s, m) => s + m.weight, 0)),
      threshold,
    );
    if (lowered < expected)
      advice.push(`Одна двойка за ${accusative(heavy.name)} опустит прогноз до ${lowered}`);
  }
  return { expected: String(expected), weightedAverage, advice };
}

// --- Russian wording ----------------------------------------------------------------------------

const NUMBER_WORDS = [
  '',
  'одна',
  'две',
  'три',
  'четыре',
  'пять',
  'шесть',
  'семь',
  'восемь',
  'девять',
  'десять',
];

/** "one" / "few" / "many" of Russian plural agreement. */
export function pluralForm(n: number): 'one' | 'few' | 'many' {
  const lastTwo = n % 100;
  const last = n % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return 'many';
  if (last === 1) return 'one';
  if (last >= 2 && last <= 4) return 'few';
  return 'many';
}

/** «нужна ещё одна пятёрка», «нужны ещё две пятёрки», «нужно ещё пять пятёрок». */
export function fivesNeeded(n: number): string {
  const count = NUMBER_WORDS[n] ?? String(n);
  switch (pluralForm(n)) {
    case 'one':
      return `нужна ещё ${count} пятёрка`;
    case 'few':
      return `нужны ещё ${count} пятёрки`;
    case 'many':
      return `нужно ещё ${count} пятёрок`;
  }
}

/**
 * A work type's name in the accusative after «за», lower-cased: «Контрольная работа» →
 * «контрольную работу», «Домашняя работа» → «домашнюю работу», «Ответ на уроке» → «ответ на
 * уроке». Leading adjectives in -ая/-яя change, then the first noun in -а/-я; the rest stays.
 */
export function accusative(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (/ая$/.test(word)) words[i] = word.replace(/ая$/, 'ую');
    else if (/яя$/.test(word)) words[i] = word.replace(/яя$/, 'юю');
    else {
      if (/а$/.test(word)) words[i] = word.replace(/а$/, 'у');
      else if (/я$/.test(word)) words[i] = word.replace(/я$/, 'ю');
      break;
    }
  }
  const phrase = words.join(' ');
  // Lower-case the first letter unless the word is an abbreviation («ВПР»).
  return /^\p{Lu}\p{Ll}/u.test(phrase) ? phrase.charAt(0).toLowerCase() + phrase.slice(1) : phrase;
}
