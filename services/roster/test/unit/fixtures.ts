import { DomainError } from '@edu/kit';
import type { Actor, RequestContext } from '../../src/domain/ports';
import type { SchoolCard } from '../../src/domain/school';
import { academicYearPlanFixture } from '@edu/testing';
import type { AcademicYear, AcademicYearPlan } from '../../src/domain/academic-year';
import type { Enrolment } from '../../src/domain/enrolment';
import type { Person } from '../../src/domain/person';
import type { SchoolClass } from '../../src/domain/school-class';

/** A complete card with real-looking, valid identifiers. */
export const validCard = (): SchoolCard => ({
  fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»',
  shortName: 'МБОУ СШ № 1',
  inn: '7707083893',
  ogrn: '1027700132195',
  address: '660001, г. Красноярск, ул. Школьная, д. 1',
  timeZone: 'Asia/Krasnoyarsk',
  licence: {
    number: 'Л035-01212-24/00001',
    issuedOn: '2016-03-01',
    issuedBy: 'Министерство образования Красноярского края',
  },
  accreditation: { number: 'А007-01212-24/00001', issuedOn: '2016-05-01', validUntil: '' },
  municipalityId: '',
});

/** The shared 2026/2027 plan (quarters for 1–9, half-years for 10–11) for a school. */
export const validPlan = (schoolId = 'school-1'): AcademicYearPlan => ({
  schoolId,
  ...academicYearPlanFixture(),
});

/** The request context of a use case called by `actor`. */
export const as = (actor: Actor): RequestContext => ({ actor, traceId: 'trace-1' });

/** Someone with `role` in a school (the account and person ids name the role). */
export const inSchool = (role: string, schoolId = 'school-1', personId = `person-${role}`): Actor => ({
  accountId: `acc-${role}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});

/** The DomainError a use case must fail with. */
export async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('it succeeded');
}

/** A stored, active staff card in school-1 without optional data; `overrides` change any field. */
export const storedPerson = (id: string, overrides: Partial<Person> = {}): Person => ({
  id,
  schoolId: 'school-1',
  kind: 'staff',
  lastName: 'Иванова',
  firstName: 'Анна',
  middleName: '',
  birthDate: '1985-01-01',
  sex: 'female',
  snils: '',
  contacts: { phone: '', email: '' },
  birthCertificate: { series: '', number: '' },
  status: 'active',
  version: 1,
  createdAt: '2026-08-01T00:00:00Z',
  ...overrides,
});

/** A stored 2026/2027 year of school-1 (the shared plan), open, version 1. */
export const storedYear = (overrides: Partial<AcademicYear> = {}): AcademicYear => ({
  ...validPlan(),
  id: 'year-1',
  name: '2026/2027',
  status: 'open',
  version: 1,
  createdAt: '2026-08-01T00:00:00Z',
  closures: [],
  transfers: [],
  changes: [],
  ...overrides,
});

/** A stored open class of year-1 in school-1, without a teacher or capacity. */
export const storedClass = (
  id: string,
  grade: number,
  letter: string,
  overrides: Partial<SchoolClass> = {},
): SchoolClass => ({
  id,
  schoolId: 'school-1',
  academicYearId: 'year-1',
  grade,
  letter,
  classTeacherId: '',
  capacity: 0,
  status: 'open',
  version: 1,
  createdAt: '2026-08-01T00:00:00Z',
  ...overrides,
});

/** A student's active enrolment in a class of year-1, enrolled on 2026-09-01 by order 1-у. */
export const storedEnrolment = (
  studentId: string,
  classId: string,
  overrides: Partial<Enrolment> = {},
): Enrolment => ({
  id: `year-1:${studentId}`,
  schoolId: 'school-1',
  academicYearId: 'year-1',
  studentId,
  classId,
  status: 'active',
  movements: [
    {
      kind: 'enrolled',
      fromClassId: '',
      toClassId: classId,
      effectiveOn: '2026-09-01',
      order: { number: '1-у', date: '2026-08-28', title: 'О зачислении' },
      reason: '',
      recordedAt: '2026-08-28T05:00:00.000Z',
      recordedBy: 'acc-director',
    },
  ],
  version: 1,
  ...overrides,
});
