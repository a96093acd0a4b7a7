import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/** A role a person holds in one school (`teacher`, `deputy`, `director`, …). */
export interface SchoolRole {
  schoolId: string;
  role: string;
}

/** Who is calling: built by the gateway from the access token, checked by every service. */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: SchoolRole[];
  /** Explicit grants: `regionOperator`, `municipalOfficer:<id>`, `schoolAdmin:<schoolId>`. */
  grants: string[];
}

/** Issuer and audience of actor tokens: only the gateway signs, only services accept. */
export const ACTOR_ISSUER = 'edu-gateway';
/** Audience of actor tokens. */
export const ACTOR_AUDIENCE = 'edu-services';
/** Lifetime of an actor token: one request, with room for retries and clock skew. */
export const ACTOR_TOKEN_TTL_SECONDS = 60;
const ALGORITHM = 'ES256';

// Compact claim names keep the token (sent with every call) short.
interface ActorClaims extends JWTPayload {
  sub: string;
  pid?: string;
  roles: SchoolRole[];
  grants: string[];
  tid?: string;
}

/** Why a call's actor was refused; told apart in the security log. */
export type ActorRejection = 'missing' | 'invalid' | 'expired' | 'unknown_key';

/** Thrown by `ActorVerifier.verify`; never carries the token itself. */
export class ActorVerificationError extends Error {
  override readonly name = 'ActorVerificationError';

  constructor(
    readonly reason: ActorRejection,
    options?: { cause?: unknown },
  ) {
    super(`actor token refused: ${reason}`, options);
  }
}

// Refuses anything but a P-256 EC key at construction, so a wrong key fails at startup, not per call.
function ecKey(key: string | KeyObject, kind: 'private' | 'public'): KeyObject {
  // createPublicKey would quietly derive a public key from a private PEM; a service holding the
  // gateway's private key is a configuration mistake worth stopping for.
  if (kind === 'public' && typeof key === 'string' && key.includes('PRIVATE KEY')) {
    throw new Error('expected a public key, got a private key');
  }
  const object =
    typeof key !== 'string' ? key : kind === 'private' ? createPrivateKey(key) : createPublicKey(key);
  if (object.asymmetricKeyType !== 'ec' || object.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`the actor ${kind} key must be an EC P-256 key (ES256)`);
  }
  if (object.type !== kind) throw new Error(`expected a ${kind} key, got a ${object.type} key`);
  return object;
}

/** Options of `ActorSigner`. */
export interface ActorSignerOptions {
  /** PKCS#8 PEM or a KeyObject, EC P-256. */
  privateKey: string | KeyObject;
  /** Key id in the token header, so services can hold the next key before the gateway switches. */
  kid: string;
}

/** Gateway side: signs an actor into a short-lived compact JWS for the `x-edu-actor` metadata. */
export class ActorSigner {
  private readonly key: KeyObject;
  private readonly kid: string;

  constructor({ privateKey, kid }: ActorSignerOptions) {
    this.key = ecKey(privateKey, 'private');
    this.kid = kid;
  }

