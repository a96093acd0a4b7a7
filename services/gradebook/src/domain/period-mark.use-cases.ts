import {
  conflict,
  daysBetween,
  invalid,
  localDate,
  notFound,
  precondition,
  type DomainError,
  type FieldError,
} from '@edu/kit';
import {
  courseId,
  type CopiedClass,
  type CopiedSchool,
  type CopiedYear,
  type CopyReader,
  type Course,
  type Stint,
} from './copies';
import { courseStints, inRosterOrder, overlaps, studentsOn } from './course-students';
import {
  defaultPolicy,
  markValueProblem,
  requiredMarks,
  scaleFor,
  type GradingPolicy,
} from './grading-policy';
import {
  hasRoleIn,
  isClassTeacher,
  isSchoolHead,
  canReadCourse,
  readsWholeSchool,
  teachesCourse,
} from './journal-policy';
import { averages, type Mark, type MarkRevision } from './lesson-record';
import {
  PERIOD_MARK_KINDS,
  PERIOD_MARK_KIND_NAMES,
  attestationCount,
  basisKinds,
  basisOfMarks,
  isPeriodMarkKind,
  outsideWindowProblem,
  periodName,
  setWindow,
  weeklyHours,
  type MarkBasis,
  type PeriodMarkKind,
} from './period-mark';
import {
  periodMarkId,
  type Authorize,
  type GradebookFact,
  type LessonRecordRepository,
  type PeriodMark,
  type PeriodMarkRepository,
  type PolicyRepository,
  type RequestContext,
} from './ports';
import { periodsOf, within, type StudyPeriod } from './study-periods';

// Period, year, exam and final marks (R5.5) and who lacks marks before them (R5.6):
// load → authorize → validate → decide → save. A refusal stores nothing.

export interface PeriodMarkDeps {
  periodMarks: PeriodMarkRepository;
  /** The lesson records the averages and the accumulation are counted from. */
  records: Pick<LessonRecordRepository, 'getMany'>;
  policies: Pick<PolicyRepository, 'get'>;
  copies: Pick<
    CopyReader,
    | 'school'
    | 'year'
    | 'schoolClass'
    | 'classRoll'
    | 'subgroup'
    | 'people'
    | 'course'
    | 'courses'
    | 'classCourseIds'
  >;
  authorize: Authorize;
  now: () => Date;
}

/** A course as the API names it: a class (or a subgroup of it) and a subject. */
export interface CourseInput {
  classId: string;
  /** '' for the whole class. */
  subgroupId: string;
  subjectId: string;
}

export interface SetPeriodMarkInput {
  studentId: string;
  course: CourseInput;
  kind: string;
  /** The period number for kind "period"; 0 otherwise. */
  period: number;
  value: string;
  /** 0 to set it the first time; the version read to correct it. */
  expectedVersion: number;
  /** Mandatory for a correction. */
  reason: string;
  /** The order behind a correction after the correction window. */
  orderRef: string;
}

export interface ListPeriodMarksInput {
  classId: string;
  /** Filters: '' / 0 for all. A period number keeps only "period" marks of that period. */
  subjectId: string;
  kind: string;
  period: number;
}

export interface ListLackingMarksInput {
  course: CourseInput;
  period: number;
}

/** A student below the minimum of marks. */
export interface LackingStudent {
  studentId: string;
  displayName: string;
  marksCount: number;
  required: number;
}

export interface LackingMarks {
  /** The minimum for the course's weekly hours (0 where the course has no marks). */
  required: number;
  hoursPerWeek: number;
  /** In roster order (by name). */
  students: LackingStudent[];
  periodEndsOn: string;
  /** Days from today to the period's last day (school time zone), 0 once it passed. */
  daysLeft: number;
}

export function periodMarkVersionConflict(): DomainError {
  return conflict(
    'period_mark.version_conflict',
    'Итоговую отметку уже изменили: обновите страницу и повторите',
  );
}

const classNotFound = () => notFound('class.not_found', 'Класс не найден');
const courseNotFound = () =>
  notFound('course.not_found', 'У класса (подгруппы) нет такого предмета в расписании');
const periodMarkInvalid = (errors: FieldError[]) =>
  invalid('period_mark.invalid', 'Итоговая отметка заполнена с ошибками', errors);

/** What every period-mark use case of a course reads first. */
interface CourseContext {
  schoolClass: CopiedClass;
  course: Course;
  school: CopiedSchool | null;
  year: CopiedYear | null;
  policy: GradingPolicy;
  periods: StudyPeriod[];
  /** Who belongs to the course when: the subgroup's members or the class roll. */
  stints: Stint[];
  /** Today in the school's time zone (UTC while the copy does not know it). */
  today: string;
}

