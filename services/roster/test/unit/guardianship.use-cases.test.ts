import { DomainError, forbidden } from '@edu/kit';
import type { AcademicYear } from '../../src/domain/academic-year';
import type { Enrolment } from '../../src/domain/enrolment';
import type { Guardianship } from '../../src/domain/guardianship';
import {
  getGuardianship,
  linkGuardian,
  listChildren,
  listGuardians,
  recordConsent,
  revokeConsent,
  unlinkGuardian,
  type GuardianshipDeps,
} from '../../src/domain/guardianship.use-cases';
import type { Person, PersonKind } from '../../src/domain/person';
import type { Actor, GuardianshipEvent } from '../../src/domain/ports';
import type { School } from '../../src/domain/school';
import type { SchoolClass } from '../../src/domain/school-class';
import { as, failure, inSchool, storedPerson, validCard } from './fixtures';

// The guardianship use cases with in-memory repositories (port fakes) and the deny-by-default
// policy. The school is in Krasnoyarsk (UTC+7): "today" is the school's day.

function person(
  id: string,
  kind: PersonKind,
  schoolId = 'school-1',
  status: Person['status'] = 'active',
): Person {
  return storedPerson(id, {
    schoolId,
    kind,
    firstName: id,
    birthDate: kind === 'student' ? '2015-03-14' : '1985-03-14',
    contacts: { phone: '+79131234567', email: '' },
    status,
  });
}

function schoolClass(id: string, classTeacherId: string, academicYearId = 'year-open'): SchoolClass {
  return {
    id,
    schoolId: 'school-1',
    academicYearId,
    grade: 5,
    letter: id.slice(-1),
    classTeacherId,
    capacity: 0,
    status: 'open',
    version: 1,
    createdAt: '2026-08-01T00:00:00Z',
  };
}

function enrolment(studentId: string, classId: string, academicYearId = 'year-open'): Enrolment {
  return {
    id: `${academicYearId}:${studentId}`,
    schoolId: 'school-1',
    academicYearId,
    studentId,
    classId,
    status: 'active',
    movements: [],
    version: 1,
  };
}

function inMemory(now = '2026-09-01T03:00:00Z') {
  const links: Guardianship[] = [];
  const events: GuardianshipEvent[] = [];
  const denials: { action: string; object: string }[] = [];
  const schools: School[] = [
    { ...validCard(), id: 'school-1', version: 1, createdAt: '2026-08-01T00:00:00Z' },
    { ...validCard(), id: 'school-2', version: 1, createdAt: '2026-08-01T00:00:00Z' },
  ];
  const people = [
    person('student-a', 'student'),
    person('student-b', 'student'),
    person('student-old', 'student'),
    person('student-2', 'student', 'school-2'),
    person('student-archived', 'student', 'school-1', 'archived'),
    person('mother', 'guardian'),
    person('father', 'guardian', 'school-2'),
    person('teacher-a', 'staff'),
    person('teacher-b', 'staff'),
  ];
  const years = [
    { id: 'year-open', status: 'open' },
    { id: 'year-closed', status: 'closed' },
  ] as AcademicYear[];
  const classes = [
    schoolClass('class-5A', 'teacher-a'),
    schoolClass('class-5B', 'teacher-b'),
    schoolClass('class-old', 'teacher-b', 'year-closed'),
  ];
  const enrolments = [
    enrolment('student-a', 'class-5A'),
    enrolment('student-b', 'class-5B'),
    enrolment('student-old', 'class-old', 'year-closed'),
  ];
  const activeKey = (l: Guardianship) => `${l.guardianId}:${l.studentId}`;
  const conflictOf = (code: string) => new DomainError({ code, kind: 'conflict', detail: 'x' });
  let n = 0;
  const deps: GuardianshipDeps = {
    schools: { get: async (id) => schools.find((s) => s.id === id) ?? null },
    people: { get: async (id) => people.find((p) => p.id === id) ?? null },
    guardianships: {
      listActiveBySchool: async (schoolId) =>
        links.filter((l) => l.schoolId === schoolId && l.status === 'active'),
      listActiveByStudents: async (ids) =>
        links.filter((l) => ids.includes(l.studentId) && l.status === 'active'),
      async createMany(items) {
        for (const { link, events: written } of items) {
          links.push(link);
          events.push(...written);
        }
      },
      async create(link, written) {
        if (links.some((l) => l.status === 'active' && activeKey(l) === activeKey(link))) {
          throw conflictOf('guardianship.already_linked');
        }
        links.push(structuredClone(link));
        events.push(...structuredClone(written));
      },
      async update(link, expectedVersion, written) {
        const i = links.findIndex((l) => l.id === link.id && l.version === expectedVersion);
        if (i < 0) throw conflictOf('guardianship.version_conflict');
        links[i] = structuredClone(link);
        events.push(...structuredClone(written));
      },
      get: async (id) => structuredClone(links.find((l) => l.id === id) ?? null),
      findActive: async (guardianId, studentId) =>
        structuredClone(
          links.find((l) => l.status === 'active' && activeKey(l) === `${guardianId}:${studentId}`) ?? null,
        ),
      isGuardianOf: async () => false,
      listByStudent: async (studentId) => structuredClone(links.filter((l) => l.studentId === studentId)),
      listActiveByGuardian: async (guardianId) =>
        structuredClone(links.filter((l) => l.guardianId === guardianId && l.status === 'active')),
    },
    enrolments: { listByStudent: async (studentId) => enrolments.filter((e) => e.studentId === studentId) },
    academicYears: { get: async (id) => years.find((y) => y.id === id) ?? null },
    schoolClasses: { get: async (id) => classes.find((c) => c.id === id) ?? null },
    authorize: (_actor, allowed, what) => {
      if (!allowed) {
        denials.push(what);
        throw forbidden('access.denied', 'Недостаточно прав для этого действия');
      }
    },
    newId: () => `link-${(n += 1)}`,
    now: () => new Date(now),
  };
  return { deps, links, events, denials, people };
}

