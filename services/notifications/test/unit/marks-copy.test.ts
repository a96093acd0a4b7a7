import type { MarkFact, NotificationFact, RecordLesson } from '../../src/domain/copies';
import { applyMarks } from '../../src/domain/marks-copy';
import { factsOf } from '../../src/entry-points/kafka/source-events';
import { MemoryDocs } from './memory-copies';
import { IVAN, MATH, OLGA, SCHOOL, mark, markCorrected, marksPosted } from './source-fixtures';

function lesson(o: Partial<RecordLesson> = {}): RecordLesson {
  return {
    lessonId: 'lesson-1',
    schoolId: SCHOOL,
    classId: 'class-5a',
    subgroupId: '',
    subjectId: MATH,
    subjectKey: 'math',
    date: '2026-11-10',
    lessonNumber: 2,
    recordVersion: 1,
    ...o,
  };
}

function markFact(studentId: string, markId: string, value: string): MarkFact {
  return { markId, studentId, value, workTypeName: 'Контрольная работа' };
}

function posted(l: RecordLesson, marks: MarkFact[]): NotificationFact {
  return {
    kind: 'marksPosted',
    source: { eventId: 'e', occurredAt: '2026-11-10T08:00:00Z' },
    lesson: l,
    marks,
  };
}

function corrected(l: RecordLesson, m: MarkFact, previousValue: string): NotificationFact {
  return {
    kind: 'markCorrected',
    source: { eventId: 'e2', occurredAt: '2026-11-10T09:00:00Z' },
    lesson: l,
    mark: m,
    previousValue,
  };
}

/** The student's marks as [mark id, value, active, version]. */
async function marksOf(docs: MemoryDocs, studentId: string): Promise<[string, string, boolean, number][]> {
  const copy = await docs.get('marks', studentId);
  return (copy?.marks ?? []).map((m) => [m.markId, m.value, m.active, m.version]);
}

