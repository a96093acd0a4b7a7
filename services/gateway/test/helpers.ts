import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActorSigner, generateDevActorKeys } from '@edu/grpc';
import { createLogger, createMetrics, currentContext, type Metrics } from '@edu/kit';
import type { School__Output } from '@edu/proto/dist/generated/edu/roster/v1/School';
import { endpoints } from '@edu/testing';
import { createApp, type AppOptions } from '../src/app';
import { createTokenVerifier } from '../src/auth/token-verifier';
import type { VerifyToken } from '../src/entry-points/http/auth.middleware';
import type { RosterPort, UpstreamCallOptions } from '../src/domain/ports';

/** Log lines written by a logger, parsed. */
export function captureLogs() {
  const chunks: string[] = [];
  const logger = createLogger({
    service: 'gateway-test',
    level: 'debug',
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, raw: () => chunks.join('') };
}

/** A card that passes the OpenAPI schema (and roster's checksums). */
export const validCard = {
  fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»',
  shortName: 'Школа № 1',
  inn: '7707083893',
  ogrn: '1027700132195',
  address: 'г. Красноярск, ул. Ленина, д. 1',
  timeZone: 'Asia/Krasnoyarsk',
  licence: { number: 'Л035-01234-24/00123456', issuedOn: '2020-09-01', issuedBy: 'Министерство образования' },
};

/** One call the fake roster received. */
export interface RosterCall {
  method: 'createSchool' | 'getSchool' | 'listSchools';
  request: unknown;
  options: UpstreamCallOptions;
  /** The trace id of the context the call ran in (survives body parsing?). */
  contextTraceId: string | undefined;
}

/** Roster's message for a stored school. */
export function schoolMessage(overrides: Partial<School__Output> = {}): School__Output {
  return {
    id: 'school-1',
    full_name: validCard.fullName,
    short_name: validCard.shortName,
    inn: validCard.inn,
    ogrn: validCard.ogrn,
    address: validCard.address,
    time_zone: validCard.timeZone,
    licence: {
      number: validCard.licence.number,
      issued_on: '2020-09-01',
      issued_by: validCard.licence.issuedBy,
    },
    accreditation: { number: '', issued_on: '', valid_until: '' },
    municipality_id: '',
    version: '1',
    created_at: '2025-01-15T08:30:00.000Z',
    ...overrides,
  };
}

/**
 * A fake roster port: records every call and answers with a stored school, or fails with the
 * error given to `failWith`.
 */
export function fakeRoster() {
  const calls: RosterCall[] = [];
  let failure: unknown;
  let answer: School__Output | null = schoolMessage();
  const record = (method: RosterCall['method'], request: unknown, options: UpstreamCallOptions) => {
    calls.push({ method, request, options, contextTraceId: currentContext()?.traceId });
    if (failure !== undefined) throw failure;
  };
  const port: RosterPort = {
    async createSchool(request, options) {
      record('createSchool', request, options);
      // Like roster: the card as sent, plus what roster assigns.
      return { school: answer && ({ ...answer, ...request.school } as School__Output) };
    },
    async getSchool(request, options) {
      record('getSchool', request, options);
      return { school: answer };
    },
    async listSchools(request, options) {
      record('listSchools', request, options);
      return { schools: answer ? [answer] : [], next_page_token: 'next-1' };
    },
  };
  return {
    port,
    calls,
    failWith(error: unknown) {
      failure = error;
    },
    answerWith(school: School__Output | null) {
      answer = school;
    },
    reset() {
      calls.length = 0;
      failure = undefined;
      answer = schoolMessage();
    },
  };
}

export const actorKeys = generateDevActorKeys('test');

/** A verifier of real tokens of the local Keycloak realm. */
export function keycloakVerifier(): VerifyToken {
  return createTokenVerifier({ issuer: endpoints().issuer, audience: 'edu-gateway' });
}

export const defaultOptions: AppOptions = {
  corsOrigins: ['https://journal.example'],
  rateLimitPerMinute: 6000,
  rateLimitBurst: 1000,
  bodyLimit: '4kb',
  trustedProxyHops: 0,
};

export interface RunningApp {
  url: string;
  roster: ReturnType<typeof fakeRoster>;
  logs: ReturnType<typeof captureLogs>;
  metrics: Metrics;
  close(): Promise<void>;
}

/** createApp with a fake roster on a random port. */
export async function startApp(
  overrides: { options?: Partial<AppOptions>; verifyToken?: VerifyToken } = {},
): Promise<RunningApp> {
  const roster = fakeRoster();
  const logs = captureLogs();
  const metrics = createMetrics('gateway-test');
  const app = createApp({
    verifyToken: overrides.verifyToken ?? keycloakVerifier(),
    roster: roster.port,
    signer: new ActorSigner({ privateKey: actorKeys.privateKeyPem, kid: actorKeys.kid }),
    logger: logs.logger,
    metrics,
    options: { ...defaultOptions, ...overrides.options },
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    roster,
    logs,
    metrics,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
