import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { RosterServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/RosterService';
import {
  changeCalendar,
  closeAcademicYear,
  getAcademicYear,
  listAcademicYears,
  openAcademicYear,
} from '../../domain/academic-year.use-cases';
import type {
  AcademicYearRepository,
  EnrolmentRepository,
  GuardianshipRepository,
  PersonRepository,
  SchoolClassRepository,
  SchoolRepository,
  StaffPositionRepository,
  SubgroupRepository,
  TeachingCopyRepository,
} from '../../domain/ports';
import { getSchoolCounts, listOrders } from '../../domain/school-registers.use-cases';
import { rolloverAcademicYear } from '../../domain/year-rollover.use-cases';
import { changeClass, getClass, listClasses, openClass } from '../../domain/school-class.use-cases';
import { toMessage as classMessage } from '../../data-access/school-class.mapper';
import {
  enrolStudent,
  getStudentMovements,
  listClassStudents,
  moveStudent,
} from '../../domain/enrolment.use-cases';
import { toMessage as enrolmentMessage } from '../../data-access/enrolment.mapper';
import { IMPORT_TEMPLATE } from '../../domain/roster-import';
import { importRoster } from '../../domain/roster-import.use-cases';
import { changeSchool, createSchool, getSchool, listSchools } from '../../domain/school.use-cases';
import {
  calendarChangeFromRequest,
  planFromRequest,
  toMessage as yearMessage,
  toRolloverMessage,
} from '../../data-access/academic-year.mapper';
import { cardFromMessage, toMessage } from '../../data-access/school.mapper';

export interface RosterGrpcDeps {
  repositories: {
    schools: SchoolRepository;
    academicYears: AcademicYearRepository;
    schoolClasses: SchoolClassRepository;
    enrolments: EnrolmentRepository;
    guardianships: GuardianshipRepository;
    people: PersonRepository;
    subgroups: SubgroupRepository;
    staff: StaffPositionRepository;
    /** Roster's copy of schedule's teaching assignments. */
    teaching: TeachingCopyRepository;
  };
  newId: () => string;
  now: () => Date;
  /** Holds event publishing back during a bulk write (the outbox relay's `quiet`). */
  quietly: <T>(write: () => Promise<T>) => Promise<T>;
  /** Runs `work` while no other holder of `key` runs in this process (one rollover at a time). */
  exclusive: <T>(key: string, work: () => Promise<T>) => Promise<T>;
  idempotency: IdempotencyStore;
}

function orderFrom(order: { number: string; date: string; title: string } | null) {
  return { number: order?.number ?? '', date: order?.date ?? '', title: order?.title ?? '' };
}

/** gRPC handlers of `edu.roster.v1.RosterService`: translate, call the use case, translate back. */
export function rosterHandlers({
  repositories,
  newId,
  now,
  quietly,
  exclusive,
  idempotency,
}: RosterGrpcDeps): ServiceHandlers<RosterServiceDefinition> {
  // Every use case gets the repositories it names, the clock, ids and this call's policy port.
  const deps = (ctx: CallContext) => ({
    ...repositories,
    newId,
    now,
    quietly,
    exclusive,
    authorize: authorizeWith(ctx),
  });

  return {
    CreateSchool: async (request, ctx) => {
      const school = await once(idempotency, 'CreateSchool', request, ctx, () =>
        createSchool(deps(ctx), requestContext(ctx), cardFromMessage(request.school)),
      );
      return { school: toMessage(school) };
    },

    ChangeSchool: async (request, ctx) => {
      const school = await once(idempotency, 'ChangeSchool', request, ctx, () =>
        changeSchool(deps(ctx), requestContext(ctx), {
          id: request.id,
          expectedVersion: Number(request.expected_version),
          card: cardFromMessage(request.school),
        }),
      );
      return { school: toMessage(school) };
    },

    GetSchool: async (request, ctx) => {
      const school = await getSchool(deps(ctx), requestContext(ctx), request.id);
      return { school: toMessage(school) };
    },

    ListSchools: async (request, ctx) => {
      const page = await listSchools(deps(ctx), requestContext(ctx), {
        size: request.page_size,
        token: request.page_token,
      });
      return { schools: page.schools.map(toMessage), next_page_token: page.nextToken };
    },

    OpenAcademicYear: async (request, ctx) => {
      const year = await once(idempotency, 'OpenAcademicYear', request, ctx, () =>
        openAcademicYear(deps(ctx), requestContext(ctx), planFromRequest(request)),
      );
      return { academic_year: yearMessage(year) };
    },

    GetAcademicYear: async (request, ctx) => {
      const year = await getAcademicYear(deps(ctx), requestContext(ctx), request.id);
      return { academic_year: yearMessage(year) };
    },

    ListAcademicYears: async (request, ctx) => {
      const years = await listAcademicYears(deps(ctx), requestContext(ctx), request.school_id);
      return { academic_years: years.map(yearMessage) };
    },

    OpenClass: async (request, ctx) => {
      const schoolClass = await once(idempotency, 'OpenClass', request, ctx, () =>
        openClass(deps(ctx), requestContext(ctx), {
          academicYearId: request.academic_year_id,
          grade: request.grade,
          letter: request.letter,
          capacity: request.capacity,
        }),
      );
      return { school_class: classMessage(schoolClass) };
    },

    GetClass: async (request, ctx) => ({
      school_class: classMessage(await getClass(deps(ctx), requestContext(ctx), request.id)),
    }),

    ListClasses: async (request, ctx) => ({
      school_classes: (await listClasses(deps(ctx), requestContext(ctx), request.academic_year_id)).map(
        classMessage,
      ),
    }),

    ChangeClass: async (request, ctx) => {
      const schoolClass = await once(idempotency, 'ChangeClass', request, ctx, () =>
        changeClass(deps(ctx), requestContext(ctx), {
          id: request.id,
          expectedVersion: Number(request.expected_version),
          // proto3 has no "not given": "" and 0 keep a field; -1 clears the capacity, "-" the teacher.
          ...(request.letter ? { letter: request.letter } : {}),
          ...(request.capacity !== 0 ? { capacity: request.capacity === -1 ? 0 : request.capacity } : {}),
          ...(request.class_teacher_id
            ? { classTeacherId: request.class_teacher_id === '-' ? '' : request.class_teacher_id }
            : {}),
          close: request.close,
        }),
      );
      return { school_class: classMessage(schoolClass) };
    },

    EnrolStudent: async (request, ctx) => {
      const enrolment = await once(idempotency, 'EnrolStudent', request, ctx, () =>
        enrolStudent(deps(ctx), requestContext(ctx), {
          studentId: request.student_id,
          classId: request.class_id,
          effectiveOn: request.effective_on,
          order: orderFrom(request.order),
        }),
      );
      return { enrolment: enrolmentMessage(enrolment) };
    },

    MoveStudent: async (request, ctx) => {
      const enrolment = await once(idempotency, 'MoveStudent', request, ctx, () =>
        moveStudent(deps(ctx), requestContext(ctx), {
          enrolmentId: request.enrolment_id,
          expectedVersion: Number(request.expected_version),
          toClassId: request.to_class_id,
          effectiveOn: request.effective_on,
          order: orderFrom(request.order),
          reason: request.reason,
        }),
      );
      return { enrolment: enrolmentMessage(enrolment) };
    },

    ListClassStudents: async (request, ctx) => ({
      students: (await listClassStudents(deps(ctx), requestContext(ctx), request.class_id)).map((s) => ({
        student_id: s.studentId,
        enrolment_id: s.enrolmentId,
        last_name: s.lastName,
        first_name: s.firstName,
        middle_name: s.middleName,
        since: s.since,
        consent: s.consent,
      })),
    }),

    GetStudentMovements: async (request, ctx) => ({
      enrolments: (await getStudentMovements(deps(ctx), requestContext(ctx), request.student_id)).map(
        enrolmentMessage,
      ),
    }),

    ImportRoster: async (request, ctx) => {
      const summary = await once(idempotency, 'ImportRoster', request, ctx, () =>
        importRoster(deps(ctx), requestContext(ctx), {
          academicYearId: request.academic_year_id,
          csv: request.csv,
          dryRun: request.dry_run,
          order: orderFrom(request.order),
        }),
      );
      return {
        dry_run: summary.dryRun,
        lines: summary.lines,
        people: summary.people,
        classes: summary.classes,
        enrolments: summary.enrolments,
        guardianships: summary.guardianships,
      };
    },

    GetImportTemplate: async () => ({ csv: IMPORT_TEMPLATE }),

    CloseAcademicYear: async (request, ctx) => {
      const year = await once(idempotency, 'CloseAcademicYear', request, ctx, () =>
        closeAcademicYear(deps(ctx), requestContext(ctx), {
          academicYearId: request.academic_year_id,
          expectedVersion: Number(request.expected_version),
          order: orderFrom(request.order),
        }),
      );
      return { academic_year: yearMessage(year) };
    },

    RolloverAcademicYear: async (request, ctx) => {
      const summary = await once(idempotency, 'RolloverAcademicYear', request, ctx, () =>
        rolloverAcademicYear(deps(ctx), requestContext(ctx), {
          fromYearId: request.from_academic_year_id,
          order: orderFrom(request.order),
          dryRun: request.dry_run,
          graduatingGrades: request.graduating_grades,
          keepSubgroupIds: request.keep_subgroup_ids,
          keepSubgroupsOfClassIds: request.keep_subgroups_of_class_ids,
        }),
      );
      return toRolloverMessage(summary);
    },

    ListOrders: async (request, ctx) => {
      const orders = await listOrders(deps(ctx), requestContext(ctx), request.academic_year_id);
      return {
        orders: orders.map(({ order, acts }) => ({
          order,
          acts: acts.map((act) => ({
            kind: act.kind,
            person_ids: act.personIds,
            class_ids: act.classIds,
            summary: act.summary,
          })),
        })),
      };
    },

    GetSchoolCounts: async (request, ctx) => {
      const counts = await getSchoolCounts(deps(ctx), requestContext(ctx), request.academic_year_id);
      return {
        school_id: counts.schoolId,
        academic_year_id: counts.academicYearId,
        grades: counts.grades,
        classes: counts.classes,
        students: counts.students,
        staff: counts.staff,
      };
    },

    ChangeCalendar: async (request, ctx) => {
      const year = await once(idempotency, 'ChangeCalendar', request, ctx, () =>
        changeCalendar(deps(ctx), requestContext(ctx), calendarChangeFromRequest(request)),
      );
      return { academic_year: yearMessage(year) };
    },
  };
}
