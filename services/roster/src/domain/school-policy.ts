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
