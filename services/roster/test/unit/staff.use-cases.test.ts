import { forbidden } from '@edu/kit';
import type { Person } from '../../src/domain/person';
import { personSortName } from '../../src/domain/person';
import type { StaffPositionEvent } from '../../src/domain/ports';
import type { School } from '../../src/domain/school';
import { isValidRate, titleFor, titleKey, type StaffPosition } from '../../src/domain/staff-position';
import {
  changePosition,
  directorTaken,
  dismissStaff,
  getPosition,
  hireStaff,
  listPositionsOfPerson,
  listStaff,
  positionHeld,
  staffVersionConflict,
  type HireInput,
  type StaffDeps,
} from '../../src/domain/staff.use-cases';
import { as, failure, inSchool, storedPerson, validCard } from './fixtures';

// Staff positions with in-memory repositories (port fakes) and the deny-by-default policy.

const person = (id: string, lastName: string, overrides: Partial<Person> = {}): Person =>
  storedPerson(id, { lastName, ...overrides });

function inMemory() {
  const positions: StaffPosition[] = [];
  const events: StaffPositionEvent[] = [];
  const denials: { action: string; object: string }[] = [];
  const school: School = { ...validCard(), id: 'school-1', version: 1, createdAt: '2026-08-01T00:00:00Z' };
  const people: Person[] = [
    person('p-ivanova', 'Иванова'),
    person('p-abramova', 'Абрамова'),
    person('p-archived', 'Архивная', { status: 'archived' }),
    person('p-student', 'Ученикова', { kind: 'student' }),
    person('p-other-school', 'Чужая', { schoolId: 'school-2' }),
  ];
  let n = 0;
  const deps: StaffDeps = {
    schools: { get: async (id) => (id === school.id ? school : null) },
    people: {
      get: async (id) => people.find((p) => p.id === id) ?? null,
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
    staff: {
      async create(position, written) {
        positions.push(position);
        events.push(...written);
      },
      async update(position, expectedVersion, written) {
        const i = positions.findIndex((p) => p.id === position.id && p.version === expectedVersion);
        if (i < 0) throw staffVersionConflict();
        positions[i] = position;
        events.push(...written);
      },
      get: async (id) => positions.find((p) => p.id === id) ?? null,
      listBySchool: async (schoolId, { includeDismissed }) =>
        positions.filter((p) => p.schoolId === schoolId && (includeDismissed || p.status === 'active')),
      listByPerson: async (personId) => positions.filter((p) => p.personId === personId),
    },
    authorize: (_actor, allowed, what) => {
      if (!allowed) {
        denials.push(what);
        throw forbidden('access.denied', 'Недостаточно прав для этого действия');
      }
    },
    newId: () => `pos-${(n += 1)}`,
    now: () => new Date('2026-08-25T03:00:00Z'),
  };
  return { deps, positions, events, denials };
}

const director = inSchool('director');
const hr = inSchool('hr');
const order = (number: string) => ({ number, date: '2026-08-25', title: 'О приёме на работу' });
const hire = (overrides: Partial<HireInput> = {}): HireInput => ({
  schoolId: 'school-1',
  personId: 'p-ivanova',
  kind: 'deputy',
  title: 'Заместитель директора по УВР',
  rate: 1,
  hiredOn: '2026-09-01',
  order: order('12-к'),
  ...overrides,
});

describe('staff position rules', () => {
  it('a rate is 0.25 .. 2.0 in steps of 0.25', () => {
    for (const rate of [0.25, 0.5, 1, 1.25, 2]) expect(isValidRate(rate)).toBe(true);
    for (const rate of [0, 0.1, 0.3, 2.25, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(isValidRate(rate)).toBe(false);
    }
  });

  it('a kind without a title gets its usual one; "other" keeps what was given; titles compare case-insensitively with "ё" as "е"', () => {
    expect(titleFor('teacher', '  ')).toBe('Учитель');
    expect(titleFor('director', '')).toBe('Директор');
    expect(titleFor('other', '')).toBe('');
    expect(titleFor('other', '  Педагог-психолог ')).toBe('Педагог-психолог');
    expect(titleKey('Учитель  ЁЛОЧНЫХ дел')).toBe(titleKey('учитель елочных дел'));
  });
});

describe('staff use cases', () => {
  it('when HR hires a deputy by order, then the position is stored active with the hiring in its history, and hired is published', async () => {
    const { deps, positions, events } = inMemory();

    const position = await hireStaff(deps, as(hr), hire());

    expect(position).toMatchObject({
      id: 'pos-1',
      schoolId: 'school-1',
      personId: 'p-ivanova',
      kind: 'deputy',
      title: 'Заместитель директора по УВР',
      rate: 1,
      status: 'active',
      version: 1,
      dismissalOrder: null,
    });
    expect(position.history).toEqual([
      {
        kind: 'hired',
        effectiveOn: '2026-09-01',
        order: order('12-к'),
        title: 'Заместитель директора по УВР',
        rate: 1,
        reason: '',
        recordedAt: '2026-08-25T03:00:00.000Z',
        recordedBy: 'acc-hr',
      },
    ]);
    expect(positions).toEqual([position]);
    expect(events).toEqual([{ type: 'edu.roster.staff.hired', position, change: position.history[0] }]);
  });

  it('when the form is wrong, then every field is named and nothing is stored', async () => {
    const { deps, positions } = inMemory();

    const error = await failure(
      hireStaff(
        deps,
        as(director),
        hire({
          personId: '',
          kind: 'other',
          title: '',
          rate: 0.3,
          hiredOn: '01.09.2026',
          order: { number: '', date: '2026-13-01', title: '' },
        }),
      ),
    );
    const unknownKind = await failure(hireStaff(deps, as(director), hire({ kind: 'janitor' })));
    const latinTitle = await failure(hireStaff(deps, as(director), hire({ title: 'Deputy director' })));

    expect(error).toMatchObject({ kind: 'invalid', code: 'staff.invalid' });
    expect(error.errors?.map((e) => e.field)).toEqual([
      'personId',
      'title',
      'rate',
      'hiredOn',
      'order.number',
      'order.date',
      'order.title',
    ]);
    expect(unknownKind.errors?.map((e) => e.field)).toEqual(['kind']);
    expect(latinTitle.errors?.map((e) => e.field)).toEqual(['title']);
    expect(positions).toEqual([]);
  });

  it('when the person is not active staff of the school, then staff.not_staff names personId', async () => {
    const { deps, positions } = inMemory();

    for (const personId of ['p-archived', 'p-student', 'p-other-school', 'p-missing']) {
      const error = await failure(hireStaff(deps, as(director), hire({ personId })));
      expect(error).toMatchObject({ kind: 'precondition', code: 'staff.not_staff' });
      expect(error.errors?.map((e) => e.field)).toEqual(['personId']);
    }
    expect(positions).toEqual([]);
  });

  it('when a person is hired to a post they hold (title in other case), then staff.position_held; another post or another title is fine', async () => {
    const { deps, positions } = inMemory();
    await hireStaff(deps, as(director), hire({ kind: 'teacher', title: 'Учитель математики' }));

    const again = await failure(
      hireStaff(
        deps,
        as(director),
        hire({ kind: 'teacher', title: 'учитель  МАТЕМАТИКИ', order: order('13-к') }),
      ),
    );
    await hireStaff(deps, as(director), hire({ kind: 'teacher', title: 'Учитель физики', rate: 0.5 }));
    await hireStaff(deps, as(director), hire({ kind: 'deputy', title: '' }));

    expect(again).toMatchObject({ kind: 'conflict', code: 'staff.position_held' });
    expect(again.detail).toContain('Учитель математики');
    expect(positions.map((p) => p.title)).toEqual([
      'Учитель математики',
      'Учитель физики',
      'Заместитель директора',
    ]);
  });

  it('when a school with an active director hires another, then staff.director_taken; after the dismissal it works', async () => {
    const { deps } = inMemory();
    const first = await hireStaff(deps, as(director), hire({ kind: 'director', title: '' }));

    const second = await failure(
      hireStaff(deps, as(director), hire({ personId: 'p-abramova', kind: 'director', title: '' })),
    );
    await dismissStaff(deps, as(director), {
      positionId: first.id,
      expectedVersion: 1,
      dismissedOn: '2026-12-31',
      order: order('90-к'),
      reason: 'По собственному желанию',
    });
    const next = await hireStaff(
      deps,
      as(director),
      hire({ personId: 'p-abramova', kind: 'director', title: '', hiredOn: '2027-01-09' }),
    );

    expect(second).toMatchObject({ kind: 'conflict', code: 'staff.director_taken' });
    expect(next.status).toBe('active');
  });

  it('when the title and rate change by order, then the history has the change and position_changed names the previous title', async () => {
    const { deps, events } = inMemory();
    const position = await hireStaff(deps, as(director), hire());

    const changed = await changePosition(deps, as(hr), {
      positionId: position.id,
      expectedVersion: 1,
      title: 'Заместитель директора по ВР',
      rate: 1.5,
      effectiveOn: '2026-10-01',
      order: order('40-к'),
    });
    const rateOnly = await changePosition(deps, as(hr), {
      positionId: position.id,
      expectedVersion: 2,
      title: '',
      rate: 1,
      effectiveOn: '2026-11-01',
      order: order('41-к'),
    });

    expect(changed).toMatchObject({ title: 'Заместитель директора по ВР', rate: 1.5, version: 2 });
    expect(rateOnly).toMatchObject({ title: 'Заместитель директора по ВР', rate: 1, version: 3 });
    expect(rateOnly.history.map((h) => [h.kind, h.effectiveOn, h.title, h.rate])).toEqual([
      ['hired', '2026-09-01', 'Заместитель директора по УВР', 1],
      ['changed', '2026-10-01', 'Заместитель директора по ВР', 1.5],
      ['changed', '2026-11-01', 'Заместитель директора по ВР', 1],
    ]);
    expect(events.slice(1).map((e) => [e.type, 'previousTitle' in e ? e.previousTitle : null])).toEqual([
      ['edu.roster.staff.position_changed', 'Заместитель директора по УВР'],
      ['edu.roster.staff.position_changed', ''],
    ]);
  });

  it('when a change is stale, backdated, empty, or makes another held post, then each is refused and nothing changes', async () => {
    const { deps, positions } = inMemory();
    const maths = await hireStaff(deps, as(director), hire({ kind: 'teacher', title: 'Учитель математики' }));
    await hireStaff(deps, as(director), hire({ kind: 'teacher', title: 'Учитель физики' }));
    const change = (overrides: Record<string, unknown>) =>
      failure(
        changePosition(deps, as(director), {
          positionId: maths.id,
          expectedVersion: 1,
          title: '',
          rate: 0.75,
          effectiveOn: '2026-10-01',
          order: order('50-к'),
          ...overrides,
        }),
      );

    const stale = await change({ expectedVersion: 7 });
    const early = await change({ effectiveOn: '2026-08-31' });
    const same = await change({ rate: 1 });
    const held = await change({ title: 'учитель физики', rate: 0 });
    const noVersion = await change({ expectedVersion: 0 });

    expect(stale.code).toBe('staff.version_conflict');
    expect(early).toMatchObject({ code: 'staff.date_before_last', kind: 'precondition' });
    expect(early.errors).toEqual([{ field: 'effectiveOn', message: 'Не раньше 01.09.2026' }]);
    expect(same.code).toBe('staff.no_change');
    expect(held.code).toBe('staff.position_held');
    expect(noVersion.errors?.map((e) => e.field)).toEqual(['expectedVersion']);
    expect(positions.find((p) => p.id === maths.id)?.version).toBe(1);
  });

  it('when a position is dismissed by order, then it stays, dismissed, with order and reason; no later change or second dismissal', async () => {
    const { deps, events } = inMemory();
    const position = await hireStaff(deps, as(director), hire());
    const dismissal = {
      positionId: position.id,
      expectedVersion: 1,
      dismissedOn: '2026-08-31',
      order: order('70-к'),
      reason: '  По собственному желанию ',
    };

    const early = await failure(dismissStaff(deps, as(director), dismissal));
    const noReason = await failure(dismissStaff(deps, as(director), { ...dismissal, reason: ' ' }));
    const dismissed = await dismissStaff(deps, as(director), { ...dismissal, dismissedOn: '2026-09-01' });
    const twice = await failure(dismissStaff(deps, as(director), { ...dismissal, expectedVersion: 2 }));
    const change = await failure(
      changePosition(deps, as(director), {
        positionId: position.id,
        expectedVersion: 2,
        title: '',
        rate: 0.5,
        effectiveOn: '2026-10-01',
        order: order('71-к'),
      }),
    );

    expect(early.code).toBe('staff.date_before_last');
    expect(noReason.errors?.map((e) => e.field)).toEqual(['reason']);
    expect(dismissed).toMatchObject({
      status: 'dismissed',
      dismissedOn: '2026-09-01',
      dismissalOrder: order('70-к'),
      dismissalReason: 'По собственному желанию',
      version: 2,
    });
    expect(twice).toMatchObject({ kind: 'precondition', code: 'staff.dismissed' });
    expect(change.code).toBe('staff.dismissed');
    expect(events.map((e) => e.type)).toEqual(['edu.roster.staff.hired', 'edu.roster.staff.dismissed']);
  });

  it('lists the staff by name then title: managers see rates and dates and dismissed posts, teachers names and titles of active ones only', async () => {
    const { deps, denials } = inMemory();
    await hireStaff(deps, as(director), hire({ kind: 'teacher', title: 'Учитель физики', rate: 0.5 }));
    await hireStaff(deps, as(director), hire({ kind: 'deputy', title: '' }));
    const gone = await hireStaff(
      deps,
      as(director),
      hire({ personId: 'p-abramova', kind: 'secretary', title: '' }),
    );
    await dismissStaff(deps, as(director), {
      positionId: gone.id,
      expectedVersion: 1,
      dismissedOn: '2026-09-30',
      order: order('80-к'),
      reason: 'Перевод',
    });

    const all = await listStaff(deps, as(hr), { schoolId: 'school-1', includeDismissed: true });
    const byTeacher = await listStaff(deps, as(inSchool('teacher')), {
      schoolId: 'school-1',
      includeDismissed: false,
    });
    const dismissedByTeacher = await failure(
      listStaff(deps, as(inSchool('teacher')), { schoolId: 'school-1', includeDismissed: true }),
    );

    expect(all.map((e) => [e.lastName, e.title, e.status, e.rate])).toEqual([
      ['Абрамова', 'Секретарь', 'dismissed', 1],
      ['Иванова', 'Заместитель директора', 'active', 1],
      ['Иванова', 'Учитель физики', 'active', 0.5],
    ]);
    expect(byTeacher).toEqual([
      {
        positionId: 'pos-2',
        personId: 'p-ivanova',
        lastName: 'Иванова',
        firstName: 'Анна',
        middleName: '',
        kind: 'deputy',
        title: 'Заместитель директора',
        status: 'active',
        rate: 0,
        hiredOn: '',
        dismissedOn: '',
      },
      expect.objectContaining({ title: 'Учитель физики', rate: 0, hiredOn: '' }),
    ]);
    expect(dismissedByTeacher.kind).toBe('forbidden');
    expect(denials).toEqual([{ action: 'staff.list', object: 'school:school-1' }]);
  });

  it('lists the positions of a person, active first, for managers and HR only', async () => {
    const { deps } = inMemory();
    const first = await hireStaff(
      deps,
      as(director),
      hire({ kind: 'teacher', title: '', hiredOn: '2026-09-01' }),
    );
    await dismissStaff(deps, as(director), {
      positionId: first.id,
      expectedVersion: 1,
      dismissedOn: '2026-09-30',
      order: order('80-к'),
      reason: 'Перевод на другую должность',
    });
    await hireStaff(deps, as(director), hire({ kind: 'deputy', title: '', hiredOn: '2026-10-01' }));

    const positions = await listPositionsOfPerson(deps, as(hr), 'p-ivanova');
    const byTeacher = await failure(listPositionsOfPerson(deps, as(inSchool('teacher')), 'p-ivanova'));
    const byStranger = await failure(
      listPositionsOfPerson(deps, as(inSchool('director', 'school-9')), 'p-ivanova'),
    );

    expect(positions.map((p) => [p.kind, p.status])).toEqual([
      ['deputy', 'active'],
      ['teacher', 'dismissed'],
    ]);
    expect(byTeacher.kind).toBe('forbidden');
    expect(byStranger).toMatchObject({ kind: 'not_found', code: 'person.not_found' });
  });

  it('when a position is read, then managers, HR and its holder get it whole; a teacher of the school gets the post and holder only, as in the staff list', async () => {
    const { deps, denials } = inMemory();
    const position = await hireStaff(deps, as(director), hire());
    const holder = inSchool('teacher', 'school-1', 'p-ivanova');

    const byDirector = await getPosition(deps, as(director), position.id);
    const byHr = await getPosition(deps, as(hr), position.id);
    const byHolder = await getPosition(deps, as(holder), position.id);
    // The holder without a role in the school (e.g. signed in before identity derived it) too.
    const byHolderWithoutRole = await getPosition(
      deps,
      as({ accountId: 'acc-ivanova', personId: 'p-ivanova', schoolRoles: [], grants: [] }),
      position.id,
    );
    const byTeacher = await getPosition(deps, as(inSchool('teacher')), position.id);

    for (const whole of [byDirector, byHr, byHolder, byHolderWithoutRole]) expect(whole).toEqual(position);
    expect(byTeacher).toEqual({
      id: position.id,
      schoolId: 'school-1',
      personId: 'p-ivanova',
      kind: 'deputy',
      title: 'Заместитель директора по УВР',
      status: 'active',
      rate: 0,
      hiredOn: '',
      hireOrder: { number: '', date: '', title: '' },
      dismissedOn: '',
      dismissalOrder: null,
      dismissalReason: '',
      history: [],
      version: 0,
      createdAt: '',
    });
    expect(denials).toEqual([]);
  });

  it('when a role that may not reads a position, then PERMISSION_DENIED (a teacher: a dismissed one); another school is told it does not exist; each denial is logged', async () => {
    const { deps, denials } = inMemory();
    const active = await hireStaff(deps, as(director), hire());
    const gone = await hireStaff(
      deps,
      as(director),
      hire({ personId: 'p-abramova', kind: 'secretary', title: '' }),
    );
    await dismissStaff(deps, as(director), {
      positionId: gone.id,
      expectedVersion: 1,
      dismissedOn: '2026-09-30',
      order: order('80-к'),
      reason: 'Перевод',
    });
    const regionOperator = { accountId: 'acc-op', personId: '', schoolRoles: [], grants: ['regionOperator'] };

    const dismissedByTeacher = await failure(getPosition(deps, as(inSchool('teacher')), gone.id));
    const bySecretary = await failure(getPosition(deps, as(inSchool('secretary')), active.id));
    const byOperator = await failure(getPosition(deps, as(regionOperator), active.id));
    const byStranger = await failure(getPosition(deps, as(inSchool('director', 'school-2')), active.id));
    const byGuardian = await failure(getPosition(deps, as(inSchool('guardian', 'school-2')), gone.id));
    const missing = await failure(getPosition(deps, as(director), 'pos-missing'));

    for (const refused of [dismissedByTeacher, bySecretary, byOperator]) {
      expect(refused).toMatchObject({ kind: 'forbidden', code: 'access.denied' });
    }
    for (const hidden of [byStranger, byGuardian, missing]) {
      expect(hidden).toMatchObject({ kind: 'not_found', code: 'staff.not_found' });
    }
    expect(denials).toEqual([
      { action: 'staff.read', object: `staff_position:${gone.id}` },
      { action: 'staff.read', object: `staff_position:${active.id}` },
      { action: 'staff.read', object: `staff_position:${active.id}` },
      { action: 'staff.read', object: `staff_position:${active.id}` },
      { action: 'staff.read', object: `staff_position:${gone.id}` },
    ]);
  });

  it('refuses every command to teachers, secretaries and other schools, logging each denial', async () => {
    const { deps, positions, denials } = inMemory();
    const position = await hireStaff(deps, as(director), hire());

    for (const actor of [inSchool('teacher'), inSchool('secretary'), inSchool('director', 'school-2')]) {
      expect((await failure(hireStaff(deps, as(actor), hire({ kind: 'teacher', title: '' })))).kind).toBe(
        'forbidden',
      );
    }
    const change = await failure(
      changePosition(deps, as(inSchool('teacher')), {
        positionId: position.id,
        expectedVersion: 1,
        title: '',
        rate: 0.5,
        effectiveOn: '2026-10-01',
        order: order('1'),
      }),
    );
    const dismiss = await failure(
      dismissStaff(deps, as(inSchool('secretary')), {
        positionId: position.id,
        expectedVersion: 1,
        dismissedOn: '2026-10-01',
        order: order('1'),
        reason: 'Причина',
      }),
    );
    const stranger = await failure(
      dismissStaff(deps, as(inSchool('director', 'school-2')), {
        positionId: position.id,
        expectedVersion: 1,
        dismissedOn: '2026-10-01',
        order: order('1'),
        reason: 'Причина',
      }),
    );
    const listByStranger = await failure(
      listStaff(deps, as(inSchool('director', 'school-2')), {
        schoolId: 'school-1',
        includeDismissed: false,
      }),
    );

    expect(change.kind).toBe('forbidden');
    expect(dismiss.kind).toBe('forbidden');
    expect(stranger).toMatchObject({ kind: 'not_found', code: 'staff.not_found' });
    expect(listByStranger).toMatchObject({ kind: 'not_found', code: 'school.not_found' });
    expect(positions).toHaveLength(1);
    expect(denials.map((d) => d.action)).toEqual([
      'staff.hire',
      'staff.hire',
      'staff.hire',
      'staff.change',
      'staff.dismiss',
      'staff.dismiss', // the other school's director: told it does not exist, logged
      'staff.list',
    ]);
  });

  it('the conflicts the repository raises under concurrent writes are the same errors', () => {
    expect(directorTaken().code).toBe('staff.director_taken');
    expect(positionHeld('Учитель').detail).toBe('Сотрудник уже занимает должность «Учитель»');
  });
});
