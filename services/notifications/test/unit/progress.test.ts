import { DomainError, forbidden } from '@edu/kit';
import type { MarkFact } from '../../src/domain/copies';
import { applyMarks } from '../../src/domain/marks-copy';
import {
  notificationId,
  type InboxEntry,
  type MarksCopy,
  type NotificationIntent,
} from '../../src/domain/model';
import {
  averageText,
  composeReport,
  lastEndedRound,
  listProgressReports,
  markOpened,
  roundOf,
  runProgressRound,
  type ProgressQueryDeps,
} from '../../src/domain/progress';
import type { Actor } from '../../src/domain/ports';
import type { MemoryDocs } from './memory-copies';
import {
  ANNA,
  BORIS,
  CLASS_A,
  CLASS_B,
  IVAN,
  MATH,
  OLGA,
  PETR,
  SCHOOL,
  TEACHER_A,
  TEACHER_B,
  VERA,
  attendanceRecorded,
  classEvent,
  handle,
  movementEvent,
  schoolEvent,
  seededCopies,
  subjectEvent,
} from './source-fixtures';

// The round that ended before Tuesday 17.11.2026 (Moscow): Monday 2 – Sunday 15 November.
const RUN_AT = new Date('2026-11-17T06:00:00.000Z');
const ROUND = { startsOn: '2026-11-02', endsOn: '2026-11-15' };
const PHYSICS = 'subj-physics';

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

// --- Rounds ---------------------------------------------------------------------------------------

describe('rounds', () => {
  it('start on the epoch Monday and last 14 days', () => {
    expect(roundOf('2024-01-01')).toEqual({ startsOn: '2024-01-01', endsOn: '2024-01-14' });
    expect(roundOf('2024-01-14')).toEqual({ startsOn: '2024-01-01', endsOn: '2024-01-14' });
    expect(roundOf('2024-01-15')).toEqual({ startsOn: '2024-01-15', endsOn: '2024-01-28' });
    // Before the epoch the rounds go on backwards.
    expect(roundOf('2023-12-31')).toEqual({ startsOn: '2023-12-18', endsOn: '2023-12-31' });
  });

  it('run from a Monday to a Sunday, across years and leap days', () => {
    for (const day of ['2024-02-29', '2025-12-31', '2026-01-01', '2026-11-24', '2027-03-01']) {
      const round = roundOf(day);
      expect(weekday(round.startsOn)).toBe(1);
      expect(weekday(round.endsOn)).toBe(0);
      expect(round.startsOn <= day && day <= round.endsOn).toBe(true);
    }
    expect(roundOf('2026-11-24')).toEqual({ startsOn: '2026-11-16', endsOn: '2026-11-29' });
  });

  it('the last ended round: on its Sunday a round has not ended yet, on the next Monday it has', () => {
    expect(lastEndedRound('2026-11-15')).toEqual({ startsOn: '2026-10-19', endsOn: '2026-11-01' });
    expect(lastEndedRound('2026-11-16')).toEqual(ROUND);
    expect(lastEndedRound('2026-11-29')).toEqual(ROUND);
  });
});

// --- The report's text ----------------------------------------------------------------------------

function entry(subjectId: string, date: string, value: string, o: Partial<MarksCopy['marks'][number]> = {}) {
  return {
    markId: `${subjectId}-${date}-${value}`,
    lessonId: `lesson-${subjectId}-${date}`,
    subjectId,
    date,
    value,
    workTypeName: '',
    active: true,
    version: 1,
    ...o,
  };
}

