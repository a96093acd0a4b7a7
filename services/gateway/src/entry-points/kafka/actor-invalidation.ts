import { createConsumer, createEventCodec, type EventConsumer, type Kafka } from '@edu/events';
import type { Logger, Metrics } from '@edu/kit';
import { protoFile } from '@edu/proto';
import type { ActorCache } from '../../domain/actor-cache';

/** Identity's facts: each names the account whose actor changed. */
export const IDENTITY_EVENT_TYPES = {
  'edu.identity.account.linked': 'edu.events.v1.AccountLinked',
  'edu.identity.account.unlinked': 'edu.events.v1.AccountUnlinked',
  'edu.identity.grant.given': 'edu.events.v1.GrantGiven',
  'edu.identity.grant.revoked': 'edu.events.v1.GrantRevoked',
  'edu.identity.temporary_login.issued': 'edu.events.v1.TemporaryLoginIssued',
  'edu.identity.temporary_login.expired': 'edu.events.v1.TemporaryLoginExpired',
  'edu.identity.temporary_login.revoked': 'edu.events.v1.TemporaryLoginRevoked',
  'edu.identity.actor.changed': 'edu.events.v1.ActorChanged',
} as const;

export interface ActorInvalidationOptions {
  kafka: Kafka;
  /** `<prefix>edu.identity.v1`. */
  topic: string;
  /**
   * This replica's own group: every gateway replica must see every event (each has its own
   * cache), so the group is per replica, e.g. `gateway-cache-<pod name>`.
   */
  groupId: string;
  cache: ActorCache;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Drops a cached actor as soon as identity says the account changed (a link, a grant, a temporary
 * login), so that a revoked grant stops working within a moment, not after the cache's TTL.
 */
export function actorInvalidationConsumer({
  kafka,
  topic,
  groupId,
  cache,
  logger,
  metrics,
}: ActorInvalidationOptions): EventConsumer {
  return createConsumer({
    kafka,
    groupId,
    topics: [topic],
    codec: createEventCodec({
      protoFiles: [protoFile('edu/events/v1/identity.proto')],
      types: IDENTITY_EVENT_TYPES,
    }),
    logger: logger.child({ module: 'actor-invalidation' }),
    metrics: { registry: metrics.registry },
    handle: async (event) => {
      const accountId = (event.payload as { account_id?: string }).account_id;
      if (accountId) cache.invalidate(accountId);
    },
  });
}
