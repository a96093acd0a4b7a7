import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { addDays } from '@edu/kit';
import type { EventEnvelope } from '@edu/events';
import { MODEL_COLLECTIONS } from '../../src/domain/model';
import {
  SchoolScenario,
  mondayOf,
  personActor,
  refusal,
  staffOf,
  startDiary,
  type DiaryHarness,
} from './harness';

// The diary against the real Kafka and FerretDB: roster's, schedule's and gradebook's events in,
// what guardians, students and staff read out — and what everyone else is refused.

jest.setTimeout(120_000);

let diary: DiaryHarness;
const school = new SchoolScenario();
const [alice, bob, carol] = school.studentsA as [string, string, string];
const [dan] = school.studentsB as [string];
const aliceMother = school.guardians.get(alice)![0]!;
const aliceFather = school.guardians.get(alice)![1]!;
const bobMother = school.guardians.get(bob)![0]!;
const today = school.today;
const monday = mondayOf(today);
// A lesson on Monday of this week, one on Tuesday; a mark before its lesson is known comes later.
const mondayLesson = { lessonId: randomUUID(), date: monday, lessonNumber: 1 };
const tuesdayLesson = { lessonId: randomUUID(), date: addDays(monday, 1), lessonNumber: 2 };

async function week(actorPersonId: string, studentId: string, date = today) {
  return diary.client.GetWeek({ student_id: studentId, date }, await diary.as(personActor(actorPersonId)));
}

function lessonsOf(w: Awaited<ReturnType<typeof week>>) {
  return w.days.flatMap((d) => d.lessons);
}

const published: { roster: EventEnvelope<unknown>[]; schedule: EventEnvelope<unknown>[] } = {
  roster: [],
  schedule: [],
};

beforeAll(async () => {
  diary = await startDiary();
  published.roster = [
    ...school.rosterEvents(),
    // Alice's father also has Dan (of 5Б): two children in his home.
    ...school.guardianship(aliceFather, dan, true),
  ];
  published.schedule = [school.lesson(mondayLesson).event, school.lesson(tuesdayLesson).event];
  await diary.publish('roster', published.roster);
  await diary.publish('schedule', published.schedule);
  await diary.publish('gradebook', [
    school.record(
      { ...mondayLesson },
      {
        topic: 'Обыкновенные дроби',
        homework: '№ 212, 214',
        marks: [
          { studentId: alice, value: '5' },
          { studentId: bob, value: '3' },
          { studentId: carol, value: '4', workType: 'test', workTypeName: 'Контрольная работа', weight: 2 },
        ],
        absent: [bob],
      },
    ),
  ]);
});

afterAll(async () => {
  await diary?.close();
});

