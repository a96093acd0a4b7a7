import type { Actor, SchoolRole } from '@edu/grpc';
import type { AccountDoc, GrantDoc, IdentityDocs } from './model';

// What an account is allowed to be: its person's staff roles (roster's active positions) and its
// explicit grants. Decided from the copies only, so the gateway's cache can trust `version`.

/** Reads documents by id (a unit of work or the store itself). */
export interface Reader {
  get<K extends keyof IdentityDocs & string>(collection: K, id: string): Promise<IdentityDocs[K] | null>;
}

/** The resolved actor, as ResolveActor returns it. */
export interface ResolvedActor {
  accountId: string;
  personId: string;
  schoolRoles: SchoolRole[];
  grants: string[];
  version: number;
}

/** Position kinds that give a school role ("other" gives none). */
const ROLE_OF_POSITION: Record<string, string> = {
  director: 'director',
  deputy: 'deputy',
  teacher: 'teacher',
  hr: 'hr',
  secretary: 'secretary',
};

/** The grant string of an active grant (`regionOperator`, `schoolAdmin:<id>`, …); '' for staff roles. */
export function grantString(grant: Pick<GrantDoc, 'role' | 'scopeId'>): string {
  switch (grant.role) {
    case 'regionOperator':
      return 'regionOperator';
    case 'municipalOfficer':
      return grant.scopeId ? `municipalOfficer:${grant.scopeId}` : 'municipalOfficer';
    case 'schoolAdmin':
      return `schoolAdmin:${grant.scopeId}`;
    default:
      return '';
  }
}

/** The actor of an account from the copies and its grants. */
export async function actorOf(reader: Reader, account: AccountDoc): Promise<ResolvedActor> {
  const roles: SchoolRole[] = [];
  const addRole = (schoolId: string, role: string) => {
    if (!roles.some((r) => r.schoolId === schoolId && r.role === role)) roles.push({ schoolId, role });
  };
  if (account.personId) {
    const person = await reader.get('people', account.personId);
    for (const positionId of person?.positionIds ?? []) {
      const position = await reader.get('positions', positionId);
      const role = position && position.status === 'active' ? ROLE_OF_POSITION[position.kind] : undefined;
      if (position && role) addRole(position.schoolId, role);
    }
  }
  const grants: string[] = [];
  for (const grantId of account.grantIds) {
    const grant = await reader.get('grants', grantId);
    if (!grant || grant.status !== 'active') continue;
    if (grant.role === 'schoolAdmin') addRole(grant.scopeId, 'schoolAdmin');
    else if (ROLE_OF_POSITION[grant.role]) addRole(grant.scopeId, grant.role);
    const text = grantString(grant);
    if (text && !grants.includes(text)) grants.push(text);
  }
  return {
    accountId: account._id,
    personId: account.personId,
    schoolRoles: roles,
    grants,
    version: account.version,
  };
}

/** The actor of an account nobody knows yet: no person, no roles. */
export function bareActor(accountId: string): ResolvedActor {
  return { accountId, personId: '', schoolRoles: [], grants: [], version: 0 };
}

/** `@edu/grpc`'s Actor of a resolved one. */
export function toActor(resolved: ResolvedActor): Actor {
  return {
    accountId: resolved.accountId,
    ...(resolved.personId ? { personId: resolved.personId } : {}),
    schoolRoles: resolved.schoolRoles,
    grants: resolved.grants,
  };
}
