import { invalid, isDate, localDate, notFound, type FieldError } from '@edu/kit';
import type { CopiedClass, CopiedSchool, CopyReader, Course } from './copies';
import { courseId } from './copies';
import { courseStints, overlaps, studentsOn } from './course-students';
import { entryWindow, localInstant } from './entry-window';
import { scaleFor, type GradingPolicy, type Scale, type WorkType } from './grading-policy';
import { canReadCourse, hasRoleIn, isClassTeacher, readsWholeSchool, teachesCourse } from './journal-policy';
import {
  daysInRange,
  keepingRows,
  lessonRecordOf,
  lessonsWithRecords,
  missingItems,
  periodMarkIdsOf,
  periodStudents,
  studentSummaries,
  type JournalStudent,
  type KeepingRow,
  type KeptLesson,
  type StudentSummary,
} from './journal-queries';
import { effectivePolicy } from './lesson-record.use-cases';
import { averages, journalKeeper, type LessonRecord, type Mark } from './lesson-record';
import {
  periodMarkId,
  type Authorize,
  type LessonRecordRepository,
  type PeriodMark,
  type PeriodMarkRepository,
  type PolicyRepository,
  type RequestContext,
} from './ports';
import { periodOf, periodsOf, within, type StudyPeriod } from './study-periods';

// The journal's read views, each one request and every read by computed ids (R5.8, R8.1): a
// course's page over a period, a student's marks across subjects, a teacher's day, and
// journal-keeping for the school's heads. Load → authorize → validate → assemble.

export interface JournalQueryDeps {
  copies: CopyReader;
  records: Pick<LessonRecordRepository, 'getMany'>;
  periodMarks: Pick<PeriodMarkRepository, 'getMany'>;
  policies: PolicyRepository;
  authorize: Authorize;
  now: () => Date;
}

/** The zone of a school whose copy has none yet (roster tells it with the school). */
const FALLBACK_TIME_ZONE = 'Europe/Moscow';
/** The longest range of journal-keeping, a quarter with room to spare. */
const MAX_KEEPING_DAYS = 93;

function zoneOf(school: CopiedSchool | null | undefined): string {
  return school?.timeZone || FALLBACK_TIME_ZONE;
}

const classNotFound = () => notFound('journal.class_not_found', 'Класс не найден');
const courseNotFound = () =>
  notFound('journal.course_not_found', 'Такого предмета у класса нет в расписании');

function periodField(period: number, errors: FieldError[]): void {
  if (!Number.isInteger(period) || period < 1)
    errors.push({ field: 'period', message: 'укажите номер учебного периода (от 1)' });
}

/** The study period of a class, or an input error when its year has no such period. */
async function classPeriod(
  copies: Pick<CopyReader, 'year'>,
  schoolClass: CopiedClass,
  number: number,
  code: string,
): Promise<{ period: StudyPeriod; last: boolean }> {
  const year = await copies.year(schoolClass.academicYearId);
  const periods = year ? periodsOf(year, schoolClass.grade) : [];
  const period = year ? periodOf(year, schoolClass.grade, number) : null;
  if (!period) {
    throw invalid(code, 'Запрос заполнен с ошибками', [
      { field: 'period', message: `в учебном году класса ${schoolClass.name} нет периода № ${number}` },
    ]);
  }
  return { period, last: periods[periods.length - 1]?.number === number };
}

// --- The journal page ---------------------------------------------------------------------------

export interface JournalPage {
  course: Course;
  period: StudyPeriod;
  scale: Scale;
  students: JournalStudent[];
  lessons: LessonRecord[];
  averages: StudentSummary[];
  periodMarks: PeriodMark[];
  workTypes: WorkType[];
}

/**
 * A course's page over a study period, every cell in one answer: its teachers, the class teacher,
 * the school's heads and admin read it.
 */
