import type { IdentityDocs, IdentityFact } from '../../src/domain/model';
import type {
  Emit,
  MatchCriteria,
  PersonMatch,
  RosterGuardianshipRef,
  RosterPort,
  Tx,
  UnitRunner,
} from '../../src/domain/ports';
import type { IdentityDeps } from '../../src/domain/links';
import { MemoryKeycloakUsers } from '../memory-keycloak';

type Docs = { [K in keyof IdentityDocs]: Map<string, IdentityDocs[K]> };

/** The unit store's contract in memory: a unit sees its own puts; writes land when it ends. */
export class MemoryStore implements UnitRunner {
  readonly docs = new Map<string, Map<string, unknown>>();

  private collection(name: string): Map<string, unknown> {
    let c = this.docs.get(name);
    if (!c) this.docs.set(name, (c = new Map()));
    return c;
  }

  get<K extends keyof IdentityDocs & string>(name: K, id: string): Promise<IdentityDocs[K] | null> {
    const doc = this.collection(name).get(id);
    return Promise.resolve(doc ? (structuredClone(doc) as IdentityDocs[K]) : null);
  }

  async getMany<K extends keyof IdentityDocs & string>(name: K, ids: string[]): Promise<IdentityDocs[K][]> {
    const docs = await Promise.all([...new Set(ids)].map((id) => this.get(name, id)));
    return docs.filter((d): d is NonNullable<typeof d> => d !== null) as IdentityDocs[K][];
  }

  async unit<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const puts = new Map<string, { name: string; doc: { _id: string } }>();
    const tx: Tx = {
      get: (name, id) => {
        const mine = puts.get(`${name}/${id}`);
        return mine ? Promise.resolve(mine.doc as never) : this.get(name, id);
      },
      put: (name, doc) => {
        puts.set(`${name}/${doc._id}`, { name, doc: structuredClone(doc) });
      },
    };
    const result = await work(tx);
    for (const { name, doc } of puts.values()) this.collection(name).set(doc._id, doc);
    return result;
  }

  all<K extends keyof IdentityDocs & string>(name: K): IdentityDocs[K][] {
    return [...this.collection(name).values()] as IdentityDocs[K][];
  }
}

export type { Docs };

/** Roster's answers by the criteria asked: a function the test sets. */
export class FakeRoster implements RosterPort {
  matcher: (criteria: MatchCriteria) => PersonMatch[] = () => [];
  readonly asked: MatchCriteria[] = [];
  readonly linked: { studentId: string; guardianId: string; kind: string }[] = [];
  readonly unlinked: { guardianshipId: string; expectedVersion: number; reason: string }[] = [];
  private next = 1;

  matchPeople(criteria: MatchCriteria): Promise<PersonMatch[]> {
    this.asked.push(criteria);
    return Promise.resolve(this.matcher(criteria));
  }

  linkGuardian(input: {
    studentId: string;
    guardianId: string;
    kind: string;
  }): Promise<RosterGuardianshipRef> {
    this.linked.push(input);
    return Promise.resolve({
      id: `g-${this.next++}`,
      schoolId: 'school-1',
      guardianId: input.guardianId,
      studentId: input.studentId,
      kind: input.kind,
      status: 'active',
      consentActive: false,
      version: 1,
    });
  }

  unlinkGuardian(input: {
    guardianshipId: string;
    expectedVersion: number;
    endedOn: string;
    reason: string;
  }): Promise<RosterGuardianshipRef> {
    this.unlinked.push(input);
    return Promise.resolve({
      id: input.guardianshipId,
      schoolId: 'school-1',
      guardianId: '',
      studentId: '',
      kind: 'legal_representative',
      status: 'ended',
      consentActive: false,
      version: input.expectedVersion + 1,
    });
  }
}

export interface World {
  deps: IdentityDeps;
  store: MemoryStore;
  roster: FakeRoster;
  keycloak: MemoryKeycloakUsers;
  facts: IdentityFact[];
  warnings: Record<string, unknown>[];
  clock: { now: Date };
}

/** Use-case dependencies over memory ports; facts are recorded as emitted (in the unit). */
export function world(start = new Date('2026-09-07T09:00:00Z')): World {
  const store = new MemoryStore();
  const roster = new FakeRoster();
  const keycloak = new MemoryKeycloakUsers();
  const facts: IdentityFact[] = [];
  const warnings: Record<string, unknown>[] = [];
  const clock = { now: start };
  let id = 1;
  const emit: Emit = (tx, fact) => {
    facts.push(fact);
    void tx;
  };
  return {
    store,
    roster,
    keycloak,
    facts,
    warnings,
    clock,
    deps: {
      runner: store,
      emit,
      roster,
      keycloak,
      now: () => clock.now,
      newId: () => `id-${id++}`,
      log: {
        warn: (fields) => warnings.push(fields),
        info: () => undefined,
        error: () => undefined,
      },
    },
  };
}
