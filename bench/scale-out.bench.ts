/**
 * The cost of the log, measured in one run on one machine: the same file through
 *
 *   1. in-process `aisctl ingest` (the rival: no log at all),
 *   2. `aisctl publish` + one `aisctl work` (started first, waiting for the stream),
 *   3. `aisctl publish` + two `aisctl work`,
 *   4. one, then two `aisctl work` started after `publish` finished (a backlog: the workers alone),
 *
 * each into its own scratch database and Redis prefix, on the machine's NATS server. A run's
 * time is from the start of `publish` (backlog runs: of the workers, process start included)
 * until every partition's consumer has acknowledged everything (`ingest`: until it exits,
 * process start included). Per worker, CPU time per message comes from
 * /proc/<pid>/stat (utime + stime) divided by the records it acknowledged.
 *
 *   node --import tsx bench/scale-out.bench.ts [--vessels N] [--fixes N] [--partitions N] [--json]
 *
 * The machine is shared: compare the figures of one run with each other (ratios), not across runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ensureBuilt, runCli, startCli, type RunningCli } from '../src/testing/cli.js';
import { createTestDatabase, createTestRedis } from '../src/testing/services.js';
import { connectTestNats, deleteLogOf, TEST_NATS_URL, waitUntil, watchOutput } from '../src/testing/nats.js';
import { writeVesselTracks } from '../src/testing/vessel-tracks-file.js';

const { values: args } = parseArgs({
  options: {
    vessels: { type: 'string', default: '500' },
    fixes: { type: 'string', default: '200' },
    partitions: { type: 'string', default: '32' },
    json: { type: 'boolean', default: false },
  },
});
const vessels = Number(args.vessels);
const fixes = Number(args.fixes);
const partitions = Number(args.partitions);

interface RunResult {
  readonly name: string;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  /** Per worker: CPU microseconds per acknowledged record. */
  readonly workerCpuUsPerMessage: number[];
}

const CLK_TCK = 100;

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of the full line, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function main(): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'aisctl-scale-bench-'));
  const file = join(dir, 'tracks.jsonl');
  const { positions } = writeVesselTracks(file, vessels, fixes);
  const nc = await connectTestNats();
  const results: RunResult[] = [];
  try {
    {
      const db = await createTestDatabase('bench');
      const redis = await createTestRedis('bench');
      try {
        const t0 = performance.now();
        const r = await runCli(['ingest', '--no-progress', '--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix, file], {
          timeoutMs: 600_000,
        });
        if (r.code !== 0) throw new Error(`ingest exited ${r.code}: ${r.stderr}`);
        const s = (performance.now() - t0) / 1000;
        results.push({ name: 'ingest (in-process)', seconds: s, messagesPerSecond: positions / s, workerCpuUsPerMessage: [] });
      } finally {
        await redis.cleanup();
        await db.drop();
      }
    }
    for (const [workers, backlog] of [
      [1, false],
      [2, false],
      [1, true],
      [2, true],
    ] as const) {
      const db = await createTestDatabase('bench');
      const redis = await createTestRedis('bench');
      const env = redis.prefix;
      const running: RunningCli[] = [];
      try {
        const migrate = await runCli(['db', 'migrate', '--database-url', db.url]);
        if (migrate.code !== 0) throw new Error(migrate.stderr);
        // Backlog runs publish first and time the workers alone, from their start.
        let t0 = performance.now();
        if (backlog) {
          const pub = await runCli(['publish', '--env', env, '--nats', TEST_NATS_URL, '--partitions', String(partitions), file], { timeoutMs: 600_000 });
          if (pub.code !== 0) throw new Error(`publish exited ${pub.code}: ${pub.stderr}`);
          t0 = performance.now();
        }
        for (let i = 0; i < workers; i++) {
          const w = startCli([
            'work',
            '--env',
            env,
            '--nats',
            TEST_NATS_URL,
            '--database-url',
            db.url,
            '--redis-url',
            redis.url,
            '--port',
            '0',
            '--name',
            `bench${i}`,
            '--spool-dir',
            join(dir, `spool${i}`),
          ]);
          running.push(w);
          if (!backlog) await watchOutput(w).waitFor(/waiting for stream|started/);
        }
        if (!backlog) {
          t0 = performance.now();
          const pub = await runCli(['publish', '--env', env, '--nats', TEST_NATS_URL, '--partitions', String(partitions), file], { timeoutMs: 600_000 });
          if (pub.code !== 0) throw new Error(`publish exited ${pub.code}: ${pub.stderr}`);
        }
        const jsm = await nc.jetstreamManager();
        await waitUntil(
          'the workers to acknowledge everything',
          async () => {
            const info = await jsm.streams.info(`AIS_${env}`);
            // Work-queue retention: a message leaves the stream when its consumer acknowledged it.
            return info.state.messages === 0 && info.state.last_seq >= positions;
          },
          600_000,
        );
        const s = (performance.now() - t0) / 1000;
        const cpu = running.map((w) => cpuSeconds(w.pid));
        for (const w of running) w.child.kill('SIGTERM');
        const done = await Promise.all(running.map((w) => w.result));
        const acked = done.map((d) => Number(/(\d+) acknowledged/.exec(d.stdout)?.[1] ?? 0));
        results.push({
          name: backlog ? `${workers} worker${workers === 1 ? '' : 's'}, backlog` : `publish + ${workers} worker${workers === 1 ? '' : 's'}`,
          seconds: s,
          messagesPerSecond: positions / s,
          workerCpuUsPerMessage: cpu.map((c, i) => (c * 1e6) / Math.max(1, acked[i] ?? 0)),
        });
      } finally {
        for (const w of running) if (!w.exited()) w.child.kill('SIGKILL');
        await Promise.all(running.map((w) => w.result));
        await deleteLogOf(nc, env);
        await redis.cleanup();
        await db.drop();
      }
    }
  } finally {
    await nc.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const base = results[0]?.messagesPerSecond ?? 1;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ positions, vessels, fixes, partitions, results })}\n`);
    return;
  }
  process.stdout.write(`${positions} positions (${vessels} vessels x ${fixes} fixes), ${partitions} partitions\n`);
  for (const r of results) {
    const cpu = r.workerCpuUsPerMessage.length === 0 ? '' : `; worker CPU ${r.workerCpuUsPerMessage.map((c) => `${c.toFixed(0)} us`).join(', ')} per message`;
    process.stdout.write(
      `  ${r.name.padEnd(22)} ${r.seconds.toFixed(1).padStart(6)} s  ${Math.round(r.messagesPerSecond).toString().padStart(7)} msg/s  (${(r.messagesPerSecond / base).toFixed(2)}x ingest)${cpu}\n`,
    );
  }
}

await main();
