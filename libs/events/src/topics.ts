import type { Admin, Kafka } from 'kafkajs';

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

/** How far a consumer group is behind: messages in the topics, and those it has not committed. */
export interface GroupLag {
  /** Sum of the partitions' high watermarks. */
  end: number;
  /** Messages after the group's committed offsets (from the log start when it committed none). */
  behind: number;
  /** `behind` per topic, in the order asked. */
  perTopic: number[];
}

/** The group's lag over every partition of `topics`; 0 behind means everything is committed. */
export async function groupLag(admin: Admin, groupId: string, topics: string[]): Promise<GroupLag> {
  const lag: GroupLag = { end: 0, behind: 0, perTopic: [] };
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const topic of topics) {
    const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
    let behind = 0;
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      const at = Number(offsets.find((p) => p.partition === partition)?.offset ?? -1);
      lag.end += Number(high);
      behind += Math.max(0, Number(high) - Math.max(at, Number(low)));
    }
    lag.behind += behind;
    lag.perTopic.push(behind);
  }
  return lag;
}

/**
 * The topics a service writes and reads (with their dead-letter topics) created at start when
 * missing, as a lifecycle component: a service may start before the producers of what it reads.
 */
export function topicsComponent(
  kafka: Kafka,
  topics: string[],
  settings: { partitions: number; replicationFactor: number },
): { readonly name: 'topics'; start(): Promise<void>; stop(): Promise<void> } {
  return {
    name: 'topics',
    start: () =>
      ensureTopics(
        kafka,
        topics.map((topic) => ({ topic, ...settings })),
      ),
    stop: async () => undefined,
  };
}