function courseErrors(course: CourseInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!course.classId) errors.push({ field: 'course.class_id', message: 'Укажите класс' });
  if (!course.subjectId) errors.push({ field: 'course.subject_id', message: 'Укажите предмет' });
  return errors;
}

/** Loads a course with its class, school, year, policy and members; hides it from outsiders. */
async function loadCourse(
  deps: PeriodMarkDeps,
  ctx: RequestContext,
  ref: CourseInput,
  action: string,
): Promise<CourseContext> {
  const schoolClass = await deps.copies.schoolClass(ref.classId);
  if (!schoolClass) throw classNotFound();
  const id = courseId({ academicYearId: schoolClass.academicYearId, ...ref });
  const course = await deps.copies.course(id);
  if (!course) {
    // An outsider learns nothing about the school's courses.
    deps.authorize(ctx.actor, hasRoleIn(ctx.actor, schoolClass.schoolId), { action, object: id });
    throw courseNotFound();
  }
  const [school, year, stored, stints] = await Promise.all([
    deps.copies.school(schoolClass.schoolId),
    deps.copies.year(schoolClass.academicYearId),
    deps.policies.get(schoolClass.schoolId),
    courseStints(deps.copies, course),
  ]);
  return {
    schoolClass,
    course,
    school,
    year,
    policy: stored ?? defaultPolicy(schoolClass.schoolId),
    periods: year ? periodsOf(year, schoolClass.grade) : [],
    stints,
    today: localDate(deps.now().toISOString(), school?.timeZone ?? ''),
  };
}

/** The course's lessons (not cancelled) in a range of days. */
function lessonIdsWithin(course: Course, days: StudyPeriod): string[] {
  return course.lessons
    .filter((l) => l.status !== 'cancelled' && within(l.date, days))
    .map((l) => l.lessonId);
}

/** A student's active marks in the course's lessons of a period. */
async function marksInPeriod(deps: PeriodMarkDeps, course: Course, period: StudyPeriod): Promise<Mark[]> {
  const records = await deps.records.getMany(lessonIdsWithin(course, period));
  return records.flatMap((r) => r.marks.filter((m) => m.status === 'active'));
}

/**
 * What a mark is set against: the student's lesson marks of the period for a period mark; the
 * marks of `basisKinds` (see `basisOfMarks`) for the others.
 */
async function basisOf(
  deps: PeriodMarkDeps,
  c: CourseContext,
  studentId: string,
  kind: PeriodMarkKind,
  period: StudyPeriod | null,
): Promise<MarkBasis> {
  if (kind === 'period' && period) {
    const marks = (await marksInPeriod(deps, c.course, period)).filter((m) => m.studentId === studentId);
    const { arithmetic, weighted, count } = averages(marks);
    return { arithmeticAverage: arithmetic, weightedAverage: weighted, marksCount: count };
  }
  const ids = basisKinds(kind as Exclude<PeriodMarkKind, 'period'>).flatMap((k) =>
    (k === 'period' ? c.periods.map((p) => p.number) : [0]).map((number) =>
      periodMarkId({
        academicYearId: c.course.academicYearId,
        studentId,
        subjectId: c.course.subjectId,
        kind: k,
        period: number,
      }),
    ),
  );
  const marks = await deps.periodMarks.getMany(ids);
  return basisOfMarks(marks.map((m) => m.value));
}

/** What the mark is of, in messages: "за 2 четверть", "годовую". */
function markTitle(kind: PeriodMarkKind, period: StudyPeriod | null): string {
  return kind === 'period' && period ? `за ${periodName(period)}` : `(${PERIOD_MARK_KIND_NAMES[kind]})`;
}

/**
 * Sets a period, year, exam or final mark, or corrects it (expected version > 0).
 * Setting: the course's teacher or the class teacher, inside the window (`setWindow`).
 * Correcting, with a reason: within the policy's correction days since it was set, its author
 * (still teaching the course) or the class teacher; afterwards only the director or a deputy,
 * with the order behind it. Every value stays in the history.
 */
