import type { Actor } from '@edu/grpc';
import { applyRosterFact, type RosterFact } from '../../src/domain/copies';
import type { EsiaChild, EsiaProfile } from '../../src/esia/profile';
import type { World } from './memory';

export const SCHOOL = 'school-1';
export const OTHER_SCHOOL = 'school-2';
export const GATEWAY: Actor = { accountId: 'service:gateway', schoolRoles: [], grants: ['service:gateway'] };
export const OPERATOR: Actor = { accountId: 'acc-operator', schoolRoles: [], grants: ['regionOperator'] };
export const SCHOOL_ADMIN: Actor = {
  accountId: 'acc-admin',
  schoolRoles: [{ schoolId: SCHOOL, role: 'schoolAdmin' }],
  grants: [`schoolAdmin:${SCHOOL}`],
};
export const DIRECTOR: Actor = {
  accountId: 'acc-director',
  personId: 'p-director',
  schoolRoles: [{ schoolId: SCHOOL, role: 'director' }],
  grants: [],
};
export const TEACHER: Actor = {
  accountId: 'acc-teacher',
  personId: 'p-teacher',
  schoolRoles: [{ schoolId: SCHOOL, role: 'teacher' }],
  grants: [],
};
export const GUARDIAN: Actor = {
  accountId: 'acc-guardian',
  personId: 'p-mother',
  schoolRoles: [],
  grants: [],
};

export async function apply(w: World, ...facts: RosterFact[]): Promise<void> {
  // As the roster consumer does: the facts to publish are emitted in the same unit.
  for (const fact of facts) {
    await w.store.unit(async (tx) => {
      for (const published of await applyRosterFact(tx, fact)) w.deps.emit(tx, published);
    });
  }
}

export const person = (
  id: string,
  kind: string,
  displayName: string,
  schoolId = SCHOOL,
  version = 1,
): RosterFact => ({
  kind: 'person',
  id,
  schoolId,
  personKind: kind,
  displayName,
  status: 'active',
  version,
});

export const hired = (
  id: string,
  personId: string,
  positionKind: string,
  effectiveOn = '2026-09-01',
  version = 1,
): RosterFact => ({
  kind: 'position',
  action: 'hired',
  id,
  schoolId: SCHOOL,
  personId,
  positionKind,
  status: 'active',
  effectiveOn,
  version,
});

export const enrolled = (studentId: string, effectiveOn = '2026-09-01', schoolId = SCHOOL): RosterFact => ({
  kind: 'enrolment',
  action: 'enrolled',
  id: `year-1:${studentId}`,
  schoolId,
  studentId,
  status: 'active',
  effectiveOn,
  version: 1,
});

export const guardianship = (
  id: string,
  guardianId: string,
  studentId: string,
  version = 1,
  status = 'active',
): RosterFact => ({
  kind: 'guardianship',
  id,
  schoolId: SCHOOL,
  guardianId,
  studentId,
  guardianshipKind: 'mother',
  status,
  consentActive: false,
  version,
});

export function kid(overrides: Partial<EsiaChild> = {}): EsiaChild {
  return {
    esiaKidId: 'kid-1001',
    lastName: 'Иванов',
    firstName: 'Пётр',
    middleName: 'Сергеевич',
    birthDate: '2013-02-01',
    gender: 'male',
    snils: '12345678964',
    birthCertificate: { series: 'II-МЮ', number: '654321', issueDate: '2013-02-10' },
    ...overrides,
  };
}

export function profile(overrides: Partial<EsiaProfile> = {}): EsiaProfile {
  return {
    oid: '1000000001',
    sub: 'esia:1000000001',
    lastName: 'Иванова',
    firstName: 'Мария',
    middleName: 'Петровна',
    birthDate: '1985-03-12',
    gender: 'female',
    snils: '11223344595',
    trusted: true,
    level: 'PR',
    children: [],
    fetchedAt: '2026-09-07T09:00:00Z',
    ...overrides,
  };
}
