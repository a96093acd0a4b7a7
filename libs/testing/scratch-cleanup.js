// Deletes what earlier test runs left on the shared local infrastructure: topics and databases
// whose names tests made (`uniqueName`: `test-…`, databases `test_…`). A run that finishes
// drops most of its own, but a killed one cannot, and Kafka and FerretDB keep their data between
// runs (and between CI builds of one machine), so without this the leftovers only grow — and a
// consumer that reads a shared topic from the start gets slower with every run.
// Test runs of one infrastructure take turns (turbo runs packages one at a time).
const { Kafka, logLevel } = require('kafkajs');
const mongoose = require('mongoose');

const SCRATCH_TOPIC = /^test-/;
const SCRATCH_DB = /^test_/;
// Names of the scheme before the `test-` prefix (a timestamp and 8 hex digits at the end).
const LEGACY = [
  /[-_][a-z0-9]{8}[-_][0-9a-f]{8}(\.dlq)?$/,
  /_e2e_[a-z0-9]{8}_[a-z0-9]{4}$/,
  /^bench-\d{13}(\.dlq)?$/,
];
const isScratch = (pattern) => (name) => pattern.test(name) || LEGACY.some((legacy) => legacy.test(name));

async function deleteScratchTopics(brokers) {
  const admin = new Kafka({ brokers, clientId: 'test-cleanup', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter(isScratch(SCRATCH_TOPIC));
    // In batches: one request for thousands of topics can outlast the request timeout.
    for (let i = 0; i < topics.length; i += 200) {
      await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 30_000 });
    }
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}

async function dropScratchDatabases(url) {
  const client = new mongoose.mongo.MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    const names = databases.map((db) => db.name).filter(isScratch(SCRATCH_DB));
    for (const name of names) await client.db(name).dropDatabase();
    return names.length;
  } finally {
    await client.close();
  }
}

module.exports = async function cleanScratch({ kafkaBrokers, mongoUrl }) {
  const started = Date.now();
  const [topics, databases] = await Promise.all([
    deleteScratchTopics(kafkaBrokers),
    dropScratchDatabases(mongoUrl),
  ]);
  if (topics + databases > 0) {
    process.stdout.write(
      `[test] deleted ${topics} topics and ${databases} databases of earlier test runs in ` +
        `${((Date.now() - started) / 1000).toFixed(1)}s\n`,
    );
  }
};
