import { forbidden } from '@edu/kit';
import {
  courseId,
  type ClassRoll,
  type CopiedClass,
  type CopiedPerson,
  type CopiedSubgroup,
  type CopiedYear,
  type Course,
  type CourseLesson,
} from '../../src/domain/copies';
import { defaultPolicy, type GradingPolicy } from '../../src/domain/grading-policy';
import { emptyRecord, recordLesson, type LessonRecord, type Mark } from '../../src/domain/lesson-record';
import type { PeriodMarkDeps } from '../../src/domain/period-mark.use-cases';
import type { Actor, GradebookFact, PeriodMark, RequestContext } from '../../src/domain/ports';

// A school in Krasnoyarsk (UTC+7) with quarters, a 5th and a 1st grade class, a whole-class
// course (maths) and a subgroup course (English), and in-memory ports.

export const SCHOOL = 'school-1';
export const YEAR = 'year-1';
export const CLASS = 'class-5a';
export const CLASS_1 = 'class-1a';
export const SUBGROUP = 'sg-eng-1';
export const CLASS_TEACHER = 'ct-1';
export const MATH_TEACHER = 'teacher-math';
export const ENGLISH_TEACHER = 'teacher-eng';
export const OTHER_TEACHER = 'teacher-other';
/** In the class all year, in the English subgroup. */
export const ANNA = 'student-anna';
/** Left the class on 10 October (first quarter only). */
export const BORIS = 'student-boris';
/** Joined the class on 10 November (second quarter on). */
export const VERA = 'student-vera';

export const Q2 = { startsOn: '2026-11-05', endsOn: '2026-12-28' };

