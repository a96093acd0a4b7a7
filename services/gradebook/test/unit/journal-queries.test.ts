import type { CopiedPerson, Course, CourseLesson } from '../../src/domain/copies';
import {
  daysInRange,
  firstEntryOf,
  keepingRows,
  lessonsWithRecords,
  missingItems,
  mondayOf,
  periodMarkIdsOf,
  periodStudents,
  studentSummaries,
  type KeptLesson,
} from '../../src/domain/journal-queries';
import { emptyRecord, recordLesson, type LessonRecord, type Mark } from '../../src/domain/lesson-record';

// The pure assembly of the journal's read views: students of a period, lessons with records,
// averages, what a lesson lacks, journal-keeping rows.

const QUARTER = { startsOn: '2026-09-01', endsOn: '2026-10-25' };

function lesson(id: string, date: string, o: Partial<CourseLesson> = {}): CourseLesson {
  return {
    lessonId: id,
    period: 1,
    date,
    lessonNumber: 1,
    startsAt: '08:00',
    endsAt: '08:40',
    teacherId: 'teacher-1',
    substituteTeacherId: '',
    room: '214',
    status: 'scheduled',
    version: 1,
    ...o,
  };
}

function course(lessons: CourseLesson[]): Course {
  return {
    id: 'year-1:class-1:-:math',
    schoolId: 'school-1',
    academicYearId: 'year-1',
    classId: 'class-1',
    className: '5А',
    subgroupId: '',
    subgroupName: '',
    subjectId: 'math',
    subjectKey: 'math',
    subjectName: 'Математика',
    subjectShortName: 'Матем.',
    lessons,
    version: 1,
  };
}

function person(id: string, displayName: string): CopiedPerson {
  return { id, schoolId: 'school-1', kind: 'student', displayName, status: 'active', version: 1 };
}

function mark(studentId: string, value: string, o: Partial<Mark> = {}): Mark {
  return {
    id: `${studentId}-${value}-${Math.random()}`,
    studentId,
    value,
    workType: 'oral',
    workTypeName: 'Устный ответ',
    weight: 1,
    comment: '',
    postedBy: 'teacher-1',
    postedAt: '2026-09-01T02:00:00.000Z',
    status: 'active',
    history: [],
    ...o,
  };
}

function recordOf(c: Course, l: CourseLesson, content: Partial<LessonRecord> = {}): LessonRecord {
  return { ...emptyRecord(recordLesson(c, l)), version: 1, ...content };
}

describe('periodStudents', () => {
  const people = [
    person('s-ya', 'Яковлев Пётр'),
    person('s-yo', 'Ёлкина Анна'),
    person('s-a', 'Абрамов Иван'),
  ];

  it('lists who belongs on some day of the period, by Russian alphabet', () => {
    const students = periodStudents(
      [
        { studentId: 's-ya', from: '2026-09-01', until: '' },
        { studentId: 's-yo', from: '2026-10-10', until: '' },
        { studentId: 's-a', from: '2026-09-01', until: '2026-09-20' },
        { studentId: 's-gone', from: '2026-05-01', until: '2026-09-01' },
        { studentId: 's-later', from: '2026-10-26', until: '' },
      ],
      QUARTER,
      people,
    );
    expect(students).toEqual([
      { studentId: 's-a', displayName: 'Абрамов Иван', from: '2026-09-01', until: '2026-09-20' },
      { studentId: 's-yo', displayName: 'Ёлкина Анна', from: '2026-10-10', until: '' },
      { studentId: 's-ya', displayName: 'Яковлев Пётр', from: '2026-09-01', until: '' },
    ]);
  });

  it('gives a student who left and came back one row spanning both stretches', () => {
    const students = periodStudents(
      [
        { studentId: 's-a', from: '2026-10-05', until: '' },
        { studentId: 's-a', from: '2026-09-01', until: '2026-09-15' },
      ],
      QUARTER,
      people,
    );
    expect(students).toEqual([
      { studentId: 's-a', displayName: 'Абрамов Иван', from: '2026-09-01', until: '' },
    ]);
  });

  it('shows the id of a student roster has not named yet', () => {
    expect(
      periodStudents([{ studentId: 's-x', from: '2026-09-01', until: '' }], QUARTER, [])[0]?.displayName,
    ).toBe('s-x');
  });
});

