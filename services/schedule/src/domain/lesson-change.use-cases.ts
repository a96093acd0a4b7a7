import { conflict, invalid, notFound, precondition, type FieldError } from '@edu/kit';
import { bellScheduleId } from './bell-schedule';
import { lessonId, listRangeErrors, schoolDaysOf, type Lesson, type LessonChange } from './lesson';
import {
  changeReasonErrors,
  normaliseText,
  roomErrors,
  slotConflicts,
  type LessonSlot,
} from './lesson-change';
import type {
  AssignmentRepository,
  Authorize,
  BellScheduleRepository,
  LessonRepository,
  RequestContext,
  RosterCopyReader,
  SubjectRepository,
} from './ports';
import type { CopiedClass, CopiedYear } from './roster-copy';
import { authorizeInSchool, canApproveSubstitution, canManageSchedule, hasRoleIn } from './schedule-policy';
import { formatDate, isDate, teachesInSchool, todayIn } from './teaching-assignment';
import { periodOf } from './timetable.use-cases';
import { studyWeeks } from './curriculum';

// Changes of single dated lessons (R4.1 corrections, R4.3, R1.5): moved, cancelled, added beyond
// the timetable, kept after a regeneration flagged them; and substitutions approved by the
// director or a deputy. Each is one lesson under the school's lessons lock, checked by version,
// written through the same bulk path as generations (one chunk, its fact inside).

export interface LessonChangeDeps {
  lessons: LessonRepository;
  subjects: Pick<SubjectRepository, 'get'>;
  assignments: Pick<AssignmentRepository, 'listByClass'>;
  bellSchedules: Pick<BellScheduleRepository, 'get'>;
  roster: Pick<
    RosterCopyReader,
    'school' | 'year' | 'schoolClass' | 'subgroup' | 'subgroups' | 'positionsOf'
  >;
  authorize: Authorize;
  now: () => Date;
}

const lessonNotFound = () => notFound('lesson.not_found', 'Урок не найден');
const classNotFound = () => notFound('class.not_found', 'Класс не найден');

function versionConflict(): never {
  throw conflict('lesson.version_conflict', 'Урок уже изменили; обновите страницу и повторите');
}

/** The school's day now (its time zone; Moscow until roster's card is known). */
async function todayOf(deps: Pick<LessonChangeDeps, 'roster' | 'now'>, schoolId: string): Promise<string> {
  const school = await deps.roster.school(schoolId);
  return todayIn(school?.timeZone ?? 'Europe/Moscow', deps.now());
}

/** Reads a lesson of a school the actor may change, at the version the actor saw. */
async function lessonToChange(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: { lessonId: string; expectedVersion: number },
  may: (schoolId: string) => boolean,
  action: string,
): Promise<Lesson> {
  const lesson = input.lessonId.trim() ? await deps.lessons.get(input.lessonId.trim()) : null;
  if (!lesson) throw lessonNotFound();
  authorizeInSchool(
    deps,
    ctx,
    lesson.schoolId,
    may(lesson.schoolId),
    { action, object: `lesson:${lesson.id}` },
    lessonNotFound,
  );
  if (lesson.version !== input.expectedVersion) versionConflict();
  return lesson;
}

/** The lessons of a day in the school, scheduled ones (what a slot is checked against). */
function lessonsOfDay(
  deps: Pick<LessonChangeDeps, 'lessons'>,
  schoolId: string,
  date: string,
): Promise<Lesson[]> {
  return deps.lessons.list({ schoolId, from: date, to: date, status: 'scheduled' }, 10_000);
}

/** Refuses a slot that meets another lesson: the first conflict names its code, all are listed. */
async function refuseConflicts(
  deps: Pick<LessonChangeDeps, 'lessons' | 'roster'>,
  schoolId: string,
  slot: LessonSlot,
  only?: 'lesson.teacher_busy',
): Promise<void> {
  const sameDay = await lessonsOfDay(deps, schoolId, slot.date);
  const subgroupIds = [...new Set([slot.subgroupId, ...sameDay.map((l) => l.subgroupId)].filter(Boolean))];
  const members = new Map((await deps.roster.subgroups(subgroupIds)).map((s) => [s.id, s.memberIds]));
  const found = slotConflicts(slot, sameDay, (id) => members.get(id)).filter((c) => !only || c.code === only);
  const [first] = found;
  if (first) {
    const more = found.length - 1;
    throw precondition(
      first.code,
      more > 0 ? `${first.message} (и ещё замечаний: ${more})` : first.message,
      found.map((c) => ({
        field: c.code === 'lesson.room_busy' ? 'room' : 'lessonNumber',
        message: c.message,
      })),
    );
  }
}

