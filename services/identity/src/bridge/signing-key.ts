import {
  createHash,
  generateKeyPairSync,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** The key the bridge signs its id_tokens with. */
export interface BridgeSigningKey {
  privateKey: KeyObject;
  alg: 'RS256' | 'ES256';
  /** Default: the RFC 7638 thumbprint of the public key. */
  kid?: string;
}

/** A resolved signing key with its public JWK. */
export interface ResolvedSigningKey {
  privateKey: KeyObject;
  alg: 'RS256' | 'ES256';
  kid: string;
  publicJwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

/** A fresh RS256 key (a process start); Keycloak picks the new one up from /jwks by its kid. */
export function generateSigningKey(): BridgeSigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, alg: 'RS256' };
}

export function resolveSigningKey(key: BridgeSigningKey): ResolvedSigningKey {
  const type = key.privateKey.asymmetricKeyType;
  if (key.alg === 'RS256' && type !== 'rsa') throw new Error('RS256 needs an RSA private key');
  if (
    key.alg === 'ES256' &&
    (type !== 'ec' || key.privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
  ) {
    throw new Error('ES256 needs an EC P-256 private key');
  }
  const jwk = createPublicKey(key.privateKey).export({ format: 'jwk' });
  const kid = key.kid ?? thumbprint(jwk);
  return {
    privateKey: key.privateKey,
    alg: key.alg,
    kid,
    publicJwk: { ...jwk, kid, alg: key.alg, use: 'sig' },
  };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA or EC public key. */
export function thumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'RSA'
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