  /** Signs `actor` for one request; `traceId` ties the token to that request in the logs. */
  sign(actor: Actor, { traceId }: { traceId?: string } = {}): Promise<string> {
    const claims: ActorClaims = {
      sub: actor.accountId,
      roles: actor.schoolRoles,
      grants: actor.grants,
      ...(actor.personId !== undefined ? { pid: actor.personId } : {}),
      ...(traceId !== undefined ? { tid: traceId } : {}),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid, typ: 'edu-actor+jwt' })
      .setIssuer(ACTOR_ISSUER)
      .setAudience(ACTOR_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ACTOR_TOKEN_TTL_SECONDS}s`)
      .sign(this.key);
  }
}

/** Options of `ActorVerifier`. */
export interface ActorVerifierOptions {
  /** Public keys (SPKI PEM or KeyObject) by kid; several during a key rotation. */
  publicKeys: Record<string, string | KeyObject>;
  /** Allowed clock difference between gateway and service. */
  clockToleranceSeconds?: number;
}

/** Service side: checks an `x-edu-actor` token and returns the actor in it. */
export class ActorVerifier {
  private readonly keys: Map<string, KeyObject>;
  private readonly clockTolerance: number;

  constructor({ publicKeys, clockToleranceSeconds = 5 }: ActorVerifierOptions) {
    this.keys = new Map(Object.entries(publicKeys).map(([kid, key]) => [kid, ecKey(key, 'public')]));
    if (this.keys.size === 0) throw new Error('ActorVerifier needs at least one public key');
    this.clockTolerance = clockToleranceSeconds;
  }

  /** Returns the actor of a valid token; throws `ActorVerificationError` for a bad, expired or foreign one. */
  async verify(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
          if (key === undefined) throw new ActorVerificationError('unknown_key');
          return key;
        },
        {
          issuer: ACTOR_ISSUER,
          audience: ACTOR_AUDIENCE,
          algorithms: [ALGORITHM],
          requiredClaims: ['exp', 'iat', 'sub'],
          clockTolerance: this.clockTolerance,
        },
      ));
    } catch (error) {
      if (error instanceof ActorVerificationError) throw error;
      throw new ActorVerificationError(error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid', {
        cause: error,
      });
    }
    return actorFromClaims(payload);
  }
}

// The signature proves who wrote the claims, not that they have the right shape.
function actorFromClaims(payload: JWTPayload): Actor {
  const { sub, pid, roles, grants } = payload;
  const isRole = (value: unknown): value is SchoolRole =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SchoolRole).schoolId === 'string' &&
    typeof (value as SchoolRole).role === 'string';
  if (
    typeof sub !== 'string' ||
    sub.length === 0 ||
    (pid !== undefined && typeof pid !== 'string') ||
    !Array.isArray(roles) ||
    !roles.every(isRole) ||
    !Array.isArray(grants) ||
    !grants.every((grant) => typeof grant === 'string')
  ) {
    throw new ActorVerificationError('invalid');
  }
  return {
    accountId: sub,
    ...(pid !== undefined ? { personId: pid } : {}),
    schoolRoles: roles.map(({ schoolId, role }) => ({ schoolId, role })),
    grants: [...grants],
  };
}

/** A key pair for actor tokens, PEM encoded. */
export interface ActorKeys {
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Generates an ES256 key pair for tests and local development; production keys come from secrets. */
export function generateDevActorKeys(kid = 'dev'): ActorKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { kid, privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/**
 * The services' public keys by kid from a directory of `<kid>.pem` files (SPKI PEM), the shape
 * of a mounted Kubernetes secret. Fails when the directory holds none: a service without keys
 * would refuse every call.
 */
export function readActorPublicKeys(dir: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.pem')) continue;
    keys[name.slice(0, -'.pem'.length)] = readFileSync(path.join(dir, name), 'utf8');
  }
  if (Object.keys(keys).length === 0) throw new Error(`no <kid>.pem actor public keys in ${dir}`);
  return keys;
}

/** Writes a key pair in the layout the gateway and services read: `<dir>/private/<kid>.pem`, `<dir>/public/<kid>.pem`. */
export function writeActorKeys(
  dir: string,
  keys: ActorKeys,
): { privateKeyFile: string; publicKeysDir: string } {
  const privateKeyFile = path.join(dir, 'private', `${keys.kid}.pem`);
  const publicKeysDir = path.join(dir, 'public');
  mkdirSync(path.dirname(privateKeyFile), { recursive: true, mode: 0o700 });
  mkdirSync(publicKeysDir, { recursive: true });
  writeFileSync(privateKeyFile, keys.privateKeyPem, { mode: 0o600 });
  writeFileSync(path.join(publicKeysDir, `${keys.kid}.pem`), keys.publicKeyPem);
  return { privateKeyFile, publicKeysDir };
}
