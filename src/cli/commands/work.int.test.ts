/**
 * Scale-out end to end on the real NATS server, Redis and PostgreSQL: `aisctl publish` then
 * workers, one SIGKILLed while its records are in flight and a third joining. Every position is
 * stored exactly once, no partition ever has two live owners (from the lease bucket's own
 * history), a republished file adds nothing, and SIGTERM gives the leases up at once.
 *
 * Deterministic: the kill happens while the killed worker holds unacknowledged records, which a
 * lock on the positions table guarantees (its writes wait), and every wait is on printed lines,
 * consumer info or the lease bucket, never on a sleep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { KV, NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli, describeResult, type RunningCli } from '../../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { connectTestNats, deleteLogOf, TEST_NATS_URL, waitUntil, watchOutput, workArgs, type OutputWatch } from '../../testing/nats.js';
import { leaseViolations, recordLeaseHistory } from '../../testing/lease-history.js';
import { writeVesselTracks } from '../../testing/vessel-tracks-file.js';

const PARTITIONS = 8;
const TTL = '2s';
const TTL_MS = 2_000;

let db: TestDatabase;
let redis: TestRedis;
let nc: NatsConnection;
let env: string;
let dir: string;
let file: string;
let expected: number;
const workers: RunningCli[] = [];
const envs: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('work');
  redis = await createTestRedis('work');
  env = redis.prefix;
  nc = await connectTestNats();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-work-'));
  file = join(dir, 'tracks.jsonl');
  expected = writeVesselTracks(file, 40, 25).positions;
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (!w.exited()) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.result));
  for (const e of [env, ...envs]) await deleteLogOf(nc, e);
  await nc.close();
  await redis.cleanup();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

function logArgs(environment = env): string[] {
  return ['--env', environment, '--nats', TEST_NATS_URL];
}

const outputs: Array<[string, OutputWatch]> = [];

/** What every worker printed, for the message of a failed wait. */
function explain(err: unknown): never {
  throw new Error(`${String(err)}\n${outputs.map(([n, o]) => `--- ${n}:\n${o.text()}`).join('\n')}`);
}

function startWorker(name: string, environment = env): { cli: RunningCli; out: OutputWatch } {
  const cli = startCli(
    workArgs({ env: environment, natsUrl: TEST_NATS_URL, databaseUrl: db.url, redisUrl: redis.url, name, leaseTtl: TTL, spoolDir: join(dir, `spool-${name}`) }),
  );
  workers.push(cli);
  const out = watchOutput(cli);
  outputs.push([name, out]);
  return { cli, out };
}

async function owners(kv: KV, partitions = PARTITIONS): Promise<Map<number, string>> {
  const m = new Map<number, string>();
  for (let p = 0; p < partitions; p++) {
    const e = await kv.get(`p.${p}`);
    if (e !== null && e.operation === 'PUT') m.set(p, (JSON.parse(new TextDecoder().decode(e.value)) as { owner: string }).owner);
  }
  return m;
}

async function consumers(): Promise<Array<{ partition: number; pending: number; unacked: number }>> {
  const jsm = await nc.jetstreamManager();
  return Promise.all(
    Array.from({ length: PARTITIONS }, async (_, p) => {
      const i = await jsm.consumers.info(`AIS_${env}`, `p${p}`).catch(() => null);
      return { partition: p, pending: i?.num_pending ?? Number.NaN, unacked: i?.num_ack_pending ?? Number.NaN };
    }),
  );
}

