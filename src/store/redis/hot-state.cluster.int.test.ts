import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionRow } from '../store-types.js';
import { activeSince, getVesselState, searchNear } from './hot-state-reader.js';
import { createHotStateWriter } from './hot-state-writer.js';
import { pruneInactive } from './prune-inactive.js';

/**
 * Starts its own 3-node Redis Cluster (no replicas) on free ports in a temp dir, never touching
 * the machine's shared server, and stops exactly the processes it started.
 */
const run = promisify(execFile);

async function redisServerAvailable(): Promise<boolean> {
  try {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    // The cluster bus listens on port + 10000.
    if (port > 1024 && port + 10000 < 65536) return port;
  }
}

const available = await redisServerAvailable();
const T0 = Date.UTC(2024, 5, 1);
const pos = (mmsi: number, ts: number, lat: number, lon: number): PositionRow => ({
  mmsi, ts, lat, lon, sog: 10, cog: 90, heading: 90, navStatus: 0, source: 'c', score: 0.5,
});

describe.skipIf(!available)('hot state on a 3-node Redis Cluster', () => {
  const children: ChildProcess[] = [];
  let dir = '';
  let cluster: Cluster;
  const ports: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aisctl-cluster-'));
    for (let i = 0; i < 3; i++) ports.push(await freePort());
    for (const p of ports) {
      children.push(
        spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${p}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }),
      );
    }
    for (const p of ports) {
      const c = new Redis({ port: p, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 50 });
      await c.connect().catch(() => {});
      for (let i = 0; i < 50 && (await c.ping().catch(() => '')) !== 'PONG'; i++) await sleep(100);
      c.disconnect();
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const p of ports) {
      for (let i = 0; i < 100; i++) {
        const { stdout } = await run('redis-cli', ['-p', String(p), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        await sleep(100);
      }
    }
    cluster = new Cluster([{ host: '127.0.0.1', port: ports[0] as number }]);
    await new Promise<void>((resolve, reject) => {
      cluster.once('ready', () => resolve());
      cluster.once('error', reject);
    });
  }, 60_000);

  afterAll(async () => {
    cluster?.disconnect();
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await sleep(200);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes through one script call per bucket (keys of a call share a slot) and reads across all buckets', async () => {
    const buckets = 16;
    const w = createHotStateWriter({ redis: cluster, env: 'clu', buckets });
    const rows = Array.from({ length: 300 }, (_, i) => pos(250_000_000 + i, T0 + i, 40 + i / 1000, 10));
    // Fresh servers have no scripts loaded: this also exercises the NOSCRIPT fallback on every node.
    expect(await w.writeBatch(rows, [])).toEqual({ applied: 300, stale: 0 });
    expect(await w.writeBatch([pos(250_000_005, T0, 0, 0)], [])).toEqual({ applied: 0, stale: 1 });
    expect((await getVesselState(cluster, 'clu', 250_000_005, { buckets }))?.position?.lat).toBeCloseTo(40.005, 6);
    const near = await searchNear(cluster, 'clu', 40, 10, 1000, 5, { buckets });
    expect(near.map((n) => n.mmsi)).toEqual([250_000_000, 250_000_001, 250_000_002, 250_000_003, 250_000_004]);
    expect(await activeSince(cluster, 'clu', T0 + 290, { buckets })).toHaveLength(10);
    expect(await pruneInactive(cluster, 'clu', T0 + 100, { buckets })).toBe(100);
    expect(await activeSince(cluster, 'clu', 0, { buckets })).toHaveLength(200);
    // The buckets really are spread over the nodes.
    const nodesWithKeys = await Promise.all(cluster.nodes('master').map((n) => n.dbsize()));
    expect(nodesWithKeys.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});
