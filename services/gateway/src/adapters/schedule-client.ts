import * as grpc from '@grpc/grpc-js';
import { createGrpcClient } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/schedule';
import type { SchedulePort } from '../domain/ports';

export interface ScheduleClientOptions {
  /** host:port of schedule's gRPC server. */
  address: string;
  /** Deadline of one call, retries included. */
  deadlineMs: number;
}

/** The schedule port over gRPC, plus `close()` for shutdown. */
export type ScheduleClient = SchedulePort & { close(): void };

/**
 * Schedule's gRPC client behind the port, like roster's: reads are retried on UNAVAILABLE;
 * commands only when the client sent an Idempotency-Key, since a retried command without one
 * could act twice.
 */
export function createScheduleClient({ address, deadlineMs }: ScheduleClientOptions): ScheduleClient {
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/schedule/v1/schedule.proto'),
  ) as unknown as ProtoGrpcType;
  return createGrpcClient(proto.edu.schedule.v1.ScheduleService, address, {
    deadlineMs,
    idempotentMethods: [
      'ListSubjects',
      'GetSubject',
      'ListAssignments',
      'GetAssignment',
      'GetBellSchedule',
      'ListBellSchedules',
      'GetCurriculum',
      'ListCurricula',
      'GetClassTimetable',
      'GetTeacherTimetable',
      'ListTimetable',
      'ListLessons',
      'GetLesson',
      'ListSubstitutions',
      'GetCurriculumFulfilment',
      'GetSchoolEvent',
      'ListSchoolEvents',
      'ListCalendarWarnings',
      'GetStudentTimetable',
    ],
  });
}
