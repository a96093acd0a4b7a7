import {
  classTimetableId,
  noAssignmentViolations,
  normaliseEntry,
  periodsOverlap,
  refusalOf,
  sameTime,
  splitSubjectViolations,
  timetableConflicts,
  timetableFormErrors,
  unknownLessonViolations,
  type CheckedEntry,
  type PlacedEntry,
} from '../../src/domain/timetable';
import type { TeachingAssignment } from '../../src/domain/teaching-assignment';
import { subgroup } from './fixtures';

// The timetable's rules as pure functions over a set of entries: who is in two places at once,
// lessons in the bells, split subjects, assignments, and how a refusal is told.

/** A lesson of 5А on Monday, 3rd lesson of the first shift (09:40–10:20), maths with Иванова in 214. */
const placed = (fields: Partial<PlacedEntry> = {}): PlacedEntry => ({
  weekday: 1,
  lessonNumber: 3,
  subgroupId: '',
  subjectId: 'math',
  teacherId: 'teacher-1',
  room: '214',
  weekParity: 'every',
  classId: 'class-5a',
  className: '5А',
  shift: 1,
  startsAt: '09:40',
  endsAt: '10:20',
  subjectName: 'Математика',
  subgroupName: '',
  ...fields,
});
const checked = (fields: Partial<PlacedEntry> = {}, field = 'entries[0]'): CheckedEntry => ({
  ...placed(fields),
  field,
});
const noMembers = () => [];
/** 5Б's maths with another teacher in another room: busy with nothing unless a field says so. */
const other5b = (fields: Partial<PlacedEntry> = {}) =>
  placed({ classId: 'class-5b', className: '5Б', teacherId: 'teacher-2', room: '301', ...fields });

