/**
 * Fault injection on `aisctl ingest`, end to end, on Redis and PostgreSQL servers this test
 * starts itself (never the shared 6379/5432): Redis stopped and restarted mid-ingest, the same
 * with PostgreSQL, and `kill -9` of the CLI followed by a re-run. Afterwards the data must
 * reconcile: every accepted position is in PostgreSQL exactly once (accepted = stored + parked,
 * with nothing parked), and Redis holds the newest state of every vessel.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../cli/ingest-summary.js';
import { startLocalServers, type LocalServers } from '../harness/local-servers.js';
import { getVesselState } from '../store/redis/hot-state-reader.js';
import { describeResult, ensureBuilt, jsonOutput, runCli, startCli, type RunningCli } from '../testing/cli.js';
import { jsonlPosition, newestByVessel, pointKey, trackPoint, type FeedPoint } from '../testing/position-feed.js';

const VESSELS = 200;
const SLOTS = 300;
/** Deliberately bad lines in the feed: 3 malformed JSON, 2 invalid MMSIs. */
const BAD_LINES = 5;
/** The fault is injected once this share of the feed is in PostgreSQL. */
const FAULT_AT = 0.1;
/** How long a server stays down. Not an assertion: the outage just has to span some batches. */
const OUTAGE_MS = 3_000;

const COUNT_ROWS = 'SELECT count(*)::int AS n FROM vessel_positions';
const STORED_KEYS = 'SELECT v.mmsi, (extract(epoch FROM p.ts) * 1000)::bigint AS ts FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id';

let dir: string;
let servers: LocalServers;
let feed: string;
const points: FeedPoint[] = [];
const expectedKeys = new Set<string>();

