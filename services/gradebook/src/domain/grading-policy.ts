import { invalid, type FieldError } from '@edu/kit';

// A school's grading policy: scales, work types and their weights, the entry and correction
// windows, the period-mark window and the accumulation table. Defaults follow the strictest of
// the regulations (marks on the lesson's day, corrections within 7 days by the author with a
// reason, period marks in the last 5 days of the period, the first grade without marks).

/** "five_point" 1–5, "five_point_2_5" 2–5, "pass_fail" зачёт/незачёт, "none" no marks (R5.7). */
export const SCALES = ['five_point', 'five_point_2_5', 'pass_fail', 'none'] as const;
export type Scale = (typeof SCALES)[number];

export const ENTRY_DEADLINES = ['same_day', 'next_monday', 'days'] as const;
export type EntryDeadline = (typeof ENTRY_DEADLINES)[number];

/** The special values, allowed by the policy's switches. */
export const NOT_ATTESTED = 'н/а';
export const EXEMPT = 'осв';
export const PASS = 'зачёт';
export const FAIL = 'незачёт';

export interface WorkType {
  key: string;
  name: string;
  weight: number;
  /** False: kept for the marks that have it, not offered for new ones. */
  active: boolean;
}

export interface ScaleRule {
  grades: number[];
  /** Empty: every subject. */
  subjectKeys: string[];
  scale: Scale;
}

export interface AccumulationRule {
  minHoursPerWeek: number;
  minMarks: number;
}

export interface GradingPolicy {
  schoolId: string;
  /** The last matching rule wins; five_point when none matches. */
  scales: ScaleRule[];
  workTypes: WorkType[];
  entryDeadline: EntryDeadline;
  /** Days after the lesson's day when `entryDeadline` is "days". */
  entryDays: number;
  /** Days after posting within which the author corrects; 0: only a deputy or the director. */
  correctionDays: number;
  /** Period marks in the last N days of the period, up to its last day. */
  periodMarkWindowDays: number;
  accumulation: AccumulationRule[];
  allowNotAttested: boolean;
  allowExempt: boolean;
  /** A weighted average rounds up from this fraction (0.5: 4.5 → 5). */
  roundingThreshold: number;
  /** Marks at or below it are low (notifications). */
  lowMarkThreshold: number;
  updatedBy: string;
  updatedAt: string;
  /** 0 for the defaults (never stored), +1 per change. */
  version: number;
}

/** The work types every school starts with (editable): weights as most schools' regulations. */
export const DEFAULT_WORK_TYPES: WorkType[] = [
  { key: 'oral', name: 'Устный ответ', weight: 1, active: true },
  { key: 'classwork', name: 'Работа на уроке', weight: 1, active: true },
  { key: 'homework', name: 'Домашняя работа', weight: 1, active: true },
  { key: 'independent', name: 'Самостоятельная работа', weight: 1.5, active: true },
  { key: 'dictation', name: 'Диктант', weight: 2, active: true },
  { key: 'verification', name: 'Проверочная работа', weight: 1.5, active: true },
  { key: 'laboratory', name: 'Лабораторная работа', weight: 1.5, active: true },
  { key: 'practical', name: 'Практическая работа', weight: 1.5, active: true },
  { key: 'essay', name: 'Сочинение', weight: 2, active: true },
  { key: 'presentation', name: 'Изложение', weight: 2, active: true },
  { key: 'test', name: 'Контрольная работа', weight: 2, active: true },
];

export function defaultPolicy(schoolId: string): GradingPolicy {
  return {
    schoolId,
    scales: [{ grades: [1], subjectKeys: [], scale: 'none' }],
    workTypes: DEFAULT_WORK_TYPES.map((w) => ({ ...w })),
    entryDeadline: 'same_day',
    entryDays: 0,
    correctionDays: 7,
    periodMarkWindowDays: 5,
    accumulation: [
      { minHoursPerWeek: 0, minMarks: 3 },
      { minHoursPerWeek: 2, minMarks: 5 },
      { minHoursPerWeek: 3, minMarks: 7 },
    ],
    allowNotAttested: true,
    allowExempt: true,
    roundingThreshold: 0.5,
    lowMarkThreshold: 2,
    updatedBy: '',
    updatedAt: '',
    version: 0,
  };
}

/** The scale of a subject in a grade: the last matching rule, five_point when none. */
export function scaleFor(policy: GradingPolicy, grade: number, subjectKey: string): Scale {
  let scale: Scale = 'five_point';
  for (const rule of policy.scales) {
    if (!rule.grades.includes(grade)) continue;
    if (rule.subjectKeys.length > 0 && !rule.subjectKeys.includes(subjectKey)) continue;
    scale = rule.scale;
  }
  return scale;
}

/** The values a scale accepts besides the special ones. */
export function scaleValues(scale: Scale): string[] {
  switch (scale) {
    case 'five_point':
      return ['1', '2', '3', '4', '5'];
    case 'five_point_2_5':
      return ['2', '3', '4', '5'];
    case 'pass_fail':
      return [PASS, FAIL];
    case 'none':
      return [];
  }
}