describe('timetable: who is in two places at once', () => {
  it('when a teacher is placed where they already teach another class, then teacher_busy names the other lesson', () => {
    const violations = timetableConflicts([checked()], [other5b({ teacherId: 'teacher-1' })], noMembers);

    expect(violations).toEqual([
      {
        code: 'timetable.teacher_busy',
        field: 'entries[0].teacherId',
        message: 'Учитель в это время ведёт урок: 5Б, понедельник, 3-й урок, «Математика»',
      },
    ]);
  });

  it('when the same teacher is at another lesson, weekday or week parity, then nothing conflicts', () => {
    const busy = other5b({ teacherId: 'teacher-1', room: '214' });

    expect(
      timetableConflicts(
        [checked({ lessonNumber: 4, startsAt: '10:40', endsAt: '11:20' })],
        [busy],
        noMembers,
      ),
    ).toEqual([]);
    expect(timetableConflicts([checked({ weekday: 2 })], [busy], noMembers)).toEqual([]);
    expect(
      timetableConflicts([checked({ weekParity: 'odd' })], [{ ...busy, weekParity: 'even' }], noMembers),
    ).toEqual([]);
  });

  it('when one entry is every week and the other odd or even, then they meet', () => {
    const busy = other5b({ teacherId: 'teacher-1', weekParity: 'odd' });

    const everyVsOdd = timetableConflicts([checked({ weekParity: 'every' })], [busy], noMembers);
    const evenVsEvery = timetableConflicts(
      [checked({ weekParity: 'even' })],
      [{ ...busy, weekParity: 'every' }],
      noMembers,
    );
    const oddVsOdd = timetableConflicts([checked({ weekParity: 'odd' })], [busy], noMembers);

    expect(everyVsOdd.map((v) => v.code)).toEqual(['timetable.teacher_busy']);
    expect(everyVsOdd[0]!.message).toBe(
      'Учитель в это время ведёт урок: 5Б, понедельник, 3-й урок (нечётные недели), «Математика»',
    );
    expect(evenVsEvery.map((v) => v.code)).toEqual(['timetable.teacher_busy']);
    expect(oddVsOdd.map((v) => v.code)).toEqual(['timetable.teacher_busy']);
  });

  it('when a room is taken, then room_busy is told whatever the case and spaces; an empty room never conflicts', () => {
    const taken = timetableConflicts(
      [checked({ room: 'Спортзал 1' })],
      [other5b({ room: 'спортзал1' })],
      noMembers,
    );
    const empty = timetableConflicts([checked({ room: '' })], [other5b({ room: '' })], noMembers);

    expect(taken).toEqual([
      {
        code: 'timetable.room_busy',
        field: 'entries[0].room',
        message: 'Кабинет «Спортзал 1» в это время занят: 5Б, понедельник, 3-й урок, «Математика»',
      },
    ]);
    expect(empty).toEqual([]);
  });

  it('when the class has two whole-class lessons at once, or the whole class and a subgroup, then class_busy', () => {
    const english1 = { subgroupId: 'sg-1', subgroupName: 'Англ., группа 1', subjectName: 'Английский язык' };
    const twoWhole = timetableConflicts(
      [checked({ teacherId: 'teacher-2', room: '' })],
      [placed({ subjectName: 'Русский язык' })],
      noMembers,
    );
    const wholeAndGroup = timetableConflicts(
      [checked({ ...english1, teacherId: 'teacher-3', room: '' })],
      [placed()],
      noMembers,
    );
    const groupTwice = timetableConflicts(
      [checked({ ...english1, teacherId: 'teacher-3', room: '' })],
      [placed({ ...english1, teacherId: 'teacher-4', room: '' })],
      noMembers,
    );

    expect(twoWhole).toEqual([
      {
        code: 'timetable.class_busy',
        field: 'entries[0].lessonNumber',
        message: 'У класса в это время уже есть урок: 5А, понедельник, 3-й урок, «Русский язык»',
      },
    ]);
    expect(wholeAndGroup.map((v) => v.code)).toEqual(['timetable.class_busy']);
    expect(groupTwice.map((v) => [v.code, v.message])).toEqual([
      [
        'timetable.class_busy',
        'У подгруппы в это время уже есть урок: 5А («Англ., группа 1»), понедельник, 3-й урок, «Английский язык»',
      ],
    ]);
  });

  it('when two subgroups of the class meet at once, then only shared students conflict (members_overlap, counted, no names)', () => {
    const members: Record<string, string[]> = {
      'sg-1': ['s1', 's2', 's3'],
      'sg-2': ['s4', 's5'],
      'sg-it': ['s2', 's3', 's4'],
    };
    const membersOf = (id: string) => members[id] ?? [];
    const group2 = placed({
      subgroupId: 'sg-2',
      subgroupName: 'Англ., группа 2',
      teacherId: 'teacher-4',
      room: '',
    });
    const group1 = checked({
      subgroupId: 'sg-1',
      subgroupName: 'Англ., группа 1',
      teacherId: 'teacher-3',
      room: '',
    });
    const informatics = checked({
      subgroupId: 'sg-it',
      subgroupName: 'Информатика, группа 1',
      subjectName: 'Информатика',
      teacherId: 'teacher-5',
      room: '',
    });

    expect(timetableConflicts([group1], [group2], membersOf)).toEqual([]);
    expect(timetableConflicts([informatics], [{ ...group1 }], membersOf)).toEqual([
      {
        code: 'timetable.members_overlap',
        field: 'entries[0].subgroupId',
        message:
          'В подгруппе «Информатика, группа 1» и в подгруппе урока 5А («Англ., группа 1»), понедельник, 3-й урок, «Математика» есть общие ученики (2): они не могут быть на двух уроках сразу',
      },
    ]);
  });

  it('when the entries of one request conflict with each other, then the later one is told, naming the earlier', () => {
    const first = checked({}, 'entries[0]');
    const second = checked({ classId: 'class-5a', subjectName: 'Русский язык', room: '214' }, 'entries[1]');

    const violations = timetableConflicts([first, second], [], noMembers);

    expect(violations.map((v) => [v.code, v.field])).toEqual([
      ['timetable.class_busy', 'entries[1].lessonNumber'],
      ['timetable.teacher_busy', 'entries[1].teacherId'],
      ['timetable.room_busy', 'entries[1].room'],
    ]);
    expect(violations[1]!.message).toBe(
      'Учитель в это время ведёт урок: 5А, понедельник, 3-й урок, «Математика»',
    );
  });

  it('when lessons of two shifts overlap in time, then they are at once; touching lessons are not', () => {
    const secondShift = other5b({
      teacherId: 'teacher-1',
      shift: 2,
      lessonNumber: 1,
      startsAt: '10:00',
      endsAt: '10:40',
    });
    const after = { ...secondShift, startsAt: '10:20', endsAt: '11:00' };

    expect(sameTime(checked(), secondShift)).toBe(true);
    expect(sameTime(checked(), after)).toBe(false);
    expect(
      sameTime(checked({ shift: 1, lessonNumber: 1, startsAt: '', endsAt: '' }), { ...secondShift }),
    ).toBe(false);
  });
});

