import { forbidden } from '@edu/kit';
import type { Enrolment } from '../../src/domain/enrolment';
import type { Person } from '../../src/domain/person';
import type { SubgroupEvent } from '../../src/domain/ports';
import type { SchoolClass } from '../../src/domain/school-class';
import { subjectKeyErrors, type Subgroup } from '../../src/domain/subgroup';
import {
  changeSubgroup,
  changeSubgroupMembers,
  disbandSubgroup,
  formSubgroup,
  getSubgroup,
  leaveClassSubgroups,
  listSubgroups,
  subgroupVersionConflict,
  type SubgroupDeps,
} from '../../src/domain/subgroup.use-cases';
import { as, failure, inSchool, storedPerson, storedYear } from './fixtures';

// Subgroups with in-memory repositories (port fakes) and the deny-by-default policy.

const schoolClass = (id: string, letter: string, overrides: Partial<SchoolClass> = {}): SchoolClass => ({
  id,
  schoolId: 'school-1',
  academicYearId: 'year-1',
  grade: 5,
  letter,
  classTeacherId: '',
  capacity: 0,
  status: 'open',
  version: 1,
  createdAt: '2026-08-01T00:00:00Z',
  ...overrides,
});

const enrolment = (
  studentId: string,
  classId: string,
  status: Enrolment['status'] = 'active',
): Enrolment => ({
  id: `year-1:${studentId}`,
  schoolId: 'school-1',
  academicYearId: 'year-1',
  studentId,
  classId: status === 'active' ? classId : '',
  status,
  movements: [],
  version: 1,
});

const staff = (id: string, overrides: Partial<Person> = {}): Person =>
  storedPerson(id, { lastName: 'Учителева', ...overrides });

function inMemory() {
  const subgroups: Subgroup[] = [];
  const events: SubgroupEvent[] = [];
  const denials: { action: string; object: string }[] = [];
  const classes = [
    schoolClass('class-5a', 'А'),
    schoolClass('class-5b', 'Б'),
    schoolClass('class-5v', 'В', { status: 'closed' }),
  ];
  const enrolments = [
    enrolment('s1', 'class-5a'),
    enrolment('s2', 'class-5a'),
    enrolment('s3', 'class-5a'),
    enrolment('s-5b', 'class-5b'),
    enrolment('s-gone', 'class-5a', 'withdrawn'),
  ];
  const people = [
    staff('t-english'),
    staff('t-archived', { status: 'archived' }),
    staff('t-guardian', { kind: 'guardian' }),
    staff('t-other', { schoolId: 'school-2' }),
  ];
  const exclusive: string[] = [];
  let n = 0;
  const years = [storedYear(), storedYear({ id: 'year-0', name: '2025/2026', status: 'closed' })];
  const deps: SubgroupDeps = {
    schoolClasses: { get: async (id) => classes.find((c) => c.id === id) ?? null },
    academicYears: { get: async (id) => years.find((y) => y.id === id) ?? null },
    enrolments: { get: async (id) => enrolments.find((e) => e.id === id) ?? null },
    people: { get: async (id) => people.find((p) => p.id === id) ?? null },
    subgroups: {
      async create(subgroup, written) {
        subgroups.push(subgroup);
        events.push(...written);
      },
      async update(subgroup, expectedVersion, written) {
        const i = subgroups.findIndex((s) => s.id === subgroup.id && s.version === expectedVersion);
        if (i < 0) throw subgroupVersionConflict();
        subgroups[i] = subgroup;
        events.push(...written);
      },
      get: async (id) => subgroups.find((s) => s.id === id) ?? null,
      listByYear: async (yearId) => subgroups.filter((s) => s.academicYearId === yearId),
      listByClass: async (classId, { includeClosed }) =>
        subgroups
          .filter((s) => s.classId === classId && (includeClosed || s.status === 'open'))
          .sort((a, b) => `${a.subjectKey}\u0000${a.name}`.localeCompare(`${b.subjectKey}\u0000${b.name}`)),
      exclusive: async (classId, work) => {
        exclusive.push(classId);
        return work();
      },
    },
    authorize: (_actor, allowed, what) => {
      if (!allowed) {
        denials.push(what);
        throw forbidden('access.denied', 'Недостаточно прав для этого действия');
      }
    },
    newId: () => `sg-${(n += 1)}`,
    now: () => new Date('2026-09-01T03:00:00Z'),
  };
  return { deps, subgroups, events, denials, exclusive, classes };
}

