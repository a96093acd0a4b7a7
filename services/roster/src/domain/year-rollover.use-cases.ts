import { conflict, invalid, notFound, precondition } from '@edu/kit';
import {
  orderErrors,
  planRuleErrors,
  ruDate,
  yearName,
  type AcademicYear,
  type OrderRef,
} from './academic-year';
import { ACADEMIC_YEAR_OPENED } from './academic-year.use-cases';
import type {
  AcademicYearRepository,
  Authorize,
  EnrolmentRepository,
  PersonRepository,
  RequestContext,
  SchoolClassRepository,
  SubgroupRepository,
} from './ports';
import type { FieldError } from './school';
import { className, type SchoolClass } from './school-class';
import { authorizeOrHide, canManageSchool, canReadSchool } from './school-policy';
import type { Subgroup } from './subgroup';
import {
  DEFAULT_GRADUATING_GRADES,
  graduatingGradeErrors,
  isPromoted,
  nextYearId,
  nextYearPlan,
  planRollover,
  promotionErrors,
  rolloverLine,
  type RolloverPlan,
  type RolloverSummary,
} from './year-rollover';

export const YEAR_ROLLED_OVER = 'edu.roster.academic_year.rolled_over' as const;

export interface RolloverDeps {
  academicYears: AcademicYearRepository;
  schoolClasses: SchoolClassRepository;
  enrolments: EnrolmentRepository;
  subgroups: Pick<SubgroupRepository, 'get' | 'listByClass' | 'create'>;
  people: Pick<PersonRepository, 'get'>;
  authorize: Authorize;
  now: () => Date;
  /** Runs the bulk write with event publishing held back until it is done (the outbox relay). */
  quietly: <T>(write: () => Promise<T>) => Promise<T>;
  /** Runs `work` while no other rollover of the same key runs (in this process). */
  exclusive: <T>(key: string, work: () => Promise<T>) => Promise<T>;
}

export interface RolloverInput {
  fromYearId: string;
  order: OrderRef;
  dryRun: boolean;
  /** Empty means the 11th grade. */
  graduatingGrades: number[];
  keepSubgroupIds: string[];
  keepSubgroupsOfClassIds: string[];
}

/**
 * Rolls a closed year over into the next (R2.5): the next year with the same periods and holidays
 * a year later, every open class one grade up with its letter and class teacher, each active
 * student in the promoted class (a new enrolment, movement `promoted`), graduates of the
 * graduating grades (movement `graduated`), and the subgroups asked for. Everything is checked
 * before anything is written; a dry run stops there. Ids derive from the old year's, so a second
 * run after an interrupted one completes it; after a finished one, any run answers the stored
 * summary and writes nothing. Written in bulk with the relay quiet; the old year's
 * edu.roster.academic_year.rolled_over comes last.
 */
export async function rolloverAcademicYear(
  deps: RolloverDeps,
  ctx: RequestContext,
  input: RolloverInput,
): Promise<RolloverSummary> {
  const prepared = await prepare(deps, ctx, input);
  if (prepared.done) return { ...prepared.done, dryRun: input.dryRun };
  if (input.dryRun) return prepared.plan.summary;
  // The plan is made again inside: a concurrent run may have finished meanwhile.
  return deps.exclusive(`rollover:${input.fromYearId}`, async () => {
    const fresh = await prepare(deps, ctx, input);
    if (fresh.done) return fresh.done;
    return deps.quietly(() => write(deps, ctx, fresh.fromYear, fresh.plan));
  });
}

type Prepared =
  | { done: RolloverSummary; fromYear: AcademicYear }
  | { done?: undefined; fromYear: AcademicYear; plan: RolloverPlan };

