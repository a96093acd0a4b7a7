import {
  conflict,
  daysBetween,
  formatDate,
  invalid,
  isDate,
  notFound,
  precondition,
  type FieldError,
} from '@edu/kit';
import type { CopiedClass, CopyReader, Course, CourseLesson } from './copies';
import { courseStints, inRosterOrder, studentsOn, type NamedStudent } from './course-students';
import { entryWindow } from './entry-window';
import { defaultPolicy, markValueProblem, scaleFor, workTypeOf, type GradingPolicy } from './grading-policy';
import { canReadCourse, isClassTeacher, isSchoolHead, keepsLesson } from './journal-policy';
import {
  ABSENCE_REASONS,
  emptyRecord,
  hasContent,
  recordLesson,
  type AbsenceReason,
  type Attendance,
  type Homework,
  type LessonRecord,
  type Mark,
} from './lesson-record';
import { planItemOf } from './thematic-plan';
import type {
  Authorize,
  GradebookFact,
  LessonRecordRepository,
  PolicyRepository,
  RequestContext,
  ThematicPlanRepository,
} from './ports';

// The journal record of a lesson: read it, save a whole lesson at once, correct or void a mark,
// set absence reasons. Load → authorize → validate (every problem at once) → decide → one write.

export interface LessonRecordDeps {
  copies: CopyReader;
  records: LessonRecordRepository;
  policies: PolicyRepository;
  plans: ThematicPlanRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

const MAX_TOPIC = 1_000;
const MAX_HOMEWORK = 4_000;
const MAX_COMMENT = 500;
const MAX_ATTACHMENTS = 10;
const MAX_MARKS_PER_STUDENT = 5;
const MAX_LATE_MINUTES = 90;
const MAX_ABSENCE_DAYS = 62;

/** A lesson as the journal sees it: its course, its class, the record (empty before any content). */
export interface LoadedLesson {
  course: Course;
  lesson: CourseLesson;
  schoolClass: CopiedClass | null;
  record: LessonRecord;
  timeZone: string;
}

/** The school's policy: its own once set, the defaults before. */
export async function effectivePolicy(policies: PolicyRepository, schoolId: string): Promise<GradingPolicy> {
  return (await policies.get(schoolId)) ?? defaultPolicy(schoolId);
}

function lessonNotFound(): Error {
  return notFound('lesson.not_found', 'Урок не найден в расписании');
}

/** Loads a lesson by id; the record's lesson part follows schedule's latest word (teacher, substitute, status). */
export async function loadLesson(
  deps: Pick<LessonRecordDeps, 'copies' | 'records'>,
  lessonId: string,
): Promise<LoadedLesson> {
  const courseId = await deps.copies.lessonCourseId(lessonId);
  if (!courseId) throw lessonNotFound();
  const course = await deps.copies.course(courseId);
  const lesson = course?.lessons.find((l) => l.lessonId === lessonId);
  if (!course || !lesson) throw lessonNotFound();
  const [stored, schoolClass, school] = await Promise.all([
    deps.records.get(lessonId),
    deps.copies.schoolClass(course.classId),
    deps.copies.school(course.schoolId),
  ]);
  const current = recordLesson(course, lesson);
  const record = stored ? { ...stored, ...current } : emptyRecord(current);
  return { course, lesson, schoolClass, record, timeZone: school?.timeZone || 'Europe/Moscow' };
}

/** The students of a lesson on its day (the class's or the subgroup's), in roster order. */
export async function lessonStudents(
  copies: CopyReader,
  lesson: Pick<LessonRecord, 'classId' | 'subgroupId' | 'date'>,
): Promise<NamedStudent[]> {
  const ids = studentsOn(await courseStints(copies, lesson), lesson.date);
  return inRosterOrder(ids, await copies.people(ids));
}

/** Reads a lesson's record: who keeps it, the course's teachers, the class teacher, the school's heads. */
export async function getLessonRecord(
  deps: LessonRecordDeps,
  ctx: RequestContext,
  lessonId: string,
): Promise<{ record: LessonRecord; students: NamedStudent[] }> {
  const loaded = await loadLesson(deps, lessonId);
  deps.authorize(
    ctx.actor,
    keepsLesson(ctx.actor, loaded.record) || canReadCourse(ctx.actor, loaded.course, loaded.schoolClass),
    { action: 'read', object: `lesson-record:${lessonId}` },
  );
  return { record: loaded.record, students: await lessonStudents(deps.copies, loaded.record) };
}

export interface SaveLessonInput {
  lessonId: string;
  expectedVersion: number;
  topic?: { text: string; planItemId: string } | null;
  homework?: { text: string; dueDate: string; attachments: string[] } | null;
  individualHomework?: { studentId: string; text: string; dueDate: string; attachments: string[] }[] | null;
  marks: { studentId: string; value: string; workType: string; comment: string }[];
  attendance?: { studentId: string; kind: string; lateMinutes: number }[] | null;
}

/**
 * Saves a lesson at once (R5.1): topic, homework, new marks, attendance — one write with one set
 * of events. Only the lesson's keeper (its substitute while there is one) writes it; marks and
 * attendance only inside the entry window (from the lesson's start to the policy's deadline —
 * entering before the lesson or after the window is backdating); topic and homework may be
 * prepared before the lesson, until the window closes.
 */
export async function saveLessonRecord(
  deps: LessonRecordDeps,
  ctx: RequestContext,
  input: SaveLessonInput,
): Promise<LessonRecord> {
  const loaded = await loadLesson(deps, input.lessonId);
  const { course, lesson, record } = loaded;
  deps.authorize(ctx.actor, keepsLesson(ctx.actor, record), {
    action: 'write',
    object: `lesson-record:${input.lessonId}`,
  });
  if (lesson.status === 'cancelled')
    throw precondition('lesson.cancelled', 'Урок отменён: записи в журнал по нему не вносятся');
  if (record.version !== input.expectedVersion) throw recordVersionConflict();

  const policy = await effectivePolicy(deps.policies, course.schoolId);
  const now = deps.now();
  const window = entryWindow(policy, lesson, loaded.timeZone);
  const entersMarksOrAttendance = input.marks.length > 0 || input.attendance != null;
  if (now > window.closesAt)
    throw precondition(
      'record.window_closed',
      `Срок внесения записей за урок ${formatDate(lesson.date)} истёк: исправления — через заместителя директора`,
    );
  if (entersMarksOrAttendance && now < window.opensAt)
    throw precondition(
      'record.before_lesson',
      'Отметки и посещаемость вносятся с начала урока: вносить их заранее нельзя',
    );

  const students = new Set(studentsOn(await courseStints(deps.copies, course), lesson.date));
  const grade = loaded.schoolClass?.grade ?? 0;
  const scale = scaleFor(policy, grade, course.subjectKey);
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const plan = input.topic?.planItemId ? await deps.plans.get(course.id) : null;

  if (input.topic) {
    if (!input.topic.text.trim()) add('topic.text', 'Укажите тему урока');
    if (input.topic.text.length > MAX_TOPIC) add('topic.text', `Тема — не длиннее ${MAX_TOPIC} символов`);
    if (input.topic.planItemId && !planItemOf(plan, input.topic.planItemId))
      add('topic.planItemId', 'Такой темы нет в тематическом плане этого класса по предмету');
  }
  const checkHomework = (field: string, h: { text: string; dueDate: string; attachments: string[] }) => {
    if (!h.text.trim()) add(`${field}.text`, 'Укажите задание');
    if (h.text.length > MAX_HOMEWORK) add(`${field}.text`, `Задание — не длиннее ${MAX_HOMEWORK} символов`);
    if (h.dueDate && (!isDate(h.dueDate) || h.dueDate < lesson.date))
      add(`${field}.dueDate`, 'Срок выполнения — дата не раньше дня урока (ГГГГ-ММ-ДД)');
    if (h.attachments.length > MAX_ATTACHMENTS)
      add(`${field}.attachments`, `Не больше ${MAX_ATTACHMENTS} вложений`);
  };
  if (input.homework) checkHomework('homework', input.homework);
  const individualIds = new Set<string>();
  input.individualHomework?.forEach((h, i) => {
    checkHomework(`individualHomework[${i}]`, h);
    if (!students.has(h.studentId))
      add(`individualHomework[${i}].studentId`, 'Ученика нет в списке этого урока');
    if (individualIds.has(h.studentId))
      add(`individualHomework[${i}].studentId`, 'Ученику уже задано индивидуальное задание');
    individualIds.add(h.studentId);
  });

  const perStudent = new Map<string, number>();
  for (const m of record.marks)
    if (m.status === 'active') perStudent.set(m.studentId, (perStudent.get(m.studentId) ?? 0) + 1);
  input.marks.forEach((m, i) => {
    const field = `marks[${i}]`;
    if (!students.has(m.studentId))
      add(`${field}.studentId`, 'Ученика нет в списке класса (группы) на день урока');
    const problem = markValueProblem(policy, scale, m.value);
    if (problem) add(`${field}.value`, `Отметка «${m.value}» не принята: ${problem}`);
    const workType = workTypeOf(policy, m.workType);
    if (!workType?.active) add(`${field}.workType`, `Вид работы «${m.workType}» не входит в перечень школы`);
    if (m.comment.length > MAX_COMMENT)
      add(`${field}.comment`, `Комментарий — не длиннее ${MAX_COMMENT} символов`);
    const count = (perStudent.get(m.studentId) ?? 0) + 1;
    perStudent.set(m.studentId, count);
    if (count > MAX_MARKS_PER_STUDENT)
      add(`${field}.studentId`, `Не больше ${MAX_MARKS_PER_STUDENT} отметок ученику за урок`);
  });

  const attendanceIds = new Set<string>();
  input.attendance?.forEach((a, i) => {
    const field = `attendance[${i}]`;
    if (!students.has(a.studentId))
      add(`${field}.studentId`, 'Ученика нет в списке класса (группы) на день урока');
    if (attendanceIds.has(a.studentId)) add(`${field}.studentId`, 'Ученик указан дважды');
    attendanceIds.add(a.studentId);
    if (a.kind !== 'absent' && a.kind !== 'late')
      add(`${field}.kind`, 'Отметка посещаемости: absent (отсутствовал) или late (опоздал)');
    if (
      a.kind === 'late' &&
      !(Number.isInteger(a.lateMinutes) && a.lateMinutes >= 1 && a.lateMinutes <= MAX_LATE_MINUTES)
    )
      add(`${field}.lateMinutes`, `Опоздание — от 1 до ${MAX_LATE_MINUTES} минут`);
  });
  if (errors.length > 0)
    throw invalid('record.invalid', 'Запись урока не сохранена: исправьте ошибки', errors);
  if (
    !input.topic &&
    !input.homework &&
    !input.individualHomework &&
    input.marks.length === 0 &&
    !input.attendance
  )
    throw invalid('record.empty', 'Нечего сохранять: укажите тему, задание, отметки или посещаемость');

  const at = now.toISOString();
  const by = ctx.actor.personId ?? '';
  const next: LessonRecord = {
    ...record,
    firstEntries: { ...record.firstEntries },
    version: record.version + 1,
    updatedAt: at,
  };
  const facts: GradebookFact[] = [];
  const changes: Array<{ type: string; extra: Record<string, unknown> }> = [];

  if (input.topic) {
    const previous = record.topic?.text ?? '';
    next.topic = { text: input.topic.text.trim(), planItemId: input.topic.planItemId, setBy: by, setAt: at };
    next.firstEntries.topic ||= at;
    changes.push({ type: 'edu.gradebook.lesson.topic_set', extra: { previous_text: previous } });
  }
  const homeworkSet: Homework[] = [];
  if (input.homework) {
    next.homework = {
      ...input.homework,
      text: input.homework.text.trim(),
      studentId: '',
      setBy: by,
      setAt: at,
    };
    homeworkSet.push(next.homework);
  }
  if (input.individualHomework) {
    next.individualHomework = input.individualHomework.map((h) => ({
      ...h,
      text: h.text.trim(),
      setBy: by,
      setAt: at,
    }));
    homeworkSet.push(...next.individualHomework);
  }
  if (homeworkSet.length > 0) {
    const first = record.homework === null && record.individualHomework.length === 0;
    next.firstEntries.homework ||= at;
    changes.push({
      type: first ? 'edu.gradebook.homework.assigned' : 'edu.gradebook.homework.changed',
      extra: { homework: homeworkSet },
    });
  }
  const posted: Mark[] = input.marks.map((m) => {
    const workType = workTypeOf(policy, m.workType)!;
    return {
      id: deps.newId(),
      studentId: m.studentId,
      value: m.value,
      workType: workType.key,
      workTypeName: workType.name,
      weight: workType.weight,
      comment: m.comment.trim(),
      postedBy: by,
      postedAt: at,
      status: 'active',
      history: [
        {
          kind: 'posted',
          value: m.value,
          workType: workType.key,
          weight: workType.weight,
          comment: m.comment.trim(),
          by,
          at,
          reason: '',
          orderRef: '',
        },
      ],
    };
  });
  if (posted.length > 0) {
    next.marks = [...record.marks, ...posted];
    next.firstEntries.marks ||= at;
    changes.push({ type: 'edu.gradebook.mark.posted', extra: { marks: posted } });
  }
  if (input.attendance) {
    const before = new Map(record.attendance.map((a) => [a.studentId, a]));
    const attendance: Attendance[] = input.attendance.map((a) => {
      const kept = before.get(a.studentId);
      const lateMinutes = a.kind === 'late' ? a.lateMinutes : 0;
      // The class teacher's reason stays while the student stays marked the same way.
      if (kept && kept.kind === a.kind && kept.lateMinutes === lateMinutes) return kept;
      return {
        studentId: a.studentId,
        kind: a.kind as Attendance['kind'],
        lateMinutes,
        recordedBy: by,
        recordedAt: at,
        reason: kept?.reason ?? '',
        reasonSetBy: kept?.reasonSetBy ?? '',
        reasonSetAt: kept?.reasonSetAt ?? '',
        reasonNote: kept?.reasonNote ?? '',
      };
    });
    const after = new Set(attendance.map((a) => a.studentId));
    const changed = attendance.filter((a) => before.get(a.studentId) !== a);
    const cleared = record.attendance.filter((a) => !after.has(a.studentId)).map((a) => a.studentId);
    next.attendance = attendance;
    next.attendanceTaken = true;
    next.firstEntries.attendance ||= at;
    if (changed.length > 0 || cleared.length > 0 || !record.attendanceTaken)
      changes.push({
        type: 'edu.gradebook.attendance.recorded',
        extra: { changed, cleared_student_ids: cleared },
      });
  }

  for (const change of changes) facts.push(recordFact(change.type, next, change.extra));
  if (hasContent(next) !== hasContent(record)) facts.push(contentFact(next));
  await deps.records.save(next, record.version, facts, ctx);
  return next;
}

export interface CorrectMarkInput {
  lessonId: string;
  expectedVersion: number;
  markId: string;
  /** Absent for a void. */
  value?: string;
  workType?: string;
  comment?: string;
  reason: string;
  orderRef: string;
}

/**
 * Corrects (or voids) a mark (R5.3): never overwrites — the history keeps every value, who, when
 * and why. The author within the policy's correction window, with a reason; afterwards (or for
 * someone else's mark) only the director or a deputy, with a reason and the order behind it.
 */
export async function correctMark(
  deps: LessonRecordDeps,
  ctx: RequestContext,
  input: CorrectMarkInput,
  kind: 'corrected' | 'voided',
): Promise<LessonRecord> {
  const loaded = await loadLesson(deps, input.lessonId);
  const { course, record } = loaded;
  const mark = record.marks.find((m) => m.id === input.markId);
  const policy = await effectivePolicy(deps.policies, course.schoolId);
  const now = deps.now();
  const isAuthor = !!mark && !!ctx.actor.personId && mark.postedBy === ctx.actor.personId;
  const head = isSchoolHead(ctx.actor, course.schoolId);
  deps.authorize(ctx.actor, isAuthor || head, {
    action: kind === 'voided' ? 'void' : 'correct',
    object: `mark:${input.markId}`,
  });
  if (!mark) throw notFound('mark.not_found', 'Отметка не найдена в этом уроке');
  if (mark.status === 'voided') throw precondition('mark.voided', 'Отметка уже аннулирована');
  if (record.version !== input.expectedVersion) throw recordVersionConflict();
  const windowEnds = new Date(Date.parse(mark.postedAt) + policy.correctionDays * 86_400_000);
  const inWindow = isAuthor && now <= windowEnds;
  if (!inWindow && !head)
    throw precondition(
      'mark.correction_window_closed',
      policy.correctionDays === 0
        ? 'Исправить отметку может только заместитель директора по приказу'
        : `Срок исправления (${policy.correctionDays} дн.) истёк: исправление — через заместителя директора по приказу`,
    );

  const errors: FieldError[] = [];
  if (!input.reason.trim()) errors.push({ field: 'reason', message: 'Укажите причину исправления' });
  if (!inWindow && !input.orderRef.trim())
    errors.push({ field: 'orderRef', message: 'После срока исправления укажите приказ (номер и дату)' });
  let value = mark.value;
  let workType = workTypeOf(policy, mark.workType) ?? {
    key: mark.workType,
    name: mark.workTypeName,
    weight: mark.weight,
    active: false,
  };
  let comment = mark.comment;
  if (kind === 'corrected') {
    value = input.value ?? '';
    const scale = scaleFor(policy, loaded.schoolClass?.grade ?? 0, course.subjectKey);
    const problem = markValueProblem(policy, scale, value);
    if (problem) errors.push({ field: 'value', message: `Отметка «${value}» не принята: ${problem}` });
    if (input.workType && input.workType !== mark.workType) {
      const chosen = workTypeOf(policy, input.workType);
      if (!chosen?.active)
        errors.push({
          field: 'workType',
          message: `Вид работы «${input.workType}» не входит в перечень школы`,
        });
      else workType = chosen;
    }
    // The wire cannot tell an absent comment from an empty one: empty keeps the mark's comment.
    comment = (input.comment || mark.comment).trim();
    if (comment.length > MAX_COMMENT)
      errors.push({ field: 'comment', message: `Комментарий — не длиннее ${MAX_COMMENT} символов` });
    if (
      errors.length === 0 &&
      value === mark.value &&
      workType.key === mark.workType &&
      comment === mark.comment
    )
      errors.push({ field: 'value', message: 'Исправление ничего не меняет' });
  }
  if (errors.length > 0) throw invalid('mark.invalid', 'Исправление не сохранено: исправьте ошибки', errors);

  const at = now.toISOString();
  const by = ctx.actor.personId ?? '';
  const changed: Mark = {
    ...mark,
    value: kind === 'voided' ? mark.value : value,
    workType: workType.key,
    workTypeName: workType.name,
    weight: workType.weight,
    comment,
    status: kind === 'voided' ? 'voided' : 'active',
    history: [
      ...mark.history,
      {
        kind,
        value: kind === 'voided' ? '' : value,
        workType: workType.key,
        weight: workType.weight,
        comment,
        by,
        at,
        reason: input.reason.trim(),
        orderRef: input.orderRef.trim(),
      },
    ],
  };
  const next: LessonRecord = {
    ...record,
    marks: record.marks.map((m) => (m.id === mark.id ? changed : m)),
    version: record.version + 1,
    updatedAt: at,
  };
  const facts = [
    kind === 'voided'
      ? recordFact('edu.gradebook.mark.voided', next, { mark: changed, reason: input.reason.trim() })
      : recordFact('edu.gradebook.mark.corrected', next, {
          mark: changed,
          previous_value: mark.value,
          reason: input.reason.trim(),
        }),
  ];
  if (hasContent(next) !== hasContent(record)) facts.push(contentFact(next));
  await deps.records.save(next, record.version, facts, ctx);
  return next;
}

export interface AbsenceReasonInput {
  studentId: string;
  classId: string;
  from: string;
  to: string;
  reason: string;
  note: string;
}

/**
 * The class teacher sets why a student missed lessons over days (R5.4): every absence and
 * lateness of the student in the class's lessons (its subgroups' too) on those days gets the
 * reason. Each lesson's record is its own write; a repeat sets what is already set and changes
 * nothing.
 */
export async function setAbsenceReason(
  deps: LessonRecordDeps,
  ctx: RequestContext,
  input: AbsenceReasonInput,
): Promise<LessonRecord[]> {
  const schoolClass = await deps.copies.schoolClass(input.classId);
  deps.authorize(ctx.actor, !!schoolClass && isClassTeacher(ctx.actor, schoolClass), {
    action: 'set-absence-reason',
    object: `class:${input.classId}`,
  });
  const errors: FieldError[] = [];
  if (!ABSENCE_REASONS.includes(input.reason as AbsenceReason))
    errors.push({
      field: 'reason',
      message:
        'Причина: illness (болезнь), application (по заявлению), other (иная уважительная) или unexcused (неуважительная)',
    });
  if (!isDate(input.from)) errors.push({ field: 'from', message: 'Дата начала — ГГГГ-ММ-ДД' });
  if (!isDate(input.to)) errors.push({ field: 'to', message: 'Дата окончания — ГГГГ-ММ-ДД' });
  if (
    isDate(input.from) &&
    isDate(input.to) &&
    (input.to < input.from || daysBetween(input.from, input.to) > MAX_ABSENCE_DAYS)
  )
    errors.push({
      field: 'to',
      message: `Период — не больше ${MAX_ABSENCE_DAYS} дней, окончание не раньше начала`,
    });
  if (input.note.length > MAX_COMMENT)
    errors.push({ field: 'note', message: `Примечание — не длиннее ${MAX_COMMENT} символов` });
  if (errors.length > 0)
    throw invalid('absence.invalid', 'Причина пропуска не сохранена: исправьте ошибки', errors);

  const courses = await deps.copies.courses(await deps.copies.classCourseIds(input.classId));
  const lessonIds = courses.flatMap((c) =>
    c.lessons.filter((l) => l.date >= input.from && l.date <= input.to).map((l) => l.lessonId),
  );
  const records = await deps.records.getMany(lessonIds);
  const at = deps.now().toISOString();
  const by = ctx.actor.personId ?? '';
  const changed: LessonRecord[] = [];
  for (const record of records.sort(
    (a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber,
  )) {
    const absence = record.attendance.find((a) => a.studentId === input.studentId);
    if (!absence || (absence.reason === input.reason && absence.reasonNote === input.note.trim())) continue;
    const updated: Attendance = {
      ...absence,
      reason: input.reason as AbsenceReason,
      reasonSetBy: by,
      reasonSetAt: at,
      reasonNote: input.note.trim(),
    };
    const next: LessonRecord = {
      ...record,
      attendance: record.attendance.map((a) => (a === absence ? updated : a)),
      version: record.version + 1,
      updatedAt: at,
    };
    await deps.records.save(
      next,
      record.version,
      [recordFact('edu.gradebook.absence.reason_set', next, { attendance: updated })],
      ctx,
    );
    changed.push(next);
  }
  return changed;
}

/** A fact of a lesson record; the data-access layer puts the record's state into the payload. */
function recordFact(type: string, record: LessonRecord, extra: Record<string, unknown>): GradebookFact {
  return {
    type,
    schoolId: record.schoolId,
    aggregateId: record.lessonId,
    aggregateVersion: record.version,
    payload: { record, ...extra },
  };
}

/** Schedule keeps a lesson with content: told when the first content comes or the last goes. */
function contentFact(record: LessonRecord): GradebookFact {
  return {
    type: 'edu.gradebook.lesson.record_changed',
    schoolId: record.schoolId,
    aggregateId: record.lessonId,
    aggregateVersion: record.version,
    payload: { lesson_id: record.lessonId, school_id: record.schoolId, has_content: hasContent(record) },
  };
}

/** Two saves of one lesson: the second must read the lesson again (also the store's answer to a lost race). */
export function recordVersionConflict(): Error {
  return conflict(
    'record.version_conflict',
    'Урок уже изменён другим пользователем или в другой вкладке: обновите страницу и повторите ввод',
  );
}
