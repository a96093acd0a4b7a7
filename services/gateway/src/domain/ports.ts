import type { CreateSchoolRequest } from '@edu/proto/dist/generated/edu/roster/v1/CreateSchoolRequest';
import type { CreateSchoolResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/CreateSchoolResponse';
import type { ChangeSchoolRequest } from '@edu/proto/dist/generated/edu/roster/v1/ChangeSchoolRequest';
import type { ChangeSchoolResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/ChangeSchoolResponse';
import type { GetSchoolRequest } from '@edu/proto/dist/generated/edu/roster/v1/GetSchoolRequest';
import type { GetSchoolResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/GetSchoolResponse';
import type { ListSchoolsRequest } from '@edu/proto/dist/generated/edu/roster/v1/ListSchoolsRequest';
import type { ListSchoolsResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/ListSchoolsResponse';
import type { ChangeCalendarRequest } from '@edu/proto/dist/generated/edu/roster/v1/ChangeCalendarRequest';
import type { ChangeCalendarResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/ChangeCalendarResponse';
import type { GetAcademicYearRequest } from '@edu/proto/dist/generated/edu/roster/v1/GetAcademicYearRequest';
import type { GetAcademicYearResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/GetAcademicYearResponse';
import type { ListAcademicYearsRequest } from '@edu/proto/dist/generated/edu/roster/v1/ListAcademicYearsRequest';
import type { ListAcademicYearsResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/ListAcademicYearsResponse';
import type { OpenAcademicYearRequest } from '@edu/proto/dist/generated/edu/roster/v1/OpenAcademicYearRequest';
import type { OpenAcademicYearResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/OpenAcademicYearResponse';
import type { OpenClassRequest } from '@edu/proto/dist/generated/edu/roster/v1/OpenClassRequest';
import type { OpenClassResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/OpenClassResponse';
import type { GetClassRequest } from '@edu/proto/dist/generated/edu/roster/v1/GetClassRequest';
import type { GetClassResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/GetClassResponse';
import type { ListClassesRequest } from '@edu/proto/dist/generated/edu/roster/v1/ListClassesRequest';
import type { ListClassesResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/ListClassesResponse';
import type { ChangeClassRequest } from '@edu/proto/dist/generated/edu/roster/v1/ChangeClassRequest';
import type { ChangeClassResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/ChangeClassResponse';
import type { PromiseClient } from '@edu/grpc';
import type { IdentityServiceDefinition } from '@edu/proto/dist/generated/edu/identity/v1/IdentityService';
import type { GuardianshipServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/GuardianshipService';
import type { PeopleServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/PeopleService';
import type { RosterServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/RosterService';
import type { StaffServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/StaffService';
import type { SubgroupServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/SubgroupService';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import type { NotificationsServiceDefinition } from '@edu/proto/dist/generated/edu/notifications/v1/NotificationsService';
import type { DiaryServiceDefinition } from '@edu/proto/dist/generated/edu/diary/v1/DiaryService';
import type { Actor } from './actor';

/** Roster's PeopleService as the gateway uses it (the gRPC client's own method names). */
export type PeoplePort = Pick<
  PromiseClient<PeopleServiceDefinition>,
  'RegisterPerson' | 'GetPerson' | 'ListPeople' | 'UpdatePersonContacts' | 'ArchivePerson'
>;

/** Students in classes: methods of roster's RosterService, under their gRPC names. */
export type EnrolmentPort = Pick<
  PromiseClient<RosterServiceDefinition>,
  | 'EnrolStudent'
  | 'MoveStudent'
  | 'ListClassStudents'
  | 'GetStudentMovements'
  | 'ImportRoster'
  | 'GetImportTemplate'
>;

/** The end of an academic year: closing it and rolling it over into the next (R2.5). */
export type YearEndPort = Pick<
  PromiseClient<RosterServiceDefinition>,
  'CloseAcademicYear' | 'RolloverAcademicYear'
>;

/** A school's registers: the orders of a year and the head counts (no names). */
export type RegistersPort = Pick<PromiseClient<RosterServiceDefinition>, 'ListOrders' | 'GetSchoolCounts'>;

/** Roster's GuardianshipService: guardians of students and their written consents. */
export type GuardianshipPort = Pick<
  PromiseClient<GuardianshipServiceDefinition>,
  | 'LinkGuardian'
  | 'UnlinkGuardian'
  | 'RecordConsent'
  | 'RevokeConsent'
  | 'ListGuardians'
  | 'ListChildren'
  | 'GetGuardianship'
>;

/** Roster's StaffService: staff positions of a school, by order. */
export type StaffPort = Pick<
  PromiseClient<StaffServiceDefinition>,
  'HireStaff' | 'ChangePosition' | 'DismissStaff' | 'ListStaff' | 'ListPositionsOfPerson' | 'GetPosition'
>;

/** Roster's SubgroupService: subgroups of a class per subject. */
export type SubgroupPort = Pick<
  PromiseClient<SubgroupServiceDefinition>,
  | 'FormSubgroup'
  | 'ChangeSubgroupMembers'
  | 'ChangeSubgroup'
  | 'DisbandSubgroup'
  | 'ListSubgroups'
  | 'GetSubgroup'
>;

/**
 * Schedule's ScheduleService as the gateway uses it (the gRPC client's own method names):
 * subjects, teaching assignments, bell schedules, curricula, the timetable, dated lessons and
 * their changes, the events calendar and a student's week; the gRPC client in production, a fake
 * in unit tests.
 */
export type SchedulePort = Pick<
  PromiseClient<ScheduleServiceDefinition>,
  | 'CreateSubject'
  | 'ListSubjects'
  | 'GetSubject'
  | 'AssignTeacher'
  | 'EndAssignment'
  | 'ListAssignments'
  | 'GetAssignment'
  | 'SetBellSchedule'
  | 'GetBellSchedule'
  | 'ListBellSchedules'
  | 'SetCurriculum'
  | 'GetCurriculum'
  | 'ListCurricula'
  | 'SetTimetableEntries'
  | 'PublishTimetable'
  | 'GetClassTimetable'
  | 'GetTeacherTimetable'
  | 'ListTimetable'
  | 'ListLessons'
  | 'GetLesson'
  | 'MoveLesson'
  | 'CancelLesson'
  | 'KeepLesson'
  | 'AddExtraLesson'
  | 'AssignSubstitute'
  | 'RevokeSubstitute'
  | 'ListSubstitutions'
  | 'GetCurriculumFulfilment'
  | 'CreateSchoolEvent'
  | 'ChangeSchoolEvent'
  | 'CancelSchoolEvent'
  | 'RecordSchoolEventResults'
  | 'GetSchoolEvent'
  | 'ListSchoolEvents'
  | 'ListCalendarWarnings'
  | 'GetStudentTimetable'
>;

/**
 * Gradebook's GradebookService as the gateway uses it (the gRPC client's own method names): the
 * grading policy, lesson records and their marks, period marks, thematic plans and the journal's
 * reads; the gRPC client in production, a fake in unit tests.
 */
export type GradebookPort = Pick<
  PromiseClient<GradebookServiceDefinition>,
  | 'GetGradingPolicy'
  | 'SetGradingPolicy'
  | 'GetLessonRecord'
  | 'SaveLessonRecord'
  | 'CorrectMark'
  | 'VoidMark'
  | 'SetAbsenceReason'
  | 'SetPeriodMark'
  | 'ListPeriodMarks'
  | 'ListLackingMarks'
  | 'SetThematicPlan'
  | 'GetThematicPlan'
  | 'GetPlanProgress'
  | 'GetJournalPage'
  | 'GetStudentMarks'
  | 'GetTeacherDay'
  | 'GetJournalKeeping'
>;

/**
 * The diary's DiaryService as the gateway uses it (the gRPC client's own method names): what
 * guardians and students read — a student's week (also as a PDF), a subject, the forecast, the
 * period's summary, the home page — plus a school's diary settings and the read model's rebuild;
 * the gRPC client in production, a fake in unit tests.
 */
export type DiaryPort = Pick<
  PromiseClient<DiaryServiceDefinition>,
  | 'GetWeek'
  | 'GetWeekExtract'
  | 'GetSubject'
  | 'GetForecast'
  | 'GetSummary'
  | 'GetHome'
  | 'GetSettings'
  | 'SetSettings'
  | 'RebuildReadModel'
  | 'GetRebuildStatus'
>;

/**
 * The notifications service's NotificationsService as the gateway uses it (the gRPC client's own
 * method names): the caller's inbox and preferences, a class's progress reports, the caller's
 * threads and a school's messaging settings; the gRPC client in production, a fake in unit tests.
 */
export type NotificationsPort = Pick<
  PromiseClient<NotificationsServiceDefinition>,
  | 'ListInbox'
  | 'MarkRead'
  | 'GetPreferences'
  | 'SetPreferences'
  | 'ListProgressReports'
  | 'StartThread'
  | 'ListThreads'
  | 'GetThread'
  | 'PostMessage'
  | 'EditMessage'
  | 'DeleteMessage'
  | 'ReportThread'
  | 'GetMessagingSettings'
  | 'SetMessagingSettings'
>;

/** What every call to a service carries besides the request. */
export interface UpstreamCallOptions {
  /** The signed actor (`x-edu-actor`), made for this request. */
  actorToken: string;
  traceId: string;
  /** The client's `Idempotency-Key`, for commands. */
  idempotencyKey?: string;
}

/** Roster as the gateway uses it; the gRPC client in production, a fake in unit tests. */
export interface RosterPort {
  people: PeoplePort;
  enrolments: EnrolmentPort;
  yearEnd: YearEndPort;
  registers: RegistersPort;
  guardianships: GuardianshipPort;
  staff: StaffPort;
  subgroups: SubgroupPort;
  createSchool(
    request: CreateSchoolRequest,
    options: UpstreamCallOptions,
  ): Promise<CreateSchoolResponse__Output>;
  getSchool(request: GetSchoolRequest, options: UpstreamCallOptions): Promise<GetSchoolResponse__Output>;
  changeSchool(
    request: ChangeSchoolRequest,
    options: UpstreamCallOptions,
  ): Promise<ChangeSchoolResponse__Output>;
  listSchools(
    request: ListSchoolsRequest,
    options: UpstreamCallOptions,
  ): Promise<ListSchoolsResponse__Output>;
  openAcademicYear(
    request: OpenAcademicYearRequest,
    options: UpstreamCallOptions,
  ): Promise<OpenAcademicYearResponse__Output>;
  getAcademicYear(
    request: GetAcademicYearRequest,
    options: UpstreamCallOptions,
  ): Promise<GetAcademicYearResponse__Output>;
  listAcademicYears(
    request: ListAcademicYearsRequest,
    options: UpstreamCallOptions,
  ): Promise<ListAcademicYearsResponse__Output>;
  changeCalendar(
    request: ChangeCalendarRequest,
    options: UpstreamCallOptions,
  ): Promise<ChangeCalendarResponse__Output>;
  openClass(request: OpenClassRequest, options: UpstreamCallOptions): Promise<OpenClassResponse__Output>;
  getClass(request: GetClassRequest, options: UpstreamCallOptions): Promise<GetClassResponse__Output>;
  listClasses(
    request: ListClassesRequest,
    options: UpstreamCallOptions,
  ): Promise<ListClassesResponse__Output>;
  changeClass(
    request: ChangeClassRequest,
    options: UpstreamCallOptions,
  ): Promise<ChangeClassResponse__Output>;
}

/** Signs the actor of one request (ActorSigner of @edu/grpc). */
export interface ActorSignerPort {
  sign(actor: Actor, options: { traceId?: string }): Promise<string>;
}

/**
 * The identity service's RPCs the gateway calls (proto method names): resolving the caller on
 * every request (cached, see actor-cache.ts), the caller's own account, and the school admins',
 * class teachers' and region operators' work with accounts, grants and temporary logins.
 */
export type IdentityPort = Pick<
  PromiseClient<IdentityServiceDefinition>,
  | 'ResolveActor'
  | 'GetMe'
  | 'ListLinkCandidates'
  | 'DecideLinkCandidate'
  | 'IssueInvitation'
  | 'RedeemInvitation'
  | 'LinkAccount'
  | 'UnlinkAccount'
  | 'ListGrants'
  | 'GiveGrant'
  | 'RevokeGrant'
  | 'IssueTemporaryLogin'
  | 'ListTemporaryLogins'
  | 'RevokeTemporaryLogin'
  | 'ListAccountDeadlines'
  | 'ListLoginAudit'
>;
