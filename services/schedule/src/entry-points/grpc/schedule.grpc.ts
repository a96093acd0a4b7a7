import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import type {
  AssignmentRepository,
  BellScheduleRepository,
  CalendarWarningRepository,
  CurriculumRepository,
  LessonRepository,
  RosterCopyReader,
  SchoolEventRepository,
  StudentRelationsReader,
  SubjectRepository,
  TimetableRepository,
} from '../../domain/ports';
import { createSubject, getSubject, listSubjects, type SubjectDeps } from '../../domain/subject.use-cases';
import {
  assignTeacher,
  describeAssignments,
  endAssignment,
  getAssignment,
  listAssignments,
  type AssignmentDeps,
} from '../../domain/teaching-assignment.use-cases';
import { toMessage as subjectMessage } from '../../data-access/subject.mapper';
import { toMessage as assignmentMessage } from '../../data-access/teaching-assignment.mapper';
import { bellHandlers } from './bells.grpc';
import { curriculumHandlers } from './curriculum.grpc';
import { lessonHandlers, lessonsAfterPublication } from './lesson.grpc';
import { schoolEventHandlers } from './school-event.grpc';
import { timetableHandlers } from './timetable.grpc';

export interface ScheduleGrpcDeps {
  repositories: {
    subjects: SubjectRepository;
    assignments: AssignmentRepository;
    bellSchedules: BellScheduleRepository;
    curricula: CurriculumRepository;
    timetables: TimetableRepository;
    roster: RosterCopyReader;
    lessons: LessonRepository;
    events: SchoolEventRepository;
    relations: StudentRelationsReader;
    warnings: CalendarWarningRepository;
  };
  newId: () => string;
  now: () => Date;
  idempotency: IdempotencyStore;
  /** The largest weekly load of a class of a grade (config). */
  maxWeeklyHours: (grade: number) => number;
}

/** gRPC handlers of `edu.schedule.v1.ScheduleService`: translate, call the use case, translate back. */
export function scheduleHandlers({
  repositories,
  newId,
  now,
  idempotency,
  maxWeeklyHours,
}: ScheduleGrpcDeps): ServiceHandlers<ScheduleServiceDefinition> {
  const deps = (ctx: CallContext): SubjectDeps & AssignmentDeps => ({
    ...repositories,
    newId,
    now,
    authorize: authorizeWith(ctx),
  });
  /** The message of an assignment the command returned, with names read now (not stored with the key). */
  const answer = async (assignment: Parameters<typeof describeAssignments>[1][number]) => {
    const [view] = await describeAssignments(repositories, [assignment]);
    return { assignment: assignmentMessage(view!) };
  };

  return {
    ...bellHandlers({ bellSchedules: repositories.bellSchedules, now, idempotency }),
    ...curriculumHandlers(
      {
        curricula: repositories.curricula,
        subjects: repositories.subjects,
        roster: repositories.roster,
        now,
        maxWeeklyHours,
      },
      idempotency,
    ),
    ...timetableHandlers(
      {
        timetables: repositories.timetables,
        assignments: repositories.assignments,
        subjects: repositories.subjects,
        bellSchedules: repositories.bellSchedules,
        roster: repositories.roster,
        now,
      },
      idempotency,
      lessonsAfterPublication({ ...repositories, now }),
    ),
    ...lessonHandlers({ ...repositories, now }, idempotency),
    ...schoolEventHandlers(
      {
        ...repositories,
        newId,
        now,
      },
      idempotency,
    ),

    // Subjects carry no personal data: the idempotency store may keep the whole answer.
    CreateSubject: async (request, ctx) => {
      const subject = await once(idempotency, 'CreateSubject', request, ctx, () =>
        createSubject(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          key: request.key,
          name: request.name,
          shortName: request.short_name,
          educationArea: request.education_area,
          splitIntoSubgroups: request.split_into_subgroups,
        }),
      );
      return { subject: subjectMessage(subject) };
    },

    ListSubjects: async (request, ctx) => ({
      subjects: (await listSubjects(deps(ctx), requestContext(ctx), { schoolId: request.school_id })).map(
        subjectMessage,
      ),
    }),

    GetSubject: async (request, ctx) => ({
      subject: subjectMessage(await getSubject(deps(ctx), requestContext(ctx), request.id)),
    }),

    // The key keeps the assignment (ids, dates); the teacher's name is read for each answer.
    AssignTeacher: async (request, ctx) =>
      answer(
        await once(idempotency, 'AssignTeacher', request, ctx, () =>
          assignTeacher(deps(ctx), requestContext(ctx), {
            schoolId: request.school_id,
            academicYearId: request.academic_year_id,
            teacherId: request.teacher_id,
            classId: request.class_id,
            subgroupId: request.subgroup_id,
            subjectId: request.subject_id,
            startsOn: request.starts_on,
            endsOn: request.ends_on,
            hoursPerWeek: Number(request.hours_per_week),
          }),
        ),
      ),

    EndAssignment: async (request, ctx) =>
      answer(
        await once(idempotency, 'EndAssignment', request, ctx, () =>
          endAssignment(deps(ctx), requestContext(ctx), {
            id: request.id,
            expectedVersion: Number(request.expected_version),
            endsOn: request.ends_on,
            reason: request.reason,
          }),
        ),
      ),

    ListAssignments: async (request, ctx) => ({
      assignments: (
        await listAssignments(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          academicYearId: request.academic_year_id,
          teacherId: request.teacher_id,
          classId: request.class_id,
          includeEnded: request.include_ended,
        })
      ).map(assignmentMessage),
    }),

    GetAssignment: async (request, ctx) => ({
      assignment: assignmentMessage(await getAssignment(deps(ctx), requestContext(ctx), request.id)),
    }),
  };
}
