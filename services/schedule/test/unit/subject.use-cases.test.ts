import { SUBJECT_CATALOGUE } from '../../src/domain/subject-catalogue';
import {
  createSubject,
  getSubject,
  listSubjects,
  seedSubjectCatalogue,
  type SubjectDeps,
} from '../../src/domain/subject.use-cases';
import { as, failure, guardian, inSchool, recordingAuthorize, subjectsInMemory } from './fixtures';

// Subjects with an in-memory repository (port fake) and the deny-by-default policy.

function setUp(seeded = true) {
  const subjects = subjectsInMemory(seeded);
  const policy = recordingAuthorize();
  let ids = 0;
  const deps: SubjectDeps = {
    subjects: subjects.repository,
    authorize: policy.authorize,
    newId: () => `subject-${++ids}`,
    now: () => new Date('2026-08-20T03:00:00Z'),
  };
  return { deps, subjects, denials: policy.denials };
}

const robotics = {
  schoolId: 'school-1',
  key: 'robotics',
  name: 'Робототехника',
  shortName: 'Робот.',
  educationArea: 'technology',
  splitIntoSubgroups: true,
};

describe('subjects: use cases', () => {
  it('when the catalogue is seeded twice, then every subject is added once with its event', async () => {
    const { deps, subjects } = setUp(false);

    const first = await seedSubjectCatalogue(deps);
    const second = await seedSubjectCatalogue(deps);

    expect(first).toBe(SUBJECT_CATALOGUE.length);
    expect(second).toBe(0);
    expect(subjects.stored).toHaveLength(SUBJECT_CATALOGUE.length);
    expect(subjects.events.map((e) => e.type)).toEqual(
      SUBJECT_CATALOGUE.map(() => 'edu.schedule.subject.created'),
    );
    expect(subjects.stored.every((s) => s.schoolId === '')).toBe(true);
  });

  it('when a deputy adds a subject, then it is stored for the school with subject.created', async () => {
    const { deps, subjects } = setUp();

    const subject = await createSubject(deps, as(inSchool('deputy')), {
      ...robotics,
      name: '  Робототехника  ',
      shortName: '',
    });

    expect(subject).toEqual({
      id: 'subject-1',
      schoolId: 'school-1',
      key: 'robotics',
      name: 'Робототехника',
      shortName: 'Робототехника',
      educationArea: 'technology',
      splitIntoSubgroups: true,
      version: 1,
      createdAt: '2026-08-20T03:00:00.000Z',
    });
    expect(subjects.events).toEqual([{ type: 'edu.schedule.subject.created', subject }]);
  });

  it('when every field is wrong, then subject.invalid names each field and nothing is stored', async () => {
    const { deps, subjects } = setUp();

    const error = await failure(
      createSubject(deps, as(inSchool('director')), {
        schoolId: 'school-1',
        key: 'Робототехника',
        name: 'Robotics',
        shortName: 'x'.repeat(31),
        educationArea: 'engineering',
        splitIntoSubgroups: false,
      }),
    );

    expect(error.code).toBe('subject.invalid');
    expect(error.kind).toBe('invalid');
    expect(error.errors?.map((e) => e.field)).toEqual(['key', 'name', 'shortName', 'educationArea']);
    expect(subjects.events).toEqual([]);
  });

  it('when a school adds the key or the name of a catalogue subject, then it is a conflict', async () => {
    const { deps, subjects } = setUp();

    const sameKey = await failure(
      createSubject(deps, as(inSchool('schoolAdmin')), { ...robotics, key: 'english' }),
    );
    const sameName = await failure(
      createSubject(deps, as(inSchool('schoolAdmin')), { ...robotics, name: 'ФИЗИЧЕСКАЯ  культура' }),
    );

    expect(sameKey).toMatchObject({ code: 'subject.key_taken', kind: 'conflict' });
    expect(sameName).toMatchObject({ code: 'subject.name_taken', kind: 'conflict' });
    expect(sameName.detail).toContain('«Физическая культура»');
    expect(subjects.events).toEqual([]);
  });

  it('when another school has a subject of that key, then this school may still add it', async () => {
    const { deps } = setUp();
    await createSubject(deps, as(inSchool('deputy', 'school-2')), { ...robotics, schoolId: 'school-2' });

    const subject = await createSubject(deps, as(inSchool('deputy')), robotics);

    expect(subject.schoolId).toBe('school-1');
  });

  it('when a teacher adds a subject, then it is refused and the denial recorded; a stranger gets not found', async () => {
    const { deps, subjects, denials } = setUp();

    const teacher = await failure(createSubject(deps, as(inSchool('teacher')), robotics));
    const stranger = await failure(createSubject(deps, as(inSchool('director', 'school-2')), robotics));

    expect(teacher).toMatchObject({ code: 'access.denied', kind: 'forbidden' });
    expect(stranger).toMatchObject({ code: 'school.not_found', kind: 'not_found' });
    expect(denials).toEqual([
      { accountId: 'acc-teacher', action: 'subject.create', object: 'school:school-1' },
      { accountId: 'acc-director', action: 'subject.create', object: 'school:school-1' },
    ]);
    expect(subjects.events).toEqual([]);
  });

  it('when a teacher lists subjects, then the catalogue and the school own come by area, not another school', async () => {
    const { deps } = setUp();
    await createSubject(deps, as(inSchool('deputy')), robotics);
    await createSubject(deps, as(inSchool('deputy', 'school-2')), {
      ...robotics,
      schoolId: 'school-2',
      key: 'chess',
      name: 'Шахматы',
      educationArea: 'other',
    });

    const list = await listSubjects(deps, as(inSchool('teacher')), { schoolId: 'school-1' });

    expect(list).toHaveLength(SUBJECT_CATALOGUE.length + 1);
    expect(list.map((s) => s.key)).toContain('robotics');
    expect(list.map((s) => s.key)).not.toContain('chess');
    expect(list[0]?.key).toBe('russian');
    expect(list.at(-1)?.key).toBe('individual_project');
  });

  it('when a guardian lists or reads subjects, then both are refused', async () => {
    const { deps, denials } = setUp();
    const english = (await listSubjects(deps, as(inSchool('teacher')), { schoolId: 'school-1' })).find(
      (s) => s.key === 'english',
    )!;

    const list = await failure(listSubjects(deps, as(guardian), { schoolId: 'school-1' }));
    const read = await failure(getSubject(deps, as(guardian), english.id));

    expect(list.code).toBe('school.not_found');
    expect(read).toMatchObject({ code: 'access.denied', kind: 'forbidden' });
    expect(denials.map((d) => d.action)).toEqual(['subject.list', 'subject.read']);
  });

  it('when someone of another school reads a school subject, then it is not found; the region operator reads it', async () => {
    const { deps, denials } = setUp();
    const own = await createSubject(deps, as(inSchool('deputy')), robotics);

    const stranger = await failure(getSubject(deps, as(inSchool('teacher', 'school-2')), own.id));
    const operator = await getSubject(
      deps,
      as({ accountId: 'acc-operator', schoolRoles: [], grants: ['regionOperator'] }),
      own.id,
    );

    expect(stranger.code).toBe('subject.not_found');
    expect(operator.id).toBe(own.id);
    expect(denials).toEqual([
      { accountId: 'acc-teacher', action: 'subject.read', object: `subject:${own.id}` },
    ]);
  });
});
