import { localDate } from '@edu/kit';
import type { EsiaChild, EsiaProfile } from '../esia/profile';
import { actorOf, bareActor, type ResolvedActor } from './actor';
import { applyRosterFact } from './copies';
import { disableUsers, emitAll, ensureAccount, linkInUnit, type IdentityDeps } from './links';
import type { CandidateDoc, IdentityFact } from './model';
import { emptySchool, withItem } from './model';
import type { PersonMatch, Tx } from './ports';

// Linking at an ESIA login (R1.7) and the children a parent's ESIA account lists.
//
// Own person: roster's MatchPeople answers by the strongest criterion that finds anyone (СНИЛС;
// else birth certificate and birth date; else name and birth date). A confirmed (trusted) account,
// or a child's account (level KD), is linked when exactly one person matched by СНИЛС or birth
// certificate. Anything weaker, several people, or an unconfirmed account only makes pending
// candidates for the school admins of the matched people's schools.
//
// Children: only for confirmed accounts linked to a guardian. Each ESIA kid is matched among
// students the same way; a single strong match without an active guardianship is linked in
// roster (kind legal_representative, without consent: R1.9 stays roster's), remembered as
// proposed by ESIA; a weak match makes a "child" candidate. A link identity proposed whose kid
// ESIA no longer lists is ended in roster.

const STRONG = new Set(['snils', 'birth_certificate']);

/** What a login's matches mean: one link, or candidates, or nothing. */
export interface LinkDecision {
  link?: PersonMatch;
  candidates: PersonMatch[];
}

/** Whether ESIA vouches enough for the account to link it without a person looking. */
export function mayLinkAutomatically(profile: Pick<EsiaProfile, 'trusted' | 'level'>): boolean {
  return profile.trusted || profile.level === 'KD';
}

/** The pure rule: exactly one strong match of an account ESIA vouches for links; else candidates. */
export function decideLink(vouched: boolean, matches: PersonMatch[]): LinkDecision {
  if (matches.length === 0) return { candidates: [] };
  const strong = matches.every((m) => STRONG.has(m.matchedBy));
  if (vouched && strong && matches.length === 1) return { link: matches[0], candidates: [] };
  return { candidates: matches };
}

/** The matching criteria of an ESIA person (the account holder or a kid). */
export function criteriaOf(person: EsiaProfile | EsiaChild, kind: string) {
  const certificate = 'birthCertificate' in person ? person.birthCertificate : undefined;
  return {
    snils: person.snils,
    ...(certificate ? { birthCertificate: { series: certificate.series, number: certificate.number } } : {}),
    birthDate: person.birthDate,
    lastName: person.lastName,
    firstName: person.firstName,
    middleName: person.middleName,
    kind,
  };
}

const candidateId = (accountId: string, personId: string, kind: 'self' | 'child') =>
  kind === 'self' ? `${accountId}:${personId}` : `${accountId}:child:${personId}`;

/** Puts a pending candidate once (a rejected or confirmed one is not asked again). */
async function putCandidate(
  tx: Tx,
  input: { accountId: string; match: PersonMatch; kind: 'self' | 'child'; guardianId: string; now: Date },
): Promise<void> {
  const id = candidateId(input.accountId, input.match.personId, input.kind);
  if (await tx.get('candidates', id)) return;
  const candidate: CandidateDoc = {
    _id: id,
    schoolId: input.match.schoolId,
    accountId: input.accountId,
    personId: input.match.personId,
    personDisplayName: input.match.displayName,
    kind: input.kind,
    guardianId: input.guardianId,
    matchedBy: input.match.matchedBy,
    status: 'pending',
    createdAt: input.now.toISOString(),
    decidedAt: '',
    decidedBy: '',
  };
  tx.put('candidates', candidate);
  const school = (await tx.get('schools', input.match.schoolId)) ?? emptySchool(input.match.schoolId);
  tx.put('schools', { ...school, candidateIds: withItem(school.candidateIds, id) });
}

/**
 * The actor behind a verified access token (the gateway only). An account seen for the first
 * time after an ESIA login is linked here from the profile the bridge stored.
 */
