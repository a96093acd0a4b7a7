import { forbidden } from '@edu/kit';
import type { DiaryQueryDeps } from '../../src/domain/diary-queries.use-cases';
import {
  calendarId,
  weekId,
  type DiarySettings,
  type LessonDoc,
  type MarkDoc,
  type PolicyDoc,
  type RecordDoc,
  type SchoolEventDoc,
  type StudentDoc,
} from '../../src/domain/model';
import type { Actor, RequestContext, SettingsRepository } from '../../src/domain/ports';
import { MemoryModel } from './memory-model';

// A small school by hand for the diary's queries: classes 5А and 5Б, an English subgroup, Anna who
// moves from 5А to 5Б on Wednesday 2026-11-25, Boris who stays in 5А, their guardians, marks of
// several students in the same lessons, a corrected and a voided mark, a cancelled and a
// substituted lesson, a moved one, and the school's events.

export const SCHOOL = 'school-1';
export const YEAR = 'year-1';
export const CLASS_A = 'class-5a';
export const CLASS_B = 'class-5b';
export const CLASS_C = 'class-5c';
export const GROUP_1 = 'group-1';
export const GROUP_2 = 'group-2';
export const ANN = 's-ann';
export const BORIS = 's-boris';
export const VERA = 's-vera';
export const MONDAY = '2026-11-23';
/** Wednesday 2026-11-25, 17:00 in Yekaterinburg (the school's zone). */
export const NOW = '2026-11-25T12:00:00.000Z';

export const POLICY: PolicyDoc = {
  roundingThreshold: 0.5,
  lowMarkThreshold: 2,
  workTypes: [
    { key: 'oral', name: 'Ответ на уроке', weight: 1, active: true },
    { key: 'homework', name: 'Домашняя работа', weight: 1, active: true },
    { key: 'independent', name: 'Самостоятельная работа', weight: 1.5, active: true },
    { key: 'test', name: 'Контрольная работа', weight: 2, active: true },
    { key: 'essay', name: 'Сочинение', weight: 3, active: false },
  ],
  version: 1,
};

export const as = (actor: Actor): RequestContext => ({ actor, traceId: 'trace-1' });
export const person = (personId: string, roles: [string, string][] = []): Actor => ({
  accountId: `acc-${personId}`,
  personId,
  schoolRoles: roles.map(([schoolId, role]) => ({ schoolId, role })),
  grants: [],
});
export const staff = (personId: string, role = 'teacher', schoolId = SCHOOL): Actor =>
  person(personId, [[schoolId, role]]);

export const actors = {
  ann: person(ANN),
  mother: person('g-mother'),
  father: person('g-father'),
  borisGuardian: person('g-boris'),
  classTeacherA: staff('t-class-a'),
  classTeacherB: staff('t-class-b'),
  mathTeacher: staff('t-math'),
  englishTeacherWithoutRole: person('t-eng'),
  teacherOfOtherClass: staff('t-c'),
  director: staff('director-1', 'director'),
  deputy: staff('deputy-1', 'deputy'),
  schoolAdmin: staff('admin-1', 'schoolAdmin'),
  secretary: staff('secretary-1', 'secretary'),
  otherDirector: staff('director-2', 'director', 'school-2'),
  stranger: person('nobody'),
};

export function mark(markId: string, studentId: string, value: string, o: Partial<MarkDoc> = {}): MarkDoc {
  return {
    markId,
    studentId,
    value,
    workType: 'oral',
    workTypeName: 'Ответ на уроке',
    weight: 1,
    comment: '',
    postedAt: '2026-11-23T05:00:00.000Z',
    status: 'active',
    corrected: false,
    history: [],
    postedValue: value,
    ...o,
  };
}

export function record(o: Partial<RecordDoc> = {}): RecordDoc {
  return {
    version: 1,
    topic: '',
    homework: null,
    individualHomework: [],
    marks: [],
    attendance: [],
    attendanceTaken: true,
    ...o,
  };
}

