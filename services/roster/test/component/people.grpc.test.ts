import * as grpc from '@grpc/grpc-js';
import { grpcHealthStatus, grpcReflectedServices, uniqueName, waitFor } from '@edu/testing';
import {
  cardMessage,
  operator,
  recordEvents,
  refusal,
  staffOf,
  startRoster,
  type PublishedEvent,
  type RosterHarness,
} from './harness';

// People through roster's PeopleService against the real FerretDB and Kafka.

// Valid СНИЛС numbers (check numbers by the Pension Fund's rule).
const SNILS = ['112-233-445 95', '98765432183', '00132667900', '00150881600', '01799617400'];

/** A student of 2026 (born 2015) with every personal field filled, in the gRPC message's names. */
function student(schoolId: string, overrides: Record<string, unknown> = {}) {
  return {
    school_id: schoolId,
    kind: 'student',
    last_name: 'Иванова',
    first_name: 'Мария',
    middle_name: 'Петровна',
    birth_date: '2015-03-14',
    sex: 'female',
    snils: SNILS[0],
    contacts: { phone: '+7 913 123-45-67', email: 'ivanova@example.ru' },
    birth_certificate: { series: 'IV-БА', number: '123456' },
    ...overrides,
  };
}

function staffMember(schoolId: string, lastName: string, overrides: Record<string, unknown> = {}) {
  return {
    school_id: schoolId,
    kind: 'staff',
    last_name: lastName,
    first_name: 'Анна',
    middle_name: '',
    birth_date: '1985-06-01',
    sex: 'female',
    snils: '',
    contacts: { phone: '', email: '' },
    birth_certificate: { series: '', number: '' },
    ...overrides,
  };
}

/** Strings that must never leave roster outside the full card. */
const PERSONAL_VALUES = [
  '11223344595',
  '112-233-445',
  '2015-03-14',
  '+79131234567',
  '9131234567',
  'ivanova@example.ru',
  '123456',
  'IV-БА',
];

