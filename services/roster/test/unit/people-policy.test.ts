import type { Actor } from '../../src/domain/ports';
import { teachesOn } from '../../src/domain/teaching';
import {
  canChangePerson,
  canListPeople,
  canReadClassList,
  canReadCounts,
  canReadPersonCard,
  canRegisterPerson,
} from '../../src/domain/school-policy';

// Who may do what with people (deny by default). The relations' own rules have their own tests.

const actor = (role: string, schoolId = 'school-1', personId = `person-${role}`): Actor => ({
  accountId: `acc-${role}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});
const operator: Actor = { accountId: 'acc-op', schoolRoles: [], grants: ['regionOperator'] };
const student = { id: 'p-student', schoolId: 'school-1', kind: 'student' };
const staff = { id: 'p-staff', schoolId: 'school-1', kind: 'staff' };
const guardian = { id: 'p-guardian', schoolId: 'school-1', kind: 'guardian' };

describe('people policy', () => {
  test.each(['director', 'deputy', 'schoolAdmin'])(
    'the %s of the school registers, reads, changes and lists everyone',
    (role) => {
      const a = actor(role);
      for (const person of [student, staff, guardian]) {
        expect(canRegisterPerson(a, 'school-1', person.kind)).toBe(true);
        expect(canReadPersonCard(a, person)).toBe(true);
        expect(canChangePerson(a, person)).toBe(true);
      }
      expect(canListPeople(a, 'school-1', '')).toBe(true);
    },
  );

  it('hr keeps staff only, and does not list', () => {
    const hr = actor('hr');
    expect(canRegisterPerson(hr, 'school-1', 'staff')).toBe(true);
    expect(canReadPersonCard(hr, staff)).toBe(true);
    expect(canChangePerson(hr, staff)).toBe(true);
    for (const person of [student, guardian]) {
      expect(canRegisterPerson(hr, 'school-1', person.kind)).toBe(false);
      expect(canReadPersonCard(hr, person)).toBe(false);
      expect(canChangePerson(hr, person)).toBe(false);
    }
    expect(canListPeople(hr, 'school-1', '')).toBe(false);
    expect(canListPeople(hr, 'school-1', 'student')).toBe(false);
    expect(canListPeople(hr, 'school-1', 'staff')).toBe(true);
  });

  it('a teacher lists the staff of the school only, and registers, reads and changes no card', () => {
    const teacher = actor('teacher');
    expect(canListPeople(teacher, 'school-1', 'staff')).toBe(true);
    expect(canListPeople(teacher, 'school-1', '')).toBe(false);
    expect(canListPeople(teacher, 'school-1', 'student')).toBe(false);
    expect(canListPeople(teacher, 'school-1', 'guardian')).toBe(false);
    for (const person of [student, staff, guardian]) {
      expect(canRegisterPerson(teacher, 'school-1', person.kind)).toBe(false);
      expect(canReadPersonCard(teacher, person)).toBe(false);
      expect(canChangePerson(teacher, person)).toBe(false);
    }
  });

  it('a person reads their own full card, and nothing more', () => {
    const self = actor('teacher', 'school-1', 'p-staff');
    expect(canReadPersonCard(self, staff)).toBe(true);
    expect(canChangePerson(self, staff)).toBe(false);
    const noRoles: Actor = { accountId: 'acc-g', personId: 'p-guardian', schoolRoles: [], grants: [] };
    expect(canReadPersonCard(noRoles, guardian)).toBe(true);
    expect(canReadPersonCard(noRoles, student)).toBe(false);
    expect(canListPeople(noRoles, 'school-1', 'staff')).toBe(false);
  });

  it('staff of another school, the region operator and an actor without person id get nothing', () => {
    for (const a of [
      actor('director', 'school-2'),
      actor('hr', 'school-2'),
      operator,
      { ...operator, personId: '' },
    ]) {
      expect(canRegisterPerson(a, 'school-1', 'staff')).toBe(false);
      expect(canReadPersonCard(a, staff)).toBe(false);
      expect(canChangePerson(a, staff)).toBe(false);
      expect(canListPeople(a, 'school-1', 'staff')).toBe(false);
    }
    expect(canReadPersonCard({ ...operator, personId: '' }, { ...staff, id: '' })).toBe(false);
  });
});

describe('class lists and head counts', () => {
  const fiveA = { schoolId: 'school-1', classTeacherId: 'person-class-teacher' };

  it('the managers, the class teacher and a teacher who teaches the class read its list; other teachers and other schools do not', () => {
    expect(canReadClassList(actor('deputy'), fiveA, false)).toBe(true);
    expect(canReadClassList(actor('teacher', 'school-1', 'person-class-teacher'), fiveA, false)).toBe(true);
    expect(canReadClassList(actor('teacher'), fiveA, true)).toBe(true);
    expect(canReadClassList(actor('teacher'), fiveA, false)).toBe(false);
    expect(canReadClassList(actor('hr'), fiveA, false)).toBe(false);
    expect(canReadClassList(actor('teacher', 'school-2', 'person-class-teacher'), fiveA, true)).toBe(false);
    expect(canReadClassList(operator, fiveA, false)).toBe(false);
  });

  it('an assignment counts until its last day, from before its first; one ended before it began never counts', () => {
    const copy = { startsOn: '2026-09-01', endsOn: '2027-05-31' };
    expect(teachesOn(copy, '2026-08-25')).toBe(true);
    expect(teachesOn(copy, '2027-05-31')).toBe(true);
    expect(teachesOn(copy, '2027-06-01')).toBe(false);
    expect(teachesOn({ startsOn: '2026-09-01', endsOn: '2026-08-31' }, '2026-08-20')).toBe(false);
  });

  it("head counts: the school's managers, the region operator, a municipal officer of the school's municipality or an unscoped one", () => {
    const school = { id: 'school-1', municipalityId: 'achinsk' };
    const officer = (grant: string): Actor => ({ accountId: 'acc-mo', schoolRoles: [], grants: [grant] });
    expect(canReadCounts(actor('director'), school)).toBe(true);
    expect(canReadCounts(operator, school)).toBe(true);
    expect(canReadCounts(officer('municipalOfficer:achinsk'), school)).toBe(true);
    expect(canReadCounts(officer('municipalOfficer'), school)).toBe(true);
    expect(canReadCounts(officer('municipalOfficer:norilsk'), school)).toBe(false);
    expect(canReadCounts(officer('municipalOfficer:'), { id: 'school-1', municipalityId: '' })).toBe(false);
    expect(canReadCounts(actor('teacher'), school)).toBe(false);
  });
});
