import { invalid, notFound } from '@edu/kit';
import { curriculumId, studyWeeks } from './curriculum';
import { fulfilmentOf, type FulfilmentRow } from './fulfilment';
import { teachesOrLeads } from './lesson.use-cases';
import type {
  AssignmentRepository,
  Authorize,
  CurriculumRepository,
  LessonRepository,
  RequestContext,
  RosterCopyReader,
} from './ports';
import { authorizeInSchool, canManageSchedule } from './schedule-policy';

// Curriculum fulfilment of a class as a query (R2.3): the plan's hours against the dated lessons.

export interface FulfilmentDeps {
  lessons: Pick<LessonRepository, 'list'>;
  curricula: Pick<CurriculumRepository, 'get'>;
  assignments: Pick<AssignmentRepository, 'listByClass'>;
  roster: Pick<RosterCopyReader, 'school' | 'year' | 'schoolClass'>;
  authorize: Authorize;
  now: () => Date;
}

/** A class's lessons of a year at most (35 a week, subgroups split, 40 weeks, with room to spare). */
const MAX_LESSONS_OF_CLASS = 20_000;

const classNotFound = () => notFound('class.not_found', 'Класс не найден');

/** The school's day and time now, as a lesson's date and times are written. */
function localNow(timeZone: string, now: Date): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/**
 * The fulfilment of a class's curriculum, per period (one, or all when `period` is 0): managers of
 * the school, its class teacher, a teacher who teaches it.
 */
export async function curriculumFulfilment(
  deps: FulfilmentDeps,
  ctx: RequestContext,
  query: { classId: string; period: number },
): Promise<{ classId: string; className: string; asOf: string; rows: FulfilmentRow[] }> {
  if (!Number.isInteger(query.period) || query.period < 0) {
    throw invalid('fulfilment.filter_invalid', 'Отбор указан с ошибками', [
      { field: 'period', message: 'Период — номер от 1, или 0 для всех' },
    ]);
  }
  const schoolClass = query.classId.trim() ? await deps.roster.schoolClass(query.classId.trim()) : null;
  if (!schoolClass) throw classNotFound();
  const allowed =
    canManageSchedule(ctx.actor, schoolClass.schoolId) || (await teachesOrLeads(deps, ctx, schoolClass));
  authorizeInSchool(
    deps,
    ctx,
    schoolClass.schoolId,
    allowed,
    { action: 'fulfilment.read', object: `class:${schoolClass.id}` },
    classNotFound,
  );
  const [year, school, curriculum] = await Promise.all([
    deps.roster.year(schoolClass.academicYearId),
    deps.roster.school(schoolClass.schoolId),
    deps.curricula.get(curriculumId(schoolClass.id)),
  ]);
  const weeks = studyWeeks(year, schoolClass.grade);
  const lessons = year
    ? await deps.lessons.list(
        { classId: schoolClass.id, from: year.startsOn, to: year.endsOn },
        MAX_LESSONS_OF_CLASS,
      )
    : [];
  const now = localNow(school?.timeZone ?? 'Europe/Moscow', deps.now());
  const rows = fulfilmentOf(curriculum, weeks, lessons, now).filter(
    (row) => query.period === 0 || row.period === query.period,
  );
  return { classId: schoolClass.id, className: schoolClass.name, asOf: now.date, rows };
}
