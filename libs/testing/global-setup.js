// Jest global setup: make sure the real local infrastructure (Kafka, FerretDB, Keycloak, Mailpit)
// is up and tell the tests where it is. `infra.sh up` is idempotent and takes a lock, so packages
// tested in parallel do not race. Set EDU_INFRA=external to use endpoints you started yourself.
// Then delete the topics, databases and Keycloak users earlier test runs left behind
// (scratch-cleanup.js).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const cleanScratch = require('./scratch-cleanup.js');

function findInfraScript() {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'deploy', 'local', 'infra.sh');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('deploy/local/infra.sh not found above ' + __dirname);
}

module.exports = async function globalSetup() {
  if (process.env.EDU_INFRA !== 'external') {
    const result = spawnSync('bash', [findInfraScript(), 'up'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('the local infrastructure did not come up (infra.sh up failed)');
  }
  process.env.EDU_KAFKA_BROKERS ??= `127.0.0.1:${process.env.EDU_KAFKA_PORT ?? 9092}`;
  process.env.EDU_MONGO_URL ??= `mongodb://127.0.0.1:${process.env.EDU_FERRETDB_PORT ?? 27017}`;
  process.env.EDU_KEYCLOAK_URL ??= `http://127.0.0.1:${process.env.EDU_KEYCLOAK_PORT ?? 8180}`;
  process.env.EDU_SMTP_URL ??= `smtp://127.0.0.1:${process.env.EDU_SMTP_PORT ?? 1025}`;
  process.env.EDU_MAILPIT_URL ??= `http://127.0.0.1:${process.env.EDU_MAILPIT_PORT ?? 8025}`;
  process.env.EDU_INFRA_SCRIPT ??= findInfraScript();
  await cleanScratch({
    kafkaBrokers: process.env.EDU_KAFKA_BROKERS.split(','),
    mongoUrl: process.env.EDU_MONGO_URL,
    keycloakUrl: process.env.EDU_KEYCLOAK_URL,
  });
};
