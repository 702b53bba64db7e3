/**
 * Live feeds while batches can be neither stored nor dead-lettered: `serve` in process with a
 * `tcp-listen` and a `udp` feed, its Redis one this test starts (never the shared 6379) and
 * kills, its spool directory below a regular file (ENOTDIR even for root), as in
 * src/pipeline/ingest-data-loss.int.test.ts. The TCP connection must stop being read (what the
 * sender still has waits in its socket), UDP datagrams must be dropped unread and counted
 * (`reason="failing"`), both must resume once Redis is back, and every message read must be
 * accounted for: stored, or counted as not stored. Waits are on states and counters, never on
 * elapsed time.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../cli/commands/serve.js';
import { startLocalServers, type LocalServers } from '../harness/local-servers.js';
import { waitUntil } from '../testing/feed-fixtures.js';
import { nmeaPosition, trackPoint } from '../testing/position-feed.js';
import { createTestDatabase, type TestDatabase } from '../testing/services.js';
import { parseFeedSpec } from './feed-url.js';

const VESSELS = 200;
const TRACK = { t0: Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000, stepMs: 10_000, baseMmsi: 237_000_000 };
/** Lines per write of the TCP sender. */
const CHUNK = 200;
/** Written once the connection is paused: more than one read of the feed (64 KiB) holds. */
const WHILE_PAUSED = 3_000;

let dir: string;
let servers: LocalServers;
let db: TestDatabase;
let serve: ServeHandle | null = null;
const closers: Array<() => Promise<void> | void> = [];

/** Line `i` of an endless feed: a distinct (mmsi, ts) each, in time order per vessel. */
function line(i: number, station: string): string {
  return nmeaPosition(trackPoint(i % VESSELS, Math.floor(i / VESSELS), TRACK), station);
}

async function countRows(): Promise<number> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM vessel_positions')).rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

function sendDatagram(socket: UdpSocket, port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(text, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aisctl-feed-failing-'));
  servers = await startLocalServers({ dataDir: join(dir, 'servers'), postgres: false, durable: false });
  db = await createTestDatabase('feedfail');
}, 180_000);

afterAll(async () => {
  for (const c of closers.reverse()) await c();
  await serve?.stop().catch(() => undefined);
  await servers?.stop({ removeData: true }).catch(() => undefined);
  await db?.drop().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('feeds while batches cannot be kept', () => {
  it('pause TCP and drop UDP unread while failing, resume after, and account for every message', async () => {
    const notADir = join(dir, 'not-a-dir');
    writeFileSync(notADir, 'a file where the spool directory would have to be\n');
    const handle = await startServe({
      redisUrl: servers.redisUrl,
      databaseUrl: db.url,
      env: 'feedfail',
      host: '127.0.0.1',
      port: 0,
      spoolDir: join(notADir, 'spool'),
      feeds: ['push=tcp-listen://127.0.0.1:0', 'dgram=udp://127.0.0.1:0'].map(parseFeedSpec),
      onWarning: () => undefined,
    });
    serve = handle;
    const pipeline = handle.runtime.pipeline;
    const feeds = handle.feeds ?? expect.unreachable('serve started without feeds');
    const tcp = feeds.feed('push');
    const udp = feeds.feed('dgram');

    const client: Socket = createConnection({ host: '127.0.0.1', port: tcp.transport.address?.port ?? 0 });
    client.on('error', () => undefined);
    closers.push(() => void client.destroy());
    const sender = createSocket('udp4');
    closers.push(() => new Promise<void>((r) => sender.close(() => r())));
    const udpPort = udp.transport.address?.port ?? 0;
    let written = 0;
    const write = (n: number): void => {
      const lines: string[] = [];
      for (let i = written; i < written + n; i++) lines.push(line(i, 'push'));
      written += n;
      client.write(`${lines.join('\n')}\n`);
    };
    // UDP lines come from the far end of the same tracks, so no key repeats a TCP one.
    let datagrams = 0;
    const datagram = (): Promise<void> => sendDatagram(sender, udpPort, line(1_000_000 + datagrams++, 'dgram'));

    write(1_000);
    await waitUntil('the first lines stored', () => tcp.runner.stats.durable === 1_000, 60_000);

    await servers.stopRedis({ kill: true });
    // Keep the sender sending until the feed holds its connection because batches fail.
    await waitUntil(
      'the connection paused because batches cannot be kept',
      async () => {
        if (tcp.runner.stats.failingPauses > 0) return true;
        write(CHUNK);
        await new Promise((r) => setTimeout(r, 20));
        return false;
      },
      90_000,
    );
    expect(pipeline.failing).toBe(true);
    expect(tcp.runner.stats.notStored).toBeGreaterThan(0);

    // What the sender writes now waits in its socket: the feed reads at most one probe's worth.
    write(WHILE_PAUSED);
    await waitUntil('the pipeline idle and failing', () => !pipeline.saturated && pipeline.queued === 0 && pipeline.failing, 60_000);
    expect(tcp.runner.stats.lines).toBeLessThan(written);

    for (let i = 0; i < 30; i++) await datagram();
    await waitUntil('30 datagrams received', () => udp.runner.stats.datagrams === 30);
    const u = udp.runner.stats;
    expect(u.dropped.failing).toBeGreaterThan(0);
    // Admitted ones (probes) are read as lines; the rest never reached the parser.
    expect(u.dropped.failing + u.dropped.saturated + u.lines).toBe(30);
    const scrape = await handle.runtime.metrics.registry.getSingleMetric('aisctl_feed_dropped_total')?.get();
    expect(scrape?.values.find((v) => v.labels.feed === 'dgram' && v.labels.reason === 'failing')?.value).toBe(u.dropped.failing);

    await servers.startRedis();
    // A probe read after the breaker lets Redis be tried again is the batch that ends the state.
    await waitUntil('a batch kept again', () => !pipeline.failing, 90_000);
    await waitUntil('every line the sender wrote read', () => tcp.runner.stats.lines === written, 90_000);
    for (let i = 0; i < 10; i++) await datagram();
    await waitUntil('the later datagrams received', () => udp.runner.stats.datagrams === 40);
    await pipeline.flush();

    // Every datagram after the recovery went through; none was dropped for failing.
    expect(udp.runner.stats.lines).toBe(30 - u.dropped.failing - u.dropped.saturated + 10);
    for (const f of [tcp, udp]) {
      const s = f.runner.stats;
      expect(s.messages, f.runner.spec.name).toBe(s.durable + s.notStored);
    }
    const t = tcp.runner.stats;
    expect(t.messages).toBe(written);
    expect(t.notStored).toBeGreaterThan(0);
    expect(t.notStored).toBeLessThan(written);
    // PostgreSQL never failed: it holds every position read, those whose Redis part was lost too.
    expect(await countRows()).toBe(t.messages + udp.runner.stats.messages);
    console.log(
      `feed failing: ${written} lines written, ${t.notStored} not stored, ${t.failingPauses} pauses while failing; ` +
        `udp ${u.dropped.failing} of 30 datagrams dropped unread`,
    );
  }, 300_000);
});
