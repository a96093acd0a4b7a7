import { SignJWT } from 'jose';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ACTOR_AUDIENCE,
  ACTOR_ISSUER,
  ActorSigner,
  ActorVerificationError,
  ActorVerifier,
  generateDevActorKeys,
  readActorPublicKeys,
  writeActorKeys,
  type Actor,
} from '../src';

const actor: Actor = {
  accountId: 'acc-1',
  personId: 'person-1',
  schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
  grants: ['schoolAdmin:school-1'],
};

async function refusal(verifier: ActorVerifier, token: string): Promise<ActorVerificationError> {
  try {
    await verifier.verify(token);
  } catch (error) {
    if (error instanceof ActorVerificationError) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('actor tokens', () => {
  const keys = generateDevActorKeys('2025-01');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const verifier = new ActorVerifier({ publicKeys: { [keys.kid]: keys.publicKeyPem } });

  test('when the gateway signs an actor, then a service verifies it back unchanged', async () => {
    const token = await signer.sign(actor, { traceId: 'trace-1' });

    expect(await verifier.verify(token)).toEqual(actor);
  });

  test('when an actor has no person, then personId stays absent', async () => {
    const token = await signer.sign({ accountId: 'svc', schoolRoles: [], grants: ['regionOperator'] });

    expect(await verifier.verify(token)).toEqual({
      accountId: 'svc',
      schoolRoles: [],
      grants: ['regionOperator'],
    });
  });

  test('when a token is signed by another key under the same kid, then it is refused as invalid', async () => {
    const other = generateDevActorKeys('2025-01');
    const forged = await new ActorSigner({ privateKey: other.privateKeyPem, kid: other.kid }).sign(actor);

    expect((await refusal(verifier, forged)).reason).toBe('invalid');
  });

  test('when a token names a kid the service does not know, then it is refused as unknown_key', async () => {
    const other = generateDevActorKeys('elsewhere');
    const token = await new ActorSigner({ privateKey: other.privateKeyPem, kid: other.kid }).sign(actor);

    expect((await refusal(verifier, token)).reason).toBe('unknown_key');
  });

  test('when a token has expired, then it is refused as expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ roles: [], grants: [] })
      .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
      .setSubject('acc-1')
      .setIssuer(ACTOR_ISSUER)
      .setAudience(ACTOR_AUDIENCE)
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(createPrivateKey(keys.privateKeyPem));

    expect((await refusal(verifier, expired)).reason).toBe('expired');
  });

  test('when a token is meant for another audience, then it is refused', async () => {
    const token = await new SignJWT({ roles: [], grants: [] })
      .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
      .setSubject('acc-1')
      .setIssuer(ACTOR_ISSUER)
      .setAudience('someone-else')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(createPrivateKey(keys.privateKeyPem));

    expect((await refusal(verifier, token)).reason).toBe('invalid');
  });

  test('when a signed token lacks the actor claims, then it is refused', async () => {
    const token = await new SignJWT({ roles: 'teacher' })
      .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
      .setSubject('acc-1')
      .setIssuer(ACTOR_ISSUER)
      .setAudience(ACTOR_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(createPrivateKey(keys.privateKeyPem));

    expect((await refusal(verifier, token)).reason).toBe('invalid');
  });

  test('when garbage is presented, then it is refused without echoing it', async () => {
    const error = await refusal(verifier, 'not.a.token');

    expect(error.reason).toBe('invalid');
    expect(error.message).not.toContain('not.a.token');
  });

  test('when a signer gets a public key or a verifier a private key, then construction fails', () => {
    expect(() => new ActorSigner({ privateKey: keys.publicKeyPem, kid: 'x' })).toThrow();
    expect(() => new ActorVerifier({ publicKeys: { x: keys.privateKeyPem } })).toThrow(/public key/);
    expect(() => new ActorVerifier({ publicKeys: {} })).toThrow(/at least one/);
  });
});

describe('actor key files', () => {
  test('when keys are written to a directory, then the signer and the verifier read them from there', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'actor-keys-'));
    const { privateKeyFile, publicKeysDir } = writeActorKeys(dir, generateDevActorKeys('k1'));
    const signer = new ActorSigner({ privateKey: readFileSync(privateKeyFile, 'utf8'), kid: 'k1' });

    const verifier = new ActorVerifier({ publicKeys: readActorPublicKeys(publicKeysDir) });

    expect((await verifier.verify(await signer.sign(actor))).accountId).toBe(actor.accountId);
    expect(statSync(privateKeyFile).mode & 0o077).toBe(0);
  });

  test('when the directory holds no .pem file, then reading fails naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'actor-keys-'));

    expect(() => readActorPublicKeys(dir)).toThrow(dir);
  });
});
