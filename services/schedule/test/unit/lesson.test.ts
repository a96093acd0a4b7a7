import {
  diffLessons,
  isoWeekday,
  lessonId,
  plannedLessonsOf,
  schoolDaysOf,
  type Lesson,
  type PlannedLesson,
} from '../../src/domain/lesson';
import type { CopiedCalendar } from '../../src/domain/roster-copy';
import type { PublishedClassTimetable } from '../../src/domain/timetable';

// Dated lessons as pure rules: school days of a grade, week parity, transfers, closures, the
// lessons of a published week, and what a regeneration changes.

const calendar = (fields: Partial<CopiedCalendar> = {}): CopiedCalendar => ({
  holidays: [],
  periodSchemes: [],
  ...fields,
});
const september = { startsOn: '2026-09-01', endsOn: '2026-09-30' };

const week = (entries: Partial<PublishedClassTimetable['entries'][number]>[]): PublishedClassTimetable => ({
  classId: 'class-5a',
  className: '5А',
  grade: 5,
  shift: 1,
  version: 1,
  entries: entries.map((e) => ({
    weekday: 1,
    lessonNumber: 1,
    subgroupId: '',
    subjectId: 'math',
    subjectKey: 'mathematics',
    teacherId: 'teacher-1',
    room: '214',
    weekParity: 'every',
    startsAt: '08:00',
    endsAt: '08:40',
    ...e,
  })),
});
const names = {
  subjects: new Map([
    ['math', { key: 'mathematics', name: 'Математика', shortName: 'Матем.' }],
    ['english', { key: 'english', name: 'Иностранный язык (английский)', shortName: 'Англ. яз.' }],
  ]),
  subgroupNames: new Map([['group-1', 'Англ., группа 1']]),
};
const scope = { schoolId: 'school-1', academicYearId: 'year-1', period: 1 };

function plannedIn(days = september, entries = [{}], cal = calendar(), grade = 5) {
  return plannedLessonsOf(scope, week(entries), schoolDaysOf(cal, grade, days), names);
}

const stored = (plan: PlannedLesson, fields: Partial<Lesson> = {}): Lesson => ({
  ...plan,
  status: 'scheduled',
  origin: 'timetable',
  cancellationReason: '',
  substituteTeacherId: '',
  substitutionReason: '',
  substitutionApprovedBy: '',
  movedFromDate: '',
  movedFromLessonNumber: 0,
  changeReason: '',
  hasJournalContent: false,
  journalVersion: 0,
  needsDecision: false,
  version: 1,
  createdAt: '2026-08-30T00:00:00.000Z',
  updatedAt: '2026-08-30T00:00:00.000Z',
  ...fields,
});
const now = '2026-09-10T10:00:00.000Z';

