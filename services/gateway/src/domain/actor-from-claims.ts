import type { JWTPayload } from 'jose';

/** The caller as the services see it (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

// Realm roles that are region- or municipality-wide grants.
const GRANT_OF_REALM_ROLE: Record<string, string> = {
  'region-operator': 'regionOperator',
  'municipal-officer': 'municipalOfficer',
};

/** The roles a person can hold in one school (docs/architecture.md, Authorization). */
export const SCHOOL_ROLES: ReadonlySet<string> = new Set([
  'director',
  'deputy',
  'schoolAdmin',
  'teacher',
  'hr',
  'secretary',
]);

// Interim, until the identity service exists: the person link and the school roles come from
// Keycloak user attributes that only an administrator can set (the realm's user profile), mapped
// into the access token as `edu_person_id` (a string) and `edu_school_roles` (an array of
// `<schoolId>:<role>`). Both are read defensively: a claim of the wrong shape grants nothing.
const PERSON_ID_CLAIM = 'edu_person_id';
const SCHOOL_ROLES_CLAIM = 'edu_school_roles';

function personIdFrom(claim: unknown): string | undefined {
  return typeof claim === 'string' && claim.trim() !== '' ? claim : undefined;
}

// `<schoolId>:<role>`, split at the last colon (a school id may contain colons, a role never
// does). Anything else — not a string, no colon, an empty or blank school id, a school id with
// whitespace, a role not in SCHOOL_ROLES (case-sensitive) — is skipped, never thrown on.
function schoolRoleFrom(entry: unknown): { schoolId: string; role: string } | undefined {
  if (typeof entry !== 'string') return undefined;
  const colon = entry.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const schoolId = entry.slice(0, colon);
  const role = entry.slice(colon + 1);
  if (/\s/.test(schoolId) || !SCHOOL_ROLES.has(role)) return undefined;
  return { schoolId, role };
}

// Keycloak's multivalued attribute mapper always writes an array; a lone string means a mapper
// that is not configured as multivalued and is ignored like any other wrong shape.
function schoolRolesFrom(claim: unknown): { schoolId: string; role: string }[] {
  if (!Array.isArray(claim)) return [];
  const unique = new Map<string, { schoolId: string; role: string }>();
  for (const entry of claim) {
    const schoolRole = schoolRoleFrom(entry);
    if (schoolRole) unique.set(`${schoolRole.role}:${schoolRole.schoolId}`, schoolRole);
  }
  return [...unique.values()];
}

/** Builds the actor from a verified access token. Never throws: bad claims only grant less. */
export function actorFromClaims(claims: JWTPayload): Actor {
  const roles = (claims as { realm_access?: { roles?: unknown } }).realm_access?.roles;
  const realmRoles = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  const personId = personIdFrom(claims[PERSON_ID_CLAIM]);
  return {
    accountId: String(claims.sub ?? ''),
    ...(personId !== undefined ? { personId } : {}),
    schoolRoles: schoolRolesFrom(claims[SCHOOL_ROLES_CLAIM]),
    grants: [
      ...new Set(
        realmRoles.flatMap((role) =>
          Object.hasOwn(GRANT_OF_REALM_ROLE, role) ? [GRANT_OF_REALM_ROLE[role]!] : [],
        ),
      ),
    ],
  };
}
