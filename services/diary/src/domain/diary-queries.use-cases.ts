import { addDays, forbidden, invalid, isDate, localDate, precondition, type FieldError } from '@edu/kit';
import { readsStudentDiary } from './access';
import type { ForecastResult } from './forecast';
import {
  finalMarks,
  lessonsIn,
  nameOf,
  periodsOf,
  pickPeriod,
  orderSubjects,
  subjectNames,
  subjectPeriod,
  attendanceCounts,
  type AttendanceCounts,
  type PeriodMarkView,
  type StudyPeriod,
  type SubjectPeriod,
} from './diary-periods';
import {
  classIdsBetween,
  FALLBACK_TIME_ZONE,
  mondayOf,
  mondaysBetween,
  overlapsRange,
  staffIdsOf,
  stintOn,
  studentCard,
  studentLessonsOf,
  type ClassLesson,
  type HomeworkView,
  type MarkView,
  type StudentCardView,
} from './diary-queries';
import { homeworkDue, newestMarks, weekView, type WeekView } from './diary-week';
import {
  calendarId,
  weekId,
  type ClassDoc,
  type PersonDoc,
  type SchoolDoc,
  type StudentDoc,
  type WeekDoc,
} from './model';
import type { Authorize, ModelReader, RequestContext, SettingsRepository } from './ports';

// The diary's read views (R6.1–R6.4), each one request over documents read by computed ids:
// a student's week, a subject of a period, the forecast, the period's summary, and the home page
// of a guardian or a student. Validate the input's shape → load the student → authorize (an
// unknown student is refused like a foreign one) → validate against the model → assemble.

export interface DiaryQueryDeps {
  model: ModelReader;
  settings: Pick<SettingsRepository, 'get'>;
  authorize: Authorize;
  now: () => Date;
}

const QUERY_INVALID = 'diary.query_invalid';
const READ = 'diary.read';
/** How far back the home page shows new marks. */
const NEWEST_MARKS_DAYS = 14;
const NEWEST_MARKS_LIMIT = 10;

function studentField(studentId: string, errors: FieldError[]): void {
  if (!studentId.trim()) errors.push({ field: 'student_id', message: 'укажите ученика' });
}

function periodField(period: number, errors: FieldError[]): void {
  if (!Number.isInteger(period) || period < 0)
    errors.push({
      field: 'period',
      message: 'номер учебного периода — целое число от 1 (0 — текущий период)',
    });
}

function check(errors: FieldError[]): void {
  if (errors.length > 0) throw invalid(QUERY_INVALID, 'Запрос заполнен с ошибками', errors);
}

/** A student whose diary the actor may read, with what every view needs. */
interface StudentScope {
  student: StudentDoc;
  classes: ClassDoc[];
  school: SchoolDoc | null;
  person: PersonDoc | null;
  timeZone: string;
  today: string;
}

/** Loads the student and refuses — the same way whether the student exists or not. */
async function openStudent(
  deps: DiaryQueryDeps,
  ctx: RequestContext,
  studentId: string,
  action: string,
): Promise<StudentScope> {
  const id = studentId.trim();
  const student = await deps.model.get('students', id);
  const classes = student ? await classesOf(deps.model, student) : [];
  deps.authorize(ctx.actor, readsStudentDiary(ctx.actor, student, classes), {
    action,
    object: `student:${id}`,
  });
  // Unreachable with a real policy port (it throws); keeps the refusal identical if it does not.
  if (!student) throw forbidden('access.denied', 'Недостаточно прав для этого действия');
  return scopeOf(deps, student, classes);
}

async function classesOf(model: ModelReader, student: StudentDoc): Promise<ClassDoc[]> {
  return model.getMany('classes', [...new Set(student.classStints.map((s) => s.classId))]);
}

async function scopeOf(
  deps: DiaryQueryDeps,
  student: StudentDoc,
  classes: ClassDoc[],
): Promise<StudentScope> {
  const [school, person] = await Promise.all([
    deps.model.get('schools', student.schoolId),
    deps.model.get('people', student._id),
  ]);
  const timeZone = school?.timeZone || FALLBACK_TIME_ZONE;
  return { student, classes, school, person, timeZone, today: localDate(deps.now(), timeZone) };
}

