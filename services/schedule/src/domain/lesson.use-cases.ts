import { invalid, notFound, type FieldError } from '@edu/kit';
import {
  LESSON_RULES,
  compareLessons,
  listRangeErrors,
  diffLessons,
  intersectDays,
  plannedLessonsOf,
  schoolDaysOf,
  type Lesson,
  type PlannedLesson,
  type RegenerationReason,
} from './lesson';
import type {
  AssignmentRepository,
  Authorize,
  LessonFilter,
  LessonRepository,
  LessonTemplate,
  RequestContext,
  RosterCopyReader,
  SubjectRepository,
} from './ports';
import { authorizeInSchool, canManageSchedule, hasRoleIn } from './schedule-policy';
import { teachesClass } from './teaching-assignment';
import { timetablePublicationId, type PublishedClassTimetable, type TimetablePublication } from './timetable';
import { periodOf } from './timetable.use-cases';

export interface LessonDeps {
  lessons: LessonRepository;
  subjects: Pick<SubjectRepository, 'listForSchool'>;
  assignments: Pick<AssignmentRepository, 'listByClass'>;
  roster: Pick<RosterCopyReader, 'year' | 'schoolClass' | 'subgroups'>;
  authorize: Authorize;
  now: () => Date;
}

/** What a generation of a period did (the publication's answer, the bench, the logs). */
export interface LessonGenerationResult {
  scheduled: number;
  rescheduled: number;
  cancelled: number;
  /** Lessons kept for their journal content (at most LESSON_RULES.maxKeptListed named). */
  kept: Lesson[];
  keptCount: number;
  /** Scheduled lessons of the period after it. */
  total: number;
}

const NOTHING: LessonGenerationResult = {
  scheduled: 0,
  rescheduled: 0,
  cancelled: 0,
  kept: [],
  keptCount: 0,
  total: 0,
};

/**
 * Keeps the published weeks of a period for its lessons: the publication's classes as published
 * (times from the bells then), so that a later calendar change regenerates from what was
 * published, not from weeks edited since.
 */
export async function rememberPublishedWeeks(
  deps: Pick<LessonDeps, 'lessons'>,
  publication: TimetablePublication,
  classes: PublishedClassTimetable[],
): Promise<void> {
  // Under the school's lessons: a generation marks the template generated meanwhile otherwise.
  await deps.lessons.exclusive(publication.schoolId, async () => {
    const stored = await deps.lessons.getTemplate(publication.id);
    await deps.lessons.saveTemplate({
      id: publication.id,
      schoolId: publication.schoolId,
      academicYearId: publication.academicYearId,
      period: publication.period,
      version: publication.version,
      classes,
      generatedVersion: stored?.generatedVersion ?? 0,
    });
  });
}

/** The planned lessons of a template on the calendar of the year as schedule's copy has it now. */
async function plan(
  deps: Pick<LessonDeps, 'subjects' | 'roster'>,
  template: LessonTemplate,
): Promise<PlannedLesson[] | null> {
  const year = await deps.roster.year(template.academicYearId);
  // A closed year's lessons are history: nothing regenerates them.
  if (!year || year.status !== 'open') return null;
  const subgroupIds = [
    ...new Set(template.classes.flatMap((c) => c.entries.map((e) => e.subgroupId)).filter(Boolean)),
  ];
  const [subjects, subgroups] = await Promise.all([
    deps.subjects.listForSchool(template.schoolId),
    deps.roster.subgroups(subgroupIds),
  ]);
  const names = {
    subjects: new Map(subjects.map((s) => [s.id, s])),
    subgroupNames: new Map(subgroups.map((s) => [s.id, s.name])),
  };
  const scope = {
    schoolId: template.schoolId,
    academicYearId: template.academicYearId,
    period: template.period,
  };
  return template.classes.flatMap((week) => {
    // A grade without a scheme in roster's calendar has no days for its periods: no lessons.
    const days = periodOf(year, week.grade, template.period)?.days;
    if (!days) return [];
    const schoolDays = schoolDaysOf(year.calendar, week.grade, intersectDays(days, year));
    return plannedLessonsOf(scope, week, schoolDays, names);
  });
}

/**
 * Generates (or regenerates) the dated lessons of a school's period from its last published
 * template and the calendar, comparing with the stored lessons and writing only what changed, in
 * bulk, with a fact per lesson. Idempotent: a second run with nothing changed writes nothing.
 */
