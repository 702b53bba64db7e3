/**
 * `aisctl dlq stats|replay|purge` against the real servers: entries are put in the Redis queue,
 * the parked set and the local spool with the real dead-letter queue, then handled by the command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeadLetterEntry } from '../../resilience/dead-letter-queue.js';
import { createFailoverDeadLetterQueue, type FailoverDeadLetterQueue } from '../../resilience/failover-dead-letter-queue.js';
import { positionRow, staticRow } from '../../resilience/test-rows.js';
import { lastPositions } from '../../store/postgres/vessel-queries.js';
import { getVesselState } from '../../store/redis/hot-state-reader.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { run as runDlq } from './dlq.js';

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await fn(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

let db: TestDatabase;
let redis: TestRedis;
let spoolDir: string;
let flags: { databaseUrl: string; redisUrl: string; env: string; spoolDir: string };
let pool: pg.Pool;
const T0 = Date.now() - 120_000;

function entry(id: string, target: 'postgres' | 'redis', mmsi: number, over: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return {
    id,
    target,
    positions: [positionRow(mmsi, T0), positionRow(mmsi, T0 + 10_000)],
    statics: [staticRow(mmsi, T0)],
    attempts: 0,
    firstFailedAt: T0,
    nextAttemptAt: T0,
    lastError: 'connect ECONNREFUSED 127.0.0.1:5432',
    ...over,
  };
}

async function withQueue<T>(fn: (q: FailoverDeadLetterQueue) => Promise<T>): Promise<T> {
  const q = createFailoverDeadLetterQueue({ redis: redis.client, env: redis.prefix, spool: { dir: spoolDir } });
  try {
    return await fn(q);
  } finally {
    await q.close();
  }
}

async function storedPositions(mmsi: number): Promise<number> {
  return (await lastPositions(pool, mmsi, 1000)).length;
}

beforeAll(async () => {
  db = await createTestDatabase('dlq');
  redis = await createTestRedis('dlq');
  spoolDir = mkdtempSync(join(tmpdir(), 'aisctl-dlq-'));
  flags = { databaseUrl: db.url, redisUrl: redis.url, env: redis.prefix, spoolDir };
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
});

afterAll(async () => {
  await pool?.end();
  await redis?.cleanup();
  await db?.drop();
  if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
});

describe('aisctl dlq', () => {
  it('stats on an empty queue', async () => {
    const r = await capture(() => runDlq('stats', { ...flags, json: true }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ pending: 0, parked: 0, spooled: 0, oldestAgeMs: null, parkedEntries: [] });
  });

  it('stats: pending, parked (with last error) and spooled entries', async () => {
    await withQueue(async (q) => {
      await q.enqueue([entry('parked-1', 'postgres', 211000001)]);
      const claimed = await q.claimDue(Date.now(), 10, 60_000);
      expect(claimed.map((e) => e.id)).toEqual(['parked-1']);
      await q.park({ ...claimed[0]!, attempts: 8, lastError: 'value too long for type character varying(20)' }, Date.now());
      await q.enqueue([entry('pg-1', 'postgres', 211000002), entry('redis-1', 'redis', 211000003)]);
      // The spool is where entries go while Redis is down; replay hands them to Redis first.
      await q.spool.append([entry('spooled-1', 'postgres', 211000004)]);
    });
    const r = await capture(() => runDlq('stats', { ...flags, json: true }));
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { pending: number; parked: number; spooled: number; oldestAgeMs: number; parkedEntries: { id: string; target: string; rows: number; attempts: number; lastError: string }[] };
    expect(s).toMatchObject({ pending: 2, parked: 1, spooled: 1 });
    expect(s.oldestAgeMs).toBeGreaterThanOrEqual(119_000);
    expect(s.parkedEntries).toEqual([
      expect.objectContaining({ id: 'parked-1', target: 'postgres', rows: 3, attempts: 8, lastError: 'value too long for type character varying(20)' }),
    ]);
    const text = await capture(() => runDlq('stats', { ...flags }));
    expect(text.out).toMatch(/pending\s+2/);
    expect(text.out).toContain('parked entries');
    expect(text.out).toContain('value too long');
    expect(text.out).toContain('aisctl dlq replay --which parked');
  });

  it('replay: writes pending and spooled entries to their stores, leaves parked ones alone', async () => {
    const r = await capture(() => runDlq('replay', { ...flags, json: true }));
    const j = JSON.parse(r.out) as { ok: boolean; replayed: number; spoolHandedOff: number; requeuedParked: number; remaining: { pending: number; parked: number; spooled: number } };
    expect(j).toMatchObject({ replayed: 3, spoolHandedOff: 1, requeuedParked: 0, remaining: { pending: 0, parked: 1, spooled: 0 } });
    expect(r.code).toBe(0);
    expect(await storedPositions(211000002)).toBe(2);
    expect(await storedPositions(211000004)).toBe(2);
    expect(await storedPositions(211000001)).toBe(0);
    const live = await getVesselState(redis.client, redis.prefix, 211000003);
    expect(live?.position?.ts).toBe(T0 + 10_000);
    expect(live?.static.name).toBe('VESSEL 211000003');
  });

  it('replay --which parked: requeues parked entries (attempts reset) and replays them', async () => {
    const r = await capture(() => runDlq('replay', { ...flags, which: 'parked' }));
    expect(r.code).toBe(0);
    expect(r.out).toContain('replayed 1 entry');
    expect(r.out).toContain('after requeueing 1 parked');
    expect(await storedPositions(211000001)).toBe(2);
  });

  it('replay: an entry the database refuses on its last attempt is parked, and the command exits 1', async () => {
    // MMSI beyond PostgreSQL's integer: refused as data (SQLSTATE class 22), not an outage.
    await withQueue((q) => q.enqueue([entry('poison-1', 'postgres', 3_000_000_000, { attempts: 7, positions: [positionRow(3_000_000_000, T0)], statics: [] })]));
    const r = await capture(() => runDlq('replay', { ...flags }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/parked\s+poison-1 \(postgres, 1 rows\) after 8 attempts/);
    expect(r.out).toContain('entries remain');
    const s = JSON.parse((await capture(() => runDlq('stats', { ...flags, json: true }))).out) as { parked: number; parkedEntries: { id: string; lastError: string }[] };
    expect(s.parked).toBe(1);
    expect(s.parkedEntries[0]?.id).toBe('poison-1');
    expect(s.parkedEntries[0]?.lastError).toMatch(/out of range/);
  });

  it('purge: pending (with the spool) by default, parked on request', async () => {
    await withQueue(async (q) => {
      await q.enqueue([entry('purge-1', 'redis', 211000005, { nextAttemptAt: Date.now() + 3_600_000 })]);
      await q.spool.append([entry('purge-2', 'redis', 211000006)]);
    });
    const pending = await capture(() => runDlq('purge', { ...flags, json: true }));
    expect(pending.code).toBe(0);
    expect(JSON.parse(pending.out)).toMatchObject({ which: 'pending', purged: 2, remaining: { pending: 0, spooled: 0, parked: 1 } });
    const parked = await capture(() => runDlq('purge', { ...flags, which: 'parked' }));
    expect(parked.out).toContain('purged 1 parked dead-letter entry');
    expect(parked.out).toMatch(/parked\s+0/);
  });

  it('bad arguments are usage errors; an unreachable Redis is a one-line dependency error', async () => {
    await expect(runDlq('drain', flags)).rejects.toMatchObject({ name: 'UsageError' });
    await expect(runDlq('purge', { ...flags, which: 'everything' })).rejects.toMatchObject({ name: 'UsageError' });
    const r = capture(() => runDlq('stats', { ...flags, redisUrl: 'redis://127.0.0.1:1' }));
    await expect(r).rejects.toMatchObject({ name: 'DependencyError', message: expect.stringContaining('127.0.0.1:1') });
  });
});