function databaseUrl(name: string): string {
  const u = new URL(servers.databaseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh connection per query: the server may have been restarted since the last one. */
async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[] | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return (await c.query<R>(text)).rows;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function countRows(url: string): Promise<number | null> {
  const rows = await query<{ n: number }>(url, COUNT_ROWS);
  return rows?.[0]?.n ?? null;
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function connArgs(name: string): string[] {
  return ['--database-url', databaseUrl(name), '--redis-url', servers.redisUrl, '--env', `faults-${name}`, '--spool-dir', join(dir, `spool-${name}`)];
}

/** Small batches make the run last several seconds, so a fault lands in its middle. */
function startIngest(name: string): RunningCli {
  return startCli(['ingest', feed, '--json', '--no-progress', '--batch-size', '50', '--dlq-wait', '120s', ...connArgs(name)], { timeoutMs: 300_000 });
}

async function waitForProgress(name: string, run: RunningCli): Promise<void> {
  const target = Math.floor(points.length * FAULT_AT);
  await waitUntil(`${target} rows in ${name}`, 120_000, async () => run.exited() || ((await countRows(databaseUrl(name))) ?? 0) >= target);
  const early = run.exited() ? describeResult(await run.result) : '';
  expect(run.exited(), `the ingest ended before the fault could be injected: ${early}`).toBe(false);
}

interface DlqStats {
  pending: number;
  parked: number;
  spooled: number;
}

async function dlqStats(name: string): Promise<DlqStats> {
  const r = await runCli(['dlq', 'stats', '--json', ...connArgs(name)], { timeoutMs: 60_000 });
  expect(r.code, describeResult(r)).toBe(0);
  return jsonOutput<DlqStats>(r);
}

/** If the ingest's own drain ran out of time, `aisctl dlq replay` finishes the job. */
async function replayUntilEmpty(name: string): Promise<DlqStats> {
  let stats = await dlqStats(name);
  for (let i = 0; i < 10 && stats.pending + stats.spooled > 0; i++) {
    const r = await runCli(['dlq', 'replay', ...connArgs(name)], { timeoutMs: 120_000 });
    expect(r.code, describeResult(r)).toBe(0);
    stats = await dlqStats(name);
    if (stats.pending + stats.spooled > 0) await sleep(2_000);
  }
  return stats;
}

/** accepted = stored + parked; stored = exactly the distinct (mmsi, ts) of the feed; Redis newest. */
async function expectComplete(name: string, s: IngestSummary): Promise<void> {
  expect(s.reconciled, s.reconciliation).toBe(true);
  expect(s.input.rejected).toBe(BAD_LINES);
  expect(s.input.rejectedByReason).toEqual({ malformed_record: 3, bad_mmsi: 2 });
  expect(s.input.positions).toBe(points.length);
  expect(s.fusion.duplicates + s.fusion.refused).toBe(0);
  const accepted = s.fusion.live + s.fusion.history + s.fusion.upgrades;
  expect(accepted).toBe(expectedKeys.size);

  const stats = await replayUntilEmpty(name);
  expect(stats).toMatchObject({ pending: 0, parked: 0, spooled: 0 });

  const url = databaseUrl(name);
  expect(await countRows(url)).toBe(accepted);
  const rows = (await query<{ mmsi: number; ts: string }>(url, STORED_KEYS)) ?? [];
  const stored = rows.map((r) => pointKey(r.mmsi, Number(r.ts)));
  expect(new Set(stored).size).toBe(stored.length);
  expect(new Set(stored)).toEqual(expectedKeys);

  const redis = new Redis(servers.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  try {
    const stale: string[] = [];
    for (const [mmsi, p] of newestByVessel(points)) {
      const ts = (await getVesselState(redis, `faults-${name}`, mmsi))?.position?.ts ?? null;
      if (ts !== p.ts) stale.push(`${mmsi}: ${String(ts)} instead of ${p.ts}`);
    }
    expect(stale, 'vessels whose Redis state is not the newest').toEqual([]);
  } finally {
    redis.disconnect();
  }
}

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-ingest-faults-'));
  chmodSync(dir, 0o711); // PostgreSQL runs as the postgres OS user when we are root
  servers = await startLocalServers({ dataDir: join(dir, 'servers'), durable: false });

  const opts = { t0: Date.UTC(2024, 5, 2, 6), stepMs: 10_000, baseMmsi: 235_000_000 };
  const lines: string[] = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    for (let v = 0; v < VESSELS; v++) {
      const p = trackPoint(v, slot, opts);
      points.push(p);
      expectedKeys.add(pointKey(p.mmsi, p.ts));
      lines.push(jsonlPosition(p, 'faults'));
    }
  }
  // Spread the bad lines over the file so rejections interleave with the fault.
  const bad = [
    '{"kind":"position",',
    '{not json',
    '[1,2',
    jsonlPosition({ ...(points[0] as FeedPoint), mmsi: 12 }, 'faults'),
    jsonlPosition({ ...(points[1] as FeedPoint), mmsi: 1_000_000_000 }, 'faults'),
  ];
  bad.forEach((line, i) => lines.splice(Math.floor(((i + 1) * lines.length) / (bad.length + 1)), 0, line));
  feed = join(dir, 'feed.jsonl');
  writeFileSync(feed, lines.join('\n') + '\n');
}, 180_000);

afterAll(async () => {
  await servers?.stop({ removeData: true }).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('aisctl ingest under faults (servers started by this test)', () => {
  it('Redis stopped mid-ingest and restarted: the DLQ replays, nothing lost or duplicated', async () => {
    const run = startIngest('redis');
    await waitForProgress('redis', run);
    await servers.stopRedis();
    await sleep(OUTAGE_MS);
    await servers.startRedis();
    const r = await run.result;
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<IngestSummary>(r);
    console.log(`redis outage: ${s.stored.deadLetteredBatches.redis} redis batches dead-lettered, ${s.stored.dlqRemaining} left after the ingest's drain`);
    expect(s.stored.deadLetteredBatches.redis).toBeGreaterThan(0);
    expect(s.stored.deadLetteredBatches.postgres).toBe(0);
    await expectComplete('redis', s);
  }, 400_000);

  it('PostgreSQL stopped mid-ingest and restarted: the DLQ replays, nothing lost or duplicated', async () => {
    const run = startIngest('postgres');
    await waitForProgress('postgres', run);
    await servers.stopPostgres();
    await sleep(OUTAGE_MS);
    await servers.startPostgres();
    const r = await run.result;
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<IngestSummary>(r);
    console.log(
      `postgres outage: ${s.stored.deadLetteredBatches.postgres} postgres batches dead-lettered, ${s.stored.dlqRemaining} left after the ingest's drain`,
    );
    expect(s.stored.deadLetteredBatches.postgres).toBeGreaterThan(0);
    await expectComplete('postgres', s);
  }, 400_000);

  it('kill -9 mid-ingest, then the same ingest again: complete, no duplicates', async () => {
    const run = startIngest('kill');
    await waitForProgress('kill', run);
    run.child.kill('SIGKILL');
    const killed = await run.result;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = (await countRows(databaseUrl('kill'))) ?? 0;
    expect(atKill).toBeLessThanOrEqual(expectedKeys.size);

    const again = await runCli(['ingest', feed, '--json', '--no-progress', ...connArgs('kill')], { timeoutMs: 300_000 });
    expect(again.code, describeResult(again)).toBe(0);
    const s = jsonOutput<IngestSummary>(again);
    console.log(
      `kill -9 with ${atKill} of ${expectedKeys.size} rows committed; the re-run inserted ${s.stored.positionsInserted} ` +
        `and found ${s.stored.positionsAlreadyPresent} already present`,
    );
    // Everything committed before the kill is found again, nothing twice; the re-run adds the rest.
    expect(s.stored.positionsAlreadyPresent).toBe(atKill);
    expect(s.stored.positionsInserted).toBe(expectedKeys.size - atKill);
    expect(s.stored.positionsUpdated).toBe(0);
    await expectComplete('kill', s);
  }, 400_000);
});