describe('the week', () => {
  it('shows a guardian the lesson, its topic and homework and their child’s mark only', async () => {
    const w = await week(aliceMother, alice);
    expect(w.starts_on).toBe(monday);
    expect(w.days).toHaveLength(7);
    const lesson = lessonsOf(w).find((l) => l.lesson_id === mondayLesson.lessonId)!;
    expect(lesson).toMatchObject({ subject_name: 'Математика', topic: 'Обыкновенные дроби', room: '214' });
    expect(lesson.teacher_name).toBe('Учителев П. И.');
    expect(lesson.homework.map((h) => h.text)).toEqual(['№ 212, 214']);
    expect(lesson.marks.map((m) => m.value)).toEqual(['5']);
    expect(lesson.attendance).toBeFalsy();
    expect(w.student).toMatchObject({ student_id: alice, class_name: '5А' });
  });

  it('shows Bob’s absence to Bob’s guardian, and none of Alice’s or Carol’s marks', async () => {
    const lesson = lessonsOf(await week(bobMother, bob)).find((l) => l.lesson_id === mondayLesson.lessonId)!;
    expect(lesson.marks.map((m) => m.value)).toEqual(['3']);
    expect(lesson.attendance?.kind).toBe('absent');
  });

  it('keeps a mark that arrives before its lesson, and completes the lesson when schedule tells it', async () => {
    const early = { lessonId: randomUUID(), date: addDays(monday, 2), lessonNumber: 3 };
    await diary.publish('gradebook', [school.record(early, { marks: [{ studentId: alice, value: '4' }] })]);
    const before = lessonsOf(await week(aliceMother, alice)).find((l) => l.lesson_id === early.lessonId);
    expect(before?.marks.map((m) => m.value)).toEqual(['4']);
    await diary.publish('schedule', [school.lesson({ ...early, room: '301' }).event]);
    const after = lessonsOf(await week(aliceMother, alice)).find((l) => l.lesson_id === early.lessonId)!;
    expect(after.marks.map((m) => m.value)).toEqual(['4']);
    expect(after.room).toBe('301');
    expect(after.subject_name).toBe('Математика');
  });

  it('changes nothing when events are delivered again', async () => {
    const before = await week(aliceMother, alice);
    // The same events again (a source's relay that crashed before the broker's acknowledgement),
    // and the same facts under new event ids: the versions say there is nothing new.
    await diary.publish('roster', published.roster);
    await diary.publish(
      'schedule',
      published.schedule.map((e) => ({ ...e, id: randomUUID() })),
    );
    const after = await week(aliceMother, alice);
    expect(after).toEqual(before);
  });

  it('refuses a guardian of another child of the same class, an unknown student, another class’s teacher', async () => {
    const denied = [
      refusal(week(bobMother, alice)),
      refusal(week(aliceMother, randomUUID())),
      refusal(
        diary.client.GetWeek({ student_id: alice, date: today }, await diary.as(school.classTeacherOfB())),
      ),
      refusal(
        diary.client.GetWeek(
          { student_id: alice, date: today },
          await diary.as(staffOf(randomUUID(), 'director')),
        ),
      ),
    ];
    const errors = await Promise.all(denied);
    for (const error of errors) expect(error.code).toBe(status.PERMISSION_DENIED);
    // An unknown student is refused exactly like someone else's child: nothing tells it apart.
    expect([errors[1]!.details, errors[1]!.domainError?.code]).toEqual([
      errors[0]!.details,
      errors[0]!.domainError?.code,
    ]);
  });

  it('refuses a malformed date or student id with the fields named in Russian', async () => {
    const error = await refusal(
      diary.client.GetWeek({ student_id: ' ', date: '24.11.2026' }, await diary.as(personActor(aliceMother))),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.domainError?.code).toBe('diary.query_invalid');
    expect(error.details).toMatch(/[а-яё]/i);
  });

  it('lets the student, the class teacher, the teacher and the deputy read it', async () => {
    for (const actor of [personActor(alice), school.classTeacherOfA(), school.teacher(), school.deputy()]) {
      const w = await diary.client.GetWeek({ student_id: alice, date: today }, await diary.as(actor));
      expect(w.student?.student_id).toBe(alice);
    }
  });

  it('serves a repeated read from the cache', async () => {
    await week(aliceMother, alice);
    const hits = async () =>
      (await diary.metrics.registry.getSingleMetricAsString('diary_cache_requests_total')).match(
        /result="hit"} (\d+)/,
      )?.[1];
    const before = Number(await hits());
    await week(aliceMother, alice);
    expect(Number(await hits())).toBeGreaterThan(before);
  });
});

