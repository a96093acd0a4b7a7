import type { TimetableEvent, TimetableRepository } from '../../src/domain/ports';
import { bellScheduleId, type BellSchedule } from '../../src/domain/bell-schedule';
import type { ClassTimetable, TimetablePublication } from '../../src/domain/timetable';
import {
  getClassTimetable,
  publishTimetable,
  setTimetableEntries,
  timetableVersionConflict,
  type TimetableDeps,
} from '../../src/domain/timetable.use-cases';
import type { TeachingAssignment } from '../../src/domain/teaching-assignment';
import {
  as,
  assignmentsInMemory,
  bellSchedulesInMemory,
  catalogue,
  failure,
  guardian,
  inSchool,
  quarterCalendar,
  recordingAuthorize,
  rosterInMemory,
  schoolClass,
  subjectsInMemory,
  year,
} from './fixtures';

// The timetable's use cases with port fakes: the whole school's week (also across the periods of
// other grades' schemes), the year, class, period and bells, publication, and the policy.

const deputy = inSchool('deputy');
const math = catalogue('mathematics');

function timetablesInMemory() {
  const stored = new Map<string, ClassTimetable>();
  const publications = new Map<string, TimetablePublication>();
  const events: TimetableEvent[] = [];
  const repository: TimetableRepository = {
    async save(timetable, expectedVersion) {
      if ((stored.get(timetable.id)?.version ?? 0) !== expectedVersion) throw timetableVersionConflict();
      stored.set(timetable.id, structuredClone(timetable));
    },
    get: async (id) => structuredClone(stored.get(id) ?? null),
    listByYear: async (schoolId, yearId) =>
      [...stored.values()].filter((t) => t.schoolId === schoolId && t.academicYearId === yearId),
    getPublication: async (id) => structuredClone(publications.get(id) ?? null),
    async publish(publication, expectedVersion, evs) {
      if ((publications.get(publication.id)?.version ?? 0) !== expectedVersion)
        throw timetableVersionConflict();
      publications.set(publication.id, structuredClone(publication));
      events.push(...evs);
    },
    exclusive: (_schoolId, _yearId, work) => work(),
  };
  return { repository, stored, events };
}

const assignment = (
  id: string,
  teacherId: string,
  classId: string,
  fields: Partial<TeachingAssignment> = {},
) =>
  ({
    id,
    schoolId: 'school-1',
    academicYearId: 'year-1',
    teacherId,
    classId,
    subgroupId: '',
    subjectId: math.id,
    subjectKey: math.key,
    subjectName: math.name,
    startsOn: '2026-09-01',
    endsOn: '2027-05-31',
    hoursPerWeek: 5,
    status: 'active',
    history: [],
    version: 1,
    createdAt: '2026-08-20T00:00:00.000Z',
    ...fields,
  }) as TeachingAssignment;

function setUp() {
  const timetables = timetablesInMemory();
  const assignments = assignmentsInMemory();
  for (const a of [
    assignment('a1', 'teacher-1', 'class-5a'),
    assignment('a2', 'teacher-1', 'class-10a'),
    assignment('a3', 'teacher-2', 'class-5a'),
  ]) {
    assignments.stored.set(a.id, a);
  }
  const bells = bellSchedulesInMemory();
  const firstShift: BellSchedule = {
    id: bellScheduleId('school-1', 1),
    schoolId: 'school-1',
    shift: 1,
    name: '',
    lessons: [
      { number: 1, startsAt: '08:00', endsAt: '08:40' },
      { number: 2, startsAt: '08:50', endsAt: '09:30' },
    ],
    version: 1,
    createdAt: '',
    updatedAt: '',
    updatedBy: '',
  };
  bells.stored.set(firstShift.id, firstShift);
  const roster = rosterInMemory({
    years: [year({ calendar: quarterCalendar })],
    classes: [
      schoolClass('class-5a', '5А', { classTeacherId: 'person-lead' }),
      schoolClass('class-10a', '10А'),
      schoolClass('class-4b', '4Б', { status: 'closed' }),
    ],
  });
  const policy = recordingAuthorize();
  const deps: TimetableDeps = {
    timetables: timetables.repository,
    assignments: assignments.repository,
    subjects: subjectsInMemory().repository,
    bellSchedules: bells.repository,
    roster: roster.reader,
    authorize: policy.authorize,
    now: () => new Date('2026-08-25T03:00:00Z'),
  };
  const lesson = (fields: Record<string, unknown> = {}) => ({
    weekday: 1,
    lessonNumber: 1,
    subgroupId: '',
    subjectId: math.id,
    teacherId: 'teacher-1',
    room: '',
    weekParity: '',
    ...fields,
  });
  const set = (fields: Partial<Parameters<typeof setTimetableEntries>[2]> = {}, actor = deputy) =>
    setTimetableEntries(deps, as(actor), {
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-5a',
      period: 1,
      shift: 1,
      entries: [lesson()],
      expectedVersion: 0,
      ...fields,
    });
  return { deps, set, lesson, timetables, assignments, policy };
}

