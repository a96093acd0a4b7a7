import { DomainError, conflict, invalid, notFound, precondition } from '@edu/kit';
import { ruDate } from './academic-year';
import {
  DOCUMENT_MAX,
  REASON_MAX,
  consentInEffect,
  kindErrors,
  pastDateErrors,
  textErrors,
  versionErrors,
  type GuardianKind,
  type Guardianship,
} from './guardianship';
import { studentRelations, type ClassTeacherDeps } from './class-teacher';
import { dateIn, type Person } from './person';
import type {
  Authorize,
  GuardianshipEvent,
  GuardianshipRepository,
  PersonRepository,
  RequestContext,
  SchoolRepository,
} from './ports';
import type { FieldError } from './school';
import {
  authorizeOrHide,
  canKeepGuardianship,
  canLinkGuardian,
  canListChildren,
  canManageSchool,
  isOwnGuardianship,
  type StudentRelations,
} from './school-policy';

export const GUARDIAN_LINKED = 'edu.roster.guardian.linked' as const;
export const GUARDIAN_UNLINKED = 'edu.roster.guardian.unlinked' as const;
export const CONSENT_RECORDED = 'edu.roster.consent.recorded' as const;
export const CONSENT_REVOKED = 'edu.roster.consent.revoked' as const;

/** The class-teacher relation comes from the student's active enrolment in an open year. */
export interface GuardianshipDeps extends ClassTeacherDeps {
  schools: Pick<SchoolRepository, 'get'>;
  people: Pick<PersonRepository, 'get'>;
  guardianships: GuardianshipRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

const linkNotFound = () =>
  notFound('guardianship.not_found', 'Связь с родителем (законным представителем) не найдена');
const studentNotFound = () => notFound('person.not_found', 'Обучающийся не найден');
const guardianNotFound = () => notFound('person.not_found', 'Родитель (законный представитель) не найден');

export function guardianshipVersionConflict(): DomainError {
  return conflict(
    'guardianship.version_conflict',
    'Связь с родителем (законным представителем) уже изменили: откройте её заново и повторите',
  );
}

export function alreadyLinked(): DomainError {
  return conflict(
    'guardianship.already_linked',
    'Этот родитель (законный представитель) уже связан с обучающимся',
  );
}

/** The student with the class teachers the policy may need. */
function relationsOf(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  schoolId: string,
  studentId: string,
): Promise<StudentRelations> {
  return studentRelations(deps, ctx.actor, schoolId, studentId);
}

/** The school's today (its time zone): no consent, revocation or end may be dated later. */
async function schoolToday(deps: GuardianshipDeps, schoolId: string): Promise<string> {
  const school = await deps.schools.get(schoolId);
  if (!school) throw notFound('school.not_found', 'Школа не найдена');
  return dateIn(school.timeZone, deps.now());
}

function refuseInvalid(errors: FieldError[], detail: string): void {
  if (errors.length > 0) throw invalid('guardianship.invalid', detail, errors);
}

/**
 * Links a guardian to a student (R3.2): the student's school's managers or the class teacher of
 * the student's class. The guardian's card may be of another school of the region; the link
 * belongs to the student's school. One active link per guardian and student.
 */
export async function linkGuardian(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  input: { studentId: string; guardianId: string; kind: string },
): Promise<Guardianship> {
  if (!input.studentId.trim()) {
    throw invalid('guardianship.invalid', 'Не указан обучающийся', [
      { field: 'studentId', message: 'Выберите обучающегося' },
    ]);
  }
  const student = await deps.people.get(input.studentId);
  if (!student) throw studentNotFound();
  deps.authorize(
    ctx.actor,
    canLinkGuardian(ctx.actor, await relationsOf(deps, ctx, student.schoolId, student.id)),
    {
      action: 'guardian.link',
      object: `person:${student.id}`,
    },
  );
  refuseInvalid(
    [
      ...(input.guardianId.trim()
        ? []
        : [{ field: 'guardianId', message: 'Выберите родителя (законного представителя)' }]),
      ...kindErrors(input.kind),
    ],
    'Связь с родителем (законным представителем) заполнена с ошибками',
  );
  if (student.kind !== 'student' || student.status !== 'active') {
    throw precondition(
      'guardianship.not_a_student',
      'Связать с родителем можно только обучающегося (не в архиве)',
      [{ field: 'studentId', message: 'Выберите обучающегося, который не в архиве' }],
    );
  }
  const guardian = await deps.people.get(input.guardianId);
  if (!guardian || guardian.kind !== 'guardian' || guardian.status !== 'active') {
    throw precondition(
      'guardianship.not_a_guardian',
      'Связать с обучающимся можно только родителя (законного представителя), который не в архиве',
      [{ field: 'guardianId', message: 'Выберите родителя (законного представителя), который не в архиве' }],
    );
  }
  if (await deps.guardianships.findActive(guardian.id, student.id)) throw alreadyLinked();
  const link: Guardianship = {
    id: deps.newId(),
    schoolId: student.schoolId,
    guardianId: guardian.id,
    studentId: student.id,
    kind: input.kind as GuardianKind,
    status: 'active',
    consents: [],
    linkedAt: deps.now().toISOString(),
    linkedBy: ctx.actor.accountId,
    endedOn: '',
    endReason: '',
    endedBy: '',
    endedAt: '',
    version: 1,
  };
  await deps.guardianships.create(link, [{ type: GUARDIAN_LINKED, guardianship: link }], ctx);
  return link;
}

/**
 * The link a command changes, if the actor may change it (PERMISSION_DENIED, logged, otherwise).
 * Every problem with the input at once (`errors` of the command itself and the version), then a
 * stale version is a conflict and an ended link can no longer change.
 */
async function linkToChange(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  change: { id: string; expectedVersion: number },
  action: string,
  inputErrors: (today: string) => FieldError[],
): Promise<{ link: Guardianship; today: string }> {
  const link = await deps.guardianships.get(change.id);
  if (!link) throw linkNotFound();
  deps.authorize(
    ctx.actor,
    (action === 'guardian.unlink' ? canLinkGuardian : canKeepGuardianship)(
      ctx.actor,
      await relationsOf(deps, ctx, link.schoolId, link.studentId),
    ),
    {
      action,
      object: `guardianship:${link.id}`,
    },
  );
  const today = await schoolToday(deps, link.schoolId);
  refuseInvalid(
    [...inputErrors(today), ...versionErrors(change.expectedVersion)],
    'Изменение связи с родителем (законным представителем) заполнено с ошибками',
  );
  if (link.version !== change.expectedVersion) throw guardianshipVersionConflict();
  if (link.status === 'ended') {
    throw precondition(
      'guardianship.ended',
      'Связь с родителем (законным представителем) прекращена: изменить её нельзя',
    );
  }
  return { link, today };
}

async function save(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  next: Guardianship,
  expectedVersion: number,
  type: GuardianshipEvent['type'],
): Promise<Guardianship> {
  await deps.guardianships.update(next, expectedVersion, [{ type, guardianship: next }], ctx);
  return next;
}

const ENDED_ON = { name: 'Дата прекращения связи', missing: 'Укажите дату прекращения связи' };
const END_REASON = { name: 'Причина прекращения связи', missing: 'Укажите причину прекращения связи' };
const GIVEN_ON = { name: 'Дата согласия', missing: 'Укажите дату согласия' };
const DOCUMENT = {
  name: 'Документ согласия',
  missing: 'Укажите документ согласия, например «Заявление № 15 от 01.09.2026»',
};
const REVOKED_ON = { name: 'Дата отзыва согласия', missing: 'Укажите дату отзыва согласия' };
const REVOCATION_REASON = { name: 'Причина отзыва согласия', missing: 'Укажите причину отзыва согласия' };

/** Ends a link (never deleted): status `ended` with its date and reason; the history stays. */
export async function unlinkGuardian(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  change: { id: string; expectedVersion: number; endedOn: string; reason: string },
): Promise<Guardianship> {
  const { link } = await linkToChange(deps, ctx, change, 'guardian.unlink', (today) => [
    ...pastDateErrors('endedOn', change.endedOn, today, ENDED_ON),
    ...textErrors('reason', change.reason, REASON_MAX, END_REASON),
  ]);
  const next: Guardianship = {
    ...link,
    status: 'ended',
    endedOn: change.endedOn,
    endReason: change.reason.trim(),
    endedBy: ctx.actor.accountId,
    endedAt: deps.now().toISOString(),
    version: link.version + 1,
  };
  return save(deps, ctx, next, link.version, GUARDIAN_UNLINKED);
}

/**
 * Records the guardian's written consent (R1.9) on an active link without a consent in effect;
 * after a revocation a new consent may be recorded (dated not before that revocation).
 */
export async function recordConsent(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  change: { id: string; expectedVersion: number; givenOn: string; document: string },
): Promise<Guardianship> {
  const { link } = await linkToChange(deps, ctx, change, 'consent.record', (today) => [
    ...pastDateErrors('givenOn', change.givenOn, today, GIVEN_ON),
    ...textErrors('document', change.document, DOCUMENT_MAX, DOCUMENT),
  ]);
  if (consentInEffect(link)) {
    throw precondition(
      'guardianship.consent_active',
      'Согласие уже действует: чтобы записать новое, сначала отзовите действующее',
    );
  }
  const previous = link.consents.at(-1);
  if (previous && change.givenOn < previous.revokedOn) {
    throw invalid('guardianship.invalid', 'Дата согласия раньше отзыва предыдущего согласия', [
      {
        field: 'givenOn',
        message: `Дата согласия — не раньше отзыва предыдущего (${ruDate(previous.revokedOn)})`,
      },
    ]);
  }
  const next: Guardianship = {
    ...link,
    consents: [
      ...link.consents,
      {
        givenOn: change.givenOn,
        document: change.document.trim(),
        recordedBy: ctx.actor.accountId,
        recordedAt: deps.now().toISOString(),
        revokedOn: '',
        revocationReason: '',
        revokedBy: '',
        revokedAt: '',
      },
    ],
    version: link.version + 1,
  };
  return save(deps, ctx, next, link.version, CONSENT_RECORDED);
}

/** Revokes the consent in effect; it stays in the history with the date and reason. */
export async function revokeConsent(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  change: { id: string; expectedVersion: number; revokedOn: string; reason: string },
): Promise<Guardianship> {
  const { link } = await linkToChange(deps, ctx, change, 'consent.revoke', (today) => [
    ...pastDateErrors('revokedOn', change.revokedOn, today, REVOKED_ON),
    ...textErrors('reason', change.reason, REASON_MAX, REVOCATION_REASON),
  ]);
  const consent = consentInEffect(link);
  if (!consent) {
    throw precondition('guardianship.consent_not_active', 'Действующего согласия нет: отзывать нечего');
  }
  if (change.revokedOn < consent.givenOn) {
    throw invalid('guardianship.invalid', 'Дата отзыва раньше даты согласия', [
      { field: 'revokedOn', message: `Дата отзыва — не раньше даты согласия (${ruDate(consent.givenOn)})` },
    ]);
  }
  const next: Guardianship = {
    ...link,
    consents: [
      ...link.consents.slice(0, -1),
      {
        ...consent,
        revokedOn: change.revokedOn,
        revocationReason: change.reason.trim(),
        revokedBy: ctx.actor.accountId,
        revokedAt: deps.now().toISOString(),
      },
    ],
    version: link.version + 1,
  };
  return save(deps, ctx, next, link.version, CONSENT_REVOKED);
}

/**
 * One link, for those who keep the student's links and for its guardian; NOT_FOUND for anyone
 * else (the denial is logged). Answers idempotent repeats of the commands.
 */
export async function getGuardianship(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  id: string,
): Promise<Guardianship> {
  const link = await deps.guardianships.get(id);
  if (!link) throw linkNotFound();
  const allowed =
    isOwnGuardianship(ctx.actor, link) ||
    canKeepGuardianship(ctx.actor, await relationsOf(deps, ctx, link.schoolId, link.studentId));
  authorizeOrHide(
    deps,
    ctx,
    allowed,
    { action: 'guardianship.read', object: `guardianship:${link.id}` },
    linkNotFound,
  );
  return link;
}

/** A person's name for the lists (no other personal data). */
export interface PersonName {
  id: string;
  schoolId: string;
  lastName: string;
  firstName: string;
  middleName: string;
}

function nameOf(id: string, person: Person | null): PersonName {
  return {
    id,
    schoolId: person?.schoolId ?? '',
    lastName: person?.lastName ?? '',
    firstName: person?.firstName ?? '',
    middleName: person?.middleName ?? '',
  };
}

const activeFirst = (a: Guardianship, b: Guardianship) =>
  (a.status === 'active' ? 0 : 1) - (b.status === 'active' ? 0 : 1) ||
  a.linkedAt.localeCompare(b.linkedAt) ||
  a.id.localeCompare(b.id);

/**
 * A student's guardians with their names: every link (active first) for the school's managers
 * and the class teacher; a guardian's own links for that guardian; NOT_FOUND for anyone else.
 */
export async function listGuardians(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  studentId: string,
): Promise<{ link: Guardianship; guardian: PersonName }[]> {
  const student = await deps.people.get(studentId);
  if (!student || student.kind !== 'student') throw studentNotFound();
  const links = await deps.guardianships.listByStudent(student.id);
  const keeper = canKeepGuardianship(ctx.actor, await relationsOf(deps, ctx, student.schoolId, student.id));
  const visible = keeper ? links : links.filter((link) => isOwnGuardianship(ctx.actor, link));
  authorizeOrHide(
    deps,
    ctx,
    keeper || visible.length > 0,
    { action: 'guardian.list', object: `person:${student.id}` },
    studentNotFound,
  );
  const sorted = [...visible].sort(activeFirst);
  return Promise.all(
    sorted.map(async (link) => ({
      link,
      guardian: nameOf(link.guardianId, await deps.people.get(link.guardianId)),
    })),
  );
}

/**
 * A guardian's children (active links) with their names: all of them for the guardian
 * themself, those of their schools for a manager of the guardian's or a child's school;
 * NOT_FOUND for anyone else.
 */
export async function listChildren(
  deps: GuardianshipDeps,
  ctx: RequestContext,
  guardianId: string,
): Promise<{ link: Guardianship; student: PersonName }[]> {
  const guardian = await deps.people.get(guardianId);
  if (!guardian || guardian.kind !== 'guardian') throw guardianNotFound();
  const links = await deps.guardianships.listActiveByGuardian(guardian.id);
  authorizeOrHide(
    deps,
    ctx,
    canListChildren(
      ctx.actor,
      guardian,
      links.map((link) => link.schoolId),
    ),
    { action: 'guardian.list_children', object: `person:${guardian.id}` },
    guardianNotFound,
  );
  const visible = isOwnGuardianship(ctx.actor, { guardianId: guardian.id })
    ? links
    : links.filter((link) => canManageSchool(ctx.actor, link.schoolId));
  const sorted = [...visible].sort(activeFirst);
  return Promise.all(
    sorted.map(async (link) => ({
      link,
      student: nameOf(link.studentId, await deps.people.get(link.studentId)),
    })),
  );
}
