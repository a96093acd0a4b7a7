import { conflict, invalid, notFound, type DomainError } from '@edu/kit';
import {
  bellFormErrors,
  bellRuleViolation,
  bellScheduleId,
  normaliseName,
  shiftErrors,
  sortLessons,
  type BellLesson,
  type BellSchedule,
} from './bell-schedule';
import type { Authorize, BellScheduleRepository, RequestContext } from './ports';
import { authorizeInSchool, canManageSchedule, canReadSchoolPlans } from './schedule-policy';

export interface BellScheduleDeps {
  bellSchedules: BellScheduleRepository;
  authorize: Authorize;
  now: () => Date;
}

const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');

export function bellsVersionConflict(): DomainError {
  return conflict('bells.version_conflict', 'Расписание звонков уже изменили: обновите страницу и повторите');
}

/**
 * Sets the bell schedule of a school's shift as a whole (director, deputy, school admin), based
 * on the version the caller saw (0: none yet). Publishes edu.schedule.bells.set.
 */
export async function setBellSchedule(
  deps: BellScheduleDeps,
  ctx: RequestContext,
  input: { schoolId: string; shift: number; name: string; lessons: BellLesson[]; expectedVersion: number },
): Promise<BellSchedule> {
  authorizeInSchool(
    deps,
    ctx,
    input.schoolId,
    canManageSchedule(ctx.actor, input.schoolId),
    { action: 'bells.set', object: `school:${input.schoolId}` },
    schoolNotFound,
  );
  const name = normaliseName(input.name);
  const lessons = input.lessons.map((l) => ({
    number: l.number,
    startsAt: l.startsAt.trim(),
    endsAt: l.endsAt.trim(),
  }));
  const errors = bellFormErrors({ shift: input.shift, name, lessons });
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0) {
    errors.push({
      field: 'expectedVersion',
      message: 'Укажите версию расписания звонков, которую вы изменяете (0 — если его ещё нет)',
    });
  }
  if (errors.length > 0) throw invalid('bells.invalid', 'Расписание звонков заполнено с ошибками', errors);
  const violation = bellRuleViolation(lessons);
  if (violation) throw invalid(violation.code, violation.detail, violation.errors);

  const id = bellScheduleId(input.schoolId, input.shift);
  const stored = await deps.bellSchedules.get(id);
  if ((stored?.version ?? 0) !== input.expectedVersion) throw bellsVersionConflict();
  const now = deps.now().toISOString();
  const bellSchedule: BellSchedule = {
    id,
    schoolId: input.schoolId,
    shift: input.shift,
    name,
    lessons: sortLessons(lessons),
    version: input.expectedVersion + 1,
    createdAt: stored?.createdAt ?? now,
    updatedAt: now,
    updatedBy: ctx.actor.accountId,
  };
  await deps.bellSchedules.save(
    bellSchedule,
    input.expectedVersion,
    [{ type: 'edu.schedule.bells.set', bellSchedule }],
    ctx,
  );
  return bellSchedule;
}

/** The bell schedule of a school's shift: anyone with a role in the school. */
export async function getBellSchedule(
  deps: BellScheduleDeps,
  ctx: RequestContext,
  query: { schoolId: string; shift: number },
): Promise<BellSchedule> {
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    canReadSchoolPlans(ctx.actor, query.schoolId),
    { action: 'bells.read', object: `school:${query.schoolId}` },
    schoolNotFound,
  );
  const errors = shiftErrors(query.shift);
  if (errors.length > 0) throw invalid('bells.invalid', 'Смена указана с ошибкой', errors);
  const found = await deps.bellSchedules.get(bellScheduleId(query.schoolId, query.shift));
  if (!found) {
    throw notFound('bells.not_found', `Расписание звонков ${query.shift}-й смены ещё не задано`);
  }
  return found;
}

/** The bell schedules of a school, by shift: anyone with a role in the school. */
export async function listBellSchedules(
  deps: BellScheduleDeps,
  ctx: RequestContext,
  query: { schoolId: string },
): Promise<BellSchedule[]> {
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    canReadSchoolPlans(ctx.actor, query.schoolId),
    { action: 'bells.list', object: `school:${query.schoolId}` },
    schoolNotFound,
  );
  return (await deps.bellSchedules.listBySchool(query.schoolId)).sort((a, b) => a.shift - b.shift);
}
