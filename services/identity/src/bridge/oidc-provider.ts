import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SignJWT } from 'jose';
import { EsiaError } from '../esia/errors';
import type { EsiaGateway } from '../esia/esia-client';
import type { EsiaProfile, EsiaProfileSink } from '../esia/profile';
import { esiaCodeOf } from '../esia/protocol';
import { sendPage, type PageContent } from './pages';
import { redirectUriMatcher } from './redirect-uris';
import {
  InMemoryBridgeSessions,
  type BridgeSessions,
  type IssuedCode,
  type PendingAuthorization,
  type PersonClaims,
} from './sessions';
import {
  generateSigningKey,
  resolveSigningKey,
  type BridgeSigningKey,
  type ResolvedSigningKey,
} from './signing-key';

/** A relying party of the bridge: Keycloak's identity provider entry. */
export interface BridgeClient {
  clientId: string;
  clientSecret: string;
  /**
   * Exact redirect URIs where `*` stands for a host/port/path segment, e.g.
   * `http://127.0.0.1:*\/realms/edu/broker/*\/endpoint`.
   */
  redirectUriPatterns: string[];
}

/** The bits of a pino logger the bridge uses. Only outcomes are logged, never personal data. */
export interface BridgeLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

export interface EsiaBridgeOptions {
  /** The bridge's public base URL, e.g. `http://127.0.0.1:8095` (the `iss` of its tokens). */
  issuer: string;
  clients: BridgeClient[];
  /** ESIA; its redirectUri must be `<issuer>/esia/callback`. */
  esia: EsiaGateway;
  /** Called with every fresh profile before Keycloak gets its code; a failure fails the login. */
  onProfile: EsiaProfileSink;
  /** Default: an RS256 key generated at start. */
  signingKey?: BridgeSigningKey;
  now?: () => Date;
  /** Default: in memory (a single bridge replica or sticky sessions; see InMemoryBridgeSessions). */
  sessions?: BridgeSessions;
  logger?: BridgeLogger;
  /** How long a login may stay at ESIA; default 15 minutes. */
  pendingTtlMs?: number;
}

export interface EsiaBridge {
  app: express.Express;
  issuer: string;
  /** The public keys of the bridge's id_tokens (what /jwks serves). */
  jwks(): { keys: Record<string, unknown>[] };
}

const CODE_TTL_MS = 60_000;
const ACCESS_TOKEN_TTL_S = 300;
const DEFAULT_PENDING_TTL_MS = 15 * 60_000;
const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'birthdate',
  'gender',
  'preferred_username',
  'esia_oid',
  'snils',
  'esia_trusted',
  'esia_level',
];

/** Bridge problem codes (shown small on pages for support). */
const PROBLEMS = {
  badRequest: {
    code: 'identity.esia_bridge_bad_request',
    title: 'Неверный запрос на вход',
    message:
      'Запрос на вход через Госуслуги пришёл не от электронного дневника или составлен неверно. ' +
      'Откройте электронный дневник заново и нажмите «Войти через Госуслуги». Если ошибка повторится, обратитесь в службу поддержки.',
  },
  loginExpired: {
    code: 'identity.esia_login_expired',
    title: 'Сеанс входа устарел',
    message:
      'Этот вход через Госуслуги уже завершён или устарел. Откройте электронный дневник заново и начните вход ещё раз.',
  },
  profileFailed: {
    code: 'identity.esia_profile_failed',
    title: 'Не удалось завершить вход',
    message:
      'Госуслуги подтвердили вашу личность, но электронный дневник не смог сохранить данные. ' +
      'Попробуйте войти ещё раз через несколько минут. Если ошибка повторится, обратитесь в службу поддержки.',
  },
  internal: {
    code: 'identity.esia_bridge_failed',
    title: 'Не удалось войти',
    message:
      'Во время входа произошла ошибка. Попробуйте войти ещё раз через несколько минут. ' +
      'Если ошибка повторится, обратитесь в службу поддержки.',
  },
  notFound: {
    code: 'identity.not_found',
    title: 'Страница не найдена',
    message: 'Такой страницы нет. Откройте электронный дневник и начните вход заново.',
  },
} as const;

/** An OAuth error of /token, in the JSON form of RFC 6749 §5.2. */
class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );
}