const homework = (text: string, dueDate = '', studentId = '') => ({
  text,
  dueDate,
  attachments: [],
  studentId,
});

export function lesson(
  lessonId: string,
  date: string,
  lessonNumber: number,
  o: Partial<LessonDoc> = {},
): LessonDoc {
  return {
    lessonId,
    date,
    lessonNumber,
    startsAt: lessonNumber === 1 ? '08:30' : '09:20',
    endsAt: lessonNumber === 1 ? '09:10' : '10:00',
    period: 2,
    subgroupId: '',
    subgroupName: '',
    subjectId: 'math',
    subjectKey: 'math',
    subjectName: 'Математика',
    teacherId: 't-math',
    substituteTeacherId: '',
    room: '214',
    status: 'scheduled',
    cancellationReason: '',
    movedFromDate: '',
    lessonVersion: 1,
    record: null,
    ...o,
  };
}

const english = {
  subjectId: 'english',
  subjectKey: 'english',
  subjectName: 'Английский язык',
  teacherId: 't-eng',
};
const russian = {
  subjectId: 'russian',
  subjectKey: 'russian',
  subjectName: 'Русский язык',
  teacherId: 't-rus',
};
const history = { subjectId: 'history', subjectKey: 'history', subjectName: 'История', teacherId: 't-other' };

function event(eventId: string, o: Partial<SchoolEventDoc>): SchoolEventDoc {
  return {
    eventId,
    kind: 'meeting',
    kindName: 'Собрание',
    title: eventId,
    description: '',
    startsOn: '2026-11-27',
    endsOn: '',
    startsAt: '',
    endsAt: '',
    place: '',
    scope: 'school',
    classIds: [],
    participantIds: [],
    status: 'scheduled',
    version: 1,
    ...o,
  };
}

export function annDoc(o: Partial<StudentDoc> = {}): StudentDoc {
  return {
    _id: ANN,
    schoolId: SCHOOL,
    classStints: [
      { academicYearId: YEAR, classId: CLASS_A, from: '2026-09-01', until: '2026-11-25' },
      { academicYearId: YEAR, classId: CLASS_B, from: '2026-11-25', until: '' },
    ],
    applied: {},
    subgroupStints: [{ subgroupId: GROUP_1, classId: CLASS_A, from: '', until: '2026-11-25' }],
    guardians: [
      {
        guardianshipId: 'gs-1',
        guardianId: 'g-mother',
        studentId: ANN,
        schoolId: SCHOOL,
        active: true,
        version: 1,
      },
      {
        guardianshipId: 'gs-2',
        guardianId: 'g-father',
        studentId: ANN,
        schoolId: SCHOOL,
        active: false,
        version: 1,
      },
    ],
    periodMarks: [
      {
        id: `${YEAR}:${ANN}:history:period:2`,
        academicYearId: YEAR,
        classId: CLASS_B,
        subjectId: 'history',
        subjectKey: 'history',
        kind: 'period',
        period: 2,
        value: '4',
        corrected: true,
        previousValues: ['3'],
        setAt: '2026-11-25T09:00:00.000Z',
        version: 2,
      },
      {
        id: `${YEAR}:${ANN}:math:period:1`,
        academicYearId: YEAR,
        classId: CLASS_A,
        subjectId: 'math',
        subjectKey: 'math',
        kind: 'period',
        period: 1,
        value: '5',
        corrected: false,
        previousValues: [],
        setAt: '2026-10-25T09:00:00.000Z',
        version: 1,
      },
      {
        id: `${YEAR}:${ANN}:drawing:year:0`,
        academicYearId: YEAR,
        classId: CLASS_A,
        subjectId: 'drawing',
        subjectKey: 'drawing',
        kind: 'year',
        period: 0,
        value: '5',
        corrected: false,
        previousValues: [],
        setAt: '2026-11-20T09:00:00.000Z',
        version: 1,
      },
      {
        id: `year-0:${ANN}:math:final:0`,
        academicYearId: 'year-0',
        classId: 'class-4a',
        subjectId: 'math',
        subjectKey: 'math',
        kind: 'final',
        period: 0,
        value: '3',
        corrected: false,
        previousValues: [],
        setAt: '2026-05-25T09:00:00.000Z',
        version: 1,
      },
    ],
    ...o,
  };
}