function cardOf(scope: StudentScope, date: string): StudentCardView {
  return studentCard(scope.student, date, {
    person: scope.person,
    classes: scope.classes,
    school: scope.school,
  });
}

/** The class-weeks of the classes over the Mondays: the student's lessons, and every lesson (pool). */
async function loadLessons(
  model: ModelReader,
  student: StudentDoc,
  classIds: string[],
  mondays: string[],
): Promise<{ weeks: WeekDoc[]; lessons: ClassLesson[]; pool: ClassLesson[] }> {
  const ids = classIds.flatMap((classId) => mondays.map((monday) => weekId(classId, monday)));
  const weeks = ids.length > 0 ? await model.getMany('weeks', ids) : [];
  const pool = weeks.flatMap((w) => w.lessons.map((lesson) => ({ classId: w.classId, lesson })));
  return { weeks, lessons: studentLessonsOf(student, weeks), pool };
}

async function showsReasons(deps: DiaryQueryDeps, schoolId: string): Promise<boolean> {
  return (await deps.settings.get(schoolId)).showCorrectionReasons;
}

// --- The week -------------------------------------------------------------------------------------

/** A student's week (Mon–Sun) with this student's marks, attendance and homework only (R6.1, R6.6). */
export async function getWeek(
  deps: DiaryQueryDeps,
  ctx: RequestContext,
  query: { studentId: string; date: string },
  action = READ,
): Promise<WeekView> {
  const errors: FieldError[] = [];
  studentField(query.studentId, errors);
  const asked = query.date.trim();
  if (asked && !isDate(asked)) errors.push({ field: 'date', message: 'дата — в виде ГГГГ-ММ-ДД' });
  check(errors);

  const scope = await openStudent(deps, ctx, query.studentId, action);
  const { student } = scope;
  const date = asked || scope.today;
  const monday = mondayOf(date);
  const sunday = addDays(monday, 6);
  const classIds = classIdsBetween(student, monday, sunday);
  // The next week too: homework without a due date is due at the next lesson of the subject.
  const { lessons, pool } = await loadLessons(deps.model, student, classIds, [monday, addDays(monday, 7)]);
  const weekLessons = lessons.filter((l) => l.lesson.date <= sunday);
  const card = cardOf(scope, date);
  const overlapping = student.classStints.filter((s) => overlapsRange(s, monday, sunday));
  // The school's events of the card's year when no stint covers the week (holidays).
  const yearIds = [
    ...new Set(overlapping.length > 0 ? overlapping.map((s) => s.academicYearId) : [card.academicYearId]),
  ].filter(Boolean);
  const [people, calendars, showCorrectionReasons] = await Promise.all([
    deps.model.getMany('people', staffIdsOf(weekLessons)),
    deps.model.getMany(
      'calendars',
      yearIds.map((yearId) => calendarId(student.schoolId, yearId)),
    ),
    showsReasons(deps, student.schoolId),
  ]);
  return weekView({
    monday,
    card,
    student,
    lessons: weekLessons,
    pool,
    calendars,
    options: {
      studentId: student._id,
      showCorrectionReasons,
      people: new Map(people.map((p) => [p._id, p])),
    },
  });
}

// --- A study period ---------------------------------------------------------------------------------

interface PeriodScope extends StudentScope {
  period: StudyPeriod;
  academicYearId: string;
  /** The student's lessons dated inside the period. */
  lessons: ClassLesson[];
  showCorrectionReasons: boolean;
}

/** The period of the student's class (of today's stint, else the latest) and its lessons. */
async function openPeriod(
  deps: DiaryQueryDeps,
  ctx: RequestContext,
  studentId: string,
  number: number,
): Promise<PeriodScope> {
  const scope = await openStudent(deps, ctx, studentId, READ);
  const { student } = scope;
  const stint = stintOn(student, scope.today);
  const schoolClass = scope.classes.find((c) => c._id === stint?.classId) ?? null;
  const year = schoolClass ? await deps.model.get('years', schoolClass.academicYearId) : null;
  const periods = schoolClass ? periodsOf(year, schoolClass.grade) : [];
  if (!schoolClass || periods.length === 0)
    throw precondition('diary.periods_unknown', 'Учебные периоды класса ученика ещё не известны дневнику');
  const period = pickPeriod(periods, number, scope.today);
  if (!period) {
    throw invalid(QUERY_INVALID, 'Запрос заполнен с ошибками', [
      { field: 'period', message: `в учебном году класса ${schoolClass.name} нет периода № ${number}` },
    ]);
  }
  const classIds = classIdsBetween(student, period.startsOn, period.endsOn);
  const [{ lessons }, showCorrectionReasons] = await Promise.all([
    loadLessons(deps.model, student, classIds, mondaysBetween(period.startsOn, period.endsOn)),
    showsReasons(deps, student.schoolId),
  ]);
  return {
    ...scope,
    period,
    academicYearId: schoolClass.academicYearId,
    lessons: lessonsIn(lessons, period),
    showCorrectionReasons,
  };
}