export async function setPeriodMark(
  deps: PeriodMarkDeps,
  ctx: RequestContext,
  input: SetPeriodMarkInput,
): Promise<PeriodMark> {
  const inputErrors = courseErrors(input.course);
  if (!input.studentId) inputErrors.push({ field: 'student_id', message: 'Укажите обучающегося' });
  if (!isPeriodMarkKind(input.kind)) {
    inputErrors.push({ field: 'kind', message: `Вид отметки: ${PERIOD_MARK_KINDS.join(', ')}` });
  }
  if (inputErrors.length > 0) throw periodMarkInvalid(inputErrors);
  const kind = input.kind as PeriodMarkKind;
  const correcting = input.expectedVersion > 0;
  const action = correcting ? 'period_mark.correct' : 'period_mark.set';

  const c = await loadCourse(deps, ctx, input.course, action);
  const { actor } = ctx;
  const id = periodMarkId({
    academicYearId: c.course.academicYearId,
    studentId: input.studentId,
    subjectId: c.course.subjectId,
    kind,
    period: kind === 'period' ? input.period : 0,
  });
  // The subject's teacher for their class or subgroup, or the class teacher for any subject.
  const setter = teachesCourse(actor, c.course) || isClassTeacher(actor, c.schoolClass);
  const head = isSchoolHead(actor, c.schoolClass.schoolId);
  // The heads set a mark only late (after its window, by order) or correct one: see below.
  deps.authorize(actor, setter || head, { action, object: id });

  const scale = scaleFor(c.policy, c.schoolClass.grade, c.course.subjectKey);
  if (scale === 'none') {
    throw precondition(
      'period_mark.no_marks_scale',
      `В ${c.schoolClass.name} по предмету «${c.course.subjectName}» обучение безотметочное: итоговые отметки не ставятся`,
    );
  }
  if (c.periods.length === 0) {
    throw precondition('period_mark.no_periods', 'Учебные периоды этого класса ещё не заданы в учебном году');
  }

  const errors: FieldError[] = [];
  const period = kind === 'period' ? (c.periods.find((p) => p.number === input.period) ?? null) : null;
  if (kind === 'period' && !period) {
    errors.push({
      field: 'period',
      message: `Укажите номер учебного периода: ${c.periods.map((p) => p.number).join(', ')}`,
    });
  }
  if (kind !== 'period' && input.period !== 0) {
    errors.push({ field: 'period', message: 'Номер периода указывается только для отметки за период' });
  }
  const valueProblem = markValueProblem(c.policy, scale, input.value);
  if (valueProblem) errors.push({ field: 'value', message: valueProblem });
  if (correcting && !input.reason.trim()) {
    errors.push({ field: 'reason', message: 'Укажите причину исправления' });
  }
  if (errors.length > 0) throw periodMarkInvalid(errors);

  const stored = await deps.periodMarks.get(id);
  if (!correcting && stored) {
    throw conflict(
      'period_mark.already_set',
      'Отметка уже выставлена: обновите страницу, исправление — с указанием причины',
    );
  }
  if (correcting && !stored) throw notFound('period_mark.not_found', 'Исправляемая отметка не найдена');
  if (stored && stored.version !== input.expectedVersion) throw periodMarkVersionConflict();

  // A year, exam or final mark: in the course at some day of the study periods.
  const membership = period ?? {
    startsOn: c.periods[0]?.startsOn ?? '',
    endsOn: c.periods.at(-1)?.endsOn ?? '',
  };
  if (!c.stints.some((s) => s.studentId === input.studentId && overlaps(s, membership))) {
    const where = c.course.subgroupId
      ? `в группе «${c.course.subgroupName}»`
      : `в классе ${c.schoolClass.name}`;
    throw precondition(
      'period_mark.student_not_in_course',
      period
        ? `Обучающийся не числился ${where} в период «${periodName(period)}»`
        : `Обучающийся не числился ${where} в этом учебном году`,
    );
  }

  const what = markTitle(kind, period);
  if (!stored) {
    const window = setWindow(c.policy, kind, period, c.periods);
    const problem = outsideWindowProblem(window, c.today, what);
    const late = !!window.closesOn && c.today > window.closesOn;
    // A mark forgotten in its window is set late only by the director or a deputy, by order.
    if (late && head) {
      const missing: FieldError[] = [];
      if (!input.reason.trim())
        missing.push({ field: 'reason', message: 'Укажите, почему отметка выставляется после срока' });
      if (!input.orderRef.trim())
        missing.push({ field: 'order_ref', message: 'Укажите приказ, например «№ 45 от 12.11.2026»' });
      if (missing.length > 0) throw periodMarkInvalid(missing);
    } else if (problem) {
      throw precondition(
        'period_mark.outside_window',
        late
          ? `${problem}: выставить её теперь может директор или заместитель директора по приказу`
          : problem,
      );
    } else if (!setter) {
      throw precondition(
        'period_mark.set_by_teacher',
        'В срок выставления отметку ставит учитель предмета или классный руководитель',
      );
    }
  } else {
    const days = c.policy.correctionDays;
    const withinCorrection =
      days > 0 && daysBetween(localDate(stored.setAt, c.school?.timeZone ?? ''), c.today) <= days;
    if (withinCorrection) {
      const authorOrClassTeacher =
        (setter && actor.personId === stored.setBy) || isClassTeacher(actor, c.schoolClass);
      if (!authorOrClassTeacher) {
        throw precondition(
          'period_mark.correction_by_author',
          `В течение ${days} дн. после выставления отметку исправляет её автор или классный руководитель`,
        );
      }
    } else {
      if (!head) {
        throw precondition(
          'period_mark.correction_window_closed',
          `Срок исправления (${days} дн.) истёк: исправить отметку может директор или заместитель директора по приказу`,
        );
      }
      if (!input.orderRef.trim()) {
        throw periodMarkInvalid([
          {
            field: 'order_ref',
            message: 'Укажите приказ, по которому исправляется отметка, например «№ 45 от 12.11.2026»',
          },
        ]);
      }
    }
    if (stored.value === input.value) {
      throw periodMarkInvalid([{ field: 'value', message: 'Новая отметка совпадает с выставленной' }]);
    }
  }

  const basis = await basisOf(deps, c, input.studentId, kind, period);
  const at = deps.now().toISOString();
  const by = actor.personId ?? actor.accountId;
  const revision: MarkRevision = {
    kind: stored ? 'corrected' : 'posted',
    value: input.value,
    workType: '',
    weight: 0,
    comment: '',
    by,
    at,
    reason: input.reason.trim(),
    orderRef: input.orderRef.trim(),
  };
  const mark: PeriodMark = {
    id,
    schoolId: c.course.schoolId,
    academicYearId: c.course.academicYearId,
    studentId: input.studentId,
    // Where it was first set: a student who moved keeps the mark of the class left.
    classId: stored?.classId ?? c.course.classId,
    subjectId: c.course.subjectId,
    subjectKey: c.course.subjectKey,
    kind,
    period: period?.number ?? 0,
    value: input.value,
    // Who set it and when stay the first setting's: the correction window counts from it.
    setBy: stored?.setBy ?? by,
    setAt: stored?.setAt ?? at,
    // A correction is set against the averages as they are when it is made.
    ...basis,
    history: [...(stored?.history ?? []), revision],
    version: (stored?.version ?? 0) + 1,
  };
  const fact: GradebookFact = stored
    ? {
        type: 'edu.gradebook.period_mark.corrected',
        schoolId: mark.schoolId,
        aggregateId: mark.id,
        aggregateVersion: mark.version,
        payload: { previous_value: stored.value, reason: revision.reason },
      }
    : {
        type: 'edu.gradebook.period_mark.posted',
        schoolId: mark.schoolId,
        aggregateId: mark.id,
        aggregateVersion: mark.version,
        payload: {},
      };
  await deps.periodMarks.save(mark, stored?.version ?? 0, [fact], ctx);
  return mark;
}

