import { conflict, invalid, notFound, precondition, type DomainError, type FieldError } from '@edu/kit';
import { courseId, type CopiedClass, type CopyReader, type Course } from './copies';
import { canReadCourse, isSchoolHead, teachesCourse } from './journal-policy';
import type {
  Authorize,
  LessonRecordRepository,
  RequestContext,
  ThematicPlan,
  ThematicPlanRepository,
} from './ports';
import { periodsOf } from './study-periods';
import {
  emptyPlan,
  foreignItemErrors,
  isHeld,
  planItemErrors,
  planItems,
  planProgress,
  planSetFact,
  type PlanItemInput,
  type PlanProgress,
  type PlanTarget,
} from './thematic-plan';

// Thematic plans of courses (R2.4) and their progress (R5.9). A course is found by its computed
// id from the class (which decides the school and year), the subgroup and the subject.
//
// Who sets a plan: a teacher of the course (of any of its lessons) and the school's director or
// deputies. A course schedule has not told yet (no lessons, maybe no curriculum) still gets a
// plan when its class exists — the plan is often written in August, before the timetable — but
// then no teacher is known, so only the heads set it. Who reads: whoever reads the course's
// journal (its teachers, the class teacher, the heads and the school admin). An unknown class
// is refused like a forbidden one: whether it exists is not told.

export interface ThematicPlanDeps {
  plans: ThematicPlanRepository;
  /** Gradebook's copies: the class (school, year, grade), the course, the year's periods, the school's zone. */
  copies: Pick<CopyReader, 'schoolClass' | 'subgroup' | 'course' | 'year' | 'school'>;
  records: Pick<LessonRecordRepository, 'getMany'>;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

/** A course as the API names it. */
export interface CourseRefInput {
  classId: string;
  /** '' for the whole class. */
  subgroupId: string;
  subjectId: string;
}

/** A plan with the course it belongs to (null while schedule has not told the course). */
export interface PlanView {
  plan: ThematicPlan;
  course: Course | null;
}

export interface PlanProgressView extends PlanView {
  progress: PlanProgress;
}

/** The plan was saved by someone else since the caller read it (also the repository's answer). */
export function planVersionConflict(): DomainError {
  return conflict('plan.version_conflict', 'Тематический план уже изменили: обновите страницу и повторите');
}

/** The course of a reference, with its class; refused (as forbidden) when the class is unknown. */
async function courseOf(
  deps: ThematicPlanDeps,
  ctx: RequestContext,
  ref: CourseRefInput,
  action: string,
): Promise<{ schoolClass: CopiedClass; course: Course | null; target: PlanTarget }> {
  const errors: FieldError[] = [];
  if (!ref.classId) errors.push({ field: 'course.classId', message: 'Укажите класс' });
  if (!ref.subjectId) errors.push({ field: 'course.subjectId', message: 'Укажите предмет' });
  if (errors.length > 0) throw invalid('plan.invalid', 'Не указан курс тематического плана', errors);

  const schoolClass = await deps.copies.schoolClass(ref.classId);
  const object = `course:${ref.classId}:${ref.subgroupId || '-'}:${ref.subjectId}`;
  if (!schoolClass) {
    deps.authorize(ctx.actor, false, { action, object });
    // `authorize` throws on a refusal; this only tells the compiler.
    throw new Error('unreachable: authorize refuses');
  }
  const target: PlanTarget = {
    courseId: courseId({
      academicYearId: schoolClass.academicYearId,
      classId: schoolClass.id,
      subgroupId: ref.subgroupId,
      subjectId: ref.subjectId,
    }),
    schoolId: schoolClass.schoolId,
    academicYearId: schoolClass.academicYearId,
    classId: schoolClass.id,
    subgroupId: ref.subgroupId,
    subjectId: ref.subjectId,
  };
  return { schoolClass, course: await deps.copies.course(target.courseId), target };
}

/** A subgroup named for a course schedule has not told must be one of the class's. */
async function checkSubgroup(
  deps: ThematicPlanDeps,
  target: PlanTarget,
  course: Course | null,
): Promise<void> {
  if (course || !target.subgroupId) return;
  const subgroup = await deps.copies.subgroup(target.subgroupId);
  if (!subgroup || subgroup.classId !== target.classId) {
    throw notFound('plan.subgroup_not_found', 'Подгруппа не найдена в этом классе');
  }
}

/** Who reads the plan: whoever reads the course's journal (an untold course has no teachers). */
function authorizeRead(
  deps: ThematicPlanDeps,
  ctx: RequestContext,
  schoolClass: CopiedClass,
  course: Course | null,
  target: PlanTarget,
  action: string,
): void {
  const allowed = canReadCourse(ctx.actor, course ?? { schoolId: target.schoolId, lessons: [] }, schoolClass);
  deps.authorize(ctx.actor, allowed, { action, object: `course:${target.courseId}` });
}

/**
 * Sets a course's plan as a whole at the version the caller read (0: none yet); items keep the
 * ids given (of the stored plan), new ones get new ids, all are numbered in the given order.
 * Publishes edu.gradebook.plan.set in the same write. Hours differing from the curriculum's are
 * accepted and flagged.
 */
export async function setThematicPlan(
  deps: ThematicPlanDeps,
  ctx: RequestContext,
  input: { course: CourseRefInput; expectedVersion: number; items: PlanItemInput[] },
): Promise<PlanView> {
  const action = 'plan.set';
  const { schoolClass, course, target } = await courseOf(deps, ctx, input.course, action);
  const allowed =
    isSchoolHead(ctx.actor, target.schoolId) || (course !== null && teachesCourse(ctx.actor, course));
  deps.authorize(ctx.actor, allowed, { action, object: `course:${target.courseId}` });

  const errors: FieldError[] = [];
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0) {
    errors.push({
      field: 'expectedVersion',
      message: 'Укажите версию плана, которую вы изменяете (0 — если его ещё нет)',
    });
  }
  errors.push(...planItemErrors(input.items));
  if (errors.length > 0) throw invalid('plan.invalid', 'Тематический план заполнен с ошибками', errors);

