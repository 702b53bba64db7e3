/**
 * `aisctl serve` acknowledges only what is durable. Each case would fail on a server that
 * answers 202 as soon as a body is parsed:
 * - PostgreSQL held by a table lock: no 202 comes back while the batch waits, and a SIGKILL at
 *   that moment leaves the client without an acknowledgement; once the lock is gone, a 202
 *   followed at once by SIGKILL finds every accepted position in PostgreSQL.
 * - Redis (this test's own server) killed and the spool unwritable: 503 with Retry-After, never
 *   202, and /healthz reports it.
 * The waits are on observable states (a backend waiting on the lock, a printed URL), not times.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServers, type LocalServers } from '../../harness/local-servers.js';
import { describeResult, ensureBuilt, startCli, type RunningCli } from '../../testing/cli.js';
import { jsonlPosition, trackPoint } from '../../testing/position-feed.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';

/** 40 vessels x 30 reports on plausible tracks: every line is a distinct, valid position. */
const FEED_TRACK = { t0: Date.UTC(2024, 5, 2, 6), stepMs: 10_000, baseMmsi: 236_000_000 };
const FEED_LINES: string[] = [];
for (let slot = 0; slot < 30; slot++) for (let v = 0; v < 40; v++) FEED_LINES.push(jsonlPosition(trackPoint(v, slot, FEED_TRACK), 'durable'));
const JSONL = `${FEED_LINES.join('\n')}\n`;

let dir: string;
let db: TestDatabase;
let redis: TestRedis;
let pool: pg.Pool;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-serve-durable-'));
  db = await createTestDatabase('durable');
  redis = await createTestRedis('durable');
  pool = new pg.Pool({ connectionString: db.url, max: 3 });
}, 300_000);

afterAll(async () => {
  await pool?.end();
  await redis?.cleanup();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `aisctl serve` on a free port and resolves with its URL once it prints it. */
async function startServe(args: readonly string[]): Promise<{ run: RunningCli; url: string }> {
  const run = startCli(['serve', '--port', '0', ...args], { timeoutMs: 300_000 });
  let out = '';
  run.child.stdout?.on('data', (d: Buffer | string) => (out += d.toString()));
  let url = '';
  await waitUntil('the listening line', 60_000, async () => {
    if (run.exited()) throw new Error(`serve exited early: ${describeResult(await run.result)}`);
    url = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
    return url !== '';
  });
  return { run, url };
}

function post(url: string, body: string): Promise<Response> {
  return fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
}

async function storedPositions(): Promise<number> {
  const r = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vessel_positions');
  return r.rows[0]?.n ?? 0;
}

describe('aisctl serve answers 202 only for what is durable', () => {
  it('PostgreSQL held by a lock: no 202 while the batch waits; SIGKILL then leaves nothing acknowledged', async () => {
    const conn = ['--database-url', db.url, '--redis-url', redis.url, '--env', `${redis.prefix}_lock`, '--spool-dir', join(dir, 'spool-lock')];
    const first = await startServe(conn);
    const locker = await pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE vessel_positions IN EXCLUSIVE MODE');
      let answered: number | null = null;
      const response = post(first.url, JSONL).then(
        (r) => (answered = r.status),
        () => (answered = -1),
      );
      // The batch write is now blocked inside PostgreSQL: a backend of this database waits on a lock.
      await waitUntil('a write waiting on the table lock', 60_000, async () => {
        const r = await pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        return (r.rows[0]?.n ?? 0) > 0;
      });
      expect(answered).toBeNull();
      first.run.child.kill('SIGKILL');
      await first.run.result;
      await response;
      // The connection died without an answer: the sender knows to retry.
      expect(answered).toBe(-1);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    expect(await storedPositions()).toBe(0);

    // Unblocked: a 202 means the rows are in PostgreSQL even if the server dies right after.
    const second = await startServe(conn);
    const r = await post(second.url, JSONL);
    const body = (await r.json()) as { accepted: number; rejected: number };
    second.run.child.kill('SIGKILL');
    await second.run.result;
    expect(r.status).toBe(202);
    expect(body).toMatchObject({ accepted: FEED_LINES.length, rejected: 0 });
    expect(await storedPositions()).toBe(FEED_LINES.length);
  }, 300_000);

  it('Redis down and the spool unwritable: 503 with Retry-After, never 202, and /healthz says why', async () => {
    const servers: LocalServers = await startLocalServers({ dataDir: join(dir, 'servers'), postgres: false, durable: false });
    // A spool folder below a regular file cannot be created (ENOTDIR), even for root.
    writeFileSync(join(dir, 'not-a-dir'), '');
    const { run, url } = await startServe([
      '--database-url',
      db.url,
      '--redis-url',
      servers.redisUrl,
      '--env',
      `${redis.prefix}_down`,
      '--spool-dir',
      join(dir, 'not-a-dir', 'spool'),
    ]);
    try {
      expect((await post(url, JSONL)).status).toBe(202);
      await servers.stopRedis({ kill: true });
      const statuses: number[] = [];
      const retryAfter: Array<string | null> = [];
      for (let i = 0; i < 9; i++) {
        // New fixes each time: a repeat of stored fixes moves no live state, needs no Redis and
        // is rightly acknowledged.
        const fresh = Array.from({ length: 40 }, (_, v) => jsonlPosition(trackPoint(v, 30 + i, FEED_TRACK), 'durable'));
        const r = await post(url, `${fresh.join('\n')}\n`);
        statuses.push(r.status);
        retryAfter.push(r.headers.get('retry-after'));
        await r.arrayBuffer();
      }
      expect(
        statuses.every((s) => s === 503),
        `statuses ${statuses.join(',')}`,
      ).toBe(true);
      expect(retryAfter.every((h) => h !== null && Number(h) >= 1)).toBe(true);
      const h = await fetch(`${url}/healthz`);
      const health = (await h.json()) as { ok: boolean; checks: Record<string, { ok: boolean; detail: string }> };
      expect(h.status).toBe(503);
      expect(health.checks.durability?.ok).toBe(false);
      expect(health.checks.durability?.detail).toContain('NOT STORED');
    } finally {
      run.child.kill('SIGKILL');
      await run.result;
      await servers.stop({ removeData: true }).catch(() => undefined);
    }
  }, 300_000);
});
