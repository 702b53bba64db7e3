/**
 * `aisctl serve --feed` in process, against the real PostgreSQL and Redis, with every peer (a
 * receiver replaying recorded NMEA, UDP senders, an aisstream-speaking websocket server, bad
 * clients) started here on 127.0.0.1. Waits are on observable states (a connection accepted, a
 * counter reaching a value, a socket closing), never on elapsed time.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { getVesselState } from '../store/redis/hot-state-reader.js';
import { fixtureLines, parsedMessages, storedPositions, timedHarbourLines, waitUntil } from '../testing/feed-fixtures.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../testing/services.js';
import { startServe, type ServeHandle, type StartServeOptions } from '../cli/commands/serve.js';
import { parseFeedSpec } from './feed-url.js';

let db: TestDatabase;
let redis: TestRedis;
let pool: pg.Pool;
let spoolDir: string;
const peers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  db = await createTestDatabase('feeds');
  redis = await createTestRedis('feeds');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  spoolDir = mkdtempSync(join(tmpdir(), 'aisctl-feeds-'));
});

afterAll(async () => {
  for (const close of peers.reverse()) await close().catch(() => undefined);
  await pool?.end();
  await redis?.cleanup();
  await db?.drop();
  if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
});

/**
 * Two hours ago, on a whole minute: the replayed traffic (70 minutes of it) is recent but never in
 * the future. Each test replays from its own hour before that, so their rows never coincide.
 */
const T0 = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
const HOUR = 3_600_000;
const FAST_BACKOFF = { baseMs: 20, maxMs: 200 };

