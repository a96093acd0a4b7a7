import { redirectUriMatcher } from '../../src/bridge/redirect-uris';
import { InMemoryBridgeSessions } from '../../src/bridge/sessions';

describe('redirectUriMatcher', () => {
  const allowed = redirectUriMatcher([
    'http://127.0.0.1:*/realms/edu/broker/*/endpoint',
    'https://id.edu.example/realms/edu/broker/esia/endpoint',
  ]);

  it('matches exact URIs, with * for a port or a path segment', () => {
    expect(allowed('http://127.0.0.1:8180/realms/edu/broker/esia/endpoint')).toBe(true);
    expect(allowed('http://127.0.0.1:41234/realms/edu/broker/esia-test/endpoint')).toBe(true);
    expect(allowed('https://id.edu.example/realms/edu/broker/esia/endpoint')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const uri of [
      'http://127.0.0.1:8180/realms/edu/broker/esia/endpoint/x',
      'http://127.0.0.1:8180/realms/edu/broker/a/b/endpoint',
      'http://127.0.0.1:8180/realms/other/broker/esia/endpoint',
      'http://evil.example/realms/edu/broker/esia/endpoint',
      'http://127.0.0.1:8180@evil.example/realms/edu/broker/esia/endpoint',
      'http://127.0.0.1:8180/realms/edu/broker/esia/endpoint?next=x',
      'http://127.0.0.1:8180/realms/edu/broker/esia/endpoint#x',
      'http://127.0.0.1:8180/realms/edu/broker/../endpoint',
      'http://127.0.0.1:/realms/edu/broker/esia/endpoint',
      'https://id.edu.example/realms/edu/broker/esiaX/endpoint',
      'not a uri',
      '',
    ]) {
      expect([uri, allowed(uri)]).toEqual([uri, false]);
    }
  });
});

describe('InMemoryBridgeSessions', () => {
  it('takes a record once and forgets it after its TTL', async () => {
    let now = new Date('2026-09-01T07:00:00Z');
    const sessions = new InMemoryBridgeSessions(() => now);
    const record = {
      kind: 'pending' as const,
      clientId: 'k',
      redirectUri: 'u',
      state: 's',
      nonce: '',
      scope: 'openid',
      codeChallenge: '',
    };
    await sessions.put('a', record, 1000);
    await sessions.put('b', record, 1000);
    expect(await sessions.get('a')).toEqual(record);
    expect(await sessions.take('a')).toEqual(record);
    expect(await sessions.take('a')).toBeUndefined();
    now = new Date(now.getTime() + 1000);
    expect(await sessions.get('b')).toBeUndefined();
    expect(sessions.size()).toBe(0);
  });

  it('refuses records beyond its capacity', async () => {
    const sessions = new InMemoryBridgeSessions(undefined, 2);
    const record = {
      kind: 'pending' as const,
      clientId: 'k',
      redirectUri: 'u',
      state: 's',
      nonce: '',
      scope: 'openid',
      codeChallenge: '',
    };
    await sessions.put('a', record, 60_000);
    await sessions.put('b', record, 60_000);
    await expect(sessions.put('c', record, 60_000)).rejects.toThrow(/too many/);
  });
});
