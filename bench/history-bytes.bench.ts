/**
 * Bytes per stored position and the `aisctl ingest` rate, for one or more builds of aisctl in
 * the same run (alternating, so the machine's load falls on each alike):
 *
 *   node --import tsx bench/history-bytes.bench.ts [--positions N] [--vessels N] [--rounds N]
 *        [--root DIR]... [--reindex] [--segments]
 *
 * A generated fleet (the traffic generator, tag-blocked NMEA, clean: no duplicates, late or
 * corrupt lines) is written to a file once; each build (`--root`: a project folder with a built
 * `bin/aisctl`; default this one, repeat the flag to compare, e.g. a `git archive` of the
 * previous commit) ingests it with `aisctl ingest` into its own scratch database and Redis
 * prefix. Printed per build: positions stored, ingest rate, and bytes per position of
 * vessel_positions over all partitions (heap, indexes, total with FSM and visibility maps).
 * `--reindex`: the same after the primary key is rebuilt: on the layout of migration 004 as
 * retention compacts a closed partition (compactClosedPartitions, fillfactor 100), on the older
 * layout a plain REINDEX (fillfactor 90). `--segments`: the compressed-layout
 * prototype of bench/sql/history-segments.sql (needs the schema of migration 004).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createTrafficGenerator } from '../src/harness/traffic-generator.js';
import { compactClosedPartitions } from '../src/store/postgres/retention.js';
import { createScratchDatabase } from '../src/store/postgres/scratch-database.js';
import { ADMIN_DATABASE_URL, TEST_REDIS_URL, deleteKeysWithPrefix } from '../src/testing/services.js';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('..', import.meta.url));
const BYTES = readFileSync(new URL('./sql/history-bytes.sql', import.meta.url), 'utf8');
const SEGMENTS = readFileSync(new URL('./sql/history-segments.sql', import.meta.url), 'utf8');

interface Args {
  positions: number;
  vessels: number;
  rounds: number;
  roots: string[];
  reindex: boolean;
  segments: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { positions: 300_000, vessels: 10_000, rounds: 1, roots: [], reindex: false, segments: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--positions') args.positions = Number(next());
    else if (a === '--vessels') args.vessels = Number(next());
    else if (a === '--rounds') args.rounds = Number(next());
    else if (a === '--root') args.roots.push(resolve(next()));
    else if (a === '--reindex') args.reindex = true;
    else if (a === '--segments') args.segments = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (args.roots.length === 0) args.roots.push(HERE);
  return args;
}

const POSITION_TYPES = new Set([1, 2, 3, 18, 19]);

/** The fleet as NMEA lines: about 0.09 reports per vessel and event second, as bench/ingest.bench.ts feeds it. */
function fleetLines(positions: number, vessels: number): string {
  const gen = createTrafficGenerator({
    vessels,
    sources: ['rx-north', 'rx-south', 'rx-east'],
    seed: 7,
    startTimeMs: Date.UTC(2024, 0, 1),
    dupRate: 0,
    lateRate: 0,
    badRate: 0,
  });
  const lines: string[] = [];
  let n = 0;
  let t = Date.UTC(2024, 0, 1);
  const step = 1000 / (0.09 * vessels);
  while (n < positions) {
    const g = gen.next(t);
    t += step;
    if (POSITION_TYPES.has(g.msgType)) n++;
    lines.push(...g.lines);
  }
  return `${lines.join('\n')}\n`;
}

interface Bytes {
  heap: number;
  indexes: number;
  total: number;
  rows: number;
}

async function measure(client: pg.Client): Promise<Bytes> {
  const r = await client.query<Bytes>(BYTES);
  return r.rows[0] as Bytes;
}

const per = (b: Bytes): string =>
  `heap ${(b.heap / b.rows).toFixed(1)} + indexes ${(b.indexes / b.rows).toFixed(1)} = ${((b.heap + b.indexes) / b.rows).toFixed(1)} B/position (total with maps ${(b.total / b.rows).toFixed(1)})`;

async function once(root: string, file: string, args: Args): Promise<void> {
  const db = await createScratchDatabase(ADMIN_DATABASE_URL, 'histbytes');
  const env = `histbytes_${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const t0 = performance.now();
    await run(join(root, 'bin', 'aisctl'), ['ingest', file, '--database-url', db.url, '--redis-url', TEST_REDIS_URL, '--env', env], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - t0) / 1000;
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const b = await measure(client);
      console.log(
        `${root}: ${b.rows.toLocaleString('en')} positions, aisctl ingest ${Math.round(b.rows / seconds).toLocaleString('en')} positions/s (${seconds.toFixed(1)} s)`,
      );
      console.log(`  as ingested:  ${per(b)}`);
      const layout004 =
        (await client.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'vessel_positions' AND column_name = 'heading_status'")).rowCount ===
        1;
      if (args.reindex && layout004) {
        const pool = new pg.Pool({ connectionString: db.url, max: 1 });
        try {
          await compactClosedPartitions(pool);
        } finally {
          await pool.end();
        }
        console.log(`  compacted:    ${per(await measure(client))}`);
      } else if (args.reindex) {
        await client.query('REINDEX TABLE vessel_positions');
        console.log(`  REINDEX:      ${per(await measure(client))}`);
      }
      if (args.segments && layout004) {
        await client.query(SEGMENTS);
        const s = await client.query<{ total: number; heap: number; toast: number; idx: number }>(
          `SELECT pg_total_relation_size('bench_position_segments')::float8 AS total, pg_relation_size('bench_position_segments')::float8 AS heap,
                  pg_total_relation_size(reltoastrelid)::float8 AS toast, pg_indexes_size('bench_position_segments')::float8 AS idx
           FROM pg_class WHERE oid = 'bench_position_segments'::regclass`,
        );
        const r = s.rows[0];
        if (r) {
          const n = b.rows;
          console.log(
            `  segments prototype: heap ${(r.heap / n).toFixed(1)} + toast ${(r.toast / n).toFixed(1)} + index ${(r.idx / n).toFixed(1)} = ${(r.total / n).toFixed(1)} B/position`,
          );
        }
      }
    } finally {
      await client.end();
    }
  } finally {
    await deleteKeysWithPrefix(redis, env);
    redis.disconnect();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), 'aisctl-histbytes-'));
  try {
    const file = join(dir, 'fleet.nm4');
    await writeFile(file, fleetLines(args.positions, args.vessels));
    console.log(`history bytes: ${args.positions.toLocaleString('en')} positions of ${args.vessels.toLocaleString('en')} vessels, ${args.rounds} round(s)`);
    for (let r = 0; r < args.rounds; r++) for (const root of args.roots) await once(root, file, args);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
