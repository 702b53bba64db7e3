/**
 * The write ceiling of PostgreSQL on this machine: how fast the same position rows go in with
 * the best raw method (COPY into a staging table + INSERT ... SELECT ... ON CONFLICT), so that
 * the end-to-end pipeline figure can be printed beside what the database alone can take.
 *
 * Standalone: `node --import tsx bench/ingest-ceiling.ts [positions] [vessels]` (default
 * 1,000,000 positions of 10,000 vessels, batches of 20,000) creates a scratch database, then compares raw COPY,
 * raw unnest (prepared and unprepared) and the history writer (copy and unnest), then raw COPY
 * and the writer once more with a foreign key vessel_positions -> vessels (what it would cost;
 * migration 004 dropped it).
 * AISCTL_TEST_ADMIN_URL selects the server (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { PositionRow } from '../src/store/store-types.js';
import { createHistoryWriter, positionUpsertParams, WRITE_UNNEST, type HistoryWriteMethod } from '../src/store/postgres/history-writer.js';
import { migrate } from '../src/store/postgres/migrator.js';
import { partitionStart } from '../src/store/postgres/partition-interval.js';
import { keyPositions, vesselSpans } from '../src/store/postgres/position-batch.js';
import { resolveSourceIds } from '../src/store/postgres/source-ids.js';
import { loadSql, queryConfig } from '../src/store/postgres/sql-file.js';
import { copyPositionsToStage } from '../src/store/postgres/stage-copy.js';
import { cpuMeterOfProcessesNamed } from '../src/harness/proc-stat.js';

const sqlUrl = (f: string): URL => new URL(`../src/store/postgres/sql/${f}`, import.meta.url);
const RESOLVE = loadSql(sqlUrl('resolve-vessels.sql'), 'bench_resolve');
const CREATE_STAGE = loadSql(sqlUrl('create-stage.sql'), 'bench_create_stage');
const UPSERT_STAGE = loadSql(sqlUrl('upsert-positions-stage.sql'), 'bench_upsert_stage');
const ENSURE_PARTITIONS = loadSql(sqlUrl('ensure-partitions.sql'), 'bench_ensure_partitions');

export type CeilingMethod = 'copy' | 'unnest' | 'unnest-unprepared' | 'writer-copy' | 'writer-unnest';

export interface CeilingResult {
  readonly method: CeilingMethod;
  readonly rows: number;
  readonly batchSize: number;
  readonly batches: number;
  readonly durationMs: number;
  /** Input rows per second over the timed part (vessel ids resolved beforehand for raw methods). */
  readonly rowsPerSec: number;
  readonly inserted: number;
  /**
   * CPU of the local processes named `postgres` over the timed part, ms (`/proc`; null
   * elsewhere): what the server spends on the rows, for the pipeline's figure beside it.
   */
  readonly postgresCpuMs: number | null;
}

export interface CeilingOptions {
  readonly batchSize?: number;
  readonly method?: CeilingMethod;
  /** Add a foreign key vessel_positions -> vessels, as before migration 004 (default false). */
  readonly foreignKey?: boolean;
  /**
   * Other work started with the timed part (raw methods) and timed with it: the stores ceiling
   * runs Redis's share of the same rows here, so both servers compete for the cores as they do
   * under the pipeline. The result's duration ends when both are done.
   */
  readonly beside?: () => Promise<unknown>;
}

/**
 * Writes `rows` into a scratch schema of `databaseUrl` (created, migrated and dropped here, so
 * rows the pipeline already stored there do not turn the measurement into no-op conflicts).
 * Default: raw COPY + upsert, the fastest method measured, in batches of 20,000 (the best with
 * JIT off; docs/storage.md).
 */
