import { conflict, invalid, notFound, precondition } from '@edu/kit';
import { orderErrors, ruDate, type OrderRef } from './academic-year';
import { enrolmentId, type Enrolment, type Movement } from './enrolment';
import type {
  AcademicYearRepository,
  Authorize,
  EnrolmentEvent,
  EnrolmentRepository,
  PersonRepository,
  RequestContext,
  GuardianshipRepository,
  SchoolClassRepository,
  SchoolRepository,
  SubgroupRepository,
  TeachingCopyRepository,
} from './ports';
import { isConsentActive } from './guardianship';
import { isPlainDate } from './school';
import { className, type SchoolClass } from './school-class';
import { dateIn } from './person';
import { canManageSchool, canReadClassList, canReadSchool, schoolsOf } from './school-policy';
import { teachesOn } from './teaching';
import { leaveClassSubgroups } from './subgroup.use-cases';

export interface EnrolmentDeps {
  academicYears: AcademicYearRepository;
  schoolClasses: SchoolClassRepository;
  enrolments: EnrolmentRepository;
  people: Pick<PersonRepository, 'get' | 'getMany'>;
  /** A student who leaves a class leaves its subgroups. */
  subgroups: SubgroupRepository;
  /** Who teaches a class (schedule's assignments) and the school's today: who reads its list. */
  teaching: Pick<TeachingCopyRepository, 'listForTeacherInClass'>;
  schools: Pick<SchoolRepository, 'get'>;
  /** Whether a guardian's consent is recorded for each student (for those who keep consents). */
  guardianships: Pick<GuardianshipRepository, 'listActiveByStudents'>;
  authorize: Authorize;
  now: () => Date;
}

/** A class the actor may see, with its year; missing for anyone else. */
async function classWithYear(deps: EnrolmentDeps, ctx: RequestContext, classId: string, field = 'classId') {
  const schoolClass = await deps.schoolClasses.get(classId);
  if (!schoolClass || !canReadSchool(ctx.actor, schoolClass.schoolId)) {
    throw notFound('class.not_found', 'Класс не найден');
  }
  const year = await deps.academicYears.get(schoolClass.academicYearId);
  if (!year) throw notFound('academic_year.not_found', `Учебный год класса не найден (${field})`);
  return { schoolClass, year };
}

/** The rules every movement into a class shares: open class and year, the date in the year, room. */
async function checkTarget(
  deps: EnrolmentDeps,
  target: {
    schoolClass: SchoolClass;
    year: { name: string; status: string; days: { startsOn: string; endsOn: string } };
  },
  effectiveOn: string,
): Promise<void> {
  const { schoolClass, year } = target;
  if (year.status !== 'open') throw precondition('academic_year.closed', `Учебный год ${year.name} закрыт`);
  if (schoolClass.status !== 'open') {
    throw precondition('class.closed', `Класс ${className(schoolClass)} закрыт: зачислить в него нельзя`);
  }
  if (effectiveOn < year.days.startsOn || effectiveOn > year.days.endsOn) {
    throw precondition(
      'enrolment.date_outside_year',
      `Дата ${ruDate(effectiveOn)} вне учебного года ${year.name}`,
      [
        {
          field: 'effectiveOn',
          message: `Дата должна быть в пределах ${ruDate(year.days.startsOn)}–${ruDate(year.days.endsOn)}`,
        },
      ],
    );
  }
  if (
    schoolClass.capacity > 0 &&
    (await deps.enrolments.countActiveInClass(schoolClass.id)) >= schoolClass.capacity
  ) {
    throw precondition(
      'class.full',
      `В классе ${className(schoolClass)} нет мест: наполняемость ${schoolClass.capacity}`,
    );
  }
}

function movementOf(
  ctx: RequestContext,
  deps: EnrolmentDeps,
  fields: Pick<Movement, 'kind' | 'fromClassId' | 'toClassId' | 'effectiveOn' | 'order' | 'reason'>,
): Movement {
  return { ...fields, recordedAt: deps.now().toISOString(), recordedBy: ctx.actor.accountId };
}

/**
 * Enrols a student into a class by order (R3.2). A student active in another class of the year
 * is refused with that class named (409); after a withdrawal the same year's enrolment continues.
 */
