import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * Signs ESIA requests (`client_secret`) with the key of the certificate registered for our
 * client_id (mnemonic) at ESIA.
 *
 * Contract, the same for every implementation:
 * - `sign(data)` gets the exact UTF-8 bytes of the string to sign (see `authorizationSignedString`
 *   and `tokenSignedString`) and returns the RAW signature bytes: 64 bytes for GOST R 34.10-2012
 *   (256) in production; not DER, not CMS/PKCS#7, not base64 (the client base64url-encodes it).
 * - `certificateHash` is the hash of the registered certificate, as ESIA expects it in
 *   `client_certificate_hash` (hex); it must belong to the key that signs.
 *
 * Production: the platform holds no GOST key. It plugs in an adapter calling a certified
 * signing service (a crypto provider with the registered certificate, outside the platform)
 * behind this interface. Development and tests: `TestEsiaSigner`, accepted only by the emulator.
 */
export interface EsiaSigner {
  readonly certificateHash: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * DEV/TEST ONLY: ECDSA P-256 / SHA-256 with the raw 64-byte r||s form (IEEE P1363), the same
 * shape as a GOST signature. `certificateHash` is the uppercase hex SHA-256 of its public key in
 * SPKI DER form (what the ESIA emulator registers for the client).
 */
export class TestEsiaSigner implements EsiaSigner {
  readonly certificateHash: string;

  private constructor(private readonly privateKey: KeyObject) {
    if (
      privateKey.asymmetricKeyType !== 'ec' ||
      privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
    ) {
      throw new Error('TestEsiaSigner needs an EC P-256 private key');
    }
    this.certificateHash = spkiSha256Hex(createPublicKey(privateKey));
  }

  /** From a PKCS#8 PEM private key. */
  static fromPem(pem: string): TestEsiaSigner {
    return new TestEsiaSigner(createPrivateKey({ key: pem, format: 'pem' }));
  }

  /** From a private key object (tests generate one). */
  static fromKey(privateKey: KeyObject): TestEsiaSigner {
    return new TestEsiaSigner(privateKey);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return cryptoSign('sha256', data, { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
  }
}

/** Reads a PKCS#8 PEM file (e.g. deploy/local/esia-emulator/dev-keys/edu-client-test.key.pem). */
export async function testEsiaSignerFromFile(path: string): Promise<TestEsiaSigner> {
  return TestEsiaSigner.fromPem(await readFile(path, 'utf8'));
}

/** Uppercase hex SHA-256 of a public key's SPKI DER form. */
export function spkiSha256Hex(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').toUpperCase();
}
