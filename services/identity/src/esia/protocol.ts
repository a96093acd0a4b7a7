/**
 * Pure pieces of ESIA's OAuth protocol: the timestamp format, the strings that get signed into
 * `client_secret`, and the scope list. No I/O here.
 */

/** What the bridge asks ESIA for by default: the person, their kids and the kids' birth certificates. */
export const DEFAULT_ESIA_SCOPE =
  'openid fullname snils birthdate gender kid_fullname kid_birthdate kid_snils birth_cert_doc kid_birth_cert_doc';

/** The issuer of ESIA's id_tokens (production and the emulator alike). */
export const ESIA_ISSUER = 'http://esia.gosuslugi.ru/';

/** Moscow time has no daylight saving since 2014: always UTC+3. */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** ESIA's `timestamp` parameter: `yyyy.MM.dd HH:mm:ss +0300` (Moscow time). */
export function formatEsiaTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  const moscow = new Date(date.getTime() + MOSCOW_OFFSET_MS);
  return (
    `${pad(moscow.getUTCFullYear(), 4)}.${pad(moscow.getUTCMonth() + 1)}.${pad(moscow.getUTCDate())} ` +
    `${pad(moscow.getUTCHours())}:${pad(moscow.getUTCMinutes())}:${pad(moscow.getUTCSeconds())} +0300`
  );
}

/** The fields of a request that go into its `client_secret`. */
export interface SignedFields {
  clientId: string;
  scope: string;
  /** '' when the request has no scope_org. */
  scopeOrg?: string;
  timestamp: string;
  state: string;
  redirectUri: string;
}

/**
 * The string signed into `client_secret` of an authorization request: the values concatenated
 * without separators, client_id + scope + scope_org + timestamp + state + redirect_uri.
 */
export function authorizationSignedString(fields: SignedFields): string {
  return (
    fields.clientId +
    fields.scope +
    (fields.scopeOrg ?? '') +
    fields.timestamp +
    fields.state +
    fields.redirectUri
  );
}

/** The string signed into `client_secret` of a token request for a code: the authorization one + code. */
export function tokenSignedString(fields: SignedFields & { code: string }): string {
  return authorizationSignedString(fields) + fields.code;
}

/** ESIA's error code in an `error_description` like "ESIA-007004: Пользователь отказал…", if any. */
export function esiaCodeOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /ESIA-\d{6}/.exec(text)?.[0];
}
