import { newEvent } from '@edu/events';
import { addDays, localDate } from '@edu/kit';
import {
  applyMovementToRoll,
  applySubgroupChange,
  removeLesson,
  upsertLesson,
  withCurriculum,
  emptyCourse,
} from '../../src/domain/copies.apply';
import {
  applyRosterFact,
  courseId,
  type ClassRoll,
  type CopiedPerson,
  type CopyWriter,
  type CourseLesson,
  type Movement,
  type SubgroupChange,
} from '../../src/domain/copies';
import { toRosterFact } from '../../src/entry-points/kafka/roster.handler';
import { toScheduleFact } from '../../src/entry-points/kafka/schedule.handler';

// The arithmetic of gradebook's copies without a store: stints from moves and subgroup changes,
// lessons into courses by version, hours onto courses, and the mapping of events at the edge.

const YEAR = 'year-1';
const STUDENT = 'student-1';

function roll(classId: string): ClassRoll {
  return { classId, schoolId: 'school-1', academicYearId: YEAR, stints: [], applied: {} };
}

function move(
  kind: Movement['kind'],
  version: number,
  from: string,
  to: string,
  effectiveOn: string,
): Movement {
  return {
    enrolmentId: `${YEAR}:${STUDENT}`,
    schoolId: 'school-1',
    academicYearId: YEAR,
    studentId: STUDENT,
    kind,
    fromClassId: from,
    toClassId: to,
    effectiveOn,
    version,
  };
}

/** Applies moves in the given order to a roll, skipping those that change nothing. */
function applyAll(start: ClassRoll, moves: Movement[]): ClassRoll {
  return moves.reduce((r, m) => applyMovementToRoll(r, m) ?? r, start);
}

function lesson(id: string, date: string, lessonNumber: number, version: number): CourseLesson {
  return {
    lessonId: id,
    period: 1,
    date,
    lessonNumber,
    startsAt: '08:30',
    endsAt: '09:10',
    teacherId: 'teacher-1',
    substituteTeacherId: '',
    room: '214',
    status: 'scheduled',
    version,
  };
}

describe('copies: days', () => {
  it('when a day is shifted across a month end or a leap day, then the calendar date follows', () => {
    expect(addDays('2027-05-31', 1)).toBe('2027-06-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-09-01', -1)).toBe('2026-08-31');
  });

  it("when an instant is late evening UTC, then the school's day in its zone is the next one, and UTC without a zone", () => {
    expect(localDate('2026-10-09T18:30:00Z', 'Asia/Krasnoyarsk')).toBe('2026-10-10');
    expect(localDate('2026-10-09T18:30:00Z', '')).toBe('2026-10-09');
    expect(localDate('2026-10-09T18:30:00Z', 'Not/AZone')).toBe('2026-10-09');
  });
});