export async function getJournalPage(
  deps: JournalQueryDeps,
  ctx: RequestContext,
  query: { classId: string; subgroupId: string; subjectId: string; period: number },
): Promise<JournalPage> {
  const errors: FieldError[] = [];
  if (!query.classId.trim()) errors.push({ field: 'course.class_id', message: 'укажите класс' });
  if (!query.subjectId.trim()) errors.push({ field: 'course.subject_id', message: 'укажите предмет' });
  periodField(query.period, errors);
  if (errors.length > 0) throw invalid('journal.query_invalid', 'Запрос заполнен с ошибками', errors);

  const schoolClass = await deps.copies.schoolClass(query.classId.trim());
  if (!schoolClass) throw classNotFound();
  const id = courseId({
    academicYearId: schoolClass.academicYearId,
    classId: schoolClass.id,
    subgroupId: query.subgroupId.trim(),
    subjectId: query.subjectId.trim(),
  });
  const course = await deps.copies.course(id);
  const what = { action: 'journal.read', object: `course:${id}` };
  if (!course) {
    // Only who reads the whole class learns that it has no such course; anyone else is refused.
    deps.authorize(
      ctx.actor,
      readsWholeSchool(ctx.actor, schoolClass.schoolId) || isClassTeacher(ctx.actor, schoolClass),
      what,
    );
    throw courseNotFound();
  }
  deps.authorize(ctx.actor, canReadCourse(ctx.actor, course, schoolClass), what);

  const { period, last } = await classPeriod(deps.copies, schoolClass, query.period, 'journal.query_invalid');
  const inPeriod = course.lessons.filter((l) => within(l.date, period)).map((l) => l.lessonId);
  const [stints, stored, policy] = await Promise.all([
    courseStints(deps.copies, course),
    deps.records.getMany(inPeriod),
    effectivePolicy(deps.policies, course.schoolId),
  ]);
  const periodStints = stints.filter((s) => overlaps(s, period));
  const people = await deps.copies.people([...new Set(periodStints.map((s) => s.studentId))]);
  const students = periodStudents(periodStints, period, people);
  const lessons = lessonsWithRecords(course, period, stored);
  const studentIds = students.map((s) => s.studentId);
  const periodMarks = await deps.periodMarks.getMany(
    periodMarkIdsOf(course, studentIds, period.number, last),
  );
  return {
    course,
    period,
    scale: scaleFor(policy, schoolClass.grade, course.subjectKey),
    students,
    lessons,
    averages: studentSummaries(studentIds, lessons),
    periodMarks: orderPeriodMarks(periodMarks, studentIds),
    workTypes: policy.workTypes,
  };
}

const KIND_ORDER: Record<PeriodMark['kind'], number> = { period: 0, year: 1, exam: 2, final: 3 };

function orderPeriodMarks(marks: PeriodMark[], studentIds: string[]): PeriodMark[] {
  const position = new Map(studentIds.map((id, i) => [id, i]));
  return [...marks].sort(
    (a, b) =>
      (position.get(a.studentId) ?? 0) - (position.get(b.studentId) ?? 0) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind],
  );
}

// --- A student's marks ---------------------------------------------------------------------------

/** One mark of a student with the lesson it was given in. */
export interface StudentLessonMark {
  lessonId: string;
  date: string;
  mark: Mark;
}

/** A student's marks in one course of the period. */
export interface SubjectMarks {
  course: Course;
  marks: StudentLessonMark[];
  arithmeticAverage: number;
  weightedAverage: number;
  periodMark: PeriodMark | null;
}

export interface StudentMarks {
  studentId: string;
  displayName: string;
  period: number;
  subjects: SubjectMarks[];
}

/**
 * A student's marks across the courses of their class in a period (the subgroup courses they
 * belong to): the school's heads and admin, the class teacher, and a teacher of the class — who
 * sees only the subjects they teach. Guardians and students read the diary instead.
 */