async function prepare(deps: RolloverDeps, ctx: RequestContext, input: RolloverInput): Promise<Prepared> {
  const yearNotFound = () => notFound('academic_year.not_found', 'Учебный год не найден');
  const fromYear = await deps.academicYears.get(input.fromYearId);
  if (!fromYear) throw yearNotFound();
  const what = { action: 'academic_year.rollover', object: `academic_year:${fromYear.id}` };
  // A stranger to the school is refused as if the year did not exist (the denial is logged).
  authorizeOrHide(deps, ctx, canReadSchool(ctx.actor, fromYear.schoolId), what, yearNotFound);
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, fromYear.schoolId), what);
  const graduatingGrades =
    input.graduatingGrades.length > 0
      ? [...new Set(input.graduatingGrades)].sort((a, b) => a - b)
      : DEFAULT_GRADUATING_GRADES;
  const formErrors: FieldError[] = [
    ...orderErrors(input.order),
    ...graduatingGradeErrors(input.graduatingGrades),
    ...input.keepSubgroupIds.flatMap((id, i) =>
      id.trim() ? [] : [{ field: `keepSubgroupIds[${i}]`, message: 'Пустой идентификатор подгруппы' }],
    ),
    ...input.keepSubgroupsOfClassIds.flatMap((id, i) =>
      id.trim() ? [] : [{ field: `keepSubgroupsOfClassIds[${i}]`, message: 'Пустой идентификатор класса' }],
    ),
  ];
  if (formErrors.length > 0) {
    throw invalid('rollover.invalid', 'Перевод на новый учебный год заполнен с ошибками', formErrors);
  }
  if (fromYear.rollover) return { done: fromYear.rollover, fromYear };
  if (fromYear.status !== 'closed') {
    throw precondition(
      'academic_year.not_closed',
      `Учебный год ${fromYear.name} не закрыт: сначала закройте его приказом, затем переводите`,
    );
  }
  const next = nextYearPlan(fromYear);
  const calendarErrors = planRuleErrors(next);
  if (calendarErrors.length > 0) {
    // A valid calendar shifted by a year stays valid but at the edges (a 366-day year that
    // becomes 367 days long): every problem is named.
    throw precondition(
      'rollover.calendar_invalid',
      `Календарь учебного года ${fromYear.name}, сдвинутый на год, нарушает правила календаря`,
      calendarErrors,
    );
  }
  const toYearId = nextYearId(fromYear.id);
  const taken = (await deps.academicYears.listBySchool(fromYear.schoolId)).find(
    (year) =>
      year.id !== toYearId &&
      year.id !== fromYear.id &&
      (year.name === yearName(next.days) ||
        (year.days.startsOn <= next.days.endsOn && next.days.startsOn <= year.days.endsOn)),
  );
  if (taken) {
    throw conflict(
      'academic_year.next_exists',
      `Учебный год ${taken.name} (${ruDate(taken.days.startsOn)}–${ruDate(taken.days.endsOn)}) уже открыт не переводом из ${fromYear.name}: перевести классы в него нельзя`,
    );
  }

  const classes = await deps.schoolClasses.listByYear(fromYear.id);
  const keptSubgroups = await subgroupsToKeep(deps, fromYear, classes, graduatingGrades, input);
  const promotion = promotionErrors(classes, graduatingGrades, next);
  if (promotion.length > 0) {
    throw precondition(
      'rollover.no_next_grade',
      'Не все классы можно перевести в следующий: укажите выпускные параллели',
      promotion,
    );
  }
  const enrolments = await deps.enrolments.listByYear(fromYear.id);
  const teacherIds = new Set(
    [
      ...classes.filter((c) => isPromoted(c, graduatingGrades)).map((c) => c.classTeacherId),
      ...keptSubgroups.map((s) => s.teacherId),
    ].filter(Boolean),
  );
  const activeStaff = new Set<string>();
  for (const id of teacherIds) {
    const person = await deps.people.get(id);
    if (person?.schoolId === fromYear.schoolId && person.kind === 'staff' && person.status === 'active') {
      activeStaff.add(id);
    }
  }
  const plan = planRollover(
    { fromYear, classes, enrolments, keptSubgroups, isActiveStaff: (id) => activeStaff.has(id) },
    { graduatingGrades, order: input.order, dryRun: input.dryRun },
    { now: deps.now().toISOString(), by: ctx.actor.accountId },
  );
  return { fromYear, plan };
}

/**
 * The subgroups named by id or by class, each open and of a class that moves up; every one that
 * is not is named by its place in the request.
 */
