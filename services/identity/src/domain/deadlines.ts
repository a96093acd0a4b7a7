import { addDays, invalid, isDate, localDate } from '@edu/kit';
import type { Actor } from '@edu/grpc';
import type { IdentityDeps } from './links';
import { authorize, maySeeSchoolLists } from './policy';

// Account deadlines (R1.7): a staff member or student must have an account within 3 working days
// (Monday to Friday) of hiring or enrolment. Listed: those of the school whose day is more than 3
// working days before `on` and who have no linked account.

export const DEADLINE_WORKING_DAYS = 3;
/** While roster has not told the school's time zone. */
export const FALLBACK_TIME_ZONE = 'Europe/Moscow';

/** Working days (Mon–Fri) after `since` up to and including `on`; 0 when `on` is not later. */
export function workingDaysBetween(since: string, on: string): number {
  let days = 0;
  for (let day = addDays(since, 1); day <= on; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days += 1;
  }
  return days;
}

export interface DeadlineView {
  personId: string;
  displayName: string;
  kind: 'staff' | 'student';
  since: string;
  workingDays: number;
}

export async function listAccountDeadlines(
  deps: IdentityDeps,
  actor: Actor,
  input: { schoolId: string; on: string },
): Promise<DeadlineView[]> {
  authorize(deps.log, actor, maySeeSchoolLists(actor, input.schoolId), {
    action: 'deadline.list',
    object: `school:${input.schoolId}`,
  });
  if (input.on && !isDate(input.on)) {
    throw invalid('identity.invalid', 'Проверьте дату', [
      { field: 'on', message: 'Дата в формате ГГГГ-ММ-ДД' },
    ]);
  }
  const school = await deps.runner.get('schools', input.schoolId);
  const on = input.on || localDate(deps.now(), school?.timeZone || FALLBACK_TIME_ZONE);
  const overdue: DeadlineView[] = [];
  const candidates: { personId: string; kind: 'staff' | 'student'; since: string }[] = [];
  for (const person of await deps.runner.getMany('people', school?.staffIds ?? [])) {
    const positions = await deps.runner.getMany('positions', person.positionIds);
    const days = positions
      .filter((p) => p.schoolId === input.schoolId && p.status === 'active' && p.from)
      .map((p) => p.from)
      .sort();
    if (days[0]) candidates.push({ personId: person._id, kind: 'staff', since: days[0] });
  }
  for (const person of await deps.runner.getMany('people', school?.studentIds ?? [])) {
    const enrolments = await deps.runner.getMany('enrolments', person.enrolmentIds);
    const days = enrolments
      .filter((e) => e.schoolId === input.schoolId && e.status === 'active' && e.since)
      .map((e) => e.since)
      .sort();
    if (days[0]) candidates.push({ personId: person._id, kind: 'student', since: days[0] });
  }
  for (const candidate of candidates) {
    const workingDays = workingDaysBetween(candidate.since, on);
    if (workingDays <= DEADLINE_WORKING_DAYS) continue;
    const index = await deps.runner.get('personAccounts', candidate.personId);
    const linked = (await deps.runner.getMany('accounts', index?.accountIds ?? [])).some(
      (a) => a.personId === candidate.personId,
    );
    if (linked) continue;
    const person = await deps.runner.get('people', candidate.personId);
    overdue.push({ ...candidate, displayName: person?.displayName ?? '', workingDays });
  }
  return overdue.sort((a, b) => a.since.localeCompare(b.since) || a.displayName.localeCompare(b.displayName));
}