export const year: CopiedYear = {
  id: YEAR,
  schoolId: SCHOOL,
  name: '2026/2027',
  startsOn: '2026-09-01',
  endsOn: '2027-08-31',
  status: 'open',
  periodSchemes: [
    {
      grades: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      kind: 'quarter',
      periods: [
        { number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' },
        { number: 2, ...Q2 },
        { number: 3, startsOn: '2027-01-11', endsOn: '2027-03-21' },
        { number: 4, startsOn: '2027-03-30', endsOn: '2027-05-26' },
      ],
    },
  ],
  version: 1,
};

export function schoolClass(id: string, grade: number): CopiedClass {
  return {
    id,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    grade,
    name: grade === 5 ? '5А' : '1А',
    classTeacherId: CLASS_TEACHER,
    status: 'open',
    version: 1,
  };
}

export function lesson(
  lessonId: string,
  date: string,
  teacherId: string,
  status = 'scheduled',
): CourseLesson {
  return {
    lessonId,
    period: date < '2026-10-26' ? 1 : date < '2026-12-29' ? 2 : 3,
    date,
    lessonNumber: 1,
    startsAt: '08:30',
    endsAt: '09:15',
    teacherId,
    substituteTeacherId: '',
    room: '',
    status,
    version: 1,
  };
}

export function course(
  classId: string,
  subgroupId: string,
  subject: { id: string; key: string; name: string },
  lessons: CourseLesson[],
  curriculum?: Course['curriculum'],
): Course {
  return {
    id: courseId({ academicYearId: YEAR, classId, subgroupId, subjectId: subject.id }),
    schoolId: SCHOOL,
    academicYearId: YEAR,
    classId,
    className: classId === CLASS ? '5А' : '1А',
    subgroupId,
    subgroupName: subgroupId ? 'Английский, группа 1' : '',
    subjectId: subject.id,
    subjectKey: subject.key,
    subjectName: subject.name,
    subjectShortName: subject.name,
    lessons,
    ...(curriculum ? { curriculum } : {}),
    version: 1,
  };
}

export const MATH = { id: 'subject-math', key: 'math', name: 'Математика' };
export const ENGLISH = { id: 'subject-eng', key: 'english', name: 'Английский язык' };

export function mark(studentId: string, value: string, weight = 1, status: Mark['status'] = 'active'): Mark {
  return {
    id: `${studentId}-${value}-${Math.random()}`,
    studentId,
    value,
    workType: 'oral',
    workTypeName: 'Устный ответ',
    weight,
    comment: '',
    postedBy: MATH_TEACHER,
    postedAt: '2026-11-10T03:00:00.000Z',
    status,
    history: [],
  };
}

export function actor(personId: string, role = 'teacher', schoolId = SCHOOL): Actor {
  return { accountId: `acc-${personId}`, personId, schoolRoles: [{ schoolId, role }], grants: [] };
}

export function context(a: Actor): RequestContext {
  return { actor: a, traceId: 'trace-1' };
}

/** The world the use cases read, editable by each test, and what they saved. */
export interface World {
  deps: PeriodMarkDeps;
  now: { at: Date };
  policy: { value: GradingPolicy | null };
  courses: Map<string, Course>;
  records: Map<string, LessonRecord>;
  marks: Map<string, PeriodMark>;
  saved: { mark: PeriodMark; expectedVersion: number; facts: GradebookFact[] }[];
  rolls: Map<string, ClassRoll>;
  subgroups: Map<string, CopiedSubgroup>;
  refusals: { action: string; object: string }[];
}

export const mathLessons = [
  lesson('m-1', '2026-11-09', MATH_TEACHER),
  lesson('m-2', '2026-11-16', MATH_TEACHER),
  lesson('m-3', '2026-11-23', MATH_TEACHER),
  lesson('m-4', '2026-11-30', MATH_TEACHER, 'cancelled'),
  lesson('m-q1', '2026-10-05', MATH_TEACHER),
];
export const englishLessons = [lesson('e-1', '2026-11-10', ENGLISH_TEACHER)];

export function world(): World {
  const mathCourse = course(CLASS, '', MATH, mathLessons);
  const englishCourse = course(CLASS, SUBGROUP, ENGLISH, englishLessons);
  const firstGradeMath = course(CLASS_1, '', MATH, [lesson('f-1', '2026-11-09', MATH_TEACHER)]);
  const courses = new Map([mathCourse, englishCourse, firstGradeMath].map((c) => [c.id, c]));
  const classes = new Map([schoolClass(CLASS, 5), schoolClass(CLASS_1, 1)].map((c) => [c.id, c]));
  const rolls = new Map<string, ClassRoll>([
    [
      CLASS,
      {
        classId: CLASS,
        schoolId: SCHOOL,
        academicYearId: YEAR,
        stints: [
          { studentId: ANNA, from: '2026-09-01', until: '' },
          { studentId: BORIS, from: '2026-09-01', until: '2026-10-10' },
          { studentId: VERA, from: '2026-11-10', until: '' },
        ],
        applied: {},
      },
    ],
    [
      CLASS_1,
      {
        classId: CLASS_1,
        schoolId: SCHOOL,
        academicYearId: YEAR,
        stints: [{ studentId: 'student-first', from: '2026-09-01', until: '' }],
        applied: {},
      },
    ],
  ]);
  const subgroups = new Map<string, CopiedSubgroup>([
    [
      SUBGROUP,
      {
        id: SUBGROUP,
        schoolId: SCHOOL,
        academicYearId: YEAR,
        classId: CLASS,
        subjectKey: 'english',
        name: 'Английский, группа 1',
        stints: [{ studentId: ANNA, from: '2026-09-01', until: '' }],
        status: 'open',
        version: 1,
      },
    ],
  ]);
  const people: CopiedPerson[] = [
    {
      id: ANNA,
      schoolId: SCHOOL,
      kind: 'student',
      displayName: 'Яковлева Анна',
      status: 'active',
      version: 1,
    },
    {
      id: BORIS,
      schoolId: SCHOOL,
      kind: 'student',
      displayName: 'Борисов Борис',
      status: 'active',
      version: 1,
    },
    { id: VERA, schoolId: SCHOOL, kind: 'student', displayName: 'Ёлкина Вера', status: 'active', version: 1 },
  ];
  const records = new Map<string, LessonRecord>();
  const marks = new Map<string, PeriodMark>();
  const saved: World['saved'] = [];
  const refusals: World['refusals'] = [];
  const now = { at: new Date('2026-12-25T03:00:00Z') };
  const policy: World['policy'] = { value: null };
  const deps: PeriodMarkDeps = {
    periodMarks: {
      get: async (id) => marks.get(id) ?? null,
      getMany: async (ids) => ids.flatMap((id) => (marks.has(id) ? [marks.get(id)!] : [])),
      save: async (m, expectedVersion, facts) => {
        if ((marks.get(m.id)?.version ?? 0) !== expectedVersion) throw new Error('version conflict');
        marks.set(m.id, m);
        saved.push({ mark: m, expectedVersion, facts });
      },
    },
    records: { getMany: async (ids) => ids.flatMap((id) => (records.has(id) ? [records.get(id)!] : [])) },
    policies: { get: async () => policy.value },
    copies: {
      school: async (id) =>
        id === SCHOOL ? { id, shortName: 'Школа № 1', timeZone: 'Asia/Krasnoyarsk', version: 1 } : null,
      year: async (id) => (id === YEAR ? year : null),
      schoolClass: async (id) => classes.get(id) ?? null,
      classRoll: async (id) => rolls.get(id) ?? null,
      subgroup: async (id) => subgroups.get(id) ?? null,
      people: async (ids) => people.filter((p) => ids.includes(p.id)),
      course: async (id) => courses.get(id) ?? null,
      courses: async (ids) => ids.flatMap((id) => (courses.has(id) ? [courses.get(id)!] : [])),
      classCourseIds: async (classId) =>
        [...courses.values()].filter((c) => c.classId === classId).map((c) => c.id),
    },
    authorize: (_actor, allowed, what) => {
      if (!allowed) {
        refusals.push(what);
        throw forbidden('access.denied', 'Недостаточно прав');
      }
    },
    now: () => now.at,
  };
  return { deps, now, policy, courses, records, marks, saved, rolls, subgroups, refusals };
}

/** Puts a record with marks into a lesson of a course. */
export function putMarks(w: World, c: Course, lessonId: string, marks: Mark[]): void {
  const l = c.lessons.find((x) => x.lessonId === lessonId)!;
  w.records.set(lessonId, { ...emptyRecord(recordLesson(c, l)), marks, version: 1 });
}

export function policyWith(patch: Partial<GradingPolicy>): GradingPolicy {
  return { ...defaultPolicy(SCHOOL), ...patch };
}
