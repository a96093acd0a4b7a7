import type {
  AcademicYearRepository,
  Actor,
  EnrolmentRepository,
  GuardianshipRepository,
  SchoolClassRepository,
} from './ports';
import { canManageSchool, schoolsOf, type StudentRelations } from './school-policy';

/** Where the class-teacher relation is looked up: a student's enrolments and their classes. */
export interface ClassTeacherDeps {
  enrolments: Pick<EnrolmentRepository, 'listByStudent'>;
  academicYears: Pick<AcademicYearRepository, 'get'>;
  schoolClasses: Pick<SchoolClassRepository, 'get'>;
}

/**
 * The student with the relations the policy needs. The class teachers are looked up only when
 * they could matter: not for the school's managers, nor for someone without a role there.
 */
export async function studentRelations(
  deps: ClassTeacherDeps,
  actor: Actor,
  schoolId: string,
  studentId: string,
): Promise<StudentRelations> {
  if (canManageSchool(actor, schoolId) || !actor.personId || !schoolsOf(actor).includes(schoolId)) {
    return { schoolId, classTeacherIds: [] };
  }
  const classTeacherIds: string[] = [];
  for (const enrolment of await deps.enrolments.listByStudent(studentId)) {
    if (enrolment.status !== 'active' || enrolment.schoolId !== schoolId) continue;
    const year = await deps.academicYears.get(enrolment.academicYearId);
    if (year?.status !== 'open') continue;
    const schoolClass = await deps.schoolClasses.get(enrolment.classId);
    if (schoolClass?.classTeacherId) classTeacherIds.push(schoolClass.classTeacherId);
  }
  return { schoolId, classTeacherIds };
}

/**
 * Is the actor the class teacher of this person (R1.3): of the student's current class, or of a
 * current class of one of the guardian's children (the link's school must be one of the actor's).
 */
export async function isClassTeacherOfPerson(
  deps: ClassTeacherDeps & { guardianships: Pick<GuardianshipRepository, 'listActiveByGuardian'> },
  actor: Actor,
  person: { id: string; schoolId: string; kind: string },
): Promise<boolean> {
  const me = actor.personId;
  if (!me) return false;
  const students =
    person.kind === 'student'
      ? [{ schoolId: person.schoolId, studentId: person.id }]
      : person.kind === 'guardian'
        ? await deps.guardianships.listActiveByGuardian(person.id)
        : [];
  for (const { schoolId, studentId } of students) {
    if (!schoolsOf(actor).includes(schoolId)) continue;
    const relations = await studentRelations(deps, actor, schoolId, studentId);
    if (relations.classTeacherIds.includes(me)) return true;
  }
  return false;
}
