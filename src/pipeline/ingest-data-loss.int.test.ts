/**
 * `aisctl ingest` when batches can be neither stored nor dead-lettered: the Redis server this
 * test starts (never the shared 6379) is killed mid-ingest while the spool directory cannot be
 * created (its parent is a regular file: ENOTDIR even for root). Input comes on a stdin that is
 * never closed, as from a live producer. The ingest must stop reading by itself, exit 3, say how
 * much it did not store, and its counts must match what PostgreSQL holds. The control run, with
 * a writable spool, shows that the Redis kill alone loses nothing and exits 0.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_NOT_STORED } from '../errors/aisctl-error.js';
import type { IngestSummary } from '../cli/ingest-summary.js';
import { startLocalServers, type LocalServers } from '../harness/local-servers.js';
import type { DeadLetterEntry } from '../resilience/dead-letter/dead-letter-queue.js';
import { readSpoolSegment } from '../resilience/dead-letter/dead-letter-spool.js';
import { describeResult, ensureBuilt, jsonOutput, startCli, type RunningCli } from '../testing/cli.js';
import { jsonlPosition, pointKey, trackPoint } from '../testing/position-feed.js';
import { createTestDatabase, type TestDatabase } from '../testing/services.js';

const VESSELS = 200;
const TRACK = { t0: Date.UTC(2024, 5, 3, 6), stepMs: 10_000, baseMmsi: 236_000_000 };
/** Lines written before Redis is killed. */
const FIRST_PART = 4_000;
/** Lines per write to the pipe. */
const CHUNK_LINES = 500;
/** The control run's whole feed; stdin is ended after it. */
const CONTROL_LINES = 14_000;
/**
 * The CLI is killed after this long. The ingest that keeps reading an endless stdin (the bug this
 * file guards against) runs into it; a correct one stops within seconds of the first lost batch.
 */
const RUN_TIMEOUT_MS = 90_000;

const COUNT_ROWS = 'SELECT count(*)::int AS n FROM vessel_positions';
const STORED_KEYS = 'SELECT v.mmsi, (extract(epoch FROM p.ts) * 1000)::bigint AS ts FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id';

let dir: string;
let servers: LocalServers;
const databases: TestDatabase[] = [];
const runs: RunningCli[] = [];

/** Line `i` of an endless feed: every line a distinct (mmsi, ts) on a plausible track, in time order per vessel. */
function feedLine(i: number): string {
  return jsonlPosition(trackPoint(i % VESSELS, Math.floor(i / VESSELS), TRACK), 'dataloss');
}

function feedKey(i: number): string {
  const p = trackPoint(i % VESSELS, Math.floor(i / VESSELS), TRACK);
  return pointKey(p.mmsi, p.ts);
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text)).rows;
  } finally {
    await c.end();
  }
}

async function countRows(url: string): Promise<number> {
  return (await query<{ n: number }>(url, COUNT_ROWS))[0]?.n ?? 0;
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once `stdin` takes more again, or never will (closed, broken pipe, process gone). */
function writableAgain(stdin: Writable, run: RunningCli): Promise<void> {
  if (run.exited()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stdin.off('drain', done).off('close', done).off('error', done);
      run.child.off('close', done);
      resolve();
    };
    stdin.once('drain', done).once('close', done).once('error', done);
    run.child.once('close', done);
  });
}

/**
 * Writes feed lines from `from` on, honouring the pipe's back-pressure, until `enough(next)` or
 * until the process takes no more input. Never ends stdin. Returns the index of the next line.
 */
async function feed(run: RunningCli, from: number, enough: (next: number) => boolean): Promise<number> {
  const stdin = run.child.stdin;
  if (stdin === null) throw new Error('the CLI was started without a stdin pipe');
  let next = from;
  while (!enough(next) && !run.exited() && stdin.writable) {
    const lines: string[] = [];
    for (let i = next; i < next + CHUNK_LINES; i++) lines.push(feedLine(i));
    next += CHUNK_LINES;
    if (!stdin.write(`${lines.join('\n')}\n`)) await writableAgain(stdin, run);
    // Yield either way, so the process's exit is noticed even if the pipe never pushes back.
    else await new Promise((r) => setImmediate(r));
  }
  return next;
}