describe('roster: people over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let otherSchoolId: string;
  let events: Awaited<ReturnType<typeof recordEvents>>;
  let published: PublishedEvent[] = [];
  const people = () => roster.store.collection('people');
  const accessLog = () => roster.store.collection('access_log');
  const director = () => staffOf(schoolId, 'director');

  beforeAll(async () => {
    roster = await startRoster();
    const created = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    schoolId = created.school!.id;
    const other = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    otherSchoolId = other.school!.id;

    events = await recordEvents(roster, 'edu.roster.person.');
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await roster?.close();
  });

  it('when health and reflection are asked without an actor, then PeopleService is SERVING and listed', async () => {
    expect(await grpcHealthStatus(roster.address, 'edu.roster.v1.PeopleService')).toBe('SERVING');
    expect(await grpcReflectedServices(roster.address)).toEqual(
      expect.arrayContaining(['edu.roster.v1.RosterService', 'edu.roster.v1.PeopleService']),
    );
  });

  it('when the director registers a student (twice with one idempotency key), then one card is stored and registered is published without personal data', async () => {
    const metadata = await roster.as(director(), uniqueName('key'));

    const first = await roster.people.RegisterPerson(student(schoolId), metadata);
    const repeat = await roster.people.RegisterPerson(student(schoolId), metadata);

    expect(first.person).toMatchObject({
      school_id: schoolId,
      kind: 'student',
      snils: '11223344595',
      contacts: { phone: '+79131234567', email: 'ivanova@example.ru' },
      birth_certificate: { series: 'IV-БА', number: '123456' },
      status: 'active',
      version: '1',
    });
    expect(repeat.person).toEqual(first.person);
    const id = first.person!.id;
    expect(await people().countDocuments({ schoolId, snils: '11223344595' })).toBe(1);
    // The idempotency record keeps the id only, not the card.
    const keys = await roster.store.collection('idempotency_keys').find({}).toArray();
    for (const value of PERSONAL_VALUES) expect(JSON.stringify(keys)).not.toContain(value);

    await waitFor(() => published.some((e) => e.aggregateId === id), { timeoutMs: 15_000 });
    const events = published.filter((e) => e.aggregateId === id);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('edu.roster.person.registered');
    expect(events[0]!.payload).toEqual({
      person: {
        person_id: id,
        school_id: schoolId,
        kind: 'student',
        display_name: 'Иванова Мария Петровна',
        status: 'active',
      },
    });
    const raw = events[0]!.raw.toString('latin1') + events[0]!.raw.toString('utf8');
    for (const value of PERSONAL_VALUES) expect(raw).not.toContain(value);
  });

  it('when the director reads the card, then the full card comes and the read is access-logged with ids only; the person reading their own is not logged', async () => {
    const { person } = await roster.people.RegisterPerson(
      student(schoolId, { snils: SNILS[1], last_name: 'Смирнова' }),
      await roster.as(director()),
    );
    const id = person!.id;

    const read = await roster.people.GetPerson({ id }, await roster.as(director()));
    const own = await roster.people.GetPerson(
      { id },
      await roster.as({ accountId: 'acc-student', personId: id, schoolRoles: [], grants: [] }),
    );

    expect(read.person).toEqual(person);
    expect(own.person).toEqual(person);
    const entries = await accessLog().find({ personId: id }).toArray();
    expect(entries).toEqual([
      {
        _id: expect.any(String),
        accountId: director().accountId,
        actorPersonId: 'person-director',
        personId: id,
        schoolId,
        purpose: 'card.read',
        at: expect.any(Date),
        traceId: expect.any(String),
      },
    ]);
    const text = JSON.stringify(entries);
    for (const value of [...PERSONAL_VALUES, '98765432183', 'Смирнова', 'Мария'])
      expect(text).not.toContain(value);
  });

  it('when a teacher lists the school in pages of 2, then everyone comes once, in name order, as reduced cards', async () => {
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    const listed = school!.id;
    const manager = staffOf(listed, 'deputy');
    for (const lastName of ['Яковлева', 'Ёлкина', 'Абрамова', 'Егорова', 'Жукова']) {
      await roster.people.RegisterPerson(staffMember(listed, lastName), await roster.as(manager));
    }
    await roster.people.RegisterPerson(student(listed), await roster.as(manager));

    const seen: Record<string, unknown>[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = await roster.people.ListPeople(
        { school_id: listed, kind: 'staff', page_size: 2, page_token: token },
        await roster.as(staffOf(listed, 'teacher')),
      );
      seen.push(...(page.people as unknown as Record<string, unknown>[]));
      token = page.next_page_token;
      pages += 1;
      expect(Buffer.from(token, 'base64url').toString('utf8')).not.toMatch(/[а-яё]/i);
    } while (token);

    expect(pages).toBe(3);
    expect(seen.map((p) => p.last_name)).toEqual(['Абрамова', 'Егорова', 'Ёлкина', 'Жукова', 'Яковлева']);
    for (const card of seen) {
      expect(Object.keys(card).sort()).toEqual(
        ['first_name', 'id', 'kind', 'last_name', 'middle_name', 'school_id', 'status'].sort(),
      );
    }
    const all = await roster.people.ListPeople({ school_id: listed }, await roster.as(manager));
    expect(all.people.map((p) => p.kind).sort()).toEqual([
      'staff',
      'staff',
      'staff',
      'staff',
      'staff',
      'student',
    ]);
  });

  it('when a СНИЛС is registered again in the school (also at once), then ALREADY_EXISTS without personal data and one card; other schools and people without СНИЛС are unaffected', async () => {
    const snils = SNILS[2];
    const first = await roster.people.RegisterPerson(
      student(schoolId, { snils, last_name: 'Петрова' }),
      await roster.as(director()),
    );

    const error = await refusal(
      roster.people.RegisterPerson(
        student(schoolId, { snils: '001-326-679 00', last_name: 'Другая' }),
        await roster.as(director()),
      ),
    );
    const racing = await Promise.allSettled([
      roster.people.RegisterPerson(student(schoolId, { snils: SNILS[3] }), await roster.as(director())),
      roster.people.RegisterPerson(student(schoolId, { snils: SNILS[3] }), await roster.as(director())),
    ]);

    expect(error.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(error.domainError).toMatchObject({
      code: 'person.snils_taken',
      detail: 'СНИЛС уже зарегистрирован в этой школе',
    });
    expect(JSON.stringify(error.domainError)).not.toMatch(/\d{3}/);
    expect(await people().countDocuments({ schoolId, snils: '00132667900' })).toBe(1);
    expect(racing.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await people().countDocuments({ schoolId, snils: '00150881600' })).toBe(1);
    // The same СНИЛС in another school, and any number of people without one, are fine.
    await roster.people.RegisterPerson(
      student(otherSchoolId, { snils }),
      await roster.as(staffOf(otherSchoolId, 'director')),
    );
    for (const lastName of ['Безснилсова', 'Безснилсов']) {
      await roster.people.RegisterPerson(
        staffMember(schoolId, lastName),
        await roster.as(staffOf(schoolId, 'hr')),
      );
    }
    expect(first.person!.snils).toBe('00132667900');
  });

  it('when the form has several wrong fields, then INVALID_ARGUMENT names each and nothing is stored', async () => {
    const before = await people().countDocuments({});

    const error = await refusal(
      roster.people.RegisterPerson(
        student(schoolId, {
          last_name: 'Ivanova',
          birth_date: '2024-01-01',
          sex: '',
          snils: '112-233-445 96',
          contacts: { phone: '123', email: 'nope' },
        }),
        await roster.as(director()),
      ),
    );

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.domainError?.code).toBe('person.invalid');
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual([
      'lastName',
      'birthDate',
      'sex',
      'snils',
      'contacts.phone',
      'contacts.email',
    ]);
    expect(await people().countDocuments({})).toBe(before);
  });

  it('when contacts are updated at the current version, then they change and updated is published; a stale version is refused with person.version_conflict', async () => {
    const { person } = await roster.people.RegisterPerson(
      staffMember(schoolId, 'Кузнецова'),
      await roster.as(staffOf(schoolId, 'hr')),
    );
    const id = person!.id;

    const updated = await roster.people.UpdatePersonContacts(
      { id, expected_version: '1', contacts: { phone: '8 (913) 765-43-21', email: 'k@example.ru' } },
      await roster.as(staffOf(schoolId, 'hr')),
    );
    const stale = await refusal(
      roster.people.UpdatePersonContacts(
        { id, expected_version: '1', contacts: { phone: '', email: '' } },
        await roster.as(director()),
      ),
    );

    expect(updated).toEqual({ id, version: '2', contacts: { phone: '+79137654321', email: 'k@example.ru' } });
    // The kit maps a conflict (domain kind `conflict`) to ALREADY_EXISTS, HTTP 409.
    expect(stale.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(stale.domainError?.code).toBe('person.version_conflict');
    const stored = await people().findOne({ _id: id as never });
    expect(stored).toMatchObject({ version: 2, contacts: { phone: '+79137654321', email: 'k@example.ru' } });
    await waitFor(
      () => published.some((e) => e.aggregateId === id && e.type === 'edu.roster.person.updated'),
      {
        timeoutMs: 15_000,
      },
    );
    const raw = published.find((e) => e.type === 'edu.roster.person.updated' && e.aggregateId === id)!.raw;
    expect(raw.toString('utf8')).not.toContain('79137654321');
    expect(raw.toString('utf8')).not.toContain('k@example.ru');
  });

  it('when the director archives a person, then the card is archived (not deleted), leaves the list, and can no longer change', async () => {
    const { person } = await roster.people.RegisterPerson(
      student(schoolId, { snils: SNILS[4], last_name: 'Архивная' }),
      await roster.as(director()),
    );
    const id = person!.id;

    const archived = await roster.people.ArchivePerson(
      { id, expected_version: '1' },
      await roster.as(director()),
    );
    const again = await refusal(
      roster.people.ArchivePerson({ id, expected_version: '2' }, await roster.as(director())),
    );

    expect(archived).toEqual({ id, version: '2', status: 'archived' });
    expect(again.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(await people().countDocuments({ _id: id as never })).toBe(1);
    const active = await roster.people.ListPeople(
      { school_id: schoolId, page_size: 200 },
      await roster.as(director()),
    );
    expect(active.people.map((p) => p.id)).not.toContain(id);
    const withArchived = await roster.people.ListPeople(
      { school_id: schoolId, page_size: 200, include_archived: true },
      await roster.as(director()),
    );
    expect(withArchived.people.find((p) => p.id === id)?.status).toBe('archived');
    await waitFor(
      () => published.some((e) => e.aggregateId === id && e.type === 'edu.roster.person.updated'),
      { timeoutMs: 15_000 },
    );
    const event = published.find((e) => e.aggregateId === id && e.type === 'edu.roster.person.updated')!;
    expect(event.payload).toMatchObject({ person: { person_id: id, status: 'archived' } });
  });

  it('when a role may not do it, then every RPC refuses: commands PERMISSION_DENIED, reads NOT_FOUND, nothing changes', async () => {
    const { person: pupil } = await roster.people.RegisterPerson(
      student(schoolId, { snils: '', last_name: 'Закрытая' }),
      await roster.as(director()),
    );
    const { person: worker } = await roster.people.RegisterPerson(
      staffMember(schoolId, 'Отказова'),
      await roster.as(director()),
    );
    const teacher = staffOf(schoolId, 'teacher');
    const hr = staffOf(schoolId, 'hr');
    const foreignDirector = staffOf(otherSchoolId, 'director');
    const logged = await accessLog().countDocuments({});
    const count = await people().countDocuments({});

    const denied = [
      // a teacher registering anyone
      refusal(roster.people.RegisterPerson(staffMember(schoolId, 'Новая'), await roster.as(teacher))),
      // hr registering a student
      refusal(roster.people.RegisterPerson(student(schoolId, { snils: '' }), await roster.as(hr))),
      // a teacher changing contacts
      refusal(
        roster.people.UpdatePersonContacts(
          { id: worker!.id, expected_version: '1', contacts: { phone: '', email: '' } },
          await roster.as(teacher),
        ),
      ),
      // hr archiving a student
      refusal(roster.people.ArchivePerson({ id: pupil!.id, expected_version: '1' }, await roster.as(hr))),
      // another school's director archiving
      refusal(
        roster.people.ArchivePerson(
          { id: worker!.id, expected_version: '1' },
          await roster.as(foreignDirector),
        ),
      ),
      // hr listing everyone
      refusal(roster.people.ListPeople({ school_id: schoolId }, await roster.as(hr))),
      // a teacher listing the students (their classes' lists are ListClassStudents)
      refusal(roster.people.ListPeople({ school_id: schoolId, kind: 'student' }, await roster.as(teacher))),
    ];
    for (const error of await Promise.all(denied)) {
      expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(error.domainError?.code).toBe('access.denied');
    }
    const hidden = [
      // another school's director, a teacher and hr reading a student's full card
      refusal(roster.people.GetPerson({ id: pupil!.id }, await roster.as(foreignDirector))),
      refusal(roster.people.GetPerson({ id: pupil!.id }, await roster.as(teacher))),
      refusal(roster.people.GetPerson({ id: pupil!.id }, await roster.as(hr))),
      // another school's director listing this school
      refusal(roster.people.ListPeople({ school_id: schoolId }, await roster.as(foreignDirector))),
    ];
    for (const error of await Promise.all(hidden)) expect(error.code).toBe(grpc.status.NOT_FOUND);
    const noActor = await refusal(roster.people.GetPerson({ id: pupil!.id }, {}));
    expect(noActor.code).toBe(grpc.status.UNAUTHENTICATED);

    expect(await people().countDocuments({})).toBe(count);
    expect(
      await people().countDocuments({ _id: { $in: [pupil!.id, worker!.id] } as never, version: 1 }),
    ).toBe(2);
    expect(await accessLog().countDocuments({})).toBe(logged);
  });
});