describe('composeReport', () => {
  const subjectNames = { [MATH]: 'Математика', 'subj-ru': 'Русский язык', 'subj-pe': 'Физическая культура' };

  it('lists each subject with its marks in date order and the average with a decimal comma', () => {
    const report = composeReport({
      studentName: 'Иванов Иван',
      round: ROUND,
      marks: {
        marks: [
          entry(MATH, '2026-11-10', '4'),
          entry('subj-ru', '2026-11-03', '5'),
          entry(MATH, '2026-11-03', '5'),
          entry('subj-ru', '2026-11-04', 'н/а'),
          entry(MATH, '2026-11-05', '4'),
          entry('subj-pe', '2026-11-06', 'зачёт'),
          entry('subj-ru', '2026-11-12', '4'),
          // Not in the round, or no longer standing: not listed.
          entry(MATH, '2026-11-01', '2'),
          entry(MATH, '2026-11-16', '2'),
          entry(MATH, '2026-11-11', '3', { active: false }),
        ],
      },
      absences: null,
      subjectNames,
    });
    expect(report.title).toBe('Отчёт об успеваемости: Иванов Иван, 2 ноября – 15 ноября');
    expect(report.body.split('\n')).toEqual([
      'Отметки:',
      'Математика: 5, 4, 4 — средний балл 4,33',
      'Русский язык: 5, н/а, 4 — средний балл 4,5',
      'Физическая культура: зачёт',
      'Пропусков уроков нет.',
    ]);
  });

  it('counts the lessons missed in the round, and those without a good reason', () => {
    const lesson = (date: string, unexcused: boolean, lessonId = `l-${date}`, absent = true) => ({
      lessonId,
      classId: CLASS_A,
      date,
      absent,
      unexcused,
      version: 1,
    });
    const report = composeReport({
      studentName: 'Иванов Иван',
      round: ROUND,
      marks: null,
      absences: {
        lessons: [
          lesson('2026-11-01', true),
          lesson('2026-11-02', true),
          lesson('2026-11-09', true, 'l-a'),
          lesson('2026-11-09', true, 'l-b'),
          lesson('2026-11-10', false),
          // No longer an absence (the teacher corrected the register): not counted.
          lesson('2026-11-11', false, 'l-c', false),
          lesson('2026-11-16', true),
        ],
      },
      subjectNames,
    });
    expect(report.body.split('\n')).toEqual([
      'Отметок за эти две недели нет.',
      'Пропущено: 4 урока, из них без уважительной причины: 3.',
    ]);
  });

  it('falls back to a generic subject name when the subject is not known', () => {
    const report = composeReport({
      studentName: 'Иванов Иван',
      round: ROUND,
      marks: { marks: [entry('subj-unknown', '2026-11-03', '3')] },
      absences: null,
      subjectNames: {},
    });
    expect(report.body).toContain('Предмет: 3 — средний балл 3');
  });

  it('rounds averages to 2 decimals', () => {
    expect(averageText([5, 4, 4])).toBe('4,33');
    expect(averageText([2, 3, 3])).toBe('2,67');
    expect(averageText([5, 4])).toBe('4,5');
    expect(averageText([5])).toBe('5');
  });
});

// --- Sending a round ------------------------------------------------------------------------------

function markFact(studentId: string, markId: string, value: string): MarkFact {
  return { markId, studentId, value, workTypeName: '' };
}

async function postMarks(
  docs: MemoryDocs,
  subjectId: string,
  date: string,
  marks: MarkFact[],
  lessonId = `l-${subjectId}-${date}`,
): Promise<void> {
  await applyMarks(docs, {
    kind: 'marksPosted',
    source: { eventId: `e-${lessonId}`, occurredAt: `${date}T08:00:00Z` },
    lesson: {
      lessonId,
      schoolId: SCHOOL,
      classId: CLASS_A,
      subgroupId: '',
      subjectId,
      subjectKey: subjectId,
      date,
      lessonNumber: 1,
      recordVersion: 1,
    },
    marks,
  });
}

