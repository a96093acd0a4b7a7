import type { JWTPayload } from 'jose';

/** The caller as the services see it (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

// Realm roles that are region- or municipality-wide grants. School-scoped roles (director,
// teacher…) and the person link come from the identity service once it exists; until then a
// token carries only these.
const GRANT_OF_REALM_ROLE: Record<string, string> = {
  'region-operator': 'regionOperator',
  'municipal-officer': 'municipalOfficer',
};

/** Builds the actor from a verified access token. */
export function actorFromClaims(claims: JWTPayload): Actor {
  const roles = (claims as { realm_access?: { roles?: unknown } }).realm_access?.roles;
  const realmRoles = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    accountId: String(claims.sub ?? ''),
    schoolRoles: [],
    grants: realmRoles.flatMap((role) => (GRANT_OF_REALM_ROLE[role] ? [GRANT_OF_REALM_ROLE[role]] : [])),
  };
}
