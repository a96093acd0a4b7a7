import { createHash, randomBytes } from 'node:crypto';

// Browser-free logins through Keycloak's authorization code flow with PKCE (client edu-web): an
// HTTP client that follows redirects by hand, keeps cookies per host as a browser would, and
// fills the forms a person would — through the identity provider `esia` (the identity service's
// ESIA bridge and the ESIA emulator, told which fixture user consents by its test header), or
// with a username and password (and a new password when Keycloak asks for one).

export interface EsiaLoginOptions {
  /** e.g. http://127.0.0.1:8180 */
  keycloakUrl: string;
  realm?: string;
  /** The public client with the authorization code flow and PKCE (edu-web). */
  clientId?: string;
  /** One of the client's exact redirect URIs; never fetched, only its `code` is read. */
  redirectUri?: string;
  /** The identity provider's alias (`esia`, or a test's own). */
  idpAlias?: string;
  /** The emulator's fixture user (`parent-trusted`, `untrusted`, `child-kd`, `child-name-only`). */
  fixtureUser?: string;
  /** The emulator's decline header instead of a user. */
  decline?: boolean;
  /** Most redirects followed. */
  maxHops?: number;
}

export interface EsiaLoginResult {
  /** Set when the flow ended at the client's redirect URI with a code and it was exchanged. */
  tokens?: { access_token: string; refresh_token?: string; id_token?: string; expires_in: number };
  /** Where the flow stopped otherwise: the last page's status, URL and text (an error page). */
  stoppedAt?: { status: number; url: string; body: string };
  /** Every URL visited, in order (for diagnostics). */
  visited: string[];
}

/** Cookies per host, as a browser keeps them (names and values only: enough for Keycloak). */
class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq <= 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    this.byHost.set(host, jar);
  }

  header(url: string): string {
    const jar = this.byHost.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** Logs in through ESIA as the emulator's fixture user; see EsiaLoginResult. */
export function loginThroughEsia(options: EsiaLoginOptions): Promise<EsiaLoginResult> {
  return codeFlow(options, { idpHint: options.idpAlias ?? 'esia' });
}

export interface PasswordLoginOptions extends Pick<
  EsiaLoginOptions,
  'keycloakUrl' | 'realm' | 'clientId' | 'redirectUri' | 'maxHops'
> {
  username: string;
  password: string;
  /** Typed into Keycloak's "update password" form when it shows one (a one-time password). */
  newPassword?: string;
}

/** Logs in on Keycloak's own login page; see EsiaLoginResult (a refusal stops at the page). */
export function loginWithPassword(options: PasswordLoginOptions): Promise<EsiaLoginResult> {
  return codeFlow(options, { credentials: options });
}

interface FlowOptions extends Pick<
  EsiaLoginOptions,
  'keycloakUrl' | 'realm' | 'clientId' | 'redirectUri' | 'maxHops'
> {
  fixtureUser?: string;
  decline?: boolean;
}

async function codeFlow(
  options: FlowOptions,
  how: { idpHint?: string; credentials?: { username: string; password: string; newPassword?: string } },
): Promise<EsiaLoginResult> {
  const realm = options.realm ?? 'edu';
  const clientId = options.clientId ?? 'edu-web';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:8080/callback';
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(16));
  const realmUrl = `${options.keycloakUrl}/realms/${realm}`;
  const start = new URL(`${realmUrl}/protocol/openid-connect/auth`);
  start.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(how.idpHint ? { kc_idp_hint: how.idpHint } : {}),
  }).toString();

  const jar = new CookieJar();
  const visited: string[] = [];
  let url = start.toString();
  let method = 'GET';
  let body: string | undefined;
  // A form is submitted once: shown again, it is an error page (a wrong password, say).
  const submitted = new Set<string>();
  for (let hop = 0; hop < (options.maxHops ?? 20); hop += 1) {
    if (url.startsWith(redirectUri)) {
      const back = new URL(url);
      const code = back.searchParams.get('code');
      if (!code || back.searchParams.get('state') !== state) {
        return { stoppedAt: { status: 0, url, body: back.search }, visited };
      }
      const exchanged = await fetch(`${realmUrl}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: clientId,
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      });
      const tokens = (await exchanged.json()) as EsiaLoginResult['tokens'] & { error?: string };
      if (!exchanged.ok) {
        return {
          stoppedAt: { status: exchanged.status, url: 'token', body: JSON.stringify(tokens) },
          visited,
        };
      }
      return { tokens, visited };
    }
    visited.push(url);
    const headers: Record<string, string> = { cookie: jar.header(url) };
    if (how.idpHint && url.includes('/aas/oauth2/v2/ac')) {
      if (options.decline) headers['x-esia-emulator-decline'] = '1';
      else headers['x-esia-emulator-user'] = options.fixtureUser ?? 'parent-trusted';
    }
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.store(url, response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    const text = await response.text();
    const next = response.status === 200 ? formToSubmit(text, how.credentials, submitted) : undefined;
    if (next) {
      submitted.add(next.id);
      url = new URL(next.action, url).toString();
      method = 'POST';
      body = next.fields.toString();
      continue;
    }
    return { stoppedAt: { status: response.status, url, body: text }, visited };
  }
  return { stoppedAt: { status: 0, url, body: 'too many redirects' }, visited };
}

/**
 * The Keycloak form a person would submit on this page, filled: the first broker login's review
 * of the profile (as it is), the login form (username and password), the update-password form
 * (the new password twice). Undefined for any other page, or a form already submitted once.
 */
function formToSubmit(
  html: string,
  credentials: { username: string; password: string; newPassword?: string } | undefined,
  submitted: Set<string>,
): { id: string; action: string; fields: URLSearchParams } | undefined {
  const forms: Record<string, (fields: URLSearchParams) => boolean> = {
    'kc-idp-review-profile-form': () => true,
    'kc-form-login': (fields) => {
      if (!credentials) return false;
      fields.set('username', credentials.username);
      fields.set('password', credentials.password);
      return true;
    },
    'kc-passwd-update-form': (fields) => {
      if (!credentials?.newPassword) return false;
      fields.set('password-new', credentials.newPassword);
      fields.set('password-confirm', credentials.newPassword);
      return true;
    },
  };
  for (const [id, fill] of Object.entries(forms)) {
    const form = new RegExp(`<form[^>]*id="${id}"[^>]*action="([^"]+)"`).exec(html);
    if (!form || submitted.has(id)) continue;
    const fields = new URLSearchParams();
    for (const input of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
      fields.set(input[1]!, decodeHtml(input[2]!));
    }
    if (!fill(fields)) return undefined;
    return { id, action: decodeHtml(form[1]!), fields };
  }
  return undefined;
}

function decodeHtml(text: string): string {
  return text
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
}