/** The test school with marks and absences in the round: Ivan 5, 4, 4 in maths; Olga 2 in physics. */
async function schoolWithMarks(): Promise<MemoryDocs> {
  const docs = await seededCopies();
  await handle(docs, subjectEvent(PHYSICS, 'physics', 'Физика'));
  await postMarks(docs, MATH, '2026-11-03', [markFact(IVAN, 'i1', '5')]);
  await postMarks(docs, MATH, '2026-11-05', [markFact(IVAN, 'i2', '4')]);
  await postMarks(docs, MATH, '2026-11-10', [markFact(IVAN, 'i3', '4')]);
  await postMarks(docs, PHYSICS, '2026-11-06', [markFact(OLGA, 'o1', '2')]);
  await handle(
    docs,
    attendanceRecorded([{ studentId: IVAN, kind: 'absent', reason: 'unexcused' }], [], {
      lessonId: 'l-absent',
      date: '2026-11-09',
    }),
  );
  return docs;
}

/** [recipient, student] of each intent, sorted. */
function pairs(intents: NotificationIntent[]): string[][] {
  return intents.map((i) => [i.recipientId, i.studentId]).sort((a, b) => a.join().localeCompare(b.join()));
}

function about(intents: NotificationIntent[], recipientId: string, studentId: string): NotificationIntent {
  const intent = intents.find((i) => i.recipientId === recipientId && i.studentId === studentId);
  if (!intent) throw new Error(`no intent for ${recipientId} about ${studentId}`);
  return intent;
}

