import { Kafka, logLevel, type Admin } from 'kafkajs';
import { endpoints, uniqueName, waitFor } from '../../src';

// Smoke test (a): the real broker keeps per-key order across partitions for an idempotent producer.
describe('Kafka broker (KRaft, real process)', () => {
  const kafka = new Kafka({
    clientId: 'smoke',
    brokers: endpoints().kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  let admin: Admin;
  const topic = uniqueName('smoke-order');

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('when 1,000 keyed messages go through a 6-partition topic, then a consumer group gets all of them in per-key order', async () => {
    // Arrange
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true })).toBe(
      true,
    );
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(6);

    const keys = Array.from({ length: 20 }, (_, i) => `school-${i}`);
    const sent = Array.from({ length: 1000 }, (_, i) => ({ key: keys[i % keys.length]!, value: String(i) }));

    // Act: produce (idempotent, acks=all, one request in flight)
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < sent.length; i += 100) {
      await producer.send({ topic, acks: -1, messages: sent.slice(i, i + 100) });
    }
    await producer.disconnect();

    // Act: consume with a group
    const received = new Map<string, number[]>();
    const partitionsOfKey = new Map<string, Set<number>>();
    let count = 0;
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = message.key!.toString();
        received.set(key, [...(received.get(key) ?? []), Number(message.value!.toString())]);
        partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(partition));
        count += 1;
      },
    });
    await waitFor(() => count >= sent.length, { timeoutMs: 30_000, what: '1,000 messages' });
    await consumer.disconnect();

    // Assert: every message once, each key on one partition, in the order sent.
    expect(count).toBe(1000);
    for (const key of keys) {
      const expected = sent.filter((m) => m.key === key).map((m) => Number(m.value));
      expect(received.get(key)).toEqual(expected);
      expect(partitionsOfKey.get(key)?.size).toBe(1);
    }
    const usedPartitions = new Set([...partitionsOfKey.values()].flatMap((s) => [...s]));
    expect(usedPartitions.size).toBeGreaterThan(1);
  });

  it('when a producer writes to a topic nobody created, then the broker refuses (auto-creation is off)', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    await producer.connect();
    const missing = uniqueName('smoke-missing');
    await expect(producer.send({ topic: missing, messages: [{ value: 'x' }] })).rejects.toThrow();
    await producer.disconnect();
    expect(await admin.listTopics()).not.toContain(missing);
  });
});
