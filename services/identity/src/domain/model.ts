import type { EsiaProfile } from '../esia/profile';

// The identity service's documents: one collection per kind, read by `_id` only (FerretDB 1.24
// uses no other index). Lookups other than by id go through small index documents kept next to
// the data in the same unit (`personAccounts`, `schools`, `meta`).

/** How an account came to be linked to its person ('' when unlinked). */
export type LinkedBy =
  '' | 'snils' | 'birth_certificate' | 'candidate' | 'invitation' | 'provisioned' | 'temporary';

/** How the account logs in. */
export type LoginKind = 'esia' | 'password' | 'temporary';

/** An account: a Keycloak user (id = the token's `sub`), linked to at most one roster person. */
export interface AccountDoc {
  _id: string;
  personId: string;
  linkedBy: LinkedBy;
  /** RFC 3339; '' while unlinked. */
  linkedAt: string;
  esiaOid: string;
  loginKind: LoginKind;
  /** The actor's version: +1 on every change of what the actor is. */
  version: number;
  /** Ids of the account's grants (active and revoked). */
  grantIds: string[];
  createdAt: string;
}

/** The profile the ESIA bridge handed over at the latest login (personal data, never logged). */
export interface EsiaProfileDoc {
  _id: string;
  /** null while only the account is known (it logged in before the bridge handed a profile). */
  profile: EsiaProfile | null;
  /** The account that logged in with it, once known. */
  accountId: string;
}

/** Accounts linked to a person (normally one; a temporary login and an ESIA account may overlap). */
export interface PersonAccountsDoc {
  _id: string;
  accountIds: string[];
}

export type GrantRole = 'schoolAdmin' | 'municipalOfficer' | 'regionOperator' | StaffRole;
export type StaffRole = 'director' | 'deputy' | 'teacher' | 'hr' | 'secretary';
export const STAFF_ROLES: readonly StaffRole[] = ['director', 'deputy', 'teacher', 'hr', 'secretary'];

export interface GrantDoc {
  _id: string;
  accountId: string;
  role: GrantRole;
  /** School id, municipality id, or '' for regionOperator (and a region-wide municipalOfficer). */
  scopeId: string;
  reason: string;
  status: 'active' | 'revoked';
  givenAt: string;
  givenBy: string;
  revokedAt: string;
  revokedBy: string;
  revokeReason: string;
}

/** Grant ids by scope ('region' for grants with an empty scope). */
export interface ScopeGrantsDoc {
  _id: string;
  grantIds: string[];
}

/** A person as roster's events tell it (no personal data beyond the display name). */
export interface PersonCopy {
  _id: string;
  schoolId: string;
  /** "staff", "student" or "guardian". */
  kind: string;
  displayName: string;
  status: string;
  version: number;
  /** Positions held (any status). */
  positionIds: string[];
  /** Enrolments (any status). */
  enrolmentIds: string[];
  /** Guardianships of this person as guardian, and as student. */
  guardianIds: string[];
  studentGuardianshipIds: string[];
}

export interface PositionCopy {
  _id: string;
  schoolId: string;
  personId: string;
  kind: string;
  status: 'active' | 'dismissed';
  /** YYYY-MM-DD: first day (from StaffHired); '' when unknown. */
  from: string;
  /** YYYY-MM-DD: last day (from StaffDismissed); '' while active. */
  until: string;
  version: number;
}

export interface EnrolmentCopy {
  _id: string;
  schoolId: string;
  studentId: string;
  status: string;
  /** YYYY-MM-DD: the day of the enrolment (the first movement seen into the school). */
  since: string;
  version: number;
}

export interface GuardianshipCopy {
  _id: string;
  schoolId: string;
  guardianId: string;
  studentId: string;
  kind: string;
  status: string;
  consentActive: boolean;
  version: number;
}

/** The guardianships identity asked roster for on the strength of a parent's ESIA kids. */
export interface EsiaProposalsDoc {
  _id: string;
  /** By guardianship. */
  proposals: { guardianshipId: string; studentId: string; esiaKidId: string; version: number }[];
}

/** A school's index: who belongs to it and its lists. */
export interface SchoolDoc {
  _id: string;
  /** IANA time zone from roster's school card ('' until told). */
  timeZone?: string;
  /** Roster's school card version. */
  version?: number;
  staffIds: string[];
  studentIds: string[];
  candidateIds: string[];
  temporaryLoginIds: string[];
  /** Latest login audit entries of its accounts, newest last, bounded. */
  auditEntryIds: string[];
}

export interface CandidateDoc {
  _id: string;
  schoolId: string;
  accountId: string;
  personId: string;
  personDisplayName: string;
  /** "self": the account may be this person; "child": the account's guardian person may be its guardian. */
  kind: 'self' | 'child';
  /** For kind "child": the guardian person the account is linked to. */
  guardianId: string;
  /** What matched: "name_birth_date", or "snils" for an untrusted account. */
  matchedBy: string;
  status: 'pending' | 'confirmed' | 'rejected';
  createdAt: string;
  decidedAt: string;
  decidedBy: string;
}

