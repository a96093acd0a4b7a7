import { randomUUID } from 'node:crypto';
import { EsiaError } from './errors';
import type { EsiaChild, EsiaProfile } from './profile';
import {
  authorizationSignedString,
  DEFAULT_ESIA_SCOPE,
  ESIA_ISSUER,
  esiaCodeOf,
  formatEsiaTimestamp,
  tokenSignedString,
} from './protocol';
import { elementsOf, isObject, normalizeChild, normalizeProfile, subjectOf } from './normalize';
import type { EsiaSigner } from './signer';
import type { EsiaTokenVerifier } from './token-verifier';

export interface EsiaClientOptions {
  /** ESIA's base URL, e.g. `https://esia.gosuslugi.ru` or the emulator's `http://127.0.0.1:8190`. */
  baseUrl: string;
  /** Our registered mnemonic, e.g. `EDUJOURNAL`. */
  clientId: string;
  signer: EsiaSigner;
  /** Space separated; includes `openid`. */
  scope?: string;
  /** Optional `scope_org` (not used by the journal). */
  scopeOrg?: string;
  /** Where ESIA sends the browser back: the bridge's `<issuer>/esia/callback`, registered at ESIA. */
  redirectUri: string;
  tokenVerifier: EsiaTokenVerifier;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Per request to ESIA; default 10 s. */
  timeoutMs?: number;
  /** Tolerated clock difference for the id_token's exp/nbf; default 60 s. */
  clockSkewSeconds?: number;
  /** The id_token's expected `iss`; default `http://esia.gosuslugi.ru/`. */
  issuer?: string;
}

/** What a code is exchanged for. The tokens are secrets: never log them. */
export interface EsiaTokens {
  accessToken: string;
  /** Verified claims of the id_token. */
  idTokenClaims: Record<string, unknown>;
  refreshToken: string;
}

/**
 * The part of ESIA the bridge uses; `EsiaClient` is the implementation, tests fake it.
 * Errors are `EsiaError`s.
 */
export interface EsiaGateway {
  /** The callback URI registered at ESIA (`<bridge issuer>/esia/callback`). */
  readonly redirectUri: string;
  authorizationUrl(state: string): Promise<string>;
  exchangeCode(code: string): Promise<EsiaTokens>;
  fetchProfile(accessToken: string, idTokenClaims: Record<string, unknown>): Promise<EsiaProfile>;
}

const encoder = new TextEncoder();

/** ESIA's OAuth 2.0 protocol (v2 authorization, v3 token) and its person REST API. */
export class EsiaClient implements EsiaGateway {
  readonly redirectUri: string;
  readonly scope: string;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly skewSeconds: number;
  private readonly issuer: string;

  constructor(private readonly options: EsiaClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.redirectUri = options.redirectUri;
    this.scope = options.scope ?? DEFAULT_ESIA_SCOPE;
    if (!this.scope.split(' ').includes('openid')) throw new Error('the ESIA scope must include openid');
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.skewSeconds = options.clockSkewSeconds ?? 60;
    this.issuer = options.issuer ?? ESIA_ISSUER;
  }

  /** The URL to send the browser to; `state` is a fresh UUID v4 the callback is matched by. */
  async authorizationUrl(state: string): Promise<string> {
    const timestamp = formatEsiaTimestamp(this.now());
    const fields = this.signedFields(timestamp, state);
    const clientSecret = await this.sign(authorizationSignedString(fields));
    const params: [string, string][] = [
      ['client_id', this.options.clientId],
      ['client_certificate_hash', this.options.signer.certificateHash],
      ['client_secret', clientSecret],
      ['redirect_uri', this.redirectUri],
      ['scope', this.scope],
      ...(this.options.scopeOrg ? ([['scope_org', this.options.scopeOrg]] as [string, string][]) : []),
      ['response_type', 'code'],
      ['state', state],
      ['timestamp', timestamp],
      ['access_type', 'online'],
    ];
    const query = params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
    return `${this.baseUrl}/aas/oauth2/v2/ac?${query}`;
  }

