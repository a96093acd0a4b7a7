import * as grpc from '@grpc/grpc-js';
import { createGrpcClient } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/notifications';
import type { NotificationsPort } from '../domain/ports';

export interface NotificationsClientOptions {
  /** host:port of the notifications service's gRPC server. */
  address: string;
  /** Deadline of one call, retries included. */
  deadlineMs: number;
}

/** The notifications port over gRPC, plus `close()` for shutdown. */
export type NotificationsClient = NotificationsPort & { close(): void };

/**
 * The notifications service's gRPC client behind the port, like the diary's: reads are retried on
 * UNAVAILABLE, and so are MarkRead (marking read twice is marking read once) and GetThread (it only
 * marks the thread read besides). Versioned settings, new threads and messages, edits, deletions
 * and reports are retried only when the client sent an Idempotency-Key: a blind retry of one that
 * did reach the service would post twice or answer a conflict for the caller's own change.
 */
export function createNotificationsClient({
  address,
  deadlineMs,
}: NotificationsClientOptions): NotificationsClient {
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/notifications/v1/notifications.proto'),
  ) as unknown as ProtoGrpcType;
  return createGrpcClient(proto.edu.notifications.v1.NotificationsService, address, {
    deadlineMs,
    idempotentMethods: [
      'ListInbox',
      'MarkRead',
      'GetPreferences',
      'ListProgressReports',
      'ListThreads',
      'GetThread',
      'GetMessagingSettings',
    ],
  });
}