describe('runProgressRound', () => {
  it("tells each active guardian of every open class's children of the round that ended", async () => {
    const docs = await schoolWithMarks();
    const { intents, rounds } = await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    // Boris (Ivan's guardian without consent) is not told.
    expect(intents.some((i) => i.recipientId === BORIS)).toBe(false);
    expect(pairs(intents)).toEqual([
      [ANNA, IVAN],
      [ANNA, PETR],
      [VERA, OLGA],
    ]);
    const ivan = about(intents, ANNA, IVAN);
    expect(ivan).toEqual({
      eventId: `progress:${CLASS_A}:2026-11-02`,
      trigger: 'progress_report',
      recipientId: ANNA,
      studentId: IVAN,
      schoolId: SCHOOL,
      schoolName: 'Школа № 1',
      timeZone: 'Europe/Moscow',
      title: 'Отчёт об успеваемости: Иванов Иван, 2 ноября – 15 ноября',
      body: 'Отметки:\nМатематика: 5, 4, 4 — средний балл 4,33\nПропущено: 1 урок, из них без уважительной причины: 1.',
      link: `report:${CLASS_A}:2026-11-02:${IVAN}`,
      occurredAt: RUN_AT.toISOString(),
    });
    expect(about(intents, VERA, OLGA).body).toContain('Физика: 2 — средний балл 2');
    expect(about(intents, ANNA, PETR).body).toContain('Отметок за эти две недели нет.');

    expect(rounds.map((r) => r._id)).toEqual([`${CLASS_A}:2026-11-02`, `${CLASS_B}:2026-11-02`]);
    const stored = await docs.get('progress', `${CLASS_A}:2026-11-02`);
    expect(stored).toEqual({
      _id: `${CLASS_A}:2026-11-02`,
      classId: CLASS_A,
      schoolId: SCHOOL,
      startsOn: '2026-11-02',
      endsOn: '2026-11-15',
      createdAt: RUN_AT.toISOString(),
      rows: [
        {
          reportId: `${CLASS_A}:2026-11-02:${IVAN}:${ANNA}`,
          studentId: IVAN,
          guardianId: ANNA,
          notificationId: notificationId(ivan),
          sentAt: RUN_AT.toISOString(),
          openedAt: '',
        },
        expect.objectContaining({ studentId: OLGA, guardianId: VERA, openedAt: '' }),
      ],
    });
  });

  it("never puts a classmate's data in a child's report", async () => {
    const docs = await schoolWithMarks();
    const { intents } = await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    const toldAboutIvan = JSON.stringify(intents.filter((i) => i.studentId === IVAN));
    for (const foreign of [OLGA, 'Смирнова Ольга', 'Физика', PETR, 'Петров Пётр']) {
      expect(toldAboutIvan).not.toContain(foreign);
    }
    const toldAboutOlga = JSON.stringify(intents.filter((i) => i.studentId === OLGA));
    for (const foreign of [IVAN, 'Иванов Иван', 'Математика', 'Пропущено']) {
      expect(toldAboutOlga).not.toContain(foreign);
    }
  });

  it('tells nothing and puts nothing when run again for the same round', async () => {
    const docs = await schoolWithMarks();
    await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    const before = docs.snapshot();
    const puts = docs.puts;
    const later = new Date('2026-11-22T10:00:00.000Z');
    expect(await runProgressRound(docs, { schoolId: SCHOOL, now: later })).toEqual({
      intents: [],
      rounds: [],
    });
    expect(docs.puts).toBe(puts);
    expect(docs.snapshot()).toEqual(before);
  });

  it('gives the same notification ids when a unit runs twice (nothing of the first run kept)', async () => {
    const first = await runProgressRound(await schoolWithMarks(), { schoolId: SCHOOL, now: RUN_AT });
    const again = await runProgressRound(await schoolWithMarks(), { schoolId: SCHOOL, now: RUN_AT });
    expect(again.intents.map(notificationId)).toEqual(first.intents.map(notificationId));
  });

  it('skips a closed class', async () => {
    const docs = await schoolWithMarks();
    await handle(docs, classEvent(CLASS_B, 2, '5Б', TEACHER_B, 'closed'));
    const { intents, rounds } = await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    expect(intents.some((i) => i.studentId === PETR)).toBe(false);
    expect(rounds.map((r) => r.classId)).toEqual([CLASS_A]);
    expect(await docs.get('progress', `${CLASS_B}:2026-11-02`)).toBeNull();
  });

  it("reports only the children in the class on the round's last day", async () => {
    const docs = await schoolWithMarks();
    // Olga left on the round's last day; Petr moves into 5А only the day after it.
    await handle(docs, movementEvent('withdrawn', OLGA, 2, { from: CLASS_A, on: '2026-11-15' }));
    await handle(
      docs,
      movementEvent('transferred', PETR, 2, { from: CLASS_B, to: CLASS_A, on: '2026-11-16' }),
    );
    const { intents, rounds } = await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    expect(pairs(intents)).toEqual([
      [ANNA, IVAN],
      [ANNA, PETR],
    ]);
    expect(about(intents, ANNA, PETR).link).toBe(`report:${CLASS_B}:2026-11-02:${PETR}`);
    expect(rounds.find((r) => r.classId === CLASS_A)?.rows.map((r) => r.studentId)).toEqual([IVAN]);
  });

  it("takes the round that ended in the school's zone", async () => {
    // 22:30 UTC on Sunday 15.11: already Monday in Moscow, still Sunday in London.
    const at = new Date('2026-11-15T22:30:00.000Z');
    const moscow = await schoolWithMarks();
    const inMoscow = await runProgressRound(moscow, { schoolId: SCHOOL, now: at });
    expect(inMoscow.rounds.map((r) => r.startsOn)).toEqual(['2026-11-02', '2026-11-02']);

    const london = await schoolWithMarks();
    await handle(london, schoolEvent(2, 'Школа № 1', 'Europe/London'));
    const inLondon = await runProgressRound(london, { schoolId: SCHOOL, now: at });
    expect(inLondon.rounds.map((r) => r.startsOn)).toEqual(['2026-10-19', '2026-10-19']);
    expect(inLondon.intents[0]?.timeZone).toBe('Europe/London');
  });

  it('tells nothing for an unknown school', async () => {
    const docs = await schoolWithMarks();
    const puts = docs.puts;
    expect(await runProgressRound(docs, { schoolId: 'school-x', now: RUN_AT })).toEqual({
      intents: [],
      rounds: [],
    });
    expect(docs.puts).toBe(puts);
  });
});

// --- Opened ---------------------------------------------------------------------------------------