export async function resolveActor(
  deps: IdentityDeps,
  input: { keycloakSub: string; esiaOid: string },
): Promise<ResolvedActor> {
  const { keycloakSub: accountId, esiaOid } = input;
  const known = await deps.runner.get('accounts', accountId);
  if (known) return actorOf(deps.runner, known);
  const profile = esiaOid ? (await deps.runner.get('esiaProfiles', esiaOid))?.profile : undefined;
  if (profile) {
    await linkFromProfile(deps, accountId, profile);
  } else {
    await deps.runner.unit(async (tx) => {
      await ensureAccount(tx, accountId, esiaOid ? 'esia' : 'password', deps.now(), esiaOid);
      // Remembered by oid, so that the profile the bridge hands later finds the account.
      if (esiaOid && !(await tx.get('esiaProfiles', esiaOid))) {
        tx.put('esiaProfiles', { _id: esiaOid, profile: null, accountId });
      }
    });
  }
  const account = await deps.runner.get('accounts', accountId);
  return account ? actorOf(deps.runner, account) : bareActor(accountId);
}

/**
 * The bridge's sink: stores the profile; when an account already logged in with this oid, links
 * it (if still unlinked) and syncs its children at once.
 */
export async function applyEsiaProfile(deps: IdentityDeps, profile: EsiaProfile): Promise<void> {
  const accountId = await deps.runner.unit(async (tx) => {
    const stored = await tx.get('esiaProfiles', profile.oid);
    tx.put('esiaProfiles', { _id: profile.oid, profile, accountId: stored?.accountId ?? '' });
    return stored?.accountId ?? '';
  });
  if (accountId) await linkFromProfile(deps, accountId, profile);
}

/** Links the account from its ESIA profile (when unlinked), then syncs the children. */
export async function linkFromProfile(
  deps: IdentityDeps,
  accountId: string,
  profile: EsiaProfile,
): Promise<void> {
  const existing = await deps.runner.get('accounts', accountId);
  let decision: LinkDecision = { candidates: [] };
  if (!existing?.personId) {
    decision = decideLink(
      mayLinkAutomatically(profile),
      await deps.roster.matchPeople(criteriaOf(profile, '')),
    );
  }
  const now = deps.now();
  const disable = await deps.runner.unit(async (tx) => {
    await ensureAccount(tx, accountId, 'esia', now, profile.oid);
    tx.put('esiaProfiles', { _id: profile.oid, profile, accountId });
    const account = (await tx.get('accounts', accountId))!;
    if (account.esiaOid !== profile.oid || account.loginKind !== 'esia') {
      tx.put('accounts', { ...account, esiaOid: profile.oid, loginKind: 'esia' });
    }
    if (account.personId) return [];
    const facts: IdentityFact[] = [];
    const users: string[] = [];
    if (decision.link) {
      const outcome = await linkInUnit(tx, {
        accountId,
        personId: decision.link.personId,
        linkedBy: decision.link.matchedBy as 'snils' | 'birth_certificate',
        schoolId: decision.link.schoolId,
        now,
      });
      facts.push(...outcome.facts);
      users.push(...outcome.disable);
    }
    for (const match of decision.candidates) {
      await putCandidate(tx, { accountId, match, kind: 'self', guardianId: '', now });
    }
    emitAll(deps, tx, facts);
    return users;
  });
  if (disable.length > 0) await disableUsers(deps, disable);
  if (decision.link)
    deps.log.info({ event: 'account_linked', accountId, by: decision.link.matchedBy }, 'account linked');
  await syncChildren(deps, accountId, profile);
}

