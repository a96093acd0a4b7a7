import { DomainError, conflict, invalid, notFound, precondition } from '@edu/kit';
import type { OrderRef } from './academic-year';
import { personSortName, type Person } from './person';
import type {
  Authorize,
  PersonRepository,
  RequestContext,
  SchoolRepository,
  StaffPositionRepository,
} from './ports';
import type { FieldError } from './school';
import { orderErrors } from './academic-year';
import { authorizeOrHide, canListStaff, canManageStaff, canReadSchool, isOwnPosition } from './school-policy';
import {
  POSITION_KINDS,
  dateErrors,
  earliestNextDate,
  normaliseTitle,
  notBefore,
  rateErrors,
  reasonErrors,
  samePost,
  titleErrors,
  titleFor,
  titleKey,
  type PositionKind,
  type StaffChange,
  type StaffPosition,
} from './staff-position';

export const STAFF_HIRED = 'edu.roster.staff.hired' as const;
export const STAFF_POSITION_CHANGED = 'edu.roster.staff.position_changed' as const;
export const STAFF_DISMISSED = 'edu.roster.staff.dismissed' as const;

export interface StaffDeps {
  schools: Pick<SchoolRepository, 'get'>;
  people: Pick<PersonRepository, 'get' | 'list'>;
  staff: StaffPositionRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
const positionNotFound = () => notFound('staff.not_found', 'Должность не найдена');

export function directorTaken(): DomainError {
  return conflict(
    'staff.director_taken',
    'В школе уже есть действующий директор: сначала оформите его увольнение приказом',
  );
}

export function positionHeld(title: string): DomainError {
  return conflict('staff.position_held', `Сотрудник уже занимает должность «${title}»`);
}

export function staffVersionConflict(): DomainError {
  return conflict('staff.version_conflict', 'Должность уже изменили: откройте её заново и повторите');
}

function versionErrors(expectedVersion: number): FieldError[] {
  return Number.isInteger(expectedVersion) && expectedVersion >= 1
    ? []
    : [{ field: 'expectedVersion', message: 'Укажите версию должности, которую вы изменяете' }];
}

function stepOf(
  deps: StaffDeps,
  ctx: RequestContext,
  fields: Omit<StaffChange, 'recordedAt' | 'recordedBy'>,
): StaffChange {
  return { ...fields, recordedAt: deps.now().toISOString(), recordedBy: ctx.actor.accountId };
}

export interface HireInput {
  schoolId: string;
  personId: string;
  kind: string;
  /** '' for the kind's usual title (required for `other`). */
  title: string;
  rate: number;
  hiredOn: string;
  order: OrderRef;
}

/**
 * Appoints a staff person of the school to a post by order (R3.1, R1.7) and publishes
 * edu.roster.staff.hired. A person holds a post (kind and title) at most once at a time; a
 * school has at most one active director.
 */
export async function hireStaff(
  deps: StaffDeps,
  ctx: RequestContext,
  input: HireInput,
): Promise<StaffPosition> {
  deps.authorize(ctx.actor, canManageStaff(ctx.actor, input.schoolId), {
    action: 'staff.hire',
    object: `school:${input.schoolId}`,
  });
  if (!(await deps.schools.get(input.schoolId))) throw schoolNotFound();
  const title = titleFor(input.kind, input.title);
  const knownKind = (POSITION_KINDS as readonly string[]).includes(input.kind);
  const errors: FieldError[] = [
    ...(input.personId.trim() ? [] : [{ field: 'personId', message: 'Укажите сотрудника' }]),
    ...(knownKind
      ? titleErrors(title, input.kind)
      : [
          {
            field: 'kind',
            message: 'Вид должности: director, deputy, teacher, hr, secretary или other (с названием)',
          },
        ]),
    ...rateErrors(input.rate),
    ...dateErrors('hiredOn', input.hiredOn),
    ...orderErrors(input.order),
  ];
  if (errors.length > 0)
    throw invalid('staff.invalid', 'Назначение на должность заполнено с ошибками', errors);
  const kind = input.kind as PositionKind;

  const person = await deps.people.get(input.personId);
  if (
    !person ||
    person.schoolId !== input.schoolId ||
    person.kind !== 'staff' ||
    person.status !== 'active'
  ) {
    throw precondition('staff.not_staff', 'Назначить на должность можно только сотрудника этой школы', [
      { field: 'personId', message: 'Выберите сотрудника школы (не в архиве)' },
    ]);
  }
  const held = (await deps.staff.listByPerson(person.id)).find(
    (p) => p.status === 'active' && samePost(p, { kind, title }),
  );
  if (held) throw positionHeld(held.title);
  if (kind === 'director') {
    const active = await deps.staff.listBySchool(input.schoolId, { includeDismissed: false });
    if (active.some((p) => p.kind === 'director')) throw directorTaken();
  }

  const change = stepOf(deps, ctx, {
    kind: 'hired',
    effectiveOn: input.hiredOn,
    order: input.order,
    title,
    rate: input.rate,
    reason: '',
  });
  const position: StaffPosition = {
    id: deps.newId(),
    schoolId: input.schoolId,
    personId: person.id,
    kind,
    title,
    rate: input.rate,
    hiredOn: input.hiredOn,
    hireOrder: input.order,
    status: 'active',
    dismissedOn: '',
    dismissalOrder: null,
    dismissalReason: '',
    history: [change],
    version: 1,
    createdAt: deps.now().toISOString(),
  };
  await deps.staff.create(position, [{ type: STAFF_HIRED, position, change }], ctx);
  return position;
}

/**
 * The position a command changes: missing, or of a school the actor has no role in, is
 * NOT_FOUND; one the actor may not change is PERMISSION_DENIED (logged).
 */
async function positionToChange(
  deps: StaffDeps,
  ctx: RequestContext,
  id: string,
  action: string,
): Promise<StaffPosition> {
  const position = await deps.staff.get(id);
  if (!position) throw positionNotFound();
  const what = { action, object: `staff_position:${position.id}` };
  const allowed = canManageStaff(ctx.actor, position.schoolId);
  if (canReadSchool(ctx.actor, position.schoolId)) deps.authorize(ctx.actor, allowed, what);
  else authorizeOrHide(deps, ctx, allowed, what, positionNotFound);
  return position;
}

/** The state rules of every change: still active, the version the caller saw, not backdated. */
function checkChangeable(
  position: StaffPosition,
  expectedVersion: number,
  effectiveOn: string,
  dateField: string,
): void {
  if (position.status !== 'active') {
    throw precondition(
      'staff.dismissed',
      `Сотрудник уволен с должности «${position.title}»: изменить её нельзя`,
    );
  }
  if (position.version !== expectedVersion) throw staffVersionConflict();
  const earliest = earliestNextDate(position);
  if (effectiveOn < earliest) {
    throw precondition(
      'staff.date_before_last',
      `Дата раньше последнего приказа по должности: ${notBefore(earliest).toLowerCase()}`,
      [{ field: dateField, message: notBefore(earliest) }],
    );
  }
}

export interface PositionChange {
  positionId: string;
  expectedVersion: number;
  /** '' keeps the title. */
  title: string;
  /** 0 keeps the rate. */
  rate: number;
  effectiveOn: string;
  order: OrderRef;
}

/** Changes the title or the rate of an active position by order; publishes position_changed. */
export async function changePosition(
  deps: StaffDeps,
  ctx: RequestContext,
  input: PositionChange,
): Promise<StaffPosition> {
  const position = await positionToChange(deps, ctx, input.positionId, 'staff.change');
  const title = input.title.trim() ? normaliseTitle(input.title) : position.title;
  const rate = input.rate === 0 ? position.rate : input.rate;
  const errors: FieldError[] = [
    ...versionErrors(input.expectedVersion),
    ...(input.title.trim() ? titleErrors(title, position.kind) : []),
    ...(input.rate === 0 ? [] : rateErrors(rate)),
    ...dateErrors('effectiveOn', input.effectiveOn),
    ...orderErrors(input.order),
  ];
  if (errors.length > 0) throw invalid('staff.invalid', 'Изменение должности заполнено с ошибками', errors);
  checkChangeable(position, input.expectedVersion, input.effectiveOn, 'effectiveOn');
  if (title === position.title && rate === position.rate) {
    throw precondition('staff.no_change', 'Должность не изменилась: нечего записывать');
  }
  if (titleKey(title) !== titleKey(position.title)) {
    const held = (await deps.staff.listByPerson(position.personId)).find(
      (p) => p.id !== position.id && p.status === 'active' && samePost(p, { kind: position.kind, title }),
    );
    if (held) throw positionHeld(held.title);
  }
  const change = stepOf(deps, ctx, {
    kind: 'changed',
    effectiveOn: input.effectiveOn,
    order: input.order,
    title,
    rate,
    reason: '',
  });
  const next: StaffPosition = {
    ...position,
    title,
    rate,
    history: [...position.history, change],
    version: position.version + 1,
  };
  await deps.staff.update(
    next,
    position.version,
    [
      {
        type: STAFF_POSITION_CHANGED,
        position: next,
        change,
        previousTitle: title === position.title ? '' : position.title,
      },
    ],
    ctx,
  );
  return next;
}

export interface Dismissal {
  positionId: string;
  expectedVersion: number;
  dismissedOn: string;
  order: OrderRef;
  reason: string;
}

/** Dismisses a person from a position by order (the position stays, dismissed); publishes dismissed. */
export async function dismissStaff(
  deps: StaffDeps,
  ctx: RequestContext,
  input: Dismissal,
): Promise<StaffPosition> {
  const position = await positionToChange(deps, ctx, input.positionId, 'staff.dismiss');
  const errors: FieldError[] = [
    ...versionErrors(input.expectedVersion),
    ...dateErrors('dismissedOn', input.dismissedOn),
    ...orderErrors(input.order),
    ...reasonErrors(input.reason),
  ];
  if (errors.length > 0) throw invalid('staff.invalid', 'Увольнение заполнено с ошибками', errors);
  checkChangeable(position, input.expectedVersion, input.dismissedOn, 'dismissedOn');
  const reason = input.reason.trim();
  const change = stepOf(deps, ctx, {
    kind: 'dismissed',
    effectiveOn: input.dismissedOn,
    order: input.order,
    title: position.title,
    rate: position.rate,
    reason,
  });
  const next: StaffPosition = {
    ...position,
    status: 'dismissed',
    dismissedOn: input.dismissedOn,
    dismissalOrder: input.order,
    dismissalReason: reason,
    history: [...position.history, change],
    version: position.version + 1,
  };
  await deps.staff.update(next, position.version, [{ type: STAFF_DISMISSED, position: next, change }], ctx);
  return next;
}

/**
 * A position as a teacher of the school sees it, no more than the staff list shows them: the post
 * and its holder; no rate, dates, orders, history or version.
 */
function teacherView(position: StaffPosition): StaffPosition {
  return {
    id: position.id,
    schoolId: position.schoolId,
    personId: position.personId,
    kind: position.kind,
    title: position.title,
    status: position.status,
    rate: 0,
    hiredOn: '',
    hireOrder: { number: '', date: '', title: '' },
    dismissedOn: '',
    dismissalOrder: null,
    dismissalReason: '',
    history: [],
    version: 0,
    createdAt: '',
  };
}

/**
 * One position (the `Location` of a hire). Managers and HR of the school read it whole, and so
 * does its holder; a teacher of the school reads an active position as the staff list shows it to
 * teachers (`teacherView`), and is refused a dismissed one as `listStaff` refuses them
 * `includeDismissed`. Other roles of the school and those above schools are refused; an actor
 * without a role in the school is told it does not exist. Every denial is logged.
 */
export async function getPosition(deps: StaffDeps, ctx: RequestContext, id: string): Promise<StaffPosition> {
  const position = await deps.staff.get(id);
  if (!position) throw positionNotFound();
  const what = { action: 'staff.read', object: `staff_position:${position.id}` };
  const full = canManageStaff(ctx.actor, position.schoolId) || isOwnPosition(ctx.actor, position);
  const allowed = full || (canListStaff(ctx.actor, position.schoolId) && position.status === 'active');
  if (canReadSchool(ctx.actor, position.schoolId)) deps.authorize(ctx.actor, allowed, what);
  else authorizeOrHide(deps, ctx, allowed, what, positionNotFound);
  return full ? position : teacherView(position);
}

/** One line of the staff list: the holder's names and the post. */
export interface StaffListEntry {
  positionId: string;
  personId: string;
  lastName: string;
  firstName: string;
  middleName: string;
  kind: PositionKind;
  title: string;
  status: StaffPosition['status'];
  /** 0 for those who see names and titles only. */
  rate: number;
  /** '' for those who see names and titles only. */
  hiredOn: string;
  /** '' while active, and for those who see names and titles only. */
  dismissedOn: string;
}

const PEOPLE_PAGE = 500;

/** Every staff person of a school (archived too: a dismissed position may outlive the card). */
async function staffPeopleOf(deps: StaffDeps, schoolId: string): Promise<Map<string, Person>> {
  const byId = new Map<string, Person>();
  let after: { sortName: string; id: string } | undefined;
  for (;;) {
    const page = await deps.people.list({
      schoolId,
      kind: 'staff',
      includeArchived: true,
      limit: PEOPLE_PAGE,
      ...(after ? { after } : {}),
    });
    for (const person of page) byId.set(person.id, person);
    const last = page.at(-1);
    if (page.length < PEOPLE_PAGE || !last) return byId;
    after = { sortName: personSortName(last), id: last.id };
  }
}

/**
 * The staff list of a school: positions with the holders' names, by name, then title. Managers
 * and HR see rates and dates and may include dismissed positions; teachers see active positions,
 * names and titles only. An actor without a role in the school is told it does not exist.
 */
export async function listStaff(
  deps: StaffDeps,
  ctx: RequestContext,
  query: { schoolId: string; includeDismissed: boolean },
): Promise<StaffListEntry[]> {
  const what = { action: 'staff.list', object: `school:${query.schoolId}` };
  const full = canManageStaff(ctx.actor, query.schoolId);
  const allowed = full || (canListStaff(ctx.actor, query.schoolId) && !query.includeDismissed);
  if (canReadSchool(ctx.actor, query.schoolId)) deps.authorize(ctx.actor, allowed, what);
  else authorizeOrHide(deps, ctx, allowed, what, schoolNotFound);
  if (!(await deps.schools.get(query.schoolId))) throw schoolNotFound();

  const positions = await deps.staff.listBySchool(query.schoolId, {
    includeDismissed: query.includeDismissed,
  });
  const people = positions.length > 0 ? await staffPeopleOf(deps, query.schoolId) : new Map<string, Person>();
  const entries = positions.map((position) => {
    const person = people.get(position.personId);
    return {
      sortKey: `${person ? personSortName(person) : '\uffff'}\u0000${position.personId}\u0000${titleKey(position.title)}`,
      entry: {
        positionId: position.id,
        personId: position.personId,
        lastName: person?.lastName ?? '',
        firstName: person?.firstName ?? '',
        middleName: person?.middleName ?? '',
        kind: position.kind,
        title: position.title,
        status: position.status,
        rate: full ? position.rate : 0,
        hiredOn: full ? position.hiredOn : '',
        dismissedOn: full ? position.dismissedOn : '',
      } satisfies StaffListEntry,
    };
  });
  return entries
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map((e) => e.entry);
}

/**
 * Every position of a person, active first, then the latest hiring first (managers and HR of
 * the person's school). A person of a school the actor has no role in is NOT_FOUND.
 */
export async function listPositionsOfPerson(
  deps: StaffDeps,
  ctx: RequestContext,
  personId: string,
): Promise<StaffPosition[]> {
  const person = await deps.people.get(personId);
  if (!person || !canReadSchool(ctx.actor, person.schoolId)) {
    throw notFound('person.not_found', 'Человек не найден');
  }
  deps.authorize(ctx.actor, canManageStaff(ctx.actor, person.schoolId), {
    action: 'staff.list_positions',
    object: `person:${person.id}`,
  });
  const positions = await deps.staff.listByPerson(person.id);
  const rank = (p: StaffPosition) => `${p.status === 'active' ? 0 : 1}`;
  return positions.sort(
    (a, b) =>
      rank(a).localeCompare(rank(b)) || b.hiredOn.localeCompare(a.hiredOn) || a.id.localeCompare(b.id),
  );
}