describe('copies: class rolls from moves', () => {
  it('when a student joins on 10 October, then the roll has one open stint from that day', () => {
    const after = applyAll(roll('class-a'), [move('enrolled', 1, '', 'class-a', '2026-10-10')]);

    expect(after.stints).toEqual([{ studentId: STUDENT, from: '2026-10-10', until: '' }]);
    expect(after.applied).toEqual({ [`${YEAR}:${STUDENT}`]: 1 });
  });

  it('when a student is transferred on 10 October, then the old class keeps the stint until it and the new one starts on it', () => {
    const moves = [
      move('enrolled', 1, '', 'class-a', '2026-09-01'),
      move('transferred', 2, 'class-a', 'class-b', '2026-10-10'),
    ];

    const a = applyAll(roll('class-a'), moves);
    const b = applyAll(roll('class-b'), moves);

    expect(a.stints).toEqual([{ studentId: STUDENT, from: '2026-09-01', until: '2026-10-10' }]);
    expect(b.stints).toEqual([{ studentId: STUDENT, from: '2026-10-10', until: '' }]);
  });

  it('when a student is withdrawn, then the stint ends on the day of the withdrawal', () => {
    const after = applyAll(roll('class-a'), [
      move('enrolled', 1, '', 'class-a', '2026-09-01'),
      move('withdrawn', 2, 'class-a', '', '2027-02-15'),
    ]);

    expect(after.stints).toEqual([{ studentId: STUDENT, from: '2026-09-01', until: '2027-02-15' }]);
  });

  it('when a student graduates, then the last day of the year is still a day of membership', () => {
    const after = applyAll(roll('class-a'), [
      move('enrolled', 1, '', 'class-a', '2026-09-01'),
      move('graduated', 2, 'class-a', '', '2027-05-31'),
    ]);

    expect(after.stints).toEqual([{ studentId: STUDENT, from: '2026-09-01', until: '2027-06-01' }]);
  });

  it("when a promotion comes as the new year's enrolment at version 1, then it still closes the old class (versions of another enrolment)", () => {
    const old = applyAll(roll('class-5a'), [move('enrolled', 3, '', 'class-5a', '2026-09-01')]);
    const promotion = {
      ...move('promoted', 1, 'class-5a', 'class-6a', '2027-09-01'),
      enrolmentId: `year-2:${STUDENT}`,
    };

    const after = applyMovementToRoll(old, promotion);

    expect(after?.stints).toEqual([{ studentId: STUDENT, from: '2026-09-01', until: '2027-09-01' }]);
    expect(after?.applied).toEqual({ [`${YEAR}:${STUDENT}`]: 3, [`year-2:${STUDENT}`]: 1 });
  });

  it('when the same move comes again or an older one after a newer, then nothing changes', () => {
    const enrolled = move('enrolled', 1, '', 'class-a', '2026-09-01');
    const transferred = move('transferred', 2, 'class-a', 'class-b', '2026-10-10');
    const a = applyAll(roll('class-a'), [enrolled, transferred]);

    expect(applyMovementToRoll(a, transferred)).toBeNull();
    expect(applyMovementToRoll(a, enrolled)).toBeNull();
  });

  it('when a student joins and leaves on the same day, then no stint is left; and coming back the same day continues it', () => {
    const gone = applyAll(roll('class-a'), [
      move('enrolled', 1, '', 'class-a', '2026-09-01'),
      move('transferred', 2, 'class-a', 'class-b', '2026-09-01'),
    ]);
    const back = applyAll(roll('class-a'), [
      move('enrolled', 1, '', 'class-a', '2026-09-01'),
      move('transferred', 2, 'class-a', 'class-b', '2026-10-10'),
      move('transferred', 3, 'class-b', 'class-a', '2026-10-10'),
    ]);

    expect(gone.stints).toEqual([]);
    expect(back.stints).toEqual([{ studentId: STUDENT, from: '2026-09-01', until: '' }]);
  });

  it('when a move does not concern the class, then the roll is left as it is', () => {
    expect(applyMovementToRoll(roll('class-c'), move('enrolled', 1, '', 'class-a', '2026-09-01'))).toBeNull();
  });
});

describe('copies: subgroup members over time', () => {
  const state = (
    version: number,
    memberIds: string[],
    status: 'open' | 'closed' = 'open',
  ): SubgroupChange => ({
    subgroup: {
      id: 'subgroup-1',
      schoolId: 'school-1',
      academicYearId: YEAR,
      classId: 'class-a',
      subjectKey: 'english',
      name: 'Английский язык, группа 1',
      status,
      version,
    },
    memberIds,
    occurredAt: '2026-09-01T03:00:00Z',
  });

  it('when a subgroup is formed and members change later, then stints follow the days of the events', () => {
    const formed = applySubgroupChange(null, state(1, ['s1', 's2']), '2026-09-01');
    const changed = applySubgroupChange(formed, state(2, ['s2', 's3']), '2026-10-10');

    expect(changed?.stints).toEqual([
      { studentId: 's1', from: '2026-09-01', until: '2026-10-10' },
      { studentId: 's2', from: '2026-09-01', until: '' },
      { studentId: 's3', from: '2026-10-10', until: '' },
    ]);
    expect(changed).not.toHaveProperty('memberIds');
  });

  it('when a subgroup is disbanded, then every open stint ends that day; an older state after it changes nothing', () => {
    const formed = applySubgroupChange(null, state(1, ['s1']), '2026-09-01');
    const disbanded = applySubgroupChange(formed, state(2, ['s1'], 'closed'), '2026-12-30');

    expect(disbanded?.stints).toEqual([{ studentId: 's1', from: '2026-09-01', until: '2026-12-30' }]);
    expect(disbanded && applySubgroupChange(disbanded, state(1, ['s1']), '2026-09-01')).toBeNull();
    expect(disbanded && applySubgroupChange(disbanded, state(2, ['s1'], 'closed'), '2026-12-30')).toBeNull();
  });
});

