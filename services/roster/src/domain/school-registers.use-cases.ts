import { notFound } from '@edu/kit';
import type { AcademicYear } from './academic-year';
import { orderRegister, type OrderEntry } from './order-registry';
import type {
  AcademicYearRepository,
  Authorize,
  EnrolmentRepository,
  RequestContext,
  SchoolClassRepository,
  SchoolRepository,
  StaffPositionRepository,
  SubgroupRepository,
} from './ports';
import {
  authorizeOrHide,
  canReadCounts,
  canReadOrders,
  canReadSchool,
  canReadStaffOrders,
} from './school-policy';

// What a school's registers answer: the orders of a year (приказы) and the head counts that
// people above the school may see instead of names.

export interface SchoolRegistersDeps {
  schools: Pick<SchoolRepository, 'get'>;
  academicYears: Pick<AcademicYearRepository, 'get'>;
  schoolClasses: Pick<SchoolClassRepository, 'listByYear'>;
  enrolments: Pick<EnrolmentRepository, 'listByYear' | 'countActiveByClass'>;
  subgroups: Pick<SubgroupRepository, 'listByYear'>;
  staff: Pick<StaffPositionRepository, 'listBySchool'>;
  authorize: Authorize;
}

const yearNotFound = () => notFound('academic_year.not_found', 'Учебный год не найден');

/** The year, if the actor has a role in its school or above it; NOT_FOUND otherwise. */
async function yearFor(
  deps: SchoolRegistersDeps,
  ctx: RequestContext,
  academicYearId: string,
  action: string,
  allowed: (year: AcademicYear) => Promise<boolean> | boolean,
): Promise<AcademicYear> {
  const year = await deps.academicYears.get(academicYearId);
  if (!year) throw yearNotFound();
  const what = { action, object: `academic_year:${year.id}` };
  const may = await allowed(year);
  if (canReadSchool(ctx.actor, year.schoolId)) deps.authorize(ctx.actor, may, what);
  else authorizeOrHide(deps, ctx, may, what, yearNotFound);
  return year;
}

/**
 * The orders of a school's academic year with what each did, the latest first (R2.6, R8.2): the
 * managers and the secretary read every order, the HR officer the staff orders only.
 */
export async function listOrders(
  deps: SchoolRegistersDeps,
  ctx: RequestContext,
  academicYearId: string,
): Promise<OrderEntry[]> {
  const year = await yearFor(deps, ctx, academicYearId, 'order.list', (y) =>
    canReadStaffOrders(ctx.actor, y.schoolId),
  );
  const whole = canReadOrders(ctx.actor, year.schoolId);
  const [enrolments, subgroups, positions] = await Promise.all([
    whole ? deps.enrolments.listByYear(year.id) : [],
    whole ? deps.subgroups.listByYear(year.id) : [],
    deps.staff.listBySchool(year.schoolId, { includeDismissed: true }),
  ]);
  return orderRegister({
    year: whole ? year : { ...year, changes: [] },
    enrolments,
    subgroups,
    positions,
  });
}

/** Head counts of one grade. */
export interface GradeCount {
  grade: number;
  classes: number;
  students: number;
}

export interface SchoolCounts {
  schoolId: string;
  academicYearId: string;
  grades: GradeCount[];
  classes: number;
  students: number;
  /** People with an active staff position. */
  staff: number;
}

/**
 * Head counts of a school's academic year, by grade (open classes and their active students) and
 * the staff on the payroll: no names, so that municipal officers may read them (R1.1).
 */
export async function getSchoolCounts(
  deps: SchoolRegistersDeps,
  ctx: RequestContext,
  academicYearId: string,
): Promise<SchoolCounts> {
  const year = await yearFor(deps, ctx, academicYearId, 'school.counts', async (y) => {
    const school = await deps.schools.get(y.schoolId);
    return !!school && canReadCounts(ctx.actor, school);
  });
  const [classes, active, positions] = await Promise.all([
    deps.schoolClasses.listByYear(year.id),
    deps.enrolments.countActiveByClass(year.id),
    deps.staff.listBySchool(year.schoolId, { includeDismissed: false }),
  ]);
  const byGrade = new Map<number, GradeCount>();
  for (const schoolClass of classes) {
    const students = active.get(schoolClass.id) ?? 0;
    if (schoolClass.status !== 'open' && students === 0) continue;
    const count = byGrade.get(schoolClass.grade) ?? { grade: schoolClass.grade, classes: 0, students: 0 };
    count.classes += 1;
    count.students += students;
    byGrade.set(schoolClass.grade, count);
  }
  const grades = [...byGrade.values()].sort((a, b) => a.grade - b.grade);
  return {
    schoolId: year.schoolId,
    academicYearId: year.id,
    grades,
    classes: grades.reduce((n, g) => n + g.classes, 0),
    students: grades.reduce((n, g) => n + g.students, 0),
    staff: new Set(positions.map((p) => p.personId)).size,
  };
}