describe('marks copy', () => {
  it('keeps posted marks per student, with the lesson, subject, date and work type', async () => {
    const docs = new MemoryDocs();
    const changed = await applyMarks(
      docs,
      posted(lesson(), [markFact(IVAN, 'm1', '5'), markFact(OLGA, 'm2', '3'), markFact(IVAN, 'm3', '4')]),
    );
    expect(changed).toBe(true);
    expect(await docs.get('marks', IVAN)).toEqual({
      _id: IVAN,
      schoolId: SCHOOL,
      marks: [
        {
          markId: 'm1',
          lessonId: 'lesson-1',
          subjectId: MATH,
          date: '2026-11-10',
          value: '5',
          workTypeName: 'Контрольная работа',
          active: true,
          version: 1,
        },
        expect.objectContaining({ markId: 'm3', value: '4', active: true, version: 1 }),
      ],
    });
    expect(await marksOf(docs, OLGA)).toEqual([['m2', '3', true, 1]]);
    // One put per student.
    expect(docs.puts).toBe(2);
  });

  it('adds a later save of the lesson without touching its earlier marks (a posting lists only new marks)', async () => {
    const docs = new MemoryDocs();
    await applyMarks(docs, posted(lesson(), [markFact(IVAN, 'm1', '5')]));
    await applyMarks(docs, posted(lesson({ recordVersion: 2 }), [markFact(IVAN, 'm2', '3')]));
    expect(await marksOf(docs, IVAN)).toEqual([
      ['m1', '5', true, 1],
      ['m2', '3', true, 2],
    ]);
  });

  it('replaces a corrected mark and keeps a voided one inactive', async () => {
    const docs = new MemoryDocs();
    await applyMarks(docs, posted(lesson(), [markFact(IVAN, 'm1', '2'), markFact(IVAN, 'm2', '4')]));
    expect(
      await applyMarks(docs, corrected(lesson({ recordVersion: 2 }), markFact(IVAN, 'm1', '4'), '2')),
    ).toBe(true);
    // factsOf gives a voided mark no value.
    await applyMarks(docs, corrected(lesson({ recordVersion: 3 }), markFact(IVAN, 'm2', ''), '4'));
    expect(await marksOf(docs, IVAN)).toEqual([
      ['m1', '4', true, 2],
      ['m2', '', false, 3],
    ]);
  });

  it('changes nothing and puts nothing for a duplicate event', async () => {
    const docs = new MemoryDocs();
    const fact = posted(lesson(), [markFact(IVAN, 'm1', '5'), markFact(OLGA, 'm2', '3')]);
    await applyMarks(docs, fact);
    const before = docs.snapshot();
    const puts = docs.puts;
    expect(await applyMarks(docs, fact)).toBe(false);
    expect(docs.puts).toBe(puts);
    expect(docs.snapshot()).toEqual(before);
  });

  it('ignores an older version arriving after a newer one (a void is not undone by the late posting)', async () => {
    const docs = new MemoryDocs();
    await applyMarks(docs, corrected(lesson({ recordVersion: 3 }), markFact(IVAN, 'm1', ''), '5'));
    const puts = docs.puts;
    expect(await applyMarks(docs, posted(lesson({ recordVersion: 1 }), [markFact(IVAN, 'm1', '5')]))).toBe(
      false,
    );
    expect(
      await applyMarks(docs, corrected(lesson({ recordVersion: 2 }), markFact(IVAN, 'm1', '4'), '5')),
    ).toBe(false);
    expect(docs.puts).toBe(puts);
    expect(await marksOf(docs, IVAN)).toEqual([['m1', '', false, 3]]);
  });

  it('drops marks more than MARK_MEMORY_DAYS before the newest, and an old replay stays out', async () => {
    const docs = new MemoryDocs();
    await applyMarks(
      docs,
      posted(lesson({ lessonId: 'old', date: '2026-09-10' }), [markFact(IVAN, 'm-old', '3')]),
    );
    await applyMarks(
      docs,
      posted(lesson({ lessonId: 'edge', date: '2026-09-11' }), [markFact(IVAN, 'm-edge', '4')]),
    );
    // 2026-11-10 − 60 days = 2026-09-11: the mark of that day is kept, the one before dropped.
    await applyMarks(
      docs,
      posted(lesson({ lessonId: 'new', date: '2026-11-10' }), [markFact(IVAN, 'm-new', '5')]),
    );
    expect((await marksOf(docs, IVAN)).map(([id]) => id)).toEqual(['m-edge', 'm-new']);
    const puts = docs.puts;
    expect(
      await applyMarks(
        docs,
        posted(lesson({ lessonId: 'old', date: '2026-09-10' }), [markFact(IVAN, 'm-old', '3')]),
      ),
    ).toBe(false);
    expect(docs.puts).toBe(puts);
  });

  it('keeps marks sorted by date, lesson and mark whatever the arrival order', async () => {
    const docs = new MemoryDocs();
    await applyMarks(
      docs,
      posted(lesson({ lessonId: 'b', date: '2026-11-12' }), [markFact(IVAN, 'm3', '5')]),
    );
    await applyMarks(
      docs,
      posted(lesson({ lessonId: 'a', date: '2026-11-12' }), [markFact(IVAN, 'm2', '4')]),
    );
    await applyMarks(
      docs,
      posted(lesson({ lessonId: 'c', date: '2026-11-03' }), [markFact(IVAN, 'm1', '3')]),
    );
    expect((await marksOf(docs, IVAN)).map(([id]) => id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('skips marks without a student or id, and facts of other kinds', async () => {
    const docs = new MemoryDocs();
    expect(await applyMarks(docs, posted(lesson(), [markFact('', 'm1', '5'), markFact(IVAN, '', '5')]))).toBe(
      false,
    );
    expect(
      await applyMarks(docs, {
        kind: 'attendance',
        source: { eventId: 'e', occurredAt: '' },
        lesson: lesson(),
        changed: [{ studentId: IVAN, kind: 'absent', reason: 'unexcused' }],
        clearedStudentIds: [],
      }),
    ).toBe(false);
    expect(docs.puts).toBe(0);
  });

  it('keeps what gradebook events tell through factsOf', async () => {
    const docs = new MemoryDocs();
    for (const fact of factsOf(marksPosted([mark(IVAN, '5', 'mk-1')], { version: 4, date: '2026-11-20' }))) {
      await applyMarks(docs, fact);
    }
    for (const fact of factsOf(markCorrected(IVAN, '5', '4', { version: 5, date: '2026-11-20' }))) {
      await applyMarks(docs, fact);
    }
    expect(await marksOf(docs, IVAN)).toEqual([
      ['mark-corrected', '4', true, 5],
      ['mk-1', '5', true, 4],
    ]);
  });
});