function inboxEntry(intent: NotificationIntent, readAt = ''): InboxEntry {
  return {
    id: notificationId(intent),
    trigger: intent.trigger,
    title: intent.title,
    body: intent.body,
    studentId: intent.studentId,
    schoolId: intent.schoolId,
    link: intent.link,
    occurredAt: intent.occurredAt,
    createdAt: intent.occurredAt,
    readAt,
  };
}

async function openedOf(docs: MemoryDocs, classId: string): Promise<Record<string, string>> {
  const doc = await docs.get('progress', `${classId}:2026-11-02`);
  return Object.fromEntries((doc?.rows ?? []).map((r) => [`${r.studentId}/${r.guardianId}`, r.openedAt]));
}

describe('markOpened', () => {
  it('marks the read report opened, only the first time', async () => {
    const docs = await schoolWithMarks();
    const { intents } = await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    const first = new Date('2026-11-18T10:00:00.000Z');
    await markOpened(docs, [inboxEntry(about(intents, ANNA, IVAN))], first);
    expect(await openedOf(docs, CLASS_A)).toEqual({
      [`${IVAN}/${ANNA}`]: first.toISOString(),
      [`${OLGA}/${VERA}`]: '',
    });
    expect(await openedOf(docs, CLASS_B)).toEqual({ [`${PETR}/${ANNA}`]: '' });

    const puts = docs.puts;
    await markOpened(docs, [inboxEntry(about(intents, ANNA, IVAN))], new Date('2026-11-19T10:00:00.000Z'));
    expect(docs.puts).toBe(puts);
    expect((await openedOf(docs, CLASS_A))[`${IVAN}/${ANNA}`]).toBe(first.toISOString());
  });

  it('ignores other notifications and reports of rounds never sent', async () => {
    const docs = await schoolWithMarks();
    const { intents } = await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    const puts = docs.puts;
    const report = inboxEntry(about(intents, VERA, OLGA));
    await markOpened(
      docs,
      [
        { ...report, trigger: 'mark_posted' },
        { ...report, link: `report:${CLASS_A}:2026-10-19:${OLGA}` },
        { ...report, link: `diary:week:${OLGA}:2026-11-02` },
        { ...report, id: 'another-notification' },
      ],
      new Date('2026-11-18T10:00:00.000Z'),
    );
    expect(docs.puts).toBe(puts);
    expect(await openedOf(docs, CLASS_A)).toEqual({ [`${IVAN}/${ANNA}`]: '', [`${OLGA}/${VERA}`]: '' });
  });
});

// --- The class teacher's view ---------------------------------------------------------------------

function staff(personId: string, role: string, schoolId = SCHOOL): Actor {
  return { accountId: `acc-${personId}`, personId, schoolRoles: [{ schoolId, role }], grants: [] };
}

const GUARDIAN: Actor = { accountId: 'acc-anna', personId: ANNA, schoolRoles: [], grants: [] };

function deps(docs: MemoryDocs, now = RUN_AT): ProgressQueryDeps {
  return {
    reader: docs,
    now: () => now,
    authorize: (_actor, allowed) => {
      if (!allowed) throw forbidden('access.denied', 'Недостаточно прав');
    },
  };
}

