/**
 * `aisctl dlq stats|replay|purge` against the real servers: entries are put in the Redis queue,
 * the parked set and the local spool with the real dead-letter queue, then handled by the command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeadLetterEntry } from '../../resilience/dead-letter/dead-letter-queue.js';
import { createFailoverDeadLetterQueue, type FailoverDeadLetterQueue } from '../../resilience/dead-letter/failover-dead-letter-queue.js';
import { positionRow, staticRow } from '../../testing/test-rows.js';
import { lastPositions } from '../../store/postgres/vessel-queries.js';
import { getVesselState } from '../../store/redis/hot-state-reader.js';
import { describeResult, ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { run as runDlq, type ReplaySummary } from './dlq.js';

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

async function withQueue<T>(
  fn: (q: FailoverDeadLetterQueue) => Promise<T>,
  where: { env: string; spoolDir: string } = { env: redis.prefix, spoolDir },
): Promise<T> {
  const q = createFailoverDeadLetterQueue({ redis: redis.client, env: where.env, spool: { dir: where.spoolDir } });
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
    const s = JSON.parse(r.out) as {
      pending: number;
      parked: number;
      spooled: number;
      oldestAgeMs: number;
      parkedEntries: { id: string; target: string; rows: number; attempts: number; lastError: string }[];
    };
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
    const j = JSON.parse(r.out) as {
      ok: boolean;
      replayed: number;
      spoolHandedOff: number;
      requeuedParked: number;
      remaining: { pending: number; parked: number; spooled: number };
    };
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
    await withQueue((q) =>
      q.enqueue([entry('poison-1', 'postgres', 3_000_000_000, { attempts: 7, positions: [positionRow(3_000_000_000, T0)], statics: [] })]),
    );
    const r = await capture(() => runDlq('replay', { ...flags }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/parked\s+poison-1 \(postgres, 1 rows\) after 8 attempts/);
    expect(r.out).toContain('entries remain');
    const s = JSON.parse((await capture(() => runDlq('stats', { ...flags, json: true }))).out) as {
      parked: number;
      parkedEntries: { id: string; lastError: string }[];
    };
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

type ReplayJson = ReplaySummary & { ok: boolean };

/** Flags for a queue of its own (derived environment and spool), so these tests share no entries with the ones above. */
function ownQueue(label: string): typeof flags {
  return { ...flags, env: `${redis.prefix}_${label}`, spoolDir: join(spoolDir, label) };
}

function cliArgs(f: typeof flags): string[] {
  return ['--database-url', f.databaseUrl, '--redis-url', f.redisUrl, '--env', f.env, '--spool-dir', f.spoolDir];
}

describe('aisctl dlq replay next to another replayer (issue 8, finding 8)', () => {
  // The test plays the other replayer: it claims entries through the queue API, as a replay
  // round does, and holds the leases for as long as it likes, so no timing decides the outcome.
  const LEASE_MS = 600_000;

  it('entries all leased by another replayer: reported as such, exit 0; released or expired, they are replayed', async () => {
    const f = ownQueue('leased');
    const mmsis = Array.from({ length: 42 }, (_, i) => 212_000_000 + i);
    const claimed = await withQueue(async (q) => {
      await q.enqueue(mmsis.map((m) => entry(`leased-${m}`, 'postgres', m)));
      return q.claimDue(Date.now(), 100, LEASE_MS);
    }, f);
    expect(claimed).toHaveLength(42);

    const held = await capture(() => runDlq('replay', { ...f, json: true }));
    const j = JSON.parse(held.out) as ReplayJson;
    expect(j).toMatchObject({ ok: true, claimed: 0, replayed: 0, leased: 42, remaining: { pending: 42, spooled: 0 } });
    expect(Date.parse(j.leasedUntil ?? '')).toBeGreaterThan(Date.now());
    expect(held.code).toBe(0);

    const text = await capture(() => runDlq('replay', { ...f }));
    expect(text.code).toBe(0);
    expect(text.out).toContain('42 entries are being replayed by another process');
    expect(text.out).not.toContain('entries remain');

    ensureBuilt();
    const cli = await runCli(['dlq', 'replay', '--json', ...cliArgs(f)]);
    expect(cli.code, describeResult(cli)).toBe(0);
    expect(jsonOutput<ReplayJson>(cli)).toMatchObject({ ok: true, leased: 42, replayed: 0 });
    expect(await storedPositions(mmsis[0]!)).toBe(0);

    // The other replayer gives the first half back unchanged (due as before, attempts as before);
    // the second half's lease is still held: replayed 21, 21 still leased.
    await withQueue(async (q) => {
      for (const e of claimed.slice(0, 21)) await q.reschedule(e.id, [e]);
    }, f);
    const half = JSON.parse((await capture(() => runDlq('replay', { ...f, json: true }))).out) as ReplayJson;
    expect(half).toMatchObject({ ok: true, replayed: 21, leased: 21, remaining: { pending: 21 } });

    // The second half: its holder claimed it when it fell due (T0, two minutes ago) with a 1 ms
    // lease and died; the lease ended long before this replay looks.
    await withQueue(async (q) => {
      for (const e of claimed.slice(21)) await q.reschedule(e.id, [e]);
      const reclaimed = await q.claimDue(T0, 100, 1);
      expect(reclaimed).toHaveLength(21);
    }, f);
    const done = await capture(() => runDlq('replay', { ...f, json: true }));
    expect(JSON.parse(done.out)).toMatchObject({ ok: true, replayed: 21, leased: 0, remaining: { pending: 0, spooled: 0 } });
    expect(done.code).toBe(0);
    for (const m of mmsis) expect(await storedPositions(m)).toBe(2);
  }, 300_000);

  it('leases elsewhere do not excuse what nobody replays: an entry backing off still exits 1', async () => {
    const f = ownQueue('leasedbackoff');
    await withQueue(async (q) => {
      await q.enqueue([entry('held-1', 'postgres', 213000001), entry('held-2', 'postgres', 213000002)]);
      expect(await q.claimDue(Date.now(), 100, LEASE_MS)).toHaveLength(2);
      await q.enqueue([entry('later-1', 'postgres', 213000003, { attempts: 2, nextAttemptAt: Date.now() + 3_600_000 })]);
    }, f);
    const r = await capture(() => runDlq('replay', { ...f, json: true }));
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, leased: 2, replayed: 0, remaining: { pending: 3 } });
    expect(r.code).toBe(1);
    const text = await capture(() => runDlq('replay', { ...f }));
    expect(text.code).toBe(1);
    expect(text.out).toContain('2 entries are being replayed by another process');
    expect(text.out).toContain('entries remain');
  });

  it('leases elsewhere do not excuse a failure here: an entry this replay parks still exits 1', async () => {
    const f = ownQueue('leasedpoison');
    await withQueue(async (q) => {
      await q.enqueue([entry('held-3', 'postgres', 214000001)]);
      expect(await q.claimDue(Date.now(), 100, LEASE_MS)).toHaveLength(1);
      await q.enqueue([entry('poison-2', 'postgres', 3_000_000_000, { attempts: 7, positions: [positionRow(3_000_000_000, T0)], statics: [] })]);
    }, f);
    const r = await capture(() => runDlq('replay', { ...f, json: true }));
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, leased: 1, parked: 1, remaining: { pending: 1, parked: 1 } });
    expect(r.code).toBe(1);
  });
});
