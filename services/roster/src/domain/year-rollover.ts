import { createHash } from 'node:crypto';
import {
  GRADES,
  dateOfDay,
  dayNumber,
  yearName,
  type AcademicYear,
  type AcademicYearPlan,
  type DateRange,
  type OrderRef,
} from './academic-year';
import { enrolmentId, type Enrolment, type Movement } from './enrolment';
import type { FieldError } from './school';
import { className, type SchoolClass } from './school-class';
import type { Subgroup } from './subgroup';

// The year rollover (R2.5): from a closed year to the next, with classes one grade up.

/** What happens to a class of the old year. */
export type ClassOutcome = 'promoted' | 'graduated' | 'not_moved';

export interface ClassRollover {
  fromClassId: string;
  fromName: string;
  outcome: ClassOutcome;
  /** '' unless promoted. */
  toClassId: string;
  toName: string;
  /** Moving up, graduating, or left behind in a closed class. */
  students: number;
  subgroupsKept: number;
  /** The promoted class's teacher ('' when none or no longer working at the school). */
  classTeacherId: string;
}

/** What a rollover did or would do; stored on the old year once done, and answered to repeats. */
export interface RolloverSummary {
  dryRun: boolean;
  fromYearId: string;
  fromName: string;
  toYearId: string;
  toName: string;
  toDays: DateRange;
  graduatingGrades: number[];
  /** Every class of the old year, by grade and letter. */
  classes: ClassRollover[];
  classesPromoted: number;
  studentsPromoted: number;
  studentsGraduated: number;
  subgroupsKept: number;
  /** Active students of closed classes: neither promoted nor graduated. */
  studentsNotMoved: number;
  order: OrderRef;
  /** RFC 3339; '' until the rollover is finished (and in a dry run). */
  completedAt: string;
}

/** The grades that graduate when the request names none: the 11th, the last grade of school. */
export const DEFAULT_GRADUATING_GRADES = [11];

// Deterministic ids: every run of one rollover names the same new year, classes and subgroups,
// so a run interrupted half way is completed by the next one instead of doubling anything.
// UUID version 5 (SHA-1 of a namespace and a name, RFC 9562), in roster's own namespace.
const ROLLOVER_NAMESPACE = Buffer.from('3f0e8a52c1d74b6f9e2a7d4c5b6a8e91', 'hex');