/** Subject names for the ids: from the period's lessons, else the catalogue. */
async function namesFor(
  model: ModelReader,
  lessons: ClassLesson[],
  subjectIds: string[],
): Promise<Map<string, string>> {
  const fromLessons = subjectNames(lessons, []);
  const missing = subjectIds.filter((id) => !fromLessons.has(id));
  const subjects = missing.length > 0 ? await model.getMany('subjects', missing) : [];
  return subjectNames(lessons, subjects);
}

function subjectOf(scope: PeriodScope, subjectId: string, names: Map<string, string>): SubjectPeriod {
  const mark = scope.student.periodMarks.find((m) => m.subjectId === subjectId);
  return subjectPeriod({
    subjectId,
    subjectName: nameOf(names, subjectId, mark?.subjectKey ?? ''),
    lessons: scope.lessons,
    studentId: scope.student._id,
    periodMarks: scope.student.periodMarks,
    academicYearId: scope.academicYearId,
    period: scope.period.number,
    policy: scope.school?.policy ?? null,
    showCorrectionReasons: scope.showCorrectionReasons,
  });
}

/** The subjects of the period: those with lessons, and those with a period mark already. */
function periodSubjectIds(scope: PeriodScope): string[] {
  const ids = new Set(scope.lessons.map((l) => l.lesson.subjectId));
  for (const mark of scope.student.periodMarks) {
    if (
      mark.academicYearId === scope.academicYearId &&
      mark.kind === 'period' &&
      mark.period === scope.period.number
    )
      ids.add(mark.subjectId);
  }
  return [...ids];
}

export interface SubjectView extends SubjectPeriod {
  student: StudentCardView;
  period: StudyPeriod;
}

/** A student's marks in one subject over a study period, with averages, period mark and forecast. */
export async function getSubject(
  deps: DiaryQueryDeps,
  ctx: RequestContext,
  query: { studentId: string; subjectId: string; period: number },
): Promise<SubjectView> {
  const errors: FieldError[] = [];
  studentField(query.studentId, errors);
  if (!query.subjectId.trim()) errors.push({ field: 'subject_id', message: 'укажите предмет' });
  periodField(query.period, errors);
  check(errors);

  const scope = await openPeriod(deps, ctx, query.studentId, query.period);
  const subjectId = query.subjectId.trim();
  const names = await namesFor(deps.model, scope.lessons, [subjectId]);
  return { student: cardOf(scope, scope.today), period: scope.period, ...subjectOf(scope, subjectId, names) };
}

export interface SubjectForecast {
  subjectId: string;
  subjectName: string;
  marksCount: number;
  forecast: ForecastResult;
  periodMark: PeriodMarkView | null;
}

export interface ForecastView {
  student: StudentCardView;
  period: StudyPeriod;
  subjects: SubjectForecast[];
}

/** The forecast of the period mark in every subject of the period (R6.3). */
export async function getForecast(
  deps: DiaryQueryDeps,
  ctx: RequestContext,
  query: { studentId: string; period: number },
): Promise<ForecastView> {
  const scope = await periodQuery(deps, ctx, query);
  const ids = periodSubjectIds(scope);
  const names = await namesFor(deps.model, scope.lessons, ids);
  return {
    student: cardOf(scope, scope.today),
    period: scope.period,
    subjects: orderSubjects(ids, names).map((id) => {
      const s = subjectOf(scope, id, names);
      return {
        subjectId: s.subjectId,
        subjectName: s.subjectName,
        marksCount: s.marksCount,
        forecast: s.forecast,
        periodMark: s.periodMark,
      };
    }),
  };
}

