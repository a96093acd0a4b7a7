import { DomainError } from '@edu/kit';
import type { Actor, Authorize, RequestContext } from './ports';

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

/**
 * The list of a school's people (names and kind only): its managers, everyone; its teachers and
 * HR officer, the staff only (students come to a teacher through the lists of their classes).
 */
export function canListPeople(actor: Actor, schoolId: string, kind: string): boolean {
  if (canManageSchool(actor, schoolId)) return true;
  return (
    kind === 'staff' &&
    actor.schoolRoles.some((r) => r.schoolId === schoolId && (r.role === 'teacher' || r.role === 'hr'))
  );
}

/**
 * A class list (names only, R1.3): the school's managers, the class teacher, and a teacher who
 * teaches the class or one of its subgroups (`teachesIt`, from schedule's assignments).
 */
export function canReadClassList(
  actor: Actor,
  schoolClass: { schoolId: string; classTeacherId: string },
  teachesIt: boolean,
): boolean {
  if (canManageSchool(actor, schoolClass.schoolId)) return true;
  if (!actor.personId || !schoolsOf(actor).includes(schoolClass.schoolId)) return false;
  return schoolClass.classTeacherId === actor.personId || teachesIt;
}

// Staff positions (R3.1, R1.7): the managers and the HR officer of the school keep them; its
// teachers see the staff list (names and titles only); everyone else is refused.

/** Hiring, changing, dismissing, every position of a person, the full staff list. */
export function canManageStaff(actor: Actor, schoolId: string): boolean {
  return canManageSchool(actor, schoolId) || isSchoolHr(actor, schoolId);
}

/** The staff list of the school (teachers: active positions, names and titles only). */
export function canListStaff(actor: Actor, schoolId: string): boolean {
  return (
    canManageStaff(actor, schoolId) ||
    actor.schoolRoles.some((r) => r.schoolId === schoolId && r.role === 'teacher')
  );
}

/** The holder of a position reads it (whole), whatever their roles. */
export function isOwnPosition(actor: Actor, position: { personId: string }): boolean {
  return !!actor.personId && actor.personId === position.personId;
}

// The register of orders (приказы): the managers and the secretary of the school read it whole;
// its HR officer reads the staff orders only; everyone else is refused.

export function canReadOrders(actor: Actor, schoolId: string): boolean {
  return (
    canManageSchool(actor, schoolId) ||
    actor.schoolRoles.some((r) => r.schoolId === schoolId && r.role === 'secretary')
  );
}

export function canReadStaffOrders(actor: Actor, schoolId: string): boolean {
  return canReadOrders(actor, schoolId) || isSchoolHr(actor, schoolId);
}

/**
 * Head counts of a school (classes, students, staff): its managers, the region's operator, and a
 * municipal officer of the school's municipality (or of every one, an unscoped grant). People
 * above schools see counts only, never names (R1.1).
 */
export function canReadCounts(actor: Actor, school: { id: string; municipalityId: string }): boolean {
  return (
    canManageSchool(actor, school.id) ||
    actor.grants.some(
      (g) =>
        g === 'regionOperator' ||
        g === 'municipalOfficer' ||
        (!!school.municipalityId && g === `municipalOfficer:${school.municipalityId}`),
    )
  );
}

// Subgroups of classes (R2.3): the managers of the school form and change them; its teachers read.

export function canManageSubgroups(actor: Actor, schoolId: string): boolean {
  return canManageSchool(actor, schoolId);
}

export function canReadSubgroups(actor: Actor, schoolId: string): boolean {
  return (
    canManageSchool(actor, schoolId) ||
    actor.schoolRoles.some((r) => r.schoolId === schoolId && r.role === 'teacher')
  );
}

// Guardianship and consents (R1.9, R3.2). Deny by default: the student's school's managers and
// the class teacher of the student's current class keep the links; a guardian sees their own.

/** The student as the guardianship rules see them: their school and current class teachers. */
export interface StudentRelations {
  schoolId: string;
  /**
   * Person ids of the class teachers of the student's current classes (active enrolments in
   * open years; normally one, none when the student is in no class).
   */
  classTeacherIds: string[];
}

/** The class teacher of the student's current class, who still has a role in the school. */
export function isClassTeacherOf(actor: Actor, student: StudentRelations): boolean {
  return (
    !!actor.personId &&
    student.classTeacherIds.includes(actor.personId) &&
    schoolsOf(actor).includes(student.schoolId)
  );
}

/**
 * Linking and unlinking guardians, recording and revoking consents (and reading every link of
 * the student): managers of the student's school and the class teacher of the student's class.
 */
export function canKeepGuardianship(actor: Actor, student: StudentRelations): boolean {
  return canManageSchool(actor, student.schoolId) || isClassTeacherOf(actor, student);
}

/**
 * The identity service's own actor (signed with its key): it matches ESIA accounts to people and
 * proposes the guardianship links ESIA's `/kids` shows (R1.9: consent stays the school's).
 */
export function isIdentityService(actor: Actor): boolean {
  return actor.grants.includes('service:identity');
}

/** Linking or unlinking a guardian: as keeping guardianship, or identity from ESIA's `/kids`. */
export function canLinkGuardian(actor: Actor, student: StudentRelations): boolean {
  return canKeepGuardianship(actor, student) || isIdentityService(actor);
}

/** A guardian's own link (read only). */
export function isOwnGuardianship(actor: Actor, link: { guardianId: string }): boolean {
  return !!actor.personId && actor.personId === link.guardianId;
}

/**
 * The children of a guardian: the guardian themself (every school), or a manager of the
 * guardian's school or of a school one of the children is linked in (who sees their schools'
 * links only).
 */
export function canListChildren(
  actor: Actor,
  guardian: { id: string; schoolId: string },
  linkSchoolIds: string[],
): boolean {
  return (
    isOwnGuardianship(actor, { guardianId: guardian.id }) ||
    canManageSchool(actor, guardian.schoolId) ||
    linkSchoolIds.some((schoolId) => canManageSchool(actor, schoolId))
  );
}

/**
 * A student's full card for their guardian: only while the link is active and the guardian's
 * written consent is in effect (`consentingGuardian`, looked up by the caller).
 */
export function canGuardianReadCard(
  actor: Actor,
  person: { id: string; kind: string },
  consentingGuardian: boolean,
): boolean {
  return person.kind === 'student' && !!actor.personId && actor.personId !== person.id && consentingGuardian;
}

/**
 * Runs the policy port (which logs the denial) but answers with `hidden()` (a NOT_FOUND): a
 * reader without a role there must not learn that the object exists.
 */
export function authorizeOrHide(
  deps: { authorize: Authorize },
  ctx: RequestContext,
  allowed: boolean,
  what: { action: string; object: string },
  hidden: () => DomainError,
): void {
  try {
    deps.authorize(ctx.actor, allowed, what);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'forbidden') throw hidden();
    throw error;
  }
}
