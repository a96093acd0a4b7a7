/**
 * Per-client token bucket: `ratePerMinute` requests a minute on average, bursts up to `burst`.
 * In memory, so per gateway replica; the limit protects the services behind one replica from a
 * runaway client, not the region from a distributed attack (that is the ingress's job).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `client`; returns the seconds to wait when there is none. */
  take(client: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    const perMs = this.ratePerMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    if (this.buckets.size > 100_000) this.evictFull(now, perMs);
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / perMs / 1000) };
  }

  /** Forgets clients whose bucket has refilled: they are indistinguishable from new ones. */
  private evictFull(now: number, perMs: number): void {
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.burst) this.buckets.delete(client);
    }
  }
}
