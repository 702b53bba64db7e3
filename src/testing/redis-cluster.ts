/**
 * Integration-test support: a throwaway Redis Cluster (3 masters, no replicas by default) of
 * `redis-server --cluster-enabled yes` processes on free ports in a temp dir. It never touches
 * the machine's shared Redis, and stop() ends exactly the processes start() spawned (also when
 * the test process exits without calling it).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';

const run = promisify(execFile);

/** Why cluster tests are skipped on this machine, for the skip message. */
export const REDIS_CLUSTER_MISSING = 'redis-server and redis-cli are not on PATH: Redis Cluster tests skipped (install redis-server 7)';

export async function redisClusterAvailable(): Promise<boolean> {
  try {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export interface RedisClusterHandle {
  readonly ports: readonly number[];
  /** Every node as a seed: `redis://127.0.0.1:p1,127.0.0.1:p2,...` (the form `--redis-url` accepts). */
  readonly url: string;
  /** `redis://127.0.0.1:p1`, a single seed (needs `--redis-cluster`). */
  readonly seedUrl: string;
  /** A connected client, closed by stop(). */
  readonly client: Cluster;
  /** Disconnects, stops the nodes this handle started and removes their directory. */
  stop(): Promise<void>;
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    if (port > 1024 && port + 10_000 < 65_536 && !taken.has(port) && !taken.has(port + 10_000) && (await listenable(port + 10_000))) return port;
  }
  throw new Error('no free port pair (port, port + 10000) for a Redis Cluster node');
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster test setup: ${what} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const result = await Promise.race([exited.then(() => 'exited' as const), sleep(5_000).then(() => 'timeout' as const)]);
      if (result === 'timeout') {
        c.kill('SIGKILL');
        await exited;
      }
    }),
  );
}

export async function startRedisCluster(opts: { nodes?: number } = {}): Promise<RedisClusterHandle> {
  const count = opts.nodes ?? 3;
  if (count < 3) throw new Error('a Redis Cluster needs at least 3 masters');
  const dir = mkdtempSync(join(tmpdir(), 'aisctl-cluster-'));
  const children: ChildProcess[] = [];
  const killOnExit = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let client: Cluster | null = null;
  const stop = async (): Promise<void> => {
    client?.disconnect();
    await stopChildren(children);
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    const taken = new Set<number>();
    for (let i = 0; i < count; i++) {
      const p = await freeClusterPort(taken);
      ports.push(p);
      taken.add(p).add(p + 10_000);
    }
    for (const p of ports) {
      const args = [
        '--port',
        String(p),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${p}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--logfile',
        join(dir, `redis-${p}.log`),
      ];
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    for (const p of ports) {
      const c = new Redis({ port: p, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      c.on('error', () => undefined);
      try {
        await waitFor(
          `node 127.0.0.1:${p} answering PING`,
          async () => {
            if (c.status !== 'ready') await c.connect();
            return (await c.ping()) === 'PONG';
          },
          15_000,
        );
      } finally {
        c.disconnect();
      }
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    for (const p of ports) {
      await waitFor(
        `cluster_state:ok on 127.0.0.1:${p}`,
        async () => (await run('redis-cli', ['-p', String(p), 'cluster', 'info'])).stdout.includes('cluster_state:ok'),
        20_000,
      );
    }
    const connected = new Cluster(
      ports.map((port) => ({ host: '127.0.0.1', port })),
      { lazyConnect: true },
    );
    client = connected;
    connected.on('error', () => undefined);
    await connected.connect();
    return {
      ports,
      url: `redis://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
      seedUrl: `redis://127.0.0.1:${ports[0] ?? 0}`,
      client: connected,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
