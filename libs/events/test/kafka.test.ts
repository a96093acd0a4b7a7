import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { uniqueName } from '@edu/testing';
import { dlqTopic, ensureTopics } from '../src';
import { capturingLogger, testKafka } from './helpers';

describe('Kafka client and topics (real broker)', () => {
  it('when the client connects, then kafkajs logs arrive in pino', async () => {
    const { logger, lines } = capturingLogger('debug');
    const admin = testKafka(logger).admin();

    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();

    expect(
      lines().some(
        (l) => l.module === 'kafka' && typeof l.namespace === 'string' && typeof l.msg === 'string',
      ),
    ).toBe(true);
  });

  it('when a process uses the client, then Node prints no TimeoutNegativeWarning on its stderr', () => {
    // A child process: jest's sandbox has its own `process`, which never sees Node's warnings.
    const child = spawnSync(
      process.execPath,
      [
        path.join(__dirname, 'fixtures', 'run-ts.js'),
        path.join(__dirname, 'fixtures', 'kafka-client.fixture.ts'),
      ],
      { env: process.env, encoding: 'utf8', timeout: 30_000 },
    );

    expect(child.status).toBe(0);
    expect(child.stderr).not.toContain('TimeoutNegativeWarning');
  });

  it('when topics are ensured twice, also concurrently, then each exists once with its partitions and its DLQ', async () => {
    const kafka = testKafka();
    const topic = uniqueName('edu.test.topics');
    const spec = [{ topic, partitions: 4 }];

    await Promise.all([ensureTopics(kafka, spec), ensureTopics(kafka, spec)]);
    await ensureTopics(kafka, spec);

    const admin = kafka.admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic, dlqTopic(topic)] });
    await admin.deleteTopics({ topics: [topic, dlqTopic(topic)] });
    await admin.disconnect();
    expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
      [topic, 4],
      [`${topic}.dlq`, 4],
    ]);
  });
});
