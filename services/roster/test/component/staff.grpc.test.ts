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

// Staff positions through roster's StaffService against the real FerretDB and Kafka.

describe('roster: staff positions over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let events: Awaited<ReturnType<typeof recordEvents>>;
  let published: PublishedEvent[] = [];
  const positions = () => roster.store.collection('staff_positions');
  const director = () => roster.as(staffOf(schoolId, 'director'));
  const hr = () => roster.as(staffOf(schoolId, 'hr'));
  const teacher = () => roster.as(staffOf(schoolId, 'teacher'));
  const order = (number: string, title = 'О приёме на работу') => ({ number, date: '2026-08-25', title });
  const register = async (lastName: string, kind = 'staff') =>
    (
      await roster.people.RegisterPerson(
        {
          school_id: schoolId,
          kind,
          last_name: lastName,
          first_name: 'Анна',
          middle_name: 'Петровна',
          birth_date: kind === 'staff' ? '1985-06-01' : '2015-03-01',
          sex: 'female',
        },
        await director(),
      )
    ).person!;
  const hire = async (personId: string, fields: Record<string, unknown> = {}, metadata?: object) =>
    roster.staff.HireStaff(
      {
        school_id: schoolId,
        person_id: personId,
        kind: 'teacher',
        title: '',
        rate: 1,
        hired_on: '2026-09-01',
        order: order('10-к'),
        ...fields,
      },
      metadata ?? (await hr()),
    );

  beforeAll(async () => {
    roster = await startRoster();
    const created = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    schoolId = created.school!.id;

    events = await recordEvents(roster, 'edu.roster.staff.');
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await roster?.close();
  });

  it('when health and reflection are asked without an actor, then StaffService is SERVING and listed', async () => {
    expect(await grpcHealthStatus(roster.address, 'edu.roster.v1.StaffService')).toBe('SERVING');
    expect(await grpcReflectedServices(roster.address)).toEqual(
      expect.arrayContaining(['edu.roster.v1.RosterService', 'edu.roster.v1.StaffService']),
    );
  });

  it('when HR hires a deputy (twice with one idempotency key), then one position is stored and hired is published without personal data', async () => {
    const person = await register('Заместителева');
    const metadata = await roster.as(staffOf(schoolId, 'hr'), uniqueName('key'));
    const fields = {
      kind: 'deputy',
      title: 'Заместитель директора по УВР',
      rate: 1.25,
      order: order('11-к'),
    };

    const first = await hire(person.id, fields, metadata);
    const repeat = await hire(person.id, fields, metadata);

    expect(first.position).toMatchObject({
      school_id: schoolId,
      person_id: person.id,
      kind: 'deputy',
      title: 'Заместитель директора по УВР',
      rate: 1.25,
      hired_on: '2026-09-01',
      hire_order: order('11-к'),
      status: 'active',
      dismissed_on: '',
      version: '1',
    });
    expect(first.position!.history).toEqual([
      expect.objectContaining({
        kind: 'hired',
        effective_on: '2026-09-01',
        title: 'Заместитель директора по УВР',
      }),
    ]);
    expect(repeat.position).toEqual(first.position);
    const id = first.position!.id;
    expect(await positions().countDocuments({ personId: person.id })).toBe(1);

    await waitFor(() => published.some((e) => e.aggregateId === id), { timeoutMs: 15_000 });
    const events = published.filter((e) => e.aggregateId === id);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('edu.roster.staff.hired');
    expect(events[0]!.payload).toEqual({
      position: {
        position_id: id,
        school_id: schoolId,
        person_id: person.id,
        kind: 'deputy',
        title: 'Заместитель директора по УВР',
        status: 'active',
      },
      effective_on: '2026-09-01',
      order: order('11-к'),
    });
    const raw = events[0]!.raw.toString('utf8');
    for (const value of ['Заместителева', 'Анна', 'Петровна', '1985-06-01']) expect(raw).not.toContain(value);
  });

  it('when a second director is hired, then 409 staff.director_taken and the school keeps one', async () => {
    const first = await register('Директорова');
    const second = await register('Вторая');
    await hire(first.id, { kind: 'director' });

    const error = await refusal(hire(second.id, { kind: 'director', order: order('12-к') }));

    expect(error.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(error.domainError?.code).toBe('staff.director_taken');
    expect(await positions().countDocuments({ schoolId, kind: 'director' })).toBe(1);
  });

  it('when two directors of a new school are hired at the same moment, then one wins and the other is 409 staff.director_taken (unique index)', async () => {
    const other = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    const otherId = other.school!.id;
    const otherDirector = await roster.as(staffOf(otherId, 'director'));
    const register = async (lastName: string) =>
      (
        await roster.people.RegisterPerson(
          {
            school_id: otherId,
            kind: 'staff',
            last_name: lastName,
            first_name: 'Олег',
            birth_date: '1980-01-01',
            sex: 'male',
          },
          otherDirector,
        )
      ).person!;
    const candidates = [await register('Первый'), await register('Второй')];

    const results = await Promise.allSettled(
      candidates.map((person) =>
        roster.staff.HireStaff(
          {
            school_id: otherId,
            person_id: person.id,
            kind: 'director',
            rate: 1,
            hired_on: '2026-09-01',
            order: order('1-к'),
          },
          otherDirector,
        ),
      ),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.domainError?.code).toBe('staff.director_taken');
    expect(await positions().countDocuments({ schoolId: otherId, kind: 'director' })).toBe(1);
  });

  it('when a person is hired to a post they hold, then 409 staff.position_held; a student is 422 staff.not_staff', async () => {
    const person = await register('Математикова');
    const student = await register('Ученикова', 'student');
    await hire(person.id, { title: 'Учитель математики' });

    const held = await refusal(hire(person.id, { title: 'учитель математики', order: order('13-к') }));
    const notStaff = await refusal(hire(student.id));

    expect(held.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(held.domainError).toMatchObject({
      code: 'staff.position_held',
      detail: 'Сотрудник уже занимает должность «Учитель математики»',
    });
    expect(notStaff.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(notStaff.domainError?.code).toBe('staff.not_staff');
    expect(notStaff.domainError?.errors?.map((e) => e.field)).toEqual(['personId']);
    expect(await positions().countDocuments({ personId: { $in: [person.id, student.id] } })).toBe(1);
  });

  it('when the hiring form is wrong, then INVALID_ARGUMENT names every field and nothing is stored', async () => {
    const person = await register('Ошибкина');

    const error = await refusal(
      hire(person.id, {
        kind: 'other',
        title: '',
        rate: 2.5,
        hired_on: '2026-02-30',
        order: { number: '', date: '', title: '' },
      }),
    );

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.domainError?.code).toBe('staff.invalid');
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual([
      'title',
      'rate',
      'hiredOn',
      'order.number',
      'order.date',
      'order.title',
    ]);
    expect(await positions().countDocuments({ personId: person.id })).toBe(0);
  });

  it('when a position changes by order, then position_changed names the previous title; a stale version, a backdated or an empty change is refused', async () => {
    const person = await register('Психологова');
    const { position } = await hire(person.id, { kind: 'other', title: 'Педагог-психолог', rate: 0.5 });
    const change = async (fields: Record<string, unknown>) =>
      roster.staff.ChangePosition(
        {
          position_id: position!.id,
          expected_version: '1',
          title: '',
          rate: 0,
          effective_on: '2026-10-01',
          order: order('30-к', 'О переводе'),
          ...fields,
        },
        await hr(),
      );

    const changed = await change({ title: 'Педагог-психолог (старший)', rate: 1 });
    const stale = await refusal(change({ rate: 0.75 }));
    const early = await refusal(change({ expected_version: '2', rate: 0.75, effective_on: '2026-09-30' }));
    const same = await refusal(change({ expected_version: '2', rate: 1 }));

    expect(changed.position).toMatchObject({ title: 'Педагог-психолог (старший)', rate: 1, version: '2' });
    expect(changed.position!.history.map((h) => h.kind)).toEqual(['hired', 'changed']);
    expect(stale.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(stale.domainError?.code).toBe('staff.version_conflict');
    expect(early.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(early.domainError).toMatchObject({
      code: 'staff.date_before_last',
      errors: [{ field: 'effectiveOn', message: 'Не раньше 01.10.2026' }],
    });
    expect(same.domainError?.code).toBe('staff.no_change');
    expect(await positions().findOne({ _id: position!.id as never })).toMatchObject({ version: 2, rate: 1 });

    await waitFor(() => published.some((e) => e.aggregateId === position!.id && e.type.endsWith('changed')), {
      timeoutMs: 15_000,
    });
    expect(
      published.find((e) => e.aggregateId === position!.id && e.type.endsWith('changed'))!.payload,
    ).toEqual({
      position: expect.objectContaining({ title: 'Педагог-психолог (старший)', status: 'active' }),
      previous_title: 'Педагог-психолог',
      effective_on: '2026-10-01',
      order: order('30-к', 'О переводе'),
    });
  });

  it('when a person is dismissed by order, then the position stays dismissed, dismissed is published, and a second dismissal is 422', async () => {
    const person = await register('Секретарёва');
    const { position } = await hire(person.id, { kind: 'secretary' });
    const dismissal = {
      position_id: position!.id,
      expected_version: '1',
      dismissed_on: '2026-12-30',
      order: order('90-к', 'Об увольнении'),
      reason: 'По собственному желанию',
    };
    const noReason = await refusal(roster.staff.DismissStaff({ ...dismissal, reason: '' }, await director()));
    const early = await refusal(
      roster.staff.DismissStaff({ ...dismissal, dismissed_on: '2026-08-31' }, await director()),
    );

    const { position: dismissed } = await roster.staff.DismissStaff(dismissal, await director());
    const twice = await refusal(
      roster.staff.DismissStaff({ ...dismissal, expected_version: '2' }, await director()),
    );

    expect(noReason.domainError?.errors?.map((e) => e.field)).toEqual(['reason']);
    expect(early.domainError?.code).toBe('staff.date_before_last');
    expect(dismissed).toMatchObject({
      status: 'dismissed',
      dismissed_on: '2026-12-30',
      dismissal_order: order('90-к', 'Об увольнении'),
      dismissal_reason: 'По собственному желанию',
      version: '2',
    });
    expect(twice.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(twice.domainError?.code).toBe('staff.dismissed');
    expect(await positions().findOne({ _id: position!.id as never })).toMatchObject({
      status: 'dismissed',
      postKey: `~${position!.id}`,
    });

    await waitFor(
      () => published.some((e) => e.aggregateId === position!.id && e.type.endsWith('dismissed')),
      {
        timeoutMs: 15_000,
      },
    );
    expect(
      published.find((e) => e.aggregateId === position!.id && e.type.endsWith('dismissed'))!.payload,
    ).toEqual({
      position: expect.objectContaining({ kind: 'secretary', status: 'dismissed' }),
      effective_on: '2026-12-30',
      order: order('90-к', 'Об увольнении'),
    });
  });

  it('when the staff is listed, then HR sees rates, dates and dismissed posts; a teacher names and titles of active ones; the positions of a person come active first', async () => {
    const person = await register('Ёлкина');
    const { position: first } = await hire(person.id, { title: 'Учитель биологии', rate: 0.5 });
    await roster.staff.DismissStaff(
      {
        position_id: first!.id,
        expected_version: '1',
        dismissed_on: '2026-09-30',
        order: order('95-к', 'Об увольнении'),
        reason: 'Перевод',
      },
      await hr(),
    );
    const { position: second } = await hire(person.id, { title: 'Учитель химии', hired_on: '2026-10-01' });

    const all = await roster.staff.ListStaff({ school_id: schoolId, include_dismissed: true }, await hr());
    const active = await roster.staff.ListStaff({ school_id: schoolId }, await teacher());
    const ofPerson = await roster.staff.ListPositionsOfPerson({ person_id: person.id }, await director());

    const mine = all.staff.filter((s) => s.person_id === person.id);
    expect(mine.map((s) => [s.last_name, s.title, s.status, s.rate, s.hired_on])).toEqual([
      ['Ёлкина', 'Учитель биологии', 'dismissed', 0.5, '2026-09-01'],
      ['Ёлкина', 'Учитель химии', 'active', 1, '2026-10-01'],
    ]);
    // "Ё" sorts as "Е": after "Директорова", before "Заместителева".
    const names = active.staff.map((s) => s.last_name);
    expect(names.indexOf('Ёлкина')).toBeGreaterThan(names.indexOf('Директорова'));
    expect(names.indexOf('Ёлкина')).toBeLessThan(names.indexOf('Заместителева'));
    expect(active.staff.find((s) => s.person_id === person.id)).toEqual({
      position_id: second!.id,
      person_id: person.id,
      last_name: 'Ёлкина',
      first_name: 'Анна',
      middle_name: 'Петровна',
      kind: 'teacher',
      title: 'Учитель химии',
      status: 'active',
      rate: 0,
      hired_on: '',
      dismissed_on: '',
    });
    expect(active.staff.every((s) => s.status === 'active' && s.rate === 0)).toBe(true);
    expect(ofPerson.positions.map((p) => [p.title, p.status])).toEqual([
      ['Учитель химии', 'active'],
      ['Учитель биологии', 'dismissed'],
    ]);
  });

  it('when a position is read, then the director, HR and its holder get it whole, a teacher of the school the post and holder only', async () => {
    const person = await register('Читаемова');
    const { position } = await hire(person.id, { title: 'Учитель истории', rate: 0.75 });
    const holder = await roster.as(staffOf(schoolId, 'teacher', person.id));

    const whole = await Promise.all(
      [await director(), await hr(), holder].map((metadata) =>
        roster.staff.GetPosition({ position_id: position!.id }, metadata),
      ),
    );
    const byTeacher = await roster.staff.GetPosition({ position_id: position!.id }, await teacher());

    for (const answer of whole) expect(answer.position).toEqual(position);
    expect(byTeacher.position).toEqual({
      id: position!.id,
      school_id: schoolId,
      person_id: person.id,
      kind: 'teacher',
      title: 'Учитель истории',
      rate: 0,
      hired_on: '',
      hire_order: { number: '', date: '', title: '' },
      status: 'active',
      dismissed_on: '',
      dismissal_order: { number: '', date: '', title: '' },
      dismissal_reason: '',
      history: [],
      version: '0',
      created_at: '',
    });
  });

  it('when a secretary, the region operator or a teacher (a dismissed position) reads a position, then PERMISSION_DENIED; another school or a missing id is NOT_FOUND', async () => {
    const person = await register('Скрытова');
    const { position } = await hire(person.id, { title: 'Учитель черчения' });
    const { position: dismissed } = await roster.staff.DismissStaff(
      {
        position_id: position!.id,
        expected_version: '1',
        dismissed_on: '2026-09-30',
        order: order('96-к', 'Об увольнении'),
        reason: 'По собственному желанию',
      },
      await hr(),
    );
    const { position: active } = await hire(person.id, { title: 'Учитель труда', hired_on: '2026-10-01' });
    const read = async (id: string, metadata: { actorToken: string }) =>
      refusal(roster.staff.GetPosition({ position_id: id }, metadata));

    const refused = [
      await read(active!.id, await roster.as(staffOf(schoolId, 'secretary'))),
      await read(active!.id, await roster.as(operator)),
      await read(dismissed!.id, await teacher()),
    ];
    const hidden = [
      await read(active!.id, await roster.as(staffOf('other-school', 'director'))),
      await read(dismissed!.id, await roster.as(staffOf('other-school', 'hr'))),
      await read('no-such-position', await director()),
    ];

    expect(refused.map((e) => [e.code, e.domainError?.code])).toEqual(
      Array(3).fill([grpc.status.PERMISSION_DENIED, 'access.denied']),
    );
    expect(hidden.map((e) => [e.code, e.domainError?.code])).toEqual(
      Array(3).fill([grpc.status.NOT_FOUND, 'staff.not_found']),
    );
  });

  it('when a role that may not asks, then every method is refused and nothing is stored', async () => {
    const person = await register('Отказова');
    const { position } = await hire(person.id);
    const before = await positions().countDocuments({});
    const secretary = await roster.as(staffOf(schoolId, 'secretary'));
    const stranger = await roster.as(staffOf('other-school', 'director'));

    const refusals = [
      await refusal(hire(person.id, { title: 'Учитель музыки' }, await teacher())),
      await refusal(
        roster.staff.ChangePosition(
          {
            position_id: position!.id,
            expected_version: '1',
            rate: 0.5,
            effective_on: '2026-10-01',
            order: order('1'),
          },
          await teacher(),
        ),
      ),
      await refusal(
        roster.staff.DismissStaff(
          {
            position_id: position!.id,
            expected_version: '1',
            dismissed_on: '2026-10-01',
            order: order('1'),
            reason: 'Причина',
          },
          secretary,
        ),
      ),
      await refusal(roster.staff.ListStaff({ school_id: schoolId }, secretary)),
      await refusal(
        roster.staff.ListStaff({ school_id: schoolId, include_dismissed: true }, await teacher()),
      ),
      await refusal(roster.staff.ListPositionsOfPerson({ person_id: person.id }, await teacher())),
    ];
    const hidden = [
      await refusal(roster.staff.ListStaff({ school_id: schoolId }, stranger)),
      await refusal(roster.staff.ListPositionsOfPerson({ person_id: person.id }, stranger)),
    ];

    expect(refusals.map((e) => [e.code, e.domainError?.code])).toEqual(
      Array(6).fill([grpc.status.PERMISSION_DENIED, 'access.denied']),
    );
    expect(hidden.map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.NOT_FOUND, 'school.not_found'],
      [grpc.status.NOT_FOUND, 'person.not_found'],
    ]);
    expect(await positions().countDocuments({})).toBe(before);
    expect(await positions().findOne({ _id: position!.id as never })).toMatchObject({ version: 1 });
  });
});