export function derivedId(...name: string[]): string {
  const hash = createHash('sha1').update(ROLLOVER_NAMESPACE).update(name.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the year a rollover of `fromYearId` creates. */
export const nextYearId = (fromYearId: string) => derivedId('academic_year', fromYearId);
/** The id of the class an old class becomes. */
export const promotedClassId = (classId: string) => derivedId('class', classId);
/** The id of a subgroup kept at the rollover. */
export const keptSubgroupId = (subgroupId: string) => derivedId('subgroup', subgroupId);

function lastOfFebruary(year: number): string {
  return dateOfDay(dayNumber(`${String(year).padStart(4, '0')}-03-01`) - 1);
}

/**
 * The same day and month a year later; the last day of February stays the last (28 ↔ 29), so
 * that a period ending with February still ends with it.
 */
export function nextYearDate(date: string): string {
  const year = Number(date.slice(0, 4)) + 1;
  if (date.slice(5, 7) === '02' && lastOfFebruary(year - 1) === date) return lastOfFebruary(year);
  return `${String(year).padStart(4, '0')}${date.slice(4)}`;
}

/**
 * A range a year later. A start is the day after the shifted day before it: ranges that follow
 * each other without a gap (periods, holidays) still do after a leap day comes or goes.
 */
export function nextYearRange(range: DateRange): DateRange {
  return {
    startsOn: dateOfDay(dayNumber(nextYearDate(dateOfDay(dayNumber(range.startsOn) - 1))) + 1),
    endsOn: nextYearDate(range.endsOn),
  };
}

/** The next year's plan: the same holidays and period schemes one year later. */
export function nextYearPlan(year: AcademicYear): AcademicYearPlan {
  return {
    schoolId: year.schoolId,
    days: nextYearRange(year.days),
    holidays: year.holidays.map((h) => ({ name: h.name, days: nextYearRange(h.days) })),
    periodSchemes: year.periodSchemes.map((scheme) => ({
      grades: [...scheme.grades],
      kind: scheme.kind,
      periods: scheme.periods.map((p) => ({ number: p.number, days: nextYearRange(p.days) })),
    })),
  };
}

/** Graduating grades: whole numbers 1–11. */
export function graduatingGradeErrors(grades: number[]): FieldError[] {
  return grades.flatMap((grade, i) =>
    Number.isInteger(grade) && grade >= GRADES.min && grade <= GRADES.max
      ? []
      : [{ field: `graduatingGrades[${i}]`, message: `Параллель — число от ${GRADES.min} до ${GRADES.max}` }],
  );
}

/** Everything a rollover reads, for one school's closed year. */
export interface RolloverSource {
  fromYear: AcademicYear;
  /** The old year's classes, by grade and letter. */
  classes: SchoolClass[];
  /** The old year's enrolments. */
  enrolments: Enrolment[];
  /** The subgroups to keep, each checked to be open and of a promoted class. */
  keptSubgroups: Subgroup[];
  /** Whether a person still works at the school (class and subgroup teachers carry over then). */
  isActiveStaff: (personId: string) => boolean;
}

/** What the rollover writes, all of it new except the graduates' enrolments. */
export interface RolloverPlan {
  summary: RolloverSummary;
  year: AcademicYear;
  classes: SchoolClass[];
  /** The new year's enrolments, one per student moving up. */
  promotions: Enrolment[];
  /**
   * Per graduating class, the enrolments still to be ended (not those an interrupted run ended
   * already) and the one movement they all get.
   */
  graduating: { classId: string; ids: string[]; movement: Movement }[];
  /** Every graduate's enrolment as it stands after the rollover (for their events). */
  graduates: Enrolment[];
  subgroups: Subgroup[];
}

/** Does a class of the old year move up (open, not of a graduating grade)? */
export function isPromoted(schoolClass: SchoolClass, graduatingGrades: number[]): boolean {
  return schoolClass.status === 'open' && !graduatingGrades.includes(schoolClass.grade);
}

/**
 * Classes that cannot move up: a grade above the 11th, or a grade without study periods in the
 * new year. Every one is named, as a deputy would fix them.
 */
export function promotionErrors(
  classes: SchoolClass[],
  graduatingGrades: number[],
  next: AcademicYearPlan,
): FieldError[] {
  const errors: FieldError[] = [];
  const taught = new Set(next.periodSchemes.flatMap((s) => s.grades));
  for (const schoolClass of classes.filter((c) => isPromoted(c, graduatingGrades))) {
    const grade = schoolClass.grade + 1;
    if (grade > GRADES.max) {
      errors.push({
        field: 'graduatingGrades',
        message: `Класс ${className(schoolClass)}: ${grade}-го класса нет — укажите ${schoolClass.grade}-ю параллель среди выпускных`,
      });
    } else if (!taught.has(grade)) {
      errors.push({
        field: 'graduatingGrades',
        message: `Класс ${className(schoolClass)}: в учебном году нет учебных периодов для ${grade}-х классов — укажите ${schoolClass.grade}-ю параллель среди выпускных или добавьте ${grade}-ю в схему периодов`,
      });
    }
  }
  return errors;
}

/**
 * Plans a rollover: the new year (open, its id derived from the old one's), one class per
 * promoted class (grade + 1, the same letter, capacity and class teacher), a new enrolment per
 * active student of a promoted class (first movement `promoted`, from the old class, on the new
 * year's first day), the end of each graduate's enrolment (movement `graduated` on the old year's
 * last day), and the kept subgroups with the members who move up with the class.
 */
export function planRollover(
  source: RolloverSource,
  options: { graduatingGrades: number[]; order: OrderRef; dryRun: boolean },
  at: { now: string; by: string },
): RolloverPlan {
  const { fromYear, isActiveStaff } = source;
  const { graduatingGrades, order } = options;
  const next = nextYearPlan(fromYear);
  const year: AcademicYear = {
    ...next,
    id: nextYearId(fromYear.id),
    name: yearName(next.days),
    status: 'open',
    version: 1,
    createdAt: at.now,
    closures: [],
    transfers: [],
    changes: [],
    rolledOverFrom: fromYear.id,
  };
  const movement = (
    fields: Pick<Movement, 'kind' | 'fromClassId' | 'toClassId' | 'effectiveOn'>,
  ): Movement => ({
    ...fields,
    order,
    reason: '',
    recordedAt: at.now,
    recordedBy: at.by,
  });
  const activeIn = new Map<string, Enrolment[]>();
  const graduatedFrom = new Map<string, Enrolment[]>();
  for (const enrolment of source.enrolments) {
    if (enrolment.status === 'active') {
      activeIn.set(enrolment.classId, [...(activeIn.get(enrolment.classId) ?? []), enrolment]);
    } else if (enrolment.status === 'graduated') {
      // Ended by an earlier run of this rollover that did not finish: counted, not written again.
      const from = enrolment.movements.at(-1)?.fromClassId ?? '';
      graduatedFrom.set(from, [...(graduatedFrom.get(from) ?? []), enrolment]);
    }
  }
  const keptOf = new Map<string, Subgroup[]>();
  for (const subgroup of source.keptSubgroups) {
    keptOf.set(subgroup.classId, [...(keptOf.get(subgroup.classId) ?? []), subgroup]);
  }

  const plan: RolloverPlan = {
    summary: {
      dryRun: options.dryRun,
      fromYearId: fromYear.id,
      fromName: fromYear.name,
      toYearId: year.id,
      toName: year.name,
      toDays: year.days,
      graduatingGrades,
      classes: [],
      classesPromoted: 0,
      studentsPromoted: 0,
      studentsGraduated: 0,
      subgroupsKept: 0,
      studentsNotMoved: 0,
      order,
      completedAt: '',
    },
    year,
    classes: [],
    promotions: [],
    graduating: [],
    graduates: [],
    subgroups: [],
  };
  const { summary } = plan;
  for (const old of source.classes) {
    const students = activeIn.get(old.id) ?? [];
    const entry: ClassRollover = {
      fromClassId: old.id,
      fromName: className(old),
      outcome: 'not_moved',
      toClassId: '',
      toName: '',
      students: students.length,
      subgroupsKept: 0,
      classTeacherId: '',
    };
    summary.classes.push(entry);
    if (old.status !== 'open') {
      summary.studentsNotMoved += students.length;
      continue;
    }
    if (graduatingGrades.includes(old.grade)) {
      const already = graduatedFrom.get(old.id) ?? [];
      entry.outcome = 'graduated';
      entry.students += already.length;
      summary.studentsGraduated += entry.students;
      const graduation = movement({
        kind: 'graduated',
        fromClassId: old.id,
        toClassId: '',
        effectiveOn: fromYear.days.endsOn,
      });
      if (students.length > 0) {
        plan.graduating.push({ classId: old.id, ids: students.map((e) => e.id), movement: graduation });
      }
      plan.graduates.push(
        ...already,
        ...students.map((enrolment): Enrolment => ({
          ...enrolment,
          classId: '',
          status: 'graduated',
          movements: [...enrolment.movements, graduation],
          version: enrolment.version + 1,
        })),
      );
      continue;
    }
    const promoted: SchoolClass = {
      id: promotedClassId(old.id),
      schoolId: old.schoolId,
      academicYearId: year.id,
      grade: old.grade + 1,
      letter: old.letter,
      classTeacherId: old.classTeacherId && isActiveStaff(old.classTeacherId) ? old.classTeacherId : '',
      capacity: old.capacity,
      status: 'open',
      version: 1,
      createdAt: at.now,
    };
    Object.assign(entry, {
      outcome: 'promoted',
      toClassId: promoted.id,
      toName: className(promoted),
      classTeacherId: promoted.classTeacherId,
    });
    plan.classes.push(promoted);
    summary.classesPromoted += 1;
    summary.studentsPromoted += students.length;
    for (const enrolment of students) {
      plan.promotions.push({
        id: enrolmentId(year.id, enrolment.studentId),
        schoolId: enrolment.schoolId,
        academicYearId: year.id,
        studentId: enrolment.studentId,
        classId: promoted.id,
        status: 'active',
        movements: [
          movement({
            kind: 'promoted',
            fromClassId: old.id,
            toClassId: promoted.id,
            effectiveOn: year.days.startsOn,
          }),
        ],
        version: 1,
      });
    }
    const movingUp = new Set(students.map((e) => e.studentId));
    for (const subgroup of keptOf.get(old.id) ?? []) {
      plan.subgroups.push({
        id: keptSubgroupId(subgroup.id),
        schoolId: subgroup.schoolId,
        academicYearId: year.id,
        classId: promoted.id,
        subjectKey: subgroup.subjectKey,
        name: subgroup.name,
        teacherId: subgroup.teacherId && isActiveStaff(subgroup.teacherId) ? subgroup.teacherId : '',
        memberIds: subgroup.memberIds.filter((id) => movingUp.has(id)),
        history: [
          {
            kind: 'formed',
            added: subgroup.memberIds.filter((id) => movingUp.has(id)),
            removed: [],
            order,
            recordedAt: at.now,
            recordedBy: at.by,
          },
        ],
        status: 'open',
        version: 1,
        createdAt: at.now,
      });
      entry.subgroupsKept += 1;
      summary.subgroupsKept += 1;
    }
  }
  return plan;
}

/** The line the old year's change log keeps for a finished rollover. */
export function rolloverLine(summary: RolloverSummary): string {
  return `Переход на ${summary.toName} учебный год: переведено классов — ${summary.classesPromoted}, обучающихся — ${summary.studentsPromoted}; выпущено — ${summary.studentsGraduated}; подгрупп сохранено — ${summary.subgroupsKept}`;
}