  /** Exchanges an authorization code (POST /aas/oauth2/v3/te) and verifies the id_token. */
  async exchangeCode(code: string): Promise<EsiaTokens> {
    const state = randomUUID();
    const timestamp = formatEsiaTimestamp(this.now());
    const fields = { ...this.signedFields(timestamp, state), code };
    const body = new URLSearchParams({
      client_id: this.options.clientId,
      code,
      grant_type: 'authorization_code',
      client_certificate_hash: this.options.signer.certificateHash,
      client_secret: await this.sign(tokenSignedString(fields)),
      state,
      redirect_uri: this.redirectUri,
      scope: this.scope,
      ...(this.options.scopeOrg ? { scope_org: this.options.scopeOrg } : {}),
      timestamp,
      token_type: 'Bearer',
    });
    const response = await this.request(`${this.baseUrl}/aas/oauth2/v3/te`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    const json = await this.json(response, 'token');
    if (!response.ok) throw this.errorOf(json, `the token endpoint answered ${response.status}`);
    if (json.state !== state)
      throw new EsiaError('esia.bad_response', 'the token response state differs from the one sent');
    if (typeof json.token_type === 'string' && json.token_type.toLowerCase() !== 'bearer') {
      throw new EsiaError('esia.bad_response', `unexpected token_type ${json.token_type}`);
    }
    if (typeof json.access_token !== 'string' || !json.access_token || typeof json.id_token !== 'string') {
      throw new EsiaError('esia.bad_response', 'the token response lacks access_token or id_token');
    }
    const idTokenClaims = await this.verifyIdToken(json.id_token);
    return {
      accessToken: json.access_token,
      idTokenClaims,
      refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : '',
    };
  }

  /**
   * The person (GET /rs/prns/{oid}) and, for trusted accounts only, their kids with documents
   * (GET /rs/prns/{oid}/kids?embed=(elements)), normalized.
   */
  async fetchProfile(accessToken: string, idTokenClaims: Record<string, unknown>): Promise<EsiaProfile> {
    let subject;
    try {
      subject = subjectOf(idTokenClaims);
    } catch (error) {
      throw new EsiaError('esia.bad_response', (error as Error).message);
    }
    const person = await this.getJson(`${this.baseUrl}/rs/prns/${subject.oid}`, accessToken, 'person');
    const children: EsiaChild[] = [];
    if (subject.trusted) {
      const kids = await this.getJson(
        `${this.baseUrl}/rs/prns/${subject.oid}/kids?embed=(elements)`,
        accessToken,
        'kids',
      );
      for (const element of elementsOf(kids)) {
        const kid = await this.resolve(element, accessToken, 'kid');
        const documents: unknown[] = [];
        for (const document of elementsOf(kid.documents))
          documents.push(await this.resolve(document, accessToken, 'document'));
        children.push(normalizeChild(kid, documents));
      }
    }
    return normalizeProfile(subject, person, children, this.now());
  }

  private signedFields(timestamp: string, state: string) {
    return {
      clientId: this.options.clientId,
      scope: this.scope,
      scopeOrg: this.options.scopeOrg ?? '',
      timestamp,
      state,
      redirectUri: this.redirectUri,
    };
  }

  private async sign(text: string): Promise<string> {
    const signature = await this.options.signer.sign(encoder.encode(text));
    return Buffer.from(signature).toString('base64url');
  }

  private async verifyIdToken(jwt: string): Promise<Record<string, unknown>> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.options.tokenVerifier.verify(jwt);
    } catch (error) {
      throw new EsiaError(
        'esia.bad_response',
        `the id_token signature did not verify: ${(error as Error).message}`,
      );
    }
    const now = Math.floor(this.now().getTime() / 1000);
    const problem = checkIdTokenClaims(claims, {
      issuer: this.issuer,
      audience: this.options.clientId,
      now,
      skew: this.skewSeconds,
    });
    if (problem) throw new EsiaError('esia.bad_response', `id_token: ${problem}`);
    return claims;
  }

  /** A collection element is either embedded (an object) or a URL to fetch. */
  private async resolve(
    element: unknown,
    accessToken: string,
    what: string,
  ): Promise<Record<string, unknown>> {
    if (isObject(element)) return element;
    if (typeof element === 'string') {
      const url = new URL(element, this.baseUrl);
      // Only ever send our access token to ESIA itself.
      if (url.origin !== new URL(this.baseUrl).origin) {
        throw new EsiaError('esia.bad_response', `a ${what} link points outside ESIA`);
      }
      return this.getJson(url.href, accessToken, what);
    }
    throw new EsiaError('esia.bad_response', `a ${what} element is neither an object nor a link`);
  }

  private async getJson(url: string, accessToken: string, what: string): Promise<Record<string, unknown>> {
    const response = await this.request(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    const json = await this.json(response, what);
    if (!response.ok) throw this.errorOf(json, `the ${what} request answered ${response.status}`);
    return json;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new EsiaError('esia.unavailable', `ESIA did not answer: ${(error as Error).message}`);
    }
  }

  private async json(response: Response, what: string): Promise<Record<string, unknown>> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new EsiaError('esia.unavailable', `the ${what} response broke off: ${(error as Error).message}`);
    }
    try {
      const json: unknown = JSON.parse(text);
      if (isObject(json)) return json;
    } catch {
      // fall through
    }
    // An HTML error page from a proxy in front of ESIA, a 5xx …
    throw new EsiaError(
      response.status >= 500 || response.status === 429 ? 'esia.unavailable' : 'esia.bad_response',
      `the ${what} response (${response.status}) is not a JSON object`,
    );
  }

  private errorOf(json: Record<string, unknown>, detail: string): EsiaError {
    const code =
      esiaCodeOf(typeof json.error_description === 'string' ? json.error_description : undefined) ??
      esiaCodeOf(typeof json.error === 'string' ? json.error : undefined) ??
      esiaCodeOf(typeof json.code === 'string' ? json.code : undefined) ??
      'esia.unknown';
    return new EsiaError(code, detail);
  }
}

/** Checks ESIA id_token claims; returns what is wrong (English, for logs) or undefined. */
export function checkIdTokenClaims(
  claims: Record<string, unknown>,
  expected: { issuer: string; audience: string; now: number; skew: number },
): string | undefined {
  if (claims.iss !== expected.issuer) return `iss is ${String(claims.iss)}`;
  const audience = claims.aud;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.includes(expected.audience)) return 'aud is not our client_id';
  if (typeof claims.exp !== 'number') return 'no exp';
  if (claims.exp + expected.skew <= expected.now) return 'expired';
  if (typeof claims.nbf === 'number' && claims.nbf - expected.skew > expected.now)
    return 'not yet valid (nbf)';
  if (typeof claims.iat === 'number' && claims.iat - expected.skew > expected.now)
    return 'issued in the future (iat)';
  return undefined;
}