export async function enrolStudent(
  deps: EnrolmentDeps,
  ctx: RequestContext,
  input: { studentId: string; classId: string; effectiveOn: string; order: OrderRef },
): Promise<Enrolment> {
  const target = await classWithYear(deps, ctx, input.classId);
  const { schoolClass, year } = target;
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, schoolClass.schoolId), {
    action: 'student.enrol',
    object: `class:${schoolClass.id}`,
  });
  const errors = [
    ...(isPlainDate(input.effectiveOn)
      ? []
      : [{ field: 'effectiveOn', message: 'Дата в формате ГГГГ-ММ-ДД' }]),
    ...orderErrors(input.order),
  ];
  if (errors.length > 0) throw invalid('enrolment.invalid', 'Зачисление заполнено с ошибками', errors);
  const student = await deps.people.get(input.studentId);
  if (
    !student ||
    student.schoolId !== schoolClass.schoolId ||
    student.kind !== 'student' ||
    student.status !== 'active'
  ) {
    throw precondition('enrolment.not_a_student', 'Зачислить можно только обучающегося этой школы', [
      { field: 'studentId', message: 'Выберите обучающегося школы (не в архиве)' },
    ]);
  }
  const id = enrolmentId(year.id, student.id);
  const existing = await deps.enrolments.get(id);
  if (existing?.status === 'active') {
    const current = await deps.schoolClasses.get(existing.classId);
    throw conflict(
      'enrolment.already_active',
      `Обучающийся уже зачислен в ${current ? className(current) : 'другой'} класс этого учебного года`,
    );
  }
  await checkTarget(deps, target, input.effectiveOn);
  const movement = movementOf(ctx, deps, {
    kind: 'enrolled',
    fromClassId: '',
    toClassId: schoolClass.id,
    effectiveOn: input.effectiveOn,
    order: input.order,
    reason: '',
  });
  const enrolment: Enrolment = {
    id,
    schoolId: schoolClass.schoolId,
    academicYearId: year.id,
    studentId: student.id,
    classId: schoolClass.id,
    status: 'active',
    movements: [...(existing?.movements ?? []), movement],
    version: (existing?.version ?? 0) + 1,
  };
  const events: EnrolmentEvent[] = [{ type: 'edu.roster.student.enrolled', enrolment, movement }];
  if (existing) await deps.enrolments.update(enrolment, existing.version, events, ctx);
  else await deps.enrolments.create(enrolment, events, ctx);
  return enrolment;
}

/**
 * Transfers a student to another class of the same year, or withdraws them (`toClassId` empty),
 * by order. History is appended, never rewritten; a move dated before the last one is refused.
 * The student leaves the subgroups of the class they leave, under the same order.
 */
export async function moveStudent(
  deps: EnrolmentDeps,
  ctx: RequestContext,
  input: {
    enrolmentId: string;
    expectedVersion: number;
    toClassId: string;
    effectiveOn: string;
    order: OrderRef;
    reason: string;
  },
): Promise<Enrolment> {
  const enrolment = await deps.enrolments.get(input.enrolmentId);
  if (!enrolment || !canReadSchool(ctx.actor, enrolment.schoolId)) {
    throw notFound('enrolment.not_found', 'Зачисление не найдено');
  }
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, enrolment.schoolId), {
    action: input.toClassId ? 'student.transfer' : 'student.withdraw',
    object: `enrolment:${enrolment.id}`,
  });
  const withdrawal = input.toClassId === '';
  const errors = [
    ...(isPlainDate(input.effectiveOn)
      ? []
      : [{ field: 'effectiveOn', message: 'Дата в формате ГГГГ-ММ-ДД' }]),
    ...orderErrors(input.order),
    ...(withdrawal && !input.reason.trim() ? [{ field: 'reason', message: 'Укажите причину выбытия' }] : []),
  ];
  if (errors.length > 0) throw invalid('enrolment.invalid', 'Перемещение заполнено с ошибками', errors);
  if (enrolment.status !== 'active') {
    throw precondition(
      'enrolment.not_active',
      enrolment.status === 'graduated'
        ? 'Обучающийся выпущен: перевести или отчислить его нельзя'
        : 'Обучающийся выбыл: перевести или отчислить его нельзя',
    );
  }
  // A closed year is history: nobody moves in it any more (transfers are also refused below).
  const year = await deps.academicYears.get(enrolment.academicYearId);
  if (year && year.status !== 'open') {
    throw precondition(
      'academic_year.closed',
      `Учебный год ${year.name} закрыт: перевести или отчислить обучающегося в нём нельзя`,
    );
  }
  if (input.expectedVersion !== enrolment.version) {
    throw conflict(
      'enrolment.version_conflict',
      'Данные о зачислении уже изменили: обновите страницу и повторите',
    );
  }
  const last = enrolment.movements.at(-1);
  if (last && input.effectiveOn < last.effectiveOn) {
    throw precondition(
      'enrolment.date_before_last',
      `Дата раньше последнего перемещения (${ruDate(last.effectiveOn)})`,
      [{ field: 'effectiveOn', message: `Не раньше ${ruDate(last.effectiveOn)}` }],
    );
  }
  if (!withdrawal) {
    if (input.toClassId === enrolment.classId) {
      throw precondition('enrolment.same_class', 'Обучающийся уже в этом классе');
    }
    const target = await classWithYear(deps, ctx, input.toClassId, 'toClassId');
    if (target.year.id !== enrolment.academicYearId) {
      throw precondition('enrolment.other_year', 'Перевод возможен только в класс того же учебного года');
    }
    await checkTarget(deps, target, input.effectiveOn);
  } else {
    if (year && (input.effectiveOn < year.days.startsOn || input.effectiveOn > year.days.endsOn)) {
      throw precondition(
        'enrolment.date_outside_year',
        `Дата ${ruDate(input.effectiveOn)} вне учебного года ${year.name}`,
      );
    }
  }
  const movement = movementOf(ctx, deps, {
    kind: withdrawal ? 'withdrawn' : 'transferred',
    fromClassId: enrolment.classId,
    toClassId: input.toClassId,
    effectiveOn: input.effectiveOn,
    order: input.order,
    reason: withdrawal ? input.reason.trim() : '',
  });
  const moved: Enrolment = {
    ...enrolment,
    classId: input.toClassId,
    status: withdrawal ? 'withdrawn' : 'active',
    movements: [...enrolment.movements, movement],
    version: enrolment.version + 1,
  };
  await deps.enrolments.update(
    moved,
    enrolment.version,
    [
      {
        type: withdrawal ? 'edu.roster.student.withdrawn' : 'edu.roster.student.transferred',
        enrolment: moved,
        movement,
      },
    ],
    ctx,
  );
  // The movement is stored first: it is what was ordered. Should this step fail, the student
  // stays listed in a subgroup of a class they left; its readers go by the class list too.
  await leaveClassSubgroups(deps, ctx, {
    classId: enrolment.classId,
    studentId: enrolment.studentId,
    order: input.order,
  });
  return moved;
}