describe('lessons: school days of a grade', () => {
  it('when a period has no holidays, then every day but Sunday is a school day with its weekday', () => {
    const days = schoolDaysOf(calendar(), 5, { startsOn: '2026-09-05', endsOn: '2026-09-08' });
    // 5 Sep 2026 is a Saturday, the 6th a Sunday.
    expect(days.map((d) => [d.date, d.weekday])).toEqual([
      ['2026-09-05', 6],
      ['2026-09-07', 1],
      ['2026-09-08', 2],
    ]);
    expect(isoWeekday('2026-09-06')).toBe(7);
  });

  it('when holidays fall in a period, then their days have no lessons', () => {
    const days = schoolDaysOf(
      calendar({ holidays: [{ name: 'Осенние', startsOn: '2026-09-14', endsOn: '2026-09-20' }] }),
      5,
      september,
    );
    expect(days.some((d) => d.date >= '2026-09-14' && d.date <= '2026-09-20')).toBe(false);
    expect(days.some((d) => d.date === '2026-09-21')).toBe(true);
  });

  it('when a closure names some grades, then only those grades lose the days; without grades the whole school does', () => {
    const cal = calendar({
      closures: [{ reason: 'Карантин', startsOn: '2026-09-07', endsOn: '2026-09-12', grades: [5, 6] }],
    });
    const closedFor5 = schoolDaysOf(cal, 5, september).filter(
      (d) => d.date >= '2026-09-07' && d.date <= '2026-09-12',
    );
    const openFor7 = schoolDaysOf(cal, 7, september).filter(
      (d) => d.date >= '2026-09-07' && d.date <= '2026-09-12',
    );
    expect(closedFor5).toEqual([]);
    expect(openFor7).toHaveLength(6);
    const wholeSchool = calendar({
      closures: [
        { reason: 'Отключение отопления', startsOn: '2026-09-07', endsOn: '2026-09-07', grades: [] },
      ],
    });
    expect(schoolDaysOf(wholeSchool, 11, september).some((d) => d.date === '2026-09-07')).toBe(false);
  });

  it('when a Sunday is transferred to work as Monday, then it has Monday’s lessons; a holiday or closure wins over a transfer', () => {
    const cal = calendar({
      transfers: [
        { date: '2026-09-13', worksAs: 1 },
        { date: '2026-09-20', worksAs: 2 },
      ],
      holidays: [{ name: 'День', startsOn: '2026-09-20', endsOn: '2026-09-20' }],
    });
    const days = schoolDaysOf(cal, 5, september);
    expect(days.find((d) => d.date === '2026-09-13')).toEqual({ date: '2026-09-13', weekday: 1, week: 2 });
    expect(days.find((d) => d.date === '2026-09-20')).toBeUndefined();
    const lessons = plannedIn(september, [{ weekday: 1 }], cal);
    expect(lessons.map((l) => l.date)).toContain('2026-09-13');
  });

  it('when weeks alternate, then the week of the period’s first day is odd (1st) and the next calendar week even, holiday weeks counted', () => {
    // 1 Sep 2026 is a Tuesday: week 1 is 31 Aug–6 Sep, week 2 is 7–13 Sep.
    const cal = calendar({ holidays: [{ name: 'Каникулы', startsOn: '2026-09-14', endsOn: '2026-09-20' }] });
    const odd = plannedIn(september, [{ weekday: 1, weekParity: 'odd' }], cal).map((l) => l.date);
    const even = plannedIn(september, [{ weekday: 1, weekParity: 'even' }], cal).map((l) => l.date);
    // Mondays: 7 (week 2), 14 (holiday, week 3), 21 (week 4), 28 (week 5).
    expect(odd).toEqual(['2026-09-28']);
    expect(even).toEqual(['2026-09-07', '2026-09-21']);
  });
});

describe('lessons: a published week on its days', () => {
  it('when a week is laid out, then each entry gives a lesson on each of its weekdays with names, times and a stable id', () => {
    const lessons = plannedIn({ startsOn: '2026-09-07', endsOn: '2026-09-13' }, [
      { weekday: 1, lessonNumber: 1 },
      {
        weekday: 1,
        lessonNumber: 2,
        subgroupId: 'group-1',
        subjectId: 'english',
        subjectKey: 'english',
        room: '301',
      },
      { weekday: 3, lessonNumber: 1 },
    ]);
    expect(lessons).toHaveLength(3);
    expect(lessons[1]).toEqual({
      id: lessonId('class-5a', 'group-1', '2026-09-07', 2),
      ...scope,
      classId: 'class-5a',
      className: '5А',
      subgroupId: 'group-1',
      subgroupName: 'Англ., группа 1',
      subjectId: 'english',
      subjectKey: 'english',
      subjectName: 'Иностранный язык (английский)',
      subjectShortName: 'Англ. яз.',
      teacherId: 'teacher-1',
      date: '2026-09-07',
      lessonNumber: 2,
      startsAt: '08:00',
      endsAt: '08:40',
      room: '301',
    });
    expect(lessonId('class-5a', '', '2026-09-07', 1)).toBe(lessonId('class-5a', '', '2026-09-07', 1));
    expect(lessonId('class-5a', '', '2026-09-07', 1)).not.toBe(lessonId('class-5a', '', '2026-09-07', 2));
  });
});

