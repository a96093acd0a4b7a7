import type { FieldError } from '@edu/kit';
import type { Course, CourseLesson } from './copies';
import { localInstant } from './entry-window';
import type { LessonRecord } from './lesson-record';
import type { GradebookFact, PlanItem, ThematicPlan } from './ports';
import type { StudyPeriod } from './study-periods';

// A course's thematic plan (КТП, R2.4): the ordered topics of the year with their hours, set as
// a whole. Lesson topics pick its items, so the plan's progress (R5.9) is what held lessons
// covered. The plan is accepted even when its hours differ from the curriculum's: the mismatch
// is shown, not refused — a teacher drafts the plan before schedule knows the curriculum.

/** Limits of a plan: a year of daily lessons fits with room to spare. */
export const PLAN_RULES = {
  maxItems: 400,
  maxTitleLength: 500,
  maxSectionLength: 200,
} as const;

/** One item as the teacher sends it: an existing item's id keeps it, '' makes a new one. */
export interface PlanItemInput {
  itemId: string;
  section: string;
  title: string;
  hours: number;
  controlWork: boolean;
}

/** What a plan belongs to: the course and where it lives. */
export type PlanTarget = Omit<ThematicPlan, 'items' | 'updatedBy' | 'updatedAt' | 'version'>;

/** A course's plan before anyone set it: no items, version 0 (what a reader sees, what Set creates on). */
export function emptyPlan(target: PlanTarget): ThematicPlan {
  return { ...target, items: [], updatedBy: '', updatedAt: '', version: 0 };
}

/** Form problems of the items, every one at once (ids are checked against the stored plan separately). */
export function planItemErrors(items: PlanItemInput[]): FieldError[] {
  const errors: FieldError[] = [];
  if (items.length > PLAN_RULES.maxItems) {
    errors.push({ field: 'items', message: `В тематическом плане не больше ${PLAN_RULES.maxItems} пунктов` });
  }
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const field = `items[${i}]`;
    const title = item.title.trim();
    if (!title) errors.push({ field: `${field}.title`, message: 'Укажите тему' });
    else if (title.length > PLAN_RULES.maxTitleLength) {
      errors.push({
        field: `${field}.title`,
        message: `Тема — не длиннее ${PLAN_RULES.maxTitleLength} символов`,
      });
    }
    if (item.section.trim().length > PLAN_RULES.maxSectionLength) {
      errors.push({
        field: `${field}.section`,
        message: `Раздел — не длиннее ${PLAN_RULES.maxSectionLength} символов`,
      });
    }
    if (!isHalfHours(item.hours)) {
      errors.push({ field: `${field}.hours`, message: 'Часы — число больше 0, кратное 0,5' });
    }
    if (item.itemId) {
      if (seen.has(item.itemId)) errors.push({ field: `${field}.itemId`, message: 'Пункт указан дважды' });
      seen.add(item.itemId);
    }
  });
  return errors;
}

/** Ids given for kept items that the stored plan does not have (a stale page or a foreign id). */
export function foreignItemErrors(items: PlanItemInput[], stored: ThematicPlan): FieldError[] {
  const known = new Set(stored.items.map((item) => item.id));
  const errors: FieldError[] = [];
  items.forEach((item, i) => {
    if (item.itemId && !known.has(item.itemId)) {
      errors.push({ field: `items[${i}].itemId`, message: 'Такого пункта нет в сохранённом плане' });
    }
  });
  return errors;
}

/** The items as stored: numbered 1..n in the given order, ids kept or new, text trimmed. */
export function planItems(items: PlanItemInput[], newId: () => string): PlanItem[] {
  return items.map((item, i) => ({
    id: item.itemId || newId(),
    number: i + 1,
    section: item.section.trim(),
    title: item.title.trim(),
    hours: item.hours,
    controlWork: item.controlWork,
  }));
}

/** Hours > 0 in steps of half an hour (a finite number). */
function isHalfHours(hours: number): boolean {
  return Number.isFinite(hours) && hours > 0 && Number.isInteger(hours * 2);
}

/** Sum of the items' hours (halves add up exactly in binary). */
export function totalHours(items: Pick<PlanItem, 'hours'>[]): number {
  return items.reduce((sum, item) => sum + item.hours, 0);
}

/**
 * The plan's hours against the curriculum's hours per year of the course: a mismatch also when
 * schedule has not told the curriculum (0 then), so an unchecked plan is never shown as fine.
 */
export function planHours(
  plan: Pick<ThematicPlan, 'items'>,
  course: Pick<Course, 'curriculum'> | null,
): { totalHours: number; curriculumHours: number; hoursMismatch: boolean } {
  const total = totalHours(plan.items);
  const curriculum = course?.curriculum;
  return {
    totalHours: total,
    curriculumHours: curriculum?.hoursPerYear ?? 0,
    hoursMismatch: !curriculum || Math.abs(total - curriculum.hoursPerYear) > 1e-9,
  };
}

/**
 * The plan as the `ThematicPlanState` message's plain fields (snake_case): one shape for the
 * `edu.gradebook.plan.set` event and the answers (the mapper's `toPlanState`), hours checked
 * against the course's curriculum as the copies know it now.
 */