/** Children of a confirmed parent account linked to a guardian, kept in step with ESIA's /kids. */
export async function syncChildren(
  deps: IdentityDeps,
  accountId: string,
  profile: EsiaProfile,
): Promise<void> {
  if (!profile.trusted) return;
  const account = await deps.runner.get('accounts', accountId);
  if (!account?.personId) return;
  const guardianId = account.personId;
  const guardian = await deps.runner.get('people', guardianId);
  if (guardian?.kind !== 'guardian') return;
  const now = deps.now();
  const proposals = (await deps.runner.get('esiaProposals', accountId))?.proposals ?? [];
  const active = await activeChildren(deps, guardianId);
  let changed = false;
  const weak: PersonMatch[] = [];
  const added: { guardianshipId: string; studentId: string; esiaKidId: string; version: number }[] = [];
  const copies: Parameters<typeof putGuardianshipCopy>[1][] = [];

  for (const kid of profile.children) {
    let matches: PersonMatch[];
    try {
      matches = await deps.roster.matchPeople(criteriaOf(kid, 'student'));
    } catch (error) {
      deps.log.error({ err: error, accountId }, 'matching a child failed');
      continue;
    }
    const decision = decideLink(true, matches);
    if (!decision.link) {
      weak.push(...decision.candidates);
      continue;
    }
    const studentId = decision.link.personId;
    if (active.has(studentId) || proposals.some((p) => p.studentId === studentId)) continue;
    try {
      const link = await deps.roster.linkGuardian({ studentId, guardianId, kind: 'legal_representative' });
      added.push({ guardianshipId: link.id, studentId, esiaKidId: kid.esiaKidId, version: link.version });
      copies.push(link);
      active.add(studentId);
      changed = true;
    } catch (error) {
      deps.log.error({ err: error, accountId, studentId }, 'linking a child in roster failed');
    }
  }

  // Links identity proposed whose kid ESIA no longer lists.
  const kidIds = new Set(profile.children.map((k) => k.esiaKidId));
  const ended: string[] = [];
  for (const proposal of proposals) {
    if (kidIds.has(proposal.esiaKidId)) continue;
    const copy = await deps.runner.get('guardianships', proposal.guardianshipId);
    if (copy && copy.status !== 'active') {
      ended.push(proposal.guardianshipId);
      continue;
    }
    try {
      const link = await deps.roster.unlinkGuardian({
        guardianshipId: proposal.guardianshipId,
        expectedVersion: Math.max(copy?.version ?? 0, proposal.version),
        endedOn: localDate(now, 'UTC'),
        reason: 'Ребёнок больше не указан в учётной записи ЕСИА родителя',
      });
      copies.push(link);
      ended.push(proposal.guardianshipId);
      changed = true;
    } catch (error) {
      deps.log.error(
        { err: error, accountId, guardianshipId: proposal.guardianshipId },
        'ending a child link failed',
      );
    }
  }

  await deps.runner.unit(async (tx) => {
    for (const copy of copies) await putGuardianshipCopy(tx, copy);
    for (const match of weak) await putCandidate(tx, { accountId, match, kind: 'child', guardianId, now });
    const doc = (await tx.get('esiaProposals', accountId)) ?? { _id: accountId, proposals: [] };
    const next = [...doc.proposals.filter((p) => !ended.includes(p.guardianshipId)), ...added];
    if (added.length > 0 || ended.length > 0) tx.put('esiaProposals', { ...doc, proposals: next });
    if (changed) {
      const current = await tx.get('accounts', accountId);
      if (current) tx.put('accounts', { ...current, version: current.version + 1 });
      deps.emit(tx, { kind: 'actorChanged', accountId, schoolId: guardian.schoolId });
    }
  });
}

/** Students the guardian has an active guardianship with (the copy). */
async function activeChildren(deps: IdentityDeps, guardianId: string): Promise<Set<string>> {
  const guardian = await deps.runner.get('people', guardianId);
  const links = await deps.runner.getMany('guardianships', guardian?.guardianIds ?? []);
  return new Set(links.filter((g) => g.status === 'active').map((g) => g.studentId));
}

/** Puts roster's answer into the copy (versions keep a later event from being undone). */
export async function putGuardianshipCopy(
  tx: Tx,
  link: {
    id: string;
    schoolId: string;
    guardianId: string;
    studentId: string;
    kind: string;
    status: string;
    consentActive: boolean;
    version: number;
  },
): Promise<void> {
  await applyRosterFact(tx, {
    kind: 'guardianship',
    id: link.id,
    schoolId: link.schoolId,
    guardianId: link.guardianId,
    studentId: link.studentId,
    guardianshipKind: link.kind,
    status: link.status,
    consentActive: link.consentActive,
    version: link.version,
  });
}
