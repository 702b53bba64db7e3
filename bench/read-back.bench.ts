/**
 * Reading history back: `aisctl track` over one vessel's long history and `aisctl export` of a
 * large time range, run as the built CLI under `/usr/bin/time -v` (wall time, max RSS), plus
 * the two ways of paging a track measured side by side in process (keyset pages, what
 * `trackPages` does, against one server-side cursor).
 *
 *   node --import tsx bench/read-back.bench.ts [--rows 10000000] [--track-rows 1000000]
 *        [--vessels 9001] [--formats noaa-csv,jsonl] [--single-window] [--keep] [--generate-only]
 *        [--reuse DATABASE_URL]
 *
 * Data: a scratch database (dropped afterwards unless --keep) filled by one generate_series
 * INSERT per million rows, not through ingest: vessel 1 has --track-rows positions over a year
 * (about one every 31.5 s at 10^6), the other vessels share the remaining rows in turn, and rows
 * are stored in time order as a live feed writes them. About 150 bytes per row with indexes:
 * check `df -h /` before 10^7 rows. --single-window also times the export read as one sorted
 * cursor over the whole range (what the windows avoid). AISCTL_TEST_ADMIN_URL selects the server.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { positionsByTime } from '../src/store/postgres/export-queries.js';
import { migrate } from '../src/store/postgres/migrator.js';
import { createScratchDatabase } from '../src/store/postgres/scratch-database.js';
import { loadSql } from '../src/store/postgres/sql-file.js';
import { trackPages } from '../src/store/postgres/track-queries.js';
import { ADMIN_DATABASE_URL } from '../src/testing/services.js';
import { ensureBuilt, PROJECT_ROOT } from '../src/testing/cli.js';

const sql = (f: string, name: string) => loadSql(new URL(`./sql/${f}`, import.meta.url), name);
const VESSELS = sql('read-bench-vessels.sql', 'bench_vessels');
const POSITIONS = sql('read-bench-positions.sql', 'bench_positions');
const CHECK_IDS = sql('read-bench-check-ids.sql', 'bench_check_ids');
const TRACK_CURSOR = sql('read-bench-track-cursor.sql', 'bench_track_cursor');
const TRACK_FETCH = sql('read-bench-track-fetch.sql', 'bench_track_fetch');
const VACUUM = sql('read-bench-vacuum.sql', 'bench_vacuum');
const SIZE = sql('read-bench-size.sql', 'bench_size');
const PARTITIONS = sql('read-bench-partitions.sql', 'bench_partitions');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const ROWS = Number(arg('--rows', '10000000'));
const TRACK_ROWS = Number(arg('--track-rows', '1000000'));
const OTHER_VESSELS = Number(arg('--vessels', '9001')) - 1;
const FORMATS = arg('--formats', 'noaa-csv').split(',');
const GENERATE_ONLY = process.argv.includes('--generate-only');
/** A database generated before with --generate-only (same --rows, --track-rows, --vessels); kept afterwards. */
const REUSE = arg('--reuse', '');
const KEEP = GENERATE_ONLY || process.argv.includes('--keep');
const SINGLE_WINDOW = process.argv.includes('--single-window');

/** A year: vessel 1's positions are spread over it. */
const YEAR_MS = 365 * 86_400_000;
const T0 = Date.UTC(2023, 0, 1);
const MMSI_LONG = 219_000_000;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

interface Timed {
  readonly firstByteMs: number | null;
  readonly wallS: number;
  readonly maxRssMb: number;
  readonly bytes: number;
  readonly stderr: string;
}

/**
 * Runs the built CLI under /usr/bin/time -v. stdout is read (and counted) by this process when
 * the time to the first byte is wanted, else it goes to /dev/null.
 */
function timedCli(args: readonly string[], opts: { firstByte: boolean }): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const child = spawn('/usr/bin/time', ['-v', process.execPath, join(PROJECT_ROOT, 'bin', 'aisctl'), ...args], {
      stdio: ['ignore', opts.firstByte ? 'pipe' : devNull, 'pipe'],
    });
    const start = performance.now();
    let first: number | null = null;
    let bytes = 0;
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      first ??= performance.now() - start;
      bytes += d.length;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      closeSync(devNull);
      const wallS = (performance.now() - start) / 1000;
      const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 'NaN');
      if (code !== 0) reject(new Error(`aisctl ${args.join(' ')} exited ${String(code)}: ${stderr.slice(-2000)}`));
      else resolve({ firstByteMs: first, wallS, maxRssMb: rssKb / 1024, bytes, stderr });
    });
  });
}

