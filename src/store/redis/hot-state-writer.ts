import type { HotStateStore, HotStateWriteResult, PositionRow, VesselStaticRow } from '../store-types.js';
import { bucketOf, bucketPrefix, keyLayout, newestKey, shardOf, type KeyLayout } from './key-layout.js';
import { ExpiryRefresh } from './expiry-refresh.js';
import { newestPerVessel } from '../newest-per-vessel.js';
import { packPositions } from './packed-state.js';
import { LuaScript } from '../../utils/lua-script.js';
import type { RedisClient } from './redis-client.js';

const WRITE_POSITION = new LuaScript(new URL('./write-position.lua', import.meta.url));
const WRITE_STATIC = new LuaScript(new URL('./write-static.lua', import.meta.url));

/** Vessels per script call: one call runs atomically and blocks Redis while it does. */
const CALL_CHUNK = 500;

/**
 * How long a shard key outlives its last write at least, as a multiple of the live TTL (renewed
 * as expiry-refresh.ts says, so at most an eighth longer): a backstop for an environment nobody
 * prunes (no `serve` running), never the way vessels leave (pruning against the environment's
 * clock is, see prune-inactive.ts). Wall-clock time, so an environment replayed from an old
 * archive keeps its state this long after the replay ended.
 */
export const BACKSTOP_TTL_FACTOR = 2;

export interface HotStateWriterOptions {
  /** ioredis client or Cluster; not closed by close() unless ownsClient. */
  readonly redis: RedisClient;
  /** Environment prefix (roadmap 5.1), e.g. 'dev', 'staging', 'prod'. */
  readonly env: string;
  /** Buckets: 1 on a standalone Redis, e.g. 64 on a cluster (see key-layout.ts). */
  readonly buckets?: number;
  /** `--live-ttl`: sets the backstop expiry of the shard keys; 0 or undefined: none. */
  readonly liveTtlMs?: number;
  /** Wall clock for the backstop expiry's renewals (tests drive it); Date.now by default. */
  readonly clock?: () => number;
  readonly ownsClient?: boolean;
}

const opt = (v: number | string | null): string => (v === null ? '' : String(v));

/**
 * The newest report per vessel (the highest score on a tie, as the script decides), ordered by
 * shard key (bucket, then shard; a counting sort over the layout's 1024 shard keys), so that a
 * script call meets each shard's vessels next to each other and writes them with one command per
 * key (write-position.lua). `keys` holds each returned row's shard key.
 */
function newestByShard(layout: KeyLayout, positions: readonly PositionRow[]): { rows: PositionRow[]; keys: Int32Array } {
  const newest = newestPerVessel(positions);
  const n = newest.length;
  const shardKeys = layout.buckets * layout.shards;
  const keyOf = new Int32Array(n);
  const starts = new Int32Array(shardKeys + 1);
  for (let i = 0; i < n; i++) {
    const mmsi = (newest[i] as PositionRow).mmsi;
    const k = bucketOf(layout, mmsi) * layout.shards + shardOf(layout, mmsi);
    keyOf[i] = k;
    (starts[k + 1] as number)++;
  }
  for (let k = 0; k < shardKeys; k++) starts[k + 1] = (starts[k + 1] as number) + (starts[k] as number);
  const rows = new Array<PositionRow>(n);
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keyOf[i] as number;
    const to = (starts[k] as number)++;
    rows[to] = newest[i] as PositionRow;
    keys[to] = k;
  }
  return { rows, keys };
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

function staticArgs(s: VesselStaticRow): string[] {
  return [
    String(s.mmsi),
    String(Math.trunc(s.ts)),
    opt(s.name),
    opt(s.callsign),
    opt(s.imo),
    opt(s.shipType),
    opt(s.toBow),
    opt(s.toStern),
    opt(s.toPort),
    opt(s.toStarboard),
    s.draught === null ? '' : String(Math.round(s.draught * 10)),
    opt(s.destination),
  ];
}

/**
 * Live vessel state in Redis. Reports of one batch are reduced to the newest per vessel, then
 * sent as one script call per bucket (all calls in flight at once: one round trip on a
 * standalone server). The script refuses anything older than what is stored.
 */
export function createHotStateWriter(opts: HotStateWriterOptions): HotStateStore {
  const layout = keyLayout(opts.env, opts.buckets ?? 1);
  const redis = opts.redis;
  const refresh =
    opts.liveTtlMs !== undefined && opts.liveTtlMs > 0
      ? new ExpiryRefresh(layout.buckets * layout.shards, Math.round(opts.liveTtlMs * BACKSTOP_TTL_FACTOR), opts.clock)
      : null;
  const expiry = String(refresh === null ? 0 : refresh.expiryMs);
  const head = (bucket: number): string[] => [bucketPrefix(layout, bucket), String(layout.buckets), String(layout.shards), expiry];
  // Marks the shards already listed for renewal in the call being built (stamped per call).
  const listed = new Int32Array(layout.buckets * layout.shards);
  let callStamp = 0;

  /**
   * One script call for `rows` of `bucket`: its arguments start with the shards whose expiry is
   * due for renewal (space-separated, '' for none), and the renewals count once it succeeds.
   */
  function call<T extends { readonly mmsi: number }>(
    script: LuaScript,
    bucket: number,
    rows: readonly T[],
    encode: (rows: readonly T[], args: (string | Buffer)[]) => void,
  ): Promise<unknown> {
    const args: (string | Buffer)[] = head(bucket);
    if (refresh === null) {
      args.push('');
      encode(rows, args);
      return script.run(redis, [newestKey(layout, bucket)], args);
    }
    const now = refresh.now();
    const stamp = ++callStamp;
    const base = bucket * layout.shards;
    const due: number[] = [];
    let shards = '';
    for (const r of rows) {
      const shard = shardOf(layout, r.mmsi);
      const i = base + shard;
      if (listed[i] !== stamp && refresh.due(i, now)) {
        listed[i] = stamp;
        due.push(i);
        shards = shards === '' ? String(shard) : `${shards} ${shard}`;
      }
    }
    args.push(shards);
    encode(rows, args);
    return script.run(redis, [newestKey(layout, bucket)], args).then((reply) => {
      refresh.renewed(due, now);
      return reply;
    });
  }

  async function writePositions(positions: readonly PositionRow[]): Promise<[number, number]> {
    const { rows, keys } = newestByShard(layout, positions);
    const calls: Promise<unknown>[] = [];
    const encode = (chunk: readonly PositionRow[], args: (string | Buffer)[]): number => args.push(packPositions(chunk));
    // Calls of at most CALL_CHUNK rows, each within one bucket (rows are in bucket order).
    for (let from = 0; from < rows.length;) {
      const bucket = Math.floor((keys[from] as number) / layout.shards);
      const bucketEnd = (bucket + 1) * layout.shards;
      let to = from;
      while (to < rows.length && to - from < CALL_CHUNK && (keys[to] as number) < bucketEnd) to++;
      calls.push(call(WRITE_POSITION, bucket, rows.slice(from, to), encode));
      from = to;
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
      for (const chunk of chunks(rows, CALL_CHUNK))
        calls.push(
          call(WRITE_STATIC, bucket, chunk, (statics, args) => {
            for (const st of statics) args.push(...staticArgs(st));
          }),
        );
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