/** The whole school as a model; tests change single documents with `put`. */
export function schoolModel(): MemoryModel {
  const model = new MemoryModel();
  model.put('schools', {
    _id: SCHOOL,
    name: 'Школа № 1',
    shortName: 'Школа № 1',
    timeZone: 'Asia/Yekaterinburg',
    version: 1,
    policy: POLICY,
  });
  model.put('years', {
    _id: YEAR,
    schoolId: SCHOOL,
    name: '2026/2027',
    startsOn: '2026-09-01',
    endsOn: '2027-05-31',
    periodSchemes: [
      {
        grades: [1, 2, 3, 4, 5, 6],
        kind: 'quarter',
        periods: [
          { number: 2, startsOn: '2026-11-05', endsOn: '2026-12-28' },
          { number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' },
          { number: 3, startsOn: '2027-01-09', endsOn: '2027-03-22' },
          { number: 4, startsOn: '2027-03-31', endsOn: '2027-05-26' },
        ],
      },
      {
        grades: [10, 11],
        kind: 'half_year',
        periods: [{ number: 1, startsOn: '2026-09-01', endsOn: '2026-12-28' }],
      },
    ],
    version: 1,
  });
  const schoolClass = (id: string, name: string, classTeacherId: string, teacherIds: string[]) =>
    model.put('classes', {
      _id: id,
      schoolId: SCHOOL,
      academicYearId: YEAR,
      grade: 5,
      name,
      classTeacherId,
      version: 1,
      teacherIds,
    });
  schoolClass(CLASS_A, '5А', 't-class-a', ['t-eng', 't-eng2', 't-math', 't-rus', 't-sub']);
  schoolClass(CLASS_B, '5Б', 't-class-b', ['t-other']);
  schoolClass(CLASS_C, '5В', 't-class-c', ['t-c']);
  for (const [id, name] of [
    [GROUP_1, 'Группа 1'],
    [GROUP_2, 'Группа 2'],
  ] as const) {
    model.put('subgroups', {
      _id: id,
      schoolId: SCHOOL,
      academicYearId: YEAR,
      classId: CLASS_A,
      name,
      subjectKey: 'english',
      memberIds: [],
      version: 1,
    });
  }
  model.put('subjects', {
    _id: 'drawing',
    key: 'drawing',
    name: 'Изобразительное искусство',
    shortName: 'ИЗО',
  });
  for (const [id, kind, displayName] of [
    [ANN, 'student', 'Смирнова Анна Сергеевна'],
    [BORIS, 'student', 'Андреев Борис Олегович'],
    ['t-math', 'staff', 'Иванова Анна Петровна'],
    ['t-sub', 'staff', 'Петрова Мария Ильинична'],
    ['t-eng', 'staff', 'Кузнецов Олег Игоревич'],
    ['t-rus', 'staff', 'Орлова Ольга'],
    ['t-other', 'staff', 'Соколов Пётр Андреевич'],
  ] as const) {
    model.put('people', { _id: id, schoolId: SCHOOL, kind, displayName, version: 1 });
  }
  model.put('students', annDoc());
  model.put('students', {
    _id: BORIS,
    schoolId: SCHOOL,
    classStints: [{ academicYearId: YEAR, classId: CLASS_A, from: '2026-09-01', until: '' }],
    applied: {},
    subgroupStints: [{ subgroupId: GROUP_2, classId: CLASS_A, from: '', until: '' }],
    guardians: [
      {
        guardianshipId: 'gs-3',
        guardianId: 'g-boris',
        studentId: BORIS,
        schoolId: SCHOOL,
        active: true,
        version: 1,
      },
    ],
    periodMarks: [],
  });
  model.put('guardians', {
    _id: 'g-mother',
    children: [
      {
        guardianshipId: 'gs-1',
        guardianId: 'g-mother',
        studentId: ANN,
        schoolId: SCHOOL,
        active: true,
        version: 1,
      },
      {
        guardianshipId: 'gs-9',
        guardianId: 'g-mother',
        studentId: 's-zoe',
        schoolId: SCHOOL,
        active: false,
        version: 1,
      },
    ],
  });
  model.put('guardians', {
    _id: 'g-father',
    children: [
      {
        guardianshipId: 'gs-2',
        guardianId: 'g-father',
        studentId: ANN,
        schoolId: SCHOOL,
        active: false,
        version: 1,
      },
    ],
  });

  // 5А, the week before: Russian, Anna absent without a good reason.
  model.put('weeks', {
    _id: weekId(CLASS_A, '2026-11-16'),
    classId: CLASS_A,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    weekStart: '2026-11-16',
    lessons: [
      lesson('a0', '2026-11-16', 1, {
        ...russian,
        record: record({
          attendance: [{ studentId: ANN, kind: 'absent', lateMinutes: 0, reason: 'unexcused' }],
        }),
      }),
    ],
  });
  // 5А, two weeks before: a Russian dictation of 2 (older than the home page's 14 days).
  model.put('weeks', {
    _id: weekId(CLASS_A, '2026-11-09'),
    classId: CLASS_A,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    weekStart: '2026-11-09',
    lessons: [
      lesson('a9', '2026-11-09', 1, {
        ...russian,
        record: record({
          topic: 'Диктант',
          marks: [
            mark('m-rus', ANN, '2', {
              workType: 'dictation',
              workTypeName: 'Диктант',
              weight: 2,
              postedAt: '2026-11-09T05:00:00.000Z',
            }),
          ],
        }),
      }),
    ],
  });
  // 5А, the week Anna leaves on Wednesday.
  model.put('weeks', {
    _id: weekId(CLASS_A, MONDAY),
    classId: CLASS_A,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    weekStart: MONDAY,
    lessons: [
      lesson('l1', '2026-11-23', 1, {
        record: record({
          topic: 'Дроби',
          homework: homework('№ 12'),
          individualHomework: [homework('Карточка 3', '2026-11-26', ANN), homework('Карточка 5', '', BORIS)],
          marks: [
            mark('m1', ANN, '5', { workType: 'test', workTypeName: 'Контрольная работа', weight: 2 }),
            mark('m2', BORIS, '3', { workType: 'test', workTypeName: 'Контрольная работа', weight: 2 }),
            mark('m3', ANN, '4', {
              postedAt: '2026-11-23T05:10:00.000Z',
              postedValue: '3',
              corrected: true,
              history: [
                { kind: 'corrected', value: '4', reason: 'Ошибка при вводе', at: '2026-11-23T07:00:00.000Z' },
              ],
            }),
          ],
          attendance: [{ studentId: BORIS, kind: 'absent', lateMinutes: 0, reason: 'illness' }],
        }),
      }),
      lesson('l2', '2026-11-23', 2, {
        ...english,
        subgroupId: GROUP_1,
        subgroupName: 'Группа 1',
        record: record({
          topic: 'Present Simple',
          marks: [
            mark('m4', ANN, '', {
              postedValue: '2',
              status: 'voided',
              corrected: true,
              history: [
                { kind: 'voided', value: '', reason: 'Не тот ученик', at: '2026-11-23T08:00:00.000Z' },
              ],
            }),
          ],
          attendance: [{ studentId: ANN, kind: 'late', lateMinutes: 5, reason: '' }],
        }),
      }),
      lesson('l2b', '2026-11-23', 2, {
        ...english,
        teacherId: 't-eng2',
        subgroupId: GROUP_2,
        subgroupName: 'Группа 2',
        record: record({ topic: 'Past Simple', marks: [mark('m5', BORIS, '5')] }),
      }),
      lesson('l3', '2026-11-24', 1, {
        substituteTeacherId: 't-sub',
        record: record({
          topic: 'Сравнение дробей',
          homework: homework('Стр. 40'),
          attendance: [{ studentId: ANN, kind: 'absent', lateMinutes: 0, reason: 'illness' }],
        }),
      }),
      lesson('l4', '2026-11-24', 2, {
        ...russian,
        status: 'cancelled',
        cancellationReason: 'Болезнь учителя',
      }),
      lesson('l5', '2026-11-25', 1, {
        record: record({ topic: 'Без Анны', marks: [mark('m6', BORIS, '4')] }),
      }),
      lesson('l6', '2026-11-26', 1),
    ],
  });
  // 5Б, the week Anna comes on Wednesday.
  model.put('weeks', {
    _id: weekId(CLASS_B, MONDAY),
    classId: CLASS_B,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    weekStart: MONDAY,
    lessons: [
      lesson('b0', '2026-11-23', 1, {
        teacherId: 't-other',
        record: record({ marks: [mark('m7', VERA, '5')] }),
      }),
      lesson('b1', '2026-11-25', 1, {
        teacherId: 't-other',
        movedFromDate: '2026-11-20',
        record: record({
          topic: 'Десятичные дроби',
          homework: homework('Упр. 5'),
          individualHomework: [homework('Карточка 7', '2026-11-26', ANN)],
          marks: [
            mark('m8', ANN, '3', {
              workType: 'independent',
              workTypeName: 'Самостоятельная работа',
              weight: 1.5,
              postedAt: '2026-11-25T05:00:00.000Z',
            }),
            mark('m9', VERA, '5', { postedAt: '2026-11-25T05:00:00.000Z' }),
          ],
        }),
      }),
      lesson('b2', '2026-11-25', 2, {
        ...history,
        record: record({
          topic: 'Древний Египет',
          marks: [mark('m10', ANN, 'зач', { postedAt: '2026-11-25T06:00:00.000Z' })],
        }),
      }),
      lesson('b4', '2026-11-26', 1, { teacherId: 't-other' }),
    ],
  });
  model.put('calendars', {
    _id: calendarId(SCHOOL, YEAR),
    schoolId: SCHOOL,
    academicYearId: YEAR,
    events: [
      event('e-5b', { startsOn: '2026-11-26', scope: 'classes', classIds: [CLASS_B], title: 'Экскурсия 5Б' }),
      event('e-5a', { startsOn: '2026-11-26', scope: 'classes', classIds: [CLASS_A], title: 'Экскурсия 5А' }),
      event('e-school', {
        startsOn: '2026-11-27',
        endsOn: '2026-11-28',
        title: 'Родительское собрание',
        startsAt: '18:00',
      }),
      event('e-boris', { startsOn: '2026-11-27', participantIds: [BORIS], title: 'Олимпиада' }),
      event('e-old', { startsOn: '2026-11-10', title: 'Прошлое' }),
    ],
  });
  return model;
}

export class MemorySettings implements SettingsRepository {
  readonly stored = new Map<string, DiarySettings>();

  get(schoolId: string): Promise<DiarySettings> {
    return Promise.resolve(
      this.stored.get(schoolId) ?? { schoolId, showCorrectionReasons: false, updatedBy: '', updatedAt: '' },
    );
  }

  put(settings: DiarySettings): Promise<DiarySettings> {
    this.stored.set(settings.schoolId, { ...settings });
    return Promise.resolve({ ...settings });
  }
}

/** The use cases' ports over the school's model; refusals are recorded. */
export function setup(o: { now?: string; model?: MemoryModel } = {}) {
  const model = o.model ?? schoolModel();
  const settings = new MemorySettings();
  const denials: { action: string; object: string }[] = [];
  const deps: DiaryQueryDeps & { settings: MemorySettings } = {
    model,
    settings,
    authorize: (_actor, allowed, what) => {
      if (allowed) return;
      denials.push(what);
      throw forbidden('access.denied', 'Недостаточно прав для этого действия');
    },
    now: () => new Date(o.now ?? NOW),
  };
  return { model, settings, deps, denials };
}
