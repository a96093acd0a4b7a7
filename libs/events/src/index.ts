// @edu/events: the event plumbing every service needs in the same way (envelope, codec, topics,
// outbox and relay, consumer). kafkajs stays behind this package. No domain code here.
export { newEvent } from './envelope';
export type { EventActor, EventEnvelope, NewEvent } from './envelope';
export { PoisonMessageError, createEventCodec } from './codec';
export type { DecodedEvent, EventCodec, EventCodecOptions, PoisonReason } from './codec';
export { createKafka } from './kafka';
export type { Kafka, KafkaOptions } from './kafka';
export { dlqTopic, ensureTopics, groupLag, topicsComponent } from './topics';
export type { GroupLag, TopicSpec } from './topics';
export { outboxEntries, outboxFields, outboxPlugin, withOutbox } from './outbox';
export type { OutboxEntry, OutboxFields, OutboxOptions } from './outbox';
export { createOutboxRelay } from './relay';
export { saveVersioned } from './versioned-save';
export type { VersionedSaveOptions } from './versioned-save';
export type { OutboxLock, OutboxModel, OutboxRelay, OutboxRelayOptions } from './relay';
export { createConsumer } from './consumer';
export type {
  ConsumerOptions,
  DedupeOptions,
  EventConsumer,
  EventContext,
  EventHandler,
  EventRuns,
} from './consumer';
export type { MetricsOptions } from './metrics';