/** Where a lesson lands: the class's period of the date and its school day, the bells' times. */
async function placeOf(
  deps: Pick<LessonChangeDeps, 'roster' | 'bellSchedules' | 'lessons'>,
  schoolClass: CopiedClass,
  year: CopiedYear,
  at: { date: string; lessonNumber: number },
): Promise<{ period: number; startsAt: string; endsAt: string } | FieldError[]> {
  const errors: FieldError[] = [];
  if (at.date < year.startsOn || at.date > year.endsOn) {
    errors.push({ field: 'date', message: `День вне учебного года ${year.name}` });
    return errors;
  }
  if (schoolDaysOf(year.calendar, schoolClass.grade, { startsOn: at.date, endsOn: at.date }).length === 0) {
    errors.push({
      field: 'date',
      message: `${formatDate(at.date)} у ${schoolClass.grade}-х классов нет занятий (воскресенье, каникулы, праздник или карантин)`,
    });
    return errors;
  }
  const period = studyWeeks(year, schoolClass.grade).periods.find(
    (p) => p.startsOn && p.startsOn <= at.date && at.date <= p.endsOn,
  );
  if (!period || !periodOf(year, schoolClass.grade, period.number)) {
    errors.push({
      field: 'date',
      message: `${formatDate(at.date)} не входит ни в один учебный период класса`,
    });
    return errors;
  }
  // The class's shift is the one its published week of the period uses (the first shift else).
  const templates = await deps.lessons.templatesOfYear(schoolClass.schoolId, schoolClass.academicYearId);
  const week = templates
    .find((t) => t.period === period.number)
    ?.classes.find((c) => c.classId === schoolClass.id);
  const shift = week?.shift ?? 1;
  const bells = await deps.bellSchedules.get(bellScheduleId(schoolClass.schoolId, shift));
  const bell = bells?.lessons.find((l) => l.number === at.lessonNumber);
  if (!bell) {
    errors.push({
      field: 'lessonNumber',
      message: `В звонках ${shift}-й смены нет ${at.lessonNumber}-го урока`,
    });
    return errors;
  }
  return { period: period.number, startsAt: bell.startsAt, endsAt: bell.endsAt };
}

/** The new state of a changed lesson: one version more. */
function next(lesson: Lesson, changes: Partial<Lesson>, now: Date): Lesson {
  return { ...lesson, ...changes, version: lesson.version + 1, updatedAt: now.toISOString() };
}

async function write(
  deps: Pick<LessonChangeDeps, 'lessons'>,
  ctx: RequestContext,
  change: LessonChange,
): Promise<Lesson> {
  await deps.lessons.write([change], ctx);
  return change.lesson;
}

/**
 * Moves a lesson to another day and/or lesson number (and optionally room) of its class's year:
 * the new slot must be a school day of the class's grade, in a study period, on the bells, today
 * or later, and free for its teacher (or substitute), its room and its class. Keeps its id (the
 * journal stays attached); regenerations leave a moved lesson alone.
 */