describe('lessons: regeneration', () => {
  const [monday, tuesday] = plannedIn({ startsOn: '2026-09-07', endsOn: '2026-09-08' }, [
    { weekday: 1 },
    { weekday: 2 },
  ]);

  it('when nothing is stored, then every planned lesson is scheduled at version 1 with its event', () => {
    const diff = diffLessons([monday!, tuesday!], [], { reason: 'timetable_changed', now });
    expect(diff.changes.map((c) => [c.lesson.version, c.previousVersion, c.event?.type])).toEqual([
      [1, 0, 'edu.schedule.lesson.scheduled'],
      [1, 0, 'edu.schedule.lesson.scheduled'],
    ]);
    expect(diff.total).toBe(2);
  });

  it('when the plan is the same, then nothing changes (a regeneration is idempotent)', () => {
    const diff = diffLessons([monday!, tuesday!], [stored(monday!), stored(tuesday!)], {
      reason: 'timetable_changed',
      now,
    });
    expect(diff.changes).toEqual([]);
    expect(diff.total).toBe(2);
  });

  it('when the teacher, room or time change, then the lesson keeps its id and is rescheduled with what changed', () => {
    const moved = { ...monday!, teacherId: 'teacher-2', room: '215', startsAt: '08:10' };
    const [change] = diffLessons([moved], [stored(monday!, { version: 3 })], {
      reason: 'timetable_changed',
      now,
    }).changes;
    expect(change!.lesson).toMatchObject({ id: monday!.id, teacherId: 'teacher-2', room: '215', version: 4 });
    expect(change!.event).toEqual({
      type: 'edu.schedule.lesson.rescheduled',
      changed: ['time', 'teacher', 'room'],
    });
  });

  it('when a stored lesson is no longer planned and has no journal content, then it is cancelled with the reason and kept as a document', () => {
    const diff = diffLessons([monday!], [stored(monday!), stored(tuesday!)], {
      reason: 'calendar_changed',
      now,
    });
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]!.lesson).toMatchObject({
      id: tuesday!.id,
      status: 'cancelled',
      cancellationReason: 'calendar_changed',
      version: 2,
    });
    expect(diff.changes[0]!.event?.type).toBe('edu.schedule.lesson.cancelled');
    expect(diff.kept).toEqual([]);
  });

  it('when a lesson no longer planned has journal content, then it stays scheduled, is flagged for a decision and reported, without an event', () => {
    const diff = diffLessons([monday!], [stored(monday!), stored(tuesday!, { hasJournalContent: true })], {
      reason: 'calendar_changed',
      now,
    });
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]!.lesson).toMatchObject({ status: 'scheduled', needsDecision: true, version: 2 });
    expect(diff.changes[0]!.event).toBeUndefined();
    expect(diff.kept.map((l) => l.id)).toEqual([tuesday!.id]);
    // Again: still reported, nothing written.
    const again = diffLessons([monday!], [stored(monday!), diff.changes[0]!.lesson], {
      reason: 'calendar_changed',
      now,
    });
    expect(again.changes).toEqual([]);
    expect(again.kept.map((l) => l.id)).toEqual([tuesday!.id]);
  });

  it('when a lesson cancelled by a regeneration is planned again, then it is scheduled again at the next version', () => {
    const cancelled = stored(tuesday!, {
      status: 'cancelled',
      cancellationReason: 'calendar_changed',
      version: 2,
    });
    const [change] = diffLessons([tuesday!], [cancelled], { reason: 'calendar_changed', now }).changes;
    expect(change!.lesson).toMatchObject({ status: 'scheduled', cancellationReason: '', version: 3 });
    expect(change!.event?.type).toBe('edu.schedule.lesson.scheduled');
  });

  it('when lessons were added or cancelled by hand, then a regeneration leaves them alone', () => {
    const extra = stored(tuesday!, { id: 'extra-1', origin: 'extra' });
    const byHand = stored(monday!, { status: 'cancelled', cancellationReason: 'Экскурсия' });
    const diff = diffLessons([monday!], [extra, byHand], { reason: 'timetable_changed', now });
    expect(diff.changes).toEqual([]);
  });
});
