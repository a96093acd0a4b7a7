import { emptyPerson, emptySchool, withItem, type IdentityFact } from './model';
import type { Tx } from './ports';

// Copies of roster's facts identity decides with: people (kind, display name, status), staff
// positions (roles and hiring day), enrolments (enrolment day) and guardianships (children).
// Each document is guarded by its aggregate version: a duplicate or an older event changes
// nothing. A position change bumps the actor version of the accounts linked to its holder and
// tells the gateway (`actorChanged`).

export interface PersonFact {
  kind: 'person';
  id: string;
  schoolId: string;
  personKind: string;
  displayName: string;
  status: string;
  version: number;
}

export interface PositionFact {
  kind: 'position';
  action: 'hired' | 'changed' | 'dismissed';
  id: string;
  schoolId: string;
  personId: string;
  positionKind: string;
  status: 'active' | 'dismissed';
  /** YYYY-MM-DD. */
  effectiveOn: string;
  version: number;
}

export interface EnrolmentFact {
  kind: 'enrolment';
  action: string;
  id: string;
  schoolId: string;
  studentId: string;
  status: string;
  effectiveOn: string;
  version: number;
}

export interface GuardianshipFact {
  kind: 'guardianship';
  id: string;
  schoolId: string;
  guardianId: string;
  studentId: string;
  guardianshipKind: string;
  status: string;
  consentActive: boolean;
  version: number;
}

export interface SchoolFact {
  kind: 'school';
  id: string;
  timeZone: string;
  version: number;
}

export type RosterFact = SchoolFact | PersonFact | PositionFact | EnrolmentFact | GuardianshipFact;

/** Applies one roster fact; returns the facts to publish (actor changes). */
export async function applyRosterFact(tx: Tx, fact: RosterFact): Promise<IdentityFact[]> {
  switch (fact.kind) {
    case 'school': {
      const school = (await tx.get('schools', fact.id)) ?? emptySchool(fact.id);
      if ((school.version ?? 0) >= fact.version) return [];
      tx.put('schools', { ...school, timeZone: fact.timeZone, version: fact.version });
      return [];
    }
    case 'person':
      return applyPerson(tx, fact);
    case 'position':
      return applyPosition(tx, fact);
    case 'enrolment':
      return applyEnrolment(tx, fact);
    case 'guardianship':
      return applyGuardianship(tx, fact);
  }
}

async function applyPerson(tx: Tx, fact: PersonFact): Promise<IdentityFact[]> {
  const person = (await tx.get('people', fact.id)) ?? emptyPerson(fact.id);
  if (person.version >= fact.version) return [];
  tx.put('people', {
    ...person,
    schoolId: fact.schoolId,
    kind: fact.personKind,
    displayName: fact.displayName,
    status: fact.status,
    version: fact.version,
  });
  return [];
}

async function applyPosition(tx: Tx, fact: PositionFact): Promise<IdentityFact[]> {
  const existing = await tx.get('positions', fact.id);
  if (existing && existing.version >= fact.version) return [];
  const from = fact.action === 'hired' ? fact.effectiveOn : (existing?.from ?? '');
  const until =
    fact.action === 'dismissed' ? fact.effectiveOn : fact.status === 'active' ? '' : (existing?.until ?? '');
  tx.put('positions', {
    _id: fact.id,
    schoolId: fact.schoolId,
    personId: fact.personId,
    kind: fact.positionKind,
    status: fact.status,
    from,
    until,
    version: fact.version,
  });
  const person = (await tx.get('people', fact.personId)) ?? emptyPerson(fact.personId);
  const positionIds = withItem(person.positionIds, fact.id);
  if (positionIds !== person.positionIds) tx.put('people', { ...person, positionIds });
  const school = (await tx.get('schools', fact.schoolId)) ?? emptySchool(fact.schoolId);
  const staffIds = withItem(school.staffIds, fact.personId);
  if (staffIds !== school.staffIds) tx.put('schools', { ...school, staffIds });
  const roleChanged =
    !existing ||
    existing.status !== fact.status ||
    existing.kind !== fact.positionKind ||
    existing.schoolId !== fact.schoolId;
  return roleChanged ? bumpActors(tx, fact.personId, fact.schoolId) : [];
}

async function applyEnrolment(tx: Tx, fact: EnrolmentFact): Promise<IdentityFact[]> {
  const existing = await tx.get('enrolments', fact.id);
  if (existing && existing.version >= fact.version) return [];
  tx.put('enrolments', {
    _id: fact.id,
    schoolId: fact.schoolId,
    studentId: fact.studentId,
    status: fact.status,
    // The first day seen in this enrolment (a transfer inside the year keeps it).
    since: existing?.since || fact.effectiveOn,
    version: fact.version,
  });
  const person = (await tx.get('people', fact.studentId)) ?? emptyPerson(fact.studentId);
  const enrolmentIds = withItem(person.enrolmentIds, fact.id);
  if (enrolmentIds !== person.enrolmentIds) tx.put('people', { ...person, enrolmentIds });
  const school = (await tx.get('schools', fact.schoolId)) ?? emptySchool(fact.schoolId);
  const studentIds = withItem(school.studentIds, fact.studentId);
  if (studentIds !== school.studentIds) tx.put('schools', { ...school, studentIds });
  return [];
}

async function applyGuardianship(tx: Tx, fact: GuardianshipFact): Promise<IdentityFact[]> {
  const existing = await tx.get('guardianships', fact.id);
  if (existing && existing.version >= fact.version) return [];
  tx.put('guardianships', {
    _id: fact.id,
    schoolId: fact.schoolId,
    guardianId: fact.guardianId,
    studentId: fact.studentId,
    kind: fact.guardianshipKind,
    status: fact.status,
    consentActive: fact.consentActive,
    version: fact.version,
  });
  const guardian = (await tx.get('people', fact.guardianId)) ?? emptyPerson(fact.guardianId);
  const guardianIds = withItem(guardian.guardianIds, fact.id);
  if (guardianIds !== guardian.guardianIds) tx.put('people', { ...guardian, guardianIds });
  const student = (await tx.get('people', fact.studentId)) ?? emptyPerson(fact.studentId);
  const studentGuardianshipIds = withItem(student.studentGuardianshipIds, fact.id);
  if (studentGuardianshipIds !== student.studentGuardianshipIds) {
    tx.put('people', { ...student, studentGuardianshipIds });
  }
  return [];
}

/** +1 on the actor version of every account linked to the person; an actorChanged for each. */
export async function bumpActors(tx: Tx, personId: string, schoolId: string): Promise<IdentityFact[]> {
  const links = await tx.get('personAccounts', personId);
  const facts: IdentityFact[] = [];
  for (const accountId of links?.accountIds ?? []) {
    const account = await tx.get('accounts', accountId);
    if (!account || account.personId !== personId) continue;
    tx.put('accounts', { ...account, version: account.version + 1 });
    facts.push({ kind: 'actorChanged', accountId, schoolId });
  }
  return facts;
}
