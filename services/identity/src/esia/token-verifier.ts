import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { compactVerify, decodeProtectedHeader } from 'jose';

/**
 * Checks the SIGNATURE of an ESIA JWT (the id_token) and returns its claims. The claims
 * themselves (iss, aud, exp, nbf) are checked by `EsiaClient`, the same way for every verifier.
 *
 * Production: ESIA signs with GOST3410_2012_256 (header alg `GOST3410_2012_256`); the production
 * verifier checks it with ESIA's published certificate (through the same certified crypto service
 * that signs our requests). Development and tests: `Es256TestVerifier` with the emulator's key.
 */
export interface EsiaTokenVerifier {
  /** The payload of a validly signed JWT; throws on a bad signature or a malformed token. */
  verify(jwt: string): Promise<Record<string, unknown>>;
}

/** DEV/TEST ONLY: ES256 with the ESIA emulator's public key (kid `esia-emulator`). */
export class Es256TestVerifier implements EsiaTokenVerifier {
  constructor(
    private readonly publicKey: KeyObject,
    private readonly kid = 'esia-emulator',
  ) {}

  /** From an SPKI PEM public key (deploy/local/esia-emulator/dev-keys/esia-emulator.pub.pem). */
  static fromPem(pem: string, kid?: string): Es256TestVerifier {
    return new Es256TestVerifier(createPublicKey({ key: pem, format: 'pem' }), kid);
  }

  static async fromFile(path: string, kid?: string): Promise<Es256TestVerifier> {
    return Es256TestVerifier.fromPem(await readFile(path, 'utf8'), kid);
  }

  async verify(jwt: string): Promise<Record<string, unknown>> {
    const header = decodeProtectedHeader(jwt);
    if (header.kid !== undefined && header.kid !== this.kid) throw new Error(`unexpected kid ${header.kid}`);
    const { payload } = await compactVerify(jwt, this.publicKey, { algorithms: ['ES256'] });
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
      throw new Error('the JWT payload is not an object');
    }
    return claims as Record<string, unknown>;
  }
}
