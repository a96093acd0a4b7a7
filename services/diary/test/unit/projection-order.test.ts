import type { EventEnvelope } from '@edu/events';
import { MODEL_COLLECTIONS, weekId } from '../../src/domain/model';
import { MemoryModel } from './memory-model';
import {
  SCHOOL,
  YEAR,
  applyAll,
  applyEvent,
  calendarEvent,
  classEvent,
  guardianshipEvent,
  lessonEvent,
  movementEvent,
  periodMarkEvent,
  personEvent,
  policyEvent,
  recordEvent,
  schoolEvent,
  subgroupEvent,
  subjectEvent,
  yearEvent,
} from './projection-fixtures';

// Order independence: a rebuilt model must equal the incrementally built one. The same events of
// roster, schedule and gradebook, each topic in its own order, interleaved across topics in
// different ways (with redeliveries) end in identical documents — but for where a lesson used to
// be (`formerWeekIds`) and weeks left without lessons.

const A = 'class-5a';
const B = 'class-5b';

function rosterEvents(): EventEnvelope<unknown>[] {
  const link = { guardianId: 'g1', studentId: 's1' };
  return [
    schoolEvent(1, 'Asia/Krasnoyarsk'),
    yearEvent(1),
    classEvent(A, 1, '5А'),
    classEvent(B, 1, '5Б', 'teacher-b'),
    personEvent('s1', 'student', 'Иванов Иван'),
    personEvent('s2', 'student', 'Петров Пётр'),
    personEvent('s3', 'student', 'Сидорова Анна'),
    personEvent('teacher-math', 'staff', 'Кузнецова Ольга Ивановна'),
    personEvent('teacher-sub', 'staff', 'Смирнов Павел Андреевич'),
    personEvent('g1', 'guardian', 'Иванова Мария'),
    movementEvent('enrolled', 's1', 1, { to: A, on: '2026-09-01' }),
    movementEvent('enrolled', 's2', 1, { to: A, on: '2026-09-01' }),
    movementEvent('enrolled', 's3', 1, { to: A, on: '2026-09-01' }),
    subgroupEvent('formed', 'sg1', 1, ['s1', 's2'], '2026-09-01T02:00:00Z'),
    guardianshipEvent('guardian.linked', 'gs1', 1, link),
    guardianshipEvent('consent.recorded', 'gs1', 2, link),
    subgroupEvent('members_changed', 'sg1', 2, ['s1', 's3'], '2026-09-09T19:00:00Z'),
    movementEvent('transferred', 's2', 2, { from: A, to: B, on: '2026-09-15' }),
    classEvent(A, 2, '5А (профильный)'),
    personEvent('s1', 'student', 'Иванов Иван Петрович', 2),
    guardianshipEvent('consent.revoked', 'gs1', 3, link),
    subgroupEvent('disbanded', 'sg1', 3, ['s1', 's3'], '2026-12-25T05:00:00Z'),
  ];
}

function scheduleEvents(): EventEnvelope<unknown>[] {
  const l1 = { lessonId: 'L1', date: '2026-09-07' };
  const l2 = { lessonId: 'L2', date: '2026-09-08', lessonNumber: 2 };
  const l3 = {
    lessonId: 'L3',
    date: '2026-09-09',
    subgroupId: 'sg1',
    subjectId: 'subject-en',
    teacherId: 'teacher-en',
  };
  const l4 = { lessonId: 'L4', date: '2026-09-14' };
  return [
    subjectEvent('subject-math', 'math', 'Математика'),
    subjectEvent('subject-en', 'english', 'Английский язык'),
    lessonEvent('lesson.scheduled', 1, l1),
    lessonEvent('lesson.scheduled', 1, l2),
    lessonEvent('lesson.scheduled', 1, l3),
    lessonEvent('lesson.scheduled', 1, l4),
    lessonEvent('lesson.scheduled', 1, { lessonId: 'L5', date: '2026-09-15', classId: B }),
    calendarEvent('scheduled', 'e1', 1, '2026-10-01'),
    lessonEvent('substitution.assigned', 2, { ...l2, substituteTeacherId: 'teacher-sub' }),
    lessonEvent('lesson.rescheduled', 2, { ...l1, date: '2026-09-16', movedFromDate: '2026-09-07' }),
    lessonEvent('lesson.cancelled', 2, { ...l4, status: 'cancelled' }),
    calendarEvent('changed', 'e1', 2, '2026-10-02', 'Олимпиада (перенесена)'),
    calendarEvent('scheduled', 'e0', 1, '2026-09-20'),
    lessonEvent('substitution.revoked', 3, l2),
    lessonEvent('lesson.rescheduled', 3, {
      ...l1,
      date: '2026-09-17',
      lessonNumber: 4,
      movedFromDate: '2026-09-07',
    }),
  ];
}

