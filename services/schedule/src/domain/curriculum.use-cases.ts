import { conflict, invalid, notFound, precondition, type DomainError, type FieldError } from '@edu/kit';
import {
  curriculumFormErrors,
  curriculumId,
  duplicateSubjectLines,
  studyWeeks,
  unknownPeriodErrors,
  weeklyLoadExcess,
  type Curriculum,
  type CurriculumComponent,
  type CurriculumLine,
  type CurriculumLineInput,
  type StudyWeeks,
} from './curriculum';
import type {
  Authorize,
  CurriculumRepository,
  RequestContext,
  RosterCopyReader,
  SubjectRepository,
} from './ports';
import type { CopiedClass, CopiedYear } from './roster-copy';
import { authorizeInSchool, canManageSchedule, canReadSchoolPlans } from './schedule-policy';

export interface CurriculumDeps {
  curricula: CurriculumRepository;
  subjects: Pick<SubjectRepository, 'listForSchool'>;
  /** Schedule's copy of roster: years (with their calendars) and classes. */
  roster: Pick<RosterCopyReader, 'year' | 'schoolClass' | 'classes'>;
  authorize: Authorize;
  now: () => Date;
  /** The largest weekly load of a class of a grade (config). */
  maxWeeklyHours: (grade: number) => number;
}

/** A curriculum with what people read with it, from the copy of roster as it is now. */
export interface CurriculumView {
  curriculum: Curriculum;
  className: string;
  weeks: StudyWeeks;
  maxHoursPerWeek: number;
}

const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
const yearNotFound = () => notFound('academic_year.not_found', 'Учебный год не найден');
const classNotFound = () => notFound('class.not_found', 'Класс не найден');
const curriculumNotFound = () => notFound('curriculum.not_found', 'Учебный план класса ещё не составлен');

export function curriculumVersionConflict(): DomainError {
  return conflict('curriculum.version_conflict', 'Учебный план уже изменили: обновите страницу и повторите');
}

/** The year of the school, open. */
async function openYearOf(deps: CurriculumDeps, schoolId: string, yearId: string): Promise<CopiedYear> {
  const year = await deps.roster.year(yearId);
  if (!year || year.schoolId !== schoolId) throw yearNotFound();
  if (year.status !== 'open') {
    throw precondition(
      'academic_year.closed',
      `Учебный год ${year.name} закрыт: учебный план в нём не меняется`,
    );
  }
  return year;
}

/** An open class of the school and year. */
function checkClass(schoolClass: CopiedClass | null, schoolId: string, year: CopiedYear): CopiedClass {
  if (!schoolClass || schoolClass.schoolId !== schoolId) throw classNotFound();
  if (schoolClass.academicYearId !== year.id) {
    throw precondition(
      'curriculum.other_year',
      `Класс ${schoolClass.name} не из учебного года ${year.name}`,
      [{ field: 'classId', message: 'Выберите класс этого учебного года' }],
    );
  }
  if (schoolClass.status !== 'open') {
    throw precondition('class.closed', `Класс ${schoolClass.name} закрыт: его учебный план не меняется`);
  }
  return schoolClass;
}

/**
 * Sets the curriculum of a class as a whole (director, deputy, school admin), based on the
 * version the caller saw (0: none yet). Publishes edu.schedule.curriculum.set with the hours per
 * year computed from the weeks of study known now.
 */