export async function getStudentMarks(
  deps: JournalQueryDeps,
  ctx: RequestContext,
  query: { studentId: string; classId: string; period: number },
): Promise<StudentMarks> {
  const errors: FieldError[] = [];
  if (!query.studentId.trim()) errors.push({ field: 'student_id', message: 'укажите ученика' });
  if (!query.classId.trim()) errors.push({ field: 'class_id', message: 'укажите класс' });
  periodField(query.period, errors);
  if (errors.length > 0) throw invalid('journal.query_invalid', 'Запрос заполнен с ошибками', errors);
  const studentId = query.studentId.trim();

  const schoolClass = await deps.copies.schoolClass(query.classId.trim());
  if (!schoolClass) throw classNotFound();
  const courses = await deps.copies.courses(await deps.copies.classCourseIds(schoolClass.id));
  const wholeClass =
    readsWholeSchool(ctx.actor, schoolClass.schoolId) || isClassTeacher(ctx.actor, schoolClass);
  const taughtSubjects = new Set(courses.filter((c) => teachesCourse(ctx.actor, c)).map((c) => c.subjectId));
  deps.authorize(ctx.actor, wholeClass || taughtSubjects.size > 0, {
    action: 'journal.student_marks.read',
    object: `student:${studentId}`,
  });

  const { period } = await classPeriod(deps.copies, schoolClass, query.period, 'journal.query_invalid');
  const roll = await deps.copies.classRoll(schoolClass.id);
  const inClass = (roll?.stints ?? []).some((s) => s.studentId === studentId && overlaps(s, period));
  if (!inClass) {
    throw notFound('journal.student_not_in_class', 'Ученик не учился в этом классе в этом учебном периоде');
  }

  const visible = courses.filter((c) => wholeClass || taughtSubjects.has(c.subjectId));
  const subgroups = await Promise.all(
    [...new Set(visible.map((c) => c.subgroupId).filter(Boolean))].map((id) => deps.copies.subgroup(id)),
  );
  const memberOf = new Set(
    subgroups
      .filter((g) => g?.stints.some((s) => s.studentId === studentId && overlaps(s, period)))
      .map((g) => g!.id),
  );
  const studentCourses = visible.filter((c) => !c.subgroupId || memberOf.has(c.subgroupId));
  const lessonIds = studentCourses.flatMap((c) =>
    c.lessons.filter((l) => within(l.date, period)).map((l) => l.lessonId),
  );
  const [stored, people, periodMarks] = await Promise.all([
    deps.records.getMany(lessonIds),
    deps.copies.people([studentId]),
    deps.periodMarks.getMany(
      [...new Set(studentCourses.map((c) => c.subjectId))].map((subjectId) =>
        periodMarkId({
          academicYearId: schoolClass.academicYearId,
          studentId,
          subjectId,
          kind: 'period',
          period: period.number,
        }),
      ),
    ),
  ]);
  const subjects = studentCourses
    .map((course) => {
      const records = lessonsWithRecords(course, period, stored);
      const marks = records.flatMap((r) =>
        r.marks
          .filter((m) => m.studentId === studentId)
          .map((mark) => ({ lessonId: r.lessonId, date: r.date, mark })),
      );
      const { arithmetic, weighted } = averages(marks.map((m) => m.mark));
      return {
        course,
        marks,
        arithmeticAverage: arithmetic,
        weightedAverage: weighted,
        periodMark: periodMarks.find((m) => m.subjectId === course.subjectId) ?? null,
      };
    })
    .sort(
      (a, b) =>
        a.course.subjectName.localeCompare(b.course.subjectName, 'ru') ||
        a.course.subgroupName.localeCompare(b.course.subgroupName, 'ru'),
    );
  return { studentId, displayName: people[0]?.displayName ?? studentId, period: period.number, subjects };
}

// --- A teacher's day ----------------------------------------------------------------------------

/** A lesson of a teacher's day with what it still lacks and whether it may still be filled in. */
export interface TeacherDayLesson {
  record: LessonRecord;
  course: Course;
  substitution: boolean;
  missing: string[];
  students: number;
  editable: boolean;
  editableUntil: Date;
}

export interface TeacherDay {
  teacherId: string;
  date: string;
  lessons: TeacherDayLesson[];
}

/**
 * The lessons a teacher keeps the journal of on a day (today in the school's time zone when no
 * date is given): the teacher themself, or the heads and admin of the school for any of its
 * teachers (only that school's lessons). A lesson substituted away is the substitute's; cancelled
 * lessons are not taught and left out.
 */
