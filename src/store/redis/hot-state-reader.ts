import { bucketOf, bucketPrefix, deletedKey, keyLayout, type KeyLayout } from './key-layout.js';
import { decodePosition, decodeStatic, type PackedPosition, type PackedStatic } from './packed-state.js';
import { LuaScript } from '../../utils/lua-script.js';
import type { RedisClient } from './redis-client.js';

const READ_STATES = new LuaScript(new URL('./read-states.lua', import.meta.url));
const SEARCH_NEAR = new LuaScript(new URL('./search-near.lua', import.meta.url));
const ACTIVE_SINCE = new LuaScript(new URL('./active-since.lua', import.meta.url));

/** Vessels per read-states call: one call runs atomically and blocks Redis while it does. */
const READ_CHUNK = 1000;

export interface LayoutOptions {
  /** Must match the writer's bucket count. */
  readonly buckets?: number;
}

export interface VisibilityOptions extends LayoutOptions {
  /** Soft-deleted vessels are hidden unless this is set (`aisctl vessel` shows why a vessel is hidden). */
  readonly includeDeleted?: boolean;
  /** Only vessels whose last report is at or after this time (ms); default any age. */
  readonly sinceMs?: number;
}

export interface VesselState {
  readonly mmsi: number;
  /** Null when only static data has been received. */
  readonly position: PackedPosition | null;
  readonly static: PackedStatic;
  /** Time of the last report of any kind (the active index's score); null when not indexed. */
  readonly lastReportTs: number | null;
  /** Soft-deleted (only ever true with includeDeleted). */
  readonly deleted: boolean;
}

const EMPTY_STATIC: PackedStatic = {
  ts: null,
  name: null,
  callsign: null,
  imo: null,
  shipType: null,
  toBow: null,
  toStern: null,
  toPort: null,
  toStarboard: null,
  draught: null,
  destination: null,
};

export function layoutOf(env: string, opts: LayoutOptions): KeyLayout {
  return keyLayout(env, opts.buckets ?? 1);
}

export function allBuckets(layout: KeyLayout): number[] {
  return Array.from({ length: layout.buckets }, (_, i) => i);
}

const buf = (v: unknown): Buffer | null => (Buffer.isBuffer(v) ? v : null);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(String(v)));

function stateOf(
  mmsi: number,
  pos: Buffer | null,
  numbers: Buffer | null,
  text: Buffer | null,
  lastReportTs: number | null,
  deleted: boolean,
): VesselState | null {
  const position = pos === null ? null : decodePosition(pos);
  const statics = decodeStatic(numbers, text);
  if (position === null && statics === null) return null;
  return { mmsi, position, static: statics ?? EMPTY_STATIC, lastReportTs, deleted };
}

/**
 * The live state of many vessels (one script call per bucket and 1,000 vessels), in the order
 * asked; null for a vessel Redis holds nothing for, or that is hidden (soft-deleted, older than
 * sinceMs).
 */
export async function getVesselStates(
  redis: RedisClient,
  env: string,
  mmsis: readonly number[],
  opts: VisibilityOptions = {},
): Promise<(VesselState | null)[]> {
  const layout = layoutOf(env, opts);
  const out = new Array<VesselState | null>(mmsis.length).fill(null);
  const byBucket = new Map<number, number[]>();
  mmsis.forEach((m, i) => {
    const b = bucketOf(layout, m);
    const idx = byBucket.get(b);
    if (idx) idx.push(i);
    else byBucket.set(b, [i]);
  });
  const calls: Promise<void>[] = [];
  for (const [bucket, indexes] of byBucket) {
    for (let c = 0; c < indexes.length; c += READ_CHUNK) {
      const part = indexes.slice(c, c + READ_CHUNK);
      const args = [bucketPrefix(layout, bucket), layout.buckets, layout.shards, ...part.map((i) => mmsis[i] as number)];
      calls.push(
        READ_STATES.runBuffer(redis, [deletedKey(layout, bucket)], args).then((reply) => {
          const r = reply as unknown[];
          part.forEach((i, k) => {
            const deleted = num(r[k * 5 + 4]) === 1;
            const last = num(r[k * 5 + 3]);
            if (deleted && opts.includeDeleted !== true) return;
            if (opts.sinceMs !== undefined && (last === null || last < opts.sinceMs)) return;
            out[i] = stateOf(mmsis[i] as number, buf(r[k * 5]), buf(r[k * 5 + 1]), buf(r[k * 5 + 2]), last, deleted);
          });
        }),
      );
    }
  }
  await Promise.all(calls);
  return out;
}

