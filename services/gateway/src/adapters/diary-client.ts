import * as grpc from '@grpc/grpc-js';
import { createGrpcClient } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/diary';
import type { DiaryPort } from '../domain/ports';

export interface DiaryClientOptions {
  /** host:port of the diary's gRPC server. */
  address: string;
  /** Deadline of one call, retries included. */
  deadlineMs: number;
}

/** The diary port over gRPC, plus `close()` for shutdown. */
export type DiaryClient = DiaryPort & { close(): void };

/**
 * The diary's gRPC client behind the port, like gradebook's: reads are retried on UNAVAILABLE, and
 * so is SetSettings, which sets a value and is idempotent by design; starting a rebuild only when
 * the client sent an Idempotency-Key, since a retried start could start a second replay.
 */
export function createDiaryClient({ address, deadlineMs }: DiaryClientOptions): DiaryClient {
  const proto = grpc.loadPackageDefinition(loadProto('edu/diary/v1/diary.proto')) as unknown as ProtoGrpcType;
  return createGrpcClient(proto.edu.diary.v1.DiaryService, address, {
    deadlineMs,
    idempotentMethods: [
      'GetWeek',
      'GetWeekExtract',
      'GetSubject',
      'GetForecast',
      'GetSummary',
      'GetHome',
      'GetSettings',
      'SetSettings',
      'GetRebuildStatus',
    ],
  });
}