describe('timetable: use cases', () => {
  it('when 10А’s 1st half-year holds the teacher, then 5А’s 1st and 2nd quarters at that time are refused, the 3rd is not', async () => {
    const { set } = setUp();
    await set({ classId: 'class-10a' });

    const q1 = await failure(set({ period: 1 }));
    const q2 = await failure(set({ period: 2 }));
    const q3 = await set({ period: 3 });

    expect([q1.code, q2.code]).toEqual(['timetable.teacher_busy', 'timetable.teacher_busy']);
    expect(q1.errors?.[0]?.message).toBe(
      'Учитель в это время ведёт урок: 10А, понедельник, 1-й урок, «Математика»',
    );
    expect(q3.entries).toEqual([
      {
        weekday: 1,
        lessonNumber: 1,
        subgroupId: '',
        subjectId: math.id,
        teacherId: 'teacher-1',
        room: '',
        weekParity: 'every',
      },
    ]);
  });

  it('when the period, class, bells or version do not fit, then each has its code and nothing is stored', async () => {
    const { set, lesson, timetables } = setUp();

    const refusals = await Promise.all([
      failure(set({ period: 5 })),
      failure(set({ classId: 'class-4b' })),
      failure(set({ classId: 'class-missing' })),
      failure(set({ shift: 2 })),
      failure(set({ expectedVersion: 1 })),
      failure(set({ entries: [lesson({ subjectId: 'no-such-subject' })] })),
      failure(set({ shift: 3, period: 0 })),
    ]);

    expect(refusals.map((e) => e.code)).toEqual([
      'timetable.unknown_period',
      'class.closed',
      'class.not_found',
      'timetable.no_bells',
      'timetable.version_conflict',
      'timetable.invalid',
      'timetable.invalid',
    ]);
    expect(refusals[0]!.detail).toBe('У 5-х классов в 2026/2027 учебном году периоды 1–4, периода 5 нет');
    expect(refusals[6]!.errors?.map((e) => e.field)).toEqual(['period', 'shift']);
    expect(timetables.stored.size).toBe(0);
  });

  it('when an assignment ended after the weeks were set, then publishing refuses with no_assignment at the class’s entry and publishes nothing', async () => {
    const { deps, set, assignments, timetables } = setUp();
    await set();
    assignments.stored.set(
      'a1',
      assignment('a1', 'teacher-1', 'class-5a', { endsOn: '2026-08-31', status: 'ended' }),
    );

    const refused = await failure(
      publishTimetable(deps, as(deputy), { schoolId: 'school-1', academicYearId: 'year-1', period: 1 }),
    );

    expect(refused.code).toBe('timetable.no_assignment');
    expect(refused.errors?.map((e) => e.field)).toEqual(['classes[5А].entries[0].teacherId']);
    expect(timetables.events).toEqual([]);
  });

  it('when 5А has the same slot in its 1st and 2nd quarters and 10А’s half-year shares their days, then publishing the 1st period finds no conflict and records both classes with times', async () => {
    const { deps, set, lesson, timetables } = setUp();
    await set({ period: 1 });
    await set({ period: 2 });
    await set({
      classId: 'class-10a',
      entries: [lesson({ lessonNumber: 2, weekParity: 'odd', room: '214' })],
    });

    const { publication, entries } = await publishTimetable(deps, as(deputy), {
      schoolId: 'school-1',
      academicYearId: 'year-1',
      period: 1,
    });

    expect(entries).toBe(2);
    expect(publication).toMatchObject({ version: 1, period: 1, publishedBy: 'acc-deputy' });
    expect(
      timetables.events.map((e) =>
        e.classes.map((c) => [c.className, c.entries.map((x) => [x.startsAt, x.weekParity, x.subjectKey])]),
      ),
    ).toEqual([
      [
        ['5А', [['08:00', 'every', 'mathematics']]],
        ['10А', [['08:50', 'odd', 'mathematics']]],
      ],
    ]);
  });

  it('when the class teacher reads the class and a guardian tries, then the class teacher gets the week and the guardian a logged not-found', async () => {
    const { deps, set, policy } = setUp();
    await set();

    const { view } = await getClassTimetable(deps, as(inSchool('teacher', 'school-1', 'person-lead')), {
      classId: 'class-5a',
      period: 1,
    });
    const hidden = await failure(getClassTimetable(deps, as(guardian), { classId: 'class-5a', period: 1 }));

    expect(view.entries.map((e) => [e.className, e.startsAt, e.subjectName])).toEqual([
      ['5А', '08:00', 'Математика'],
    ]);
    expect(hidden.code).toBe('class.not_found');
    expect(policy.denials).toEqual([
      { accountId: 'acc-guardian', action: 'timetable.read', object: 'class:class-5a' },
    ]);
  });
});