const KIND_ORDER: Record<PeriodMarkKind, number> = { period: 0, year: 1, exam: 2, final: 3 };

/**
 * A class's period marks, read by computed ids (the roll's students × the class's subjects ×
 * kinds), in roster order, then subject, kind and period. The heads, the school admin and the
 * class teacher read every subject; a teacher of the class reads the subjects they teach.
 * A student who moved keeps the marks of the year whichever class they were set in.
 */
export async function listPeriodMarks(
  deps: PeriodMarkDeps,
  ctx: RequestContext,
  input: ListPeriodMarksInput,
): Promise<PeriodMark[]> {
  const errors: FieldError[] = [];
  if (!input.classId) errors.push({ field: 'class_id', message: 'Укажите класс' });
  if (input.kind && !isPeriodMarkKind(input.kind)) {
    errors.push({ field: 'kind', message: `Вид отметки: ${PERIOD_MARK_KINDS.join(', ')}` });
  }
  if (errors.length > 0) throw periodMarkInvalid(errors);

  const schoolClass = await deps.copies.schoolClass(input.classId);
  if (!schoolClass) throw classNotFound();
  const courses = await deps.copies.courses(await deps.copies.classCourseIds(schoolClass.id));
  const whole = readsWholeSchool(ctx.actor, schoolClass.schoolId) || isClassTeacher(ctx.actor, schoolClass);
  const visible = (whole ? courses : courses.filter((c) => teachesCourse(ctx.actor, c))).filter(
    (c) => !input.subjectId || c.subjectId === input.subjectId,
  );
  deps.authorize(ctx.actor, whole || visible.length > 0, {
    action: 'period_mark.list',
    object: schoolClass.id,
  });

  const subjects = new Map(visible.map((c) => [c.subjectId, c.subjectName]));
  const [roll, year] = await Promise.all([
    deps.copies.classRoll(schoolClass.id),
    deps.copies.year(schoolClass.academicYearId),
  ]);
  const studentIds = [...new Set((roll?.stints ?? []).map((s) => s.studentId))];
  const numbers = (year ? periodsOf(year, schoolClass.grade) : []).map((p) => p.number);
  const slots: { kind: PeriodMarkKind; period: number }[] = PERIOD_MARK_KINDS.filter(
    (k) => (!input.kind || k === input.kind) && (!input.period || k === 'period'),
  ).flatMap((kind): { kind: PeriodMarkKind; period: number }[] =>
    kind === 'period'
      ? numbers.filter((n) => !input.period || n === input.period).map((period) => ({ kind, period }))
      : [{ kind, period: 0 }],
  );
  const ids = studentIds.flatMap((studentId) =>
    [...subjects.keys()].flatMap((subjectId) =>
      slots.map((slot) =>
        periodMarkId({ academicYearId: schoolClass.academicYearId, studentId, subjectId, ...slot }),
      ),
    ),
  );
  if (ids.length === 0) return [];
  const [marks, people] = await Promise.all([deps.periodMarks.getMany(ids), deps.copies.people(studentIds)]);
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  return marks.sort(
    (a, b) =>
      (names.get(a.studentId) ?? '').localeCompare(names.get(b.studentId) ?? '', 'ru') ||
      a.studentId.localeCompare(b.studentId) ||
      (subjects.get(a.subjectId) ?? '').localeCompare(subjects.get(b.subjectId) ?? '', 'ru') ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.period - b.period,
  );
}