async function subgroupsToKeep(
  deps: RolloverDeps,
  fromYear: AcademicYear,
  classes: SchoolClass[],
  graduatingGrades: number[],
  input: RolloverInput,
): Promise<Subgroup[]> {
  const classById = new Map(classes.map((c) => [c.id, c]));
  const errors: FieldError[] = [];
  const notMoving = (schoolClass: SchoolClass) =>
    schoolClass.status === 'open'
      ? `Класс ${className(schoolClass)} выпускается: его подгруппы не переносятся`
      : `Класс ${className(schoolClass)} закрыт: его подгруппы не переносятся`;
  const kept = new Map<string, Subgroup>();
  for (const [i, id] of input.keepSubgroupsOfClassIds.entries()) {
    const field = `keepSubgroupsOfClassIds[${i}]`;
    const schoolClass = classById.get(id);
    if (!schoolClass) {
      errors.push({ field, message: `Класс не найден в учебном году ${fromYear.name}` });
    } else if (!isPromoted(schoolClass, graduatingGrades)) {
      errors.push({ field, message: notMoving(schoolClass) });
    } else {
      for (const subgroup of await deps.subgroups.listByClass(id, { includeClosed: false })) {
        kept.set(subgroup.id, subgroup);
      }
    }
  }
  for (const [i, id] of input.keepSubgroupIds.entries()) {
    const field = `keepSubgroupIds[${i}]`;
    const subgroup = kept.get(id) ?? (await deps.subgroups.get(id));
    const schoolClass = subgroup ? classById.get(subgroup.classId) : undefined;
    if (!subgroup || !schoolClass || subgroup.status !== 'open') {
      errors.push({ field, message: `Действующая подгруппа не найдена в учебном году ${fromYear.name}` });
    } else if (!isPromoted(schoolClass, graduatingGrades)) {
      errors.push({ field, message: notMoving(schoolClass) });
    } else {
      kept.set(subgroup.id, subgroup);
    }
  }
  if (errors.length > 0) {
    throw invalid('rollover.invalid', 'Перевод на новый учебный год заполнен с ошибками', errors);
  }
  return [...kept.values()];
}

/**
 * Writes the plan, skipping whatever an earlier, interrupted run wrote (the ids are the same):
 * the year, classes, the new enrolments in bulk, the graduates in bulk, the kept subgroups, and last the old year with the summary, the graduates' events and
 * edu.roster.academic_year.rolled_over: that write makes the rollover finished, so the graduates'
 * events are written exactly once whether or not a run died after ending their enrolments.
 */
async function write(
  deps: RolloverDeps,
  ctx: RequestContext,
  fromYear: AcademicYear,
  plan: RolloverPlan,
): Promise<RolloverSummary> {
  // A new year has nothing in it yet: only a run that resumes looks for what is there already.
  const resuming = (await deps.academicYears.get(plan.year.id)) !== null;
  if (!resuming) {
    await deps.academicYears.create(
      plan.year,
      [{ type: ACADEMIC_YEAR_OPENED, academicYear: plan.year }],
      ctx,
    );
  }
  const there = async <T extends { id: string }>(list: () => Promise<T[]>) =>
    new Set(resuming ? (await list()).map((item) => item.id) : []);
  const classesThere = await there(() => deps.schoolClasses.listByYear(plan.year.id));
  for (const schoolClass of plan.classes.filter((c) => !classesThere.has(c.id))) {
    await deps.schoolClasses.create(schoolClass, [{ type: 'edu.roster.class.opened', schoolClass }], ctx);
  }
  const enrolledThere = await there(() => deps.enrolments.listByYear(plan.year.id));
  await deps.enrolments.createMany(
    plan.promotions
      .filter((e) => !enrolledThere.has(e.id))
      .map((enrolment) => ({
        enrolment,
        events: [
          { type: 'edu.roster.student.promoted' as const, enrolment, movement: enrolment.movements[0]! },
        ],
      })),
    ctx,
  );
  await deps.enrolments.endMany(
    plan.graduating.flatMap(({ ids, movement }) => ids.map((id) => ({ id, movement }))),
    'graduated',
  );
  for (const subgroup of plan.subgroups) {
    if (!resuming || !(await deps.subgroups.get(subgroup.id))) {
      await deps.subgroups.create(subgroup, [{ type: 'edu.roster.subgroup.formed', subgroup }], ctx);
    }
  }
  const completedAt = deps.now().toISOString();
  const summary: RolloverSummary = { ...plan.summary, dryRun: false, completedAt };
  const done: AcademicYear = {
    ...fromYear,
    version: fromYear.version + 1,
    rollover: summary,
    changes: [
      ...fromYear.changes,
      {
        kind: 'rolled_over',
        order: summary.order,
        recordedAt: completedAt,
        recordedBy: ctx.actor.accountId,
        summary: [rolloverLine(summary)],
      },
    ],
  };
  await deps.academicYears.update(
    done,
    fromYear.version,
    [
      // The graduates' enrolments changed in bulk without events: theirs come with the year.
      ...plan.graduates.map((enrolment) => ({
        type: 'edu.roster.student.graduated' as const,
        enrolment,
        movement: enrolment.movements.at(-1)!,
      })),
      { type: YEAR_ROLLED_OVER, academicYear: done, rollover: summary },
    ],
    ctx,
  );
  return summary;
}
