import { conflict, invalid, notFound, precondition } from '@edu/kit';
import type {
  AcademicYearRepository,
  Authorize,
  PersonRepository,
  RequestContext,
  SchoolClassEvent,
  SchoolClassRepository,
} from './ports';
import {
  capacityErrors,
  className,
  gradeErrors,
  letterErrors,
  normaliseLetter,
  type SchoolClass,
} from './school-class';
import { canManageSchool, canReadSchool } from './school-policy';

export interface SchoolClassDeps {
  academicYears: AcademicYearRepository;
  schoolClasses: SchoolClassRepository;
  people: Pick<PersonRepository, 'get'>;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

/** Opens a class in an open year that has study periods for its grade; publishes class.opened. */
export async function openClass(
  deps: SchoolClassDeps,
  ctx: RequestContext,
  input: { academicYearId: string; grade: number; letter: string; capacity: number },
): Promise<SchoolClass> {
  const year = await deps.academicYears.get(input.academicYearId);
  if (!year || !canReadSchool(ctx.actor, year.schoolId)) {
    throw notFound('academic_year.not_found', 'Учебный год не найден');
  }
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, year.schoolId), {
    action: 'class.open',
    object: `academic_year:${year.id}`,
  });
  const letter = normaliseLetter(input.letter);
  const errors = [...gradeErrors(input.grade), ...letterErrors(letter), ...capacityErrors(input.capacity)];
  if (errors.length > 0) throw invalid('class.invalid', 'Класс заполнен с ошибками', errors);
  if (year.status !== 'open') {
    throw precondition('academic_year.closed', `Учебный год ${year.name} закрыт: классы не открываются`);
  }
  if (!year.periodSchemes.some((scheme) => scheme.grades.includes(input.grade))) {
    throw precondition(
      'class.grade_without_periods',
      `В учебном году ${year.name} нет учебных периодов для ${input.grade}-х классов`,
      [{ field: 'grade', message: `Добавьте ${input.grade}-ю параллель в схему периодов учебного года` }],
    );
  }
  const schoolClass: SchoolClass = {
    id: deps.newId(),
    schoolId: year.schoolId,
    academicYearId: year.id,
    grade: input.grade,
    letter,
    classTeacherId: '',
    capacity: input.capacity,
    status: 'open',
    version: 1,
    createdAt: deps.now().toISOString(),
  };
  await deps.schoolClasses.create(schoolClass, [{ type: 'edu.roster.class.opened', schoolClass }], ctx);
  return schoolClass;
}

async function readable(deps: SchoolClassDeps, ctx: RequestContext, id: string): Promise<SchoolClass> {
  const schoolClass = await deps.schoolClasses.get(id);
  if (!schoolClass || !canReadSchool(ctx.actor, schoolClass.schoolId)) {
    throw notFound('class.not_found', 'Класс не найден');
  }
  return schoolClass;
}

export function getClass(deps: SchoolClassDeps, ctx: RequestContext, id: string): Promise<SchoolClass> {
  return readable(deps, ctx, id);
}

export async function listClasses(
  deps: SchoolClassDeps,
  ctx: RequestContext,
  academicYearId: string,
): Promise<SchoolClass[]> {
  const year = await deps.academicYears.get(academicYearId);
  if (!year || !canReadSchool(ctx.actor, year.schoolId)) {
    throw notFound('academic_year.not_found', 'Учебный год не найден');
  }
  return deps.schoolClasses.listByYear(academicYearId);
}

/** What ChangeClass asks; `undefined` keeps a field, `classTeacherId: ''` removes the teacher. */
export interface ClassChange {
  id: string;
  expectedVersion: number;
  letter?: string;
  capacity?: number;
  classTeacherId?: string;
  close: boolean;
}

/**
 * Renames a class, changes its capacity or class teacher, or closes it — each published as its
 * own event. The class teacher must be active staff of the school. A closed class does not change.
 */
export async function changeClass(
  deps: SchoolClassDeps,
  ctx: RequestContext,
  change: ClassChange,
): Promise<SchoolClass> {
  const current = await readable(deps, ctx, change.id);
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, current.schoolId), {
    action: 'class.change',
    object: `class:${current.id}`,
  });
  const letter = change.letter === undefined ? current.letter : normaliseLetter(change.letter);
  const capacity = change.capacity ?? current.capacity;
  const errors = [...letterErrors(letter), ...capacityErrors(capacity)];
  if (errors.length > 0) throw invalid('class.invalid', 'Класс заполнен с ошибками', errors);
  if (current.status === 'closed') {
    throw precondition('class.closed', `Класс ${className(current)} закрыт: изменения не принимаются`);
  }
  const year = await deps.academicYears.get(current.academicYearId);
  if (year && year.status !== 'open') {
    throw precondition(
      'academic_year.closed',
      `Учебный год ${year.name} закрыт: класс ${className(current)} не меняется`,
    );
  }
  if (change.expectedVersion !== current.version) {
    throw conflict('class.version_conflict', 'Класс уже изменили: обновите страницу и повторите');
  }
  const classTeacherId = change.classTeacherId ?? current.classTeacherId;
  if (classTeacherId && classTeacherId !== current.classTeacherId) {
    const person = await deps.people.get(classTeacherId);
    if (
      !person ||
      person.schoolId !== current.schoolId ||
      person.kind !== 'staff' ||
      person.status !== 'active'
    ) {
      throw precondition(
        'class.teacher_not_staff',
        'Классным руководителем может быть только сотрудник этой школы',
        [{ field: 'classTeacherId', message: 'Выберите работающего сотрудника школы' }],
      );
    }
  }
  const changed: SchoolClass = {
    ...current,
    letter,
    capacity,
    classTeacherId,
    status: change.close ? 'closed' : current.status,
    version: current.version + 1,
  };
  const events: SchoolClassEvent[] = [];
  if (letter !== current.letter) {
    events.push({ type: 'edu.roster.class.renamed', schoolClass: changed, previousName: className(current) });
  }
  if (classTeacherId !== current.classTeacherId) {
    events.push({
      type: 'edu.roster.class.teacher_assigned',
      schoolClass: changed,
      previousClassTeacherId: current.classTeacherId,
    });
  }
  if (change.close) events.push({ type: 'edu.roster.class.closed', schoolClass: changed });
  if (events.length === 0 && capacity === current.capacity) {
    throw precondition('class.no_change', 'Класс не изменился: нечего записывать');
  }
  await deps.schoolClasses.update(changed, current.version, events, ctx);
  return changed;
}