describe('copies: lessons of a course', () => {
  it('when lessons come in any order, then they are kept by date and lesson number', () => {
    let lessons: CourseLesson[] = [];
    for (const l of [
      lesson('l3', '2026-09-02', 1, 1),
      lesson('l2', '2026-09-01', 3, 1),
      lesson('l1', '2026-09-01', 2, 1),
    ]) {
      lessons = upsertLesson(lessons, l) ?? lessons;
    }

    expect(lessons.map((l) => l.lessonId)).toEqual(['l1', 'l2', 'l3']);
  });

  it('when a newer version moves a lesson, then it is replaced and reordered; an equal or older version changes nothing', () => {
    const lessons = [lesson('l1', '2026-09-01', 2, 1), lesson('l2', '2026-09-01', 3, 1)];

    const moved = upsertLesson(lessons, { ...lesson('l1', '2026-09-03', 1, 2), room: '101' });

    expect(moved?.map((l) => [l.lessonId, l.date, l.version])).toEqual([
      ['l2', '2026-09-01', 1],
      ['l1', '2026-09-03', 2],
    ]);
    expect(moved && upsertLesson(moved, lesson('l1', '2026-09-01', 2, 1))).toBeNull();
    expect(moved && upsertLesson(moved, { ...lesson('l1', '2026-09-03', 1, 2), room: '999' })).toBeNull();
  });

  it('when a lesson leaves a course, then it is removed only by a newer version', () => {
    const lessons = [lesson('l1', '2026-09-01', 2, 3)];

    expect(removeLesson(lessons, 'l1', 4)).toEqual([]);
    expect(removeLesson(lessons, 'l1', 3)).toBe('stale');
    expect(removeLesson(lessons, 'l9', 4)).toBeNull();
  });

  it('when a curriculum version comes, then the course gets its hours once, and 0 hours when the line is gone', () => {
    const course = emptyCourse({
      schoolId: 'school-1',
      academicYearId: YEAR,
      classId: 'class-a',
      className: '5А',
      subgroupId: '',
      subgroupName: '',
      subjectId: 'math',
      subjectKey: 'math',
      subjectName: 'Математика',
      subjectShortName: 'Матем.',
    });
    const line = {
      subjectId: 'math',
      subjectKey: 'math',
      subjectName: 'Математика',
      hoursPerWeek: 5,
      hoursPerYear: 170,
    };

    const set = withCurriculum(course, line, 1);

    expect(course.id).toBe(
      courseId({ academicYearId: YEAR, classId: 'class-a', subgroupId: '', subjectId: 'math' }),
    );
    expect(set?.curriculum).toEqual({ hoursPerYear: 170, hoursPerWeek: 5, version: 1 });
    expect(set && withCurriculum(set, line, 1)).toBeNull();
    expect(set && withCurriculum(set, null, 2)?.curriculum).toEqual({
      hoursPerYear: 0,
      hoursPerWeek: 0,
      version: 2,
    });
  });
});

describe('copies: events at the edge', () => {
  const actor = { accountId: 'acc-test', personId: '' };

  it('when a guardian is registered, then it is not kept; a student is', async () => {
    const written: CopiedPerson[] = [];
    const copy = {
      putPerson: async (person: CopiedPerson) => {
        written.push(person);
        return true;
      },
    } as unknown as CopyWriter;
    const personEvent = (kind: string) =>
      newEvent({
        type: 'edu.roster.person.registered',
        schoolId: 'school-1',
        aggregateId: `p-${kind}`,
        aggregateVersion: 1,
        actor,
        traceId: '',
        payload: {
          person: {
            person_id: `p-${kind}`,
            school_id: 'school-1',
            kind,
            display_name: 'Петров Пётр',
            status: 'active',
          },
        },
      });

    expect(await applyRosterFact(copy, toRosterFact(personEvent('guardian')))).toBe('not_kept');
    expect(await applyRosterFact(copy, toRosterFact(personEvent('student')))).toBe('applied');
    expect(written.map((p) => [p.id, p.kind])).toEqual([['p-student', 'student']]);
  });

  it('when a handled event lacks its state, then mapping it throws (retried, then the DLQ)', () => {
    const bare = (type: string) =>
      newEvent({
        type,
        schoolId: 's',
        aggregateId: 'a',
        aggregateVersion: 1,
        actor,
        traceId: '',
        payload: {},
      });

    expect(() => toRosterFact(bare('edu.roster.student.transferred'))).toThrow(/carries no enrolment/);
    expect(() => toScheduleFact(bare('edu.schedule.lesson.scheduled'))).toThrow(/carries no lesson/);
    expect(() => toScheduleFact(bare('edu.schedule.curriculum.set'))).toThrow(/carries no curriculum/);
  });
});
