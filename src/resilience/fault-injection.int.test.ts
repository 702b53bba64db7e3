/**
 * Fault injection on servers this test starts itself (never the shared ones): batches go
 * through the resilient sink with the real PostgreSQL and Redis writers while Redis, then
 * PostgreSQL, then both are stopped and restarted. After replay, reconcile:
 * accepted = stored + parked, none lost, none duplicated, Redis holds the newest state.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServers } from '../harness/local-servers.js';
import type { LocalServers } from '../harness/local-servers.js';
import { createHistoryWriter } from '../store/postgres/history-writer.js';
import { migrate } from '../store/postgres/migrator.js';
import { createPool } from '../store/postgres/pool.js';
import { createHotStateWriter } from '../store/redis/hot-state-writer.js';
import { getVesselState } from '../store/redis/hot-state-reader.js';
import type { PositionRow } from '../store/store-types.js';
import { createDependencyBreakers } from './dependency-breaker.js';
import { createDlqReplayer } from './dead-letter/dlq-replayer.js';
import { createFailoverDeadLetterQueue } from './dead-letter/failover-dead-letter-queue.js';
import type { FailoverDeadLetterQueue } from './dead-letter/failover-dead-letter-queue.js';
import { createResilientSink } from './resilient-sink.js';
import type { ResilientSink, SinkWriteResult } from './resilient-sink.js';
import { positionRow } from '../testing/test-rows.js';

const ENV = 'fault';
const VESSELS = 25;
const BASE_MMSI = 244_100_000;
const BASE_TS = Date.UTC(2024, 0, 1);

let dir: string;
let servers: LocalServers;
let pool: pg.Pool;
let redis: Redis;
let dlq: FailoverDeadLetterQueue;
let sink: ResilientSink;
let replayer: ReturnType<typeof createDlqReplayer>;
let targets: Parameters<typeof replayer.replayOnce>[0];
let batchNo = 0;
/** Every position of every accepted batch, by `${mmsi}@${ts}`. */
const accepted = new Map<string, PositionRow>();
const poison = new Set<string>();
const results: SinkWriteResult[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aisctl-fault-'));
  chmodSync(dir, 0o711); // PostgreSQL runs as the postgres OS user when we are root
  servers = await startLocalServers({ dataDir: join(dir, 'servers'), durable: false });
  pool = createPool(servers.databaseUrl, { max: 4, connectionTimeoutMillis: 2_000, onIdleError: () => undefined });
  await migrate(pool);
  // Fail fast while disconnected (no offline queue): the sink has a spool for that.
  redis = new Redis(servers.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  await new Promise<void>((res) => redis.once('ready', () => res()));

  const breakers = createDependencyBreakers({
    postgres: { threshold: 3, halfOpenAfterMs: 200, callTimeoutMs: 5_000 },
    redis: { threshold: 3, halfOpenAfterMs: 200, callTimeoutMs: 5_000 },
  });
  const history = createHistoryWriter({ pool });
  const hot = createHotStateWriter({ redis, env: ENV });
  targets = { postgres: history, redis: hot };
  dlq = createFailoverDeadLetterQueue({ redis, env: ENV, spool: { dir: join(dir, 'spool') }, breaker: breakers.redis, redisTimeoutMs: 2_000 });
  sink = createResilientSink({ history, hot, dlq, breakers, firstRetryDelayMs: 0 });
  replayer = createDlqReplayer({
    dlq,
    breakers,
    backoff: { baseMs: 20, maxMs: 200, maxAttempts: 3 },
    outageRetryMs: 200,
    leaseMs: 30_000,
  });
});

