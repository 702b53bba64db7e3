/**
 * `aisctl ingest` end to end, as a user runs it: the built CLI spawned against the shared Redis
 * and PostgreSQL, each run in a database and Redis prefix of its own. Covers every fixture and
 * corpus feed (counts reconcile), idempotent re-ingest, out-of-order input, and 8 concurrent
 * ingest processes over overlapping files (no deadlock error, no lost and no duplicated row).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../cli/ingest-summary.js';
import { getVesselState } from '../store/redis/hot-state-reader.js';
import { describeResult, ensureBuilt, jsonOutput, PROJECT_ROOT, runCli, startCli, type CliResult } from '../testing/cli.js';
import { CORPUS_MISSING, corpusAvailable, corpusPath } from '../testing/corpus.js';
import { jsonlPosition, newestByVessel, pointKey, shuffle, trackPoint, type FeedPoint } from '../testing/position-feed.js';
import { createTestDatabase, createTestRedis, deleteKeysWithPrefix, type TestDatabase, type TestRedis } from '../testing/services.js';
import { seededRandom } from '../utils/seeded-random.js';

const FIXTURES = join(PROJECT_ROOT, 'fixtures');

interface ManifestEntry {
  readonly format: string;
  readonly writer?: string;
  readonly lines: number;
  readonly messages?: number;
  readonly messagesByType?: Record<string, number>;
  readonly positions?: number;
  readonly statics?: number;
  readonly vessels: number;
  readonly rejections: Record<string, number>;
}
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { files: Record<string, ManifestEntry> };

// Static SQL of the assertions only (no input reaches it).
const COUNT_ROWS = 'SELECT count(*)::int AS n FROM vessel_positions';
const STORED_KEYS = 'SELECT v.mmsi, (extract(epoch FROM p.ts) * 1000)::bigint AS ts FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id';
const DISTINCT_VESSELS = 'SELECT count(DISTINCT v.mmsi)::int AS n FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id';
const EMPTY_TABLES = 'TRUNCATE vessel_positions, vessels RESTART IDENTITY';

let tmp: string;
let redis: TestRedis;
const databases: TestDatabase[] = [];
const pools: pg.Pool[] = [];

async function database(label: string): Promise<{ url: string; pool: pg.Pool }> {
  const db = await createTestDatabase(label);
  databases.push(db);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  pools.push(pool);
  return { url: db.url, pool };
}

async function countRows(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ n: number }>(COUNT_ROWS)).rows[0]?.n ?? 0;
}

async function storedKeys(pool: pg.Pool): Promise<string[]> {
  const r = await pool.query<{ mmsi: number; ts: string }>(STORED_KEYS);
  return r.rows.map((row) => pointKey(row.mmsi, Number(row.ts)));
}

async function emptyTables(pool: pg.Pool): Promise<void> {
  try {
    await pool.query(EMPTY_TABLES);
  } catch (err) {
    // Before the first ingest the CLI has not migrated this database yet: nothing to empty.
    if ((err as { code?: string }).code !== '42P01') throw err;
  }
}

function ingestArgs(files: readonly string[], url: string, env: string, extra: readonly string[] = []): string[] {
  return [
    'ingest',
    ...files,
    '--json',
    '--no-progress',
    '--database-url',
    url,
    '--redis-url',
    redis.url,
    '--env',
    env,
    '--spool-dir',
    join(tmp, `spool-${env}`),
    ...extra,
  ];
}

async function ingest(files: readonly string[], url: string, env: string, extra: readonly string[] = []): Promise<{ r: CliResult; s: IngestSummary }> {
  const r = await runCli(ingestArgs(files, url, env, extra), { timeoutMs: 180_000 });
  expect(r.code, describeResult(r)).toBe(0);
  return { r, s: jsonOutput<IngestSummary>(r) };
}

function rowsToStores(s: IngestSummary): number {
  return s.fusion.live + s.fusion.history + s.fusion.upgrades;
}

/** What every successful summary must say, whatever the input. */
function expectReconciled(s: IngestSummary): void {
  expect(s.reconciled, s.reconciliation).toBe(true);
  expect(s.input.messages).toBe(s.input.positions + s.input.statics);
  expect(s.fusion.duplicates + s.fusion.refused + rowsToStores(s)).toBe(s.input.positions);
  expect(s.stored.positionsInserted + s.stored.positionsUpdated + s.stored.positionsAlreadyPresent).toBe(rowsToStores(s));
  expect(s.stored.deadLetteredBatches).toEqual({ postgres: 0, redis: 0 });
  expect(s.stored.dlqRemaining).toBe(0);
  expect(s.aborted).toBe(false);
  const rejectedByReason = Object.values(s.input.rejectedByReason).reduce((a, b) => a + b, 0);
  expect(rejectedByReason).toBe(s.input.rejected);
}

