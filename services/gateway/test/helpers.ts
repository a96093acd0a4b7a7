import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActorSigner, generateDevActorKeys, type CallOptions } from '@edu/grpc';
import { createLogger, createMetrics, currentContext, type Metrics } from '@edu/kit';
import type { AcademicYear__Output } from '@edu/proto/dist/generated/edu/roster/v1/AcademicYear';
import type { Guardianship__Output } from '@edu/proto/dist/generated/edu/roster/v1/Guardianship';
import type { Person__Output } from '@edu/proto/dist/generated/edu/roster/v1/Person';
import type { School__Output } from '@edu/proto/dist/generated/edu/roster/v1/School';
import type { SchoolClass__Output } from '@edu/proto/dist/generated/edu/roster/v1/SchoolClass';
import type { StaffPosition__Output } from '@edu/proto/dist/generated/edu/roster/v1/StaffPosition';
import type { Subgroup__Output } from '@edu/proto/dist/generated/edu/roster/v1/Subgroup';
import type { Subject__Output } from '@edu/proto/dist/generated/edu/schedule/v1/Subject';
import type { TeachingAssignment__Output } from '@edu/proto/dist/generated/edu/schedule/v1/TeachingAssignment';
import type { Curriculum__Output } from '@edu/proto/dist/generated/edu/schedule/v1/Curriculum';
import type { ClassTimetable__Output } from '@edu/proto/dist/generated/edu/schedule/v1/ClassTimetable';
import type { TimetableEntry__Output } from '@edu/proto/dist/generated/edu/schedule/v1/TimetableEntry';
import type { TimetablePublication__Output } from '@edu/proto/dist/generated/edu/schedule/v1/TimetablePublication';
import { academicYearPlanFixture, DEV_USERS, endpoints, passwordToken } from '@edu/testing';
import { createApp, type AppOptions } from '../src/app';
import { createTokenVerifier } from '../src/auth/token-verifier';
import type { VerifyToken } from '../src/entry-points/http/auth.middleware';
import type { RosterPort, SchedulePort, UpstreamCallOptions } from '../src/domain/ports';
import { fakeLessonMethods } from './schedule-lessons.fake';
import { fakeGradebook } from './gradebook.fake';
import { fakeDiary } from './diary.fake';
import { fakeNotifications } from './notifications.fake';
import { fakeIdentity } from './identity.fake';
import { actorResolver } from '../src/adapters/identity-client';
import { createActorCache } from '../src/domain/actor-cache';

