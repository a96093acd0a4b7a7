// Logs in through «Госуслуги» (the local ESIA emulator) as one of its fixture users, the way a
// browser would (Keycloak → the identity service's ESIA bridge → the emulator and back), and shows
// what the platform knows of that person: GET /api/v1/me. Development only.
// Usage (after `npm start`): npm run login:esia [-- parent-trusted|untrusted|child-kd|child-name-only]
'use strict';
const { loginThroughEsia } = require('@edu/testing');

const gateway = process.env.EDU_GATEWAY_URL ?? 'http://127.0.0.1:8080';
const keycloak = process.env.EDU_KEYCLOAK_URL ?? `http://127.0.0.1:${process.env.EDU_KEYCLOAK_PORT ?? 8180}`;

async function main() {
  const fixtureUser = process.argv[2] ?? 'parent-trusted';
  const result = await loginThroughEsia({ keycloakUrl: keycloak, fixtureUser });
  if (!result.tokens) {
    const { status, url, body } = result.stoppedAt;
    throw new Error(
      `the login stopped at ${url} (${status}): ${body
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 400)}`,
    );
  }
  console.log(`[esia-login] ${fixtureUser}: logged in through ${result.visited.length} steps`);
  const response = await fetch(`${gateway}/api/v1/me`, {
    headers: { authorization: `Bearer ${result.tokens.access_token}` },
  });
  console.log(`[esia-login] GET /api/v1/me → ${response.status}`);
  console.log(JSON.stringify(await response.json(), null, 2));
  console.log(
    `[esia-login] the access token (valid ${result.tokens.expires_in} s):\n${result.tokens.access_token}`,
  );
}

main().catch((error) => {
  console.error(`[esia-login] failed: ${error.message}`);
  process.exit(1);
});
