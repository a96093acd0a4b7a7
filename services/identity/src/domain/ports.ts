import type { UnitTx } from '@edu/store';
import type { IdentityDocs, IdentityFact } from './model';

/** A unit of work over the service's documents (see @edu/store's unit store). */
export type Tx = UnitTx<IdentityDocs>;

/** Runs units of work one at a time; `work` may run more than once and must do no I/O. */
export interface UnitRunner {
  unit<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  get<K extends keyof IdentityDocs & string>(collection: K, id: string): Promise<IdentityDocs[K] | null>;
  getMany<K extends keyof IdentityDocs & string>(collection: K, ids: string[]): Promise<IdentityDocs[K][]>;
}

/** Writes a fact's event into the unit's outbox. */
export type Emit = (tx: Tx, fact: IdentityFact) => void;

/** A person roster found for ESIA data. */
export interface PersonMatch {
  personId: string;
  schoolId: string;
  kind: string;
  displayName: string;
  /** "snils", "birth_certificate" or "name_birth_date". */
  matchedBy: string;
}

export interface MatchCriteria {
  snils?: string;
  birthCertificate?: { series: string; number: string };
  /** YYYY-MM-DD. */
  birthDate?: string;
  lastName?: string;
  firstName?: string;
  middleName?: string;
  /** "staff", "student", "guardian"; '' for any. */
  kind?: string;
}

/** The guardianship roster stored (what identity needs of it). */
export interface RosterGuardianshipRef {
  id: string;
  schoolId: string;
  guardianId: string;
  studentId: string;
  kind: string;
  status: string;
  consentActive: boolean;
  version: number;
}

/** What identity asks roster, with its own service actor (grant `service:identity`). */
export interface RosterPort {
  /** The strongest criterion that finds anyone wins (roster's rule). */
  matchPeople(criteria: MatchCriteria): Promise<PersonMatch[]>;
  linkGuardian(input: {
    studentId: string;
    guardianId: string;
    kind: string;
  }): Promise<RosterGuardianshipRef>;
  unlinkGuardian(input: {
    guardianshipId: string;
    expectedVersion: number;
    endedOn: string;
    reason: string;
  }): Promise<RosterGuardianshipRef>;
}

/** A security log line (ids only). */
export interface SecurityLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