/** An ingest of stdin into a fresh database, with stdin left open for `feed`. */
async function startIngest(label: string, spoolDir: string, output: 'json' | 'text' = 'json'): Promise<{ run: RunningCli; db: TestDatabase }> {
  const db = await createTestDatabase(label);
  databases.push(db);
  const run = startCli(
    [
      'ingest',
      '-',
      ...(output === 'json' ? ['--json'] : []),
      '--no-progress',
      '--batch-size',
      '50',
      // Redis stays down, so the final replay cannot finish; waiting longer would only slow the test.
      '--dlq-wait',
      '1s',
      '--database-url',
      db.url,
      '--redis-url',
      servers.redisUrl,
      '--env',
      `dataloss-${label}`,
      '--spool-dir',
      spoolDir,
    ],
    { stdin: 'keep-open', timeoutMs: RUN_TIMEOUT_MS },
  );
  runs.push(run);
  return { run, db };
}

/** Kills Redis once PostgreSQL shows the ingest is writing, while it is still running. */
async function killRedisMidIngest(run: RunningCli, db: TestDatabase): Promise<number> {
  await waitUntil('rows in PostgreSQL', 60_000, async () => run.exited() || (await countRows(db.url)) > 0);
  const early = run.exited() ? describeResult(await run.result) : '';
  expect(run.exited(), `the ingest ended before Redis could be killed: ${early}`).toBe(false);
  const rows = await countRows(db.url);
  await servers.stopRedis({ kill: true });
  return rows;
}

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-ingest-data-loss-'));
  servers = await startLocalServers({ dataDir: join(dir, 'servers'), postgres: false, durable: false });
}, 180_000);

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (!run.exited()) run.child.kill('SIGKILL');
    run.child.stdin?.destroy();
    await run.result;
  }
});

