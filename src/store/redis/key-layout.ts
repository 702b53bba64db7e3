/**
 * Where hot state lives in Redis. Every key starts with `${env}:` (roadmap 5.1), so
 * environments sharing one Redis never see each other's keys and one SCAN prefix removes an
 * environment.
 *
 * Cluster-ready (roadmap 5.2): the keys one script call touches (a vessel's hash plus the geo
 * and active indexes it is listed in) share a hash tag `{b}`, the vessel's bucket = mmsi mod
 * `buckets`. With buckets = 1 (standalone default) there is one geo set and one active set;
 * in a cluster use more buckets (e.g. 64) so the indexes spread over the nodes; readers then
 * query every bucket.
 */
export interface KeyLayout {
  readonly env: string;
  readonly buckets: number;
}

const ENV_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function keyLayout(env: string, buckets = 1): KeyLayout {
  // Braces or colons in env would break the hash tag or the prefix isolation.
  if (!ENV_NAME.test(env)) throw new Error(`invalid Redis environment prefix ${JSON.stringify(env)}: use 1-64 of [A-Za-z0-9_.-]`);
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > 16_384) throw new Error(`invalid bucket count ${buckets}: use an integer 1..16384`);
  return { env, buckets };
}

export function bucketOf(layout: KeyLayout, mmsi: number): number {
  return mmsi % layout.buckets;
}

export function vesselKey(layout: KeyLayout, mmsi: number): string {
  return `${layout.env}:ais:vessel:{${bucketOf(layout, mmsi)}}:${mmsi}`;
}

export function geoKey(layout: KeyLayout, bucket: number): string {
  return `${layout.env}:ais:vessels:geo:{${bucket}}`;
}

export function activeKey(layout: KeyLayout, bucket: number): string {
  return `${layout.env}:ais:vessels:active:{${bucket}}`;
}

/**
 * Small hash describing how an environment's keys are laid out (field `buckets`), so a reader
 * started later, without the writer's flags, queries the right keys. One key, no hash tag: it is
 * read once per command.
 */
export function metaKey(env: string): string {
  return `${keyLayout(env).env}:ais:meta`;
}

/** Default bucket count: 1 on a standalone server (one geo set), 64 on a cluster (spread over the nodes). */
export function defaultBuckets(cluster: boolean): number {
  return cluster ? 64 : 1;
}

/**
 * Hash field names. Short names because a vessel hash is small enough to be stored as a
 * listpack, where field names are stored per vessel: see docs/storage.md for the figures.
 */
export const F = {
  lat: 'la',
  lon: 'lo',
  sog: 'sg',
  cog: 'cg',
  heading: 'hd',
  navStatus: 'ns',
  ts: 't',
  source: 'src',
  score: 'sc',
  name: 'nm',
  callsign: 'cs',
  imo: 'imo',
  shipType: 'st',
  dims: 'dim',
  draught: 'dr',
  destination: 'dst',
  staticTs: 'sts',
} as const;
