/**
 * NATS for tests: the machine's server (127.0.0.1:4222, or AISCTL_TEST_NATS_URL), a throwaway
 * 3-node JetStream cluster on free ports, a line waiter for spawned CLIs, and the clean-up of an
 * environment's stream and bucket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import type { RunningCli } from './cli.js';

export const TEST_NATS_URL = process.env.AISCTL_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER_BIN = process.env.AISCTL_NATS_SERVER ?? '/usr/sbin/nats-server';

/** The arguments of an `aisctl work` process of a test: its env, stores, name and short lease times. */
export function workArgs(o: {
  readonly env: string;
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly name: string;
  readonly leaseTtl: string;
  readonly spoolDir: string;
}): string[] {
  return [
    'work',
    ...['--env', o.env, '--nats', o.natsUrl, '--database-url', o.databaseUrl, '--redis-url', o.redisUrl],
    ...['--name', o.name, '--port', '0', '--lease-ttl', o.leaseTtl, '--ack-wait', o.leaseTtl, '--spool-dir', o.spoolDir],
  ];
}

/** Polls `check` until true; a state wait (consumer info, KV), bounded so a bug fails instead of hanging. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Collects a spawned CLI's stdout and stderr and resolves waits for a line matching a pattern. */
export interface OutputWatch {
  text(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function watchOutput(cli: RunningCli): OutputWatch {
  let text = '';
  let waiters: Array<() => void> = [];
  const add = (d: Buffer | string): void => {
    text += d.toString();
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  cli.child.stdout?.on('data', add);
  cli.child.stderr?.on('data', add);
  return {
    text: () => text,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(text);
        if (m) return m;
        if (cli.exited()) throw new Error(`exited before printing ${pattern}:\n${text}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${text}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

/** Deletes an environment's stream and lease bucket (what `publish` and `work` created). */
export async function deleteLogOf(nc: NatsConnection, env: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  for (const name of [`AIS_${env}`, `KV_aisctl_leases_${env}`]) await jsm.streams.delete(name).catch(() => false);
}

export async function connectTestNats(url = TEST_NATS_URL): Promise<NatsConnection> {
  return connect({ servers: url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 200 });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

export interface NatsCluster {
  /** Client URL list of every node, comma-separated. */
  readonly url: string;
  readonly urls: readonly string[];
  /** Stops node i (SIGTERM) and waits for it to exit. */
  stopNode(i: number): Promise<void>;
  stop(): Promise<void>;
}

/** Three nats-server processes with JetStream, routed to each other, store dirs in a temp folder. */
export async function startNatsCluster(): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'aisctl-nats-'));
  const clientPorts = [await freePort(), await freePort(), await freePort()];
  const clusterPorts = [await freePort(), await freePort(), await freePort()];
  const routes = clusterPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const procs: ChildProcess[] = clientPorts.map((port, i) =>
    spawn(
      NATS_SERVER_BIN,
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '-js',
        '-sd',
        join(dir, `n${i}`),
        '-n',
        `n${i}`,
        '--cluster_name',
        'aisctl',
        '--cluster',
        `nats://127.0.0.1:${clusterPorts[i]}`,
        '--routes',
        routes,
      ],
      { stdio: 'ignore' },
    ),
  );
  const urls = clientPorts.map((p) => `nats://127.0.0.1:${p}`);
  const exited = procs.map((p) => new Promise<void>((resolve) => p.once('exit', () => resolve())));
  const cluster: NatsCluster = {
    url: urls.join(','),
    urls,
    async stopNode(i) {
      procs[i]?.kill('SIGTERM');
      await exited[i];
    },
    async stop() {
      for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
      await Promise.all(exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Ready once JetStream has a meta leader: a replicated stream can be created.
  const nc = await waitForConnect(urls);
  try {
    await waitUntil(
      'a JetStream meta leader in the 3-node cluster',
      async () => {
        try {
          const jsm = await nc.jetstreamManager({ timeout: 2_000 });
          await jsm.streams.add({ name: 'READY', subjects: ['aisctl.ready'], num_replicas: 3 });
          await jsm.streams.delete('READY');
          return true;
        } catch {
          return false;
        }
      },
      60_000,
    );
  } catch (err) {
    await nc.close();
    await cluster.stop();
    throw err;
  }
  await nc.close();
  return cluster;
}

async function waitForConnect(urls: readonly string[]): Promise<NatsConnection> {
  let nc: NatsConnection | null = null;
  await waitUntil('the cluster to accept clients', async () => {
    try {
      nc = await connect({ servers: [...urls], timeout: 1000 });
      return true;
    } catch {
      return false;
    }
  });
  if (nc === null) throw new Error('unreachable');
  return nc;
}