export async function getTeacherDay(
  deps: JournalQueryDeps,
  ctx: RequestContext,
  query: { teacherId: string; date: string },
): Promise<TeacherDay> {
  const teacherId = query.teacherId.trim() || ctx.actor.personId || '';
  const errors: FieldError[] = [];
  if (!teacherId) errors.push({ field: 'teacher_id', message: 'укажите учителя' });
  if (query.date.trim() && !isDate(query.date.trim()))
    errors.push({ field: 'date', message: 'дата — в виде ГГГГ-ММ-ДД' });
  if (errors.length > 0) throw invalid('teacher_day.query_invalid', 'Запрос заполнен с ошибками', errors);

  const self = ctx.actor.personId === teacherId;
  const [allCourses, [person]] = await Promise.all([
    deps.copies.courses(await deps.copies.teacherCourseIds(teacherId)),
    deps.copies.people([teacherId]),
  ]);
  // A teacher sees their lessons of the schools they have a role in; a head, those of their school.
  const mayRead = (schoolId: string) =>
    self ? hasRoleIn(ctx.actor, schoolId) : readsWholeSchool(ctx.actor, schoolId);
  const schoolIds = [
    ...new Set([...(person ? [person.schoolId] : []), ...allCourses.map((c) => c.schoolId)]),
  ];
  deps.authorize(ctx.actor, self ? ctx.actor.schoolRoles.length > 0 : schoolIds.some(mayRead), {
    action: 'journal.teacher_day.read',
    object: `teacher:${teacherId}`,
  });
  const courses = allCourses.filter((c) => mayRead(c.schoolId));

  const homeSchoolId =
    courses[0]?.schoolId ??
    (person && mayRead(person.schoolId) ? person.schoolId : (ctx.actor.schoolRoles[0]?.schoolId ?? ''));
  const courseSchoolIds = [...new Set([homeSchoolId, ...courses.map((c) => c.schoolId)].filter(Boolean))];
  const schools = new Map(
    (await Promise.all(courseSchoolIds.map((id) => deps.copies.school(id)))).flatMap((s) =>
      s ? [[s.id, s]] : [],
    ),
  );
  const now = deps.now();
  const date = query.date.trim() || localDate(now, zoneOf(schools.get(homeSchoolId)));

  const today = courses.flatMap((course) =>
    course.lessons
      .filter((l) => l.date === date && l.status !== 'cancelled' && journalKeeper(l) === teacherId)
      .map((lesson) => ({ course, lesson })),
  );
  if (today.length === 0) return { teacherId, date, lessons: [] };

  const involved = [...new Map(today.map(({ course }) => [course.id, course])).values()];
  const [stored, classes, stints, policies] = await Promise.all([
    deps.records.getMany(today.map(({ lesson }) => lesson.lessonId)),
    Promise.all([...new Set(involved.map((c) => c.classId))].map((id) => deps.copies.schoolClass(id))),
    Promise.all(involved.map(async (c) => [c.id, await courseStints(deps.copies, c)] as const)),
    Promise.all(
      [...new Set(involved.map((c) => c.schoolId))].map(
        async (id) => [id, await effectivePolicy(deps.policies, id)] as const,
      ),
    ),
  ]);
  const byId = new Map(stored.map((r) => [r.lessonId, r]));
  const classById = new Map(classes.flatMap((c) => (c ? [[c.id, c]] : [])));
  const stintsByCourse = new Map(stints);
  const policyBySchool = new Map<string, GradingPolicy>(policies);

  const lessons = today
    .map(({ course, lesson }) => {
      const record = lessonRecordOf(course, lesson, byId.get(lesson.lessonId));
      const policy = policyBySchool.get(course.schoolId)!;
      const grade = classById.get(course.classId)?.grade ?? 0;
      const window = entryWindow(policy, lesson, zoneOf(schools.get(course.schoolId)));
      return {
        record,
        course,
        substitution: lesson.substituteTeacherId === teacherId,
        missing: missingItems(record, scaleFor(policy, grade, course.subjectKey)),
        students: studentsOn(stintsByCourse.get(course.id) ?? [], lesson.date).length,
        editable: now >= window.opensAt && now < window.closesAt,
        editableUntil: window.closesAt,
      };
    })
    .sort(
      (a, b) =>
        a.record.lessonNumber - b.record.lessonNumber || a.record.startsAt.localeCompare(b.record.startsAt),
    );
  return { teacherId, date, lessons };
}

// --- Journal keeping ----------------------------------------------------------------------------

/** A journal-keeping row with the names a report shows. */
export interface NamedKeepingRow extends KeepingRow {
  teacherName: string;
}

/**
 * Journal-keeping (R8.1) of a school over some days, per teacher × course × week: the director,
 * deputies and the school admin. The copies list courses by teacher and by class, not by school,
 * so one of the two filters is required.
 */