const deputy = inSchool('deputy');
const form = (overrides: Record<string, unknown> = {}) => ({
  classId: 'class-5a',
  subjectKey: 'english',
  name: 'Английский язык, группа 1',
  teacherId: '',
  memberIds: ['s1'],
  order: null,
  ...overrides,
});

/** The order behind a change of members. */
const ORDER = { number: '12-у', date: '2026-09-10', title: 'О делении на подгруппы' };

describe('subgroup rules', () => {
  it('a subject key is a lower-case Latin code of 2..40 characters', () => {
    for (const key of ['english', 'pe', 'informatics_2', 'a1']) expect(subjectKeyErrors(key)).toEqual([]);
    for (const key of ['', 'e', 'English', '1pe', 'анг', 'pe-boys', 'x'.repeat(41)]) {
      expect(subjectKeyErrors(key).map((e) => e.field)).toEqual(['subjectKey']);
    }
  });
});

describe('subgroup use cases', () => {
  it('when a deputy forms a subgroup with a teacher and members, then it is stored open, inside the class lock, and formed is published', async () => {
    const { deps, subgroups, events, exclusive } = inMemory();

    const subgroup = await formSubgroup(
      deps,
      as(deputy),
      form({ name: '  Английский язык,   группа 1 ', teacherId: 't-english', memberIds: ['s1', 's2'] }),
    );

    expect(subgroup).toEqual({
      id: 'sg-1',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-5a',
      subjectKey: 'english',
      name: 'Английский язык, группа 1',
      teacherId: 't-english',
      memberIds: ['s1', 's2'],
      history: [
        {
          kind: 'formed',
          added: ['s1', 's2'],
          removed: [],
          order: null,
          recordedAt: '2026-09-01T03:00:00.000Z',
          recordedBy: 'acc-deputy',
        },
      ],
      status: 'open',
      version: 1,
      createdAt: '2026-09-01T03:00:00.000Z',
    });
    expect(subgroups).toEqual([subgroup]);
    expect(events).toEqual([{ type: 'edu.roster.subgroup.formed', subgroup }]);
    expect(exclusive).toEqual(['class-5a']);
  });

  it('when the input is wrong, then every field is named and nothing is stored', async () => {
    const { deps, subgroups } = inMemory();

    const error = await failure(
      formSubgroup(deps, as(deputy), form({ subjectKey: 'English', name: ' ', memberIds: ['s1', '', 's1'] })),
    );

    expect(error).toMatchObject({ kind: 'invalid', code: 'subgroup.invalid' });
    expect(error.errors?.map((e) => e.field)).toEqual(['subjectKey', 'name', 'memberIds[1]', 'memberIds[2]']);
    expect(subgroups).toEqual([]);
  });

  it('when a member is withdrawn, in another class or unknown, then subgroup.student_not_enrolled names their places in the list only', async () => {
    const { deps, subgroups } = inMemory();

    const error = await failure(
      formSubgroup(deps, as(deputy), form({ memberIds: ['s1', 's-gone', 's-5b', 'nobody'] })),
    );

    expect(error).toMatchObject({ kind: 'precondition', code: 'subgroup.student_not_enrolled' });
    expect(error.detail).toContain('5А');
    expect(error.errors).toEqual([
      { field: 'memberIds[1]', message: 'Обучающийся не учится в классе 5А' },
      { field: 'memberIds[2]', message: 'Обучающийся не учится в классе 5А' },
      { field: 'memberIds[3]', message: 'Обучающийся не учится в классе 5А' },
    ]);
    expect(subgroups).toEqual([]);
  });

  it('when a student is already in an open subgroup of the subject, then subgroup.already_member names that subgroup; another subject or a disbanded one is fine', async () => {
    const { deps, subgroups } = inMemory();
    const first = await formSubgroup(deps, as(deputy), form({ memberIds: ['s1', 's2'] }));

    const twice = await failure(
      formSubgroup(deps, as(deputy), form({ name: 'Английский язык, группа 2', memberIds: ['s3', 's2'] })),
    );
    await formSubgroup(
      deps,
      as(deputy),
      form({ subjectKey: 'pe', name: 'Физкультура, девочки', memberIds: ['s2'] }),
    );
    await disbandSubgroup(deps, as(deputy), { id: first.id, expectedVersion: 1 });
    const after = await formSubgroup(
      deps,
      as(deputy),
      form({ name: 'Английский язык, группа 2', memberIds: ['s2'] }),
    );

    expect(twice).toMatchObject({ kind: 'conflict', code: 'subgroup.already_member' });
    expect(twice.detail).toContain('«Английский язык, группа 1»');
    expect(twice.errors).toEqual([
      { field: 'memberIds[1]', message: 'Уже в подгруппе «Английский язык, группа 1»' },
    ]);
    expect(after.memberIds).toEqual(['s2']);
    expect(subgroups).toHaveLength(3);
  });

  it('when the name is taken by an open subgroup of the class (any case), the class is closed or the teacher is not active staff, then each is refused', async () => {
    const { deps, subgroups } = inMemory();
    await formSubgroup(deps, as(deputy), form());

    const name = await failure(
      formSubgroup(
        deps,
        as(deputy),
        form({ subjectKey: 'pe', name: 'английский ЯЗЫК, группа 1', memberIds: [] }),
      ),
    );
    const closed = await failure(
      formSubgroup(deps, as(deputy), form({ classId: 'class-5v', memberIds: [] })),
    );
    const teachers = await Promise.all(
      ['t-archived', 't-guardian', 't-other', 'nobody'].map((teacherId) =>
        failure(formSubgroup(deps, as(deputy), form({ name: 'Другая', teacherId, memberIds: [] }))),
      ),
    );

    expect(name).toMatchObject({ kind: 'conflict', code: 'subgroup.name_taken' });
    expect(closed).toMatchObject({ kind: 'precondition', code: 'class.closed' });
    for (const error of teachers) {
      expect(error).toMatchObject({ code: 'subgroup.teacher_not_staff' });
      expect(error.errors?.map((e) => e.field)).toEqual(['teacherId']);
    }
    expect(subgroups).toHaveLength(1);
  });

  it('when members are added and removed, then the order of addition is kept and members_changed carries both lists', async () => {
    const { deps, events } = inMemory();
    const subgroup = await formSubgroup(deps, as(deputy), form({ memberIds: ['s1', 's2'] }));

    const changed = await changeSubgroupMembers(deps, as(deputy), {
      order: ORDER,
      id: subgroup.id,
      expectedVersion: 1,
      add: ['s3'],
      remove: ['s1'],
    });

    expect(changed).toMatchObject({ memberIds: ['s2', 's3'], version: 2 });
    expect(changed.history).toEqual([
      {
        kind: 'formed',
        added: ['s1', 's2'],
        removed: [],
        order: null,
        recordedAt: '2026-09-01T03:00:00.000Z',
        recordedBy: 'acc-deputy',
      },
      {
        kind: 'members_changed',
        added: ['s3'],
        removed: ['s1'],
        order: ORDER,
        recordedAt: '2026-09-01T03:00:00.000Z',
        recordedBy: 'acc-deputy',
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'edu.roster.subgroup.members_changed',
      subgroup: changed,
      added: ['s3'],
      removed: ['s1'],
    });
  });

  it('when members change without a whole order, then every missing part is named and nothing changes', async () => {
    const { deps, subgroups } = inMemory();
    const subgroup = await formSubgroup(deps, as(deputy), form({ memberIds: ['s1'] }));

    const none = await failure(
      changeSubgroupMembers(deps, as(deputy), {
        order: null,
        id: subgroup.id,
        expectedVersion: 1,
        add: ['s2'],
        remove: [],
      }),
    );
    const partial = await failure(
      changeSubgroupMembers(deps, as(deputy), {
        order: { number: '12-у', date: '10.09.2026', title: '' },
        id: subgroup.id,
        expectedVersion: 1,
        add: ['s2'],
        remove: [],
      }),
    );

    expect(none).toMatchObject({ code: 'subgroup.invalid', kind: 'invalid' });
    expect(none.errors?.map((e) => e.field)).toEqual(['order']);
    expect(partial.errors?.map((e) => e.field)).toEqual(['order.date', 'order.title']);
    expect(subgroups[0]).toMatchObject({ memberIds: ['s1'], version: 1 });
  });

  it('when the year is closed, then forming, changing members or disbanding its subgroups is refused', async () => {
    const { deps, subgroups, classes } = inMemory();
    classes.push(schoolClass('class-old', 'А', { academicYearId: 'year-0' }));
    subgroups.push({
      id: 'sg-last-year',
      schoolId: 'school-1',
      academicYearId: 'year-0',
      classId: 'class-old',
      subjectKey: 'english',
      name: 'Группа 1',
      teacherId: '',
      memberIds: ['s1'],
      history: [],
      status: 'open',
      version: 1,
      createdAt: '2025-09-01T00:00:00Z',
    });

    const errors = [
      await failure(formSubgroup(deps, as(deputy), form({ classId: 'class-old', memberIds: [] }))),
      await failure(
        changeSubgroupMembers(deps, as(deputy), {
          order: ORDER,
          id: 'sg-last-year',
          expectedVersion: 1,
          add: [],
          remove: ['s1'],
        }),
      ),
      await failure(disbandSubgroup(deps, as(deputy), { id: 'sg-last-year', expectedVersion: 1 })),
    ];

    for (const error of errors) {
      expect(error).toMatchObject({ code: 'academic_year.closed', kind: 'precondition' });
      expect(error.detail).toContain('2025/2026');
    }
    expect(subgroups.map((s) => s.id)).toEqual(['sg-last-year']);
    expect(subgroups[0]).toMatchObject({ version: 1, status: 'open' });
  });

  it('when a student leaves the class, then they leave its open subgroups under the movement order, and members_changed is published', async () => {
    const { deps, subgroups, events } = inMemory();
    const english = await formSubgroup(deps, as(deputy), form({ memberIds: ['s1', 's2'] }));
    const pe = await formSubgroup(
      deps,
      as(deputy),
      form({ subjectKey: 'pe', name: 'Физкультура, девочки', memberIds: ['s2'] }),
    );
    const transfer = { number: '40-у', date: '2026-11-20', title: 'О переводе' };

    const left = await leaveClassSubgroups(deps, as(deputy), {
      classId: 'class-5a',
      studentId: 's1',
      order: transfer,
    });

    expect(left.map((s) => s.id)).toEqual([english.id]);
    expect(subgroups.find((s) => s.id === english.id)).toMatchObject({ memberIds: ['s2'], version: 2 });
    expect(subgroups.find((s) => s.id === english.id)?.history.at(-1)).toMatchObject({
      kind: 'left_class',
      removed: ['s1'],
      order: transfer,
    });
    expect(subgroups.find((s) => s.id === pe.id)).toMatchObject({ memberIds: ['s2'], version: 1 });
    expect(events.at(-1)).toMatchObject({
      type: 'edu.roster.subgroup.members_changed',
      added: [],
      removed: ['s1'],
    });
  });

  it('a student who has left the class can be removed, but not added', async () => {
    const { deps, subgroups } = inMemory();
    subgroups.push({
      id: 'sg-old',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-5a',
      subjectKey: 'english',
      name: 'Группа',
      teacherId: '',
      memberIds: ['s1', 's-gone'],
      history: [],
      status: 'open',
      version: 4,
      createdAt: '2026-09-01T00:00:00Z',
    });

    const readd = await failure(
      changeSubgroupMembers(deps, as(deputy), {
        order: ORDER,
        id: 'sg-old',
        expectedVersion: 4,
        add: ['s-5b'],
        remove: [],
      }),
    );
    const removed = await changeSubgroupMembers(deps, as(deputy), {
      order: ORDER,
      id: 'sg-old',
      expectedVersion: 4,
      add: [],
      remove: ['s-gone'],
    });

    expect(readd.code).toBe('subgroup.student_not_enrolled');
    expect(readd.errors?.map((e) => e.field)).toEqual(['add[0]']);
    expect(removed.memberIds).toEqual(['s1']);
  });

  it('when a member change is empty, contradictory, stale, or does not match the members, then it is refused and nothing changes', async () => {
    const { deps, subgroups } = inMemory();
    const subgroup = await formSubgroup(deps, as(deputy), form({ memberIds: ['s1'] }));
    const change = (input: { expectedVersion?: number; add?: string[]; remove?: string[] }) =>
      failure(
        changeSubgroupMembers(deps, as(deputy), {
          order: ORDER,
          id: subgroup.id,
          expectedVersion: 1,
          add: [],
          remove: [],
          ...input,
        }),
      );

    const empty = await change({});
    const both = await change({ add: ['s2'], remove: ['s2'] });
    const stale = await change({ expectedVersion: 5, add: ['s2'] });
    const mismatch = await change({ add: ['s1'], remove: ['s3'] });

    expect(empty.errors?.map((e) => e.field)).toEqual(['add']);
    expect(both.errors?.map((e) => e.field)).toEqual(['remove[0]']);
    expect(stale).toMatchObject({ kind: 'conflict', code: 'subgroup.version_conflict' });
    expect(mismatch.errors).toEqual([
      { field: 'add[0]', message: 'Обучающийся уже в этой подгруппе' },
      { field: 'remove[0]', message: 'Обучающегося нет в этой подгруппе' },
    ]);
    expect(subgroups[0]).toEqual(subgroup);
  });

  it('when a subgroup is renamed and its teacher removed, then changed names the previous ones; an unchanged request is refused', async () => {
    const { deps, events } = inMemory();
    const subgroup = await formSubgroup(deps, as(deputy), form({ teacherId: 't-english' }));

    const renamed = await changeSubgroup(deps, as(deputy), {
      id: subgroup.id,
      expectedVersion: 1,
      name: 'Английский язык, группа А',
      teacherId: '',
    });
    const same = await failure(
      changeSubgroup(deps, as(deputy), {
        id: subgroup.id,
        expectedVersion: 2,
        name: 'Английский язык, группа А',
      }),
    );

    expect(renamed).toMatchObject({ name: 'Английский язык, группа А', teacherId: '', version: 2 });
    expect(events.at(-1)).toEqual({
      type: 'edu.roster.subgroup.changed',
      subgroup: renamed,
      previousName: 'Английский язык, группа 1',
      previousTeacherId: 't-english',
    });
    expect(same.code).toBe('subgroup.no_change');
  });

  it('when a subgroup is disbanded, then it is closed with its members kept, listed only on request, and no longer changes', async () => {
    const { deps, events } = inMemory();
    const subgroup = await formSubgroup(deps, as(deputy), form({ memberIds: ['s1'] }));

    const closed = await disbandSubgroup(deps, as(deputy), { id: subgroup.id, expectedVersion: 1 });
    const again = await failure(disbandSubgroup(deps, as(deputy), { id: subgroup.id, expectedVersion: 2 }));
    const members = await failure(
      changeSubgroupMembers(deps, as(deputy), {
        order: ORDER,
        id: subgroup.id,
        expectedVersion: 2,
        add: ['s2'],
        remove: [],
      }),
    );
    const open = await listSubgroups(deps, as(deputy), { classId: 'class-5a', includeClosed: false });
    const all = await listSubgroups(deps, as(deputy), { classId: 'class-5a', includeClosed: true });

    expect(closed).toMatchObject({ status: 'closed', memberIds: ['s1'], version: 2 });
    expect(events.at(-1)).toEqual({ type: 'edu.roster.subgroup.disbanded', subgroup: closed });
    expect(again).toMatchObject({ kind: 'precondition', code: 'subgroup.closed' });
    expect(members.code).toBe('subgroup.closed');
    expect(open).toEqual([]);
    expect(all).toEqual([closed]);
  });

  it('teachers read; commands are the managers\u2019; other roles are refused and other schools see nothing, every denial logged', async () => {
    const { deps, subgroups, denials } = inMemory();
    const subgroup = await formSubgroup(deps, as(deputy), form());
    const teacher = inSchool('teacher');

    expect(await getSubgroup(deps, as(teacher), subgroup.id)).toEqual(subgroup);
    expect(await listSubgroups(deps, as(teacher), { classId: 'class-5a', includeClosed: false })).toEqual([
      subgroup,
    ]);
    const refused = [
      await failure(formSubgroup(deps, as(teacher), form({ name: 'Другая', memberIds: [] }))),
      await failure(
        changeSubgroupMembers(deps, as(teacher), {
          order: ORDER,
          id: subgroup.id,
          expectedVersion: 1,
          add: ['s2'],
          remove: [],
        }),
      ),
      await failure(
        changeSubgroup(deps, as(teacher), { id: subgroup.id, expectedVersion: 1, name: 'Новая' }),
      ),
      await failure(disbandSubgroup(deps, as(teacher), { id: subgroup.id, expectedVersion: 1 })),
      await failure(getSubgroup(deps, as(inSchool('hr')), subgroup.id)),
      await failure(
        listSubgroups(deps, as(inSchool('secretary')), { classId: 'class-5a', includeClosed: false }),
      ),
    ];
    const stranger = inSchool('director', 'school-2');
    const hidden = [
      await failure(getSubgroup(deps, as(stranger), subgroup.id)),
      await failure(disbandSubgroup(deps, as(stranger), { id: subgroup.id, expectedVersion: 1 })),
      await failure(listSubgroups(deps, as(stranger), { classId: 'class-5a', includeClosed: false })),
    ];

    expect(refused.map((e) => e.kind)).toEqual(Array(6).fill('forbidden'));
    expect(denials.map((d) => d.action)).toEqual([
      'subgroup.form',
      'subgroup.change_members',
      'subgroup.change',
      'subgroup.disband',
      'subgroup.read',
      'subgroup.list',
      // a stranger is told nothing exists, and the denial is logged all the same
      'subgroup.read',
      'subgroup.disband',
      'subgroup.list',
    ]);
    expect(hidden.map((e) => e.code)).toEqual([
      'subgroup.not_found',
      'subgroup.not_found',
      'class.not_found',
    ]);
    expect(subgroups).toEqual([subgroup]);
  });
});
