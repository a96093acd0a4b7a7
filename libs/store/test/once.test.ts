import { DomainError } from '@edu/kit';
import { IdempotencyError, once, type IdempotencyStore } from '../src';

// `once` around a port fake of the idempotency store: what it asks the store, and how it answers.

function fakeStore(answer: (scope: string) => Promise<{ result: unknown; replayed: boolean }>) {
  const asked: { key: string; scope: string; fingerprint: string }[] = [];
  const store = {
    async execute(key: string, scope: string, fingerprint: string) {
      asked.push({ key, scope, fingerprint });
      return answer(scope);
    },
    purge: async () => 0,
    startPurge: () => undefined,
    stop: () => undefined,
  } as unknown as IdempotencyStore;
  return { store, asked };
}

const call = (idempotencyKey?: string) => {
  const logged: string[] = [];
  return {
    call: {
      ...(idempotencyKey ? { idempotencyKey } : {}),
      actor: { accountId: 'acc-1' },
      logger: { info: (_fields: object, message: string) => void logged.push(message) },
    },
    logged,
  };
};

describe('once', () => {
  it('without a key, the command runs and the store is not asked', async () => {
    const { store, asked } = fakeStore(() => Promise.reject(new Error('asked')));

    const result = await once(store, 'M', { a: 1 }, call().call, async () => 42);

    expect(result).toBe(42);
    expect(asked).toEqual([]);
  });

  it('with a key, the store is asked per method and caller with a fingerprint of the request; a repeat is logged', async () => {
    const { store, asked } = fakeStore(async () => ({ result: 7, replayed: true }));
    const { call: c, logged } = call('key-12345678');

    const result = await once(store, 'OpenClass', { grade: 5 }, c, async () => 1);
    await once(store, 'OpenClass', { grade: 6 }, c, async () => 1);

    expect(result).toBe(7);
    expect(asked[0]).toMatchObject({ key: 'key-12345678', scope: 'OpenClass/acc-1' });
    expect(asked[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(asked[1]!.fingerprint).not.toBe(asked[0]!.fingerprint);
    expect(logged).toEqual([
      'idempotent repeat answered with the first result',
      'idempotent repeat answered with the first result',
    ]);
  });

  it.each([
    ['idempotency.key_reused', /уже использован/],
    ['idempotency.in_progress', /ещё выполняется/],
  ] as const)('a %s from the store is a conflict in Russian', async (code, detail) => {
    const { store } = fakeStore(() => Promise.reject(new IdempotencyError(code, 'x')));

    const error = await once(store, 'M', {}, call('key-12345678').call, async () => 1).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, kind: 'conflict', detail: expect.stringMatching(detail) });
  });
});
