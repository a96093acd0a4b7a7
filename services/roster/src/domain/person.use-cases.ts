import { DomainError, conflict, invalid, notFound, precondition } from '@edu/kit';
import {
  PERSON_KINDS,
  checkContacts,
  checkPersonForm,
  dateIn,
  normalizeName,
  normalizeSnils,
  personSortName,
  type BirthCertificate,
  type Contacts,
  type Person,
  type PersonForm,
  type PersonKind,
} from './person';
import { isClassTeacherOfPerson, type ClassTeacherDeps } from './class-teacher';
import type {
  AccessLog,
  Actor,
  Authorize,
  GuardianshipRepository,
  PersonCursor,
  PersonRepository,
  RequestContext,
  SchoolRepository,
} from './ports';
import {
  authorizeOrHide,
  canChangePerson,
  canGuardianReadCard,
  canListPeople,
  canReadPersonCard,
  canReadSchool,
  canRegisterPerson,
  isIdentityService,
} from './school-policy';

export const PERSON_REGISTERED = 'edu.roster.person.registered' as const;
export const PERSON_UPDATED = 'edu.roster.person.updated' as const;

/**
 * The class teacher of a student (or of a guardian's child) reads and keeps the contacts of that
 * card (R1.3): the relation comes from enrolments, classes and guardianship.
 */
export interface PeopleDeps extends ClassTeacherDeps {
  schools: SchoolRepository;
  people: PersonRepository;
  accessLog: AccessLog;
  /** A guardian with an active link and consent reads the child's card. */
  guardianships: Pick<GuardianshipRepository, 'isGuardianOf' | 'listActiveByGuardian'>;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

const personNotFound = () => notFound('person.not_found', 'Человек не найден');

/**
 * Registers a person in a school (R3.1, R3.2) and publishes edu.roster.person.registered (names,
 * kind and status only). Every problem with the form at once; a СНИЛС already registered in the
 * school is a conflict.
 */
export async function registerPerson(
  deps: PeopleDeps,
  ctx: RequestContext,
  form: PersonForm,
): Promise<Person> {
  deps.authorize(ctx.actor, canRegisterPerson(ctx.actor, form.schoolId, form.kind), {
    action: 'person.register',
    object: `school:${form.schoolId}`,
  });
  const school = await deps.schools.get(form.schoolId);
  if (!school) throw notFound('school.not_found', 'Школа не найдена');
  const now = deps.now();
  const { person: card, errors } = checkPersonForm(form, dateIn(school.timeZone, now));
  if (errors.length > 0) throw invalid('person.invalid', 'Карточка человека заполнена с ошибками', errors);
  const person: Person = {
    ...card,
    id: deps.newId(),
    status: 'active',
    version: 1,
    createdAt: now.toISOString(),
  };
  await deps.people.create(person, [{ type: PERSON_REGISTERED, person }], ctx);
  return person;
}

/**
 * May the actor read the full card: the rules of the school, the class teacher of the student
 * (or of the guardian's child), or a guardian of the student with an active link and a written
 * consent in effect. The relations are looked up only when nothing simpler allows it.
 */
async function mayReadCard(deps: PeopleDeps, actor: Actor, person: Person): Promise<boolean> {
  if (canReadPersonCard(actor, person)) return true;
  if (person.kind === 'staff' || !actor.personId) return false;
  if (await isClassTeacherOfPerson(deps, actor, person)) return true;
  return (
    person.kind === 'student' &&
    canGuardianReadCard(actor, person, await deps.guardianships.isGuardianOf(actor.personId, person.id))
  );
}

/**
 * Reads a person's full card. Someone who may not see it gets NOT_FOUND (the denial is still
 * logged); a read by anyone but the person (a guardian reading their child's card too) is
 * written to the access log first (R11.1), so a card never leaves without its log entry.
 */
export async function getPerson(deps: PeopleDeps, ctx: RequestContext, id: string): Promise<Person> {
  const person = await deps.people.get(id);
  if (!person) throw personNotFound();
  authorizeOrHide(
    deps,
    ctx,
    await mayReadCard(deps, ctx.actor, person),
    { action: 'person.read', object: `person:${person.id}` },
    personNotFound,
  );
  if (ctx.actor.personId !== person.id) {
    await deps.accessLog.record({
      accountId: ctx.actor.accountId,
      actorPersonId: ctx.actor.personId ?? '',
      personId: person.id,
      schoolId: person.schoolId,
      purpose: 'card.read',
      at: deps.now(),
      traceId: ctx.traceId,
    });
  }
  return person;
}

const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;

export interface PeopleQuery {
  schoolId: string;
  /** `''` for every kind. */
  kind: string;
  includeArchived: boolean;
  size: number;
  token: string;
}

/**
 * Lists a school's people, a page at a time, ordered by last name, first name, id. The caller
 * turns them into reduced cards (names and kind). An actor without a role in the school is told
 * the school does not exist; a role that may not list is refused.
 */
export async function listPeople(
  deps: PeopleDeps,
  ctx: RequestContext,
  query: PeopleQuery,
): Promise<{ people: Person[]; nextToken: string }> {
  const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
  const what = { action: 'person.list', object: `school:${query.schoolId}` };
  const allowed = canListPeople(ctx.actor, query.schoolId, query.kind);
  if (canReadSchool(ctx.actor, query.schoolId)) deps.authorize(ctx.actor, allowed, what);
  else authorizeOrHide(deps, ctx, allowed, what, schoolNotFound);
  if (!(await deps.schools.get(query.schoolId))) throw schoolNotFound();

  if (query.kind && !(PERSON_KINDS as readonly string[]).includes(query.kind)) {
    throw invalid('person.filter_invalid', 'Неизвестный вид людей', [
      { field: 'kind', message: 'Вид: staff, student, guardian или пусто (все)' },
    ]);
  }
  if (query.size < 0 || query.size > PAGE_MAX) {
    throw invalid('page.size_invalid', `Размер страницы — от 1 до ${PAGE_MAX}`, [
      { field: 'pageSize', message: `Размер страницы — от 1 до ${PAGE_MAX}` },
    ]);
  }
  const limit = query.size || PAGE_DEFAULT;
  const after = query.token ? await cursorOf(deps, query.schoolId, query.token) : undefined;
  const people = await deps.people.list({
    schoolId: query.schoolId,
    ...(query.kind ? { kind: query.kind as PersonKind } : {}),
    includeArchived: query.includeArchived,
    limit: limit + 1,
    ...(after ? { after } : {}),
  });
  const page = people.slice(0, limit);
  const last = page.at(-1);
  return { people: page, nextToken: people.length > limit && last ? encodeToken(last.id) : '' };
}

// The page token names the last person of the page by id only, so it carries no personal data;
// their sort position is looked up again, and only within the same school.
function encodeToken(id: string): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

async function cursorOf(deps: PeopleDeps, schoolId: string, token: string): Promise<PersonCursor> {
  let id: unknown;
  try {
    id = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown }).after;
  } catch {
    id = undefined;
  }
  const person = typeof id === 'string' ? await deps.people.get(id) : null;
  if (!person || person.schoolId !== schoolId) {
    throw invalid('page.token_invalid', 'Неверный маркер страницы', [
      { field: 'pageToken', message: 'Неверный маркер страницы' },
    ]);
  }
  return { sortName: personSortName(person), id: person.id };
}