export async function setCurriculum(
  deps: CurriculumDeps,
  ctx: RequestContext,
  input: {
    schoolId: string;
    academicYearId: string;
    classId: string;
    lines: CurriculumLineInput[];
    expectedVersion: number;
  },
): Promise<Curriculum> {
  authorizeInSchool(
    deps,
    ctx,
    input.schoolId,
    canManageSchedule(ctx.actor, input.schoolId),
    { action: 'curriculum.set', object: `class:${input.classId}` },
    schoolNotFound,
  );
  const lines = input.lines.map((line) => ({ ...line, subjectId: line.subjectId.trim() }));
  const errors: FieldError[] = [];
  if (!input.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (!input.classId) errors.push({ field: 'classId', message: 'Укажите класс' });
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0) {
    errors.push({
      field: 'expectedVersion',
      message: 'Укажите версию учебного плана, которую вы изменяете (0 — если его ещё нет)',
    });
  }
  errors.push(...curriculumFormErrors(lines));
  if (errors.length > 0) throw invalid('curriculum.invalid', 'Учебный план заполнен с ошибками', errors);

  const year = await openYearOf(deps, input.schoolId, input.academicYearId);
  const schoolClass = checkClass(await deps.roster.schoolClass(input.classId), input.schoolId, year);
  const id = curriculumId(schoolClass.id);
  const stored = await deps.curricula.get(id);
  if ((stored?.version ?? 0) !== input.expectedVersion) throw curriculumVersionConflict();

  // The catalogue's subjects and the school's own; another school's are unknown here.
  const subjects = new Map((await deps.subjects.listForSchool(input.schoolId)).map((s) => [s.id, s]));
  const unknown = lines.flatMap((line, i) =>
    subjects.has(line.subjectId)
      ? []
      : [
          {
            field: `lines[${i}].subjectId`,
            message: 'Такого предмета нет ни в справочнике, ни среди предметов школы',
          },
        ],
  );
  if (unknown.length > 0) {
    throw precondition(
      'curriculum.unknown_subject',
      `В учебном плане ${unknown.length === 1 ? 'есть предмет, которого' : `есть предметы (${unknown.length}), которых`} нет в справочнике предметов школы`,
      unknown,
    );
  }
  const repeats = duplicateSubjectLines(lines.map((line) => line.subjectId));
  if (repeats.length > 0) {
    const names = [...new Set(repeats.map((r) => `«${subjects.get(r.subjectId)!.name}»`))].join(', ');
    throw invalid(
      'curriculum.duplicate_subject',
      `Каждый предмет — одной строкой учебного плана: ${names} ${repeats.length === 1 ? 'указан' : 'указаны'} дважды`,
      repeats.map((r) => ({
        field: `lines[${r.index}].subjectId`,
        message: `Предмет «${subjects.get(r.subjectId)!.name}» уже есть в строке ${r.firstIndex + 1}`,
      })),
    );
  }

  const built: CurriculumLine[] = lines.map((line) => {
    const subject = subjects.get(line.subjectId)!;
    return {
      subjectId: subject.id,
      subjectKey: subject.key,
      subjectName: subject.name,
      educationArea: subject.educationArea,
      component: line.component as CurriculumComponent,
      hoursPerWeek: line.hoursPerWeek,
      periodHours: [...line.periodHours].sort((a, b) => a.period - b.period),
    };
  });
  const weeks = studyWeeks(year, schoolClass.grade);
  const periodErrors = unknownPeriodErrors(built, weeks, { grade: schoolClass.grade, yearName: year.name });
  if (periodErrors.length > 0) {
    throw precondition(
      'curriculum.unknown_period',
      `В учебном плане указаны учебные периоды, которых нет у ${schoolClass.grade}-х классов`,
      periodErrors,
    );
  }
  const excess = weeklyLoadExcess(built, weeks, {
    className: schoolClass.name,
    grade: schoolClass.grade,
    max: deps.maxWeeklyHours(schoolClass.grade),
  });
  if (excess) throw precondition('curriculum.weekly_load_exceeded', excess.detail, excess.errors);

  const now = deps.now().toISOString();
  const curriculum: Curriculum = {
    id,
    schoolId: input.schoolId,
    academicYearId: year.id,
    classId: schoolClass.id,
    grade: schoolClass.grade,
    lines: built,
    version: input.expectedVersion + 1,
    createdAt: stored?.createdAt ?? now,
    updatedAt: now,
    updatedBy: ctx.actor.accountId,
  };
  await deps.curricula.save(
    curriculum,
    input.expectedVersion,
    [{ type: 'edu.schedule.curriculum.set', curriculum, weeks }],
    ctx,
  );
  return curriculum;
}

/**
 * The class names, weeks of study and maximum load of some curricula, in the same order (read
 * from the copy now: a renamed class shows its new name, a changed calendar its new weeks).
 */
export async function describeCurricula(
  deps: Pick<CurriculumDeps, 'roster' | 'maxWeeklyHours'>,
  curricula: Curriculum[],
): Promise<CurriculumView[]> {
  const classes = new Map(
    (await deps.roster.classes([...new Set(curricula.map((c) => c.classId))])).map((c) => [c.id, c]),
  );
  const yearIds = [...new Set(curricula.map((c) => c.academicYearId))];
  const years = new Map(
    await Promise.all(yearIds.map(async (id) => [id, await deps.roster.year(id)] as const)),
  );
  return curricula.map((curriculum) => ({
    curriculum,
    className: classes.get(curriculum.classId)?.name ?? '',
    weeks: studyWeeks(years.get(curriculum.academicYearId) ?? null, curriculum.grade),
    maxHoursPerWeek: deps.maxWeeklyHours(curriculum.grade),
  }));
}

/** The curriculum of a class: anyone with a role in the class's school. */
export async function getCurriculum(
  deps: CurriculumDeps,
  ctx: RequestContext,
  classId: string,
): Promise<CurriculumView> {
  if (!classId) {
    throw invalid('curriculum.invalid', 'Не указан класс', [{ field: 'classId', message: 'Укажите класс' }]);
  }
  const stored = await deps.curricula.get(curriculumId(classId));
  const schoolId = stored?.schoolId ?? (await deps.roster.schoolClass(classId))?.schoolId;
  if (!schoolId) throw curriculumNotFound();
  authorizeInSchool(
    deps,
    ctx,
    schoolId,
    canReadSchoolPlans(ctx.actor, schoolId),
    { action: 'curriculum.read', object: `class:${classId}` },
    curriculumNotFound,
  );
  if (!stored) throw curriculumNotFound();
  const [view] = await describeCurricula(deps, [stored]);
  return view!;
}

/** The curricula of a school's year, by class (grade, then name): anyone with a role in the school. */
export async function listCurricula(
  deps: CurriculumDeps,
  ctx: RequestContext,
  query: { schoolId: string; academicYearId: string },
): Promise<CurriculumView[]> {
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    canReadSchoolPlans(ctx.actor, query.schoolId),
    { action: 'curriculum.list', object: `school:${query.schoolId}` },
    schoolNotFound,
  );
  if (!query.academicYearId) {
    throw invalid('curriculum.filter_invalid', 'Отбор учебных планов указан с ошибками', [
      { field: 'academicYearId', message: 'Укажите учебный год' },
    ]);
  }
  const views = await describeCurricula(
    deps,
    await deps.curricula.listByYear(query.schoolId, query.academicYearId),
  );
  return views.sort(
    (a, b) =>
      a.curriculum.grade - b.curriculum.grade ||
      a.className.localeCompare(b.className, 'ru') ||
      a.curriculum.classId.localeCompare(b.curriculum.classId),
  );
}