/**
 * Who lacks marks in a course's period (R5.6): the minimum is the policy's accumulation rule for
 * the course's weekly hours (the curriculum's, else the period's lessons per week); the students
 * are those in the course on the day attestation looks at (today, kept inside the period), with
 * fewer counted marks (`attestationCount`: "н/а" does not count, "осв" attests). Readers as for
 * the course's journal page.
 */
export async function listLackingMarks(
  deps: PeriodMarkDeps,
  ctx: RequestContext,
  input: ListLackingMarksInput,
): Promise<LackingMarks> {
  const inputErrors = courseErrors(input.course);
  if (inputErrors.length > 0) throw periodMarkInvalid(inputErrors);
  const c = await loadCourse(deps, ctx, input.course, 'period_mark.lacking');
  deps.authorize(ctx.actor, canReadCourse(ctx.actor, c.course, c.schoolClass), {
    action: 'period_mark.lacking',
    object: c.course.id,
  });
  const period = c.periods.find((p) => p.number === input.period);
  if (!period) {
    throw periodMarkInvalid([
      {
        field: 'period',
        message:
          c.periods.length > 0
            ? `Укажите номер учебного периода: ${c.periods.map((p) => p.number).join(', ')}`
            : 'Учебные периоды этого класса ещё не заданы в учебном году',
      },
    ]);
  }

  const daysLeft = Math.max(0, daysBetween(c.today, period.endsOn));
  const hoursPerWeek = weeklyHoursOf(c.course, period);
  const noMarks = scaleFor(c.policy, c.schoolClass.grade, c.course.subjectKey) === 'none';
  const required = noMarks ? 0 : requiredMarks(c.policy, hoursPerWeek);
  const result = { required, hoursPerWeek, periodEndsOn: period.endsOn, daysLeft };
  if (required === 0) return { ...result, students: [] };

  const day = c.today < period.startsOn ? period.startsOn : c.today > period.endsOn ? period.endsOn : c.today;
  const studentIds = studentsOn(c.stints, day);
  const [marks, people] = await Promise.all([
    marksInPeriod(deps, c.course, period),
    deps.copies.people(studentIds),
  ]);
  const students = inRosterOrder(studentIds, people)
    .map((s) => ({ ...s, ...attestationCount(marks, s.studentId) }))
    .filter((s) => !s.exempt && s.count < required)
    .map((s) => ({ studentId: s.studentId, displayName: s.displayName, marksCount: s.count, required }));
  return { ...result, students };
}

function weeklyHoursOf(course: Course, period: StudyPeriod): number {
  return weeklyHours(course.curriculum?.hoursPerWeek, lessonIdsWithin(course, period).length, period);
}