/**
 * Does the actor teach the class (or a subgroup of it) today or later, by schedule's assignments.
 * Looked up only for a teacher of the school who is not its manager nor the class teacher.
 */
async function teachesClass(
  deps: EnrolmentDeps,
  ctx: RequestContext,
  schoolClass: SchoolClass,
): Promise<boolean> {
  const me = ctx.actor.personId;
  if (!me || schoolClass.classTeacherId === me || !schoolsOf(ctx.actor).includes(schoolClass.schoolId)) {
    return false;
  }
  if (canManageSchool(ctx.actor, schoolClass.schoolId)) return false;
  const assignments = await deps.teaching.listForTeacherInClass(me, schoolClass.id);
  if (assignments.length === 0) return false;
  const school = await deps.schools.get(schoolClass.schoolId);
  const today = dateIn(school?.timeZone ?? 'UTC', deps.now());
  return assignments.some((a) => teachesOn(a, today));
}

/**
 * Who is in a class now, names only, by name: the school's managers, the class teacher, and the
 * teachers who teach the class or a subgroup of it (R1.3); other staff are refused.
 */
export async function listClassStudents(deps: EnrolmentDeps, ctx: RequestContext, classId: string) {
  const schoolClass = await deps.schoolClasses.get(classId);
  if (!schoolClass || !canReadSchool(ctx.actor, schoolClass.schoolId)) {
    throw notFound('class.not_found', 'Класс не найден');
  }
  const allowed = canReadClassList(ctx.actor, schoolClass, await teachesClass(deps, ctx, schoolClass));
  deps.authorize(ctx.actor, allowed, {
    action: 'class.list_students',
    object: `class:${classId}`,
  });
  const enrolments = await deps.enrolments.listActiveInClass(classId);
  // Those who keep consents (R1.9) see who still has none, to ask the family for it.
  const keepsConsents =
    canManageSchool(ctx.actor, schoolClass.schoolId) ||
    (!!ctx.actor.personId && schoolClass.classTeacherId === ctx.actor.personId);
  // Two queries for the whole class, not two per student: a class list is read every lesson.
  const studentIds = enrolments.map((e) => e.studentId);
  const [people, links] = await Promise.all([
    deps.people.getMany(studentIds),
    keepsConsents ? deps.guardianships.listActiveByStudents(studentIds) : [],
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const consenting = new Set(links.filter(isConsentActive).map((l) => l.studentId));
  const students = enrolments.map((enrolment) => {
    const person = byId.get(enrolment.studentId);
    const since = [...enrolment.movements].reverse().find((m) => m.toClassId === classId)?.effectiveOn ?? '';
    const consent = keepsConsents
      ? consenting.has(enrolment.studentId)
        ? ('recorded' as const)
        : ('missing' as const)
      : ('' as const);
    return {
      studentId: enrolment.studentId,
      enrolmentId: enrolment.id,
      lastName: person?.lastName ?? '',
      firstName: person?.firstName ?? '',
      middleName: person?.middleName ?? '',
      since,
      consent,
    };
  });
  return students.sort((a, b) =>
    `${a.lastName} ${a.firstName} ${a.middleName}`.localeCompare(
      `${b.lastName} ${b.firstName} ${b.middleName}`,
      'ru',
    ),
  );
}

/** A student's enrolments over all years (managers of the student's school). */
export async function getStudentMovements(
  deps: EnrolmentDeps,
  ctx: RequestContext,
  studentId: string,
): Promise<Enrolment[]> {
  const student = await deps.people.get(studentId);
  if (!student || !canReadSchool(ctx.actor, student.schoolId)) {
    throw notFound('person.not_found', 'Обучающийся не найден');
  }
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, student.schoolId), {
    action: 'student.movements',
    object: `person:${studentId}`,
  });
  return deps.enrolments.listByStudent(studentId);
}