async function generate(pool: pg.Pool): Promise<void> {
  const steps = TRACK_ROWS;
  const perStep = Math.max(0, Math.round(ROWS / steps) - 1);
  const stepMs = Math.floor(YEAR_MS / steps);
  console.log(
    `generating ${fmt(steps * (perStep + 1))} positions: vessel ${MMSI_LONG} every ${(stepMs / 1000).toFixed(1)} s for a year, ${perStep} of ${fmt(OTHER_VESSELS)} other vessels per step`,
  );
  await pool.query(VESSELS.text, [OTHER_VESSELS + 1, T0, T0 + YEAR_MS]);
  await pool.query(PARTITIONS.text, [new Date(T0).toISOString(), new Date(T0 + YEAR_MS + 86_400_000).toISOString()]);
  const bad = (await pool.query<{ n: number }>(CHECK_IDS.text)).rows[0]?.n ?? -1;
  if (bad !== 0) throw new Error(`vessel ids are not 1..N in MMSI order (${bad} differ): the generator needs a fresh database`);
  const chunk = Math.max(1, Math.floor(1_000_000 / (perStep + 1)));
  const t = performance.now();
  for (let s = 0; s < steps; s += chunk) {
    await pool.query(POSITIONS.text, [s, Math.min(steps, s + chunk), stepMs, T0, perStep, OTHER_VESSELS]);
    process.stdout.write(`\r  ${fmt(Math.min(steps, s + chunk) * (perStep + 1))} rows, ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  process.stdout.write('\n');
  await pool.query(VACUUM.text);
  const size = (await pool.query<{ size: string }>(SIZE.text)).rows[0]?.size;
  console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(0)} s; vessel_positions with indexes: ${size}`);
}

/** Keyset pages (trackPages) against one DECLARE'd cursor, same query shape, twice each. */
async function compareTrackPaging(pool: pg.Pool): Promise<void> {
  const range = { fromMs: T0, toMs: T0 + YEAR_MS + 86_400_000 };
  for (let round = 0; round < 2; round++) {
    let t = performance.now();
    let first = 0;
    let n = 0;
    for await (const page of trackPages(pool, 1, range)) {
      if (n === 0) first = performance.now() - t;
      n += page.length;
    }
    console.log(`  keyset pages of 5,000: ${fmt(n)} rows, first page ${first.toFixed(1)} ms, all ${((performance.now() - t) / 1000).toFixed(2)} s`);
    const c = await pool.connect();
    try {
      t = performance.now();
      n = 0;
      await c.query('BEGIN');
      await c.query(TRACK_CURSOR.text, [1, range.fromMs, range.toMs]);
      for (;;) {
        const r = await c.query(TRACK_FETCH.text);
        if (n === 0) first = performance.now() - t;
        n += r.rows.length;
        if (r.rows.length < 5000) break;
      }
      await c.query('COMMIT');
      console.log(`  cursor, FETCH 5,000:   ${fmt(n)} rows, first page ${first.toFixed(1)} ms, all ${((performance.now() - t) / 1000).toFixed(2)} s`);
    } finally {
      c.release();
    }
  }
}

async function singleWindowExport(pool: pg.Pool): Promise<void> {
  const filter = { fromMs: T0, toMs: T0 + YEAR_MS + 86_400_000 };
  for (const [label, opts] of [
    ['adaptive windows', {}],
    ['one window (one sort)', { firstWindowMs: filter.toMs - filter.fromMs }],
  ] as const) {
    const t = performance.now();
    let first = 0;
    let n = 0;
    for await (const page of positionsByTime(pool, filter, opts)) {
      if (n === 0) first = performance.now() - t;
      n += page.length;
    }
    const s = (performance.now() - t) / 1000;
    console.log(`  ${label}: ${fmt(n)} rows, first page ${(first / 1000).toFixed(2)} s, all ${s.toFixed(1)} s (${fmt(n / s)} rows/s)`);
  }
}

async function main(): Promise<void> {
  const fs = statfsSync('/');
  console.log(`free disk on /: ${((fs.bavail * fs.bsize) / 1e9).toFixed(1)} GB; rows ${fmt(ROWS)}, track ${fmt(TRACK_ROWS)}`);
  ensureBuilt();
  const scratch = REUSE === '' ? await createScratchDatabase(ADMIN_DATABASE_URL, 'readbench') : { url: REUSE, drop: async () => undefined };
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  try {
    if (REUSE === '') {
      await migrate(pool);
      await generate(pool);
    }
    if (GENERATE_ONLY) return;
    const conn = ['--database-url', scratch.url];
    const since = new Date(T0).toISOString();
    const until = new Date(T0 + YEAR_MS + 86_400_000).toISOString();

    console.log('track paging, in process (vessel 1):');
    await compareTrackPaging(pool);

    for (const format of ['csv', 'geojson']) {
      const r = await timedCli(['track', String(MMSI_LONG), '--since', since, '--until', until, '--format', format, ...conn], { firstByte: true });
      console.log(
        `aisctl track ${MMSI_LONG} --format ${format} (${fmt(TRACK_ROWS)} positions): first byte ${r.firstByteMs?.toFixed(0)} ms, ` +
          `wall ${r.wallS.toFixed(1)} s, max RSS ${r.maxRssMb.toFixed(0)} MB, ${(r.bytes / 1e6).toFixed(0)} MB written`,
      );
    }

    if (SINGLE_WINDOW) {
      console.log('export read, in process:');
      await singleWindowExport(pool);
    }

    for (const format of FORMATS) {
      const r = await timedCli(['export', '--since', since, '--until', until, '--format', format, ...conn], { firstByte: false });
      const summary = /aisctl export: .*/.exec(r.stderr)?.[0] ?? '';
      const n = Number(/: (\d+) positions/.exec(summary)?.[1] ?? 'NaN');
      console.log(
        `aisctl export --format ${format} > /dev/null: ${fmt(n)} rows, wall ${r.wallS.toFixed(1)} s (${fmt(n / r.wallS)} rows/s), max RSS ${r.maxRssMb.toFixed(0)} MB`,
      );
      console.log(`  ${summary}`);
    }
  } finally {
    await pool.end();
    if (KEEP || REUSE !== '') console.log(`kept ${scratch.url}`);
    else await scratch.drop();
  }
}

await main();