describe('timetable: lessons, split subjects and assignments', () => {
  const bells = [
    { number: 1, startsAt: '08:00', endsAt: '08:40' },
    { number: 2, startsAt: '08:50', endsAt: '09:30' },
    { number: 3, startsAt: '09:40', endsAt: '10:20' },
  ];

  it('when a lesson number is not in the shift’s bells, then unknown_lesson names the shift and its lessons', () => {
    const violations = unknownLessonViolations(
      [checked(), checked({ lessonNumber: 7 }, 'entries[1]')],
      1,
      bells,
    );

    expect(violations).toEqual([
      {
        code: 'timetable.unknown_lesson',
        field: 'entries[1].lessonNumber',
        message: 'В расписании звонков 1-й смены нет 7-го урока (уроки 1–3)',
      },
    ]);
    expect(unknownLessonViolations([checked()], 2, [])[0]!.message).toBe(
      'В расписании звонков 2-й смены нет 3-го урока (звонки смены не заданы)',
    );
  });

  it('when a split subject is placed for the whole class that has subgroups for it, then split_subject names them; a subgroup entry or an undivided class is fine', () => {
    const subjects = new Map([
      ['english', { key: 'english', name: 'Иностранный язык (английский)', splitIntoSubgroups: true }],
      ['math', { key: 'mathematics', name: 'Математика', splitIntoSubgroups: false }],
    ]);
    const groups = [
      subgroup('sg-1', 'class-5a', 'english', 'Группа 1'),
      subgroup('sg-2', 'class-5a', 'english', 'Группа 2'),
    ];

    const whole = splitSubjectViolations([checked({ subjectId: 'english' })], subjects, groups);
    const inGroup = splitSubjectViolations(
      [checked({ subjectId: 'english', subgroupId: 'sg-1' })],
      subjects,
      groups,
    );
    const undivided = splitSubjectViolations(
      [checked({ subjectId: 'english', classId: 'class-5b' })],
      subjects,
      groups,
    );
    const notSplit = splitSubjectViolations([checked({ subjectId: 'math' })], subjects, groups);

    expect(whole).toEqual([
      {
        code: 'timetable.split_subject',
        field: 'entries[0].subgroupId',
        message:
          'Предмет «Иностранный язык (английский)» в классе 5А изучают по подгруппам («Группа 1», «Группа 2»): поставьте урок подгруппе, а не всему классу',
      },
    ]);
    expect([inGroup, undivided, notSplit]).toEqual([[], [], []]);
  });

  it('when no assignment of the teacher, target and subject shares a day with the period, then no_assignment', () => {
    const assignment = (fields: Partial<TeachingAssignment>) =>
      ({
        teacherId: 'teacher-1',
        classId: 'class-5a',
        subgroupId: '',
        subjectId: 'math',
        startsOn: '2026-09-01',
        endsOn: '2027-05-31',
        status: 'active',
        ...fields,
      }) as TeachingAssignment;
    const quarter2 = { startsOn: '2026-11-04', endsOn: '2026-12-27' };

    const held = noAssignmentViolations([checked()], [assignment({})], quarter2);
    const endedBefore = noAssignmentViolations(
      [checked()],
      [assignment({ endsOn: '2026-10-25', status: 'ended' })],
      quarter2,
    );
    const endedDuring = noAssignmentViolations(
      [checked()],
      [assignment({ endsOn: '2026-11-20', status: 'ended' })],
      quarter2,
    );
    const otherTarget = noAssignmentViolations(
      [checked({ subgroupId: 'sg-1', subgroupName: 'Группа 1' })],
      [assignment({})],
      quarter2,
    );

    expect(held).toEqual([]);
    expect(endedDuring).toEqual([]);
    expect(endedBefore).toEqual([
      {
        code: 'timetable.no_assignment',
        field: 'entries[0].teacherId',
        message: 'У учителя нет нагрузки по предмету «Математика» в 5А в этом учебном периоде',
      },
    ]);
    expect(otherTarget[0]!.message).toBe(
      'У учителя нет нагрузки по предмету «Математика» в 5А («Группа 1») в этом учебном периоде',
    );
  });
});