/** Why a value is not a mark on the scale under the policy (Russian), or null when it is. */
export function markValueProblem(policy: GradingPolicy, scale: Scale, value: string): string | null {
  if (scale === 'none') return 'в этом классе по этому предмету отметки не ставятся (безотметочное обучение)';
  if (value === NOT_ATTESTED) return policy.allowNotAttested ? null : 'отметка «н/а» в школе не используется';
  if (value === EXEMPT) return policy.allowExempt ? null : 'отметка «осв» в школе не используется';
  if (scaleValues(scale).includes(value)) return null;
  return `допустимые отметки: ${[...scaleValues(scale), ...specialValues(policy)].join(', ')}`;
}

function specialValues(policy: GradingPolicy): string[] {
  return [...(policy.allowNotAttested ? [NOT_ATTESTED] : []), ...(policy.allowExempt ? [EXEMPT] : [])];
}

/** The numeric value of a mark for averages; null for pass/fail and the special values. */
export function numericValue(value: string): number | null {
  return /^[1-5]$/.test(value) ? Number(value) : null;
}

/** Marks needed in a period for a weekly load: the rule with the largest threshold at or below it. */
export function requiredMarks(policy: GradingPolicy, hoursPerWeek: number): number {
  let required = 0;
  let threshold = -1;
  for (const rule of policy.accumulation) {
    if (rule.minHoursPerWeek <= hoursPerWeek && rule.minHoursPerWeek > threshold) {
      threshold = rule.minHoursPerWeek;
      required = rule.minMarks;
    }
  }
  return required;
}

/** A weighted average as a mark by the school's rounding threshold (4.5 → 5 at 0.5). */
export function roundAverage(policy: Pick<GradingPolicy, 'roundingThreshold'>, average: number): number {
  const whole = Math.floor(average);
  return average - whole >= policy.roundingThreshold - 1e-9 ? whole + 1 : whole;
}

/** The work type of a key, inactive ones included (history). */
export function workTypeOf(policy: GradingPolicy, key: string): WorkType | undefined {
  return policy.workTypes.find((w) => w.key === key);
}

const KEY = /^[a-z][a-z0-9_]{0,31}$/;

/** Checks a policy a school sets; every problem listed (Russian), nothing changed on any. */
export function validatePolicy(policy: GradingPolicy): void {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  policy.scales.forEach((rule, i) => {
    if (!SCALES.includes(rule.scale)) add(`scales[${i}].scale`, `неизвестная шкала «${rule.scale}»`);
    if (rule.grades.length === 0)
      add(`scales[${i}].grades`, 'укажите классы (параллели), к которым относится шкала');
    if (rule.grades.some((g) => !Number.isInteger(g) || g < 1 || g > 11))
      add(`scales[${i}].grades`, 'параллель — число от 1 до 11');
  });
  const keys = new Set<string>();
  policy.workTypes.forEach((w, i) => {
    if (!KEY.test(w.key))
      add(`workTypes[${i}].key`, 'ключ вида работы — латинские строчные буквы, цифры и _');
    if (keys.has(w.key)) add(`workTypes[${i}].key`, `вид работы «${w.key}» указан дважды`);
    keys.add(w.key);
    if (!w.name.trim()) add(`workTypes[${i}].name`, 'укажите название вида работы');
    if (!(w.weight > 0 && w.weight <= 10))
      add(`workTypes[${i}].weight`, 'вес — число больше 0 и не больше 10');
  });
  if (!policy.workTypes.some((w) => w.active)) add('workTypes', 'нужен хотя бы один действующий вид работы');
  if (!ENTRY_DEADLINES.includes(policy.entryDeadline))
    add('entryDeadline', 'срок ввода: same_day, next_monday или days');
  if (
    policy.entryDeadline === 'days' &&
    !(Number.isInteger(policy.entryDays) && policy.entryDays >= 1 && policy.entryDays <= 14)
  )
    add('entryDays', 'срок ввода в днях — от 1 до 14');
  if (!(Number.isInteger(policy.correctionDays) && policy.correctionDays >= 0 && policy.correctionDays <= 30))
    add('correctionDays', 'срок исправления — от 0 до 30 дней');
  if (!(
    Number.isInteger(policy.periodMarkWindowDays) &&
    policy.periodMarkWindowDays >= 1 &&
    policy.periodMarkWindowDays <= 30
  ))
    add('periodMarkWindowDays', 'окно выставления итоговых отметок — от 1 до 30 дней');
  policy.accumulation.forEach((rule, i) => {
    if (!(rule.minHoursPerWeek >= 0 && rule.minHoursPerWeek <= 40))
      add(`accumulation[${i}].minHoursPerWeek`, 'часы в неделю — от 0 до 40');
    if (!(Number.isInteger(rule.minMarks) && rule.minMarks >= 0 && rule.minMarks <= 50))
      add(`accumulation[${i}].minMarks`, 'число отметок — от 0 до 50');
  });
  if (!(policy.roundingThreshold > 0 && policy.roundingThreshold < 1))
    add('roundingThreshold', 'порог округления — дробь больше 0 и меньше 1, например 0.5');
  if (!(
    Number.isInteger(policy.lowMarkThreshold) &&
    policy.lowMarkThreshold >= 1 &&
    policy.lowMarkThreshold <= 4
  ))
    add('lowMarkThreshold', 'порог низкой отметки — от 1 до 4');
  if (errors.length > 0) throw invalid('policy.invalid', 'Политика оценивания заполнена с ошибками', errors);
}
