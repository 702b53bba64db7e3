/**
 * Where hot state lives in Redis (layout 2, docs/storage.md "Redis"). Every key starts with
 * `${env}:` (roadmap 5.1), so environments sharing one Redis never see each other's keys and one
 * SCAN prefix removes an environment.
 *
 * Cluster-ready (roadmap 5.2): a vessel's bucket is mmsi mod `buckets`, and every key of a bucket
 * carries the hash tag `{b}`, so one script call touches one slot. With buckets = 1 (standalone
 * default) everything is one slot; on a cluster 64 buckets spread the fleet over the masters.
 *
 * Compact (issue 11): inside a bucket, vessels are split over `shards` small keys by
 * floor(mmsi / buckets) mod shards. Each shard is three keys (state hash, geo set, active set)
 * holding a few dozen vessels, small enough for Redis to keep them as listpacks: no per-vessel
 * key, dict entry or skiplist node. Scripts derive the shard keys from `bucketPrefix` (all in the
 * bucket's slot), so a reader visits every shard of a bucket in one call.
 */
export interface KeyLayout {
  readonly env: string;
  readonly buckets: number;
  /** Shards per bucket: a function of `buckets` (see shardsPerBucket), fixed by the layout version. */
  readonly shards: number;
}

/** Recorded in `${env}:ais:meta` (field `layout`); a change of the shard rule or encoding bumps it. */
export const LAYOUT_VERSION = 2;

/**
 * Shards over all buckets. 1024 keeps ~10 vessels per shard at 10^4 live vessels (key overhead
 * ~20 B per vessel) and stays within Redis' default listpack limits (128 entries: a vessel is up to
 * three hash fields) up to ~4 * 10^4 live vessels; past that shards turn into skiplists and hash
 * tables one by one and cost per vessel what layout 1 did (docs/storage.md).
 */
export const TOTAL_SHARDS = 1024;

const ENV_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function shardsPerBucket(buckets: number): number {
  return Math.max(1, Math.ceil(TOTAL_SHARDS / buckets));
}

export function keyLayout(env: string, buckets = 1): KeyLayout {
  // Braces or colons in env would break the hash tag or the prefix isolation.
  if (!ENV_NAME.test(env)) throw new Error(`invalid Redis environment prefix ${JSON.stringify(env)}: use 1-64 of [A-Za-z0-9_.-]`);
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > 16_384) throw new Error(`invalid bucket count ${buckets}: use an integer 1..16384`);
  return { env, buckets, shards: shardsPerBucket(buckets) };
}

export function bucketOf(layout: KeyLayout, mmsi: number): number {
  return mmsi % layout.buckets;
}

export function shardOf(layout: KeyLayout, mmsi: number): number {
  return Math.floor(mmsi / layout.buckets) % layout.shards;
}

/** Prefix of every key of bucket b; scripts append `v:`, `g:` or `a:` and the shard. */
export function bucketPrefix(layout: KeyLayout, bucket: number): string {
  return `${layout.env}:ais:{${bucket}}:`;
}

/** Hash of a shard: field mmsi = packed position, -mmsi = packed statics, mmsi + 10^9 = name and destination. */
export function stateKey(layout: KeyLayout, bucket: number, shard: number): string {
  return `${bucketPrefix(layout, bucket)}v:${shard}`;
}

/** Geo set of a shard: member mmsi. */
export function geoKey(layout: KeyLayout, bucket: number, shard: number): string {
  return `${bucketPrefix(layout, bucket)}g:${shard}`;
}

/** Sorted set of a shard: member mmsi, score = time of the vessel's last report (ms). */
export function activeKey(layout: KeyLayout, bucket: number, shard: number): string {
  return `${bucketPrefix(layout, bucket)}a:${shard}`;
}

/** String: the newest event time (ms) ever stored in the bucket; the environment's replay clock. */
export function newestKey(layout: KeyLayout, bucket: number): string {
  return `${bucketPrefix(layout, bucket)}newest`;
}

/** Set of soft-deleted mmsis of the bucket: their state is kept but hidden from reads. */
export function deletedKey(layout: KeyLayout, bucket: number): string {
  return `${bucketPrefix(layout, bucket)}deleted`;
}

/** The one-key-per-vessel layout 1 index, looked for only to refuse an environment written by it. */
export function layout1ActiveKey(env: string, bucket: number): string {
  return `${env}:ais:vessels:active:{${bucket}}`;
}

/**
 * Small hash describing how an environment's keys are laid out (fields `buckets`, `layout`,
 * `liveTtlMs`), so a reader started later, without the writer's flags, queries the right keys.
 * One key, no hash tag: it is read once per command.
 */
export function metaKey(env: string): string {
  return `${keyLayout(env).env}:ais:meta`;
}

/** Default bucket count: 1 on a standalone server (one geo set), 64 on a cluster (spread over the nodes). */
export function defaultBuckets(cluster: boolean): number {
  return cluster ? 64 : 1;
}