export function planStateFields(plan: ThematicPlan, course: Pick<Course, 'curriculum'> | null) {
  const hours = planHours(plan, course);
  return {
    course_id: plan.courseId,
    school_id: plan.schoolId,
    academic_year_id: plan.academicYearId,
    class_id: plan.classId,
    subgroup_id: plan.subgroupId,
    subject_id: plan.subjectId,
    items: plan.items.map(planItemFields),
    total_hours: hours.totalHours,
    curriculum_hours: hours.curriculumHours,
    hours_mismatch: hours.hoursMismatch,
    updated_by: plan.updatedBy,
    updated_at: plan.updatedAt,
    version: String(plan.version),
  };
}

/** An item as the `PlanItemState` message's plain fields. */
export function planItemFields(item: PlanItem) {
  return {
    item_id: item.id,
    number: item.number,
    section: item.section,
    title: item.title,
    hours: item.hours,
    control_work: item.controlWork,
  };
}

/** `edu.gradebook.plan.set` with the plan as stored (keyed by school, the course is the aggregate). */
export function planSetFact(plan: ThematicPlan, course: Pick<Course, 'curriculum'> | null): GradebookFact {
  return {
    type: 'edu.gradebook.plan.set',
    schoolId: plan.schoolId,
    aggregateId: plan.courseId,
    aggregateVersion: plan.version,
    payload: { plan: planStateFields(plan, course) },
  };
}

/**
 * The plan's item a lesson topic picks, or null when there is no plan or no such item: the
 * lesson-record use case refuses a `plan_item_id` for which this is null.
 */
export function planItemOf(plan: ThematicPlan | null, itemId: string): PlanItem | null {
  return plan?.items.find((item) => item.id === itemId) ?? null;
}

/**
 * Whether a lesson was held by `now`: not cancelled and its end passed in the school's time zone
 * (UTC while the copy does not know the zone).
 */
export function isHeld(
  lesson: Pick<CourseLesson, 'status' | 'date' | 'endsAt'>,
  now: Date,
  timeZone: string,
): boolean {
  if (lesson.status !== 'scheduled') return false;
  return localInstant(lesson.date, lesson.endsAt || '23:59', timeZone || 'UTC').getTime() <= now.getTime();
}

/** One study period's row of the progress. */
export interface PeriodProgress {
  period: number;
  lessonsHeld: number;
  lessonsWithTopic: number;
  /** Plan items first covered by a lesson of this period. */
  itemsDone: number;
  /** Hours of the items covered up to the end of this period. */
  hoursDone: number;
}

/** The plan's progress (R5.9): per study period, and over the year so far. */
export interface PlanProgress {
  periods: PeriodProgress[];
  /** Items no held lesson picked yet, in plan order. */
  itemsLeft: PlanItem[];
  totalHours: number;
  hoursDone: number;
}

/**
 * How far held lessons covered the plan. An item counts once, in the period of the first held
 * lesson whose topic picks it (so the periods' items add up to the year's); topics picking an
 * item the plan no longer has count as topics, not as coverage. Rows are the grade's study
 * periods in date order, then any other period a held lesson names (a scheme roster changed).
 */
export function planProgress(input: {
  plan: Pick<ThematicPlan, 'items'>;
  periods: StudyPeriod[];
  /** The held lessons of the course (see `isHeld`). */
  heldLessons: CourseLesson[];
  /** Records of (some of) those lessons; a lesson without one has no topic. */
  records: Pick<LessonRecord, 'lessonId' | 'topic'>[];
}): PlanProgress {
  const rows = new Map<number, PeriodProgress>();
  const row = (period: number) => {
    let found = rows.get(period);
    if (!found) {
      found = { period, lessonsHeld: 0, lessonsWithTopic: 0, itemsDone: 0, hoursDone: 0 };
      rows.set(period, found);
    }
    return found;
  };
  for (const period of input.periods) row(period.number);

  const topics = new Map(input.records.map((r) => [r.lessonId, r.topic]));
  const items = new Map(input.plan.items.map((item) => [item.id, item]));
  /** Item id → the period that covered it first. */
  const coveredIn = new Map<string, number>();
  const lessons = [...input.heldLessons].sort(
    (a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber,
  );
  for (const lesson of lessons) {
    const progress = row(lesson.period);
    progress.lessonsHeld += 1;
    const topic = topics.get(lesson.lessonId);
    if (!topic) continue;
    progress.lessonsWithTopic += 1;
    if (items.has(topic.planItemId) && !coveredIn.has(topic.planItemId)) {
      coveredIn.set(topic.planItemId, lesson.period);
      progress.itemsDone += 1;
    }
  }

  const periodHours = new Map<number, number>();
  for (const [itemId, period] of coveredIn) {
    periodHours.set(period, (periodHours.get(period) ?? 0) + (items.get(itemId)?.hours ?? 0));
  }
  const known = new Set(input.periods.map((p) => p.number));
  const ordered = [
    ...input.periods.map((p) => row(p.number)),
    ...[...rows.values()].filter((r) => !known.has(r.period)).sort((a, b) => a.period - b.period),
  ];
  let cumulative = 0;
  for (const progress of ordered) {
    cumulative += periodHours.get(progress.period) ?? 0;
    progress.hoursDone = cumulative;
  }
  return {
    periods: ordered,
    itemsLeft: input.plan.items.filter((item) => !coveredIn.has(item.id)),
    totalHours: totalHours(input.plan.items),
    hoursDone: cumulative,
  };
}