async function serveWith(env: string, feeds: string[], extra: Partial<StartServeOptions> = {}): Promise<ServeHandle> {
  const handle = await startServe({
    redisUrl: redis.url,
    databaseUrl: db.url,
    env: `${redis.prefix}_${env}`,
    host: '127.0.0.1',
    port: 0,
    spoolDir,
    feeds: feeds.map(parseFeedSpec),
    ...extra,
    feedOptions: { backoff: FAST_BACKOFF, ...extra.feedOptions },
  });
  peers.push(() => handle.stop());
  return handle;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function positions(lines: readonly string[], feed: string): Array<{ mmsi: number; ts: number }> {
  return parsedMessages(lines, feed)
    .filter((m) => m.kind === 'position')
    .map((m) => ({ mmsi: m.mmsi, ts: m.ts }));
}

describe('tcp:// client feed', () => {
  it('reconnects to a receiver that drops the connection mid-line and stores every line sent after the reconnect', async () => {
    const lines = timedHarbourLines(T0);
    // The cut falls inside a single-sentence position report, half of which goes out before the drop.
    const cut = lines.findIndex((l, i) => i > lines.length / 2 && /!AIVDM,1,1,,[AB],1/.test(l));
    const before = lines.slice(0, cut);
    const after = lines.slice(cut);
    const half = (lines[cut] as string).slice(0, 30);
    const connections: Socket[] = [];
    const receiver = createServer((socket) => {
      connections.push(socket);
      socket.on('error', () => undefined);
      if (connections.length === 1) socket.write(`${before.join('\r\n')}\r\n${half}`, () => socket.destroy());
      else if (connections.length === 2) socket.write(`${after.join('\r\n')}\r\n`);
    });
    const port = await listen(receiver);
    peers.push(async () => {
      for (const s of connections) s.destroy();
      await new Promise<void>((r) => receiver.close(() => r()));
    });

    const serve = await serveWith('tcp', [`rx=tcp://127.0.0.1:${port}`]);
    const runner = serve.feeds?.feed('rx').runner;
    if (runner === undefined) throw new Error('no feed rx');
    const expected = parsedMessages(before, 'rx').length + parsedMessages(after, 'rx').length;
    await waitUntil('every message of both connections read', () => runner.stats.messages >= expected);
    await serve.runtime.pipeline.flush();

    expect(connections).toHaveLength(2);
    expect(runner.stats.reconnects).toBe(1);
    expect(runner.state).toBe('connected');
    expect(runner.stats.messages).toBe(expected);
    // The half line is read when the connection ends, and rejected.
    expect(runner.stats.rejected).toBe(1);
    const c = serve.runtime.pipeline.counters;
    expect(c.duplicates + c.fusionRejected).toBe(0);
    const wanted = positions(after, 'rx');
    expect(wanted.length).toBeGreaterThan(100);
    const stored = await storedPositions(pool, wanted);
    expect(stored).toEqual({ found: wanted.length, sources: { rx: wanted.length } });
    expect((await storedPositions(pool, positions(before, 'rx'))).found).toBe(positions(before, 'rx').length);
    // The hot state of a vessel heard after the reconnect is its last report.
    const last = wanted[wanted.length - 1] as { mmsi: number; ts: number };
    const newest = Math.max(...wanted.filter((p) => p.mmsi === last.mmsi).map((p) => p.ts));
    expect((await getVesselState(redis.client, `${redis.prefix}_tcp`, last.mmsi, { buckets: serve.runtime.buckets }))?.position?.ts).toBe(newest);

    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toContain('aisctl_feed_reconnects_total{feed="rx"} 1');
    expect(metrics).toContain(`aisctl_feed_messages_total{feed="rx"} ${expected}`);
    expect(metrics).toMatch(/aisctl_feed_last_message_age_seconds\{feed="rx"\} \d/);
  });
});

describe('udp:// feed', () => {
  it('reads bursts of datagrams holding several sentences each, and counts datagrams and bytes', async () => {
    const serve = await serveWith('udp', ['burst=udp://127.0.0.1:0'], { feedOptions: { rcvbufBytes: 1 << 20 } });
    const feed = serve.feeds?.feed('burst');
    const port = feed?.transport.address?.port ?? 0;
    const runner = feed?.runner;
    if (runner === undefined || port === 0) throw new Error('no feed burst');
    const lines = timedHarbourLines(T0 - 2 * HOUR, { station: 'udp-rx' });
    const datagrams: string[] = [];
    for (let i = 0; i < lines.length; i += 7) datagrams.push(lines.slice(i, i + 7).join(i % 2 === 0 ? '\r\n' : '\n'));
    const sender = createSocket('udp4');
    peers.push(() => new Promise<void>((r) => sender.close(() => r())));
    let bytes = 0;
    // A burst: all sends issued at once, then awaited together.
    await Promise.all(
      datagrams.map((d) => {
        bytes += Buffer.byteLength(d);
        return new Promise<void>((resolve, reject) => sender.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      }),
    );
    await waitUntil('every datagram received', () => runner.stats.datagrams === datagrams.length);
    await serve.runtime.pipeline.flush();

    expect(runner.stats).toMatchObject({ datagrams: datagrams.length, bytes, lines: lines.length, rejected: 0 });
    expect(runner.stats.dropped.saturated).toBe(0);
    // Sentences of a multi-sentence message travel in different datagrams here and are still joined.
    expect(runner.stats.messages).toBe(parsedMessages(lines, 'burst').length);
    const wanted = positions(lines, 'burst');
    // The tag block names the station, which wins over the feed name.
    expect(await storedPositions(pool, wanted)).toEqual({ found: wanted.length, sources: { 'udp-rx': wanted.length } });
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toContain(`aisctl_feed_bytes_total{feed="burst"} ${bytes}`);
    expect(metrics).toContain(`aisctl_feed_datagrams_total{feed="burst"} ${datagrams.length}`);
  });
});

describe('ws:// feed (aisstream)', () => {
  it('subscribes with the API key, bbox and types, reads the messages through the aisstream parser, and reconnects', async () => {
    const records = fixtureLines('harbour.aisstream.jsonl');
    const subscriptions: unknown[] = [];
    const clients: WebSocket[] = [];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    peers.push(async () => {
      for (const c of clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    });
    wss.on('connection', (ws) => {
      clients.push(ws);
      ws.once('message', (data) => {
        subscriptions.push(JSON.parse(String(data)));
        // The first connection gets half the stream and is then closed by the server.
        const n = clients.length === 1 ? 100 : records.length;
        const start = clients.length === 1 ? 0 : 100;
        for (const r of records.slice(start, n)) ws.send(r);
        if (clients.length === 1) ws.close(1012, 'service restart');
      });
    });
    const port = (wss.address() as { port: number }).port;
    const serve = await serveWith('ws', [`live=ws://127.0.0.1:${port}/v0/stream`], {
      feedOptions: {
        aisstream: {
          apiKey: 'test-key',
          boxes: [
            [
              [51, 3],
              [53, 5],
            ],
          ],
          messageTypes: ['PositionReport', 'ShipStaticData'],
        },
      },
    });
    const runner = serve.feeds?.feed('live').runner;
    if (runner === undefined) throw new Error('no feed live');
    const expected = parsedMessages(records, 'live', 'aisstream');
    await waitUntil('every aisstream message read', () => runner.stats.messages >= expected.length);
    await serve.runtime.pipeline.flush();

    expect(subscriptions).toHaveLength(2);
    for (const s of subscriptions) {
      expect(s).toEqual({
        APIKey: 'test-key',
        BoundingBoxes: [
          [
            [51, 3],
            [53, 5],
          ],
        ],
        FilterMessageTypes: ['PositionReport', 'ShipStaticData'],
      });
    }
    expect(runner.stats.reconnects).toBe(1);
    expect(runner.stats.messages).toBe(expected.length);
    // The fixture's three bad records (fixtures/README.md).
    expect(runner.stats.rejected).toBe(3);
    const wanted = expected.filter((m) => m.kind === 'position').map((m) => ({ mmsi: m.mmsi, ts: m.ts }));
    const distinct = new Set(wanted.map((p) => `${p.mmsi}@${p.ts}`)).size;
    const stored = await storedPositions(pool, wanted);
    expect(stored.found).toBe(distinct - serve.runtime.pipeline.counters.duplicates);
    expect(Object.keys(stored.sources)).toEqual(['live']);
  });

  it('refuses to start a websocket feed without an API key', async () => {
    await expect(serveWith('ws-nokey', ['ws://127.0.0.1:9/x'], { feedOptions: { aisstream: { apiKey: '', boxes: [], messageTypes: [] } } })).rejects.toThrow(
      /needs an aisstream API key: set AISSTREAM_API_KEY/,
    );
  });
});

describe('tcp-listen:// feed with bad peers', () => {
  it('counts junk and over-long lines, keeps the connection, caps connections, and keeps serving its other feeds', async () => {
    const serve = await serveWith('listen', ['push=tcp-listen://127.0.0.1:0', 'side=udp://127.0.0.1:0'], {
      maxLineLength: 300,
      feedOptions: { maxConnections: 2 },
    });
    const push = serve.feeds?.feed('push');
    const side = serve.feeds?.feed('side');
    if (push === undefined || side === undefined) throw new Error('feeds missing');
    const runner = push.runner;
    const lines = timedHarbourLines(T0 - 4 * HOUR).filter((l) => /!AIVDM,1,1,,[AB],1/.test(l));
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const s = createConnection({ host: '127.0.0.1', port: push.transport.address?.port ?? 0 }, () => resolve(s));
        s.once('error', reject);
      });

    const a = await open();
    peers.push(async () => void a.destroy());
    a.write(`${lines[0]}\n`);
    a.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]));
    // An endless line: far over the cap, sent in pieces, then ended.
    for (let i = 0; i < 20; i++) a.write('A'.repeat(1000));
    a.write(`\n${lines[1]}\n`);
    await waitUntil('four lines read', () => runner.stats.lines === 4);
    expect(runner.stats).toMatchObject({ messages: 2, rejected: 1 });
    expect(runner.stats.dropped).toMatchObject({ junk: 1, line_too_long: 1 });
    expect(a.destroyed).toBe(false);
    // Half a sentence, then the connection kept: the next line end completes it as one bad line.
    a.write((lines[2] as string).slice(0, 20));
    a.write(`\n${lines[3]}\n`);
    await waitUntil('the connection still read', () => runner.stats.messages === 3);

    // The cap: a second connection is served, a third refused and counted.
    const b = await open();
    peers.push(async () => void b.destroy());
    b.write(`${lines[4]}\n`);
    await waitUntil('the second connection read', () => runner.stats.messages === 4);
    const c = await open();
    await new Promise<void>((resolve) => c.once('close', () => resolve()));
    expect(runner.stats.dropped.connection_limit).toBe(1);

    // The other feed of the process still takes input.
    const sender = createSocket('udp4');
    peers.push(() => new Promise<void>((r) => sender.close(() => r())));
    sender.send(`${lines[5]}\n${lines[6]}`, side.transport.address?.port ?? 0, '127.0.0.1');
    await waitUntil('the udp feed read', () => side.runner.stats.messages === 2);

    const health = (await (await fetch(`${serve.url}/healthz`)).json()) as { ok: boolean; checks: Record<string, { ok: boolean; detail: string }> };
    expect(health.checks['feed:push']?.detail).toMatch(/^listening: tcp 127\.0\.0\.1:\d+, 2\/2 connections: 127\.0\.0\.1:\d+ \(\d+ lines/);
    expect(health.checks['feed:push']?.detail).toMatch(/; 4 messages, 2 rejected, dropped 1 line_too_long, 1 junk, 1 connection_limit$/);
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toContain('aisctl_feed_dropped_total{feed="push",reason="line_too_long"} 1');
    expect(metrics).toContain('aisctl_feed_dropped_total{feed="push",reason="connection_limit"} 1');
    expect(metrics).toContain('aisctl_rejections_total{reason="line_too_long"} 1');
  });
});