describe('period marks, home and the paper extract', () => {
  it('shows period and year marks in the summary as soon as they are posted (R6.4)', async () => {
    await diary.publish('gradebook', [
      school.periodMark(alice, '5'),
      school.periodMark(alice, '5', 'year', 0),
    ]);
    const summary = await diary.client.GetSummary(
      { student_id: alice, period: 1 },
      await diary.as(personActor(aliceMother)),
    );
    const math = summary.subjects.find((s) => s.subject_id === school.mathId)!;
    expect(math.period_mark?.value).toBe('5');
    expect(math.marks_count).toBeGreaterThanOrEqual(1);
    expect(summary.final_marks.map((m) => [m.kind, m.value])).toEqual([['year', '5']]);
  });

  it('gives a guardian of two children in two classes both on the home page', async () => {
    const home = await diary.client.GetHome({}, await diary.as(personActor(aliceFather)));
    expect(home.children.map((c) => c.student?.student_id).sort()).toEqual([alice, dan].sort());
  });

  it('prints the week as a PDF', async () => {
    const doc = await diary.client.GetWeekExtract(
      { student_id: alice, date: today },
      await diary.as(personActor(aliceMother)),
    );
    expect(doc.content_type).toBe('application/pdf');
    expect(Buffer.from(doc.content).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('settings', () => {
  it('shows a corrected mark as old → new, and why only once the school shows reasons', async () => {
    const corrected = { lessonId: randomUUID(), date: addDays(monday, 4), lessonNumber: 2 };
    await diary.publish('schedule', [school.lesson(corrected).event]);
    await diary.publish('gradebook', [
      school.record(
        corrected,
        {
          marks: [
            { studentId: alice, value: '4', correctedFrom: { value: '3', reason: 'Ошибка при вводе' } },
          ],
        },
        'edu.gradebook.mark.corrected',
      ),
    ]);
    const markOf = async () =>
      lessonsOf(await week(aliceMother, alice)).find((l) => l.lesson_id === corrected.lessonId)!.marks[0]!;
    expect(await markOf()).toMatchObject({
      value: '4',
      corrected: true,
      previous_values: ['3'],
      correction_reason: '',
    });
    await diary.client.SetSettings(
      { school_id: school.schoolId, show_correction_reasons: true },
      await diary.as(school.deputy()),
    );
    expect((await markOf()).correction_reason).toBe('Ошибка при вводе');
  });

  it('refuses settings without a school and changes nothing', async () => {
    const error = await refusal(
      diary.client.SetSettings(
        { school_id: '', show_correction_reasons: true },
        await diary.as(school.deputy()),
      ),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(await diary.store.collection('settings').countDocuments({ _id: '' } as never)).toBe(0);
  });

  it('lets the deputy show correction reasons and refuses a teacher', async () => {
    const set = await diary.client.SetSettings(
      { school_id: school.schoolId, show_correction_reasons: true },
      await diary.as(school.deputy()),
    );
    expect(set.show_correction_reasons).toBe(true);
    const error = await refusal(
      diary.client.SetSettings(
        { school_id: school.schoolId, show_correction_reasons: false },
        await diary.as(school.teacher()),
      ),
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });
});

describe('the rebuild', () => {
  const operator = { accountId: 'acc-operator', personId: '', schoolRoles: [], grants: ['regionOperator'] };

  it('is refused to anyone but the region’s operator', async () => {
    const error = await refusal(diary.client.RebuildReadModel({}, await diary.as(school.deputy())));
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });

  it('replays every topic into a fresh generation equal to the incremental one and swaps it in', async () => {
    const runtime = diary.service.model();
    const before = runtime.activeStore();
    const incremental = Object.fromEntries(
      await Promise.all(MODEL_COLLECTIONS.map(async (c) => [c, await before.all(c)] as const)),
    );
    const started = await diary.client.RebuildReadModel({}, await diary.as(operator));
    expect(started.state).toBe('replaying');
    expect(started.building_generation).toBe(before.generation + 1);
    await runtime.rebuilt();
    const after = runtime.activeStore();
    expect(after.generation).toBe(before.generation + 1);
    for (const collection of MODEL_COLLECTIONS) {
      const rebuilt = await after.all(collection);
      if (collection === 'lessons') {
        // Where each lesson lives; only the trail of former weeks may differ.
        const strip = (docs: typeof rebuilt) => docs.map((d) => ({ ...d, formerWeekIds: [] }));
        expect(strip(rebuilt)).toEqual(strip(incremental[collection]!));
      } else if (collection === 'weeks') {
        const kept = (docs: typeof rebuilt) =>
          docs.filter((d) => (d as { lessons: unknown[] }).lessons.length > 0);
        expect(kept(rebuilt)).toEqual(kept(incremental[collection]!));
      } else {
        expect({ collection, docs: rebuilt }).toEqual({ collection, docs: incremental[collection] });
      }
    }
    const status = await diary.client.GetRebuildStatus({}, await diary.as(operator));
    expect(status).toMatchObject({ state: 'idle', active_generation: after.generation });
    // The swapped-in generation is the live one: new events reach it and reads see them.
    const late = { lessonId: randomUUID(), date: addDays(monday, 3), lessonNumber: 1 };
    await diary.publish('schedule', [school.lesson(late).event]);
    await diary.publish('gradebook', [school.record(late, { marks: [{ studentId: alice, value: '2' }] })]);
    const lesson = lessonsOf(await week(aliceMother, alice)).find((l) => l.lesson_id === late.lessonId)!;
    expect(lesson.marks.map((m) => m.value)).toEqual(['2']);
  });
});