/**
 * The person a command changes, if the actor may change them (the class teacher of a student or
 * of a guardian's child changes contacts only): a missing person is NOT_FOUND,
 * one the actor may not change is PERMISSION_DENIED (logged). A stale `expectedVersion` is a
 * conflict; an archived card can no longer change.
 */
async function personToChange(
  deps: PeopleDeps,
  ctx: RequestContext,
  id: string,
  expectedVersion: number,
  action: 'person.update_contacts' | 'person.archive',
): Promise<Person> {
  const person = await deps.people.get(id);
  if (!person) throw personNotFound();
  const allowed =
    canChangePerson(ctx.actor, person) ||
    (action === 'person.update_contacts' && (await isClassTeacherOfPerson(deps, ctx.actor, person)));
  deps.authorize(ctx.actor, allowed, { action, object: `person:${person.id}` });
  if (!Number.isInteger(expectedVersion) || expectedVersion < 1) {
    throw invalid('person.invalid', 'Не указана версия карточки', [
      { field: 'expectedVersion', message: 'Укажите версию карточки, которую вы изменяете' },
    ]);
  }
  if (person.version !== expectedVersion) throw versionConflict();
  if (person.status === 'archived') {
    throw precondition('person.archived', 'Человек в архиве: его карточку нельзя изменить');
  }
  return person;
}