describe('lessonsWithRecords', () => {
  const l1 = lesson('l1', '2026-09-02', { lessonNumber: 3 });
  const l2 = lesson('l2', '2026-09-02', { lessonNumber: 1 });
  const cancelledEmpty = lesson('l3', '2026-09-03', { status: 'cancelled' });
  const cancelledWithTopic = lesson('l4', '2026-09-04', { status: 'cancelled' });
  const outside = lesson('l5', '2026-11-05', { period: 2 });
  const c = course([l1, l2, cancelledEmpty, cancelledWithTopic, outside]);
  const topic = { text: 'Дроби', planItemId: '', setBy: 'teacher-1', setAt: '2026-09-04T02:00:00.000Z' };

  it('keeps the period lessons in date and number order, cancelled ones only with content', () => {
    const records = lessonsWithRecords(c, QUARTER, [recordOf(c, cancelledWithTopic, { topic })]);
    expect(records.map((r) => r.lessonId)).toEqual(['l2', 'l1', 'l4']);
    expect(records[0]?.version).toBe(0);
    expect(records[2]?.topic?.text).toBe('Дроби');
  });

  it('shows a stored record with the lesson as schedule tells it now', () => {
    const stored = recordOf(c, l1, { topic, date: '2026-09-01', teacherId: 'old-teacher', version: 4 });
    const moved = course([{ ...l1, date: '2026-09-05', substituteTeacherId: 'sub-1' }]);
    const [record] = lessonsWithRecords(moved, QUARTER, [stored]);
    expect(record).toMatchObject({
      date: '2026-09-05',
      teacherId: 'teacher-1',
      substituteTeacherId: 'sub-1',
      version: 4,
    });
    expect(record?.topic?.text).toBe('Дроби');
  });
});

describe('studentSummaries', () => {
  it('averages active numeric marks and counts absences and latenesses', () => {
    const c = course([]);
    const records = [
      recordOf(c, lesson('l1', '2026-09-02'), {
        marks: [
          mark('s1', '5', { weight: 2 }),
          mark('s1', '3'),
          mark('s1', '2', { status: 'voided' }),
          mark('s2', '4'),
        ],
        attendance: [
          {
            studentId: 's2',
            kind: 'late',
            lateMinutes: 5,
            recordedBy: 't',
            recordedAt: '',
            reason: '',
            reasonSetBy: '',
            reasonSetAt: '',
            reasonNote: '',
          },
        ],
      }),
      recordOf(c, lesson('l2', '2026-09-03'), {
        marks: [mark('s1', 'н/а')],
        attendance: [
          {
            studentId: 's2',
            kind: 'absent',
            lateMinutes: 0,
            recordedBy: 't',
            recordedAt: '',
            reason: 'illness',
            reasonSetBy: '',
            reasonSetAt: '',
            reasonNote: '',
          },
        ],
      }),
    ];
    expect(studentSummaries(['s1', 's2', 's3'], records)).toEqual([
      {
        studentId: 's1',
        arithmeticAverage: 4,
        weightedAverage: 4.33,
        marksCount: 2,
        absences: 0,
        latenesses: 0,
      },
      {
        studentId: 's2',
        arithmeticAverage: 4,
        weightedAverage: 4,
        marksCount: 1,
        absences: 1,
        latenesses: 1,
      },
      {
        studentId: 's3',
        arithmeticAverage: 0,
        weightedAverage: 0,
        marksCount: 0,
        absences: 0,
        latenesses: 0,
      },
    ]);
  });
});

describe('periodMarkIdsOf', () => {
  it('asks for the period marks, and year, exam and final ones in the last period', () => {
    const c = { academicYearId: 'y', subjectId: 'math' };
    expect(periodMarkIdsOf(c, ['s1', 's2'], 2, false)).toEqual(['y:s1:math:period:2', 'y:s2:math:period:2']);
    expect(periodMarkIdsOf(c, ['s1'], 4, true)).toEqual([
      'y:s1:math:period:4',
      'y:s1:math:year:0',
      'y:s1:math:exam:0',
      'y:s1:math:final:0',
    ]);
  });
});

describe('missingItems', () => {
  const c = course([]);
  const empty = recordOf(c, lesson('l1', '2026-09-02'));

  it('names everything an empty lesson lacks', () => {
    expect(missingItems(empty, 'five_point')).toEqual(['topic', 'attendance', 'homework', 'marks']);
  });

  it('does not ask for marks where the scale has none', () => {
    expect(missingItems(empty, 'none')).toEqual(['topic', 'attendance', 'homework']);
  });

  it('counts individual homework, and only active marks', () => {
    const filled: LessonRecord = {
      ...empty,
      topic: { text: 'Дроби', planItemId: '', setBy: 't', setAt: '' },
      attendanceTaken: true,
      individualHomework: [
        { text: '№ 5', dueDate: '', attachments: [], studentId: 's1', setBy: 't', setAt: '' },
      ],
      marks: [mark('s1', '5', { status: 'voided' })],
    };
    expect(missingItems(filled, 'five_point')).toEqual(['marks']);
    expect(missingItems({ ...filled, marks: [mark('s1', '5')] }, 'five_point')).toEqual([]);
  });
});