const director = inSchool('director');
/** The class teacher of 5А (a teacher of the school whose person id is 5А's class teacher). */
const teacherA = inSchool('teacher', 'school-1', 'teacher-a');
const teacherB = inSchool('teacher', 'school-1', 'teacher-b');
const guardianActor = (personId: string, schoolId = 'school-1'): Actor => ({
  accountId: `acc-${personId}`,
  personId,
  schoolRoles: [{ schoolId, role: 'guardian' }],
  grants: [],
});

const link = (deps: GuardianshipDeps, actor: Actor = director, over: Partial<Record<string, string>> = {}) =>
  linkGuardian(deps, as(actor), { studentId: 'student-a', guardianId: 'mother', kind: 'mother', ...over });

const consent = (id: string, expectedVersion: number, givenOn = '2026-09-01') => ({
  id,
  expectedVersion,
  givenOn,
  document: '  Заявление № 15 от 01.09.2026 ',
});

describe('guardianship use cases', () => {
  it('when the director links a guardian, then the link is stored active, version 1, without consent, and linked is published', async () => {
    const { deps, links, events } = inMemory();

    const created = await link(deps);

    expect(created).toMatchObject({
      id: 'link-1',
      schoolId: 'school-1',
      guardianId: 'mother',
      studentId: 'student-a',
      kind: 'mother',
      status: 'active',
      consents: [],
      linkedBy: 'acc-director',
      linkedAt: '2026-09-01T03:00:00.000Z',
      version: 1,
    });
    expect(links).toEqual([created]);
    expect(events).toEqual([{ type: 'edu.roster.guardian.linked', guardianship: created }]);
  });

  it('when a guardian of another school is linked, then the link belongs to the student’s school', async () => {
    const { deps } = inMemory();

    const created = await link(deps, director, { guardianId: 'father', kind: 'father' });

    expect(created).toMatchObject({ schoolId: 'school-1', guardianId: 'father' });
  });

  it('when the same guardian is linked twice, then the second is a conflict; after unlinking a new link is allowed', async () => {
    const { deps, links } = inMemory();
    const first = await link(deps);

    const twice = await failure(link(deps, director, { kind: 'legal_representative' }));
    await unlinkGuardian(deps, as(director), {
      id: first.id,
      expectedVersion: 1,
      endedOn: '2026-09-01',
      reason: 'Ошибка при вводе',
    });
    const again = await link(deps);

    expect(twice).toMatchObject({ code: 'guardianship.already_linked', kind: 'conflict' });
    expect(again.id).not.toBe(first.id);
    expect(links.map((l) => l.status)).toEqual(['ended', 'active']);
  });

  it('when the class teacher of the student’s class links and records a consent, then both are allowed', async () => {
    const { deps } = inMemory();

    const created = await link(deps, teacherA);
    const consented = await recordConsent(deps, as(teacherA), consent(created.id, 1));

    expect(consented).toMatchObject({ version: 2, consents: [{ recordedBy: 'acc-teacher' }] });
  });

  it('when the class teacher of another class, a teacher of a closed year’s class, or another school’s director acts, then PERMISSION_DENIED is logged and nothing is stored', async () => {
    const { deps, links, denials } = inMemory();

    const otherClass = await failure(link(deps, teacherB));
    const closedYear = await failure(link(deps, teacherB, { studentId: 'student-old' }));
    const otherSchool = await failure(link(deps, inSchool('director', 'school-2')));
    const plainTeacher = await failure(link(deps, inSchool('teacher')));
    // The class teacher's person id without a role in the school is not enough.
    const noRole = await failure(
      link(deps, { accountId: 'acc-x', personId: 'teacher-a', schoolRoles: [], grants: [] }),
    );

    for (const error of [otherClass, closedYear, otherSchool, plainTeacher, noRole]) {
      expect(error).toMatchObject({ code: 'access.denied', kind: 'forbidden' });
    }
    expect(links).toEqual([]);
    expect(denials).toHaveLength(5);
    expect(denials[0]).toEqual({ action: 'guardian.link', object: 'person:student-a' });
  });

  it('when the class teacher of another class records or revokes a consent, then it is refused', async () => {
    const { deps } = inMemory();
    const created = await link(deps);

    const record = await failure(recordConsent(deps, as(teacherB), consent(created.id, 1)));
    const byGuardian = await failure(
      recordConsent(deps, as(guardianActor('mother')), consent(created.id, 1)),
    );

    expect(record.kind).toBe('forbidden');
    expect(byGuardian.kind).toBe('forbidden');
  });

  it('when the input is wrong, then every field is named and nothing is stored', async () => {
    const { deps, links } = inMemory();

    const badLink = await failure(link(deps, director, { guardianId: ' ', kind: 'grandmother' }));
    const created = await link(deps);
    const badConsent = await failure(
      recordConsent(deps, as(director), {
        id: created.id,
        expectedVersion: 0,
        givenOn: '01.09.2026',
        document: ' ',
      }),
    );
    const badRevoke = await failure(
      revokeConsent(deps, as(director), {
        id: created.id,
        expectedVersion: 1,
        revokedOn: '2026-02-30',
        reason: '',
      }),
    );

    expect(badLink).toMatchObject({ code: 'guardianship.invalid', kind: 'invalid' });
    expect(badLink.errors?.map((e) => e.field)).toEqual(['guardianId', 'kind']);
    expect(badConsent.errors?.map((e) => e.field)).toEqual(['givenOn', 'document', 'expectedVersion']);
    expect(badRevoke.errors?.map((e) => e.field)).toEqual(['revokedOn', 'reason']);
    expect(links).toHaveLength(1);
    expect(links[0]!.version).toBe(1);
  });

  it('when a consent is dated after the school’s today, then it is refused; the school’s today counts, not UTC’s', async () => {
    // 18:00 UTC on 31 August is 01:00 on 1 September in Krasnoyarsk.
    const { deps } = inMemory('2026-08-31T18:00:00Z');
    const created = await link(deps);

    const future = await failure(recordConsent(deps, as(director), consent(created.id, 1, '2026-09-02')));
    const today = await recordConsent(deps, as(director), consent(created.id, 1, '2026-09-01'));

    expect(future).toMatchObject({ code: 'guardianship.invalid', errors: [{ field: 'givenOn' }] });
    expect(future.errors![0]!.message).toContain('01.09.2026');
    expect(today.consents[0]).toMatchObject({
      givenOn: '2026-09-01',
      document: 'Заявление № 15 от 01.09.2026',
    });
  });

  it('when a consent is revoked, then it stays in the history; revoking again is refused; a new consent may follow, not dated before the revocation', async () => {
    const { deps, events } = inMemory();
    const created = await link(deps);
    await recordConsent(deps, as(director), consent(created.id, 1, '2026-08-20'));

    const early = await failure(
      revokeConsent(deps, as(director), {
        id: created.id,
        expectedVersion: 2,
        revokedOn: '2026-08-19',
        reason: 'Отзыв',
      }),
    );
    const revoked = await revokeConsent(deps, as(director), {
      id: created.id,
      expectedVersion: 2,
      revokedOn: '2026-08-25',
      reason: ' Заявление об отзыве № 20 ',
    });
    const twice = await failure(
      revokeConsent(deps, as(director), {
        id: created.id,
        expectedVersion: 3,
        revokedOn: '2026-08-26',
        reason: 'Ещё раз',
      }),
    );
    const before = await failure(recordConsent(deps, as(director), consent(created.id, 3, '2026-08-24')));
    const renewed = await recordConsent(deps, as(director), consent(created.id, 3, '2026-08-30'));

    expect(early).toMatchObject({ code: 'guardianship.invalid', errors: [{ field: 'revokedOn' }] });
    expect(revoked.consents).toEqual([
      expect.objectContaining({
        givenOn: '2026-08-20',
        revokedOn: '2026-08-25',
        revocationReason: 'Заявление об отзыве № 20',
        revokedBy: 'acc-director',
        revokedAt: '2026-09-01T03:00:00.000Z',
      }),
    ]);
    expect(twice).toMatchObject({ code: 'guardianship.consent_not_active', kind: 'precondition' });
    expect(before).toMatchObject({ code: 'guardianship.invalid', errors: [{ field: 'givenOn' }] });
    expect(renewed.consents.map((c) => [c.givenOn, c.revokedOn])).toEqual([
      ['2026-08-20', '2026-08-25'],
      ['2026-08-30', ''],
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'edu.roster.guardian.linked',
      'edu.roster.consent.recorded',
      'edu.roster.consent.revoked',
      'edu.roster.consent.recorded',
    ]);
  });

  it('when a consent is recorded while one is in effect, then it is refused', async () => {
    const { deps } = inMemory();
    const created = await link(deps);
    await recordConsent(deps, as(director), consent(created.id, 1));

    const twice = await failure(recordConsent(deps, as(director), consent(created.id, 2)));

    expect(twice).toMatchObject({ code: 'guardianship.consent_active', kind: 'precondition' });
  });

  it('when a change is based on a stale version, then it is a conflict and nothing changes', async () => {
    const { deps, links } = inMemory();
    const created = await link(deps);
    await recordConsent(deps, as(director), consent(created.id, 1));

    const stale = await failure(
      revokeConsent(deps, as(director), {
        id: created.id,
        expectedVersion: 1,
        revokedOn: '2026-09-01',
        reason: 'Отзыв',
      }),
    );

    expect(stale).toMatchObject({ code: 'guardianship.version_conflict', kind: 'conflict' });
    expect(links[0]!.consents[0]!.revokedOn).toBe('');
  });

  it('when a link is ended, then it is kept with date, reason and consents, and it no longer changes', async () => {
    const { deps, events } = inMemory();
    const created = await link(deps);
    await recordConsent(deps, as(director), consent(created.id, 1));

    const ended = await unlinkGuardian(deps, as(teacherA), {
      id: created.id,
      expectedVersion: 2,
      endedOn: '2026-09-01',
      reason: ' Решение суда ',
    });
    const afterwards = await failure(
      revokeConsent(deps, as(director), {
        id: created.id,
        expectedVersion: 3,
        revokedOn: '2026-09-01',
        reason: 'Отзыв',
      }),
    );

    expect(ended).toMatchObject({
      status: 'ended',
      endedOn: '2026-09-01',
      endReason: 'Решение суда',
      endedBy: 'acc-teacher',
      version: 3,
      consents: [expect.objectContaining({ givenOn: '2026-09-01', revokedOn: '' })],
    });
    expect(events.at(-1)).toEqual({ type: 'edu.roster.guardian.unlinked', guardianship: ended });
    expect(afterwards).toMatchObject({ code: 'guardianship.ended', kind: 'precondition' });
  });

  it('when the student or the guardian is not one (or archived), then the link is refused with the field named', async () => {
    const { deps, links } = inMemory();

    const notStudent = await failure(link(deps, director, { studentId: 'mother' }));
    const archived = await failure(link(deps, director, { studentId: 'student-archived' }));
    const notGuardian = await failure(link(deps, director, { guardianId: 'teacher-a' }));
    const missing = await failure(link(deps, director, { studentId: 'nobody' }));

    expect(notStudent).toMatchObject({
      code: 'guardianship.not_a_student',
      errors: [{ field: 'studentId' }],
    });
    expect(archived.code).toBe('guardianship.not_a_student');
    expect(notGuardian).toMatchObject({
      code: 'guardianship.not_a_guardian',
      errors: [{ field: 'guardianId' }],
    });
    expect(missing).toMatchObject({ code: 'person.not_found', kind: 'not_found' });
    expect(links).toEqual([]);
  });

  it('when guardians are listed, then keepers see every link with names, a guardian only their own, anyone else NOT_FOUND', async () => {
    const { deps, denials } = inMemory();
    const mothers = await link(deps);
    const fathers = await link(deps, director, { guardianId: 'father', kind: 'father' });
    await unlinkGuardian(deps, as(director), {
      id: mothers.id,
      expectedVersion: 1,
      endedOn: '2026-09-01',
      reason: 'Ошибка',
    });

    const byDirector = await listGuardians(deps, as(director), 'student-a');
    const byClassTeacher = await listGuardians(deps, as(teacherA), 'student-a');
    const byFather = await listGuardians(deps, as(guardianActor('father', 'school-2')), 'student-a');
    const byOtherTeacher = await failure(listGuardians(deps, as(teacherB), 'student-a'));
    const byStranger = await failure(listGuardians(deps, as(guardianActor('stranger')), 'student-a'));

    // Active first, then ended.
    expect(byDirector.map((g) => [g.link.id, g.link.status])).toEqual([
      [fathers.id, 'active'],
      [mothers.id, 'ended'],
    ]);
    expect(byDirector[0]!.guardian).toEqual({
      id: 'father',
      schoolId: 'school-2',
      lastName: 'Иванова',
      firstName: 'father',
      middleName: '',
    });
    expect(byClassTeacher).toHaveLength(2);
    expect(byFather.map((g) => g.link.id)).toEqual([fathers.id]);
    for (const error of [byOtherTeacher, byStranger]) {
      expect(error).toMatchObject({ code: 'person.not_found', kind: 'not_found' });
    }
    expect(denials).toEqual([
      { action: 'guardian.list', object: 'person:student-a' },
      { action: 'guardian.list', object: 'person:student-a' },
    ]);
  });

  it('when one link is read, then the keepers and its guardian get it with its consents; a plain teacher, another class’s teacher, another guardian or school get NOT_FOUND, logged', async () => {
    const { deps, denials } = inMemory();
    const created = await link(deps);
    const consented = await recordConsent(deps, as(director), consent(created.id, 1));

    const readers = [director, teacherA, guardianActor('mother')];
    const read = await Promise.all(readers.map((actor) => getGuardianship(deps, as(actor), created.id)));
    const refused = await Promise.all(
      [
        inSchool('teacher'),
        teacherB,
        guardianActor('father', 'school-2'),
        inSchool('director', 'school-2'),
        inSchool('hr'),
      ].map((actor) => failure(getGuardianship(deps, as(actor), created.id))),
    );
    const missing = await failure(getGuardianship(deps, as(director), 'link-missing'));

    for (const answer of read) expect(answer).toEqual(consented);
    expect(read[0]).toMatchObject({ version: 2, consents: [{ givenOn: '2026-09-01' }] });
    for (const error of [...refused, missing]) {
      expect(error).toMatchObject({ code: 'guardianship.not_found', kind: 'not_found' });
    }
    expect(denials).toEqual(
      Array(5).fill({ action: 'guardianship.read', object: `guardianship:${created.id}` }),
    );
  });

  it('when children are listed, then the guardian sees every school’s active links, a manager their school’s, anyone else NOT_FOUND', async () => {
    const { deps } = inMemory();
    await link(deps, director, { guardianId: 'father', kind: 'father' });
    await link(deps, inSchool('director', 'school-2'), {
      studentId: 'student-2',
      guardianId: 'father',
      kind: 'father',
    });

    const own = await listChildren(deps, as(guardianActor('father', 'school-2')), 'father');
    const byDirector = await listChildren(deps, as(director), 'father');
    const byOther = await failure(listChildren(deps, as(guardianActor('mother')), 'father'));
    const byTeacher = await failure(listChildren(deps, as(teacherA), 'father'));

    expect(own.map((c) => c.student.id)).toEqual(['student-a', 'student-2']);
    expect(byDirector.map((c) => c.student.id)).toEqual(['student-a']);
    expect(byOther.kind).toBe('not_found');
    expect(byTeacher.kind).toBe('not_found');
  });
});