export async function moveLesson(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: {
    lessonId: string;
    expectedVersion: number;
    date: string;
    lessonNumber: number;
    room: string;
    reason: string;
  },
): Promise<Lesson> {
  const room = normaliseText(input.room);
  const reason = normaliseText(input.reason);
  const errors: FieldError[] = [
    ...(isDate(input.date) ? [] : [{ field: 'date', message: 'День — дата ГГГГ-ММ-ДД' }]),
    ...(Number.isInteger(input.lessonNumber) && input.lessonNumber >= 1
      ? []
      : [{ field: 'lessonNumber', message: 'Номер урока — целое число от 1' }]),
    ...roomErrors(room),
    ...changeReasonErrors(reason),
  ];
  if (errors.length > 0) throw invalid('lesson.move_invalid', 'Перенос урока указан с ошибками', errors);
  return changeLesson(
    deps,
    ctx,
    input,
    (s) => canManageSchedule(ctx.actor, s),
    'lesson.move',
    async (lesson) => {
      if (lesson.status !== 'scheduled') {
        throw conflict('lesson.cancelled', 'Урок отменён: его нельзя перенести');
      }
      const today = await todayOf(deps, lesson.schoolId);
      if (lesson.date < today || input.date < today) {
        throw conflict('lesson.in_past', 'Прошедший урок не переносят, и на прошедший день тоже');
      }
      const [schoolClass, year] = await Promise.all([
        deps.roster.schoolClass(lesson.classId),
        deps.roster.year(lesson.academicYearId),
      ]);
      if (!schoolClass || !year) throw classNotFound();
      if (year.status !== 'open') throw conflict('academic_year.closed', 'Учебный год закрыт');
      const place = await placeOf(deps, schoolClass, year, input);
      if (Array.isArray(place))
        throw invalid('lesson.move_invalid', 'Перенос урока указан с ошибками', place);
      const moved = {
        date: input.date,
        lessonNumber: input.lessonNumber,
        room: room || lesson.room,
        ...place,
      };
      if (
        moved.date === lesson.date &&
        moved.lessonNumber === lesson.lessonNumber &&
        moved.room === lesson.room
      ) {
        throw invalid('lesson.move_invalid', 'Перенос урока указан с ошибками', [
          { field: 'date', message: 'Урок уже в этот день, на этом уроке и в этом кабинете' },
        ]);
      }
      await refuseConflicts(deps, lesson.schoolId, {
        id: lesson.id,
        classId: lesson.classId,
        subgroupId: lesson.subgroupId,
        teacherId: lesson.substituteTeacherId || lesson.teacherId,
        ...moved,
      });
      const changed: ('date' | 'time' | 'room')[] = [];
      if (moved.date !== lesson.date || moved.lessonNumber !== lesson.lessonNumber) changed.push('date');
      if (moved.startsAt !== lesson.startsAt || moved.endsAt !== lesson.endsAt) changed.push('time');
      if (moved.room !== lesson.room) changed.push('room');
      return {
        lesson: next(
          lesson,
          {
            ...moved,
            movedFromDate: lesson.movedFromDate || lesson.date,
            movedFromLessonNumber: lesson.movedFromLessonNumber || lesson.lessonNumber,
            changeReason: reason,
          },
          deps.now(),
        ),
        previousVersion: lesson.version,
        event: { type: 'edu.schedule.lesson.rescheduled', changed },
      };
    },
  );
}

/**
 * Cancels a lesson with a reason. A lesson with journal content is cancelled only when the
 * manager says so (`evenWithJournalContent`): the records stay in the journal, but the lesson no
 * longer counts as held. Regenerations leave a lesson cancelled by hand alone.
 */
export async function cancelLesson(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: { lessonId: string; expectedVersion: number; reason: string; evenWithJournalContent: boolean },
): Promise<Lesson> {
  const reason = normaliseText(input.reason);
  const errors = changeReasonErrors(reason);
  if (errors.length > 0) throw invalid('lesson.cancel_invalid', 'Отмена урока указана с ошибками', errors);
  return changeLesson(
    deps,
    ctx,
    input,
    (s) => canManageSchedule(ctx.actor, s),
    'lesson.cancel',
    async (lesson) => {
      if (lesson.status === 'cancelled') throw conflict('lesson.cancelled', 'Урок уже отменён');
      if (lesson.hasJournalContent && !input.evenWithJournalContent) {
        throw conflict(
          'lesson.has_journal_content',
          'У урока есть записи в журнале. Отмените его, только если он действительно не проводился (записи сохранятся)',
        );
      }
      return {
        lesson: next(
          lesson,
          { status: 'cancelled', cancellationReason: reason, needsDecision: false },
          deps.now(),
        ),
        previousVersion: lesson.version,
        event: { type: 'edu.schedule.lesson.cancelled', changed: [] },
      };
    },
  );
}