afterAll(async () => {
  await replayer?.stop();
  await dlq?.close();
  redis?.disconnect();
  await pool?.end().catch(() => undefined);
  await servers?.stop({ removeData: true }).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One batch: every vessel one report, a second apart per batch; optionally one poison row. */
async function writeBatch(opts: { poison?: boolean } = {}): Promise<SinkWriteResult> {
  const i = batchNo++;
  const positions: PositionRow[] = [];
  for (let v = 0; v < VESSELS; v++) {
    // Reports arrive slightly out of order across vessels, as from several receivers.
    positions.push(positionRow(BASE_MMSI + v, BASE_TS + i * 1_000 + ((v * 37) % 500)));
  }
  if (opts.poison) {
    // PostgreSQL refuses NUL in text (SQLSTATE 22021); Redis stores it. The row is older than
    // its vessel's newest state so it cannot be the newest in Redis.
    const bad = positionRow(BASE_MMSI, BASE_TS + i * 1_000 - 999, { source: 'bad\u0000source' });
    positions.push(bad);
    poison.add(`${bad.mmsi}@${bad.ts}`);
  }
  const r = await sink.write(positions, []);
  // Resolved = accepted: written or durably dead-lettered, part by part.
  for (const p of positions) accepted.set(`${p.mmsi}@${p.ts}`, p);
  results.push(r);
  return r;
}

async function writeMany(n: number): Promise<SinkWriteResult[]> {
  const out: SinkWriteResult[] = [];
  for (let k = 0; k < n; k++) out.push(await writeBatch());
  return out;
}

async function replayUntilEmpty(): Promise<void> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    await replayer.replayOnce(targets);
    const s = await dlq.stats(Date.now());
    if (s.pending === 0 && s.spooled === 0) return;
    if (Date.now() > deadline) throw new Error(`DLQ not drained: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function reconcile(): Promise<void> {
  const { rows } = await pool.query<{ mmsi: number; ts: string; n: string }>(
    `SELECT v.mmsi, (extract(epoch FROM p.ts) * 1000)::bigint::text AS ts, count(*) OVER (PARTITION BY p.vessel_id, p.ts)::text AS n
       FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id`,
  );
  const stored = new Set(rows.map((r) => `${r.mmsi}@${r.ts}`));
  expect(rows.every((r) => r.n === '1')).toBe(true);
  expect(stored.size).toBe(rows.length);

  const parked = (await dlq.listParked(10_000)).filter((e) => e.target === 'postgres');
  const parkedKeys = new Set(parked.flatMap((e) => e.positions.map((p) => `${p.mmsi}@${p.ts}`)));

  const missing = [...accepted.keys()].filter((k) => !stored.has(k) && !parkedKeys.has(k));
  const extra = [...stored].filter((k) => !accepted.has(k));
  expect(missing).toEqual([]);
  expect(extra).toEqual([]);
  // only the poison rows are parked, and none of them is also stored
  expect([...parkedKeys].sort()).toEqual([...poison].sort());
  expect(accepted.size).toBe(stored.size + parkedKeys.size);

  const newest = new Map<number, number>();
  for (const p of accepted.values()) newest.set(p.mmsi, Math.max(newest.get(p.mmsi) ?? 0, p.ts));
  for (const [mmsi, ts] of newest) {
    expect((await getVesselState(redis, ENV, mmsi))?.position?.ts, `Redis state of ${mmsi}`).toBe(ts);
  }
}

describe('fault injection: Redis and PostgreSQL stopped and restarted under load', () => {
  it('Redis down: history still written, hot state spooled, replayed when Redis returns', async () => {
    await writeMany(5);
    await writeBatch({ poison: true });
    await servers.stopRedis();
    const during = await writeMany(8);
    expect(during.every((r) => r.postgres === 'ok' && r.redis === 'dead-lettered')).toBe(true);
    expect(during.every((r) => r.deadLettered?.redis?.to === 'spool')).toBe(true);
    expect((await dlq.stats(Date.now())).spooled).toBe(8);
    await servers.startRedis();
    await expect.poll(() => redis.status, { timeout: 15_000 }).toBe('ready');
    await writeMany(3);
    await replayUntilEmpty();
    await reconcile();
  });

  it('PostgreSQL down (Redis up): history parts wait in the Redis DLQ, replayed when PostgreSQL returns', async () => {
    const writing = (async () => {
      const out: SinkWriteResult[] = [];
      for (let k = 0; k < 12; k++) {
        out.push(await writeBatch());
        if (k === 3) await servers.stopPostgres({ kill: true });
      }
      return out;
    })();
    const out = await writing;
    const dead = out.filter((r) => r.postgres === 'dead-lettered');
    expect(dead.length).toBeGreaterThanOrEqual(8);
    expect(dead.every((r) => r.deadLettered?.postgres?.to === 'redis')).toBe(true);
    expect(out.every((r) => r.redis === 'ok')).toBe(true);
    expect((await dlq.stats(Date.now())).pending).toBeGreaterThanOrEqual(8);
    await servers.startPostgres();
    await replayUntilEmpty();
    await reconcile();
  });

  it('both down: everything goes to the spool, and all of it arrives once both return', async () => {
    await writeMany(2);
    await servers.stopPostgres();
    await servers.stopRedis({ kill: true });
    const during = await writeMany(6);
    expect(during.every((r) => r.postgres === 'dead-lettered' && r.redis === 'dead-lettered')).toBe(true);
    expect(during.every((r) => r.deadLettered?.postgres?.to === 'spool' && r.deadLettered?.redis?.to === 'spool')).toBe(true);
    expect((await dlq.stats(Date.now())).spooled).toBe(12);
    // replay while both are still down: nothing is lost, nothing parked
    await replayer.replayOnce(targets);
    expect((await dlq.stats(Date.now())).spooled).toBe(12);
    await servers.startRedis();
    await servers.startPostgres();
    await expect.poll(() => redis.status, { timeout: 15_000 }).toBe('ready');
    await writeMany(2);
    await replayUntilEmpty();
    await reconcile();
    const stats = await dlq.stats(Date.now());
    expect(stats).toMatchObject({ pending: 0, spooled: 0, parked: 1, corruptSpoolLines: 0 });
  });
});
