import { DomainError } from '@edu/kit';
import type { Actor, Authorize, RequestContext } from './ports';

// Who may do what in schedule (docs/architecture.md, Authorization; R1.2, R1.3). Deny by default: only the
// roles and relations below give access. Roles come from the signed actor; relations (who teaches
// a class, who leads it) from schedule's own assignments and its copy of roster.

/** Those above schools (region operator, municipal officers) read every school's subjects. */
export function isAboveSchools(actor: Actor): boolean {
  return actor.grants.some(
    (g) => g === 'regionOperator' || g === 'municipalOfficer' || g.startsWith('municipalOfficer:'),
  );
}

/** Any role in the school. */
export function hasRoleIn(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some((r) => r.schoolId === schoolId);
}

/** Who runs a school: its director, deputies and school admins (R1.2). */
const MANAGING_ROLES = new Set(['director', 'deputy', 'schoolAdmin']);

/** Managers of the school: create subjects, assign and unassign teachers, read every assignment. */
export function canManageSchedule(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some((r) => r.schoolId === schoolId && MANAGING_ROLES.has(r.role));
}

/** Who approves substitutions (R4.3, R1.5): the director and the deputies, not the school admin. */
export function canApproveSubstitution(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some(
    (r) => r.schoolId === schoolId && (r.role === 'director' || r.role === 'deputy'),
  );
}

/** The subjects a school teaches from: anyone with a role there, and those above schools. */
export function canReadSchoolSubjects(actor: Actor, schoolId: string): boolean {
  return hasRoleIn(actor, schoolId) || isAboveSchools(actor);
}

/** A catalogue subject: anyone with a role in some school, or above schools. */
export function canReadCatalogue(actor: Actor): boolean {
  return actor.schoolRoles.length > 0 || isAboveSchools(actor);
}

/**
 * A school's bell schedules and curricula: anyone with a role in the school (teachers plan their
 * lessons with them). Guardians and students have no role; they will see lesson times through
 * the timetable of their class, not these plans.
 */
export function canReadSchoolPlans(actor: Actor, schoolId: string): boolean {
  return hasRoleIn(actor, schoolId);
}

/** The teacher of an assignment reads it while they have a role in the school. */
export function isOwnAssignment(actor: Actor, assignment: { schoolId: string; teacherId: string }): boolean {
  return !!actor.personId && actor.personId === assignment.teacherId && hasRoleIn(actor, assignment.schoolId);
}

/**
 * What the policy knows about the actor and a class: whether the actor teaches it (an active
 * assignment to the class or one of its subgroups) or leads it (its class teacher, R1.3).
 */
export interface ClassRelations {
  schoolId: string;
  teachesIt: boolean;
  leadsIt: boolean;
}

/** A teacher reads the assignments of a class they teach or lead, while they have a role there. */
export function canReadClassAssignments(actor: Actor, relations: ClassRelations): boolean {
  return (
    canManageSchedule(actor, relations.schoolId) ||
    (hasRoleIn(actor, relations.schoolId) && (relations.teachesIt || relations.leadsIt))
  );
}

/**
 * Runs the policy port (which logs the denial) but answers with `hidden()` (a NOT_FOUND): an
 * actor without a role in the school must not learn that the object exists.
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

/**
 * The usual gate of a school's object: refused as if missing for an actor without a role in the
 * school (and not above schools when `aboveSchoolsMaySee`), PERMISSION_DENIED for one with a role
 * who may not do it; both denials logged.
 */
export function authorizeInSchool(
  deps: { authorize: Authorize },
  ctx: RequestContext,
  schoolId: string,
  allowed: boolean,
  what: { action: string; object: string },
  hidden: () => DomainError,
  aboveSchoolsMaySee = false,
): void {
  const knowsSchool = hasRoleIn(ctx.actor, schoolId) || (aboveSchoolsMaySee && isAboveSchools(ctx.actor));
  if (!knowsSchool) authorizeOrHide(deps, ctx, allowed, what, hidden);
  else deps.authorize(ctx.actor, allowed, what);
}
