/**
 * Graceful shutdown of `aisctl ingest` (issue: SIGINT/SIGTERM stop intake, flush open batches,
 * drain or spool in-flight work and exit 0; a second signal spools what is left and exits at
 * once), on the real servers with a database and key prefix of the test's own.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { describeResult, ensureBuilt, jsonOutput, runCli, startCli } from '../../testing/cli.js';
import { jsonlPosition, pointKey, trackPoint } from '../../testing/position-feed.js';

const VESSELS = 500;
const SLOTS = 400; // 200,000 positions: several seconds of ingest, long enough to interrupt
let dir: string;
let feed: string;
let distinct: number;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-signals-'));
  const keys = new Set<string>();
  const lines: string[] = [];
  const opts = { t0: Date.UTC(2024, 5, 3, 6), stepMs: 10_000, baseMmsi: 236_000_000 };
  for (let slot = 0; slot < SLOTS; slot++) {
    for (let v = 0; v < VESSELS; v++) {
      const p = trackPoint(v, slot, opts);
      keys.add(pointKey(p.mmsi, p.ts));
      lines.push(jsonlPosition(p, 'signals'));
    }
  }
  distinct = keys.size;
  feed = join(dir, 'feed.jsonl');
  writeFileSync(feed, lines.join('\n') + '\n');
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function rowCount(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM vessel_positions WHERE to_regclass('vessel_positions') IS NOT NULL");
    return Number(r.rows[0]?.n ?? 0);
  } catch {
    return 0;
  } finally {
    await c.end();
  }
}

async function waitForRows(url: string, atLeast: number, running: () => boolean): Promise<void> {
  for (;;) {
    if (!running()) return;
    if ((await rowCount(url)) >= atLeast) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs `body` while a transaction holds vessel_positions in EXCLUSIVE mode: inserts wait, the
 * row counts read here do not.
 */
async function holdPositionInserts<T>(url: string, body: () => Promise<T>): Promise<T> {
  const blocker = new pg.Client({ connectionString: url });
  await blocker.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE vessel_positions IN EXCLUSIVE MODE');
    return await body();
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    await blocker.end();
  }
}

describe('aisctl ingest shutdown', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  beforeAll(async () => {
    db = await createTestDatabase('signals');
    redis = await createTestRedis('signals');
  });
  afterAll(async () => {
    await redis?.cleanup();
    await db?.drop();
  });

  it('first SIGINT: stops reading, writes what it read, exits 0 with a reconciled summary; a re-run completes the data', async () => {
    const args = ['ingest', feed, '--json', '--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix, '--spool-dir', join(dir, 'spool1')];
    const cli = startCli(args, { timeoutMs: 240_000 });
    await waitForRows(db.url, 5_000, () => !cli.exited());
    expect(cli.exited()).toBe(false);
    // While inserts are held the reader stops at the pipeline's high-water mark, so the signal
    // lands before the input is used up however fast the machine is.
    await holdPositionInserts(db.url, async () => {
      cli.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 1_000));
    });
    const r = await cli.result;
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<{ aborted: boolean; reconciled: boolean; stored: { positionsInserted: number } }>(r);
    expect(s.aborted).toBe(true);
    expect(s.reconciled).toBe(true);
    const rows = await rowCount(db.url);
    // Everything it read was written before it exited, and it stopped well before the end.
    expect(rows).toBe(s.stored.positionsInserted);
    expect(rows).toBeLessThan(distinct);

    const again = await runCli(args, { timeoutMs: 240_000 });
    expect(again.code, describeResult(again)).toBe(0);
    expect(await rowCount(db.url)).toBe(distinct);
  }, 300_000);
});

describe('aisctl ingest hard stop', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  beforeAll(async () => {
    db = await createTestDatabase('signals2');
    redis = await createTestRedis('signals2');
  });
  afterAll(async () => {
    await redis?.cleanup();
    await db?.drop();
  });

  it('second signal: spools what was not yet written and exits at once; replay plus a re-run complete the data with no duplicates', async () => {
    const spool = join(dir, 'spool2');
    const conn = ['--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix, '--spool-dir', spool];
    const cli = startCli(['ingest', feed, ...conn], { timeoutMs: 240_000 });
    await waitForRows(db.url, 5_000, () => !cli.exited());
    expect(cli.exited()).toBe(false);
    // Inserts are held so the graceful drain cannot finish before the second signal: without
    // this, on a fast run the first signal's flush can complete (exit 0) before the second lands.
    const r = await holdPositionInserts(db.url, async () => {
      const stopping = new Promise<void>((resolve) => {
        const onData = (chunk: Buffer): void => {
          if (chunk.toString().includes('stopping:')) {
            cli.child.stderr?.off('data', onData);
            resolve();
          }
        };
        cli.child.stderr?.on('data', onData);
      });
      cli.child.kill('SIGINT');
      await Promise.race([stopping, cli.result]);
      expect(cli.exited()).toBe(false);
      cli.child.kill('SIGINT');
      return cli.result;
    });
    // 130: interrupted, the conventional code for SIGINT; the spool holds what was pending.
    expect(r.code, describeResult(r)).toBe(130);
    expect(r.stderr).toMatch(/[1-9]\d* messages spooled/);

    const replay = await runCli(['dlq', 'replay', ...conn], { timeoutMs: 120_000 });
    expect([0, 1]).toContain(replay.code);
    const rerun = await runCli(['ingest', feed, '--json', ...conn], { timeoutMs: 240_000 });
    expect(rerun.code, describeResult(rerun)).toBe(0);
    expect(await rowCount(db.url)).toBe(distinct);
    // Nothing is left in the spool once replayed.
    const left = readdirSync(spool).filter((f) => !f.endsWith('.lock'));
    const stats = await runCli(['dlq', 'stats', '--json', ...conn]);
    expect(stats.code, `${describeResult(stats)} spool files: ${left.join(',')}`).toBe(0);
  }, 300_000);
});
