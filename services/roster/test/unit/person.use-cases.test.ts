import { DomainError, forbidden } from '@edu/kit';
import type { Person, PersonForm } from '../../src/domain/person';
import {
  archivePerson,
  getPerson,
  listPeople,
  registerPerson,
  updatePersonContacts,
  type PeopleDeps,
  matchPeople,
  type MatchCriteria,
} from '../../src/domain/person.use-cases';
import type { AccessLogEntry, Actor, PersonEvent } from '../../src/domain/ports';
import { personSortName } from '../../src/domain/person';
import type { School } from '../../src/domain/school';
import { as, failure, inSchool, storedClass, storedEnrolment, storedYear, validCard } from './fixtures';

// The people use cases with in-memory repositories (port fakes) and the deny-by-default policy.

function inMemory() {
  const people: Person[] = [];
  const events: PersonEvent[] = [];
  const accessLog: AccessLogEntry[] = [];
  const denials: { action: string; object: string }[] = [];
  /** `<guardian>:<student>` pairs with an active link and a consent in effect. */
  const consenting = new Set<string>();
  const guardianQuestions: string[] = [];
  /** Student id → the person id of their class teacher (5А of year-1). */
  const classTeacherOf = new Map<string, string>();
  /** Guardian id → the students they have an active link to (school-1). */
  const childrenOf = new Map<string, string[]>();
  const school: School = { ...validCard(), id: 'school-1', version: 1, createdAt: '2026-08-01T00:00:00Z' };
  let n = 0;
  const deps: PeopleDeps = {
    schools: {
      create: async () => undefined,
      update: async () => undefined,
      get: async (id) => (id === school.id ? school : null),
      list: async () => [school],
    },
    people: {
      async createMany(items) {
        for (const { person, events: written } of items) {
          people.push(person);
          events.push(...written);
        }
      },
      async create(person, written) {
        if (person.snils && people.some((p) => p.schoolId === person.schoolId && p.snils === person.snils)) {
          throw new DomainError({ code: 'person.snils_taken', kind: 'conflict', detail: 'x' });
        }
        people.push(person);
        events.push(...written);
      },
      async update(person, expectedVersion, written) {
        const i = people.findIndex((p) => p.id === person.id && p.version === expectedVersion);
        if (i < 0) throw new DomainError({ code: 'person.version_conflict', kind: 'conflict', detail: 'x' });
        people[i] = person;
        events.push(...written);
      },
      get: async (id) => people.find((p) => p.id === id) ?? null,
      getMany: async (ids) => people.filter((p) => ids.includes(p.id)),
      findActive: async (criterion) =>
        people.filter(
          (p) =>
            p.status === 'active' &&
            ('snils' in criterion
              ? p.snils === criterion.snils
              : 'birthCertificateNumber' in criterion
                ? p.birthCertificate.number === criterion.birthCertificateNumber &&
                  p.birthDate === criterion.birthDate
                : p.birthDate === criterion.birthDate),
        ),
      list: async ({ schoolId, kind, includeArchived, limit, after }) =>
        people
          .filter((p) => p.schoolId === schoolId && (!kind || p.kind === kind))
          .filter((p) => includeArchived || p.status === 'active')
          .map((p) => ({ p, key: `${personSortName(p)}\u0000${p.id}` }))
          .filter(({ key }) => !after || key > `${after.sortName}\u0000${after.id}`)
          .sort((a, b) => (a.key < b.key ? -1 : 1))
          .slice(0, limit)
          .map(({ p }) => p),
    },
    accessLog: { record: async (entry) => void accessLog.push(entry) },
    guardianships: {
      async isGuardianOf(guardianId, studentId) {
        guardianQuestions.push(`${guardianId}:${studentId}`);
        return consenting.has(`${guardianId}:${studentId}`);
      },
      listActiveByGuardian: async (guardianId) =>
        (childrenOf.get(guardianId) ?? []).map((studentId) => ({
          id: `link-${guardianId}-${studentId}`,
          schoolId: 'school-1',
          guardianId,
          studentId,
          kind: 'mother',
          status: 'active',
          linkedAt: '2026-08-28T05:00:00.000Z',
          linkedBy: 'acc-director',
          consents: [],
          endedOn: '',
          endReason: '',
          endedBy: '',
          endedAt: '',
          version: 1,
        })),
    },
    enrolments: {
      listByStudent: async (studentId) =>
        classTeacherOf.has(studentId) ? [storedEnrolment(studentId, 'class-5a')] : [],
    },
    academicYears: { get: async (id) => (id === 'year-1' ? storedYear() : null) },
    schoolClasses: {
      get: async (id) => {
        const teacher = [...classTeacherOf.values()][0];
        return id === 'class-5a' ? storedClass(id, 5, 'А', { classTeacherId: teacher ?? '' }) : null;
      },
    },
    authorize: (_actor, allowed, what) => {
      if (!allowed) {
        denials.push(what);
        throw forbidden('access.denied', 'Недостаточно прав для этого действия');
      }
    },
    newId: () => `person-${(n += 1)}`,
    now: () => new Date('2026-09-01T03:00:00Z'),
  };
  return {
    deps,
    people,
    events,
    accessLog,
    denials,
    consenting,
    guardianQuestions,
    classTeacherOf,
    childrenOf,
  };
}

