import { RateLimiter } from '../../src/entry-points/http/rate-limit';

describe('per-client rate limit', () => {
  it('when a client spends its burst, then the next request is refused with a wait, and others are not affected', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 1000; // one token a second at 60 a minute
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });
});