async function caught(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('listProgressReports', () => {
  async function sentSchool(): Promise<{ docs: MemoryDocs; intents: NotificationIntent[] }> {
    const docs = await schoolWithMarks();
    const { intents } = await runProgressRound(docs, { schoolId: SCHOOL, now: RUN_AT });
    return { docs, intents };
  }

  it('shows the class teacher the latest round with names and who has not opened it', async () => {
    const { docs, intents } = await sentSchool();
    await markOpened(docs, [inboxEntry(about(intents, VERA, OLGA))], new Date('2026-11-18T10:00:00.000Z'));
    const view = await listProgressReports(deps(docs), staff(TEACHER_A, 'teacher'), {
      classId: CLASS_A,
      roundStartsOn: '',
    });
    expect(view).toEqual({
      classId: CLASS_A,
      roundStartsOn: '2026-11-02',
      roundEndsOn: '2026-11-15',
      rows: [
        {
          reportId: `${CLASS_A}:2026-11-02:${IVAN}:${ANNA}`,
          studentId: IVAN,
          studentName: 'Иванов Иван',
          guardianId: ANNA,
          guardianName: 'Иванова Анна',
          sentAt: RUN_AT.toISOString(),
          openedAt: '',
        },
        expect.objectContaining({
          studentName: 'Смирнова Ольга',
          guardianName: 'Смирнова Вера',
          openedAt: '2026-11-18T10:00:00.000Z',
        }),
      ],
      notOpened: 1,
    });
  });

  it("lets the school's heads read any class, and a named round", async () => {
    const { docs } = await sentSchool();
    for (const role of ['director', 'deputy', 'schoolAdmin']) {
      const view = await listProgressReports(deps(docs), staff('head-1', role), {
        classId: CLASS_B,
        roundStartsOn: '2026-11-02',
      });
      expect(view.rows.map((r) => [r.studentId, r.guardianId])).toEqual([[PETR, ANNA]]);
      expect(view.notOpened).toBe(1);
    }
    const earlier = await listProgressReports(deps(docs), staff('head-1', 'director'), {
      classId: CLASS_B,
      roundStartsOn: '2026-10-19',
    });
    expect(earlier).toEqual({
      classId: CLASS_B,
      roundStartsOn: '2026-10-19',
      roundEndsOn: '2026-11-01',
      rows: [],
      notOpened: 0,
    });
  });

  it('takes the latest round in the school zone from now', async () => {
    const { docs } = await sentSchool();
    // A fortnight later the 2.11 round is no longer the latest.
    const view = await listProgressReports(
      deps(docs, new Date('2026-12-01T06:00:00.000Z')),
      staff('h', 'director'),
      {
        classId: CLASS_A,
        roundStartsOn: '',
      },
    );
    expect([view.roundStartsOn, view.roundEndsOn, view.rows]).toEqual(['2026-11-16', '2026-11-29', []]);
  });

  it('refuses another teacher, a guardian, a head of another school and an unknown class alike', async () => {
    const { docs } = await sentSchool();
    const query = { classId: CLASS_A, roundStartsOn: '' };
    const refusals = [
      await caught(listProgressReports(deps(docs), staff(TEACHER_B, 'teacher'), query)),
      await caught(listProgressReports(deps(docs), GUARDIAN, query)),
      await caught(listProgressReports(deps(docs), staff('head-2', 'director', 'school-2'), query)),
      // The class teacher of 5А without a role in the school any more.
      await caught(
        listProgressReports(deps(docs), { ...staff(TEACHER_A, 'teacher'), schoolRoles: [] }, query),
      ),
      await caught(
        listProgressReports(deps(docs), staff('head-1', 'director'), {
          classId: 'class-x',
          roundStartsOn: '',
        }),
      ),
    ];
    for (const error of refusals)
      expect(error.toJSON()).toEqual(forbidden('access.denied', 'Недостаточно прав').toJSON());
  });

  it('names the fields of bad input before anything else', async () => {
    const { docs } = await sentSchool();
    const error = await caught(
      listProgressReports(deps(docs), GUARDIAN, { classId: ' ', roundStartsOn: '2026-11-03' }),
    );
    expect(error.code).toBe('progress.invalid');
    expect(error.kind).toBe('invalid');
    expect(error.errors?.map((e) => e.field)).toEqual(['class_id', 'round_starts_on']);
    expect(error.errors?.[1]?.message).toContain('02.11.2026');

    const notADate = await caught(
      listProgressReports(deps(docs), staff(TEACHER_A, 'teacher'), {
        classId: CLASS_A,
        roundStartsOn: '2026-02-30',
      }),
    );
    expect(notADate.errors).toEqual([{ field: 'round_starts_on', message: 'дата — в виде ГГГГ-ММ-ДД' }]);
  });
});