export interface InvitationDoc {
  /** SHA-256 hex of the code: the code itself is never stored. */
  _id: string;
  invitationId: string;
  personId: string;
  schoolId: string;
  issuedBy: string;
  issuedAt: string;
  expiresAt: string;
  redeemedBy: string;
  redeemedAt: string;
}

export type TemporaryLoginStatus = 'active' | 'expired' | 'revoked' | 'replaced';

export interface TemporaryLoginDoc {
  _id: string;
  schoolId: string;
  studentId: string;
  accountId: string;
  username: string;
  reason: string;
  documentRef: string;
  status: TemporaryLoginStatus;
  issuedAt: string;
  expiresAt: string;
  endedAt: string;
  issuedBy: string;
}

export interface LoginAuditDoc {
  /** Keycloak's event id. */
  _id: string;
  accountId: string;
  personId: string;
  schoolId: string;
  kind: 'login' | 'login_error';
  at: string;
  method: 'esia' | 'password' | 'temporary';
  error: string;
  ipAddress: string;
}

/**
 * Singletons: `active-temporary-logins` {ids}; `disable-pending` {ids: Keycloak user ids still to
 * disable after a failed call}; `login-audit` {sinceMs}.
 */
export interface MetaDoc {
  _id: string;
  ids?: string[];
  sinceMs?: number;
  lastIds?: string[];
}

export interface OutboxDoc {
  _id: string;
  [field: string]: unknown;
}

export interface IdentityDocs {
  accounts: AccountDoc;
  esiaProfiles: EsiaProfileDoc;
  personAccounts: PersonAccountsDoc;
  grants: GrantDoc;
  scopeGrants: ScopeGrantsDoc;
  people: PersonCopy;
  positions: PositionCopy;
  enrolments: EnrolmentCopy;
  guardianships: GuardianshipCopy;
  esiaProposals: EsiaProposalsDoc;
  schools: SchoolDoc;
  candidates: CandidateDoc;
  invitations: InvitationDoc;
  temporaryLogins: TemporaryLoginDoc;
  loginAudit: LoginAuditDoc;
  meta: MetaDoc;
  outbox: OutboxDoc;
}

export const DOC_COLLECTIONS: readonly (keyof IdentityDocs)[] = [
  'accounts',
  'esiaProfiles',
  'personAccounts',
  'grants',
  'scopeGrants',
  'people',
  'positions',
  'enrolments',
  'guardianships',
  'esiaProposals',
  'schools',
  'candidates',
  'invitations',
  'temporaryLogins',
  'loginAudit',
  'meta',
  'outbox',
];

/** Facts the service publishes (ids only). Key: the school id, "region" for region-wide ones. */
export type IdentityFact =
  | { kind: 'accountLinked'; accountId: string; personId: string; schoolId: string; linkedBy: string }
  | { kind: 'accountUnlinked'; accountId: string; personId: string; schoolId: string; reason: string }
  | {
      kind: 'grantGiven';
      grantId: string;
      accountId: string;
      role: string;
      scopeId: string;
      schoolId: string;
    }
  | {
      kind: 'grantRevoked';
      grantId: string;
      accountId: string;
      role: string;
      scopeId: string;
      schoolId: string;
    }
  | {
      kind: 'temporaryLoginIssued';
      temporaryLoginId: string;
      accountId: string;
      studentId: string;
      schoolId: string;
      expiresAt: string;
    }
  | {
      kind: 'temporaryLoginExpired';
      temporaryLoginId: string;
      accountId: string;
      studentId: string;
      schoolId: string;
    }
  | {
      kind: 'temporaryLoginRevoked';
      temporaryLoginId: string;
      accountId: string;
      studentId: string;
      schoolId: string;
      reason: string;
    }
  | { kind: 'actorChanged'; accountId: string; schoolId: string };

export const REGION_KEY = 'region';

export const emptySchool = (id: string): SchoolDoc => ({
  _id: id,
  staffIds: [],
  studentIds: [],
  candidateIds: [],
  temporaryLoginIds: [],
  auditEntryIds: [],
});

export const emptyPerson = (id: string): PersonCopy => ({
  _id: id,
  schoolId: '',
  kind: '',
  displayName: '',
  status: '',
  version: 0,
  positionIds: [],
  enrolmentIds: [],
  guardianIds: [],
  studentGuardianshipIds: [],
});

/** Adds `value` to a list once; returns the same array when already there. */
export function withItem(list: string[], value: string): string[] {
  return list.includes(value) ? list : [...list, value];
}
