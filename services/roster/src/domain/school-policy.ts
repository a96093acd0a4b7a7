import type { Actor } from './ports';

// Until the identity service keeps explicit grants (its own issue), the gateway derives
// `regionOperator` and `municipalOfficer` from the Keycloak realm roles.

/** Schools are opened by the region's operator or a municipal officer (R1.1, R8.5). */
export function canCreateSchool(actor: Actor): boolean {
  return actor.grants.some(
    (g) => g === 'regionOperator' || g === 'municipalOfficer' || g.startsWith('municipalOfficer:'),
  );
}

/** Everyone above schools sees every card; school staff see the cards of their schools. */
export function canSeeAllSchools(actor: Actor): boolean {
  return canCreateSchool(actor);
}

export function schoolsOf(actor: Actor): string[] {
  return [...new Set(actor.schoolRoles.map((r) => r.schoolId))];
}

export function canReadSchool(actor: Actor, schoolId: string): boolean {
  return canSeeAllSchools(actor) || schoolsOf(actor).includes(schoolId);
}

/** Who runs a school: its director, deputies and school admins (everything in their school). */
const MANAGING_ROLES = new Set(['director', 'deputy', 'schoolAdmin']);

export function canManageSchool(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some((r) => r.schoolId === schoolId && MANAGING_ROLES.has(r.role));
}

// People (R3.1, R3.2). Deny by default: only the relations below give access to a person.
// The HR officer (`hr`) keeps staff records; managers keep everyone's; teachers see names only.

/** The part of a person the rules look at. */
interface PersonRef {
  id: string;
  schoolId: string;
  kind: string;
}

function isSchoolHr(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some((r) => r.schoolId === schoolId && r.role === 'hr');
}

/** Managers of the school register anyone; its HR officer registers staff. */
export function canRegisterPerson(actor: Actor, schoolId: string, kind: string): boolean {
  return canManageSchool(actor, schoolId) || (kind === 'staff' && isSchoolHr(actor, schoolId));
}

/** Changing a card (contacts, archiving): the same people who may register it. */
export function canChangePerson(actor: Actor, person: PersonRef): boolean {
  return canRegisterPerson(actor, person.schoolId, person.kind);
}

/** The full card (personal data): those who keep it, and the person themself. */
export function canReadPersonCard(actor: Actor, person: PersonRef): boolean {
  return canChangePerson(actor, person) || (!!actor.personId && actor.personId === person.id);
}

/** The list of a school's people (names and kind only): its managers and teachers. */
export function canListPeople(actor: Actor, schoolId: string): boolean {
  return (
    canManageSchool(actor, schoolId) ||
    actor.schoolRoles.some((r) => r.schoolId === schoolId && r.role === 'teacher')
  );
}