afterAll(async () => {
  await servers?.stop({ removeData: true }).catch(() => undefined);
  for (const db of databases) await db.drop().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('aisctl ingest when data can be neither stored nor dead-lettered', () => {
  it('Redis killed with the spool unwritable: stops reading an open stdin, exits 3, counts match PostgreSQL', async () => {
    await servers.startRedis();
    const notADir = join(dir, 'not-a-dir');
    writeFileSync(notADir, 'a file where the spool directory would have to be\n');
    const { run, db } = await startIngest('lost', join(notADir, 'spool'));

    let written = await feed(run, 0, (n) => n >= FIRST_PART);
    const rowsAtKill = await killRedisMidIngest(run, db);
    const writtenAtKill = written;
    written = await feed(run, written, () => false);
    const r = await run.result;

    expect(r.timedOut, `the ingest was still reading stdin after ${RUN_TIMEOUT_MS} ms: ${describeResult(r)}`).toBe(false);
    expect(r.code, describeResult(r)).toBe(EXIT_NOT_STORED);
    const s = jsonOutput<IngestSummary>(r);
    const lost = s.notStored ?? expect.unreachable(`no notStored section: ${s.reconciliation}`);
    console.log(
      `data loss: ${written - writtenAtKill} lines offered after the Redis kill, ${s.input.lines} of ${written} read; ` +
        `${lost.messages} messages in ${lost.batches} batches not stored`,
    );
    expect(lost.readingStopped).toBe(true);
    expect(lost.messages).toBeGreaterThan(0);
    expect(lost.batches).toBeGreaterThan(0);
    // PostgreSQL stayed up: only the Redis parts were lost, one per failed batch.
    expect(lost.lostParts).toEqual({ postgres: 0, redis: lost.batches });
    expect(lost.error).toMatch(/dead-letter/);
    expect(lost.error).toMatch(/ENOTDIR/);
    expect(s.stored.deadLetteredBatches).toEqual({ postgres: 0, redis: 0 });

    // It stopped reading: more was offered after the kill than it read.
    expect(written).toBeGreaterThan(writtenAtKill);
    expect(s.input.lines).toBeLessThan(written);
    expect(s.input.lines).toBeGreaterThanOrEqual(rowsAtKill);
    expect(s.input.rejected + s.fusion.duplicates + s.fusion.refused).toBe(0);

    // Every position read reached PostgreSQL (it never failed): exactly the first lines of the feed.
    expect(s.reconciled, s.reconciliation).toBe(true);
    const read = s.input.positions;
    expect(read).toBe(s.input.lines);
    expect(s.stored.positionsUpdated + s.stored.positionsAlreadyPresent).toBe(0);
    expect(s.stored.positionsInserted).toBe(read);
    expect(await countRows(db.url)).toBe(read);
    const stored = new Set((await query<{ mmsi: number; ts: string }>(db.url, STORED_KEYS)).map((row) => pointKey(row.mmsi, Number(row.ts))));
    const expected = new Set(Array.from({ length: read }, (_, i) => feedKey(i)));
    expect(stored).toEqual(expected);
    // Each batch holds distinct vessels, so every position either moved Redis forward, was refused
    // as stale, or is in a batch reported as not stored.
    expect(s.stored.redisApplied + s.stored.redisStale + lost.messages).toBe(read);
  }, 150_000);

  it('the text summary says what was not stored and that reading stopped', async () => {
    await servers.startRedis();
    const notADir = join(dir, 'not-a-dir-text');
    writeFileSync(notADir, 'a file where the spool directory would have to be\n');
    const { run, db } = await startIngest('text', join(notADir, 'spool'), 'text');

    const written = await feed(run, 0, (n) => n >= FIRST_PART);
    await killRedisMidIngest(run, db);
    await feed(run, written, () => false);
    const r = await run.result;

    expect(r.timedOut, `the ingest was still reading stdin after ${RUN_TIMEOUT_MS} ms: ${describeResult(r)}`).toBe(false);
    expect(r.code, describeResult(r)).toBe(EXIT_NOT_STORED);
    expect(r.stdout).toMatch(/^ingest FAILED in /);
    expect(r.stdout).toMatch(
      /\n {2}NOT STORED {2}[1-9][\d,]* messages in [1-9][\d,]* batches could be neither written nor dead-lettered \(lost parts: 0 postgres, [1-9][\d,]* redis\)\n/,
    );
    expect(r.stdout).toMatch(/first cause: .*dead-letter.*ENOTDIR/);
    expect(r.stdout).toContain('reading stopped there: the rest of the input was not read');
    expect(r.stderr).toMatch(/NOT STORED/);
    // The unusable spool is reported when the run starts, not first noticed in the outage.
    expect(r.stderr).toMatch(/dead-letter spool \S+ is not usable \(ENOTDIR/);
  }, 150_000);

  it('control: the same Redis kill with a writable spool loses nothing and exits 0', async () => {
    await servers.startRedis();
    const spoolDir = join(dir, 'spool-control');
    const { run, db } = await startIngest('control', spoolDir);

    const written = await feed(run, 0, (n) => n >= FIRST_PART);
    await killRedisMidIngest(run, db);
    expect(await feed(run, written, (n) => n >= CONTROL_LINES)).toBe(CONTROL_LINES);
    run.child.stdin?.end();
    const r = await run.result;

    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<IngestSummary>(r);
    expect(s.notStored).toBeNull();
    expect(s.reconciled, s.reconciliation).toBe(true);
    expect(s.input.positions).toBe(CONTROL_LINES);
    expect(s.stored.positionsInserted).toBe(CONTROL_LINES);
    expect(await countRows(db.url)).toBe(CONTROL_LINES);

    // Redis stayed down, so its parts are still in the spool: one entry per dead-lettered batch.
    const entries: DeadLetterEntry[] = [];
    for (const name of readdirSync(spoolDir)) {
      const seg = await readSpoolSegment(join(spoolDir, name));
      expect(seg.corrupt).toEqual([]);
      entries.push(...seg.entries);
    }
    console.log(`control: ${s.stored.deadLetteredBatches.redis} redis batches spooled, ${entries.length} spool entries`);
    expect(s.stored.deadLetteredBatches).toEqual({ postgres: 0, redis: entries.length });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.target === 'redis')).toBe(true);
    const spooledPositions = entries.reduce((n, e) => n + e.positions.length, 0);
    expect(s.stored.redisApplied + s.stored.redisStale + spooledPositions).toBe(CONTROL_LINES);
  }, 150_000);
});
