import * as grpc from '@grpc/grpc-js';
import type { Actor } from '@edu/grpc';
import { grpcHealthStatus, grpcReflectedServices, uniqueName, waitFor } from '@edu/testing';
import {
  cardMessage,
  operator,
  planMessage,
  recordEvents,
  refusal,
  staffOf,
  startRoster,
  type PublishedEvent,
  type RosterHarness,
} from './harness';

// Guardianship and consents through roster's GuardianshipService against the real FerretDB and
// Kafka, with real people, classes with class teachers and enrolments.

const DOCUMENT = 'Заявление Петровой А. И. № 15 от 01.09.2026';

describe('roster: guardianship and consents over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let otherSchoolId: string;
  let classA: string;
  let events: Awaited<ReturnType<typeof recordEvents>>;
  /** Class teachers of 5А and 5Б (staff of the school with a teacher role). */
  let teacherA: Actor;
  let teacherB: Actor;
  let published: PublishedEvent[] = [];
  const links = () => roster.store.collection('guardianships');
  const director = () => roster.as(staffOf(schoolId, 'director'));
  const order = { number: '1-у', date: '2026-08-28', title: 'О зачислении обучающихся' };

  const register = async (
    school: string,
    kind: string,
    lastName: string,
    extra: Record<string, unknown> = {},
  ) =>
    (
      await roster.people.RegisterPerson(
        {
          school_id: school,
          kind,
          last_name: lastName,
          first_name: 'Анна',
          middle_name: 'Ивановна',
          birth_date: kind === 'student' ? '2015-03-01' : '1985-03-01',
          sex: 'female',
          ...extra,
        },
        await roster.as(staffOf(school, 'director')),
      )
    ).person!;

  /** A student of the class (registered and enrolled). */
  const studentIn = async (classId: string, lastName: string) => {
    const student = await register(schoolId, 'student', lastName, {
      contacts: { phone: '+7 913 000-11-22', email: 'child@example.ru' },
    });
    await roster.client.EnrolStudent(
      { student_id: student.id, class_id: classId, effective_on: '2026-09-01', order },
      await director(),
    );
    return student;
  };

  const guardianActor = (personId: string, school: string): Actor => ({
    accountId: `acc-guardian-${personId.slice(0, 8)}`,
    personId,
    schoolRoles: [{ schoolId: school, role: 'guardian' }],
    grants: [],
  });

  beforeAll(async () => {
    roster = await startRoster();
    schoolId = (await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator)))
      .school!.id;
    otherSchoolId = (await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator)))
      .school!.id;
    const yearId = (await roster.client.OpenAcademicYear(planMessage(schoolId), await director()))
      .academic_year!.id;
    const withTeacher = async (letter: string, teacherName: string) => {
      const teacher = await register(schoolId, 'staff', teacherName);
      const opened = (
        await roster.client.OpenClass(
          { academic_year_id: yearId, grade: 5, letter, capacity: 0 },
          await director(),
        )
      ).school_class!;
      await roster.client.ChangeClass(
        { id: opened.id, expected_version: opened.version, class_teacher_id: teacher.id },
        await director(),
      );
      const actor: Actor = {
        accountId: `acc-class-teacher-${letter}`,
        personId: teacher.id,
        schoolRoles: [{ schoolId, role: 'teacher' }],
        grants: [],
      };
      return { classId: opened.id, actor };
    };
    const a = await withTeacher('А', 'Учителева');
    const b = await withTeacher('Б', 'Наставникова');
    classA = a.classId;
    teacherA = a.actor;
    teacherB = b.actor;

    events = await recordEvents(roster, /^edu\.roster\.(guardian|consent)\./);
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await roster?.close();
  });

  it('when health and reflection are asked without an actor, then GuardianshipService is SERVING and listed', async () => {
    expect(await grpcHealthStatus(roster.address, 'edu.roster.v1.GuardianshipService')).toBe('SERVING');
    expect(await grpcReflectedServices(roster.address)).toEqual(
      expect.arrayContaining(['edu.roster.v1.GuardianshipService', 'edu.roster.v1.PeopleService']),
    );
  });

  it('when the class teacher links the mother and records her consent (repeated with one key), then one link is stored and linked and recorded are published without personal data', async () => {
    const student = await studentIn(classA, 'Петрова');
    const mother = await register(schoolId, 'guardian', 'Петрова', {
      snils: '112-233-445 95',
      contacts: { phone: '+7 913 123-45-67', email: 'mother@example.ru' },
    });
    const key = uniqueName('link');

    const linked = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await roster.as(teacherA, key),
    );
    const repeat = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await roster.as(teacherA, key),
    );
    const id = linked.guardianship!.id;
    const consented = await roster.guardianship.RecordConsent(
      { guardianship_id: id, expected_version: '1', given_on: '2026-09-01', document: DOCUMENT },
      await roster.as(teacherA),
    );

    expect(linked.guardianship).toMatchObject({
      school_id: schoolId,
      guardian_id: mother.id,
      student_id: student.id,
      kind: 'mother',
      status: 'active',
      consent_active: false,
      consents: [],
      linked_by: teacherA.accountId,
      version: '1',
    });
    expect(repeat.guardianship).toEqual(linked.guardianship);
    expect(consented.guardianship).toMatchObject({
      consent_active: true,
      version: '2',
      consents: [
        { given_on: '2026-09-01', document: DOCUMENT, recorded_by: teacherA.accountId, revoked_on: '' },
      ],
    });
    expect(await links().countDocuments({ studentId: student.id })).toBe(1);

    await waitFor(() => published.filter((e) => e.aggregateId === id).length >= 2, { timeoutMs: 15_000 });
    const events = published.filter((e) => e.aggregateId === id);
    const state = (consentActive: boolean) => ({
      guardianship: {
        guardianship_id: id,
        school_id: schoolId,
        guardian_id: mother.id,
        student_id: student.id,
        kind: 'mother',
        status: 'active',
        consent_active: consentActive,
      },
    });
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      ['edu.roster.guardian.linked', state(false)],
      ['edu.roster.consent.recorded', state(true)],
    ]);
    for (const event of events) {
      const raw = event.raw.toString('latin1') + event.raw.toString('utf8');
      for (const value of [
        'Петрова',
        'Анна',
        'Ивановна',
        '11223344595',
        '+79131234567',
        'mother@example.ru',
        '1985-03-01',
        'Заявление',
        '№ 15',
      ]) {
        expect(raw).not.toContain(value);
      }
    }
    // The idempotency store keeps the link id only.
    const keys = JSON.stringify(await roster.store.collection('idempotency_keys').find({}).toArray());
    expect(keys).not.toContain('Заявление');
  });

  it('when the same guardian is linked to the student again, then ALREADY_EXISTS and one active link stays', async () => {
    const student = await studentIn(classA, 'Сидорова');
    const mother = await register(schoolId, 'guardian', 'Сидорова');
    await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await director(),
    );

    const twice = await refusal(
      roster.guardianship.LinkGuardian(
        { student_id: student.id, guardian_id: mother.id, kind: 'legal_representative' },
        await director(),
      ),
    );

    expect(twice.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(twice.domainError?.code).toBe('guardianship.already_linked');
    expect(await links().countDocuments({ studentId: student.id, status: 'active' })).toBe(1);
  });

  it('when the class teacher of another class (or a plain teacher) links or records a consent, then PERMISSION_DENIED and nothing is stored', async () => {
    const student = await studentIn(classA, 'Кузнецова');
    const mother = await register(schoolId, 'guardian', 'Кузнецова');

    const linkByB = await refusal(
      roster.guardianship.LinkGuardian(
        { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
        await roster.as(teacherB),
      ),
    );
    const { guardianship } = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await director(),
    );
    const consentByB = await refusal(
      roster.guardianship.RecordConsent(
        {
          guardianship_id: guardianship!.id,
          expected_version: '1',
          given_on: '2026-09-01',
          document: DOCUMENT,
        },
        await roster.as(teacherB),
      ),
    );
    const consentByTeacher = await refusal(
      roster.guardianship.RecordConsent(
        {
          guardianship_id: guardianship!.id,
          expected_version: '1',
          given_on: '2026-09-01',
          document: DOCUMENT,
        },
        await roster.as(staffOf(schoolId, 'teacher')),
      ),
    );
    const listByB = await refusal(
      roster.guardianship.ListGuardians({ student_id: student.id }, await roster.as(teacherB)),
    );

    for (const error of [linkByB, consentByB, consentByTeacher]) {
      expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(error.domainError?.code).toBe('access.denied');
    }
    expect(listByB.code).toBe(grpc.status.NOT_FOUND);
    const stored = await links().find({ studentId: student.id }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ version: 1, consents: [] });
  });

  it('when one link is read, then the director, the class teacher and its guardian get it with its consents; a plain teacher, another class’s teacher, another guardian or school get NOT_FOUND', async () => {
    const student = await studentIn(classA, 'Читаемова');
    const mother = await register(schoolId, 'guardian', 'Читаемова');
    const stranger = await register(schoolId, 'guardian', 'Посторонняя');
    const { guardianship } = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await director(),
    );
    const { guardianship: consented } = await roster.guardianship.RecordConsent(
      {
        guardianship_id: guardianship!.id,
        expected_version: '1',
        given_on: '2026-09-01',
        document: DOCUMENT,
      },
      await director(),
    );
    const read = (metadata: { actorToken: string }, id = guardianship!.id) =>
      roster.guardianship.GetGuardianship({ guardianship_id: id }, metadata);

    const answers = [
      await read(await director()),
      await read(await roster.as(teacherA)),
      await read(await roster.as(guardianActor(mother.id, schoolId))),
    ];
    const hidden = [
      await refusal(read(await roster.as(staffOf(schoolId, 'teacher')))),
      await refusal(read(await roster.as(teacherB))),
      await refusal(read(await roster.as(guardianActor(stranger.id, schoolId)))),
      await refusal(read(await roster.as(staffOf(otherSchoolId, 'director')))),
      await refusal(read(await director(), 'no-such-link')),
    ];

    for (const answer of answers) expect(answer.guardianship).toEqual(consented);
    expect(consented).toMatchObject({
      consent_active: true,
      version: '2',
      consents: [{ given_on: '2026-09-01', document: DOCUMENT }],
    });
    expect(hidden.map((e) => [e.code, e.domainError?.code])).toEqual(
      Array(5).fill([grpc.status.NOT_FOUND, 'guardianship.not_found']),
    );
  });

  it('when a guardian of another school asks for the child’s card, then NOT_FOUND before the consent, the full card (access-logged) after it, and NOT_FOUND again after revocation', async () => {
    const student = await studentIn(classA, 'Смирнова');
    const father = await register(otherSchoolId, 'guardian', 'Смирнов', { sex: 'male', first_name: 'Пётр' });
    const asFather = () => roster.as(guardianActor(father.id, otherSchoolId));
    const { guardianship } = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: father.id, kind: 'father' },
      await roster.as(teacherA),
    );
    const id = guardianship!.id;

    const before = await refusal(roster.people.GetPerson({ id: student.id }, await asFather()));
    await roster.guardianship.RecordConsent(
      { guardianship_id: id, expected_version: '1', given_on: '2026-09-02', document: DOCUMENT },
      await director(),
    );
    const after = await roster.people.GetPerson({ id: student.id }, await asFather());
    const children = await roster.guardianship.ListChildren({ guardian_id: father.id }, await asFather());
    const ownLinks = await roster.guardianship.ListGuardians({ student_id: student.id }, await asFather());
    await roster.guardianship.RevokeConsent(
      {
        guardianship_id: id,
        expected_version: '2',
        revoked_on: '2026-10-01',
        reason: 'Заявление об отзыве № 20',
      },
      await director(),
    );
    const revoked = await refusal(roster.people.GetPerson({ id: student.id }, await asFather()));
    const otherGuardian = await refusal(
      roster.guardianship.ListChildren(
        { guardian_id: father.id },
        await roster.as(guardianActor('someone-else', otherSchoolId)),
      ),
    );

    expect(before.code).toBe(grpc.status.NOT_FOUND);
    expect(after.person).toMatchObject({
      id: student.id,
      last_name: 'Смирнова',
      contacts: { phone: '+79130001122' },
    });
    expect(children.children).toEqual([
      {
        guardianship: expect.objectContaining({ id, consent_active: true }),
        student: {
          id: student.id,
          school_id: schoolId,
          last_name: 'Смирнова',
          first_name: 'Анна',
          middle_name: 'Ивановна',
        },
      },
    ]);
    expect(ownLinks.guardians.map((g) => g.guardianship!.id)).toEqual([id]);
    expect(ownLinks.guardians[0]!.guardian).toMatchObject({ id: father.id, last_name: 'Смирнов' });
    expect(revoked.code).toBe(grpc.status.NOT_FOUND);
    expect(otherGuardian.code).toBe(grpc.status.NOT_FOUND);
    const log = await roster.store.collection('access_log').find({ personId: student.id }).toArray();
    expect(log.map((e) => [e.accountId, e.actorPersonId, e.schoolId, e.purpose])).toEqual([
      [`acc-guardian-${father.id.slice(0, 8)}`, father.id, schoolId, 'card.read'],
    ]);
  });

  it('when a consent is revoked, then the history keeps it, revoking again is refused, a new consent follows it, and a stale version is a conflict', async () => {
    const student = await studentIn(classA, 'Волкова');
    const mother = await register(schoolId, 'guardian', 'Волкова');
    const { guardianship } = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'legal_representative' },
      await director(),
    );
    const id = guardianship!.id;
    await roster.guardianship.RecordConsent(
      { guardianship_id: id, expected_version: '1', given_on: '2026-09-01', document: DOCUMENT },
      await director(),
    );

    const stale = await refusal(
      roster.guardianship.RevokeConsent(
        { guardianship_id: id, expected_version: '1', revoked_on: '2026-10-01', reason: 'Отзыв' },
        await director(),
      ),
    );
    await roster.guardianship.RevokeConsent(
      {
        guardianship_id: id,
        expected_version: '2',
        revoked_on: '2026-10-01',
        reason: 'Заявление об отзыве № 20',
      },
      await roster.as(teacherA),
    );
    const twice = await refusal(
      roster.guardianship.RevokeConsent(
        { guardianship_id: id, expected_version: '3', revoked_on: '2026-10-02', reason: 'Ещё раз' },
        await director(),
      ),
    );
    await roster.guardianship.RecordConsent(
      {
        guardianship_id: id,
        expected_version: '3',
        given_on: '2026-10-05',
        document: 'Заявление № 31 от 05.10.2026',
      },
      await director(),
    );
    const { guardians } = await roster.guardianship.ListGuardians(
      { student_id: student.id },
      await director(),
    );

    expect(stale.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(stale.domainError?.code).toBe('guardianship.version_conflict');
    expect(twice.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(twice.domainError?.code).toBe('guardianship.consent_not_active');
    expect(guardians).toHaveLength(1);
    expect(guardians[0]!.guardian).toMatchObject({ id: mother.id, last_name: 'Волкова' });
    expect(guardians[0]!.guardian).not.toHaveProperty('contacts');
    expect(guardians[0]!.guardianship).toMatchObject({
      version: '4',
      consent_active: true,
      kind: 'legal_representative',
    });
    expect(
      guardians[0]!.guardianship!.consents.map((c) => [
        c.given_on,
        c.revoked_on,
        c.revocation_reason,
        c.revoked_by,
      ]),
    ).toEqual([
      ['2026-09-01', '2026-10-01', 'Заявление об отзыве № 20', teacherA.accountId],
      ['2026-10-05', '', '', ''],
    ]);

    await waitFor(() => published.filter((e) => e.aggregateId === id).length >= 4, { timeoutMs: 15_000 });
    expect(
      published
        .filter((e) => e.aggregateId === id)
        .map((e) => [
          e.type,
          (e.payload as { guardianship: { consent_active: boolean } }).guardianship.consent_active,
        ]),
    ).toEqual([
      ['edu.roster.guardian.linked', false],
      ['edu.roster.consent.recorded', true],
      ['edu.roster.consent.revoked', false],
      ['edu.roster.consent.recorded', true],
    ]);
  });

  it('when a link is ended, then it is kept with its history, the children list drops it, and unlinked is published with no consent', async () => {
    const student = await studentIn(classA, 'Орлова');
    const mother = await register(schoolId, 'guardian', 'Орлова');
    const { guardianship } = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await director(),
    );
    const id = guardianship!.id;
    await roster.guardianship.RecordConsent(
      { guardianship_id: id, expected_version: '1', given_on: '2026-09-01', document: DOCUMENT },
      await director(),
    );

    const ended = await roster.guardianship.UnlinkGuardian(
      { guardianship_id: id, expected_version: '2', ended_on: '2026-11-01', reason: 'Решение суда' },
      await roster.as(teacherA),
    );
    const children = await roster.guardianship.ListChildren({ guardian_id: mother.id }, await director());
    const asMother = await refusal(
      roster.people.GetPerson({ id: student.id }, await roster.as(guardianActor(mother.id, schoolId))),
    );

    expect(ended.guardianship).toMatchObject({
      status: 'ended',
      ended_on: '2026-11-01',
      end_reason: 'Решение суда',
      ended_by: teacherA.accountId,
      consent_active: false,
      consents: [expect.objectContaining({ given_on: '2026-09-01', revoked_on: '' })],
    });
    expect(children.children).toEqual([]);
    expect(asMother.code).toBe(grpc.status.NOT_FOUND);
    expect(await links().countDocuments({ _id: id as never })).toBe(1);
    await waitFor(
      () => published.some((e) => e.aggregateId === id && e.type === 'edu.roster.guardian.unlinked'),
      {
        timeoutMs: 15_000,
      },
    );
    expect(
      published.find((e) => e.aggregateId === id && e.type === 'edu.roster.guardian.unlinked')!.payload,
    ).toMatchObject({
      guardianship: { status: 'ended', consent_active: false },
    });
  });

  it('when the kind, the dates or the document are wrong, then INVALID_ARGUMENT names every field and nothing is stored', async () => {
    const student = await studentIn(classA, 'Новикова');
    const mother = await register(schoolId, 'guardian', 'Новикова');

    const badLink = await refusal(
      roster.guardianship.LinkGuardian(
        { student_id: student.id, guardian_id: mother.id, kind: 'grandmother' },
        await director(),
      ),
    );
    const { guardianship } = await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await director(),
    );
    const future = await refusal(
      roster.guardianship.RecordConsent(
        { guardianship_id: guardianship!.id, expected_version: '1', given_on: '2999-01-01', document: ' ' },
        await director(),
      ),
    );
    const badUnlink = await refusal(
      roster.guardianship.UnlinkGuardian(
        { guardianship_id: guardianship!.id, expected_version: '0', ended_on: '31.12.2026', reason: '' },
        await director(),
      ),
    );

    for (const error of [badLink, future, badUnlink]) {
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.domainError?.code).toBe('guardianship.invalid');
    }
    expect(badLink.domainError?.errors?.map((e) => e.field)).toEqual(['kind']);
    expect(future.domainError?.errors?.map((e) => e.field)).toEqual(['givenOn', 'document']);
    expect(future.domainError?.errors?.[0]?.message).toMatch(/не может быть позже сегодняшнего дня/);
    expect(badUnlink.domainError?.errors?.map((e) => e.field)).toEqual([
      'endedOn',
      'reason',
      'expectedVersion',
    ]);
    const stored = await links().find({ studentId: student.id }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'mother', status: 'active', version: 1, consents: [] });
  });
  it("when the class teacher reads and updates the contacts of a student of their class and of the student's mother, then both work and the reads are access-logged; another class's teacher is refused", async () => {
    const student = await studentIn(classA, 'Контактова');
    const mother = await register(schoolId, 'guardian', 'Контактова');
    await roster.guardianship.LinkGuardian(
      { student_id: student.id, guardian_id: mother.id, kind: 'mother' },
      await director(),
    );

    const card = (await roster.people.GetPerson({ id: student.id }, await roster.as(teacherA))).person!;
    const motherCard = (await roster.people.GetPerson({ id: mother.id }, await roster.as(teacherA))).person!;
    const changed = await roster.people.UpdatePersonContacts(
      {
        id: mother.id,
        expected_version: motherCard.version,
        contacts: { phone: '+7 913 555-44-33', email: 'mama@example.ru' },
      },
      await roster.as(teacherA),
    );
    const hidden = await refusal(roster.people.GetPerson({ id: student.id }, await roster.as(teacherB)));
    const refused = await refusal(
      roster.people.UpdatePersonContacts(
        { id: student.id, expected_version: card.version, contacts: { phone: '', email: '' } },
        await roster.as(teacherB),
      ),
    );
    const archive = await refusal(
      roster.people.ArchivePerson(
        { id: student.id, expected_version: card.version },
        await roster.as(teacherA),
      ),
    );

    expect(card).toMatchObject({
      id: student.id,
      birth_date: '2015-03-01',
      contacts: { email: 'child@example.ru' },
    });
    expect(changed.contacts).toEqual({ phone: '+79135554433', email: 'mama@example.ru' });
    expect(hidden.code).toBe(grpc.status.NOT_FOUND);
    expect(refused.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(archive.code).toBe(grpc.status.PERMISSION_DENIED);
    const logged = await roster.store
      .collection('access_log')
      .find({ actorPersonId: teacherA.personId, personId: { $in: [student.id, mother.id] } })
      .toArray();
    expect(logged.map((e) => e.personId).sort()).toEqual([student.id, mother.id].sort());
    const stored = await roster.store.collection('people').findOne({ _id: student.id as never });
    expect(stored).toMatchObject({ version: 1, status: 'active' });
  });
  it('when the class teacher reads the class list, then each student says whether a guardian’s consent is recorded; the list keeps no consent for other readers', async () => {
    const withConsent = await studentIn(classA, 'Согласова');
    const mother = await register(schoolId, 'guardian', 'Согласова');
    const { guardianship } = await roster.guardianship.LinkGuardian(
      { student_id: withConsent.id, guardian_id: mother.id, kind: 'mother' },
      await director(),
    );
    await roster.guardianship.RecordConsent(
      {
        guardianship_id: guardianship!.id,
        expected_version: '1',
        given_on: '2026-09-01',
        document: DOCUMENT,
      },
      await director(),
    );
    const without = await studentIn(classA, 'Безсогласова');

    const byClassTeacher = await roster.client.ListClassStudents(
      { class_id: classA },
      await roster.as(teacherA),
    );
    const byDirector = await roster.client.ListClassStudents({ class_id: classA }, await director());

    const consentOf = (list: typeof byClassTeacher, id: string) =>
      list.students.find((s) => s.student_id === id)?.consent;
    expect(consentOf(byClassTeacher, withConsent.id)).toBe('recorded');
    expect(consentOf(byClassTeacher, without.id)).toBe('missing');
    expect(byDirector.students).toEqual(byClassTeacher.students);
    expect(byClassTeacher.students.every((s) => s.consent === 'recorded' || s.consent === 'missing')).toBe(
      true,
    );
  });
});