export async function getJournalKeeping(
  deps: JournalQueryDeps,
  ctx: RequestContext,
  query: { schoolId: string; from: string; to: string; teacherId: string; classId: string },
): Promise<NamedKeepingRow[]> {
  const schoolId = query.schoolId.trim();
  if (!schoolId) {
    throw invalid('keeping.query_invalid', 'Запрос заполнен с ошибками', [
      { field: 'school_id', message: 'укажите школу' },
    ]);
  }
  deps.authorize(ctx.actor, readsWholeSchool(ctx.actor, schoolId), {
    action: 'journal.keeping.read',
    object: `school:${schoolId}`,
  });
  const from = query.from.trim();
  const to = query.to.trim();
  const teacherId = query.teacherId.trim();
  const classId = query.classId.trim();
  const errors: FieldError[] = [];
  if (!isDate(from)) errors.push({ field: 'from', message: 'дата начала — в виде ГГГГ-ММ-ДД' });
  if (!isDate(to)) errors.push({ field: 'to', message: 'дата окончания — в виде ГГГГ-ММ-ДД' });
  if (isDate(from) && isDate(to)) {
    if (from > to) errors.push({ field: 'to', message: 'дата окончания раньше даты начала' });
    else if (daysInRange(from, to) > MAX_KEEPING_DAYS)
      errors.push({ field: 'to', message: `период — не больше ${MAX_KEEPING_DAYS} дней` });
  }
  if (errors.length > 0) throw invalid('keeping.query_invalid', 'Запрос заполнен с ошибками', errors);
  // Neither filter: every course of the school (an inspection of the whole school's journal).
  const [byTeacher, byClass, bySchool] = await Promise.all([
    teacherId ? deps.copies.teacherCourseIds(teacherId) : Promise.resolve(null),
    classId ? deps.copies.classCourseIds(classId) : Promise.resolve(null),
    !teacherId && !classId ? deps.copies.schoolCourseIds(schoolId) : Promise.resolve(null),
  ]);
  const ids =
    byTeacher && byClass
      ? byTeacher.filter((id) => byClass.includes(id))
      : (byTeacher ?? byClass ?? bySchool ?? []);
  const courses = (await deps.copies.courses(ids)).filter((c) => c.schoolId === schoolId);
  const range = { startsOn: from, endsOn: to };
  const dated = courses.flatMap((course) =>
    course.lessons
      .filter(
        (l) =>
          within(l.date, range) && l.status !== 'cancelled' && (!teacherId || journalKeeper(l) === teacherId),
      )
      .map((lesson) => ({ course, lesson })),
  );
  if (dated.length === 0) return [];

  const involved = [...new Map(dated.map(({ course }) => [course.id, course])).values()];
  const [school, stored, stints] = await Promise.all([
    deps.copies.school(schoolId),
    deps.records.getMany(dated.map(({ lesson }) => lesson.lessonId)),
    Promise.all(involved.map(async (c) => [c.id, await courseStints(deps.copies, c)] as const)),
  ]);
  const timeZone = zoneOf(school);
  const now = deps.now().getTime();
  const byId = new Map(stored.map((r) => [r.lessonId, r]));
  const stintsByCourse = new Map(stints);
  const kept: KeptLesson[] = dated.map(({ course, lesson }) => ({
    course,
    record: lessonRecordOf(course, lesson, byId.get(lesson.lessonId)),
    held: localInstant(lesson.date, lesson.endsAt || '23:59', timeZone).getTime() <= now,
    students: studentsOn(stintsByCourse.get(course.id) ?? [], lesson.date).length,
    timeZone,
  }));
  const rows = keepingRows(kept);
  const people = await deps.copies.people([...new Set(rows.map((r) => r.teacherId))]);
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  return rows
    .map((row) => ({ ...row, teacherName: names.get(row.teacherId) ?? row.teacherId }))
    .sort(
      (a, b) =>
        a.teacherName.localeCompare(b.teacherName, 'ru') ||
        a.teacherId.localeCompare(b.teacherId) ||
        a.week.localeCompare(b.week) ||
        a.course.className.localeCompare(b.course.className, 'ru') ||
        a.course.subjectName.localeCompare(b.course.subjectName, 'ru') ||
        a.course.subgroupName.localeCompare(b.course.subgroupName, 'ru'),
    );
}
