import { Kafka, logLevel } from 'kafkajs';
import { endpoints, infra, uniqueName, waitFor } from '../../src';

// Smoke test (d): what the broker acknowledged survives a broker restart.
describe('Kafka restart safety (real process)', () => {
  it('when the broker is stopped and started between produce and consume, then nothing is lost', async () => {
    const kafka = new Kafka({
      clientId: 'smoke-restart',
      brokers: endpoints().kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const topic = uniqueName('smoke-restart');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const ids = Array.from({ length: 300 }, (_, i) => `event-${i}`);
    await producer.send({ topic, acks: -1, messages: ids.map((id, i) => ({ key: `k${i % 7}`, value: id })) });
    await producer.disconnect();

    // Act: a real stop (SIGTERM, clean shutdown) and start of the broker process.
    infra('down', 'kafka');
    infra('up', 'kafka');

    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-restart') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    await waitFor(() => seen.length >= ids.length, { timeoutMs: 30_000, what: '300 messages after restart' });
    await consumer.disconnect();

    expect(seen.sort()).toEqual([...ids].sort());
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteTopics({ topics: [topic] });
    await cleanup.disconnect();
  }, 180_000);
});