function gradebookEvents(): EventEnvelope<unknown>[] {
  const l1 = {
    lessonId: 'L1',
    date: '2026-09-07',
    version: 1,
    marks: [{ markId: 'm1', studentId: 's1', values: ['4'] }],
  };
  const l1Moved = {
    ...l1,
    date: '2026-09-16',
    version: 2,
    absent: ['s2'],
    marks: [{ markId: 'm1', studentId: 's1', values: ['4', '5'] }],
  };
  return [
    policyEvent(1),
    recordEvent('mark.posted', l1),
    recordEvent('attendance.recorded', l1),
    recordEvent('lesson.topic_set', {
      lessonId: 'L2',
      date: '2026-09-08',
      lessonNumber: 2,
      version: 1,
      topic: 'Дроби',
    }),
    recordEvent('homework.assigned', {
      lessonId: 'L2',
      date: '2026-09-08',
      lessonNumber: 2,
      version: 2,
      topic: 'Дроби',
      homework: '№ 12',
    }),
    periodMarkEvent('s1', 1, ['4']),
    recordEvent('mark.corrected', l1Moved),
    recordEvent('attendance.recorded', l1Moved),
    recordEvent('mark.posted', {
      lessonId: 'L3',
      date: '2026-09-09',
      version: 1,
      marks: [{ markId: 'm3', studentId: 's3', values: ['3'] }],
    }),
    // A lesson schedule never tells: its marks stay.
    recordEvent('mark.posted', {
      lessonId: 'L6',
      date: '2026-09-10',
      lessonNumber: 6,
      version: 1,
      marks: [{ markId: 'm6', studentId: 's1', values: ['5'] }],
    }),
    periodMarkEvent('s1', 2, ['4', '5']),
    policyEvent(2, 0.5),
  ];
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The topics merged in a random way that keeps each topic's own order; some events are delivered
 * again later (a consumer's restart replays from its last committed offset).
 */
function interleaved(topics: EventEnvelope<unknown>[][], seed: number): EventEnvelope<unknown>[] {
  const next = random(seed);
  const queues = topics.map((events) => ({ events, position: 0 }));
  const merged: EventEnvelope<unknown>[] = [];
  for (;;) {
    const open = queues.filter((q) => q.position < q.events.length);
    const queue = open[Math.floor(next() * open.length)];
    if (!queue) return merged;
    const position = queue.position++;
    // Delivered, then sometimes replayed from an earlier offset of the same topic up to it.
    merged.push(...queue.events.slice(position, position + 1));
    if (next() < 0.2) merged.push(...queue.events.slice(Math.floor(next() * (position + 1)), position + 1));
  }
}

/** The model's documents as compared: no `formerWeekIds`, no weeks without lessons. */
function comparable(model: MemoryModel): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const collection of MODEL_COLLECTIONS) {
    let docs: unknown[] = model.all(collection);
    if (collection === 'lessons') {
      docs = model.all('lessons').map(({ formerWeekIds: _former, ...rest }) => rest);
    }
    if (collection === 'weeks') docs = model.all('weeks').filter((week) => week.lessons.length > 0);
    out[collection] = docs;
  }
  return out;
}

async function built(events: EventEnvelope<unknown>[]): Promise<MemoryModel> {
  const model = new MemoryModel();
  await applyAll(model, events);
  return model;
}

describe('order independence', () => {
  const [roster, schedule, gradebook] = [rosterEvents(), scheduleEvents(), gradebookEvents()];
  const topics = [roster, schedule, gradebook];
  let reference: MemoryModel;

  beforeAll(async () => {
    reference = await built(topics.flat());
  });

  it('builds the expected model in topic order', async () => {
    const w2 = weekId(A, '2026-09-14');
    const l1 = (await reference.get('weeks', w2))?.lessons.find((l) => l.lessonId === 'L1');
    expect(l1).toMatchObject({
      date: '2026-09-17',
      lessonNumber: 4,
      lessonVersion: 3,
      record: { version: 2, attendance: [{ studentId: 's2' }], marks: [{ value: '5', postedValue: '4' }] },
    });
    const w1 = (await reference.get('weeks', weekId(A, '2026-09-07')))?.lessons ?? [];
    expect(w1.map((l) => [l.lessonId, l.lessonVersion])).toEqual([
      ['L2', 3],
      ['L3', 1],
      ['L6', 0],
    ]);
    expect(w1[0]).toMatchObject({ substituteTeacherId: '', record: { version: 2, topic: 'Дроби' } });
    expect(await reference.get('classes', A)).toMatchObject({
      name: '5А (профильный)',
      version: 2,
      teacherIds: ['teacher-en', 'teacher-math', 'teacher-sub'],
    });
    expect((await reference.get('students', 's1'))?.guardians).toMatchObject([{ active: false, version: 3 }]);
    expect((await reference.get('students', 's3'))?.subgroupStints).toEqual([
      { subgroupId: 'sg1', classId: A, from: '2026-09-10', until: '2026-12-25' },
    ]);
    expect((await reference.get('students', 's1'))?.periodMarks).toMatchObject([{ value: '5', version: 2 }]);
    expect((await reference.get('schools', SCHOOL))?.policy?.version).toBe(2);
    expect((await reference.get('calendars', `${SCHOOL}:${YEAR}`))?.events.map((e) => e.eventId)).toEqual([
      'e0',
      'e1',
    ]);
  });

  it('builds the same model with the topics in reverse order', async () => {
    const other = await built([...topics].reverse().flat());
    expect(comparable(other)).toEqual(comparable(reference));
  });

  it('builds the same model with gradebook first, then roster, then schedule', async () => {
    const other = await built([...gradebook, ...roster, ...schedule]);
    expect(comparable(other)).toEqual(comparable(reference));
  });

  it.each(Array.from({ length: 25 }, (_, i) => i + 1))(
    'builds the same model interleaved across topics with redeliveries (seed %i)',
    async (seed) => {
      const other = await built(interleaved(topics, seed));
      expect(comparable(other)).toEqual(comparable(reference));
    },
  );

  it('changes nothing when everything is delivered again', async () => {
    const model = await built(interleaved(topics, 99));
    const before = comparable(model);
    const lessonsBefore = model.all('lessons');
    for (const event of topics.flat()) {
      expect(await applyEvent(model, event)).toBe(false);
    }
    expect(comparable(model)).toEqual(before);
    expect(model.all('lessons')).toEqual(lessonsBefore);
  });
});