const director = inSchool('director');

const form = (overrides: Partial<PersonForm> = {}): PersonForm => ({
  schoolId: 'school-1',
  kind: 'student',
  lastName: 'Иванова',
  firstName: 'Мария',
  middleName: '',
  birthDate: '2015-03-14',
  sex: 'female',
  snils: '112-233-445 95',
  contacts: { phone: '', email: '' },
  birthCertificate: { series: '', number: '' },
  ...overrides,
});

describe('people use cases', () => {
  it('when the director registers a student, then it is stored normalised, version 1, and registered is published', async () => {
    const { deps, people, events } = inMemory();

    const person = await registerPerson(deps, as(director), form());

    expect(person).toMatchObject({ id: 'person-1', snils: '11223344595', status: 'active', version: 1 });
    expect(people).toEqual([person]);
    expect(events).toEqual([{ type: 'edu.roster.person.registered', person }]);
  });

  it('when hr registers a student, or a teacher anyone, then PERMISSION_DENIED is logged and nothing is stored', async () => {
    const { deps, people, denials } = inMemory();

    for (const [actor, kind] of [
      [inSchool('hr'), 'student'],
      [inSchool('teacher'), 'staff'],
    ] as const) {
      const error = await failure(registerPerson(deps, as(actor), form({ kind })));
      expect(error.kind).toBe('forbidden');
    }
    expect(people).toEqual([]);
    expect(denials).toEqual([
      { action: 'person.register', object: 'school:school-1' },
      { action: 'person.register', object: 'school:school-1' },
    ]);
  });

  it('when the form is wrong, then every field is named and nothing is stored', async () => {
    const { deps, people } = inMemory();

    const error = await failure(
      registerPerson(
        deps,
        as(director),
        form({ lastName: 'Ivanova', birthDate: '2024-01-01', snils: '11223344596' }),
      ),
    );

    expect(error).toMatchObject({ code: 'person.invalid', kind: 'invalid' });
    expect(error.errors?.map((e) => e.field)).toEqual(['lastName', 'birthDate', 'snils']);
    expect(people).toEqual([]);
  });

  it('when the director reads a card, then it is access-logged with ids only; the person reading their own is not', async () => {
    const { deps, accessLog } = inMemory();
    const person = await registerPerson(deps, as(director), form());

    await getPerson(deps, as(director), person.id);
    await getPerson(
      deps,
      as({ accountId: 'acc-self', personId: person.id, schoolRoles: [], grants: [] }),
      person.id,
    );

    expect(accessLog).toEqual([
      {
        accountId: 'acc-director',
        actorPersonId: 'person-director',
        personId: person.id,
        schoolId: 'school-1',
        purpose: 'card.read',
        at: new Date('2026-09-01T03:00:00Z'),
        traceId: 'trace-1',
      },
    ]);
  });

  it('when a teacher or another school reads a card, then NOT_FOUND, the denial is logged and nothing is access-logged', async () => {
    const { deps, accessLog, denials } = inMemory();
    const person = await registerPerson(deps, as(director), form());

    for (const actor of [inSchool('teacher'), inSchool('director', 'school-2'), inSchool('hr')]) {
      const error = await failure(getPerson(deps, as(actor), person.id));
      expect(error).toMatchObject({ code: 'person.not_found', kind: 'not_found' });
    }
    expect(accessLog).toEqual([]);
    expect(denials).toHaveLength(3);
  });

  it('when a guardian with an active link and consent reads the child, then the full card comes and the read is access-logged', async () => {
    const { deps, accessLog, consenting } = inMemory();
    const child = await registerPerson(deps, as(director), form());
    consenting.add(`person-mother:${child.id}`);
    const mother = { accountId: 'acc-mother', personId: 'person-mother', schoolRoles: [], grants: [] };

    const card = await getPerson(deps, as(mother), child.id);

    expect(card).toEqual(child);
    expect(accessLog).toEqual([
      expect.objectContaining({
        accountId: 'acc-mother',
        actorPersonId: 'person-mother',
        personId: child.id,
        purpose: 'card.read',
      }),
    ]);
  });

  it('when a guardian without a consent in effect (or of another child) reads a card, then NOT_FOUND, the denial is logged and nothing is access-logged', async () => {
    const { deps, accessLog, denials, consenting } = inMemory();
    const child = await registerPerson(deps, as(director), form());
    const sibling = await registerPerson(deps, as(director), form({ firstName: 'Анна', snils: '' }));
    consenting.add(`person-mother:${sibling.id}`);
    const mother = { accountId: 'acc-mother', personId: 'person-mother', schoolRoles: [], grants: [] };

    const error = await failure(getPerson(deps, as(mother), child.id));

    expect(error).toMatchObject({ code: 'person.not_found', kind: 'not_found' });
    expect(accessLog).toEqual([]);
    expect(denials).toEqual([{ action: 'person.read', object: `person:${child.id}` }]);
  });

  it("when someone reads a guardian or staff card, then the guardianship is not asked: it opens students' cards only", async () => {
    const { deps, consenting, guardianQuestions } = inMemory();
    const adult = await registerPerson(
      deps,
      as(director),
      form({ kind: 'guardian', birthDate: '1985-01-01', snils: '' }),
    );
    consenting.add(`person-mother:${adult.id}`);
    const mother = { accountId: 'acc-mother', personId: 'person-mother', schoolRoles: [], grants: [] };

    const error = await failure(getPerson(deps, as(mother), adult.id));
    await getPerson(deps, as(director), adult.id);

    expect(error.kind).toBe('not_found');
    expect(guardianQuestions).toEqual([]);
  });

  it('when the class teacher reads a student of their class or a guardian of one, then the card comes and the read is access-logged', async () => {
    const { deps, accessLog, classTeacherOf, childrenOf } = inMemory();
    const child = await registerPerson(deps, as(director), form());
    const mother = await registerPerson(
      deps,
      as(director),
      form({ kind: 'guardian', birthDate: '1985-01-01', snils: '', firstName: 'Ольга' }),
    );
    classTeacherOf.set(child.id, 'person-teacher');
    childrenOf.set(mother.id, [child.id]);
    const classTeacher = inSchool('teacher');

    expect(await getPerson(deps, as(classTeacher), child.id)).toEqual(child);
    expect(await getPerson(deps, as(classTeacher), mother.id)).toEqual(mother);

    expect(accessLog.map((e) => [e.actorPersonId, e.personId])).toEqual([
      ['person-teacher', child.id],
      ['person-teacher', mother.id],
    ]);
  });

  it('when a teacher who is not the class teacher reads a student, then NOT_FOUND and the denial is logged', async () => {
    const { deps, accessLog, denials, classTeacherOf } = inMemory();
    const child = await registerPerson(deps, as(director), form());
    classTeacherOf.set(child.id, 'person-teacher');
    const otherTeacher = inSchool('teacher', 'school-1', 'person-other-teacher');
    const classTeacherElsewhere = inSchool('teacher', 'school-2');

    for (const actor of [otherTeacher, classTeacherElsewhere]) {
      const error = await failure(getPerson(deps, as(actor), child.id));
      expect(error.kind).toBe('not_found');
    }
    expect(accessLog).toEqual([]);
    expect(denials).toHaveLength(2);
  });

  it('when the class teacher changes contacts of a student of their class, then they change; archiving stays refused', async () => {
    const { deps, denials, classTeacherOf } = inMemory();
    const child = await registerPerson(deps, as(director), form());
    classTeacherOf.set(child.id, 'person-teacher');
    const classTeacher = inSchool('teacher');

    const changed = await updatePersonContacts(deps, as(classTeacher), {
      id: child.id,
      expectedVersion: 1,
      contacts: { phone: '+7 913 000-00-01', email: '' },
    });
    const error = await failure(archivePerson(deps, as(classTeacher), { id: child.id, expectedVersion: 2 }));
    const stranger = await failure(
      updatePersonContacts(deps, as(inSchool('teacher', 'school-1', 'person-x')), {
        id: child.id,
        expectedVersion: 2,
        contacts: { phone: '', email: '' },
      }),
    );

    expect(changed).toMatchObject({ version: 2, contacts: { phone: '+79130000001' } });
    expect(error.kind).toBe('forbidden');
    expect(stranger.kind).toBe('forbidden');
    expect(denials).toEqual([
      { action: 'person.archive', object: `person:${child.id}` },
      { action: 'person.update_contacts', object: `person:${child.id}` },
    ]);
  });

  it('when the director lists in pages of 2, then everyone comes once in name order with ё as е, archived ones left out', async () => {
    const { deps } = inMemory();
    const names = ['Яковлев', 'Ёлкин', 'Абрамов', 'Егоров', 'Жуков'];
    for (const lastName of names) await registerPerson(deps, as(director), form({ lastName, snils: '' }));
    const zhukov = (await listPeople(deps, as(director), query({ size: 200 }))).people.find(
      (p) => p.lastName === 'Жуков',
    )!;
    await archivePerson(deps, as(director), { id: zhukov.id, expectedVersion: 1 });

    const seen: string[] = [];
    let token = '';
    do {
      const page = await listPeople(deps, as(director), query({ size: 2, token }));
      seen.push(...page.people.map((p) => p.lastName));
      token = page.nextToken;
      expect(token).not.toMatch(/[А-Яа-я]/);
      expect(Buffer.from(token, 'base64url').toString()).not.toMatch(/[а-яё]/i);
    } while (token);

    expect(seen).toEqual(['Абрамов', 'Егоров', 'Ёлкин', 'Яковлев']);
  });

  it('when someone without a role lists, then the school is not found; hr and teachers are refused all but the staff', async () => {
    const { deps } = inMemory();

    expect((await failure(listPeople(deps, as(inSchool('teacher', 'school-2')), query()))).kind).toBe(
      'not_found',
    );
    expect((await failure(listPeople(deps, as(inSchool('hr')), query()))).kind).toBe('forbidden');
    expect((await failure(listPeople(deps, as(inSchool('teacher')), query({ kind: 'student' })))).kind).toBe(
      'forbidden',
    );
    expect((await listPeople(deps, as(inSchool('teacher')), query({ kind: 'staff' }))).people).toEqual([]);
  });

  it('when a page token is forged or of another school, then it is refused', async () => {
    const { deps } = inMemory();
    const error = await failure(listPeople(deps, as(director), query({ token: 'bm9wZQ' })));
    expect(error.code).toBe('page.token_invalid');
  });

  it('when contacts are updated at the current version, then they are normalised and updated is published; a stale version conflicts', async () => {
    const { deps, events } = inMemory();
    const person = await registerPerson(deps, as(director), form());

    const updated = await updatePersonContacts(deps, as(director), {
      id: person.id,
      expectedVersion: 1,
      contacts: { phone: '8 913 123 45 67', email: '' },
    });
    const stale = await failure(
      updatePersonContacts(deps, as(director), {
        id: person.id,
        expectedVersion: 1,
        contacts: updated.contacts,
      }),
    );

    expect(updated).toMatchObject({ version: 2, contacts: { phone: '+79131234567', email: '' } });
    expect(events.at(-1)).toEqual({ type: 'edu.roster.person.updated', person: updated });
    expect(stale).toMatchObject({ code: 'person.version_conflict', kind: 'conflict' });
  });

  describe('matching an ESIA account', () => {
    const identity: Actor = { accountId: 'service:identity', schoolRoles: [], grants: ['service:identity'] };
    const criteria = (overrides: Partial<MatchCriteria> = {}): MatchCriteria => ({
      snils: '',
      birthCertificate: { series: '', number: '' },
      birthDate: '',
      lastName: '',
      firstName: '',
      middleName: '',
      kind: '',
      ...overrides,
    });

    it('when identity asks by СНИЛС, then the person with it comes (any form of the number) and the read is access-logged', async () => {
      const { deps, accessLog } = inMemory();
      const maria = await registerPerson(deps, as(director), form());
      await registerPerson(deps, as(director), form({ snils: '123-456-789 64', firstName: 'Анна' }));

      const found = await matchPeople(deps, as(identity), criteria({ snils: '11223344595' }));

      expect(found.map((m) => [m.person.id, m.matchedBy])).toEqual([[maria.id, 'snils']]);
      expect(accessLog.filter((e) => e.purpose === 'person.match').map((e) => e.personId)).toEqual([
        maria.id,
      ]);
    });

    it('when the СНИЛС matches nobody, then the birth certificate and birth date decide, then the names and birth date (ё as е, any case)', async () => {
      const { deps } = inMemory();
      const anna = await registerPerson(
        deps,
        as(director),
        form({
          snils: '',
          firstName: 'Анна',
          birthDate: '2016-06-15',
          birthCertificate: { series: 'III-МЮ', number: '123456' },
        }),
      );
      const pyotr = await registerPerson(
        deps,
        as(director),
        form({ snils: '', lastName: 'Семёнов', firstName: 'Пётр', birthDate: '2014-09-03' }),
      );

      const byCertificate = await matchPeople(
        deps,
        as(identity),
        criteria({
          snils: '334-455-667 84',
          birthCertificate: { series: 'iii-мю', number: '123456' },
          birthDate: '2016-06-15',
        }),
      );
      const wrongSeries = await matchPeople(
        deps,
        as(identity),
        criteria({ birthCertificate: { series: 'I-МЮ', number: '123456' }, birthDate: '2016-06-15' }),
      );
      const byName = await matchPeople(
        deps,
        as(identity),
        criteria({
          lastName: 'СЕМЕНОВ',
          firstName: 'петр',
          middleName: 'Андреевич',
          birthDate: '2014-09-03',
        }),
      );
      const wrongKind = await matchPeople(
        deps,
        as(identity),
        criteria({ lastName: 'Семенов', firstName: 'Петр', birthDate: '2014-09-03', kind: 'guardian' }),
      );

      expect(byCertificate.map((m) => [m.person.id, m.matchedBy])).toEqual([[anna.id, 'birth_certificate']]);
      expect(wrongSeries).toEqual([]);
      expect(byName.map((m) => [m.person.id, m.matchedBy])).toEqual([[pyotr.id, 'name_birth_date']]);
      expect(wrongKind).toEqual([]);
    });

    it('when anyone but the identity service asks (even a region operator), then PERMISSION_DENIED and nothing is read', async () => {
      const { deps, denials, accessLog } = inMemory();
      await registerPerson(deps, as(director), form());
      const operator: Actor = { accountId: 'acc-op', schoolRoles: [], grants: ['regionOperator'] };

      for (const actor of [operator, director]) {
        const error = await failure(matchPeople(deps, as(actor), criteria({ snils: '11223344595' })));
        expect(error.kind).toBe('forbidden');
      }
      expect(denials).toEqual([
        { action: 'person.match', object: 'people' },
        { action: 'person.match', object: 'people' },
      ]);
      expect(accessLog).toEqual([]);
    });
  });

  it('when an archived person is changed, then it is a precondition failure; hr may not archive a student', async () => {
    const { deps } = inMemory();
    const person = await registerPerson(deps, as(director), form());

    const hrError = await failure(
      archivePerson(deps, as(inSchool('hr')), { id: person.id, expectedVersion: 1 }),
    );
    const archived = await archivePerson(deps, as(director), { id: person.id, expectedVersion: 1 });
    const again = await failure(archivePerson(deps, as(director), { id: person.id, expectedVersion: 2 }));

    expect(hrError.kind).toBe('forbidden');
    expect(archived).toMatchObject({ status: 'archived', version: 2 });
    expect(again).toMatchObject({ code: 'person.archived', kind: 'precondition' });
  });
});

function query(overrides: Partial<{ size: number; token: string; kind: string }> = {}) {
  return { schoolId: 'school-1', kind: '', includeArchived: false, size: 0, token: '', ...overrides };
}