async function scaleOut(): Promise<void> {
  const pub = await runCli(['publish', ...logArgs(), '--partitions', String(PARTITIONS), '--json', file]);
  expect(pub.code, describeResult(pub)).toBe(0);
  expect(JSON.parse(pub.stdout)).toMatchObject({ messages: expected, appended: expected, duplicates: 0, notPublished: 0, partitions: PARTITIONS });

  // The bucket exists before the first worker so that the watch sees every write.
  const kv = await nc.jetstream().views.kv(`aisctl_leases_${env}`, { ttl: TTL_MS, history: 1 });
  const history = await recordLeaseHistory(kv);
  const migrate = await runCli(['db', 'migrate', '--database-url', db.url]);
  expect(migrate.code, describeResult(migrate)).toBe(0);
  // Writes wait behind this lock, so records stay delivered and unacknowledged until it goes.
  const locker = new pg.Client({ connectionString: db.url });
  locker.on('error', () => undefined);
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE vessel_positions IN ACCESS EXCLUSIVE MODE');

  const a = startWorker('wa');
  await a.out.waitFor(/started: \d+ partitions owned/);
  // wa holds records it cannot write yet; frozen (SIGSTOP) it neither writes, acknowledges nor
  // renews: a hung worker, which a kill then ends. Its writes would otherwise time out and be
  // dead-lettered after the breaker's call timeout, and acknowledged.
  await waitUntil('wa to hold unacknowledged records', async () => (await consumers()).some((x) => x.unacked > 0));
  a.cli.child.kill('SIGSTOP');
  // Frozen, wa holds its records without the lock's help. Holding the lock longer would push
  // the other workers' writes past the breaker's call timeout into the dead-letter queue, whose
  // replay backoff (up to minutes) would then decide how long this test runs.
  await locker.query('COMMIT');
  await locker.end();
  const b = startWorker('wb');
  await b.out.waitFor(/lease acquired: partition \d+ owner wb/);
  await waitUntil("wb to take every partition over once wa's leases expired", async () => {
    const o = [...(await owners(kv)).values()];
    return o.length === PARTITIONS && o.every((x) => x === 'wb');
  });
  a.cli.child.kill('SIGKILL');
  await a.cli.result;
  const c = startWorker('wc');
  await c.out.waitFor(/lease acquired: partition \d+ owner wc/);
  await waitUntil('wb and wc to share the partitions', async () => {
    const o = [...(await owners(kv)).values()];
    return o.length === PARTITIONS && o.includes('wb') && o.includes('wc');
  });

  await waitUntil('every partition consumed and acknowledged', async () => (await consumers()).every((x) => x.pending === 0 && x.unacked === 0), 60_000);
  // Acknowledged means stored or durably dead-lettered; a dead-lettered batch reaches the table
  // through the replayer, so wait for the rows.
  const rows = new pg.Client({ connectionString: db.url });
  await rows.connect();
  const count = async () =>
    (await rows.query<{ n: number; distinct_n: number }>('SELECT count(*)::int AS n, count(DISTINCT (vessel_id, ts))::int AS distinct_n FROM vessel_positions'))
      .rows[0];
  await waitUntil('every position in PostgreSQL', async () => ((await count())?.n ?? 0) >= expected, 60_000);
  const r = { rows: [await count()] };
  await rows.end();
  expect(r.rows[0]).toEqual({ n: expected, distinct_n: expected });

  // doctor --nats: every partition owned by a live worker, nothing left to read.
  const doctor = await runCli(['doctor', '--env', env, '--nats', TEST_NATS_URL, '--database-url', db.url, '--redis-url', redis.url, '--json']);
  const logReport = (JSON.parse(doctor.stdout) as { log: { partitions: Array<{ owner: string | null; pending: number; unacknowledged: number }> } }).log;
  expect(logReport.partitions).toHaveLength(PARTITIONS);
  for (const p of logReport.partitions) expect(p).toMatchObject({ owner: expect.stringMatching(/^w[bc]$/) as unknown, pending: 0, unacknowledged: 0 });

  // /metrics and /healthz of a worker.
  const url = (await b.out.waitFor(/listening on (http:\/\/\S+)/))[1] ?? '';
  const metrics = await (await fetch(`${url}/metrics`)).text();
  expect(metrics).toMatch(/aisctl_log_partitions_owned [1-9]/);
  expect(metrics).toMatch(/aisctl_log_acks_total [1-9]/);
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  expect(((await health.json()) as { checks: Record<string, unknown> }).checks).toHaveProperty('nats');

  // SIGTERM: leases given up at once (deleted, not left to expire), exit 0.
  b.cli.child.kill('SIGTERM');
  const bDone = await b.cli.result;
  expect(bDone.code, describeResult(bDone)).toBe(0);
  expect([...(await owners(kv)).values()]).not.toContain('wb');
  c.cli.child.kill('SIGTERM');
  const cDone = await c.cli.result;
  expect(cDone.code, describeResult(cDone)).toBe(0);
  // The records wa held were delivered again to the others.
  const redelivered = [bDone, cDone].map((x) => Number(/\((\d+) redelivered\)/.exec(x.stdout)?.[1] ?? 0)).reduce((s, n) => s + n, 0);
  expect(redelivered).toBeGreaterThan(0);

  history.stop();
  const check = leaseViolations(history.entries, TTL_MS);
  expect(check.violations).toEqual([]);
  // wa's partitions were taken over after its leases expired: the check had work to do.
  expect(check.expiryTakeovers).toBeGreaterThan(0);
}

async function resumeAfterExpiry(): Promise<void> {
  const environment = `${env}_resume`;
  envs.push(environment);
  const one = join(dir, 'one.jsonl');
  writeVesselTracks(one, 1, 1);
  expect((await runCli(['publish', ...logArgs(environment), '--partitions', '4', one])).code).toBe(0);
  const kv = await nc.jetstream().views.kv(`aisctl_leases_${environment}`, { ttl: TTL_MS, history: 1 });
  const history = await recordLeaseHistory(kv);
  const a = startWorker('ra', environment);
  await a.out.waitFor(/started: 4 partitions owned/);
  a.cli.child.kill('SIGSTOP');
  const b = startWorker('rb', environment);
  await waitUntil('rb to own every partition', async () => [...(await owners(kv, 4)).values()].filter((o) => o === 'rb').length === 4);
  a.cli.child.kill('SIGCONT');
  // Resumed, ra finds its deadlines passed (or its renewals refused) and stops reading each one.
  for (let p = 0; p < 4; p++) await a.out.waitFor(new RegExp(`lease (expired|lost): partition ${p} owner ra`));
  history.stop();
  const check = leaseViolations(history.entries, TTL_MS);
  expect(check.violations).toEqual([]);
  expect(check.expiryTakeovers).toBe(4);
  for (const w of [a, b]) {
    w.cli.child.kill('SIGTERM');
    expect((await w.cli.result).code).toBe(0);
  }
}

describe('aisctl publish + aisctl work', () => {
  it('stores every position exactly once with a worker SIGKILLed mid-run and a third joining; leases never overlap', () => scaleOut().catch(explain), 120_000);

  it('a republished file adds nothing: every message is a duplicate the server drops', async () => {
    const jsm = await nc.jetstreamManager();
    const before = (await jsm.streams.info(`AIS_${env}`)).state.last_seq;
    const again = await runCli(['publish', ...logArgs(), '--json', file]);
    expect(again.code, describeResult(again)).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ messages: expected, appended: 0, duplicates: expected, notPublished: 0 });
    expect((await jsm.streams.info(`AIS_${env}`)).state.last_seq).toBe(before);
  }, 60_000);
  it('a hung worker that resumes after its leases expired never takes a partition back from the new owner', () => resumeAfterExpiry().catch(explain), 60_000);
});