export function versionConflict(): DomainError {
  return conflict('person.version_conflict', 'Карточку уже изменили: откройте её заново и повторите');
}

/** Replaces a person's phone and e-mail; publishes edu.roster.person.updated. */
export async function updatePersonContacts(
  deps: PeopleDeps,
  ctx: RequestContext,
  change: { id: string; expectedVersion: number; contacts: Contacts },
): Promise<Person> {
  const person = await personToChange(deps, ctx, change.id, change.expectedVersion, 'person.update_contacts');
  const { contacts, errors } = checkContacts(change.contacts);
  if (errors.length > 0) throw invalid('person.invalid', 'Контакты указаны с ошибками', errors);
  const next: Person = { ...person, contacts, version: person.version + 1 };
  await deps.people.update(next, change.expectedVersion, [{ type: PERSON_UPDATED, person: next }], ctx);
  return next;
}

/** Archives a person (people are never deleted); publishes edu.roster.person.updated. */
export async function archivePerson(
  deps: PeopleDeps,
  ctx: RequestContext,
  change: { id: string; expectedVersion: number },
): Promise<Person> {
  const person = await personToChange(deps, ctx, change.id, change.expectedVersion, 'person.archive');
  const next: Person = { ...person, status: 'archived', version: person.version + 1 };
  await deps.people.update(next, change.expectedVersion, [{ type: PERSON_UPDATED, person: next }], ctx);
  return next;
}

export interface MatchCriteria {
  snils: string;
  birthCertificate: BirthCertificate;
  birthDate: string;
  lastName: string;
  firstName: string;
  middleName: string;
  /** `''` for any kind. */
  kind: string;
}

export type MatchedBy = 'snils' | 'birth_certificate' | 'name_birth_date';

/** Names compared as a person reads them: case, "ё" and spacing do not matter. */
function sameName(a: string, b: string): boolean {
  const fold = (name: string) => normalizeName(name).toLocaleLowerCase('ru').replaceAll('ё', 'е');
  return fold(a) === fold(b);
}

/**
 * The active people an ESIA account may be (R1.6, R1.7), region-wide, for the identity service
 * only: by СНИЛС; else by birth certificate and birth date; else by last and first name (and the
 * middle name when both have one) and birth date. The strongest criterion that finds anyone wins;
 * identity decides what a match means (a link or only a candidate). Every person returned is
 * access-logged: the answer says that these people exist.
 */
export async function matchPeople(
  deps: PeopleDeps,
  ctx: RequestContext,
  input: MatchCriteria,
): Promise<{ person: Person; matchedBy: MatchedBy }[]> {
  deps.authorize(ctx.actor, isIdentityService(ctx.actor), {
    action: 'person.match',
    object: 'people',
  });
  const ofKind = (people: Person[]) => people.filter((p) => !input.kind || p.kind === input.kind);
  const snils = normalizeSnils(input.snils);
  const attempts: [MatchedBy, () => Promise<Person[]>][] = [];
  if (snils) attempts.push(['snils', () => deps.people.findActive({ snils })]);
  const certNumber = input.birthCertificate.number.trim();
  if (certNumber && input.birthDate) {
    const series = input.birthCertificate.series.trim().toUpperCase();
    attempts.push([
      'birth_certificate',
      async () =>
        (
          await deps.people.findActive({ birthCertificateNumber: certNumber, birthDate: input.birthDate })
        ).filter((p) => !series || p.birthCertificate.series.toUpperCase() === series),
    ]);
  }
  if (input.lastName.trim() && input.firstName.trim() && input.birthDate) {
    attempts.push([
      'name_birth_date',
      async () =>
        (await deps.people.findActive({ birthDate: input.birthDate })).filter(
          (p) =>
            sameName(p.lastName, input.lastName) &&
            sameName(p.firstName, input.firstName) &&
            (!p.middleName || !input.middleName || sameName(p.middleName, input.middleName)),
        ),
    ]);
  }
  for (const [matchedBy, find] of attempts) {
    const found = ofKind(await find());
    if (found.length === 0) continue;
    for (const person of found) {
      await deps.accessLog.record({
        accountId: ctx.actor.accountId,
        actorPersonId: ctx.actor.personId ?? '',
        personId: person.id,
        schoolId: person.schoolId,
        purpose: 'person.match',
        at: deps.now(),
        traceId: ctx.traceId,
      });
    }
    return found.map((person) => ({ person, matchedBy }));
  }
  return [];
}
