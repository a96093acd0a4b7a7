import * as grpc from '@grpc/grpc-js';
import { createGrpcClient } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/gradebook';
import type { GradebookPort } from '../domain/ports';

export interface GradebookClientOptions {
  /** host:port of gradebook's gRPC server. */
  address: string;
  /** Deadline of one call, retries included. */
  deadlineMs: number;
}

/** The gradebook port over gRPC, plus `close()` for shutdown. */
export type GradebookClient = GradebookPort & { close(): void };

/**
 * Gradebook's gRPC client behind the port, like schedule's: reads are retried on UNAVAILABLE;
 * commands only when the client sent an Idempotency-Key, since a retried save without one could
 * post the same marks twice.
 */
export function createGradebookClient({ address, deadlineMs }: GradebookClientOptions): GradebookClient {
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/gradebook/v1/gradebook.proto'),
  ) as unknown as ProtoGrpcType;
  return createGrpcClient(proto.edu.gradebook.v1.GradebookService, address, {
    deadlineMs,
    idempotentMethods: [
      'GetGradingPolicy',
      'GetLessonRecord',
      'ListPeriodMarks',
      'ListLackingMarks',
      'GetThematicPlan',
      'GetPlanProgress',
      'GetJournalPage',
      'GetStudentMarks',
      'GetTeacherDay',
      'GetJournalKeeping',
    ],
  });
}