export async function getVesselState(redis: RedisClient, env: string, mmsi: number, opts: VisibilityOptions = {}): Promise<VesselState | null> {
  return (await getVesselStates(redis, env, [mmsi], opts))[0] ?? null;
}

export interface NearbyVessel {
  readonly mmsi: number;
  readonly distanceMeters: number;
  /** The stored fix (not the geo index's cell centre). */
  readonly lat: number;
  readonly lon: number;
  readonly state: VesselState;
}

/**
 * Live vessels within radiusMeters of (lat, lon), nearest first, at most `limit`, over all
 * buckets; soft-deleted vessels and (with sinceMs) vessels last heard before sinceMs are left out
 * inside the search, so `limit` counts only vessels that are shown.
 */
export async function searchNear(
  redis: RedisClient,
  env: string,
  lat: number,
  lon: number,
  radiusMeters: number,
  limit: number,
  opts: VisibilityOptions = {},
): Promise<NearbyVessel[]> {
  const layout = layoutOf(env, opts);
  const n = Math.max(1, Math.trunc(limit));
  const since = opts.sinceMs === undefined ? '-inf' : String(Math.trunc(opts.sinceMs));
  const perBucket = await Promise.all(
    allBuckets(layout).map((b) =>
      SEARCH_NEAR.runBuffer(
        redis,
        [deletedKey(layout, b)],
        [bucketPrefix(layout, b), layout.shards, lon, lat, radiusMeters, n, since, opts.includeDeleted === true ? '1' : '0'],
      ),
    ),
  );
  const found: NearbyVessel[] = [];
  for (const reply of perBucket) {
    const r = reply as unknown[];
    for (let i = 0; i + 5 < r.length; i += 6) {
      const mmsi = Number(String(r[i]));
      const state = stateOf(mmsi, buf(r[i + 3]), buf(r[i + 4]), buf(r[i + 5]), num(r[i + 2]), false);
      // In the geo set but without a stored position: removed between two writes, nothing to show.
      if (state === null || state.position === null) continue;
      found.push({ mmsi, distanceMeters: Number(String(r[i + 1])), lat: state.position.lat, lon: state.position.lon, state });
    }
  }
  return found.sort((a, b) => a.distanceMeters - b.distanceMeters || a.mmsi - b.mmsi).slice(0, n);
}

async function activeReplies(redis: RedisClient, env: string, sinceMs: number, opts: VisibilityOptions, countOnly: boolean): Promise<unknown[][]> {
  const layout = layoutOf(env, opts);
  const since = Number.isFinite(sinceMs) ? String(Math.trunc(sinceMs)) : '-inf';
  return (await Promise.all(
    allBuckets(layout).map((b) =>
      ACTIVE_SINCE.run(
        redis,
        [deletedKey(layout, b)],
        [bucketPrefix(layout, b), layout.shards, since, opts.includeDeleted === true ? '1' : '0', countOnly ? '1' : '0'],
      ),
    ),
  )) as unknown[][];
}

/** Vessels whose last report is at or after sinceMs, newest first; soft-deleted ones left out. */
export async function activeSince(
  redis: RedisClient,
  env: string,
  sinceMs: number,
  opts: VisibilityOptions & { limit?: number } = {},
): Promise<{ mmsi: number; ts: number }[]> {
  const out: { mmsi: number; ts: number }[] = [];
  for (const flat of await activeReplies(redis, env, sinceMs, opts, false))
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ mmsi: Number(flat[i]), ts: Number(flat[i + 1]) });
  out.sort((a, b) => b.ts - a.ts || a.mmsi - b.mmsi);
  return opts.limit === undefined ? out : out.slice(0, opts.limit);
}

/** How many vessels are in the active index with a last report at or after sinceMs (all with -Infinity). */
export async function countActive(redis: RedisClient, env: string, sinceMs: number, opts: VisibilityOptions = {}): Promise<number> {
  let total = 0;
  for (const r of await activeReplies(redis, env, sinceMs, opts, true)) total += Number(r[0] ?? 0);
  return total;
}