/** Log lines written by a logger, parsed. */
export function captureLogs() {
  const chunks: string[] = [];
  const logger = createLogger({
    service: 'gateway-test',
    level: 'debug',
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, raw: () => chunks.join('') };
}

/** A card that passes the OpenAPI schema (and roster's checksums). */
export const validCard = {
  fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»',
  shortName: 'Школа № 1',
  inn: '7707083893',
  ogrn: '1027700132195',
  address: 'г. Красноярск, ул. Ленина, д. 1',
  timeZone: 'Asia/Krasnoyarsk',
  licence: { number: 'Л035-01234-24/00123456', issuedOn: '2020-09-01', issuedBy: 'Министерство образования' },
};

/** One call the fake roster received. */
export interface RosterCall {
  /**
   * The port's method; `people.X`, `enrolments.X`, `guardianships.X`, `staff.X` and
   * `subgroups.X` for the gRPC-named sub-ports.
   */
  method: string;
  request: unknown;
  options: UpstreamCallOptions;
  /** The trace id of the context the call ran in (survives body parsing?). */
  contextTraceId: string | undefined;
}

/** Roster's message for a stored school. */
export function schoolMessage(overrides: Partial<School__Output> = {}): School__Output {
  return {
    id: 'school-1',
    full_name: validCard.fullName,
    short_name: validCard.shortName,
    inn: validCard.inn,
    ogrn: validCard.ogrn,
    address: validCard.address,
    time_zone: validCard.timeZone,
    licence: {
      number: validCard.licence.number,
      issued_on: '2020-09-01',
      issued_by: validCard.licence.issuedBy,
    },
    accreditation: { number: '', issued_on: '', valid_until: '' },
    municipality_id: '',
    version: '1',
    created_at: '2025-01-15T08:30:00.000Z',
    ...overrides,
  };
}

/** A valid plan for POST /api/v1/schools/{schoolId}/academic-years. */
export const validPlan = academicYearPlanFixture();

/** Roster's message for a stored year of `validPlan`. */
export function academicYearMessage(overrides: Partial<AcademicYear__Output> = {}): AcademicYear__Output {
  const range = (d: { startsOn: string; endsOn: string }) => ({ starts_on: d.startsOn, ends_on: d.endsOn });
  return {
    id: 'year-1',
    school_id: 'school-1',
    name: '2026/2027',
    days: range(validPlan.days),
    holidays: validPlan.holidays.map((h) => ({ name: h.name, days: range(h.days) })),
    period_schemes: validPlan.periodSchemes.map((s) => ({
      grades: s.grades,
      kind: s.kind,
      periods: s.periods.map((p) => ({ number: p.number, days: range(p.days) })),
    })),
    closures: [],
    transfers: [],
    changes: [],
    status: 'open',
    version: '1',
    created_at: '2026-08-20T06:00:00.000Z',
    rolled_over_from: '',
    rolled_over_into: '',
    ...overrides,
  };
}

/** Roster's message for a person's full card. */
export function personMessage(overrides: Partial<Person__Output> = {}): Person__Output {
  return {
    id: 'person-1',
    school_id: 'school-1',
    kind: 'student',
    last_name: 'Иванов',
    first_name: 'Иван',
    middle_name: '',
    birth_date: '2015-03-01',
    sex: 'male',
    snils: '',
    contacts: { phone: '', email: '' },
    birth_certificate: { series: '', number: '' },
    status: 'active',
    version: '1',
    created_at: '2026-08-21T06:00:00.000Z',
    ...overrides,
  };
}

/** Roster's message for a stored class «5А» without a class teacher or capacity. */
export function schoolClassMessage(overrides: Partial<SchoolClass__Output> = {}): SchoolClass__Output {
  return {
    id: 'class-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    grade: 5,
    letter: 'А',
    name: '5А',
    class_teacher_id: '',
    capacity: 0,
    status: 'open',
    version: '1',
    created_at: '2026-08-21T06:00:00.000Z',
    ...overrides,
  };
}

const hireOrder = { number: '15-к', date: '2026-08-25', title: 'О приёме на работу' };

/** Roster's message for an active link of guardian-1 to person-1, without a consent. */
export function guardianshipMessage(overrides: Partial<Guardianship__Output> = {}): Guardianship__Output {
  return {
    id: 'link-1',
    school_id: 'school-1',
    guardian_id: 'guardian-1',
    student_id: 'person-1',
    kind: 'mother',
    status: 'active',
    consent_active: false,
    consents: [],
    linked_at: '2026-09-01T06:00:00.000Z',
    linked_by: 'account-1',
    ended_on: '',
    end_reason: '',
    ended_by: '',
    ended_at: '',
    version: '1',
    ...overrides,
  };
}

/** Roster's message for an active teacher's position of staff-1. */
export function staffPositionMessage(overrides: Partial<StaffPosition__Output> = {}): StaffPosition__Output {
  return {
    id: 'position-1',
    school_id: 'school-1',
    person_id: 'staff-1',
    kind: 'teacher',
    title: 'Учитель',
    rate: 1,
    hired_on: '2026-09-01',
    hire_order: hireOrder,
    status: 'active',
    dismissed_on: '',
    dismissal_order: { number: '', date: '', title: '' },
    dismissal_reason: '',
    history: [
      {
        kind: 'hired',
        effective_on: '2026-09-01',
        order: hireOrder,
        title: 'Учитель',
        rate: 1,
        reason: '',
        recorded_at: '2026-08-25T06:00:00.000Z',
        recorded_by: 'account-1',
      },
    ],
    version: '1',
    created_at: '2026-08-25T06:00:00.000Z',
    ...overrides,
  };
}

/** Roster's message for an open English subgroup of class-1 with one member. */
export function subgroupMessage(overrides: Partial<Subgroup__Output> = {}): Subgroup__Output {
  return {
    id: 'subgroup-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    class_id: 'class-1',
    subject_key: 'english',
    name: 'Английский язык, группа 1',
    teacher_id: '',
    member_ids: ['person-1'],
    history: [],
    status: 'open',
    version: '1',
    created_at: '2026-09-01T06:00:00.000Z',
    ...overrides,
  };
}

const personName = (id: string, lastName: string, firstName: string) => ({
  id,
  school_id: 'school-1',
  last_name: lastName,
  first_name: firstName,
  middle_name: '',
});

/**
 * A fake roster port: records every call and answers with a stored school, or fails with the
 * error given to `failWith`.
 */
export function fakeRoster() {
  const calls: RosterCall[] = [];
  let failure: unknown;
  let answer: School__Output | null = schoolMessage();
  const record = (
    method: RosterCall['method'],
    request: unknown,
    options?: UpstreamCallOptions | CallOptions,
  ) => {
    calls.push({
      method,
      request,
      options: options as UpstreamCallOptions,
      contextTraceId: currentContext()?.traceId,
    });
    if (failure !== undefined) throw failure;
  };
  const people: RosterPort['people'] = {
    async RegisterPerson(request, options) {
      record('people.RegisterPerson', request, options);
      return {
        person: personMessage({ school_id: request.school_id ?? '', kind: request.kind ?? 'student' }),
      };
    },
    async GetPerson(request, options) {
      record('people.GetPerson', request, options);
      return { person: personMessage({ id: request.id ?? '' }) };
    },
    async ListPeople(request, options) {
      record('people.ListPeople', request, options);
      return { people: [], next_page_token: '' };
    },
    async UpdatePersonContacts(request, options) {
      record('people.UpdatePersonContacts', request, options);
      return { id: request.id ?? '', version: '2', contacts: { phone: '+79131234567', email: '' } };
    },
    async ArchivePerson(request, options) {
      record('people.ArchivePerson', request, options);
      return { id: request.id ?? '', version: '2', status: 'archived' };
    },
  };
  const enrolment = (overrides: Record<string, unknown> = {}) => ({
    id: 'year-1:person-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    student_id: 'person-1',
    class_id: 'class-1',
    status: 'active',
    movements: [],
    version: '1',
    ...overrides,
  });
  const enrolments: RosterPort['enrolments'] = {
    async EnrolStudent(request, options) {
      record('enrolments.EnrolStudent', request, options);
      return { enrolment: enrolment({ class_id: request.class_id ?? '' }) };
    },
    async MoveStudent(request, options) {
      record('enrolments.MoveStudent', request, options);
      return { enrolment: enrolment({ class_id: request.to_class_id ?? '', version: '2' }) };
    },
    async ListClassStudents(request, options) {
      record('enrolments.ListClassStudents', request, options);
      return { students: [] };
    },
    async ImportRoster(request, options) {
      record('enrolments.ImportRoster', request, options);
      const count = { created: 1, unchanged: 0 };
      return {
        dry_run: request.dry_run ?? false,
        lines: 1,
        people: count,
        classes: count,
        enrolments: count,
        guardianships: count,
      };
    },
    async GetImportTemplate(request, options) {
      record('enrolments.GetImportTemplate', request, options);
      return { csv: 'код;вид\r\nu1;сотрудник' };
    },
    async GetStudentMovements(request, options) {
      record('enrolments.GetStudentMovements', request, options);
      return { enrolments: [enrolment()] };
    },
  };
  const guardianships: RosterPort['guardianships'] = {
    async LinkGuardian(request, options) {
      record('guardianships.LinkGuardian', request, options);
      return {
        guardianship: guardianshipMessage({
          student_id: request.student_id ?? '',
          guardian_id: request.guardian_id ?? '',
          kind: request.kind ?? '',
        }),
      };
    },
    async UnlinkGuardian(request, options) {
      record('guardianships.UnlinkGuardian', request, options);
      return {
        guardianship: guardianshipMessage({
          id: request.guardianship_id ?? '',
          status: 'ended',
          ended_on: request.ended_on ?? '',
          end_reason: request.reason ?? '',
          version: '2',
        }),
      };
    },
    async RecordConsent(request, options) {
      record('guardianships.RecordConsent', request, options);
      return {
        guardianship: guardianshipMessage({
          id: request.guardianship_id ?? '',
          consent_active: true,
          consents: [
            {
              given_on: request.given_on ?? '',
              document: request.document ?? '',
              recorded_by: 'account-1',
              recorded_at: '2026-09-02T06:00:00.000Z',
              revoked_on: '',
              revocation_reason: '',
              revoked_by: '',
              revoked_at: '',
            },
          ],
          version: '2',
        }),
      };
    },
    async RevokeConsent(request, options) {
      record('guardianships.RevokeConsent', request, options);
      return { guardianship: guardianshipMessage({ id: request.guardianship_id ?? '', version: '3' }) };
    },
    async ListGuardians(request, options) {
      record('guardianships.ListGuardians', request, options);
      return {
        guardians: [
          {
            guardianship: guardianshipMessage({ student_id: request.student_id ?? '' }),
            guardian: personName('guardian-1', 'Иванова', 'Мария'),
          },
        ],
      };
    },
    async ListChildren(request, options) {
      record('guardianships.ListChildren', request, options);
      return {
        children: [
          {
            guardianship: guardianshipMessage({ guardian_id: request.guardian_id ?? '' }),
            student: personName('person-1', 'Иванов', 'Иван'),
          },
        ],
      };
    },
    async GetGuardianship(request, options) {
      record('guardianships.GetGuardianship', request, options);
      return { guardianship: guardianshipMessage({ id: request.guardianship_id ?? '' }) };
    },
  };
  const staff: RosterPort['staff'] = {
    async HireStaff(request, options) {
      record('staff.HireStaff', request, options);
      return {
        position: staffPositionMessage({
          school_id: request.school_id ?? '',
          person_id: request.person_id ?? '',
          kind: request.kind ?? '',
          rate: Number(request.rate ?? 0),
        }),
      };
    },
    async ChangePosition(request, options) {
      record('staff.ChangePosition', request, options);
      return { position: staffPositionMessage({ id: request.position_id ?? '', rate: 1.5, version: '2' }) };
    },
    async DismissStaff(request, options) {
      record('staff.DismissStaff', request, options);
      return {
        position: staffPositionMessage({
          id: request.position_id ?? '',
          status: 'dismissed',
          dismissed_on: request.dismissed_on ?? '',
          dismissal_order: {
            number: request.order?.number ?? '',
            date: request.order?.date ?? '',
            title: request.order?.title ?? '',
          },
          dismissal_reason: request.reason ?? '',
          version: '2',
        }),
      };
    },
    async ListStaff(request, options) {
      record('staff.ListStaff', request, options);
      return {
        staff: [
          {
            position_id: 'position-1',
            person_id: 'staff-1',
            last_name: 'Петрова',
            first_name: 'Ольга',
            middle_name: 'Ивановна',
            kind: 'teacher',
            title: 'Учитель',
            status: 'active',
            rate: 1,
            hired_on: '2026-09-01',
            dismissed_on: '',
          },
        ],
      };
    },
    async ListPositionsOfPerson(request, options) {
      record('staff.ListPositionsOfPerson', request, options);
      return { positions: [staffPositionMessage({ person_id: request.person_id ?? '' })] };
    },
    async GetPosition(request, options) {
      record('staff.GetPosition', request, options);
      return { position: staffPositionMessage({ id: request.position_id ?? '' }) };
    },
  };
  const subgroups: RosterPort['subgroups'] = {
    async FormSubgroup(request, options) {
      record('subgroups.FormSubgroup', request, options);
      return {
        subgroup: subgroupMessage({
          class_id: request.class_id ?? '',
          name: request.name ?? '',
          member_ids: request.member_ids ?? [],
        }),
      };
    },
    async ChangeSubgroupMembers(request, options) {
      record('subgroups.ChangeSubgroupMembers', request, options);
      return { subgroup: subgroupMessage({ id: request.id ?? '', member_ids: ['person-2'], version: '2' }) };
    },
    async ChangeSubgroup(request, options) {
      record('subgroups.ChangeSubgroup', request, options);
      return { subgroup: subgroupMessage({ id: request.id ?? '', version: '2' }) };
    },
    async DisbandSubgroup(request, options) {
      record('subgroups.DisbandSubgroup', request, options);
      return { subgroup: subgroupMessage({ id: request.id ?? '', status: 'closed', version: '2' }) };
    },
    async ListSubgroups(request, options) {
      record('subgroups.ListSubgroups', request, options);
      return { subgroups: [subgroupMessage({ class_id: request.class_id ?? '' })] };
    },
    async GetSubgroup(request, options) {
      record('subgroups.GetSubgroup', request, options);
      return { subgroup: subgroupMessage({ id: request.id ?? '' }) };
    },
  };
  const yearEnd: RosterPort['yearEnd'] = {
    async CloseAcademicYear(request, options) {
      record('yearEnd.CloseAcademicYear', request, options);
      return {
        academic_year: academicYearMessage({
          id: request.academic_year_id ?? '',
          status: 'closed',
          version: '2',
        }),
      };
    },
    async RolloverAcademicYear(request, options) {
      record('yearEnd.RolloverAcademicYear', request, options);
      const dryRun = request.dry_run ?? false;
      return {
        dry_run: dryRun,
        from_academic_year_id: request.from_academic_year_id ?? '',
        from_name: '2026/2027',
        to_academic_year_id: 'year-next',
        to_name: '2027/2028',
        to_days: { starts_on: '2027-09-01', ends_on: '2028-05-31' },
        graduating_grades: [11],
        classes: [
          {
            from_class_id: 'class-5a',
            from_name: '5А',
            outcome: 'promoted',
            to_class_id: 'class-6a',
            to_name: '6А',
            students: 25,
            subgroups_kept: 0,
            class_teacher_id: 'person-1',
          },
        ],
        classes_promoted: 1,
        students_promoted: 25,
        students_graduated: 0,
        subgroups_kept: 0,
        students_not_moved: 0,
        order: { number: '120', date: '2027-06-20', title: 'О переводе' },
        completed_at: dryRun ? '' : '2027-06-20T10:00:00.000Z',
      };
    },
  };
  const registers: RosterPort['registers'] = {
    async ListOrders(request, options) {
      record('registers.ListOrders', request, options);
      return {
        orders: [
          {
            order: { number: '1-у', date: '2026-08-28', title: 'О зачислении' },
            acts: [{ kind: 'enrolled', person_ids: ['person-1'], class_ids: ['class-1'], summary: [] }],
          },
        ],
      };
    },
    async GetSchoolCounts(request, options) {
      record('registers.GetSchoolCounts', request, options);
      return {
        school_id: 'school-1',
        academic_year_id: request.academic_year_id ?? '',
        grades: [{ grade: 5, classes: 2, students: 50 }],
        classes: 2,
        students: 50,
        staff: 3,
      };
    },
  };
  const port: RosterPort = {
    people,
    enrolments,
    yearEnd,
    registers,
    guardianships,
    staff,
    subgroups,
    async createSchool(request, options) {
      record('createSchool', request, options);
      // Like roster: the card as sent, plus what roster assigns.
      return { school: answer && ({ ...answer, ...request.school } as School__Output) };
    },
    async getSchool(request, options) {
      record('getSchool', request, options);
      return { school: answer };
    },
    async changeSchool(request, options) {
      record('changeSchool', request, options);
      return { school: answer && ({ ...answer, ...request.school, version: '2' } as School__Output) };
    },
    async listSchools(request, options) {
      record('listSchools', request, options);
      return { schools: answer ? [answer] : [], next_page_token: 'next-1' };
    },
    async openAcademicYear(request, options) {
      record('openAcademicYear', request, options);
      return { academic_year: academicYearMessage({ school_id: request.school_id ?? '' }) };
    },
    async getAcademicYear(request, options) {
      record('getAcademicYear', request, options);
      return { academic_year: academicYearMessage({ id: request.id ?? '' }) };
    },
    async openClass(request, options) {
      record('openClass', request, options);
      return {
        school_class: schoolClassMessage({
          academic_year_id: request.academic_year_id ?? '',
          letter: request.letter ?? '',
        }),
      };
    },
    async getClass(request, options) {
      record('getClass', request, options);
      return { school_class: schoolClassMessage({ id: request.id ?? '' }) };
    },
    async listClasses(request, options) {
      record('listClasses', request, options);
      return { school_classes: [schoolClassMessage()] };
    },
    async changeClass(request, options) {
      record('changeClass', request, options);
      return { school_class: schoolClassMessage({ id: request.id ?? '', version: '2' }) };
    },
    async changeCalendar(request, options) {
      record('changeCalendar', request, options);
      return { academic_year: academicYearMessage({ id: request.academic_year_id ?? '', version: '2' }) };
    },
    async listAcademicYears(request, options) {
      record('listAcademicYears', request, options);
      return { academic_years: [academicYearMessage({ school_id: request.school_id ?? '' })] };
    },
  };
  return {
    port,
    calls,
    failWith(error: unknown) {
      failure = error;
    },
    answerWith(school: School__Output | null) {
      answer = school;
    },
    reset() {
      calls.length = 0;
      failure = undefined;
      answer = schoolMessage();
    },
  };
}

/** Schedule's message for the catalogue's «Математика». */
export function subjectMessage(overrides: Partial<Subject__Output> = {}): Subject__Output {
  return {
    id: 'subject-math',
    school_id: '',
    key: 'math',
    name: 'Математика',
    short_name: 'Математика',
    education_area: 'mathematics_and_informatics',
    education_area_name: 'Математика и информатика',
    split_into_subgroups: false,
    version: '1',
    created_at: '2026-08-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Schedule's message for an active assignment of staff-1 to class-1 («5А») for «Математика». */
export function teachingAssignmentMessage(
  overrides: Partial<TeachingAssignment__Output> = {},
): TeachingAssignment__Output {
  return {
    id: 'assignment-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    teacher_id: 'staff-1',
    teacher_name: 'Петрова Ольга Ивановна',
    class_id: 'class-1',
    class_name: '5А',
    subgroup_id: '',
    subgroup_name: '',
    subject_id: 'subject-math',
    subject_key: 'math',
    subject_name: 'Математика',
    starts_on: '2026-09-01',
    ends_on: '2027-05-31',
    hours_per_week: 5,
    status: 'active',
    history: [
      {
        kind: 'assigned',
        effective_on: '2026-09-01',
        reason: '',
        recorded_at: '2026-08-28T06:00:00.000Z',
        recorded_by: 'account-1',
      },
    ],
    version: '1',
    created_at: '2026-08-28T06:00:00.000Z',
    ...overrides,
  };
}

/** Schedule's message for class-1's («5А») curriculum: «Математика», 5 hours a week. */
export function curriculumMessage(overrides: Partial<Curriculum__Output> = {}): Curriculum__Output {
  return {
    id: 'curriculum-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    class_id: 'class-1',
    class_name: '5А',
    grade: 5,
    lines: [
      {
        subject_id: 'subject-math',
        subject_key: 'math',
        subject_name: 'Математика',
        education_area: 'mathematics_and_informatics',
        education_area_name: 'Математика и информатика',
        component: 'mandatory',
        component_name: 'Обязательная часть',
        hours_per_week: 5,
        period_hours: [],
        hours_per_year: 170,
      },
    ],
    total_hours_per_week: 5,
    max_hours_per_week: 29,
    total_hours_per_year: 170,
    weeks: { source: 'default', period_kind: '', per_year: 34, periods: [] },
    version: '1',
    updated_at: '2026-08-28T06:00:00.000Z',
    updated_by: 'account-1',
    ...overrides,
  };
}

/** Schedule's message for a lesson of class-1: Monday, the first lesson, «Математика» with staff-1. */
export function timetableEntryMessage(
  overrides: Partial<TimetableEntry__Output> = {},
): TimetableEntry__Output {
  return {
    weekday: 1,
    weekday_name: 'понедельник',
    lesson_number: 1,
    starts_at: '08:00',
    ends_at: '08:40',
    class_id: 'class-1',
    class_name: '5А',
    subgroup_id: '',
    subgroup_name: '',
    subject_id: 'subject-math',
    subject_name: 'Математика',
    teacher_id: 'staff-1',
    teacher_name: 'Петрова Ольга Ивановна',
    room: '214',
    week_parity: 'every',
    ...overrides,
  };
}

/** Schedule's message for class-1's week of period 1 with one lesson. */
export function classTimetableMessage(
  overrides: Partial<ClassTimetable__Output> = {},
): ClassTimetable__Output {
  return {
    id: 'timetable-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    period: 1,
    class_id: 'class-1',
    class_name: '5А',
    shift: 1,
    entries: [timetableEntryMessage()],
    version: '1',
    updated_at: '2026-08-28T06:00:00.000Z',
    updated_by: 'account-1',
    ...overrides,
  };
}

/** Schedule's message for a publication of a school's template of a period. */
export function publicationMessage(
  overrides: Partial<TimetablePublication__Output> = {},
): TimetablePublication__Output {
  return {
    id: 'publication-1',
    version: '1',
    published_at: '2026-08-30T06:00:00.000Z',
    published_by: 'account-1',
    changed_since: false,
    ...overrides,
  };
}

/** A fake schedule port, like `fakeRoster`: records every call, answers, or fails with `failWith`. */
export function fakeSchedule() {
  const calls: RosterCall[] = [];
  let failure: unknown;
  const record = (method: string, request: unknown, options?: CallOptions) => {
    calls.push({
      method,
      request,
      options: options as UpstreamCallOptions,
      contextTraceId: currentContext()?.traceId,
    });
    if (failure !== undefined) throw failure;
  };
  const bellSchedule = (schoolId: string, shift: number, version: string) => ({
    id: `bells-${shift}`,
    school_id: schoolId,
    shift,
    name: 'Основное',
    lessons: [
      { number: 1, starts_at: '08:00', ends_at: '08:40', minutes: 40, break_after_minutes: 10 },
      { number: 2, starts_at: '08:50', ends_at: '09:30', minutes: 40, break_after_minutes: 0 },
    ],
    version,
    updated_at: '2026-08-25T06:00:00.000Z',
    updated_by: 'account-1',
  });
  const port: SchedulePort = {
    ...fakeLessonMethods(record, () => ({
      timetable: classTimetableMessage(),
      publication: publicationMessage(),
    })),
    async SetBellSchedule(request, options) {
      record('SetBellSchedule', request, options);
      return {
        bell_schedule: bellSchedule(
          request.school_id ?? '',
          request.shift ?? 1,
          String(Number(request.expected_version ?? 0) + 1),
        ),
      };
    },
    async GetBellSchedule(request, options) {
      record('GetBellSchedule', request, options);
      return { bell_schedule: bellSchedule(request.school_id ?? '', request.shift ?? 1, '1') };
    },
    async ListBellSchedules(request, options) {
      record('ListBellSchedules', request, options);
      return { bell_schedules: [bellSchedule(request.school_id ?? '', 1, '1')] };
    },
    async CreateSubject(request, options) {
      record('CreateSubject', request, options);
      return {
        subject: subjectMessage({
          id: 'subject-robotics',
          school_id: request.school_id ?? '',
          key: request.key ?? '',
          name: request.name ?? '',
          short_name: request.short_name || (request.name ?? ''),
          education_area: request.education_area ?? '',
          education_area_name: 'Технология',
          split_into_subgroups: request.split_into_subgroups ?? false,
        }),
      };
    },
    async ListSubjects(request, options) {
      record('ListSubjects', request, options);
      return {
        subjects: [
          subjectMessage(),
          subjectMessage({
            id: 'subject-english',
            key: 'english',
            name: 'Иностранный язык (английский)',
            short_name: 'Англ. яз.',
            education_area: 'foreign_languages',
            education_area_name: 'Иностранные языки',
            split_into_subgroups: true,
          }),
        ],
      };
    },
    async GetSubject(request, options) {
      record('GetSubject', request, options);
      return { subject: subjectMessage({ id: request.id ?? '' }) };
    },
    async AssignTeacher(request, options) {
      record('AssignTeacher', request, options);
      return {
        assignment: teachingAssignmentMessage({
          school_id: request.school_id ?? '',
          academic_year_id: request.academic_year_id ?? '',
          teacher_id: request.teacher_id ?? '',
          class_id: request.class_id ?? '',
          subject_id: request.subject_id ?? '',
          hours_per_week: Number(request.hours_per_week ?? 0),
        }),
      };
    },
    async EndAssignment(request, options) {
      record('EndAssignment', request, options);
      const endsOn = request.ends_on || '2026-11-22';
      const assignment = teachingAssignmentMessage({ id: request.id ?? '' });
      return {
        assignment: {
          ...assignment,
          ends_on: endsOn,
          status: 'ended',
          history: [
            ...assignment.history,
            {
              kind: 'ended',
              effective_on: endsOn,
              reason: request.reason ?? '',
              recorded_at: '2026-11-23T06:00:00.000Z',
              recorded_by: 'account-1',
            },
          ],
          version: '2',
        },
      };
    },
    async ListAssignments(request, options) {
      record('ListAssignments', request, options);
      return {
        assignments: [teachingAssignmentMessage({ academic_year_id: request.academic_year_id ?? '' })],
      };
    },
    async GetAssignment(request, options) {
      record('GetAssignment', request, options);
      return { assignment: teachingAssignmentMessage({ id: request.id ?? '' }) };
    },
    async SetCurriculum(request, options) {
      record('SetCurriculum', request, options);
      return {
        curriculum: curriculumMessage({
          school_id: request.school_id ?? '',
          academic_year_id: request.academic_year_id ?? '',
          class_id: request.class_id ?? '',
          version: String(Number(request.expected_version ?? 0) + 1),
        }),
      };
    },
    async GetCurriculum(request, options) {
      record('GetCurriculum', request, options);
      return { curriculum: curriculumMessage({ class_id: request.class_id ?? '' }) };
    },
    async ListCurricula(request, options) {
      record('ListCurricula', request, options);
      return { curricula: [curriculumMessage({ school_id: request.school_id ?? '' })] };
    },
    async SetTimetableEntries(request, options) {
      record('SetTimetableEntries', request, options);
      return {
        timetable: classTimetableMessage({
          school_id: request.school_id ?? '',
          academic_year_id: request.academic_year_id ?? '',
          class_id: request.class_id ?? '',
          period: request.period ?? 1,
          version: String(Number(request.expected_version ?? 0) + 1),
        }),
      };
    },
    async PublishTimetable(request, options) {
      record('PublishTimetable', request, options);
      return {
        publication: publicationMessage(),
        classes: 1,
        entries: 1,
        lessons: { scheduled: 33, rescheduled: 0, cancelled: 0, kept: [], kept_count: 0, total: 33 },
      };
    },
    async GetClassTimetable(request, options) {
      record('GetClassTimetable', request, options);
      return {
        timetable: classTimetableMessage({ class_id: request.class_id ?? '', period: request.period ?? 1 }),
        publication: publicationMessage({ changed_since: true }),
      };
    },
    async GetTeacherTimetable(request, options) {
      record('GetTeacherTimetable', request, options);
      return {
        teacher_id: request.teacher_id ?? '',
        teacher_name: 'Петрова Ольга Ивановна',
        entries: [timetableEntryMessage({ teacher_id: request.teacher_id ?? '' })],
      };
    },
    async ListTimetable(request, options) {
      record('ListTimetable', request, options);
      return {
        classes: [classTimetableMessage({ school_id: request.school_id ?? '' })],
        publication: publicationMessage(),
      };
    },
  };
  return {
    port,
    calls,
    failWith(error: unknown) {
      failure = error;
    },
    reset() {
      calls.length = 0;
      failure = undefined;
    },
  };
}

export const actorKeys = generateDevActorKeys('test');

/** A verifier of real tokens of the local Keycloak realm. */
export function keycloakVerifier(): VerifyToken {
  return createTokenVerifier({ issuer: endpoints().issuer, audience: 'edu-gateway' });
}

export const defaultOptions: AppOptions = {
  corsOrigins: ['https://journal.example'],
  rateLimitPerMinute: 6000,
  rateLimitBurst: 1000,
  bodyLimit: '4kb',
  trustedProxyHops: 0,
};

export interface RunningApp {
  url: string;
  roster: ReturnType<typeof fakeRoster>;
  schedule: ReturnType<typeof fakeSchedule>;
  gradebook: ReturnType<typeof fakeGradebook>;
  diary: ReturnType<typeof fakeDiary>;
  notifications: ReturnType<typeof fakeNotifications>;
  identity: ReturnType<typeof fakeIdentity>;
  logs: ReturnType<typeof captureLogs>;
  metrics: Metrics;
  close(): Promise<void>;
}

/** createApp with a fake roster, schedule, gradebook, diary and notifications on a random port. */
export async function startApp(
  overrides: { options?: Partial<AppOptions>; verifyToken?: VerifyToken } = {},
): Promise<RunningApp> {
  const roster = fakeRoster();
  const schedule = fakeSchedule();
  const gradebook = fakeGradebook();
  const diary = fakeDiary();
  const notifications = fakeNotifications();
  const identity = fakeIdentity();
  const signer = new ActorSigner({ privateKey: actorKeys.privateKeyPem, kid: actorKeys.kid });
  const logs = captureLogs();
  const metrics = createMetrics('gateway-test');
  const app = createApp({
    verifyToken: overrides.verifyToken ?? keycloakVerifier(),
    resolveActor: createActorCache(actorResolver(identity.port, signer), { ttlMs: 60_000, maxEntries: 1_000 })
      .resolve,
    identity: identity.port,
    roster: roster.port,
    schedule: schedule.port,
    gradebook: gradebook.port,
    diary: diary.port,
    notifications: notifications.port,
    signer,
    logger: logs.logger,
    metrics,
    options: { ...defaultOptions, ...overrides.options },
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    roster,
    schedule,
    gradebook,
    diary,
    notifications,
    identity,
    logs,
    metrics,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A caller of the running app as one user: JSON bodies, the bearer token unless `auth: false`.
 * `token` is read at each call, so it may be set in `beforeAll`.
 */
export function apiCaller(app: () => RunningApp, token: () => string) {
  return (
    path: string,
    init: { method?: string; body?: unknown; auth?: boolean; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${app().url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.auth === false ? {} : { authorization: `Bearer ${token()}` }),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
}

/** An access token of one of the realm's dev users (real Keycloak). */
export async function devAccessToken(who: keyof typeof DEV_USERS): Promise<string> {
  const { username, password } = DEV_USERS[who];
  return (await passwordToken(username, password)).access_token;
}
