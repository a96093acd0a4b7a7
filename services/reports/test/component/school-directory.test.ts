import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { createEventCodec, dlqTopic, newEvent, type EventCodec } from '@edu/events';
import { Lifecycle, createLogger, createMetrics, type Metrics } from '@edu/kit';
import { protoFile } from '@edu/proto';
import { endpoints, schoolCardFixture, uniqueName, uniqueTopicPrefix, waitFor } from '@edu/testing';
import { configSchema } from '../../src/config';
import { createReportsService, type ReportsService } from '../../src/reports.service';

// Reports in-process against the real Kafka and FerretDB; roster is played by a producer that
// writes what roster writes (the same envelope and payload), so each case controls delivery.
// Topics of its own (a fresh prefix): reports reads them from the start, and only this file wrote.

const TOPIC_PREFIX = uniqueTopicPrefix();
const TOPIC = `${TOPIC_PREFIX}edu.roster.v1`;

function cardEvent(
  type: 'edu.roster.school.created' | 'edu.roster.school.updated',
  schoolId: string,
  version: number,
  shortName: string,
) {
  const card = schoolCardFixture({ shortName });
  return newEvent({
    type,
    schoolId,
    aggregateId: schoolId,
    aggregateVersion: version,
    actor: { accountId: 'acc-operator', personId: '' },
    traceId: randomUUID().replaceAll('-', ''),
    payload: {
      school: {
        school_id: schoolId,
        full_name: card.fullName,
        short_name: card.shortName,
        inn: card.inn,
        ogrn: card.ogrn,
        address: card.address,
        time_zone: card.timeZone,
        municipality_id: card.municipalityId,
      },
    },
  });
}

describe('reports: the school directory from roster events (real Kafka and FerretDB)', () => {
  const dbName = uniqueName('reports_test').replace(/[^a-z0-9_]/gi, '_');
  let reports: ReportsService;
  let lifecycle: Lifecycle;
  let metrics: Metrics;
  let producer: Producer;
  let codec: EventCodec;
  const kafka = new Kafka({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });

  const directory = () =>
    reports.connection().collection<{ _id: string; version: number; shortName: string }>('school_directory');
  const send = (schoolId: string, value: Buffer, type: string) =>
    producer.send({ topic: TOPIC, acks: -1, messages: [{ key: schoolId, value, headers: { type } }] });
  const sendEvent = (event: ReturnType<typeof cardEvent>) =>
    send(event.schoolId, codec.encode(event), event.type);
  const metric = async (name: string, labels: Record<string, string>) => {
    const found = (await metrics.registry.getSingleMetric(name)?.get())?.values.find((v) =>
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
    );
    return found?.value ?? 0;
  };

  beforeAll(async () => {
    const config = {
      ...configSchema.parse({
        EDU_MONGO_URL: endpoints().mongoUrl,
        EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
        EDU_MONGO_DB: dbName,
        EDU_KAFKA_TOPIC_PREFIX: TOPIC_PREFIX,
        EDU_KAFKA_GROUP: uniqueName('reports-test'),
        EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'silent',
      }),
      EDU_OPS_PORT: 0,
    };
    const logger = createLogger({ service: 'reports', level: config.EDU_LOG_LEVEL });
    metrics = createMetrics('reports');
    reports = createReportsService(config, logger, metrics);
    lifecycle = new Lifecycle({ logger, components: reports.components });
    await lifecycle.start();
    codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/roster.proto')],
      types: {
        'edu.roster.school.created': 'edu.events.v1.SchoolCreated',
        'edu.roster.school.updated': 'edu.events.v1.SchoolUpdated',
      },
    });
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await reports.connection().dropDatabase();
    await lifecycle.shutdown();
  });

  it('when a school is created in roster, then the directory has its card at version 1', async () => {
    const schoolId = randomUUID();

    await sendEvent(cardEvent('edu.roster.school.created', schoolId, 1, 'Школа 1'));

    await waitFor(async () => (await directory().findOne({ _id: schoolId })) !== null, { timeoutMs: 20_000 });
    expect(await directory().findOne({ _id: schoolId })).toMatchObject({ version: 1, shortName: 'Школа 1' });
  });

  it('when the same event comes twice and an old one after a newer, then the newest card stays', async () => {
    const schoolId = randomUUID();
    const created = cardEvent('edu.roster.school.created', schoolId, 1, 'Было');
    const updated = cardEvent('edu.roster.school.updated', schoolId, 2, 'Стало');
    const marker = cardEvent('edu.roster.school.created', randomUUID(), 1, 'Метка');

    await sendEvent(created);
    await sendEvent(updated);
    await sendEvent(updated);
    await sendEvent(created);
    // Same key, same partition, so in order: once the marker is applied, the events before it were handled.
    await send(schoolId, codec.encode({ ...marker, schoolId }), marker.type);

    await waitFor(async () => (await directory().findOne({ _id: marker.aggregateId })) !== null, {
      timeoutMs: 20_000,
    });
    expect(await directory().findOne({ _id: schoolId })).toMatchObject({ version: 2, shortName: 'Стало' });
    expect(await directory().countDocuments({ _id: schoolId })).toBe(1);
  });

  it('when a message cannot be decoded, then it lands in the DLQ and the next event is still applied', async () => {
    const schoolId = randomUUID();
    const dlq = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    const dead: { key: string; error: string; originalTopic: string }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: dlqTopic(TOPIC), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push({
          key: message.key?.toString() ?? '',
          error: message.headers?.error?.toString() ?? '',
          originalTopic: message.headers?.['original-topic']?.toString() ?? '',
        });
      },
    });
    const before = await metric('events_dlq_total', { topic: TOPIC, reason: 'poison' });

    try {
      await send(schoolId, Buffer.from('not a protobuf envelope at all'), 'edu.roster.school.created');
      await sendEvent(cardEvent('edu.roster.school.created', schoolId, 1, 'После яда'));

      await waitFor(() => dead.some((m) => m.key === schoolId), { timeoutMs: 20_000 });
      await waitFor(async () => (await directory().findOne({ _id: schoolId })) !== null, {
        timeoutMs: 20_000,
      });
      expect(dead.find((m) => m.key === schoolId)).toMatchObject({
        originalTopic: TOPIC,
        error: expect.stringMatching(/\S/),
      });
      expect(await metric('events_dlq_total', { topic: TOPIC, reason: 'poison' })).toBe(before + 1);
    } finally {
      await dlq.disconnect();
    }
  });
});
