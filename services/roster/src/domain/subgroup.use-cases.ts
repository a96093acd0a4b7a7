import { DomainError, conflict, invalid, notFound, precondition } from '@edu/kit';
import { orderErrors, type OrderRef } from './academic-year';
import { enrolmentId } from './enrolment';
import type {
  AcademicYearRepository,
  Authorize,
  EnrolmentRepository,
  PersonRepository,
  RequestContext,
  SchoolClassRepository,
  SubgroupEvent,
  SubgroupRepository,
} from './ports';
import type { FieldError } from './school';
import { className, type SchoolClass } from './school-class';
import { authorizeOrHide, canManageSubgroups, canReadSchool, canReadSubgroups } from './school-policy';
import {
  idListErrors,
  normaliseSubgroupName,
  subgroupNameErrors,
  subgroupNameKey,
  subjectKeyErrors,
  type Subgroup,
} from './subgroup';

export interface SubgroupDeps {
  schoolClasses: Pick<SchoolClassRepository, 'get'>;
  /** A closed year's subgroups no longer change. */
  academicYears: Pick<AcademicYearRepository, 'get'>;
  /** Read only: whether a student is enrolled in the class now. */
  enrolments: Pick<EnrolmentRepository, 'get'>;
  people: Pick<PersonRepository, 'get'>;
  subgroups: SubgroupRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

const classNotFound = () => notFound('class.not_found', 'Класс не найден');
const subgroupNotFound = () => notFound('subgroup.not_found', 'Подгруппа не найдена');

export function subgroupVersionConflict(): DomainError {
  return conflict('subgroup.version_conflict', 'Подгруппу уже изменили: обновите страницу и повторите');
}

/** A class the actor has a role in the school of; missing for anyone else. */
// Someone without a role in the school is refused for `action` (the denial logged) as if the
// class or subgroup did not exist.
async function readableClass(
  deps: SubgroupDeps,
  ctx: RequestContext,
  classId: string,
  action: string,
): Promise<SchoolClass> {
  const schoolClass = await deps.schoolClasses.get(classId);
  if (!schoolClass) throw classNotFound();
  if (!canReadSchool(ctx.actor, schoolClass.schoolId)) {
    authorizeOrHide(deps, ctx, false, { action, object: `class:${schoolClass.id}` }, classNotFound);
  }
  return schoolClass;
}

async function readableSubgroup(
  deps: SubgroupDeps,
  ctx: RequestContext,
  id: string,
  action: string,
): Promise<Subgroup> {
  const subgroup = await deps.subgroups.get(id);
  if (!subgroup) throw subgroupNotFound();
  if (!canReadSchool(ctx.actor, subgroup.schoolId)) {
    authorizeOrHide(deps, ctx, false, { action, object: `subgroup:${subgroup.id}` }, subgroupNotFound);
  }
  return subgroup;
}

function versionErrors(expectedVersion: number): FieldError[] {
  return Number.isInteger(expectedVersion) && expectedVersion >= 1
    ? []
    : [{ field: 'expectedVersion', message: 'Укажите версию подгруппы, которую вы изменяете' }];
}

/** A closed year's subgroups stay as they were at its end. */
async function checkOpenYear(deps: SubgroupDeps, academicYearId: string): Promise<void> {
  const year = await deps.academicYears.get(academicYearId);
  if (year && year.status !== 'open') {
    throw precondition('academic_year.closed', `Учебный год ${year.name} закрыт: его подгруппы не меняются`);
  }
}

/** The class must be open, in an open academic year. */
async function checkOpenClass(deps: SubgroupDeps, schoolClass: SchoolClass | null): Promise<SchoolClass> {
  if (!schoolClass) throw classNotFound();
  await checkOpenYear(deps, schoolClass.academicYearId);
  if (schoolClass.status !== 'open') {
    throw precondition('class.closed', `Класс ${className(schoolClass)} закрыт: подгруппы в нём не меняются`);
  }
  return schoolClass;
}

/** An order given in full (number, date, title), or none at all when `optional`. */
function givenOrder(
  order: OrderRef | null,
  optional: boolean,
): { order: OrderRef | null; errors: FieldError[] } {
  const blank = !order || (!order.number.trim() && !order.date.trim() && !order.title.trim());
  if (blank) {
    return optional
      ? { order: null, errors: [] }
      : { order: null, errors: [{ field: 'order', message: 'Укажите приказ: номер, дату и о чём он' }] };
  }
  return {
    order: { ...order, number: order.number.trim(), title: order.title.trim() },
    errors: orderErrors(order),
  };
}

/** The teacher of a subgroup: an active staff person of the class's school. */
async function checkTeacher(deps: SubgroupDeps, schoolId: string, teacherId: string): Promise<void> {
  const person = await deps.people.get(teacherId);
  if (!person || person.schoolId !== schoolId || person.kind !== 'staff' || person.status !== 'active') {
    throw precondition(
      'subgroup.teacher_not_staff',
      'Учителем подгруппы может быть только сотрудник этой школы',
      [{ field: 'teacherId', message: 'Выберите работающего сотрудника школы' }],
    );
  }
}

/**
 * Every student to add must have an active enrolment in the class (a withdrawn or transferred
 * student has none there). Each one who has not is named by position in the list, never by name.
 */
async function checkEnrolled(
  deps: SubgroupDeps,
  schoolClass: SchoolClass,
  field: string,
  studentIds: string[],
): Promise<void> {
  const enrolments = await Promise.all(
    studentIds.map((id) => deps.enrolments.get(enrolmentId(schoolClass.academicYearId, id))),
  );
  const errors = enrolments.flatMap((enrolment, i) =>
    enrolment?.status === 'active' && enrolment.classId === schoolClass.id
      ? []
      : [{ field: `${field}[${i}]`, message: `Обучающийся не учится в классе ${className(schoolClass)}` }],
  );
  if (errors.length > 0) {
    throw precondition(
      'subgroup.student_not_enrolled',
      `В подгруппу можно включить только обучающихся, которые сейчас учатся в классе ${className(schoolClass)}`,
      errors,
    );
  }
}

/**
 * The rules across the class's open subgroups (call inside `exclusive`): a unique name, and a
 * student in at most one subgroup per subject. The other subgroup is named, the student is not.
 */
function checkAcrossClass(
  open: Subgroup[],
  subgroup: Pick<Subgroup, 'id' | 'subjectKey' | 'name'>,
  added: { field: string; ids: string[] },
  checkName: boolean,
): void {
  const others = open.filter((o) => o.id !== subgroup.id);
  if (checkName) {
    const sameName = others.find((o) => subgroupNameKey(o.name) === subgroupNameKey(subgroup.name));
    if (sameName) {
      throw conflict('subgroup.name_taken', `В классе уже есть подгруппа «${sameName.name}»`);
    }
  }
  for (const [i, id] of added.ids.entries()) {
    const other = others.find((o) => o.subjectKey === subgroup.subjectKey && o.memberIds.includes(id));
    if (other) {
      throw new DomainError({
        code: 'subgroup.already_member',
        kind: 'conflict',
        detail: `Обучающийся уже в подгруппе «${other.name}» по этому предмету: сначала исключите его оттуда`,
        errors: [{ field: `${added.field}[${i}]`, message: `Уже в подгруппе «${other.name}»` }],
      });
    }
  }
}

/**
 * Forms a subgroup of an open class for a subject, with its first members (R2.3); publishes
 * edu.roster.subgroup.formed.
 */
export async function formSubgroup(
  deps: SubgroupDeps,
  ctx: RequestContext,
  input: {
    classId: string;
    subjectKey: string;
    name: string;
    teacherId: string;
    memberIds: string[];
    order: OrderRef | null;
  },
): Promise<Subgroup> {
  const schoolClass = await readableClass(deps, ctx, input.classId, 'subgroup.form');
  deps.authorize(ctx.actor, canManageSubgroups(ctx.actor, schoolClass.schoolId), {
    action: 'subgroup.form',
    object: `class:${schoolClass.id}`,
  });
  const name = normaliseSubgroupName(input.name);
  const subjectKey = input.subjectKey.trim();
  const { order, errors: orderProblems } = givenOrder(input.order, true);
  const errors = [
    ...subjectKeyErrors(subjectKey),
    ...subgroupNameErrors(name),
    ...idListErrors('memberIds', input.memberIds),
    ...orderProblems,
  ];
  if (errors.length > 0) throw invalid('subgroup.invalid', 'Подгруппа заполнена с ошибками', errors);
  await checkOpenClass(deps, schoolClass);
  if (input.teacherId) await checkTeacher(deps, schoolClass.schoolId, input.teacherId);
  await checkEnrolled(deps, schoolClass, 'memberIds', input.memberIds);
  const subgroup: Subgroup = {
    id: deps.newId(),
    schoolId: schoolClass.schoolId,
    academicYearId: schoolClass.academicYearId,
    classId: schoolClass.id,
    subjectKey,
    name,
    teacherId: input.teacherId,
    memberIds: [...input.memberIds],
    history: [
      {
        kind: 'formed',
        added: [...input.memberIds],
        removed: [],
        order,
        recordedAt: deps.now().toISOString(),
        recordedBy: ctx.actor.accountId,
      },
    ],
    status: 'open',
    version: 1,
    createdAt: deps.now().toISOString(),
  };
  return deps.subgroups.exclusive(schoolClass.id, async () => {
    const open = await deps.subgroups.listByClass(schoolClass.id, { includeClosed: false });
    checkAcrossClass(open, subgroup, { field: 'memberIds', ids: subgroup.memberIds }, true);
    await deps.subgroups.create(subgroup, [{ type: 'edu.roster.subgroup.formed', subgroup }], ctx);
    return subgroup;
  });
}

/** The subgroup a command changes, if the actor may manage the school's subgroups. */
async function subgroupToChange(
  deps: SubgroupDeps,
  ctx: RequestContext,
  id: string,
  action: string,
): Promise<Subgroup> {
  const subgroup = await readableSubgroup(deps, ctx, id, action);
  deps.authorize(ctx.actor, canManageSubgroups(ctx.actor, subgroup.schoolId), {
    action,
    object: `subgroup:${subgroup.id}`,
  });
  return subgroup;
}

function checkChangeable(subgroup: Subgroup, expectedVersion: number): void {
  if (subgroup.status !== 'open') {
    throw precondition('subgroup.closed', `Подгруппа «${subgroup.name}» расформирована: изменить её нельзя`);
  }
  if (subgroup.version !== expectedVersion) throw subgroupVersionConflict();
}

/**
 * Adds students to an open subgroup and removes others; publishes members_changed with both
 * lists. Anyone may be removed (also a student who has left the class); added students follow
 * the rules of forming.
 */
export async function changeSubgroupMembers(
  deps: SubgroupDeps,
  ctx: RequestContext,
  input: { id: string; expectedVersion: number; add: string[]; remove: string[]; order: OrderRef | null },
): Promise<Subgroup> {
  const subgroup = await subgroupToChange(deps, ctx, input.id, 'subgroup.change_members');
  const { order, errors: orderProblems } = givenOrder(input.order, false);
  const errors: FieldError[] = [
    ...versionErrors(input.expectedVersion),
    ...idListErrors('add', input.add),
    ...idListErrors('remove', input.remove),
    ...orderProblems,
  ];
  if (input.add.length === 0 && input.remove.length === 0) {
    errors.push({ field: 'add', message: 'Укажите, кого добавить в подгруппу или исключить из неё' });
  }
  input.remove.forEach((id, i) => {
    if (input.add.includes(id)) {
      errors.push({
        field: `remove[${i}]`,
        message: 'Обучающийся указан и для добавления, и для исключения',
      });
    }
  });
  if (errors.length > 0) throw invalid('subgroup.invalid', 'Состав подгруппы указан с ошибками', errors);
  checkChangeable(subgroup, input.expectedVersion);
  const stale: FieldError[] = [
    ...input.add.flatMap((id, i) =>
      subgroup.memberIds.includes(id)
        ? [{ field: `add[${i}]`, message: 'Обучающийся уже в этой подгруппе' }]
        : [],
    ),
    ...input.remove.flatMap((id, i) =>
      subgroup.memberIds.includes(id)
        ? []
        : [{ field: `remove[${i}]`, message: 'Обучающегося нет в этой подгруппе' }],
    ),
  ];
  if (stale.length > 0) throw invalid('subgroup.invalid', 'Состав подгруппы указан с ошибками', stale);

  const schoolClass = await checkOpenClass(deps, await deps.schoolClasses.get(subgroup.classId));
  await checkEnrolled(deps, schoolClass, 'add', input.add);
  const next: Subgroup = {
    ...subgroup,
    memberIds: [...subgroup.memberIds.filter((id) => !input.remove.includes(id)), ...input.add],
    history: [
      ...subgroup.history,
      {
        kind: 'members_changed',
        added: [...input.add],
        removed: [...input.remove],
        order,
        recordedAt: deps.now().toISOString(),
        recordedBy: ctx.actor.accountId,
      },
    ],
    version: subgroup.version + 1,
  };
  return deps.subgroups.exclusive(subgroup.classId, async () => {
    const open = await deps.subgroups.listByClass(subgroup.classId, { includeClosed: false });
    checkAcrossClass(open, next, { field: 'add', ids: input.add }, false);
    const event: SubgroupEvent = {
      type: 'edu.roster.subgroup.members_changed',
      subgroup: next,
      added: [...input.add],
      removed: [...input.remove],
    };
    await deps.subgroups.update(next, subgroup.version, [event], ctx);
    return next;
  });
}

/**
 * A student transferred out of a class or withdrawn leaves its open subgroups, under the order of
 * that movement (kind `left_class`); publishes members_changed for each. Called after the
 * movement is stored; no access check of its own (the movement's was made).
 */
export async function leaveClassSubgroups(
  deps: Pick<SubgroupDeps, 'subgroups' | 'now'>,
  ctx: RequestContext,
  input: { classId: string; studentId: string; order: OrderRef },
): Promise<Subgroup[]> {
  return deps.subgroups.exclusive(input.classId, async () => {
    const left: Subgroup[] = [];
    for (const subgroup of await deps.subgroups.listByClass(input.classId, { includeClosed: false })) {
      if (!subgroup.memberIds.includes(input.studentId)) continue;
      const next: Subgroup = {
        ...subgroup,
        memberIds: subgroup.memberIds.filter((id) => id !== input.studentId),
        history: [
          ...subgroup.history,
          {
            kind: 'left_class',
            added: [],
            removed: [input.studentId],
            order: input.order,
            recordedAt: deps.now().toISOString(),
            recordedBy: ctx.actor.accountId,
          },
        ],
        version: subgroup.version + 1,
      };
      const event: SubgroupEvent = {
        type: 'edu.roster.subgroup.members_changed',
        subgroup: next,
        added: [],
        removed: [input.studentId],
      };
      await deps.subgroups.update(next, subgroup.version, [event], ctx);
      left.push(next);
    }
    return left;
  });
}

/**
 * Renames an open subgroup or changes its teacher (`teacherId: ''` removes the teacher; an
 * `undefined` field is kept); publishes edu.roster.subgroup.changed.
 */
export async function changeSubgroup(
  deps: SubgroupDeps,
  ctx: RequestContext,
  input: { id: string; expectedVersion: number; name?: string; teacherId?: string },
): Promise<Subgroup> {
  const subgroup = await subgroupToChange(deps, ctx, input.id, 'subgroup.change');
  const name = input.name === undefined ? subgroup.name : normaliseSubgroupName(input.name);
  const errors = [...versionErrors(input.expectedVersion), ...subgroupNameErrors(name)];
  if (errors.length > 0) throw invalid('subgroup.invalid', 'Подгруппа заполнена с ошибками', errors);
  checkChangeable(subgroup, input.expectedVersion);
  const teacherId = input.teacherId ?? subgroup.teacherId;
  if (name === subgroup.name && teacherId === subgroup.teacherId) {
    throw precondition('subgroup.no_change', 'Подгруппа не изменилась: нечего записывать');
  }
  await checkOpenClass(deps, await deps.schoolClasses.get(subgroup.classId));
  if (teacherId && teacherId !== subgroup.teacherId) await checkTeacher(deps, subgroup.schoolId, teacherId);
  const next: Subgroup = { ...subgroup, name, teacherId, version: subgroup.version + 1 };
  return deps.subgroups.exclusive(subgroup.classId, async () => {
    if (subgroupNameKey(name) !== subgroupNameKey(subgroup.name)) {
      const open = await deps.subgroups.listByClass(subgroup.classId, { includeClosed: false });
      checkAcrossClass(open, next, { field: 'add', ids: [] }, true);
    }
    const event: SubgroupEvent = {
      type: 'edu.roster.subgroup.changed',
      subgroup: next,
      previousName: subgroup.name,
      previousTeacherId: subgroup.teacherId,
    };
    await deps.subgroups.update(next, subgroup.version, [event], ctx);
    return next;
  });
}

/** Disbands a subgroup: closed, members kept as they were; publishes edu.roster.subgroup.disbanded. */
export async function disbandSubgroup(
  deps: SubgroupDeps,
  ctx: RequestContext,
  input: { id: string; expectedVersion: number },
): Promise<Subgroup> {
  const subgroup = await subgroupToChange(deps, ctx, input.id, 'subgroup.disband');
  const errors = versionErrors(input.expectedVersion);
  if (errors.length > 0) throw invalid('subgroup.invalid', 'Не указана версия подгруппы', errors);
  checkChangeable(subgroup, input.expectedVersion);
  await checkOpenYear(deps, subgroup.academicYearId);
  const next: Subgroup = { ...subgroup, status: 'closed', version: subgroup.version + 1 };
  await deps.subgroups.update(
    next,
    subgroup.version,
    [{ type: 'edu.roster.subgroup.disbanded', subgroup: next }],
    ctx,
  );
  return next;
}

/** One subgroup (managers and teachers of the school). */
export async function getSubgroup(deps: SubgroupDeps, ctx: RequestContext, id: string): Promise<Subgroup> {
  const subgroup = await readableSubgroup(deps, ctx, id, 'subgroup.read');
  deps.authorize(ctx.actor, canReadSubgroups(ctx.actor, subgroup.schoolId), {
    action: 'subgroup.read',
    object: `subgroup:${subgroup.id}`,
  });
  return subgroup;
}

/** The subgroups of a class by subject, then name (managers and teachers of the school). */
export async function listSubgroups(
  deps: SubgroupDeps,
  ctx: RequestContext,
  query: { classId: string; includeClosed: boolean },
): Promise<Subgroup[]> {
  const schoolClass = await readableClass(deps, ctx, query.classId, 'subgroup.list');
  deps.authorize(ctx.actor, canReadSubgroups(ctx.actor, schoolClass.schoolId), {
    action: 'subgroup.list',
    object: `class:${schoolClass.id}`,
  });
  return deps.subgroups.listByClass(schoolClass.id, { includeClosed: query.includeClosed });
}
