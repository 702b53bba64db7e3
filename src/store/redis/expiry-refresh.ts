/**
 * When a writer must renew the backstop expiry of a shard's keys (hot-state-writer.ts).
 *
 * Renewing on every write cost three `PEXPIRE` per shard a script call touched, up to one per
 * vessel with 1024 shards: 372,293 of them in one 300,000-position `bench:ingest`, 0.47 us each
 * inside Redis plus the script's call overhead, and `npm run bench:hot-state` wrote 159k
 * positions/s without the expiry and 110k/s with it. So each shard is renewed at most once per
 * `refreshMs` per writer, with an expiry of `minimumMs + refreshMs`: a key written at any time
 * still lives at least `minimumMs` after that write, because its last renewal was at most
 * `refreshMs` before it. A key that a write creates has no expiry yet whatever this says; the
 * scripts renew a shard at once whenever a write adds a member to one of its keys, and every
 * key is created by such a write.
 */
export class ExpiryRefresh {
  /** The expiry each renewal sets, in ms. */
  readonly expiryMs: number;
  private readonly refreshMs: number;
  /** Wall time of the last renewal this writer saw succeed, per shard key index. */
  private readonly renewedAt: Float64Array;

  constructor(
    shardKeys: number,
    minimumMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    // An eighth: a written key outlives its write by between minimumMs and 1.125 x minimumMs.
    this.refreshMs = Math.max(1, Math.floor(minimumMs / 8));
    this.expiryMs = minimumMs + this.refreshMs;
    this.renewedAt = new Float64Array(shardKeys).fill(Number.NEGATIVE_INFINITY);
  }

  now(): number {
    return this.clock();
  }

  /** True when shard key index `i` needs its expiry renewed by a write made at `now`. */
  due(i: number, now: number): boolean {
    return now - (this.renewedAt[i] as number) >= this.refreshMs;
  }

  /** Records renewals that a successful write made at `now` carried. */
  renewed(indices: readonly number[], now: number): void {
    for (const i of indices) if ((this.renewedAt[i] as number) < now) this.renewedAt[i] = now;
  }
}
