import { DomainError, conflict, invalid, notFound, precondition, type FieldError } from '@edu/kit';
import type {
  AssignmentEvent,
  AssignmentRepository,
  Authorize,
  RequestContext,
  RosterCopyReader,
  SubjectRepository,
} from './ports';
import type { CopiedClass, CopiedSubgroup, CopiedYear } from './roster-copy';
import {
  authorizeInSchool,
  authorizeOrHide,
  canManageSchedule,
  canReadClassAssignments,
  hasRoleIn,
  isOwnAssignment,
} from './schedule-policy';
import type { Subject } from './subject';
import {
  addDays,
  compareAssignments,
  dateFormErrors,
  formatDate,
  hoursErrors,
  isDate,
  outsideYearErrors,
  overlappingAssignment,
  reasonErrors,
  splitSubgroupsBlocking,
  teachesClass,
  teachesInSchool,
  todayIn,
  type TeachingAssignment,
} from './teaching-assignment';

export interface AssignmentDeps {
  assignments: AssignmentRepository;
  subjects: Pick<SubjectRepository, 'get'>;
  /** Schedule's copy of roster: schools, years, classes, subgroups, staff. */
  roster: RosterCopyReader;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

/** An assignment with the names people read, from the copy of roster as it is now. */
export interface AssignmentView {
  assignment: TeachingAssignment;
  teacherName: string;
  className: string;
  subgroupName: string;
}

const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
const yearNotFound = () => notFound('academic_year.not_found', 'Учебный год не найден');
const classNotFound = () => notFound('class.not_found', 'Класс не найден');
const subgroupNotFound = () => notFound('subgroup.not_found', 'Подгруппа не найдена');
const subjectNotFound = () => notFound('subject.not_found', 'Предмет не найден');
const assignmentNotFound = () => notFound('assignment.not_found', 'Нагрузка не найдена');

export function assignmentVersionConflict(): DomainError {
  return conflict('assignment.version_conflict', 'Нагрузку уже изменили: обновите страницу и повторите');
}

/** The year of the school, open. */
async function openYearOf(deps: AssignmentDeps, schoolId: string, yearId: string): Promise<CopiedYear> {
  const year = await deps.roster.year(yearId);
  if (!year || year.schoolId !== schoolId) throw yearNotFound();
  if (year.status !== 'open') {
    throw precondition('academic_year.closed', `Учебный год ${year.name} закрыт: нагрузка в нём не меняется`);
  }
  return year;
}

/** A class or subgroup of another year of the school. */
function otherYear(what: string, year: CopiedYear): DomainError {
  return precondition('assignment.other_year', `${what} не из учебного года ${year.name}`);
}

/** An open class of the school and year. */
function checkClass(schoolClass: CopiedClass | null, schoolId: string, year: CopiedYear): CopiedClass {
  if (!schoolClass || schoolClass.schoolId !== schoolId) throw classNotFound();
  if (schoolClass.academicYearId !== year.id) throw otherYear(`Класс ${schoolClass.name}`, year);
  if (schoolClass.status !== 'open') {
    throw precondition('class.closed', `Класс ${schoolClass.name} закрыт: нагрузку в нём не назначают`);
  }
  return schoolClass;
}

/** Where the teacher teaches: the whole class, or a subgroup of it. */
interface Target {
  schoolClass: CopiedClass;
  subgroup?: CopiedSubgroup;
}

async function resolveTarget(
  deps: AssignmentDeps,
  input: { schoolId: string; classId: string; subgroupId: string },
  year: CopiedYear,
  subject: Subject,
): Promise<Target> {
  if (!input.subgroupId) {
    const schoolClass = checkClass(await deps.roster.schoolClass(input.classId), input.schoolId, year);
    const blocking = splitSubgroupsBlocking(subject, await deps.roster.openSubgroupsOfClass(schoolClass.id));
    if (blocking.length > 0) {
      const names = blocking.map((s) => `«${s.name}»`).join(', ');
      throw precondition(
        'assignment.split_subject',
        `Предмет «${subject.name}» в классе ${schoolClass.name} изучают по подгруппам (${names}): назначьте учителя подгруппе, а не всему классу`,
        [{ field: 'subgroupId', message: 'Выберите подгруппу' }],
      );
    }
    return { schoolClass };
  }
  const subgroup = await deps.roster.subgroup(input.subgroupId);
  if (!subgroup || subgroup.schoolId !== input.schoolId) throw subgroupNotFound();
  if (input.classId && input.classId !== subgroup.classId) {
    throw invalid('assignment.invalid', 'Нагрузка заполнена с ошибками', [
      { field: 'classId', message: 'Подгруппа не из этого класса' },
    ]);
  }
  if (subgroup.academicYearId !== year.id) throw otherYear(`Подгруппа «${subgroup.name}»`, year);
  if (subgroup.status !== 'open') {
    throw precondition('subgroup.closed', `Подгруппа «${subgroup.name}» расформирована`);
  }
  const schoolClass = checkClass(await deps.roster.schoolClass(subgroup.classId), input.schoolId, year);
  if (subgroup.subjectKey !== subject.key) {
    throw precondition(
      'assignment.subject_mismatch',
      `Подгруппа «${subgroup.name}» класса ${schoolClass.name} — для другого предмета (код «${subgroup.subjectKey}»), не для «${subject.name}»`,
      [{ field: 'subjectId', message: 'Выберите предмет подгруппы' }],
    );
  }
  return { schoolClass, subgroup };
}

function targetName(target: Target): string {
  return target.subgroup
    ? `${target.schoolClass.name} («${target.subgroup.name}»)`
    : `${target.schoolClass.name}`;
}

/**
 * Assigns a teacher to a class or a subgroup for a subject (R2.3), from a day to a day of an
 * open year (the year's first and last by default). Publishes edu.schedule.teaching.assigned.
 */
export async function assignTeacher(
  deps: AssignmentDeps,
  ctx: RequestContext,
  input: {
    schoolId: string;
    academicYearId: string;
    teacherId: string;
    classId: string;
    subgroupId: string;
    subjectId: string;
    startsOn: string;
    endsOn: string;
    hoursPerWeek: number;
  },
): Promise<TeachingAssignment> {
  authorizeInSchool(
    deps,
    ctx,
    input.schoolId,
    canManageSchedule(ctx.actor, input.schoolId),
    { action: 'assignment.create', object: `school:${input.schoolId}` },
    schoolNotFound,
  );
  const errors: FieldError[] = [...hoursErrors(input.hoursPerWeek)];
  if (!input.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (!input.teacherId) errors.push({ field: 'teacherId', message: 'Укажите учителя' });
  if (!input.subjectId) errors.push({ field: 'subjectId', message: 'Укажите предмет' });
  if (!input.classId && !input.subgroupId) {
    errors.push({ field: 'classId', message: 'Укажите класс или подгруппу' });
  }
  for (const field of ['startsOn', 'endsOn'] as const) {
    if (input[field] && !isDate(input[field])) {
      errors.push({ field, message: 'Укажите дату в виде ГГГГ-ММ-ДД' });
    }
  }
  if (errors.length > 0) throw invalid('assignment.invalid', 'Нагрузка заполнена с ошибками', errors);

  const year = await openYearOf(deps, input.schoolId, input.academicYearId);
  const range = { startsOn: input.startsOn || year.startsOn, endsOn: input.endsOn || year.endsOn };
  const formErrors = dateFormErrors(range);
  if (formErrors.length > 0) throw invalid('assignment.invalid', 'Нагрузка заполнена с ошибками', formErrors);
  const outside = outsideYearErrors(range, year);
  if (outside.length > 0) {
    throw precondition(
      'assignment.outside_year',
      `Нагрузка назначается на дни учебного года ${year.name}: ${formatDate(year.startsOn)}–${formatDate(year.endsOn)}`,
      outside,
    );
  }

  const subject = await deps.subjects.get(input.subjectId);
  if (!subject || (subject.schoolId && subject.schoolId !== input.schoolId)) throw subjectNotFound();
  const target = await resolveTarget(deps, input, year, subject);
  if (!teachesInSchool(await deps.roster.positionsOf(input.schoolId, input.teacherId))) {
    throw precondition(
      'assignment.teacher_not_staff',
      'Нагрузку можно назначить только педагогу, который сейчас работает в этой школе',
      [{ field: 'teacherId', message: 'Выберите работающего педагога школы' }],
    );
  }

  const now = deps.now().toISOString();
  const assignment: TeachingAssignment = {
    id: deps.newId(),
    schoolId: input.schoolId,
    academicYearId: year.id,
    teacherId: input.teacherId,
    classId: target.schoolClass.id,
    subgroupId: target.subgroup?.id ?? '',
    subjectId: subject.id,
    subjectKey: subject.key,
    subjectName: subject.name,
    ...range,
    hoursPerWeek: input.hoursPerWeek,
    status: 'active',
    history: [
      {
        kind: 'assigned',
        effectiveOn: range.startsOn,
        reason: '',
        recordedAt: now,
        recordedBy: ctx.actor.accountId,
      },
    ],
    version: 1,
    createdAt: now,
  };
  return deps.assignments.exclusive(assignment.classId, assignment.subjectId, async () => {
    const same = overlappingAssignment(assignment, await deps.assignments.listByClass(assignment.classId));
    if (same) {
      throw conflict(
        'assignment.duplicate',
        `У учителя уже есть нагрузка по предмету «${subject.name}» в ${targetName(target)} на ${formatDate(same.startsOn)}–${formatDate(same.endsOn)}: дни пересекаются`,
      );
    }
    await deps.assignments.create(assignment, [{ type: 'edu.schedule.teaching.assigned', assignment }], ctx);
    return assignment;
  });
}

/**
 * Ends an assignment at a day (today in the school's time zone by default): the teacher teaches
 * up to and including it; the day before the first day means it never takes effect. The
 * assignment stays, "ended", with the step in its history. Publishes
 * edu.schedule.teaching.unassigned.
 */
export async function endAssignment(
  deps: AssignmentDeps,
  ctx: RequestContext,
  input: { id: string; expectedVersion: number; endsOn: string; reason: string },
): Promise<TeachingAssignment> {
  const assignment = await deps.assignments.get(input.id);
  if (!assignment) throw assignmentNotFound();
  authorizeInSchool(
    deps,
    ctx,
    assignment.schoolId,
    canManageSchedule(ctx.actor, assignment.schoolId),
    { action: 'assignment.end', object: `assignment:${assignment.id}` },
    assignmentNotFound,
  );
  const reason = input.reason.trim().replace(/\s+/g, ' ');
  const errors: FieldError[] = [...reasonErrors(reason)];
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 1) {
    errors.push({ field: 'expectedVersion', message: 'Укажите версию нагрузки, которую вы изменяете' });
  }
  if (input.endsOn && !isDate(input.endsOn)) {
    errors.push({ field: 'endsOn', message: 'Укажите дату в виде ГГГГ-ММ-ДД' });
  }
  if (errors.length > 0) throw invalid('assignment.invalid', 'Снятие нагрузки заполнено с ошибками', errors);
  if (assignment.status === 'ended') {
    throw precondition(
      'assignment.ended',
      `Нагрузка уже снята: последний день — ${formatDate(assignment.endsOn)}`,
    );
  }
  if (assignment.version !== input.expectedVersion) throw assignmentVersionConflict();
  await openYearOf(deps, assignment.schoolId, assignment.academicYearId);

  const earliest = addDays(assignment.startsOn, -1);
  let endsOn = input.endsOn;
  if (!endsOn) {
    const school = await deps.roster.school(assignment.schoolId);
    if (!school?.timeZone) {
      throw invalid('assignment.invalid', 'Часовой пояс школы ещё не известен', [
        { field: 'endsOn', message: 'Укажите последний день' },
      ]);
    }
    // "Now": not before the day before the first day, not after the current last day.
    const today = todayIn(school.timeZone, deps.now());
    endsOn = today < earliest ? earliest : today > assignment.endsOn ? assignment.endsOn : today;
  } else if (endsOn < earliest || endsOn > assignment.endsOn) {
    throw precondition(
      'assignment.end_outside',
      `Последний день нагрузки — от ${formatDate(earliest)} (тогда она не начнётся) до ${formatDate(assignment.endsOn)}`,
      [{ field: 'endsOn', message: 'Дата вне срока нагрузки' }],
    );
  }

  const next: TeachingAssignment = {
    ...assignment,
    endsOn,
    status: 'ended',
    history: [
      ...assignment.history,
      {
        kind: 'ended',
        effectiveOn: endsOn,
        reason,
        recordedAt: deps.now().toISOString(),
        recordedBy: ctx.actor.accountId,
      },
    ],
    version: assignment.version + 1,
  };
  const event: AssignmentEvent = {
    type: 'edu.schedule.teaching.unassigned',
    assignment: next,
    previousEndsOn: assignment.endsOn,
    reason,
  };
  await deps.assignments.update(next, assignment.version, [event], ctx);
  return next;
}

/** Whether the actor teaches or leads the class (relations the policy reads). */
async function classRelations(deps: AssignmentDeps, ctx: RequestContext, schoolClass: CopiedClass) {
  const personId = ctx.actor.personId ?? '';
  return {
    schoolId: schoolClass.schoolId,
    leadsIt: !!personId && schoolClass.classTeacherId === personId,
    teachesIt: !!personId && teachesClass(personId, await deps.assignments.listByClass(schoolClass.id)),
  };
}

/** The copy's teachers, classes and subgroups of some assignments, by id. */
async function lookUp(deps: Pick<AssignmentDeps, 'roster'>, assignments: TeachingAssignment[]) {
  const unique = (ids: string[]) => [...new Set(ids.filter(Boolean))];
  const [people, classes, subgroups] = await Promise.all([
    deps.roster.people(unique(assignments.map((a) => a.teacherId))),
    deps.roster.classes(unique(assignments.map((a) => a.classId))),
    deps.roster.subgroups(unique(assignments.map((a) => a.subgroupId))),
  ]);
  return {
    people: new Map(people.map((p) => [p.id, p])),
    classes: new Map(classes.map((c) => [c.id, c])),
    subgroups: new Map(subgroups.map((s) => [s.id, s])),
  };
}

function toViews(
  assignments: TeachingAssignment[],
  found: Awaited<ReturnType<typeof lookUp>>,
): AssignmentView[] {
  return assignments.map((assignment) => ({
    assignment,
    teacherName: found.people.get(assignment.teacherId)?.displayName ?? '',
    className: found.classes.get(assignment.classId)?.name ?? '',
    subgroupName: found.subgroups.get(assignment.subgroupId)?.name ?? '',
  }));
}

/**
 * The names of the teachers, classes and subgroups of assignments, in the same order (names are
 * read from the copy now: a renamed class shows its new name).
 */
export async function describeAssignments(
  deps: Pick<AssignmentDeps, 'roster'>,
  assignments: TeachingAssignment[],
): Promise<AssignmentView[]> {
  return toViews(assignments, await lookUp(deps, assignments));
}

/**
 * Assignments of a school's year, by teacher or by class (R1.3): managers list any; a teacher
 * their own and those of a class they teach or lead; anyone else is refused.
 */
export async function listAssignments(
  deps: AssignmentDeps,
  ctx: RequestContext,
  query: {
    schoolId: string;
    academicYearId: string;
    teacherId: string;
    classId: string;
    includeEnded: boolean;
  },
): Promise<AssignmentView[]> {
  const what = {
    action: 'assignment.list',
    object: query.classId
      ? `class:${query.classId}`
      : query.teacherId
        ? `teacher:${query.teacherId}`
        : `school:${query.schoolId}`,
  };
  // Someone without a role in the school learns nothing about it (the denial is still logged).
  if (!hasRoleIn(ctx.actor, query.schoolId)) authorizeOrHide(deps, ctx, false, what, schoolNotFound);
  if (!query.academicYearId) {
    throw invalid('assignment.filter_invalid', 'Отбор нагрузки указан с ошибками', [
      { field: 'academicYearId', message: 'Укажите учебный год' },
    ]);
  }

  let schoolClass: CopiedClass | undefined;
  if (query.classId) {
    const copied = await deps.roster.schoolClass(query.classId);
    if (!copied || copied.schoolId !== query.schoolId) throw classNotFound();
    schoolClass = copied;
  }
  let allowed = canManageSchedule(ctx.actor, query.schoolId);
  if (!allowed && schoolClass) {
    allowed = canReadClassAssignments(ctx.actor, await classRelations(deps, ctx, schoolClass));
  } else if (!allowed && query.teacherId) {
    allowed = isOwnAssignment(ctx.actor, { schoolId: query.schoolId, teacherId: query.teacherId });
  }
  deps.authorize(ctx.actor, allowed, what);

  const stored = schoolClass
    ? await deps.assignments.listByClass(schoolClass.id)
    : query.teacherId
      ? await deps.assignments.listByTeacher(query.teacherId, query.academicYearId)
      : await deps.assignments.listByYear(query.schoolId, query.academicYearId);
  const selected = stored.filter(
    (a) =>
      a.schoolId === query.schoolId &&
      a.academicYearId === query.academicYearId &&
      (!query.teacherId || a.teacherId === query.teacherId) &&
      (!query.classId || a.classId === query.classId) &&
      (query.includeEnded || a.status === 'active'),
  );
  const found = await lookUp(deps, selected);
  return toViews(selected, found).sort((a, b) =>
    compareAssignments(a.assignment, b.assignment, {
      classOf: (id) => found.classes.get(id),
      subgroupName: (id) => found.subgroups.get(id)?.name ?? '',
    }),
  );
}

/** One assignment: managers of the school, its teacher, a teacher who teaches or leads its class. */
export async function getAssignment(
  deps: AssignmentDeps,
  ctx: RequestContext,
  id: string,
): Promise<AssignmentView> {
  const assignment = await deps.assignments.get(id);
  if (!assignment) throw assignmentNotFound();
  let allowed = canManageSchedule(ctx.actor, assignment.schoolId) || isOwnAssignment(ctx.actor, assignment);
  if (!allowed && hasRoleIn(ctx.actor, assignment.schoolId)) {
    const schoolClass = await deps.roster.schoolClass(assignment.classId);
    if (schoolClass)
      allowed = canReadClassAssignments(ctx.actor, await classRelations(deps, ctx, schoolClass));
  }
  authorizeInSchool(
    deps,
    ctx,
    assignment.schoolId,
    allowed,
    { action: 'assignment.read', object: `assignment:${assignment.id}` },
    assignmentNotFound,
  );
  const [view] = await describeAssignments(deps, [assignment]);
  return view!;
}

/**
 * What roster did that ends assignments: a teacher dismissed (`lastDay`: the last day in the
 * position), a class closed or a subgroup disbanded (no date in roster's event: the school's day
 * of `occurredAt`).
 */
export type RosterEnding =
  | { reason: 'teacher_dismissed'; schoolId: string; teacherId: string; lastDay: string; occurredAt: string }
  | { reason: 'class_closed'; schoolId: string; classId: string; occurredAt: string }
  | { reason: 'subgroup_disbanded'; schoolId: string; subgroupId: string; occurredAt: string };

export interface AssignmentEndingDeps {
  assignments: Pick<AssignmentRepository, 'update' | 'listByClass'>;
  /** The active assignments of a teacher in a school, of every year. */
  activeAssignmentsOfTeacher: (schoolId: string, teacherId: string) => Promise<TeachingAssignment[]>;
  /** The copy as it is now (already with the roster event applied). */
  roster: Pick<RosterCopyReader, 'school' | 'positionsOf' | 'schoolClass' | 'subgroup'>;
  now: () => Date;
}

/**
 * Ends the active assignments roster's change leaves without a teacher or a class (R2.3): a
 * teacher dismissed from their last teaching position in the school, a class closed, a subgroup
 * disbanded. Each ends on the day of the change (not after its own last day; the day before its
 * first day when it had not begun), status "ended" with the reason's code, and publishes
 * edu.schedule.teaching.unassigned. Decided with the copy as it is now, so a replayed or late
 * event ends nothing twice and nothing of a teacher hired again or a class reopened.
 */
export async function endAssignmentsAfterRoster(
  deps: AssignmentEndingDeps,
  ctx: RequestContext,
  ending: RosterEnding,
): Promise<TeachingAssignment[]> {
  let affected: TeachingAssignment[];
  switch (ending.reason) {
    case 'teacher_dismissed':
      if (teachesInSchool(await deps.roster.positionsOf(ending.schoolId, ending.teacherId))) return [];
      affected = await deps.activeAssignmentsOfTeacher(ending.schoolId, ending.teacherId);
      break;
    case 'class_closed': {
      const schoolClass = await deps.roster.schoolClass(ending.classId);
      if (!schoolClass || schoolClass.status !== 'closed') return [];
      affected = await deps.assignments.listByClass(ending.classId);
      break;
    }
    case 'subgroup_disbanded': {
      const subgroup = await deps.roster.subgroup(ending.subgroupId);
      if (!subgroup || subgroup.status !== 'closed') return [];
      affected = (await deps.assignments.listByClass(subgroup.classId)).filter(
        (a) => a.subgroupId === ending.subgroupId,
      );
      break;
    }
  }
  let lastDay = ending.reason === 'teacher_dismissed' ? ending.lastDay : '';
  if (!isDate(lastDay)) {
    const school = await deps.roster.school(ending.schoolId);
    lastDay = todayIn(school?.timeZone || 'UTC', new Date(ending.occurredAt));
  }
  // Those over by their own days by then (an old year's) are left as they are.
  affected = affected.filter(
    (a) => a.status === 'active' && a.schoolId === ending.schoolId && a.endsOn > lastDay,
  );
  const ended: TeachingAssignment[] = [];
  for (const assignment of affected) {
    const earliest = addDays(assignment.startsOn, -1);
    const endsOn = lastDay < earliest ? earliest : lastDay;
    const next: TeachingAssignment = {
      ...assignment,
      endsOn,
      status: 'ended',
      history: [
        ...assignment.history,
        {
          kind: 'ended',
          effectiveOn: endsOn,
          reason: ending.reason,
          recordedAt: deps.now().toISOString(),
          recordedBy: ctx.actor.accountId,
        },
      ],
      version: assignment.version + 1,
    };
    // A manager's change meanwhile is a conflict: the consumer retries, and then reads it anew.
    await deps.assignments.update(
      next,
      assignment.version,
      [
        {
          type: 'edu.schedule.teaching.unassigned',
          assignment: next,
          previousEndsOn: assignment.endsOn,
          reason: ending.reason,
        },
      ],
      ctx,
    );
    ended.push(next);
  }
  return ended;
}
