import { newEvent, outboxFields, type EventCodec, type EventEnvelope } from '@edu/events';
import type { IdentityFact } from '../domain/model';
import type { Emit } from '../domain/ports';

// The service's own events on edu.identity.v1: ids only (never names, СНИЛС or ESIA data),
// written by the deciding unit into `outbox` and published by the relay. Record key: the school
// id ("region" for region-wide facts).

export const IDENTITY_TOPIC = 'edu.identity.v1';

export const IDENTITY_EVENT_TYPES: Record<string, string> = {
  'edu.identity.account.linked': 'edu.events.v1.AccountLinked',
  'edu.identity.account.unlinked': 'edu.events.v1.AccountUnlinked',
  'edu.identity.grant.given': 'edu.events.v1.GrantGiven',
  'edu.identity.grant.revoked': 'edu.events.v1.GrantRevoked',
  'edu.identity.temporary_login.issued': 'edu.events.v1.TemporaryLoginIssued',
  'edu.identity.temporary_login.expired': 'edu.events.v1.TemporaryLoginExpired',
  'edu.identity.temporary_login.revoked': 'edu.events.v1.TemporaryLoginRevoked',
  'edu.identity.actor.changed': 'edu.events.v1.ActorChanged',
};

const SERVICE_ACTOR = { accountId: 'identity', personId: '' };

export function eventOf(fact: IdentityFact): EventEnvelope<unknown> {
  const event = (type: string, aggregateId: string, payload: unknown) =>
    newEvent({
      type,
      schoolId: fact.schoolId || 'region',
      aggregateId,
      aggregateVersion: 1,
      actor: SERVICE_ACTOR,
      traceId: '',
      payload,
    });
  switch (fact.kind) {
    case 'accountLinked':
      return event('edu.identity.account.linked', fact.accountId, {
        account_id: fact.accountId,
        person_id: fact.personId,
        school_id: fact.schoolId,
        linked_by: fact.linkedBy,
      });
    case 'accountUnlinked':
      return event('edu.identity.account.unlinked', fact.accountId, {
        account_id: fact.accountId,
        person_id: fact.personId,
        school_id: fact.schoolId,
        reason: fact.reason,
      });
    case 'grantGiven':
      return event('edu.identity.grant.given', fact.grantId, {
        grant_id: fact.grantId,
        account_id: fact.accountId,
        role: fact.role,
        scope_id: fact.scopeId,
      });
    case 'grantRevoked':
      return event('edu.identity.grant.revoked', fact.grantId, {
        grant_id: fact.grantId,
        account_id: fact.accountId,
        role: fact.role,
        scope_id: fact.scopeId,
      });
    case 'temporaryLoginIssued':
      return event('edu.identity.temporary_login.issued', fact.temporaryLoginId, {
        temporary_login_id: fact.temporaryLoginId,
        account_id: fact.accountId,
        student_id: fact.studentId,
        school_id: fact.schoolId,
        expires_at: fact.expiresAt,
      });
    case 'temporaryLoginExpired':
      return event('edu.identity.temporary_login.expired', fact.temporaryLoginId, {
        temporary_login_id: fact.temporaryLoginId,
        account_id: fact.accountId,
        student_id: fact.studentId,
        school_id: fact.schoolId,
      });
    case 'temporaryLoginRevoked':
      return event('edu.identity.temporary_login.revoked', fact.temporaryLoginId, {
        temporary_login_id: fact.temporaryLoginId,
        account_id: fact.accountId,
        student_id: fact.studentId,
        school_id: fact.schoolId,
        reason: fact.reason,
      });
    case 'actorChanged':
      return event('edu.identity.actor.changed', fact.accountId, { account_id: fact.accountId });
  }
}

/** Writes a fact's event into the unit's outbox (topic with the environment's prefix). */
export function createEmitter(options: { codec: EventCodec; topic: string }): Emit {
  return (tx, fact) => {
    const event = eventOf(fact);
    tx.put('outbox', { _id: event.id, ...outboxFields([event], options) });
  };
}