export interface SummaryView {
  student: StudentCardView;
  period: StudyPeriod;
  subjects: SubjectPeriod[];
  attendance: AttendanceCounts;
  finalMarks: PeriodMarkView[];
}

/** Every subject of a study period: averages, period marks, attendance; the year's final marks. */
export async function getSummary(
  deps: DiaryQueryDeps,
  ctx: RequestContext,
  query: { studentId: string; period: number },
): Promise<SummaryView> {
  const scope = await periodQuery(deps, ctx, query);
  const ids = periodSubjectIds(scope);
  const finalIds = scope.student.periodMarks
    .filter((m) => m.academicYearId === scope.academicYearId && m.kind !== 'period')
    .map((m) => m.subjectId);
  const names = await namesFor(deps.model, scope.lessons, [...new Set([...ids, ...finalIds])]);
  return {
    student: cardOf(scope, scope.today),
    period: scope.period,
    subjects: orderSubjects(ids, names).map((id) => subjectOf(scope, id, names)),
    attendance: attendanceCounts(scope.lessons, scope.student._id),
    finalMarks: finalMarks(scope.student.periodMarks, scope.academicYearId, names),
  };
}

async function periodQuery(
  deps: DiaryQueryDeps,
  ctx: RequestContext,
  query: { studentId: string; period: number },
): Promise<PeriodScope> {
  const errors: FieldError[] = [];
  studentField(query.studentId, errors);
  periodField(query.period, errors);
  check(errors);
  return openPeriod(deps, ctx, query.studentId, query.period);
}

// --- Home -------------------------------------------------------------------------------------------

export interface HomeChild {
  student: StudentCardView;
  today: string;
  tomorrow: string;
  homeworkToday: HomeworkView[];
  homeworkTomorrow: HomeworkView[];
  newestMarks: MarkView[];
}

/**
 * A guardian's (or a student's) home: the children the actor is an active guardian of, and the
 * actor themself when a student; for each, homework due today and tomorrow and the newest marks.
 * Nobody to show is an empty list, not an error.
 */
export async function getHome(deps: DiaryQueryDeps, ctx: RequestContext): Promise<HomeChild[]> {
  const personId = ctx.actor.personId?.trim() ?? '';
  if (!personId) return [];
  const [guardian, self] = await Promise.all([
    deps.model.get('guardians', personId),
    deps.model.get('students', personId),
  ]);
  const childIds = (guardian?.children ?? []).filter((c) => c.active).map((c) => c.studentId);
  const others = await deps.model.getMany(
    'students',
    [...new Set(childIds)].filter((id) => id !== personId),
  );
  const students = [...others, ...(self ? [self] : [])];
  const children: HomeChild[] = [];
  for (const student of students) {
    const classes = await classesOf(deps.model, student);
    // Both sides of the guardianship must agree (deny by default); a child not readable is left out.
    if (!readsStudentDiary(ctx.actor, student, classes)) continue;
    children.push(await homeChild(deps, await scopeOf(deps, student, classes)));
  }
  return children;
}

async function homeChild(deps: DiaryQueryDeps, scope: StudentScope): Promise<HomeChild> {
  const { student, today } = scope;
  const tomorrow = addDays(today, 1);
  const from = addDays(today, -NEWEST_MARKS_DAYS);
  const to = addDays(tomorrow, 7);
  const classIds = classIdsBetween(student, from, to);
  const [{ lessons, pool }, showCorrectionReasons] = await Promise.all([
    loadLessons(deps.model, student, classIds, mondaysBetween(from, to)),
    showsReasons(deps, student.schoolId),
  ]);
  const since = new Date(deps.now().getTime() - NEWEST_MARKS_DAYS * 86_400_000).toISOString();
  return {
    student: cardOf(scope, today),
    today,
    tomorrow,
    homeworkToday: homeworkDue(today, lessons, pool, student._id),
    homeworkTomorrow: homeworkDue(tomorrow, lessons, pool, student._id),
    newestMarks: newestMarks(lessons, student._id, since, NEWEST_MARKS_LIMIT, showCorrectionReasons),
  };
}