beforeAll(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'aisctl-ingest-'));
  redis = await createTestRedis('ingest');
}, 360_000);

afterAll(async () => {
  for (const p of pools) await p.end().catch(() => undefined);
  for (const db of databases) await db.drop().catch(() => undefined);
  if (redis) {
    // Tests use `${prefix}-<case>` environments as well as the prefix itself.
    await deleteKeysWithPrefix(redis.client, redis.prefix);
    await redis.cleanup();
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('aisctl ingest: every fixture', () => {
  let db: { url: string; pool: pg.Pool };
  beforeAll(async () => {
    db = await database('ingest_fx');
  });

  it('the manifest lists every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((f) => f !== 'README.md' && f !== 'manifest.json');
    expect(files.sort()).toEqual(Object.keys(manifest.files).sort());
  });

  it.each(Object.keys(manifest.files))(
    '%s ingests, reconciles and matches the manifest',
    async (name) => {
      const m = manifest.files[name] as ManifestEntry;
      await emptyTables(db.pool);
      const { s } = await ingest([join(FIXTURES, name)], db.url, redis.prefix);
      expectReconciled(s);
      expect(s.input.lines).toBe(m.lines);
      expect(s.input.rejectedByReason).toEqual(m.rejections);
      expect(await countRows(db.pool)).toBe(s.stored.positionsInserted);
      expect(s.stored.positionsInserted).toBeGreaterThan(0);
      if (m.format === 'nmea') {
        const decode = s.input.decode as { messages: number; messagesByType: Record<string, number> } | null;
        expect(decode?.messages).toBe(m.messages);
        expect(decode?.messagesByType).toEqual(m.messagesByType);
      } else {
        expect(s.input.positions).toBe(m.positions);
        // Row formats carry statics beside each position; the manifest counts separate messages only.
        if (m.writer === 'jsonl' || m.writer === 'aisstream') expect(s.input.statics).toBe(m.statics);
        // Timed records, one per (vessel, time), no cross-receiver duplicates: every position is a row.
        expect(s.stored.positionsInserted).toBe(m.positions);
        expect((await db.pool.query<{ n: number }>(DISTINCT_VESSELS)).rows[0]?.n).toBe(m.vessels);
      }
    },
    120_000,
  );
});

/** Corpus feeds that aisctl reads (licence and schema files are not feeds). */
const CORPUS_FEEDS = [
  'gpsd/sample.aivdm',
  'libais/typeexamples.nmea',
  'libais/tagblock.nmea',
  'libais/test.aivdm',
  'pyais/ais_test_messages',
  'pyais/gatehouse.nmea',
  'pyais/messages.ais',
  'pyais/mixed.txt',
  'pyais/nmea_data_sample.txt',
  'pyais/sample.ais',
  'pyais/timestamped.ais',
  'ggencoder/AisHubSample.nmea',
  'formats/tagblock_nmea/test_data_20211101.nm4',
  'formats/marinecadastre/test_data_noaa_20230101.csv',
  'formats/dma/aisdk-2023-02-15_head_quoted.csv',
  'formats/aisstream/position_report_example.json',
  'formats/aishub/aishub_ws_format0_json_example.json',
  'formats/aishub/aishub_ws_format1_json_example.json',
];

describe.skipIf(!corpusAvailable())('aisctl ingest: every corpus feed', () => {
  let db: { url: string; pool: pg.Pool };
  beforeAll(async () => {
    db = await database('ingest_corpus');
  });

  const present = CORPUS_FEEDS.filter((rel) => existsSync(corpusPath(rel)));
  for (const rel of CORPUS_FEEDS.filter((f) => !present.includes(f))) {
    it.skip(`${rel}: not in this copy of the corpus`, () => undefined);
  }

  it.each(present)(
    '%s ingests and reconciles',
    async (rel) => {
      await emptyTables(db.pool);
      const { s } = await ingest([corpusPath(rel)], db.url, redis.prefix);
      expectReconciled(s);
      expect(s.input.files[0]?.error ?? null).toBeNull();
      expect(s.input.messages).toBeGreaterThan(0);
      expect(await countRows(db.pool)).toBe(s.stored.positionsInserted);
    },
    120_000,
  );
});
if (!corpusAvailable()) {
  describe('aisctl ingest: corpus feeds', () => {
    it.skip(CORPUS_MISSING, () => undefined);
  });
}

describe('aisctl ingest: re-ingest', () => {
  let db: { url: string; pool: pg.Pool };
  beforeAll(async () => {
    db = await database('ingest_again');
  });

  it.each(['tagblock.nm4', 'harbour.jsonl', 'harbour.noaa-2023.csv'])(
    'of timed input (%s) is idempotent: the second run adds no row',
    async (name) => {
      await emptyTables(db.pool);
      const file = join(FIXTURES, name);
      const first = (await ingest([file], db.url, `${redis.prefix}-again`)).s;
      const rows = await countRows(db.pool);
      expect(rows).toBe(first.stored.positionsInserted);
      const second = (await ingest([file], db.url, `${redis.prefix}-again`)).s;
      expectReconciled(second);
      expect(second.stored.positionsInserted).toBe(0);
      expect(second.stored.positionsUpdated).toBe(0);
      expect(second.stored.positionsAlreadyPresent).toBe(rowsToStores(second));
      expect(second.stored.vesselsInserted).toBe(0);
      expect(await countRows(db.pool)).toBe(rows);
    },
    120_000,
  );

  it('of time-less NMEA is not idempotent, as documented: receipt times make new rows', async () => {
    await emptyTables(db.pool);
    const file = join(FIXTURES, 'harbour.nmea');
    const first = (await ingest([file], db.url, `${redis.prefix}-again`)).s;
    const rows = await countRows(db.pool);
    const second = (await ingest([file], db.url, `${redis.prefix}-again`)).s;
    expectReconciled(second);
    // Receipt times advance at least 1 ms per line, so a fast read runs ahead of the wall clock
    // and a run started right after the previous one can land a few reports on times that run
    // already used: those few count as already present. Nearly all are new rows.
    expect(second.stored.positionsInserted + second.stored.positionsAlreadyPresent).toBe(first.stored.positionsInserted);
    expect(second.stored.positionsInserted).toBeGreaterThan(first.stored.positionsInserted * 0.9);
    expect(await countRows(db.pool)).toBe(rows + second.stored.positionsInserted);
  }, 120_000);
});

describe('aisctl ingest: out-of-order input', () => {
  it('keeps the newest position of every vessel in Redis', async () => {
    const db = await database('ingest_ooo');
    const env = `${redis.prefix}-ooo`;
    const opts = { t0: Date.UTC(2024, 5, 1, 8), stepMs: 10_000 };
    const vessels = 20;
    // Newest report of every vessel first, then older and older ones: 90 s of reports, so most
    // arrive behind the lateness window as well as behind the live state.
    const points: FeedPoint[] = [];
    for (let slot = 9; slot >= 0; slot--) for (let v = 0; v < vessels; v++) points.push(trackPoint(v, slot, opts));
    const file = join(tmp, 'newest-first.jsonl');
    writeFileSync(file, points.map((p) => jsonlPosition(p, 'ooo')).join('\n') + '\n');

    const { s } = await ingest([file], db.url, env);
    expectReconciled(s);
    expect(s.fusion.live).toBe(vessels);
    expect(s.fusion.history).toBe(points.length - vessels);
    expect(await countRows(db.pool)).toBe(points.length);
    const newest = newestByVessel(points);
    for (const [mmsi, p] of newest) {
      const state = await getVesselState(redis.client, env, mmsi);
      expect(state?.position?.ts, `vessel ${mmsi}`).toBe(p.ts);
      // Redis keeps coordinates at AIS resolution (1/10,000 minute, ~1.7e-6 degree).
      expect(state?.position?.lat).toBeCloseTo(p.lat, 5);
    }

    // A later run with only older reports adds history but never moves a vessel backwards.
    const older: FeedPoint[] = [];
    for (let slot = -3; slot < 0; slot++) for (let v = 0; v < vessels; v++) older.push(trackPoint(v, slot, opts));
    const olderFile = join(tmp, 'older.jsonl');
    writeFileSync(olderFile, older.map((p) => jsonlPosition(p, 'ooo')).join('\n') + '\n');
    const again = (await ingest([olderFile], db.url, env)).s;
    expectReconciled(again);
    expect(again.stored.positionsInserted).toBe(older.length);
    expect(again.stored.redisApplied).toBe(0);
    for (const [mmsi, p] of newest) expect((await getVesselState(redis.client, env, mmsi))?.position?.ts).toBe(p.ts);
  }, 120_000);
});

describe('aisctl ingest: 8 concurrent processes over overlapping files', () => {
  it('all succeed with no deadlock error, no lost and no duplicated row', async () => {
    const db = await database('ingest_conc');
    const env = `${redis.prefix}-conc`;
    const opts = { t0: Date.UTC(2024, 5, 1, 9), stepMs: 10_000 };
    const vessels = 300;
    const slots = 60;
    const perFile = 5_000;
    const processes = 8;
    const random = seededRandom(8_8_2024);
    const universe = Array.from({ length: vessels * slots }, (_, i) => i);
    const union = new Map<string, FeedPoint>();
    const files: string[] = [];
    for (let k = 0; k < processes; k++) {
      const picked = shuffle([...universe], random).slice(0, perFile);
      const points = picked.map((i) => trackPoint(i % vessels, Math.floor(i / vessels), opts));
      for (const p of points) union.set(pointKey(p.mmsi, p.ts), p);
      const file = join(tmp, `overlap-${k}.jsonl`);
      writeFileSync(file, points.map((p) => jsonlPosition(p, `feed-${k}`)).join('\n') + '\n');
      files.push(file);
    }
    // One process first so the schema exists: concurrent migrations are the migrator's concern,
    // not what this test measures.
    await ingest([join(FIXTURES, 'harbour.jsonl')], db.url, env);
    await emptyTables(db.pool);

    const running = files.map((f) => startCli(ingestArgs([f], db.url, env), { timeoutMs: 300_000 }));
    const results = await Promise.all(running.map((r) => r.result));
    let deadlocks = 0;
    for (const r of results) {
      expect(r.code, describeResult(r)).toBe(0);
      expect(r.stderr).not.toMatch(/deadlock/i);
      const s = jsonOutput<IngestSummary>(r);
      expectReconciled(s);
      expect(s.input.positions).toBe(perFile);
      expect(s.fusion.duplicates + s.fusion.refused).toBe(0);
      expect(s.warnings.join('\n')).not.toMatch(/deadlock/i);
      deadlocks += s.deadlocks;
    }
    const inserted = results.reduce((a, r) => a + jsonOutput<IngestSummary>(r).stored.positionsInserted, 0);
    console.log(
      `8 concurrent ingests: ${union.size} distinct (mmsi, ts) of ${processes * perFile} lines; ${inserted} inserted; deadlocks retried ${deadlocks}`,
    );

    expect(await countRows(db.pool)).toBe(union.size);
    expect(inserted).toBe(union.size);
    const stored = await storedKeys(db.pool);
    expect(new Set(stored).size).toBe(stored.length);
    expect(new Set(stored)).toEqual(new Set(union.keys()));
    for (const [mmsi, p] of newestByVessel(union.values())) {
      expect((await getVesselState(redis.client, env, mmsi))?.position?.ts, `vessel ${mmsi}`).toBe(p.ts);
    }
  }, 360_000);
});
