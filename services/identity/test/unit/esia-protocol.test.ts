import { createPublicKey, generateKeyPairSync, verify, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authorizationSignedString,
  esiaCodeOf,
  formatEsiaTimestamp,
  tokenSignedString,
} from '../../src/esia/protocol';
import { TestEsiaSigner, spkiSha256Hex } from '../../src/esia/signer';

const DEV_KEYS = join(__dirname, '../../../../deploy/local/esia-emulator/dev-keys');

describe('formatEsiaTimestamp', () => {
  it('formats an instant as Moscow time, yyyy.MM.dd HH:mm:ss +0300', () => {
    expect(formatEsiaTimestamp(new Date('2026-09-01T07:00:00Z'))).toBe('2026.09.01 10:00:00 +0300');
  });

  it('pads every field and rolls over the day in Moscow', () => {
    expect(formatEsiaTimestamp(new Date('2026-01-02T21:05:09Z'))).toBe('2026.01.03 00:05:09 +0300');
    expect(formatEsiaTimestamp(new Date('2025-12-31T22:00:00Z'))).toBe('2026.01.01 01:00:00 +0300');
  });

  it('has no daylight saving (summer and winter are both +0300)', () => {
    expect(formatEsiaTimestamp(new Date('2026-07-15T12:00:00Z'))).toBe('2026.07.15 15:00:00 +0300');
    expect(formatEsiaTimestamp(new Date('2026-01-15T12:00:00Z'))).toBe('2026.01.15 15:00:00 +0300');
  });

  it('refuses an invalid date', () => {
    expect(() => formatEsiaTimestamp(new Date('nope'))).toThrow(RangeError);
  });
});

describe('signed strings', () => {
  const fields = {
    clientId: 'EDUJOURNAL',
    scope: 'openid fullname',
    timestamp: '2026.09.01 10:00:00 +0300',
    state: '7f1e6c1a-3b7e-4b9a-9c55-0d4f0e6a1b2c',
    redirectUri: 'http://127.0.0.1:8095/esia/callback',
  };

  it('authorization: client_id + scope + scope_org + timestamp + state + redirect_uri, no separators', () => {
    expect(authorizationSignedString(fields)).toBe(
      'EDUJOURNALopenid fullname2026.09.01 10:00:00 +03007f1e6c1a-3b7e-4b9a-9c55-0d4f0e6a1b2chttp://127.0.0.1:8095/esia/callback',
    );
    expect(authorizationSignedString({ ...fields, scopeOrg: 'org_shortname' })).toBe(
      'EDUJOURNALopenid fullnameorg_shortname2026.09.01 10:00:00 +03007f1e6c1a-3b7e-4b9a-9c55-0d4f0e6a1b2chttp://127.0.0.1:8095/esia/callback',
    );
  });

  it('token: the same followed by the code', () => {
    expect(tokenSignedString({ ...fields, code: 'abc123' })).toBe(
      'EDUJOURNALopenid fullname2026.09.01 10:00:00 +03007f1e6c1a-3b7e-4b9a-9c55-0d4f0e6a1b2chttp://127.0.0.1:8095/esia/callbackabc123',
    );
  });
});

describe('esiaCodeOf', () => {
  it('finds the ESIA code in an error_description', () => {
    expect(esiaCodeOf('ESIA-007004: пользователь отказал в доступе')).toBe('ESIA-007004');
    expect(esiaCodeOf('no code here')).toBeUndefined();
    expect(esiaCodeOf(undefined)).toBeUndefined();
  });
});

describe('TestEsiaSigner', () => {
  it('signs raw 64-byte r||s ECDSA P-256/SHA-256 that the public key verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = TestEsiaSigner.fromKey(privateKey);
    const data = new TextEncoder().encode('EDUJOURNALopenid…');
    const signature = await signer.sign(data);
    expect(signature).toHaveLength(64);
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(
      verify(
        'sha256',
        new TextEncoder().encode('other'),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        signature,
      ),
    ).toBe(false);
  });

  it('has certificateHash = uppercase hex SHA-256 of the SPKI DER public key', () => {
    const pem = readFileSync(join(DEV_KEYS, 'edu-client-test.key.pem'), 'utf8');
    const publicPem = readFileSync(join(DEV_KEYS, 'edu-client-test.pub.pem'), 'utf8');
    const signer = TestEsiaSigner.fromPem(pem);
    const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
    expect(signer.certificateHash).toBe(createHash('sha256').update(der).digest('hex').toUpperCase());
    expect(signer.certificateHash).toMatch(/^[0-9A-F]{64}$/);
    expect(spkiSha256Hex(createPublicKey(publicPem))).toBe(signer.certificateHash);
  });

  it('refuses a key that is not EC P-256', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => TestEsiaSigner.fromKey(privateKey)).toThrow(/P-256/);
  });
});
