import { newEvent, outboxFields, type EventCodec, type EventEnvelope } from '@edu/events';
import type { PublishedFact } from '../domain/model';
import type { Emit } from '../domain/ports';

// The service's own events on edu.notifications.v1: a fact decided in a unit becomes an envelope
// whose encoded form is written by the same unit into `outbox` (one document per event), and the
// outbox relay publishes it. So a message posted and its event are stored together or not at all.

export const NOTIFICATIONS_TOPIC = 'edu.notifications.v1';

/** The event types the service publishes, with their payload messages (for the codec). */
export const NOTIFICATION_EVENT_TYPES: Record<string, string> = {
  'edu.notifications.message.posted': 'edu.events.v1.MessagePosted',
  'edu.notifications.thread.reported': 'edu.events.v1.ThreadReported',
  'edu.notifications.progress_reports.sent': 'edu.events.v1.ProgressReportsSent',
};

const SERVICE_ACTOR = { accountId: 'notifications', personId: '' };

/** The envelope of a fact (proto field names in the payload). */
export function eventOf(fact: PublishedFact): EventEnvelope<unknown> {
  const event = (type: string, aggregateId: string, aggregateVersion: number, payload: unknown) =>
    newEvent({
      type,
      schoolId: fact.schoolId,
      aggregateId,
      aggregateVersion,
      actor: SERVICE_ACTOR,
      traceId: '',
      payload,
    });
  switch (fact.kind) {
    case 'messagePosted':
      return event('edu.notifications.message.posted', fact.threadId, fact.number, {
        thread_id: fact.threadId,
        school_id: fact.schoolId,
        message_id: fact.messageId,
        author_id: fact.authorId,
        thread_kind: fact.threadKind,
        student_id: fact.studentId,
        recipients: fact.recipients,
        sent_at: fact.sentAt,
      });
    case 'threadReported':
      return event('edu.notifications.thread.reported', fact.threadId, 1, {
        thread_id: fact.threadId,
        school_id: fact.schoolId,
        reported_by: fact.reportedBy,
        reported_at: fact.reportedAt,
      });
    case 'progressReportsSent':
      return event('edu.notifications.progress_reports.sent', `${fact.classId}:${fact.startsOn}`, 1, {
        class_id: fact.classId,
        school_id: fact.schoolId,
        round_starts_on: fact.startsOn,
        round_ends_on: fact.endsOn,
        reports: fact.reports,
        sent_at: fact.sentAt,
      });
  }
}

/** Writes a fact's event into the unit's outbox (topic with the environment's prefix). */
export function createEmitter(options: { codec: EventCodec; topic: string }): Emit {
  return (tx, fact) => {
    const event = eventOf(fact);
    tx.put('outbox', { _id: event.id, ...outboxFields([event], options) });
  };
}
