import { bellScheduleId } from '../../src/domain/bell-schedule';
import {
  getBellSchedule,
  listBellSchedules,
  setBellSchedule,
  type BellScheduleDeps,
} from '../../src/domain/bell-schedule.use-cases';
import { as, bellSchedulesInMemory, failure, guardian, inSchool, recordingAuthorize } from './fixtures';

// Bell schedules with an in-memory repository (port fake) and the deny-by-default policy.

const deputy = inSchool('deputy');
const lessons = [
  { number: 1, startsAt: '08:00', endsAt: '08:40' },
  { number: 2, startsAt: '08:50', endsAt: '09:30' },
];

function setUp() {
  const bellSchedules = bellSchedulesInMemory();
  const policy = recordingAuthorize();
  let clock = Date.parse('2026-08-20T03:00:00Z');
  const deps: BellScheduleDeps = {
    bellSchedules: bellSchedules.repository,
    authorize: policy.authorize,
    now: () => new Date((clock += 60_000)),
  };
  const set = (fields: Partial<Parameters<typeof setBellSchedule>[2]> = {}, actor = deputy) =>
    setBellSchedule(deps, as(actor), {
      schoolId: 'school-1',
      shift: 1,
      name: ' Основное ',
      lessons,
      expectedVersion: 0,
      ...fields,
    });
  return { deps, set, bellSchedules, policy };
}

describe('bell schedules: use cases', () => {
  it('when a deputy sets the first shift and then replaces it by version, then it is stored at version 2 and bells.set is recorded twice', async () => {
    const { set, bellSchedules } = setUp();

    const first = await set({ lessons: [...lessons].reverse() });
    const second = await set({ expectedVersion: 1, name: 'Сокращённые дни', lessons: lessons.slice(0, 1) });

    expect(first).toMatchObject({
      id: bellScheduleId('school-1', 1),
      schoolId: 'school-1',
      shift: 1,
      name: 'Основное',
      lessons,
      version: 1,
      updatedBy: 'acc-deputy',
    });
    expect(second).toMatchObject({ version: 2, name: 'Сокращённые дни', createdAt: first.createdAt });
    expect(second.updatedAt > first.updatedAt).toBe(true);
    expect(bellSchedules.stored.get(first.id)).toEqual(second);
    expect(bellSchedules.events.map((e) => [e.type, e.bellSchedule.version])).toEqual([
      ['edu.schedule.bells.set', 1],
      ['edu.schedule.bells.set', 2],
    ]);
  });

  it('when the version is stale (or 0 for an existing one), then bells.version_conflict and nothing changes', async () => {
    const { set, bellSchedules } = setUp();
    await set();

    const again = await failure(set());
    const stale = await failure(set({ expectedVersion: 3 }));

    expect([again.code, again.kind, stale.code]).toEqual([
      'bells.version_conflict',
      'conflict',
      'bells.version_conflict',
    ]);
    expect(bellSchedules.events).toHaveLength(1);
  });

  it('when the input is malformed, then bells.invalid names every field; a broken rule has its own code; nothing is stored', async () => {
    const { set, bellSchedules } = setUp();

    const malformed = await failure(set({ shift: 0, expectedVersion: -1, lessons: [] }));
    const rule = await failure(set({ lessons: [{ number: 1, startsAt: '08:00', endsAt: '08:20' }] }));

    expect(malformed).toMatchObject({ code: 'bells.invalid', kind: 'invalid' });
    expect(malformed.errors?.map((e) => e.field)).toEqual(['shift', 'lessons', 'expectedVersion']);
    expect(rule).toMatchObject({ code: 'bells.lesson_length', kind: 'invalid' });
    expect(bellSchedules.stored.size).toBe(0);
  });

  it('when a teacher sets a bell schedule, then it is refused and the denial recorded; a stranger is told the school is not found', async () => {
    const { set, policy, bellSchedules } = setUp();

    const teacher = await failure(set({}, inSchool('teacher')));
    const stranger = await failure(set({}, inSchool('director', 'school-2')));

    expect([teacher.kind, stranger.code]).toEqual(['forbidden', 'school.not_found']);
    expect(policy.denials).toEqual([
      { accountId: 'acc-teacher', action: 'bells.set', object: 'school:school-1' },
      { accountId: 'acc-director', action: 'bells.set', object: 'school:school-1' },
    ]);
    expect(bellSchedules.stored.size).toBe(0);
  });

  it('when someone with a role in the school reads, then they get the shifts in order; a guardian is refused as not found and recorded', async () => {
    const { deps, set, policy } = setUp();
    await set({ shift: 2, lessons: [{ number: 1, startsAt: '13:30', endsAt: '14:10' }] });
    await set({ shift: 1 });

    const list = await listBellSchedules(deps, as(inSchool('teacher')), { schoolId: 'school-1' });
    const one = await getBellSchedule(deps, as(inSchool('secretary')), { schoolId: 'school-1', shift: 2 });
    const missing = await failure(getBellSchedule(deps, as(deputy), { schoolId: 'school-3', shift: 1 }));
    const noSuchShift = await failure(getBellSchedule(deps, as(deputy), { schoolId: 'school-1', shift: 5 }));
    const refused = await failure(getBellSchedule(deps, as(guardian), { schoolId: 'school-1', shift: 1 }));
    const refusedList = await failure(listBellSchedules(deps, as(guardian), { schoolId: 'school-1' }));

    expect(list.map((b) => b.shift)).toEqual([1, 2]);
    expect(one.lessons).toEqual([{ number: 1, startsAt: '13:30', endsAt: '14:10' }]);
    expect([missing.code, noSuchShift.code, refused.code, refusedList.code]).toEqual([
      'school.not_found',
      'bells.invalid',
      'school.not_found',
      'school.not_found',
    ]);
    expect(policy.denials.map((d) => [d.accountId, d.action])).toEqual([
      ['acc-deputy', 'bells.read'],
      ['acc-guardian', 'bells.read'],
      ['acc-guardian', 'bells.list'],
    ]);
  });

  it('when the shift has no bell schedule yet, then bells.not_found', async () => {
    const { deps } = setUp();

    const missing = await failure(getBellSchedule(deps, as(deputy), { schoolId: 'school-1', shift: 2 }));

    expect(missing).toMatchObject({
      code: 'bells.not_found',
      kind: 'not_found',
      detail: 'Расписание звонков 2-й смены ещё не задано',
    });
  });
});
