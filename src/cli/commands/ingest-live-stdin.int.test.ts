/**
 * `receiver | aisctl ingest -` as a live feed: a line is stored when it arrives, not when 1,000
 * lines (or the end of the input) have come. The test writes one line, waits until PostgreSQL has
 * it while stdin stays open (a reader that holds lines would never store it), then the rest.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../ingest-summary.js';
import { describeResult, ensureBuilt, jsonOutput, startCli } from '../../testing/cli.js';
import { jsonlPosition, trackPoint } from '../../testing/position-feed.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';

const TRACK = { t0: Date.UTC(2024, 5, 2, 6), stepMs: 10_000, baseMmsi: 237_000_000 };

let db: TestDatabase;
let redis: TestRedis;
let pool: pg.Pool;

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('live');
  redis = await createTestRedis('live');
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
}, 300_000);

afterAll(async () => {
  await pool?.end();
  await redis?.cleanup();
  await db?.drop();
});

async function rows(): Promise<number> {
  // The table appears when the ingest has migrated the database.
  const t = await pool.query<{ t: string | null }>("SELECT to_regclass('vessel_positions')::text AS t");
  if (t.rows[0]?.t == null) return 0;
  const r = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vessel_positions');
  return r.rows[0]?.n ?? 0;
}

async function waitForRows(n: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await rows()) < n) {
    if (exited()) throw new Error('the ingest exited while stdin was still open');
    if (Date.now() > deadline) throw new Error(`no ${n} rows after 60 s: the line was held back`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('aisctl ingest - on a slow pipe', () => {
  it('stores each line as it arrives, with stdin still open', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => jsonlPosition(trackPoint(i % 3, Math.floor(i / 3), TRACK), 'pipe'));
    const run = startCli(['ingest', '-', '--json', '--no-progress', '--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix], {
      stdin: 'keep-open',
      timeoutMs: 120_000,
    });
    const stdin = run.child.stdin;
    if (stdin === null) throw new Error('no stdin');
    stdin.write(`${lines[0]}\n`);
    await waitForRows(1, run.exited);
    stdin.write(`${lines.slice(1, 10).join('\n')}\n`);
    await waitForRows(10, run.exited);
    stdin.end(`${lines.slice(10).join('\n')}\n`);
    const r = await run.result;
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<IngestSummary>(r);
    expect(s.input).toMatchObject({ lines: 30, messages: 30, rejected: 0 });
    expect(s.stored.positionsInserted).toBe(30);
    expect(await rows()).toBe(30);
  }, 180_000);
});
