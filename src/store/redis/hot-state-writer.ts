import type { HotStateStore, HotStateWriteResult, PositionRow, VesselStaticRow } from '../store-types.js';
import { activeKey, bucketOf, geoKey, keyLayout, vesselKey, type KeyLayout } from './key-layout.js';
import { LuaScript } from '../../utils/lua-script.js';
import type { RedisClient } from './redis-client.js';

const WRITE_POSITION = new LuaScript(new URL('./write-position.lua', import.meta.url));
const WRITE_STATIC = new LuaScript(new URL('./write-static.lua', import.meta.url));

/** Vessels per script call: one call runs atomically and blocks Redis while it does. */
const CALL_CHUNK = 500;

export interface HotStateWriterOptions {
  /** ioredis client or Cluster; not closed by close() unless ownsClient. */
  readonly redis: RedisClient;
  /** Environment prefix (roadmap 5.1), e.g. 'dev', 'staging', 'prod'. */
  readonly env: string;
  /** Geo/active index buckets: 1 on a standalone Redis, e.g. 64 on a cluster (see key-layout.ts). */
  readonly buckets?: number;
  readonly ownsClient?: boolean;
}

const opt = (v: number | string | null): string => (v === null ? '' : String(v));

/**
 * One script argument per vessel (write-position.lua splits it): `mmsi|ts|lat|lon|sog|cog|
 * heading|navStatus|score|source`, source last so it may hold any character. ioredis encodes
 * every argument separately (type checks, byte length, a RESP header), so ten arguments per
 * vessel were ~3 µs of client CPU per vessel update; one template string is ~0.5 µs (measured
 * with --cpu-prof on bench/ingest.bench.ts; docs/storage.md, "Ingest CPU per position").
 */
function packPosition(p: PositionRow): string {
  return `${p.mmsi}|${Math.trunc(p.ts)}|${p.lat}|${p.lon}|${p.sog ?? ''}|${p.cog ?? ''}|${p.heading ?? ''}|${p.navStatus ?? ''}|${p.score}|${p.source}`;
}

function newestPerVessel(positions: readonly PositionRow[]): PositionRow[] {
  const best = new Map<number, PositionRow>();
  for (const p of positions) {
    const cur = best.get(p.mmsi);
    if (!cur || p.ts > cur.ts || (p.ts === cur.ts && p.score > cur.score)) best.set(p.mmsi, p);
  }
  return [...best.values()];
}

function groupByBucket<T extends { mmsi: number }>(layout: KeyLayout, rows: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const r of rows) {
    const b = bucketOf(layout, r.mmsi);
    const g = groups.get(b);
    if (g) g.push(r);
    else groups.set(b, [r]);
  }
  return groups;
}

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function pair(r: unknown): [number, number] {
  return Array.isArray(r) ? [Number(r[0] ?? 0), Number(r[1] ?? 0)] : [0, 0];
}

/**
 * Live vessel state in Redis. Reports of one batch are reduced to the newest per vessel, then
 * sent as one script call per bucket (all calls in flight at once: one round trip on a
 * standalone server). The script refuses anything older than what is stored.
 */
export function createHotStateWriter(opts: HotStateWriterOptions): HotStateStore {
  const layout = keyLayout(opts.env, opts.buckets ?? 1);
  const redis = opts.redis;

  async function writePositions(positions: readonly PositionRow[]): Promise<[number, number]> {
    const newest = newestPerVessel(positions);
    const calls: Promise<unknown>[] = [];
    for (const [bucket, rows] of groupByBucket(layout, newest)) {
      for (const chunk of chunks(rows, CALL_CHUNK)) {
        const keys: string[] = new Array<string>(chunk.length + 2);
        const args: string[] = new Array<string>(chunk.length);
        keys[0] = geoKey(layout, bucket);
        keys[1] = activeKey(layout, bucket);
        for (let i = 0; i < chunk.length; i++) {
          const p = chunk[i] as PositionRow;
          keys[i + 2] = vesselKey(layout, p.mmsi);
          args[i] = packPosition(p);
        }
        calls.push(WRITE_POSITION.run(redis, keys, args));
      }
    }
    let applied = 0;
    for (const r of await Promise.all(calls)) applied += pair(r)[0];
    // Superseded inside the batch or refused by the script: both are stale reports.
    return [applied, positions.length - applied];
  }

  async function writeStatics(statics: readonly VesselStaticRow[]): Promise<[number, number]> {
    const calls: Promise<unknown>[] = [];
    // Oldest first within a call, so the script's "newer wins" sees them in time order.
    const sorted = [...statics].sort((a, b) => a.ts - b.ts);
    for (const [bucket, rows] of groupByBucket(layout, sorted)) {
      for (const chunk of chunks(rows, CALL_CHUNK)) {
        const keys = [activeKey(layout, bucket), ...chunk.map((s) => vesselKey(layout, s.mmsi))];
        const args: string[] = [];
        for (const s of chunk) {
          const dims = [s.toBow, s.toStern, s.toPort, s.toStarboard];
          args.push(
            String(s.mmsi),
            String(Math.trunc(s.ts)),
            opt(s.name),
            opt(s.callsign),
            opt(s.imo),
            opt(s.shipType),
            dims.every((d) => d === null) ? '' : dims.map(opt).join(','),
            opt(s.draught),
            opt(s.destination),
          );
        }
        calls.push(WRITE_STATIC.run(redis, keys, args));
      }
    }
    let applied = 0;
    let stale = 0;
    for (const r of await Promise.all(calls)) {
      const [a, s] = pair(r);
      applied += a;
      stale += s;
    }
    return [applied, stale];
  }

  return {
    async writeBatch(positions, statics): Promise<HotStateWriteResult> {
      const [[pa, ps], [sa, ss]] = await Promise.all([writePositions(positions), writeStatics(statics)]);
      return { applied: pa + sa, stale: ps + ss };
    },
    async close() {
      if (opts.ownsClient) await redis.quit();
    },
  };
}