describe('days', () => {
  it('finds the Monday of a week', () => {
    expect(mondayOf('2026-11-11')).toBe('2026-11-09');
    expect(mondayOf('2026-11-09')).toBe('2026-11-09');
    expect(mondayOf('2026-11-15')).toBe('2026-11-09');
    expect(mondayOf('2026-11-01')).toBe('2026-10-26');
  });

  it('counts the days of a range with both ends', () => {
    expect(daysInRange('2026-09-01', '2026-09-01')).toBe(1);
    expect(daysInRange('2026-09-01', '2026-12-02')).toBe(93);
  });

  it('takes the earliest of the first entries', () => {
    const r = emptyRecord(recordLesson(course([]), lesson('l1', '2026-09-02')));
    expect(firstEntryOf(r)).toBe('');
    expect(
      firstEntryOf({
        ...r,
        firstEntries: {
          topic: '2026-09-03T10:00:00.000Z',
          attendance: '2026-09-02T02:00:00.000Z',
          marks: '',
          homework: '',
        },
      }),
    ).toBe('2026-09-02T02:00:00.000Z');
  });
});

describe('keepingRows', () => {
  const mon = lesson('l1', '2026-09-07', { lessonNumber: 1 });
  const wed = lesson('l2', '2026-09-09', { lessonNumber: 2 });
  const nextWeek = lesson('l3', '2026-09-14');
  const substituted = lesson('l4', '2026-09-08', { substituteTeacherId: 'sub-1' });
  const notYet = lesson('l5', '2026-09-10');
  const c = course([mon, wed, nextWeek, substituted, notYet]);
  const first = (at: string) => ({ topic: at, attendance: '', marks: '', homework: '' });
  const kept = (l: CourseLesson, record: Partial<LessonRecord>, o: Partial<KeptLesson> = {}): KeptLesson => ({
    course: c,
    record: recordOf(c, l, record),
    held: true,
    students: 4,
    timeZone: 'Asia/Krasnoyarsk',
    ...o,
  });

  it('groups held lessons by keeper, course and week with what was entered and when', () => {
    const rows = keepingRows([
      // Entered 23:00 local on the lesson's day (16:00 UTC): on time.
      kept(mon, {
        topic: { text: 'Дроби', planItemId: '', setBy: 't', setAt: '' },
        attendanceTaken: true,
        homework: { text: '№ 1', dueDate: '', attachments: [], studentId: '', setBy: 't', setAt: '' },
        marks: [mark('s1', '5'), mark('s2', '4'), mark('s3', '3', { status: 'voided' })],
        firstEntries: first('2026-09-07T16:00:00.000Z'),
      }),
      // Entered 01:00 local the next day (18:00 UTC of the lesson's day): late in Krasnoyarsk.
      kept(wed, { attendanceTaken: true, firstEntries: first('2026-09-09T18:00:00.000Z') }),
      kept(nextWeek, {}),
      kept(substituted, { marks: [mark('s1', '5')], firstEntries: first('2026-09-08T03:00:00.000Z') }),
      kept(notYet, { topic: { text: 'Заранее', planItemId: '', setBy: 't', setAt: '' } }, { held: false }),
    ]);
    expect(rows).toEqual([
      {
        teacherId: 'sub-1',
        courseId: c.id,
        course: c,
        week: '2026-09-07',
        lessonsHeld: 1,
        topicsEntered: 0,
        homeworkEntered: 0,
        attendanceTaken: 0,
        enteredOnTime: 1,
        enteredLate: 0,
        marks: 1,
        marksDensity: 0.25,
      },
      {
        teacherId: 'teacher-1',
        courseId: c.id,
        course: c,
        week: '2026-09-07',
        lessonsHeld: 2,
        topicsEntered: 1,
        homeworkEntered: 1,
        attendanceTaken: 2,
        enteredOnTime: 1,
        enteredLate: 1,
        marks: 2,
        marksDensity: 0.25,
      },
      {
        teacherId: 'teacher-1',
        courseId: c.id,
        course: c,
        week: '2026-09-14',
        lessonsHeld: 1,
        topicsEntered: 0,
        homeworkEntered: 0,
        attendanceTaken: 0,
        enteredOnTime: 0,
        enteredLate: 0,
        marks: 0,
        marksDensity: 0,
      },
    ]);
  });

  it('judges on time by the school time zone', () => {
    // 18:00 UTC is 21:00 in Moscow: still the lesson's day there.
    const [row] = keepingRows([
      kept(wed, { firstEntries: first('2026-09-09T18:00:00.000Z') }, { timeZone: 'Europe/Moscow' }),
    ]);
    expect(row).toMatchObject({ enteredOnTime: 1, enteredLate: 0 });
  });
});