export async function measureCopyCeiling(databaseUrl: string, rows: readonly PositionRow[], opts: CeilingOptions = {}): Promise<CeilingResult> {
  const method = opts.method ?? 'copy';
  const batchSize = opts.batchSize ?? 20_000;
  // Generated from hex only; identifiers cannot be bound parameters.
  const schema = `aisctl_ceiling_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  // JIT off, as the history writer's transactions run (sql/begin-write.sql): the ceiling is the
  // best the server does with these rows.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    options: `-c search_path=${schema},public -c jit=off`,
    application_name: 'aisctl-bench',
  });
  try {
    await migrate(pool);
    if (opts.foreignKey === true) await pool.query('ALTER TABLE vessel_positions ADD FOREIGN KEY (vessel_id) REFERENCES vessels (id)');
    if (method === 'writer-copy' || method === 'writer-unnest') return await viaWriter(pool, rows, batchSize, method);
    return await viaRaw(pool, rows, batchSize, method, opts.beside);
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

async function viaWriter(pool: pg.Pool, rows: readonly PositionRow[], batchSize: number, method: 'writer-copy' | 'writer-unnest'): Promise<CeilingResult> {
  const writer = createHistoryWriter({ pool, method: (method === 'writer-copy' ? 'copy' : 'unnest') as HistoryWriteMethod });
  let inserted = 0;
  let batches = 0;
  const postgresCpu = cpuMeterOfProcessesNamed('postgres');
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += batchSize) {
    inserted += (await writer.writeBatch(rows.slice(i, i + batchSize), [])).positionsInserted;
    batches++;
  }
  const durationMs = performance.now() - t0;
  const postgresCpuMs = postgresCpu();
  return { method, rows: rows.length, batchSize, batches, durationMs, rowsPerSec: (rows.length / durationMs) * 1000, inserted, postgresCpuMs };
}

async function viaRaw(
  pool: pg.Pool,
  rows: readonly PositionRow[],
  batchSize: number,
  method: 'copy' | 'unnest' | 'unnest-unprepared',
  beside?: () => Promise<unknown>,
): Promise<CeilingResult> {
  const client = await pool.connect();
  try {
    // Vessel ids up front: the ceiling is the position write alone.
    const spans = vesselSpans(rows, []);
    const ids = new Map<number, number>();
    const r = await client.query<{ id: string; mmsi: number }>(RESOLVE.text, [
      spans.map((s) => s.mmsi),
      spans.map((s) => s.firstMs),
      spans.map((s) => s.lastMs),
    ]);
    for (const row of r.rows) ids.set(row.mmsi, Number(row.id));
    // Sources and partitions too: what the writer does before a batch only when it meets new ones.
    const sourceIds = new Map<string, number>();
    await resolveSourceIds(pool, sourceIds, new Set(rows.map((row) => row.source)), true);
    const day = 86_400_000;
    await client.query(ENSURE_PARTITIONS.text, [[...new Set(rows.map((row) => partitionStart(row.ts, day)))], null]);
    await client.query(CREATE_STAGE.text);
    let inserted = 0;
    let batches = 0;
    const postgresCpu = cpuMeterOfProcessesNamed('postgres');
    const t0 = performance.now();
    const besideDone = beside?.();
    for (let i = 0; i < rows.length; i += batchSize) {
      const keyed = keyPositions(rows.slice(i, i + batchSize), ids, sourceIds);
      await client.query('BEGIN');
      let res: pg.QueryResult<{ inserted: number }>;
      if (method === 'copy') {
        // The pipeline's own COPY (binary), so the pipeline/ceiling ratio compares like with like.
        await copyPositionsToStage(client, keyed);
        res = await client.query<{ inserted: number }>(queryConfig(UPSERT_STAGE, [], true));
      } else {
        res = await client.query<{ inserted: number }>(queryConfig(WRITE_UNNEST, positionUpsertParams(keyed), method === 'unnest'));
      }
      await client.query('COMMIT');
      inserted += res.rows[0]?.inserted ?? 0;
      batches++;
    }
    await besideDone;
    const durationMs = performance.now() - t0;
    const postgresCpuMs = postgresCpu();
    return { method, rows: rows.length, batchSize, batches, durationMs, rowsPerSec: (rows.length / durationMs) * 1000, inserted, postgresCpuMs };
  } finally {
    client.release();
  }
}

/** Positions interleaved by time across vessels, as a live feed delivers them. */
export function generatePositions(positions: number, vessels: number, mmsiBase = 230_000_000): PositionRow[] {
  const rows: PositionRow[] = [];
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < positions; i++) {
    const v = i % vessels;
    const step = Math.floor(i / vessels);
    rows.push({
      mmsi: mmsiBase + v,
      ts: t0 + step * 10_000 + (v % 1000),
      lat: 50 + (v % 500) / 100 + step * 1e-4,
      lon: 2 + (v % 700) / 100 + step * 1e-4,
      sog: (v % 200) / 10,
      cog: (v * 7) % 360,
      heading: (v * 7) % 360,
      navStatus: v % 9,
      source: v % 3 === 0 ? 'aishub' : 'terrestrial',
      score: 0.5 + (v % 5) / 10,
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const positions = Number(process.argv[2] ?? 1_000_000);
  const vessels = Number(process.argv[3] ?? 10_000);
  const { createTestDatabase } = await import('../src/testing/services.js');
  const db = await createTestDatabase('ceiling');
  try {
    const rows = generatePositions(positions, vessels);
    console.log(`ingest ceiling: ${positions.toLocaleString('en')} positions of ${vessels.toLocaleString('en')} vessels, batches of 20,000, one connection`);
    const runs: [CeilingMethod, boolean][] = [
      ['copy', false],
      ['unnest', false],
      ['unnest-unprepared', false],
      ['writer-copy', false],
      ['writer-unnest', false],
      ['copy', true],
      ['writer-copy', true],
    ];
    for (const [method, foreignKey] of runs) {
      const r = await measureCopyCeiling(db.url, rows, { method, foreignKey });
      const label = foreignKey ? `${method}, with FK` : method;
      console.log(
        `  ${label.padEnd(18)} ${Math.round(r.rowsPerSec).toLocaleString('en').padStart(9)} rows/s  (${(r.durationMs / 1000).toFixed(1)} s, ${r.inserted.toLocaleString('en')} inserted)`,
      );
    }
  } finally {
    await db.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