export async function generatePeriodLessons(
  deps: Pick<LessonDeps, 'lessons' | 'subjects' | 'roster' | 'now'>,
  ctx: RequestContext,
  input: {
    schoolId: string;
    academicYearId: string;
    period: number;
    reason: RegenerationReason;
    /** Only when the last publication's lessons are not generated yet (a catch-up). */
    onlyIfBehind?: boolean;
  },
): Promise<LessonGenerationResult> {
  const id = timetablePublicationId(input.schoolId, input.academicYearId, input.period);
  return deps.lessons.exclusive(input.schoolId, async () => {
    // A chunk left by a crash goes first: the comparison reads the lessons it holds.
    await deps.lessons.applyPending(input.schoolId);
    const template = await deps.lessons.getTemplate(id);
    if (!template) return NOTHING;
    if (input.onlyIfBehind && template.generatedVersion >= template.version) return NOTHING;
    const planned = await plan(deps, template);
    if (!planned) return NOTHING;
    const stored = await deps.lessons.listByPeriod(input.schoolId, input.academicYearId, input.period);
    const diff = diffLessons(planned, stored, { reason: input.reason, now: deps.now().toISOString() });
    await deps.lessons.write(diff.changes, ctx);
    if (template.generatedVersion < template.version) await deps.lessons.markGenerated(id, template.version);
    const count = (type: string) => diff.changes.filter((c) => c.event?.type === type).length;
    return {
      scheduled: count('edu.schedule.lesson.scheduled'),
      rescheduled: count('edu.schedule.lesson.rescheduled'),
      cancelled: count('edu.schedule.lesson.cancelled'),
      kept: [...diff.kept].sort(compareLessons).slice(0, LESSON_RULES.maxKeptListed),
      keptCount: diff.kept.length,
      total: diff.total,
    };
  });
}

/**
 * After roster changed a year's calendar (holidays, closures, transfers, periods): regenerates
 * every published period of the year, with cancellations for `calendar_changed`.
 */
export async function regenerateYearLessons(
  deps: Pick<LessonDeps, 'lessons' | 'subjects' | 'roster' | 'now'>,
  ctx: RequestContext,
  input: { schoolId: string; academicYearId: string },
): Promise<LessonGenerationResult[]> {
  const templates = await deps.lessons.templatesOfYear(input.schoolId, input.academicYearId);
  const results: LessonGenerationResult[] = [];
  for (const template of templates.sort((a, b) => a.period - b.period)) {
    results.push(
      await generatePeriodLessons(deps, ctx, {
        schoolId: template.schoolId,
        academicYearId: template.academicYearId,
        period: template.period,
        reason: 'calendar_changed',
      }),
    );
  }
  return results;
}

/**
 * What a crash or a cut-short request left: unapplied chunks (at start only: `chunks`), and
 * publications whose lessons were not generated — at start, and then periodically, so that a
 * publication whose call was cancelled midway gets its lessons without a restart.
 */
export async function catchUpLessons(
  deps: Pick<LessonDeps, 'lessons' | 'subjects' | 'roster' | 'now'>,
  ctx: RequestContext,
  { chunks: withChunks }: { chunks: boolean } = { chunks: true },
): Promise<{ chunks: number; periods: number }> {
  const chunks = withChunks ? await deps.lessons.applyPending() : 0;
  const behind = await deps.lessons.templatesBehind();
  for (const template of behind) {
    await generatePeriodLessons(deps, ctx, {
      schoolId: template.schoolId,
      academicYearId: template.academicYearId,
      period: template.period,
      reason: 'timetable_changed',
      onlyIfBehind: true,
    });
  }
  return { chunks, periods: behind.length };
}

/** Gradebook told whether a lesson's journal record has content (newest record version wins). */
export async function recordJournalContent(
  deps: Pick<LessonDeps, 'lessons'>,
  fact: { lessonId: string; schoolId: string; hasContent: boolean; recordVersion: number },
): Promise<boolean> {
  return deps.lessons.exclusive(fact.schoolId, () =>
    deps.lessons.setJournalContent(fact.lessonId, fact.hasContent, fact.recordVersion),
  );
}

const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
const classNotFound = () => notFound('class.not_found', 'Класс не найден');
const lessonNotFound = () => notFound('lesson.not_found', 'Урок не найден');

