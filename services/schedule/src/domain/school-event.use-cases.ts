import { DomainError, conflict, invalid, notFound, precondition, type FieldError } from '@edu/kit';
import type {
  AssignmentRepository,
  Authorize,
  RequestContext,
  RosterCopyReader,
  SchoolEventRepository,
  StudentRelationsReader,
} from './ports';
import type { CopiedYear } from './roster-copy';
import { authorizeInSchool, authorizeOrHide, canManageSchedule, hasRoleIn } from './schedule-policy';
import {
  canSeeEvent,
  cancelReasonErrors,
  cardFormErrors,
  compareEvents,
  leadTimeWarning,
  oneLine,
  resultsErrors,
  type EventViewer,
  type ParticipantResult,
  type SchoolEvent,
  type SchoolEventCard,
} from './school-event';
import { classOfStudent, readsForChild } from './student-relations';
import { formatDate, isDate, outsideYearErrors, teachesClass, todayIn } from './teaching-assignment';

export interface SchoolEventDeps {
  events: SchoolEventRepository;
  assignments: Pick<AssignmentRepository, 'listByClass' | 'listByTeacher'>;
  /** Schedule's copy of roster: schools (time zone), years, classes, staff. */
  roster: Pick<RosterCopyReader, 'school' | 'year' | 'classes' | 'schoolClass' | 'positionsOf' | 'people'>;
  /** Schedule's copy of student relations: enrolments and guardianships. */
  relations: StudentRelationsReader;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

/** An event with the names people read, from the copy as it is now. */
export interface SchoolEventView {
  event: SchoolEvent;
  classNames: string[];
  responsibleName: string;
}

const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
const yearNotFound = () => notFound('academic_year.not_found', 'Учебный год не найден');
const eventNotFound = () => notFound('event.not_found', 'Мероприятие не найдено');
const classNotFound = () => notFound('class.not_found', 'Класс не найден');
const studentNotFound = () => notFound('student.not_found', 'Обучающийся не найден');

export function schoolEventVersionConflict(): DomainError {
  return conflict('event.version_conflict', 'Мероприятие уже изменили: обновите страницу и повторите');
}

const cardInvalid = (errors: FieldError[]) =>
  invalid('event.invalid', 'Мероприятие заполнено с ошибками', errors);

/** The year of the school, open. */
async function openYearOf(deps: SchoolEventDeps, schoolId: string, yearId: string): Promise<CopiedYear> {
  const year = await deps.roster.year(yearId);
  if (!year || year.schoolId !== schoolId) throw yearNotFound();
  if (year.status !== 'open') {
    throw precondition(
      'academic_year.closed',
      `Учебный год ${year.name} закрыт: мероприятия в нём не меняются`,
    );
  }
  return year;
}

/** The school's day now (its time zone; UTC while the copy does not know it). */
async function todayOf(deps: SchoolEventDeps, schoolId: string): Promise<string> {
  const school = await deps.roster.school(schoolId);
  return todayIn(school?.timeZone || 'UTC', deps.now());
}

/**
 * The card's references, in order, each with every offender: the days inside the year, the
 * classes of the school's year and open, the responsible an active staff person of the school,
 * the participants students enrolled in the year or active staff of the school.
 */
async function checkReferences(
  deps: SchoolEventDeps,
  schoolId: string,
  year: CopiedYear,
  card: SchoolEventCard,
): Promise<void> {
  const outside = outsideYearErrors(card, year);
  if (outside.length > 0) {
    throw precondition(
      'event.outside_year',
      `Мероприятие проводится в дни учебного года ${year.name}: ${formatDate(year.startsOn)}–${formatDate(year.endsOn)}`,
      outside,
    );
  }
  if (card.classIds.length > 0) {
    const classes = new Map((await deps.roster.classes(card.classIds)).map((c) => [c.id, c]));
    const errors: FieldError[] = [];
    card.classIds.forEach((id, i) => {
      const c = classes.get(id);
      if (!c || c.schoolId !== schoolId)
        errors.push({ field: `classIds[${i}]`, message: 'Класс не найден в школе' });
      else if (c.academicYearId !== year.id) {
        errors.push({ field: `classIds[${i}]`, message: `Класс ${c.name} не из учебного года ${year.name}` });
      } else if (c.status !== 'open')
        errors.push({ field: `classIds[${i}]`, message: `Класс ${c.name} закрыт` });
    });
    if (errors.length > 0) {
      throw precondition(
        'event.class_invalid',
        'Мероприятие назначается открытым классам этого учебного года',
        errors,
      );
    }
  }
  const isStaff = async (personId: string) =>
    (await deps.roster.positionsOf(schoolId, personId)).some((p) => p.status === 'active');
  if (!(await isStaff(card.responsibleId))) {
    throw precondition('event.responsible_not_staff', 'Ответственным может быть только работник этой школы', [
      { field: 'responsibleId', message: 'Выберите работающего сотрудника школы' },
    ]);
  }
  if (card.participantIds.length > 0) {
    const students = new Set(
      (await deps.relations.enrolments(year.id, card.participantIds))
        .filter((e) => e.schoolId === schoolId && e.status === 'active')
        .map((e) => e.studentId),
    );
    const errors: FieldError[] = [];
    for (const [i, id] of card.participantIds.entries()) {
      if (!students.has(id) && !(await isStaff(id))) {
        errors.push({
          field: `participantIds[${i}]`,
          message: 'Не обучающийся и не сотрудник школы в этом году',
        });
      }
    }
    if (errors.length > 0) {
      throw precondition(
        'event.unknown_participant',
        'Участниками могут быть обучающиеся и сотрудники школы в этом учебном году',
        errors,
      );
    }
  }
}

/** The card as the use case reads it from the request (the form's own words). */
export type SchoolEventCardInput = Omit<SchoolEventCard, 'scope'> & { scope: string };

function formOf(input: SchoolEventCardInput, extra: FieldError[]): SchoolEventCard {
  const { card, errors } = cardFormErrors(input as SchoolEventCard);
  if (extra.length + errors.length > 0) throw cardInvalid([...extra, ...errors]);
  return card;
}

/**
 * Enters an event into the calendar (R4.2): managers of the school. Entered later than the lead
 * time (2 weeks for the school, 1 week for classes) it is accepted and carries `event.late_notice`.
 * Publishes edu.schedule.event.scheduled.
 */
export async function createSchoolEvent(
  deps: SchoolEventDeps,
  ctx: RequestContext,
  input: { schoolId: string; academicYearId: string; card: SchoolEventCardInput },
): Promise<SchoolEvent> {
  authorizeInSchool(
    deps,
    ctx,
    input.schoolId,
    canManageSchedule(ctx.actor, input.schoolId),
    { action: 'event.create', object: `school:${input.schoolId}` },
    schoolNotFound,
  );
  const card = formOf(
    input.card,
    input.academicYearId ? [] : [{ field: 'academicYearId', message: 'Укажите учебный год' }],
  );
  const year = await openYearOf(deps, input.schoolId, input.academicYearId);
  await checkReferences(deps, input.schoolId, year, card);
  const warning = leadTimeWarning(card.scope, card.startsOn, await todayOf(deps, input.schoolId));
  const now = deps.now().toISOString();
  const event: SchoolEvent = {
    id: deps.newId(),
    schoolId: input.schoolId,
    academicYearId: year.id,
    ...card,
    status: 'scheduled',
    cancelReason: '',
    resultsSummary: '',
    participantResults: [],
    resultsRecordedAt: '',
    lateNotice: !!warning,
    warnings: warning ? [warning] : [],
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: ctx.actor.accountId,
  };
  await deps.events.create(event, [{ type: 'edu.schedule.event.scheduled', event }], ctx);
  return event;
}

/** The stored event, for a manager of its school (others: hidden or refused, logged). */
async function eventToManage(deps: SchoolEventDeps, ctx: RequestContext, id: string, action: string) {
  const event = id ? await deps.events.get(id) : null;
  if (!event) throw eventNotFound();
  authorizeInSchool(
    deps,
    ctx,
    event.schoolId,
    canManageSchedule(ctx.actor, event.schoolId),
    { action, object: `event:${event.id}` },
    eventNotFound,
  );
  return event;
}

function versionErrors(expectedVersion: number): FieldError[] {
  return Number.isInteger(expectedVersion) && expectedVersion >= 1
    ? []
    : [{ field: 'expectedVersion', message: 'Укажите версию мероприятия, которую вы изменяете' }];
}

function notCancelled(event: SchoolEvent): void {
  if (event.status === 'cancelled') {
    throw precondition('event.cancelled', `Мероприятие «${event.title}» отменено: его больше не меняют`);
  }
}

/**
 * Replaces an event's card as a whole (managers), by version; a cancelled one is not changed.
 * Moving its first day or changing its scope checks the lead time again from today; results of
 * people no longer participating are dropped. Publishes edu.schedule.event.changed.
 */
export async function changeSchoolEvent(
  deps: SchoolEventDeps,
  ctx: RequestContext,
  input: { id: string; card: SchoolEventCardInput; expectedVersion: number },
): Promise<SchoolEvent> {
  const stored = await eventToManage(deps, ctx, input.id, 'event.change');
  const card = formOf(input.card, versionErrors(input.expectedVersion));
  notCancelled(stored);
  if (stored.version !== input.expectedVersion) throw schoolEventVersionConflict();
  const year = await openYearOf(deps, stored.schoolId, stored.academicYearId);
  await checkReferences(deps, stored.schoolId, year, card);
  let { lateNotice, warnings } = stored;
  if (card.startsOn !== stored.startsOn || card.scope !== stored.scope) {
    const warning = leadTimeWarning(card.scope, card.startsOn, await todayOf(deps, stored.schoolId));
    lateNotice = !!warning;
    warnings = warning ? [warning] : [];
  }
  const participants = new Set(card.participantIds);
  const event: SchoolEvent = {
    ...stored,
    ...card,
    participantResults: stored.participantResults.filter((r) => participants.has(r.personId)),
    lateNotice,
    warnings,
    version: stored.version + 1,
    updatedAt: deps.now().toISOString(),
    updatedBy: ctx.actor.accountId,
  };
  await deps.events.update(
    event,
    stored.version,
    [{ type: 'edu.schedule.event.changed', event, change: 'card' }],
    ctx,
  );
  return event;
}

/** Cancels an event with the reason (managers); it stays. Publishes edu.schedule.event.cancelled. */
export async function cancelSchoolEvent(
  deps: SchoolEventDeps,
  ctx: RequestContext,
  input: { id: string; reason: string; expectedVersion: number },
): Promise<SchoolEvent> {
  const stored = await eventToManage(deps, ctx, input.id, 'event.cancel');
  const reason = oneLine(input.reason);
  const errors = [...cancelReasonErrors(reason), ...versionErrors(input.expectedVersion)];
  if (errors.length > 0) throw invalid('event.invalid', 'Отмена мероприятия заполнена с ошибками', errors);
  notCancelled(stored);
  if (stored.version !== input.expectedVersion) throw schoolEventVersionConflict();
  await openYearOf(deps, stored.schoolId, stored.academicYearId);
  const event: SchoolEvent = {
    ...stored,
    status: 'cancelled',
    cancelReason: reason,
    version: stored.version + 1,
    updatedAt: deps.now().toISOString(),
    updatedBy: ctx.actor.accountId,
  };
  await deps.events.update(event, stored.version, [{ type: 'edu.schedule.event.cancelled', event }], ctx);
  return event;
}

/**
 * Records (replaces) an event's results once it has started (R4.4: an olympiad's places and
 * diplomas): the summary and per participant. Publishes edu.schedule.event.changed.
 */
export async function recordSchoolEventResults(
  deps: SchoolEventDeps,
  ctx: RequestContext,
  input: {
    id: string;
    resultsSummary: string;
    participantResults: ParticipantResult[];
    expectedVersion: number;
  },
): Promise<SchoolEvent> {
  const stored = await eventToManage(deps, ctx, input.id, 'event.results');
  const summary = input.resultsSummary.trim();
  const results = input.participantResults.map((r) => ({
    personId: r.personId.trim(),
    result: oneLine(r.result),
  }));
  const errors = [
    ...resultsErrors(summary, results, stored.participantIds),
    ...versionErrors(input.expectedVersion),
  ];
  if (errors.length > 0) throw invalid('event.invalid', 'Итоги мероприятия заполнены с ошибками', errors);
  notCancelled(stored);
  if (stored.version !== input.expectedVersion) throw schoolEventVersionConflict();
  await openYearOf(deps, stored.schoolId, stored.academicYearId);
  const today = await todayOf(deps, stored.schoolId);
  if (today < stored.startsOn) {
    throw precondition(
      'event.not_held_yet',
      `Итоги записывают после начала мероприятия: оно начнётся ${formatDate(stored.startsOn)}`,
    );
  }
  const now = deps.now().toISOString();
  const event: SchoolEvent = {
    ...stored,
    resultsSummary: summary,
    participantResults: results,
    resultsRecordedAt: now,
    version: stored.version + 1,
    updatedAt: now,
    updatedBy: ctx.actor.accountId,
  };
  await deps.events.update(
    event,
    stored.version,
    [{ type: 'edu.schedule.event.changed', event, change: 'results' }],
    ctx,
  );
  return event;
}

/**
 * The students an actor reads for in a year of a school: themself when enrolled there, and their
 * children while a link with a consent in effect lasts; with those students' classes.
 */
export async function studentsReadFor(
  deps: Pick<SchoolEventDeps, 'relations'>,
  personId: string,
  schoolId: string,
  academicYearId: string,
): Promise<{ studentIds: Set<string>; classIds: Set<string> }> {
  const studentIds = new Set<string>();
  const classIds = new Set<string>();
  if (!personId || !academicYearId) return { studentIds, classIds };
  const links = await deps.relations.guardianshipsOf(personId);
  const children = links
    .filter((l) => l.schoolId === schoolId && readsForChild(links, personId, l.studentId))
    .map((l) => l.studentId);
  const enrolments = await deps.relations.enrolments(academicYearId, [personId, ...children]);
  for (const enrolment of enrolments) {
    const classId = classOfStudent(enrolment);
    if (enrolment.schoolId !== schoolId || !classId) continue;
    studentIds.add(enrolment.studentId);
    classIds.add(classId);
  }
  return { studentIds, classIds };
}

/** The viewer of a school's year's events: roles, the classes taught or led, students read for. */
async function viewerOf(
  deps: SchoolEventDeps,
  ctx: RequestContext,
  schoolId: string,
  academicYearId: string,
  classIdsInQuestion: string[],
): Promise<EventViewer> {
  const personId = ctx.actor.personId ?? '';
  const manages = canManageSchedule(ctx.actor, schoolId);
  const hasRole = hasRoleIn(ctx.actor, schoolId);
  const staffClassIds = new Set<string>();
  if (hasRole && !manages && personId) {
    for (const a of await deps.assignments.listByTeacher(personId, academicYearId)) {
      if (a.schoolId === schoolId && teachesClass(personId, [a])) staffClassIds.add(a.classId);
    }
    const classes = await deps.roster.classes([...new Set(classIdsInQuestion)]);
    for (const c of classes)
      if (c.schoolId === schoolId && c.classTeacherId === personId) staffClassIds.add(c.id);
  }
  const { studentIds, classIds } = manages
    ? { studentIds: new Set<string>(), classIds: new Set<string>() }
    : await studentsReadFor(deps, personId, schoolId, academicYearId);
  return { manages, hasRole, personId, staffClassIds, studentIds, studentClassIds: classIds };
}

/** Names of the classes and the responsible person of some events, read from the copy now. */
export async function describeSchoolEvents(
  deps: Pick<SchoolEventDeps, 'roster'>,
  events: SchoolEvent[],
): Promise<SchoolEventView[]> {
  const [classes, people] = await Promise.all([
    deps.roster.classes([...new Set(events.flatMap((e) => e.classIds))]),
    deps.roster.people([...new Set(events.map((e) => e.responsibleId).filter(Boolean))]),
  ]);
  const classNames = new Map(classes.map((c) => [c.id, c.name]));
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  return events.map((event) => ({
    event,
    classNames: event.classIds.map((id) => classNames.get(id) ?? ''),
    responsibleName: names.get(event.responsibleId) ?? '',
  }));
}

/**
 * One event (R4.2): managers; anyone with a role in the school a school-wide one; class events
 * the class's teachers and class teacher; participants and the responsible; a student and a
 * guardian (consent in effect) what concerns the student. Anyone else: NOT_FOUND without a role,
 * PERMISSION_DENIED with one (logged).
 */
export async function getSchoolEvent(
  deps: SchoolEventDeps,
  ctx: RequestContext,
  id: string,
): Promise<SchoolEventView> {
  const event = id ? await deps.events.get(id) : null;
  if (!event) throw eventNotFound();
  const viewer = await viewerOf(deps, ctx, event.schoolId, event.academicYearId, event.classIds);
  const allowed = canSeeEvent(viewer, event);
  // A student or guardian the event does not concern learns nothing of it (NOT_FOUND, logged).
  authorizeInSchool(
    deps,
    ctx,
    event.schoolId,
    allowed,
    { action: 'event.read', object: `event:${event.id}` },
    eventNotFound,
  );
  const [view] = await describeSchoolEvents(deps, [event]);
  return view!;
}

/**
 * A school year's events the reader may see (as `getSchoolEvent`), by date: those whose days meet
 * [from, to]; with `classId` the school's and that class's; with `studentId` what concerns that
 * student (for a guardian: one child).
 */
export async function listSchoolEvents(
  deps: SchoolEventDeps,
  ctx: RequestContext,
  query: {
    schoolId: string;
    academicYearId: string;
    from: string;
    to: string;
    classId: string;
    studentId: string;
  },
): Promise<SchoolEventView[]> {
  const what = {
    action: 'event.list',
    object: query.classId ? `class:${query.classId}` : `school:${query.schoolId}`,
  };
  const errors: FieldError[] = [];
  if (!query.schoolId) errors.push({ field: 'schoolId', message: 'Укажите школу' });
  if (!query.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  for (const field of ['from', 'to'] as const) {
    if (query[field] && !isDate(query[field]))
      errors.push({ field, message: 'Укажите дату в виде ГГГГ-ММ-ДД' });
  }
  if (errors.length === 0 && query.from && query.to && query.to < query.from) {
    errors.push({ field: 'to', message: 'Конец периода раньше начала' });
  }
  if (errors.length > 0) throw invalid('event.filter_invalid', 'Отбор мероприятий указан с ошибками', errors);

  const stored = (await deps.events.listByYear(query.schoolId, query.academicYearId)).filter(
    (e) => (!query.from || e.endsOn >= query.from) && (!query.to || e.startsOn <= query.to),
  );
  const enrolment = query.studentId
    ? await deps.relations.enrolment(query.academicYearId, query.studentId)
    : null;
  const classOfNamed = enrolment?.schoolId === query.schoolId ? classOfStudent(enrolment) : '';
  const reader = await viewerOf(deps, ctx, query.schoolId, query.academicYearId, [
    ...stored.flatMap((e) => e.classIds),
    ...[query.classId, classOfNamed].filter(Boolean),
  ]);
  // Someone without a role who reads for no student of the school learns nothing about it.
  if (!reader.hasRole && reader.studentIds.size === 0)
    authorizeOrHide(deps, ctx, false, what, schoolNotFound);
  const gate = (allowed: boolean, object: string, hidden: () => DomainError) => {
    if (reader.hasRole) deps.authorize(ctx.actor, allowed, { ...what, object });
    else authorizeOrHide(deps, ctx, allowed, { ...what, object }, hidden);
  };

  if (query.studentId) {
    // The student themself, their guardian (consent), managers, the class's teachers.
    gate(
      reader.studentIds.has(query.studentId) ||
        reader.manages ||
        (!!classOfNamed && reader.staffClassIds.has(classOfNamed)),
      `student:${query.studentId}`,
      studentNotFound,
    );
  }
  // With a student named, what concerns that student; otherwise what the reader may see.
  const viewer: EventViewer = !query.studentId
    ? reader
    : {
        manages: false,
        hasRole: false,
        personId: '',
        staffClassIds: new Set(),
        studentIds: new Set([query.studentId]),
        studentClassIds: new Set([classOfNamed].filter(Boolean)),
      };
  if (query.classId) {
    const schoolClass = await deps.roster.schoolClass(query.classId);
    if (!schoolClass || schoolClass.schoolId !== query.schoolId) throw classNotFound();
    gate(
      reader.manages ||
        reader.staffClassIds.has(schoolClass.id) ||
        reader.studentClassIds.has(schoolClass.id),
      `class:${schoolClass.id}`,
      classNotFound,
    );
  }
  const selected = stored
    .filter((e) => canSeeEvent(viewer, e))
    .filter((e) => !query.classId || e.scope === 'school' || e.classIds.includes(query.classId))
    .sort(compareEvents);
  return describeSchoolEvents(deps, selected);
}
