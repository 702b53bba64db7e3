/**
 * The log on a 3-node NATS cluster (stream and lease bucket with 3 replicas): stopping the node
 * that leads the stream while the workers are mid-run loses nothing; every position is stored
 * exactly once. The cluster is this test's own (nats-server on free ports, store dirs in a temp
 * folder), stopped at the end.
 *
 * Mid-run is guaranteed, not timed: the positions table is locked while the node stops, so no
 * position can have been written yet (checked), and the workers hold the records.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, ensureBuilt, runCli, startCli, type RunningCli } from '../../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import {
  connectTestNats,
  NATS_SERVER_BIN,
  startNatsCluster,
  waitUntil,
  watchOutput,
  workArgs,
  type NatsCluster,
  type OutputWatch,
} from '../../testing/nats.js';
import { writeVesselTracks } from '../../testing/vessel-tracks-file.js';

const PARTITIONS = 4;
const HAVE_NATS_SERVER = existsSync(NATS_SERVER_BIN);

let cluster: NatsCluster;
let db: TestDatabase;
let redis: TestRedis;
let nc: NatsConnection;
let dir: string;
const workers: Array<{ cli: RunningCli; out: OutputWatch }> = [];

beforeAll(async () => {
  if (!HAVE_NATS_SERVER) return;
  ensureBuilt();
  cluster = await startNatsCluster();
  db = await createTestDatabase('cluster');
  redis = await createTestRedis('cluster');
  nc = await connectTestNats(cluster.url);
  dir = mkdtempSync(join(tmpdir(), 'aisctl-cluster-'));
}, 120_000);

afterAll(async () => {
  if (!HAVE_NATS_SERVER) return;
  for (const w of workers) if (!w.cli.exited()) w.cli.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.cli.result));
  await nc?.close();
  await cluster?.stop();
  await redis?.cleanup();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_NATS_SERVER)('aisctl work on a 3-node NATS cluster', () => {
  it('stopping the stream leader node mid-run loses nothing', async () => {
    const env = redis.prefix;
    const file = join(dir, 'tracks.jsonl');
    const { positions } = writeVesselTracks(file, 30, 20);
    const pub = await runCli(['publish', '--env', env, '--nats', cluster.url, '--replicas', '3', '--partitions', String(PARTITIONS), '--json', file]);
    expect(pub.code, describeResult(pub)).toBe(0);
    expect(JSON.parse(pub.stdout)).toMatchObject({ appended: positions, notPublished: 0 });
    expect((await runCli(['db', 'migrate', '--database-url', db.url])).code).toBe(0);

    const locker = new pg.Client({ connectionString: db.url });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE vessel_positions IN ACCESS EXCLUSIVE MODE');
    for (const name of ['ca', 'cb']) {
      const cli = startCli(
        workArgs({ env, natsUrl: cluster.url, databaseUrl: db.url, redisUrl: redis.url, name, leaseTtl: '2s', spoolDir: join(dir, `spool-${name}`) }),
      );
      workers.push({ cli, out: watchOutput(cli) });
    }
    for (const w of workers) await w.out.waitFor(/started: \d+ partitions owned/);
    const jsm = await nc.jetstreamManager();
    const stream = await jsm.streams.info(`AIS_${env}`);
    expect(stream.config.num_replicas).toBe(3);
    const leader = stream.cluster?.leader ?? 'n0';
    const count = async (): Promise<number> => (await locker.query<{ n: number }>('SELECT count(*)::int AS n FROM vessel_positions')).rows[0]?.n ?? -1;
    expect(await count()).toBe(0);

    await cluster.stopNode(Number(leader.slice(1)));
    await locker.query('COMMIT');

    const consumers = async () => Promise.all(Array.from({ length: PARTITIONS }, (_, p) => jsm.consumers.info(`AIS_${env}`, `p${p}`).catch(() => null)));
    await waitUntil(
      'every partition consumed and acknowledged on the remaining nodes',
      async () => (await consumers()).every((c) => c !== null && c.num_pending === 0 && c.num_ack_pending === 0),
      60_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${workers.map((w) => w.out.text()).join('\n---\n')}`);
    });
    await waitUntil('every position in PostgreSQL', async () => (await count()) >= positions, 60_000);
    const r = await locker.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT (vessel_id, ts))::int AS d FROM vessel_positions');
    await locker.end();
    expect(r.rows[0]).toEqual({ n: positions, d: positions });
    for (const w of workers) {
      w.cli.child.kill('SIGTERM');
      const done = await w.cli.result;
      expect(done.code, describeResult(done)).toBe(0);
    }
  }, 180_000);
});