/** A query or form parameter when given exactly once as a string. */
function param(source: unknown, name: string): string | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/** The claims the bridge gives Keycloak about a person (id_token and userinfo). */
export function personClaims(profile: EsiaProfile): PersonClaims {
  return {
    sub: profile.sub,
    esia_oid: profile.oid,
    snils: profile.snils,
    esia_trusted: profile.trusted,
    esia_level: profile.level,
    given_name: profile.firstName,
    family_name: profile.lastName,
    middle_name: profile.middleName,
    birthdate: profile.birthDate,
    gender: profile.gender,
    name: [profile.lastName, profile.firstName, profile.middleName].filter(Boolean).join(' '),
    preferred_username: `esia-${profile.oid}`,
  };
}

/**
 * The ESIA bridge: to Keycloak a plain OpenID Connect provider (authorization code flow, PKCE
 * S256, client_secret_post/basic), to ESIA a registered client speaking ESIA's protocol.
 */
export function createEsiaBridge(options: EsiaBridgeOptions): EsiaBridge {
  const issuer = options.issuer.replace(/\/+$/, '');
  const callbackUri = `${issuer}/esia/callback`;
  if (options.esia.redirectUri !== callbackUri) {
    throw new Error(`the ESIA client's redirectUri must be ${callbackUri}, not ${options.esia.redirectUri}`);
  }
  if (options.clients.length === 0) throw new Error('the ESIA bridge needs at least one client');
  const now = options.now ?? (() => new Date());
  const sessions = options.sessions ?? new InMemoryBridgeSessions(now);
  const key: ResolvedSigningKey = resolveSigningKey(options.signingKey ?? generateSigningKey());
  const pendingTtlMs = options.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS;
  const log = options.logger;
  const clients = new Map(
    options.clients.map((client) => [
      client.clientId,
      { ...client, redirectUriAllowed: redirectUriMatcher(client.redirectUriPatterns) },
    ]),
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [key.alg],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile'],
      claims_supported: CLAIMS_SUPPORTED,
      code_challenge_methods_supported: ['S256'],
    });
  });

  app.get('/jwks', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json({ keys: [key.publicJwk] });
  });

  app.get('/authorize', async (req, res) => {
    const query = req.query;
    const clientId = param(query, 'client_id');
    const redirectUri = param(query, 'redirect_uri');
    const client = clientId === undefined ? undefined : clients.get(clientId);
    if (!client || redirectUri === undefined || !client.redirectUriAllowed(redirectUri)) {
      log?.warn(
        { event: 'esia_bridge_authorize', outcome: 'refused', reason: client ? 'redirect_uri' : 'client' },
        'authorization refused',
      );
      sendPage(res, 400, PROBLEMS.badRequest);
      return;
    }
    // From here on the redirect URI is verified: errors go back to it (RFC 6749 §4.1.2.1).
    const state = param(query, 'state');
    const back = (error: string, description: string) => {
      log?.warn(
        { event: 'esia_bridge_authorize', outcome: 'refused', reason: error },
        'authorization refused',
      );
      res.redirect(
        302,
        withParams(redirectUri, { error, error_description: description, ...(state ? { state } : {}) }),
      );
    };
    if (param(query, 'response_type') !== 'code')
      return back('unsupported_response_type', 'only response_type=code');
    const scope = param(query, 'scope') ?? '';
    if (!scope.split(' ').includes('openid')) return back('invalid_scope', 'scope must include openid');
    if (!state) return back('invalid_request', 'state is required');
    const codeChallenge = param(query, 'code_challenge') ?? '';
    const challengeMethod = param(query, 'code_challenge_method');
    if (codeChallenge && challengeMethod !== 'S256')
      return back('invalid_request', 'only code_challenge_method=S256');
    if (!codeChallenge && challengeMethod !== undefined)
      return back('invalid_request', 'code_challenge is missing');
    if (codeChallenge && !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
      return back('invalid_request', 'bad code_challenge');

    const esiaState = randomUUID();
    const pending: PendingAuthorization = {
      kind: 'pending',
      clientId: client.clientId,
      redirectUri,
      state,
      nonce: param(query, 'nonce') ?? '',
      scope,
      codeChallenge,
    };
    await sessions.put(`pending:${esiaState}`, pending, pendingTtlMs);
    const esiaUrl = await options.esia.authorizationUrl(esiaState);
    res.set('cache-control', 'no-store').redirect(302, esiaUrl);
  });

  app.get('/esia/callback', async (req, res) => {
    const query = req.query;
    const esiaState = param(query, 'state');
    const record =
      esiaState && /^[0-9a-f-]{36}$/i.test(esiaState)
        ? await sessions.take(`pending:${esiaState}`)
        : undefined;
    if (!record || record.kind !== 'pending') {
      log?.warn({ event: 'esia_login', outcome: 'state_unknown' }, 'ESIA callback with an unknown state');
      sendPage(res, 400, PROBLEMS.loginExpired);
      return;
    }
    const pending = record;
    const backUrl = withParams(pending.redirectUri, { error: 'access_denied', state: pending.state });
    const fail = (status: number, page: PageContent, logged: Record<string, unknown>) => {
      log?.warn({ event: 'esia_login', clientId: pending.clientId, ...logged }, 'ESIA login failed');
      sendPage(res, status, { ...page, backUrl });
    };

    const error = param(query, 'error');
    const code = param(query, 'code');
    if (error !== undefined || !code) {
      const description = param(query, 'error_description');
      const esiaCode =
        esiaCodeOf(description) ??
        esiaCodeOf(error) ??
        (error === 'access_denied' ? 'ESIA-007004' : 'esia.unknown');
      const failure = new EsiaError(esiaCode, `ESIA returned error=${error ?? '(none)'}`);
      const outcome = esiaCode === 'ESIA-007004' ? 'declined' : 'esia_error';
      fail(
        esiaCode === 'ESIA-007004' ? 200 : 400,
        { title: failure.title, message: failure.message, code: esiaCode },
        { outcome, code: esiaCode },
      );
      return;
    }

    let profile: EsiaProfile;
    try {
      const tokens = await options.esia.exchangeCode(code);
      profile = await options.esia.fetchProfile(tokens.accessToken, tokens.idTokenClaims);
    } catch (caught) {
      const failure =
        caught instanceof EsiaError ? caught : new EsiaError('esia.unknown', 'unexpected failure');
      const status = failure.code === 'esia.unavailable' ? 503 : 502;
      fail(
        status,
        { title: failure.title, message: failure.message, code: failure.code },
        {
          outcome: 'esia_error',
          code: failure.code,
          detail:
            failure.detail || (caught instanceof EsiaError ? '' : String((caught as Error)?.name ?? 'error')),
        },
      );
      return;
    }
    try {
      await options.onProfile(profile);
    } catch (caught) {
      fail(503, PROBLEMS.profileFailed, {
        outcome: 'profile_failed',
        code: PROBLEMS.profileFailed.code,
        error: (caught as Error)?.name ?? 'error',
      });
      return;
    }

    const bridgeCode = randomBytes(32).toString('base64url');
    const issued: IssuedCode = {
      kind: 'code',
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      nonce: pending.nonce,
      codeChallenge: pending.codeChallenge,
      authTime: Math.floor(now().getTime() / 1000),
      claims: personClaims(profile),
    };
    await sessions.put(`code:${sha256(bridgeCode)}`, issued, CODE_TTL_MS);
    log?.info(
      {
        event: 'esia_login',
        outcome: 'success',
        clientId: pending.clientId,
        esiaLevel: profile.level,
        trusted: profile.trusted,
        children: profile.children.length,
      },
      'ESIA login succeeded',
    );
    res
      .set('cache-control', 'no-store')
      .redirect(302, withParams(pending.redirectUri, { code: bridgeCode, state: pending.state }));
  });

  const tokenRouter = express.Router();
  tokenRouter.use(express.urlencoded({ extended: false, limit: '16kb' }));
  tokenRouter.post('/token', async (req, res) => {
    res.set({ 'cache-control': 'no-store', pragma: 'no-cache' });
    try {
      const body: unknown = req.body ?? {};
      const client = authenticateClient(req.headers.authorization, body);
      if (param(body, 'grant_type') !== 'authorization_code') {
        throw new OAuthError('unsupported_grant_type', 'only authorization_code');
      }
      const code = param(body, 'code');
      if (!code) throw new OAuthError('invalid_request', 'code is required');
      const record = await sessions.take(`code:${sha256(code)}`);
      if (!record || record.kind !== 'code')
        throw new OAuthError('invalid_grant', 'the code is unknown, expired or used');
      if (record.clientId !== client.clientId)
        throw new OAuthError('invalid_grant', 'the code was issued to another client');
      if (param(body, 'redirect_uri') !== record.redirectUri) {
        throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
      }
      const verifier = param(body, 'code_verifier');
      if (record.codeChallenge) {
        if (!verifier || !PKCE_VERIFIER.test(verifier))
          throw new OAuthError('invalid_grant', 'code_verifier is missing or malformed');
        const computed = createHash('sha256').update(verifier).digest('base64url');
        if (computed !== record.codeChallenge)
          throw new OAuthError('invalid_grant', 'code_verifier does not match');
      } else if (verifier !== undefined) {
        throw new OAuthError('invalid_grant', 'code_verifier without a code_challenge');
      }

      const issuedAt = Math.floor(now().getTime() / 1000);
      const accessToken = randomBytes(32).toString('base64url');
      await sessions.put(
        `token:${sha256(accessToken)}`,
        { kind: 'token', clientId: client.clientId, claims: record.claims },
        ACCESS_TOKEN_TTL_S * 1000,
      );
      const idToken = await new SignJWT({
        ...record.claims,
        azp: client.clientId,
        auth_time: record.authTime,
        ...(record.nonce ? { nonce: record.nonce } : {}),
      })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(client.clientId)
        .setSubject(record.claims.sub)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_S)
        .sign(key.privateKey);
      log?.info(
        { event: 'esia_bridge_token', outcome: 'issued', clientId: client.clientId },
        'tokens issued',
      );
      res.json({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_TTL_S,
        id_token: idToken,
        scope: 'openid',
      });
    } catch (caught) {
      if (!(caught instanceof OAuthError)) throw caught;
      log?.warn(
        { event: 'esia_bridge_token', outcome: 'refused', error: caught.error, reason: caught.description },
        'token refused',
      );
      if (caught.status === 401) res.set('www-authenticate', 'Basic realm="esia-bridge"');
      res.status(caught.status).json({ error: caught.error, error_description: caught.description });
    }
  });
  app.use(tokenRouter);

  function authenticateClient(authorization: string | undefined, body: unknown): BridgeClient {
    let clientId = param(body, 'client_id');
    let secret = param(body, 'client_secret');
    if (authorization?.toLowerCase().startsWith('basic ')) {
      if (secret !== undefined)
        throw new OAuthError('invalid_request', 'more than one client authentication method');
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new OAuthError('invalid_client', 'malformed basic credentials', 401);
      const form = (value: string) => {
        try {
          return decodeURIComponent(value.replace(/\+/g, ' '));
        } catch {
          throw new OAuthError('invalid_client', 'malformed basic credentials', 401);
        }
      };
      const basicId = form(decoded.slice(0, colon));
      if (clientId !== undefined && clientId !== basicId)
        throw new OAuthError('invalid_request', 'client_id differs');
      clientId = basicId;
      secret = form(decoded.slice(colon + 1));
    }
    const client = clientId === undefined ? undefined : clients.get(clientId);
    // Compare even for an unknown client, so timing does not tell which client ids exist.
    const ok = sameSecret(secret ?? '', client?.clientSecret ?? randomBytes(16).toString('hex'));
    if (!client || secret === undefined || !ok)
      throw new OAuthError('invalid_client', 'client authentication failed', 401);
    return client;
  }

  const userinfo = async (req: Request, res: Response) => {
    res.set({ 'cache-control': 'no-store', pragma: 'no-cache' });
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header)?.[1];
    const record = token ? await sessions.get(`token:${sha256(token)}`) : undefined;
    if (!record || record.kind !== 'token') {
      res
        .status(401)
        .set('www-authenticate', 'Bearer error="invalid_token"')
        .json({ error: 'invalid_token', error_description: 'the access token is unknown or expired' });
      return;
    }
    res.json(record.claims);
  };
  app.get('/userinfo', userinfo);
  app.post('/userinfo', userinfo);

  app.use((_req: Request, res: Response) => sendPage(res, 404, PROBLEMS.notFound));

  // Last resort: no stack traces to anyone; /token answers in OAuth's JSON form.
  app.use((caught: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (caught as { status?: unknown })?.status;
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    log?.error(
      {
        event: 'esia_bridge_error',
        path: req.path,
        error: (caught as Error)?.name ?? 'error',
        message: clientError ? (caught as Error).message : undefined,
      },
      'ESIA bridge request failed',
    );
    if (res.headersSent) return;
    if (req.path === '/token' || req.path === '/userinfo') {
      res
        .status(clientError ? 400 : 500)
        .json(
          clientError
            ? { error: 'invalid_request', error_description: 'malformed request' }
            : { error: 'server_error' },
        );
      return;
    }
    sendPage(res, clientError ? 400 : 500, clientError ? PROBLEMS.badRequest : PROBLEMS.internal);
  });

  return { app, issuer, jwks: () => ({ keys: [{ ...key.publicJwk }] }) };
}
