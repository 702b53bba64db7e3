/**
 * The built CLI with `--feed`: the exit code and message of a listener port already in use,
 * SIGTERM closing the feeds, writing what they read and exiting 0, and a second signal spooling
 * what was not handed to the stores. Peers are started here on 127.0.0.1; waits are on printed
 * lines and on /metrics counters.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, ensureBuilt, runCli, startCli, type RunningCli } from '../testing/cli.js';
import { parsedMessages, storedPositions, timedHarbourLines, waitUntil } from '../testing/feed-fixtures.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../testing/services.js';

let db: TestDatabase;
let redis: TestRedis;
let pool: pg.Pool;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('feedcli');
  redis = await createTestRedis('feedcli');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  dir = mkdtempSync(join(tmpdir(), 'aisctl-feedcli-'));
}, 300_000);

afterAll(async () => {
  await pool?.end();
  await redis?.cleanup();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts `aisctl serve` with one tcp-listen feed called `in`; resolves once both ports are printed. */
async function serveWithFeed(args: readonly string[]): Promise<{ run: RunningCli; url: string; feedPort: number }> {
  const run = startCli(['serve', '--port', '0', '--feed', 'in=tcp-listen://127.0.0.1:0', ...args], { timeoutMs: 300_000 });
  let out = '';
  run.child.stdout?.on('data', (d: Buffer | string) => (out += d.toString()));
  let url = '';
  let feedPort = 0;
  await waitUntil(
    'the listening lines',
    async () => {
      if (run.exited()) throw new Error(`serve exited early: ${describeResult(await run.result)}`);
      url = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
      feedPort = Number(/feed in: listening on tcp 127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? 0);
      return url !== '' && feedPort !== 0;
    },
    120_000,
  );
  return { run, url, feedPort };
}

/** Resolves once /metrics says feed `in` handed `n` messages to the pipeline. */
async function messagesRead(url: string, n: number): Promise<void> {
  const series = 'aisctl_feed_messages_total{feed="in"} ';
  await waitUntil(
    `${n} messages read by the service`,
    async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(series));
      return line !== undefined && Number(line.slice(series.length)) === n;
    },
    120_000,
  );
}

const conn = (env: string, spool = join(dir, 'spool')): string[] => [
  '--database-url',
  db.url,
  '--redis-url',
  redis.url,
  '--env',
  `${redis.prefix}_${env}`,
  '--spool-dir',
  spool,
];

describe('aisctl serve --feed (the CLI process)', () => {
  it('a UDP or TCP listener port already in use: exit 1 with a one-line message, no stack', async () => {
    const udp: UdpSocket = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const tcp: Server = createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    try {
      const udpPort = udp.address().port;
      const tcpPort = (tcp.address() as { port: number }).port;
      const r1 = await runCli(['serve', '--port', '0', '--feed', `udp://127.0.0.1:${udpPort}`, ...conn('inuse')]);
      expect(r1.code, describeResult(r1)).toBe(1);
      expect(r1.stderr).toContain(`aisctl: cannot listen on udp 127.0.0.1:${udpPort}: address already in use`);
      expect(r1.stderr).not.toMatch(/^\s+at /m);
      const r2 = await runCli(['serve', '--port', '0', '--feed', 'ok=udp://127.0.0.1:0', '--feed', `tcp-listen://127.0.0.1:${tcpPort}`, ...conn('inuse')]);
      expect(r2.code, describeResult(r2)).toBe(1);
      expect(r2.stderr).toContain(`aisctl: cannot listen on tcp 127.0.0.1:${tcpPort}: address already in use`);
      // A malformed feed is refused before anything starts.
      const r3 = await runCli(['serve', '--port', '0', '--feed', 'udp://127.0.0.1', ...conn('inuse')]);
      expect(r3.code, describeResult(r3)).toBe(1);
      expect(r3.stderr).toMatch(/aisctl: feed 'udp:\/\/127\.0\.0\.1': no port/);
    } finally {
      udp.close();
      tcp.close();
    }
  });

  it('SIGTERM closes the listener and its connections, writes what was read and exits 0', async () => {
    const { run, url, feedPort } = await serveWithFeed(conn('term'));

    const lines = timedHarbourLines(Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000, { station: 'cli-rx' });
    const expected = parsedMessages(lines, 'in');
    const client = createConnection({ host: '127.0.0.1', port: feedPort });
    client.on('error', () => undefined);
    const closedByServer = new Promise<void>((r) => client.once('close', () => r()));
    client.write(`${lines.join('\n')}\n`);
    await messagesRead(url, expected.length);

    run.child.kill('SIGTERM');
    const r = await run.result;
    expect(r.code, describeResult(r)).toBe(0);
    await closedByServer;
    expect(r.stderr).toContain('SIGTERM: stopping (closing feeds');
    expect(r.stderr).toMatch(
      new RegExp(
        `feed in: \\d+ bytes, ${lines.length} lines, ${expected.length} messages \\(${expected.length} stored or dead-lettered, 0 NOT STORED\\), 0 rejected, 0 reconnects`,
      ),
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const wanted = expected.filter((m) => m.kind === 'position').map((m) => ({ mmsi: m.mmsi, ts: m.ts }));
    expect(await storedPositions(pool, wanted)).toEqual({ found: wanted.length, sources: { 'cli-rx': wanted.length } });
  });

  it('a second SIGTERM while the stores are stuck spools what was not handed to them and exits 143', async () => {
    const spool = join(dir, 'spool-hard');
    const { run, url, feedPort } = await serveWithFeed(conn('hard', spool));
    // More than the 4 write slots of 2,000 rows can take: the rest waits in the pipeline.
    const base = Math.floor((Date.now() - 6 * 3_600_000) / 60_000) * 60_000;
    const lines: string[] = [];
    for (let rep = 0; rep < 30; rep++) lines.push(...timedHarbourLines(base + rep * 421_000, { stepMs: 1_000, station: `rx${rep}` }));
    const expected = parsedMessages(lines, 'in').length;
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      // Writes to vessel_positions wait on this lock, so the graceful stop cannot finish.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE vessel_positions IN EXCLUSIVE MODE');
      const client = createConnection({ host: '127.0.0.1', port: feedPort });
      client.on('error', () => undefined);
      client.write(`${lines.join('\n')}\n`);
      await messagesRead(url, expected);
      let err = '';
      run.child.stderr?.on('data', (d: Buffer | string) => (err += d.toString()));
      run.child.kill('SIGTERM');
      await waitUntil('the graceful stop to begin', () => err.includes('SIGTERM: stopping'));
      run.child.kill('SIGTERM');
      const r = await run.result;
      expect(r.code, describeResult(r)).toBe(143);
      const spooled = Number(/second signal: (\d+) messages spooled to /.exec(r.stderr)?.[1] ?? 0);
      expect(spooled, describeResult(r)).toBeGreaterThan(0);
      expect(readdirSync(spool).filter((f) => !f.endsWith('.lock')).length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });
});
