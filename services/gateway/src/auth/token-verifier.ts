import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface TokenVerifierOptions {
  /** Issuer, e.g. http://127.0.0.1:8180/realms/edu. */
  issuer: string;
  /** Audience the token must name (the gateway's client id). */
  audience: string;
  /** JWKS endpoint; defaults to Keycloak's `<issuer>/protocol/openid-connect/certs`. */
  jwksUrl?: string;
}

/** Why a token was refused, for the log (never sent to the client beyond 401). */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
  }
}

/**
 * Verifies Keycloak access tokens with `jose` (keycloak-connect is deprecated by Keycloak):
 * signature against the realm JWKS (cached; an unknown `kid` refetches it, at most every 30 s,
 * which is how Keycloak key rotation reaches us), RS256 only (so `alg: none` and HS256 signed
 * with the public key are refused), issuer, audience, expiry and not-before, and that it is an
 * access token (`typ: Bearer`), not an ID token.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (token: string) => Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(
    new URL(options.jwksUrl ?? `${options.issuer}/protocol/openid-connect/certs`),
    {
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    },
  );
  return async (token: string) => {
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256'],
        clockTolerance: 5,
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      // Keycloak's ID tokens for this client are signed by the same key and name the same
      // audience; only an access token (typ Bearer) may call the API.
      if (payload.typ !== 'Bearer') throw new TokenRejected('not_an_access_token');
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new TokenRejected(error.code);
      throw error;
    }
  };
}