/**
 * Keeps a lesson a regeneration flagged (no longer in the timetable or the calendar, but with
 * journal content): it stays as a lesson beyond the timetable (origin "extra"), which later
 * regenerations leave alone. To drop it instead, cancel it.
 */
export async function keepLesson(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: { lessonId: string; expectedVersion: number },
): Promise<Lesson> {
  return changeLesson(
    deps,
    ctx,
    input,
    (s) => canManageSchedule(ctx.actor, s),
    'lesson.keep',
    async (lesson) => {
      if (!lesson.needsDecision) {
        throw conflict('lesson.no_decision_needed', 'Решение по этому уроку не требуется');
      }
      // No fact: the lesson stays as everyone already has it; only who manages it changes.
      return {
        lesson: next(lesson, { needsDecision: false, origin: 'extra' }, deps.now()),
        previousVersion: lesson.version,
      };
    },
  );
}

/**
 * Adds a lesson beyond the timetable (a make-up lesson, an extra consultation): a class or one of
 * its subgroups, a subject the teacher is assigned to teach it on that day, a free slot today or
 * later. Its id follows the class, subgroup, day and lesson number like every lesson's.
 */
export async function addExtraLesson(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: {
    classId: string;
    subgroupId: string;
    subjectId: string;
    teacherId: string;
    date: string;
    lessonNumber: number;
    room: string;
    reason: string;
  },
): Promise<Lesson> {
  const room = normaliseText(input.room);
  const reason = normaliseText(input.reason);
  const schoolClass = input.classId.trim() ? await deps.roster.schoolClass(input.classId.trim()) : null;
  if (!schoolClass) throw classNotFound();
  authorizeInSchool(
    deps,
    ctx,
    schoolClass.schoolId,
    canManageSchedule(ctx.actor, schoolClass.schoolId),
    { action: 'lesson.add', object: `class:${schoolClass.id}` },
    classNotFound,
  );
  const errors: FieldError[] = [
    ...(input.subjectId.trim() ? [] : [{ field: 'subjectId', message: 'Укажите предмет' }]),
    ...(input.teacherId.trim() ? [] : [{ field: 'teacherId', message: 'Укажите учителя' }]),
    ...(isDate(input.date) ? [] : [{ field: 'date', message: 'День — дата ГГГГ-ММ-ДД' }]),
    ...(Number.isInteger(input.lessonNumber) && input.lessonNumber >= 1
      ? []
      : [{ field: 'lessonNumber', message: 'Номер урока — целое число от 1' }]),
    ...roomErrors(room),
    ...changeReasonErrors(reason),
  ];
  if (errors.length > 0) throw invalid('lesson.add_invalid', 'Дополнительный урок указан с ошибками', errors);
  const year = await deps.roster.year(schoolClass.academicYearId);
  if (!year) throw classNotFound();
  if (year.status !== 'open' || schoolClass.status !== 'open') {
    throw conflict('class.closed', 'Класс или учебный год закрыт');
  }
  const [subject, subgroup] = await Promise.all([
    deps.subjects.get(input.subjectId.trim()),
    input.subgroupId.trim() ? deps.roster.subgroup(input.subgroupId.trim()) : Promise.resolve(null),
  ]);
  const found: FieldError[] = [];
  if (!subject || (subject.schoolId && subject.schoolId !== schoolClass.schoolId)) {
    found.push({ field: 'subjectId', message: 'Предмет не найден' });
  }
  if (
    input.subgroupId.trim() &&
    (!subgroup || subgroup.classId !== schoolClass.id || subgroup.status !== 'open')
  ) {
    found.push({ field: 'subgroupId', message: 'Подгруппа этого класса не найдена' });
  }
  if (found.length > 0) throw invalid('lesson.add_invalid', 'Дополнительный урок указан с ошибками', found);
  const place = await placeOf(deps, schoolClass, year, input);
  if (Array.isArray(place))
    throw invalid('lesson.add_invalid', 'Дополнительный урок указан с ошибками', place);
  if (input.date < (await todayOf(deps, schoolClass.schoolId))) {
    throw conflict('lesson.in_past', 'Дополнительный урок добавляют на сегодня или позже');
  }
  const teacherId = input.teacherId.trim();
  const subgroupId = subgroup?.id ?? '';
  const assigned = (await deps.assignments.listByClass(schoolClass.id)).some(
    (a) =>
      a.status === 'active' &&
      a.teacherId === teacherId &&
      a.subjectId === subject!.id &&
      a.subgroupId === subgroupId &&
      a.startsOn <= input.date &&
      input.date <= a.endsOn,
  );
  if (!assigned) {
    throw conflict(
      'lesson.no_assignment',
      `Учитель не назначен вести «${subject!.name}» ${subgroup ? `в подгруппе «${subgroup.name}»` : `в ${schoolClass.name}`} на ${formatDate(input.date)}`,
    );
  }
  const id = lessonId(schoolClass.id, subgroupId, input.date, input.lessonNumber);
  return deps.lessons.exclusive(schoolClass.schoolId, async () => {
    if (await deps.lessons.get(id)) {
      throw conflict('lesson.class_busy', 'У класса уже есть урок с этим номером в этот день');
    }
    await refuseConflicts(deps, schoolClass.schoolId, {
      id,
      classId: schoolClass.id,
      subgroupId,
      teacherId,
      room,
      date: input.date,
      startsAt: place.startsAt,
      endsAt: place.endsAt,
    });
    const now = deps.now().toISOString();
    return write(deps, ctx, {
      lesson: {
        id,
        schoolId: schoolClass.schoolId,
        academicYearId: schoolClass.academicYearId,
        period: place.period,
        classId: schoolClass.id,
        className: schoolClass.name,
        subgroupId,
        subgroupName: subgroup?.name ?? '',
        subjectId: subject!.id,
        subjectKey: subject!.key,
        subjectName: subject!.name,
        subjectShortName: subject!.shortName,
        teacherId,
        date: input.date,
        lessonNumber: input.lessonNumber,
        startsAt: place.startsAt,
        endsAt: place.endsAt,
        room,
        status: 'scheduled',
        origin: 'extra',
        cancellationReason: '',
        substituteTeacherId: '',
        substitutionReason: '',
        substitutionApprovedBy: '',
        movedFromDate: '',
        movedFromLessonNumber: 0,
        changeReason: reason,
        hasJournalContent: false,
        journalVersion: 0,
        needsDecision: false,
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      previousVersion: 0,
      event: { type: 'edu.schedule.lesson.scheduled', changed: [] },
    });
  });
}

/**
 * Approves a substitute for one dated lesson (R4.3, R1.5): the director or a deputy, with a
 * reason; the substitute teaches in the school, is not the lesson's own teacher and is free at
 * that time; the lesson is scheduled and not over a day ago. Replacing a substitute is assigning
 * another. The substitute may then keep the journal of this lesson only (gradebook, from the fact).
 */
export async function assignSubstitute(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: { lessonId: string; expectedVersion: number; substituteTeacherId: string; reason: string },
): Promise<Lesson> {
  const substituteId = input.substituteTeacherId.trim();
  const reason = normaliseText(input.reason);
  const errors: FieldError[] = [
    ...(substituteId ? [] : [{ field: 'substituteTeacherId', message: 'Укажите заменяющего учителя' }]),
    ...changeReasonErrors(reason),
  ];
  if (errors.length > 0) throw invalid('substitution.invalid', 'Замена указана с ошибками', errors);
  return changeLesson(
    deps,
    ctx,
    input,
    (s) => canApproveSubstitution(ctx.actor, s),
    'substitution.assign',
    async (lesson) => {
      if (lesson.status !== 'scheduled') throw conflict('lesson.cancelled', 'Урок отменён: замена не нужна');
      if (lesson.date < (await todayOf(deps, lesson.schoolId))) {
        throw conflict('lesson.in_past', 'Замену назначают на сегодня или позже');
      }
      if (substituteId === lesson.teacherId) {
        throw invalid('substitution.invalid', 'Замена указана с ошибками', [
          { field: 'substituteTeacherId', message: 'Заменяющий — не сам учитель урока' },
        ]);
      }
      if (substituteId === lesson.substituteTeacherId) {
        throw conflict('substitution.same', 'Этот учитель уже заменяет на этом уроке');
      }
      if (!teachesInSchool(await deps.roster.positionsOf(lesson.schoolId, substituteId))) {
        throw invalid('substitution.invalid', 'Замена указана с ошибками', [
          { field: 'substituteTeacherId', message: 'Заменяющий не работает в школе учителем' },
        ]);
      }
      await refuseConflicts(
        deps,
        lesson.schoolId,
        { ...lesson, teacherId: substituteId },
        'lesson.teacher_busy',
      );
      return {
        lesson: next(
          lesson,
          {
            substituteTeacherId: substituteId,
            substitutionReason: reason,
            substitutionApprovedBy: ctx.actor.accountId,
          },
          deps.now(),
        ),
        previousVersion: lesson.version,
        event: { type: 'edu.schedule.substitution.assigned', changed: [] },
      };
    },
  );
}

/** Revokes a lesson's substitute (the director or a deputy): its own teacher keeps it again. */
export async function revokeSubstitute(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: { lessonId: string; expectedVersion: number; reason: string },
): Promise<Lesson> {
  const reason = normaliseText(input.reason);
  const errors = changeReasonErrors(reason);
  if (errors.length > 0) throw invalid('substitution.invalid', 'Замена указана с ошибками', errors);
  return changeLesson(
    deps,
    ctx,
    input,
    (s) => canApproveSubstitution(ctx.actor, s),
    'substitution.revoke',
    async (lesson) => {
      if (!lesson.substituteTeacherId) throw conflict('substitution.none', 'На этом уроке нет замены');
      return {
        lesson: next(
          lesson,
          {
            substituteTeacherId: '',
            substitutionReason: reason,
            substitutionApprovedBy: ctx.actor.accountId,
          },
          deps.now(),
        ),
        previousVersion: lesson.version,
        event: {
          type: 'edu.schedule.substitution.revoked',
          changed: [],
          previousSubstituteTeacherId: lesson.substituteTeacherId,
        },
      };
    },
  );
}

/**
 * The substitutions of a school over days (R4.3, the daily list): managers see all; a teacher
 * the ones where they substitute or are substituted.
 */
export async function listSubstitutions(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  query: { schoolId: string; from: string; to: string },
): Promise<Lesson[]> {
  const errors = listRangeErrors(query.from, query.to);
  if (errors.length > 0)
    throw invalid('substitution.filter_invalid', 'Отбор замен указан с ошибками', errors);
  const manager = canManageSchedule(ctx.actor, query.schoolId);
  const personId = ctx.actor.personId ?? '';
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    manager || (!!personId && hasRoleIn(ctx.actor, query.schoolId)),
    { action: 'substitution.list', object: `school:${query.schoolId}` },
    () => notFound('school.not_found', 'Школа не найдена'),
  );
  const lessons = await deps.lessons.list(
    { schoolId: query.schoolId, from: query.from, to: query.to, withSubstitute: true },
    10_000,
  );
  return lessons.filter((l) => manager || l.teacherId === personId || l.substituteTeacherId === personId);
}

/**
 * Changes one lesson: under its school's lessons lock, read at the version the actor saw and
 * allowed by `may`, then `change` decides its new state and fact, written as one chunk.
 */
async function changeLesson(
  deps: LessonChangeDeps,
  ctx: RequestContext,
  input: { lessonId: string; expectedVersion: number },
  may: (schoolId: string) => boolean,
  action: string,
  change: (lesson: Lesson) => Promise<LessonChange>,
): Promise<Lesson> {
  return withLesson(deps, input.lessonId, async () => {
    const lesson = await lessonToChange(deps, ctx, input, may, action);
    return write(deps, ctx, await change(lesson));
  });
}

/** Runs a change of one lesson under its school's lessons lock (the school read first). */
async function withLesson<T>(
  deps: Pick<LessonChangeDeps, 'lessons'>,
  id: string,
  work: () => Promise<T>,
): Promise<T> {
  const found = id.trim() ? await deps.lessons.get(id.trim()) : null;
  if (!found) throw lessonNotFound();
  return deps.lessons.exclusive(found.schoolId, work);
}