/** Whether the actor teaches (an active assignment to it or a subgroup) or leads a class, with a role in its school. */
export async function teachesOrLeads(
  deps: Pick<LessonDeps, 'assignments'>,
  ctx: RequestContext,
  schoolClass: { id: string; schoolId: string; classTeacherId: string },
): Promise<boolean> {
  const personId = ctx.actor.personId ?? '';
  if (!personId || !hasRoleIn(ctx.actor, schoolClass.schoolId)) return false;
  return (
    schoolClass.classTeacherId === personId ||
    teachesClass(personId, await deps.assignments.listByClass(schoolClass.id))
  );
}

/**
 * Dated lessons over at most 93 days, by date and lesson number: a class's (with its subgroups')
 * — managers, a teacher who teaches or leads it; a teacher's — managers, the teacher themself; a
 * school's — managers. Optionally only scheduled or cancelled ones, or those kept for a decision.
 */
export async function listLessons(
  deps: LessonDeps,
  ctx: RequestContext,
  query: {
    schoolId: string;
    classId: string;
    teacherId: string;
    from: string;
    to: string;
    status: string;
    needsDecision: boolean;
  },
): Promise<Lesson[]> {
  const errors: FieldError[] = [];
  if (query.classId && query.teacherId) {
    errors.push({ field: 'teacherId', message: 'Укажите либо класс, либо учителя' });
  }
  if (!query.classId && !query.schoolId) {
    errors.push({ field: 'schoolId', message: 'Укажите школу (или класс)' });
  }
  errors.push(...listRangeErrors(query.from, query.to));
  if (query.status && query.status !== 'scheduled' && query.status !== 'cancelled') {
    errors.push({ field: 'status', message: 'Статус — scheduled (проводится) или cancelled (отменён)' });
  }
  if (errors.length > 0) throw invalid('lesson.filter_invalid', 'Отбор уроков указан с ошибками', errors);

  let filter: LessonFilter;
  if (query.classId) {
    const schoolClass = await deps.roster.schoolClass(query.classId);
    if (!schoolClass) throw classNotFound();
    const allowed =
      canManageSchedule(ctx.actor, schoolClass.schoolId) || (await teachesOrLeads(deps, ctx, schoolClass));
    authorizeInSchool(
      deps,
      ctx,
      schoolClass.schoolId,
      allowed,
      { action: 'lesson.list', object: `class:${schoolClass.id}` },
      classNotFound,
    );
    filter = { classId: schoolClass.id, from: query.from, to: query.to };
  } else {
    const own =
      !!query.teacherId && ctx.actor.personId === query.teacherId && hasRoleIn(ctx.actor, query.schoolId);
    authorizeInSchool(
      deps,
      ctx,
      query.schoolId,
      canManageSchedule(ctx.actor, query.schoolId) || own,
      {
        action: 'lesson.list',
        object: query.teacherId ? `teacher:${query.teacherId}` : `school:${query.schoolId}`,
      },
      schoolNotFound,
    );
    filter = {
      schoolId: query.schoolId,
      ...(query.teacherId ? { teacherId: query.teacherId } : {}),
      from: query.from,
      to: query.to,
    };
  }
  const lessons = await deps.lessons.list(
    {
      ...filter,
      ...(query.status ? { status: query.status as Lesson['status'] } : {}),
      ...(query.needsDecision ? { needsDecision: true } : {}),
    },
    LESSON_RULES.maxListed,
  );
  return lessons.sort(compareLessons);
}

/** One lesson: managers of its school, its teacher, a teacher who teaches or leads its class. */
export async function getLesson(deps: LessonDeps, ctx: RequestContext, id: string): Promise<Lesson> {
  if (!id.trim()) {
    throw invalid('lesson.filter_invalid', 'Укажите урок', [{ field: 'id', message: 'Укажите урок' }]);
  }
  const lesson = await deps.lessons.get(id.trim());
  if (!lesson) throw lessonNotFound();
  const personId = ctx.actor.personId ?? '';
  const own =
    !!personId &&
    (personId === lesson.teacherId || personId === lesson.substituteTeacherId) &&
    hasRoleIn(ctx.actor, lesson.schoolId);
  let allowed = canManageSchedule(ctx.actor, lesson.schoolId) || own;
  if (!allowed) {
    const schoolClass = await deps.roster.schoolClass(lesson.classId);
    allowed = !!schoolClass && (await teachesOrLeads(deps, ctx, schoolClass));
  }
  authorizeInSchool(
    deps,
    ctx,
    lesson.schoolId,
    allowed,
    { action: 'lesson.read', object: `lesson:${lesson.id}` },
    lessonNotFound,
  );
  return lesson;
}
