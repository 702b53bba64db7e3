/**
 * How long a vessel stays live without a report, and how often `serve` prunes: import-free so
 * cli/program.ts builds `--live-ttl`, `--max-age` and `prune --older-than` from them.
 */

/** Default `--live-ttl` of ingest and serve: a vessel not heard for a day is no longer live. */
export const DEFAULT_LIVE_TTL_MS = 24 * 3_600_000;

/**
 * `serve` prunes this often. Reads never show a vessel past the TTL anyway (they filter by the
 * last report time), so pruning only bounds memory: a vessel stays in Redis at most TTL + this,
 * about 1 % more than the TTL's worth of fleet at the default, and one pass over 1,024 shards
 * costs a few milliseconds of Redis time per 10^4 vessels.
 */
export const PRUNE_INTERVAL_MS = 15 * 60_000;