describe('/healthz with feeds', () => {
  it('lists each feed, and answers 503 once every feed has been silent longer than --feed-stale', async () => {
    // A port nobody listens on: taken from a listener this test opens and closes again.
    const gone = createServer();
    const closedPort = await listen(gone);
    await new Promise<void>((r) => gone.close(() => r()));
    let clock = Date.now();
    const serve = await serveWith('health', ['quiet=tcp-listen://127.0.0.1:0', `away=tcp://127.0.0.1:${closedPort}`], {
      nowMs: () => clock,
      feedOptions: { staleMs: 60_000 },
    });
    const get = async (): Promise<{ status: number; body: { ok: boolean; checks: Record<string, { ok: boolean; detail: string }> } }> => {
      const res = await fetch(`${serve.url}/healthz`);
      return { status: res.status, body: (await res.json()) as { ok: boolean; checks: Record<string, { ok: boolean; detail: string }> } };
    };
    const away = serve.feeds?.feed('away').runner;
    await waitUntil('the client feed retrying', () => away?.state === 'reconnecting');
    const fresh = await get();
    expect(fresh.status).toBe(200);
    expect(fresh.body.checks['feed:quiet']?.detail).toMatch(/^listening: tcp 127\.0\.0\.1:\d+, 0\/32 connections; 0 accepted since start; no message yet/);
    expect(fresh.body.checks['feed:away']?.detail).toMatch(new RegExp(`^reconnecting: reconnecting to tcp 127\\.0\\.0\\.1:${closedPort} \\(attempt \\d+`));
    expect(fresh.body.checks['feeds']).toEqual({ ok: true, detail: '2 of 2 feeds delivered within 60.0 s' });

    clock += 61_000;
    const stale = await get();
    expect(stale.status).toBe(503);
    expect(stale.body.checks['feeds']?.detail).toMatch(/every feed silent for longer than 60\.0 s/);
    expect(stale.body.checks['feed:quiet']?.detail).toMatch(/^silent: /);

    // One feed delivering again is enough.
    const quiet = serve.feeds?.feed('quiet');
    const s = createConnection({ host: '127.0.0.1', port: quiet?.transport.address?.port ?? 0 });
    peers.push(async () => void s.destroy());
    const line = timedHarbourLines(T0 - 6 * HOUR).find((l) => /!AIVDM,1,1,,[AB],1/.test(l)) as string;
    s.write(`${line}\n`);
    await waitUntil('a message on quiet', () => quiet?.runner.stats.messages === 1);
    // Nothing flushes here: a line read from a feed reaches the stores through the pipeline's linger.
    const wanted = positions([line], 'quiet');
    await waitUntil('the row stored', async () => (await storedPositions(pool, wanted)).found === 1);
    const back = await get();
    expect(back.status).toBe(200);
    expect(back.body.checks['feed:quiet']?.detail).toMatch(/^listening: .*last message 0\.0 s ago/);
    expect(back.body.checks['feed:away']?.ok).toBe(false);
  });
});
