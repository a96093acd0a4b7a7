import type { Actor, Caller } from '../../src/domain/actor';
import { createActorCache } from '../../src/domain/actor-cache';

// The gateway's cache of resolved actors, with a fake identity and a fake clock.
describe('actor cache', () => {
  const caller = (sub: string): Caller => ({ keycloakSub: sub, esiaOid: '' });
  const actorOf = (sub: string, version: number): Actor => ({
    accountId: sub,
    schoolRoles: [],
    grants: version > 1 ? ['regionOperator'] : [],
  });

  function setUp(options: { ttlMs?: number; maxEntries?: number } = {}) {
    let clock = 0;
    const asked: string[] = [];
    const versions = new Map<string, number>();
    let failNext = false;
    const cache = createActorCache(
      async ({ keycloakSub }) => {
        asked.push(keycloakSub);
        if (failNext) {
          failNext = false;
          throw new Error('identity unavailable');
        }
        return actorOf(keycloakSub, versions.get(keycloakSub) ?? 1);
      },
      { ttlMs: options.ttlMs ?? 60_000, maxEntries: options.maxEntries ?? 100, now: () => clock },
    );
    return {
      cache,
      asked,
      versions,
      tick: (ms: number) => (clock += ms),
      failOnce: () => (failNext = true),
    };
  }

  it('when an account calls twice within the TTL, then identity is asked once; after the TTL again', async () => {
    const { cache, asked, tick } = setUp();

    await cache.resolve(caller('a'));
    tick(59_000);
    await cache.resolve(caller('a'));
    tick(2_000);
    await cache.resolve(caller('a'));

    expect(asked).toEqual(['a', 'a']);
  });

  it('when many requests of one account arrive at once, then they share one question', async () => {
    const { cache, asked } = setUp();

    const actors = await Promise.all([1, 2, 3, 4, 5].map(() => cache.resolve(caller('a'))));

    expect(asked).toEqual(['a']);
    expect(new Set(actors.map((a) => a.accountId))).toEqual(new Set(['a']));
  });

  it('when identity says the account changed, then the next request gets the new actor at once', async () => {
    const { cache, asked, versions } = setUp();
    expect((await cache.resolve(caller('a'))).grants).toEqual([]);

    versions.set('a', 2);
    cache.invalidate('a');

    expect((await cache.resolve(caller('a'))).grants).toEqual(['regionOperator']);
    expect(asked).toEqual(['a', 'a']);
  });

  it('when identity fails, then the failure is not cached: the next request asks again', async () => {
    const { cache, asked, failOnce } = setUp();
    failOnce();

    await expect(cache.resolve(caller('a'))).rejects.toThrow('identity unavailable');
    await expect(cache.resolve(caller('a'))).resolves.toMatchObject({ accountId: 'a' });
    expect(asked).toEqual(['a', 'a']);
  });

  it('when more accounts call than it keeps, then the least recently used is dropped', async () => {
    const { cache, asked } = setUp({ maxEntries: 2 });

    await cache.resolve(caller('a'));
    await cache.resolve(caller('b'));
    await cache.resolve(caller('a'));
    await cache.resolve(caller('c'));
    await cache.resolve(caller('a'));
    await cache.resolve(caller('b'));

    expect(asked).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.size()).toBe(2);
  });

  it('when cleared, then every account is asked again', async () => {
    const { cache, asked } = setUp();
    await cache.resolve(caller('a'));

    cache.clear();
    await cache.resolve(caller('a'));

    expect(asked).toEqual(['a', 'a']);
  });
});
