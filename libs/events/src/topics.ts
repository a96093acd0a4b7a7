import type { Kafka } from 'kafkajs';

/** A topic the service publishes to or consumes from. */
export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Default: the broker's default replication factor. */
  replicationFactor?: number;
}

/** The dead-letter topic of a topic: `<topic>.dlq`. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/**
 * Creates the topics that do not exist yet, each with its `<topic>.dlq` (same partitions), and
 * waits for their leaders. Idempotent: existing topics are left as they are.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = specs
      .flatMap((spec) => [spec, { ...spec, topic: dlqTopic(spec.topic) }])
      .filter(
        (spec, i, all) => !existing.has(spec.topic) && all.findIndex((s) => s.topic === spec.topic) === i,
      );
    if (wanted.length === 0) return;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map(({ topic, partitions, replicationFactor = -1 }) => ({
          topic,
          numPartitions: partitions,
          replicationFactor,
        })),
      });
    } catch (error) {
      // Another instance created them meanwhile: that is the outcome we wanted.
      if (!isAlreadyExists(error)) throw error;
    }
  } finally {
    await admin.disconnect();
  }
}

function isAlreadyExists(error: unknown): boolean {
  const e = error as { type?: string; errors?: unknown[] };
  if (e.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isAlreadyExists);
}