  await checkSubgroup(deps, target, course);
  const year = await deps.copies.year(schoolClass.academicYearId);
  if (year?.status === 'closed') {
    throw precondition(
      'academic_year.closed',
      `Учебный год ${year.name} закрыт: тематический план не меняется`,
    );
  }

  const stored = (await deps.plans.get(target.courseId)) ?? emptyPlan(target);
  if (stored.version !== input.expectedVersion) throw planVersionConflict();
  const foreign = foreignItemErrors(input.items, stored);
  if (foreign.length > 0) throw invalid('plan.invalid', 'Тематический план заполнен с ошибками', foreign);

  const plan: ThematicPlan = {
    ...target,
    items: planItems(input.items, deps.newId),
    updatedBy: ctx.actor.personId ?? '',
    updatedAt: deps.now().toISOString(),
    version: stored.version + 1,
  };
  await deps.plans.save(plan, stored.version, [planSetFact(plan, course)], ctx);
  return { plan, course };
}

/** Reads a course's plan; an empty one at version 0 while none was set. */
export async function getThematicPlan(
  deps: ThematicPlanDeps,
  ctx: RequestContext,
  ref: CourseRefInput,
): Promise<PlanView> {
  const action = 'plan.read';
  const { schoolClass, course, target } = await courseOf(deps, ctx, ref, action);
  authorizeRead(deps, ctx, schoolClass, course, target, action);
  await checkSubgroup(deps, target, course);
  return { plan: (await deps.plans.get(target.courseId)) ?? emptyPlan(target), course };
}

/**
 * The plan's progress now: per study period of the class's grade, the lessons held (ended in
 * the school's time zone, not cancelled), those with a topic, the items their topics covered and
 * the hours covered so far; the items left in plan order.
 */
export async function getPlanProgress(
  deps: ThematicPlanDeps,
  ctx: RequestContext,
  ref: CourseRefInput,
): Promise<PlanProgressView> {
  const action = 'plan.progress';
  const { schoolClass, course, target } = await courseOf(deps, ctx, ref, action);
  authorizeRead(deps, ctx, schoolClass, course, target, action);
  await checkSubgroup(deps, target, course);

  const [plan, year, school] = await Promise.all([
    deps.plans.get(target.courseId),
    deps.copies.year(schoolClass.academicYearId),
    deps.copies.school(schoolClass.schoolId),
  ]);
  const now = deps.now();
  const heldLessons = (course?.lessons ?? []).filter((l) => isHeld(l, now, school?.timeZone ?? ''));
  const records =
    heldLessons.length > 0 ? await deps.records.getMany(heldLessons.map((l) => l.lessonId)) : [];
  const stored = plan ?? emptyPlan(target);
  return {
    plan: stored,
    course,
    progress: planProgress({
      plan: stored,
      periods: year ? periodsOf(year, schoolClass.grade) : [],
      heldLessons,
      records,
    }),
  };
}