describe('timetable: form, periods and refusals', () => {
  it('when entries are malformed, then every field is told at once', () => {
    const entry = normaliseEntry({
      weekday: 7,
      lessonNumber: 0,
      subgroupId: '',
      subjectId: ' ',
      teacherId: '',
      room: 'кабинет номер двести четырнадцать',
      weekParity: 'weekly',
    });

    expect(timetableFormErrors([entry]).map((e) => e.field)).toEqual([
      'entries[0].weekday',
      'entries[0].lessonNumber',
      'entries[0].subjectId',
      'entries[0].teacherId',
      'entries[0].room',
      'entries[0].weekParity',
    ]);
    expect(normaliseEntry({ ...entry, room: '  214  а ', weekParity: '' })).toMatchObject({
      room: '214 а',
      weekParity: 'every',
    });
  });

  it('when periods of two grades are compared, then by their days when known, otherwise by number', () => {
    const quarter3 = { number: 3, days: { startsOn: '2027-01-11', endsOn: '2027-03-21' } };
    const halfYear2 = { number: 2, days: { startsOn: '2027-01-11', endsOn: '2027-05-31' } };
    const quarter1 = { number: 1, days: { startsOn: '2026-09-01', endsOn: '2026-10-25' } };

    expect(periodsOverlap(quarter3, halfYear2)).toBe(true);
    expect(periodsOverlap(quarter1, halfYear2)).toBe(false);
    expect(periodsOverlap({ number: 2 }, halfYear2)).toBe(true);
    expect(periodsOverlap({ number: 1 }, halfYear2)).toBe(false);
  });

  it('when several rules are broken, then the code is the first rule’s and every problem is a field error', () => {
    const refusal = refusalOf([
      { code: 'timetable.room_busy', field: 'entries[0].room', message: 'Кабинет занят' },
      { code: 'timetable.teacher_busy', field: 'entries[2].teacherId', message: 'Учитель занят' },
    ]);

    expect(refusal).toEqual({
      code: 'timetable.teacher_busy',
      detail: 'Учитель занят (и ещё замечаний: 1)',
      errors: [
        { field: 'entries[0].room', message: 'Кабинет занят' },
        { field: 'entries[2].teacherId', message: 'Учитель занят' },
      ],
    });
    expect(refusalOf([])).toBeUndefined();
  });

  it('when a class’s week id is derived, then it is the same for the class and period and differs by period', () => {
    expect(classTimetableId('class-5a', 1)).toBe(classTimetableId('class-5a', 1));
    expect(classTimetableId('class-5a', 1)).not.toBe(classTimetableId('class-5a', 2));
  });
});
