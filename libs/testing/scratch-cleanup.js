// Deletes what earlier test runs left on the shared local infrastructure: topics, databases, and
// users and clients of Keycloak realm `edu`, whose names tests made (`uniqueName`: `test-…`,
// databases `test_…`). A run that finishes drops most of its own, but a killed one cannot, and
// Kafka, FerretDB and Keycloak keep their data between runs (and between CI builds of one
// machine), so without this the leftovers only grow — and a consumer that reads a shared topic
// from the start gets slower with every run.
// Only what is older than STALE_AFTER_MS goes (names carry their creation time), so a test run
// started alongside another one does not pull the floor from under it.
const { Kafka, logLevel } = require('kafkajs');
const mongoose = require('mongoose');

const SCRATCH_TOPIC = /^test-/;
const SCRATCH_DB = /^test_/;
const SCRATCH_KEYCLOAK = 'test-';
// Names of the scheme before the `test-` prefix (a timestamp and 8 hex digits at the end).
const LEGACY = [
  /[-_][a-z0-9]{8}[-_][0-9a-f]{8}(\.dlq)?$/,
  /_e2e_[a-z0-9]{8}_[a-z0-9]{4}$/,
  /^bench-\d{13}(\.dlq)?$/,
];
const STALE_AFTER_MS = 30 * 60_000;

// `uniqueName` puts Date.now() in base 36 between separators; a name without one (legacy) is stale.
function createdAt(name) {
  for (const [, time] of name.matchAll(/[-_]([0-9a-z]{8})(?=[-_])/g)) {
    const ms = parseInt(time, 36);
    if (ms > Date.UTC(2020, 0) && ms < Date.UTC(2100, 0)) return ms;
  }
  return 0;
}
const isStale = (name) => Date.now() - createdAt(name) > STALE_AFTER_MS;
const isScratch = (pattern) => (name) =>
  (pattern.test(name) || LEGACY.some((legacy) => legacy.test(name))) && isStale(name);

async function deleteScratchTopics(brokers) {
  const admin = new Kafka({ brokers, clientId: 'test-cleanup', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter(isScratch(SCRATCH_TOPIC));
    // In batches: one request for thousands of topics can outlast the request timeout.
    for (let i = 0; i < topics.length; i += 200) {
      await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 30_000 });
    }
    // Deletion finishes in the background: a broker still dropping hundreds of partitions answers
    // a new topic's metadata with "does not host this topic-partition" for a while. Settled means
    // a probe topic can be created and led; until then, wait (at most a minute).
    if (topics.length > 0) await waitUntilTopicsCanBeCreated(admin);
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}

async function waitUntilTopicsCanBeCreated(admin) {
  const probes = [];
  const until = Date.now() + 60_000;
  try {
    for (;;) {
      // A fresh name each attempt: an attempt that failed half-way may have created its topic.
      const probe = `test-settle-${process.pid}-${Date.now()}`;
      probes.push(probe);
      try {
        await admin.createTopics({ topics: [{ topic: probe, numPartitions: 1 }], waitForLeaders: true });
        await admin.fetchTopicMetadata({ topics: [probe] });
        return;
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  } finally {
    await admin.deleteTopics({ topics: probes }).catch(() => undefined);
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

// Users of realm `edu` whose username starts with `test-` (`createTestUser`), and clients whose
// clientId does (a test's own client), through the admin REST API as the local admin (the
// credentials infra.sh bootstraps Keycloak with). One search each (Keycloak's user search also
// matches email and names, so the prefix is checked here), then one delete each.
async function deleteScratchKeycloak(keycloakUrl) {
  const signal = () => AbortSignal.timeout(10_000);
  const login = await fetch(`${keycloakUrl}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: process.env.EDU_KEYCLOAK_ADMIN ?? 'admin',
      password: process.env.EDU_KEYCLOAK_ADMIN_PASSWORD ?? 'dev-admin-password',
    }),
    signal: signal(),
  });
  if (!login.ok) throw new Error(`Keycloak refused the admin login: ${login.status}`);
  const headers = { authorization: `Bearer ${(await login.json()).access_token}` };
  const realm = `${keycloakUrl}/admin/realms/edu`;
  const scratch = async (collection, query, name) => {
    const found = await fetch(`${realm}/${collection}?${query}`, { headers, signal: signal() });
    if (!found.ok) throw new Error(`Keycloak ${collection} search failed: ${found.status}`);
    return (await found.json())
      .filter((item) => item[name].startsWith(SCRATCH_KEYCLOAK) && isStale(item[name]))
      .map((item) => item.id);
  };
  const remove = async (collection, ids) => {
    // A few at a time: Keycloak is shared with the tests that start next.
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map(async (id) => {
          const response = await fetch(`${realm}/${collection}/${id}`, {
            method: 'DELETE',
            headers,
            signal: signal(),
          });
          if (!response.ok && response.status !== 404) {
            throw new Error(`deleting ${collection}/${id}: ${response.status}`);
          }
        }),
      );
    }
    return ids.length;
  };
  const users = await scratch(
    'users',
    `search=${SCRATCH_KEYCLOAK}&briefRepresentation=true&max=1000`,
    'username',
  );
  const clients = await scratch('clients', `clientId=${SCRATCH_KEYCLOAK}&search=true&max=1000`, 'clientId');
  return (await remove('users', users)) + (await remove('clients', clients));
}

module.exports = async function cleanScratch({ kafkaBrokers, mongoUrl, keycloakUrl }) {
  const started = Date.now();
  const [topics, databases, keycloak] = await Promise.all([
    deleteScratchTopics(kafkaBrokers),
    dropScratchDatabases(mongoUrl),
    // Leftover users and clients only take room: a Keycloak this cannot clean (another admin
    // password with EDU_INFRA=external) is worth a warning, not a failed run.
    deleteScratchKeycloak(keycloakUrl).catch((error) => {
      process.stdout.write(`[test] warning: Keycloak users and clients not cleaned up: ${error.message}\n`);
      return 0;
    }),
  ]);
  if (topics + databases + keycloak > 0) {
    process.stdout.write(
      `[test] deleted ${topics} topics, ${databases} databases and ${keycloak} Keycloak users and ` +
        `clients of earlier test runs in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
    );
  }
};
