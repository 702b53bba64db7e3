/**
 * `aisctl doctor --feed URL` on real sockets: peers (a TCP receiver, a websocket server, a port
 * held by the test) are started here on 127.0.0.1.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { diagnose, renderDoctor } from '../cli/commands/doctor.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../testing/services.js';
import { probeFeed } from './feed-probe.js';
import { parseFeedSpec } from './feed-url.js';

let db: TestDatabase;
let redis: TestRedis;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  db = await createTestDatabase('probe');
  redis = await createTestRedis('probe');
});

afterAll(async () => {
  for (const c of cleanups.reverse()) c();
  await redis?.cleanup();
  await db?.drop();
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('probeFeed', () => {
  it('connects to client feeds, binds listener feeds, and says why not when it cannot', async () => {
    const receiver = createServer((s) => s.destroy());
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => receiver.close());
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    cleanups.push(() => wss.close());
    const held = createSocket('udp4');
    await new Promise<void>((r) => held.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => held.close());
    const tcpPort = (receiver.address() as { port: number }).port;
    const wsPort = (wss.address() as { port: number }).port;
    const heldPort = held.address().port;
    const closed = await freePort();

    const probe = (url: string) => probeFeed(parseFeedSpec(url), 2_000);
    expect(await probe(`tcp://127.0.0.1:${tcpPort}`)).toMatchObject({ ok: true, detail: `tcp 127.0.0.1:${tcpPort} accepts connections` });
    expect(await probe(`ws://127.0.0.1:${wsPort}/v0/stream`)).toMatchObject({ ok: true, detail: expect.stringContaining('completed the websocket handshake') });
    expect(await probe(`udp://127.0.0.1:${closed}`)).toMatchObject({ ok: true, detail: `can listen on udp 127.0.0.1:${closed} (nothing else holds the port)` });
    expect(await probe(`tcp-listen://127.0.0.1:${tcpPort}`)).toMatchObject({
      ok: false,
      detail: `cannot listen on tcp 127.0.0.1:${tcpPort}: address already in use`,
    });
    expect(await probe(`udp://127.0.0.1:${heldPort}`)).toMatchObject({
      ok: false,
      detail: `cannot listen on udp 127.0.0.1:${heldPort}: address already in use`,
    });
    expect(await probe(`tcp://127.0.0.1:${closed}`)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(new RegExp(`^cannot connect to tcp 127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED`)),
    });
    expect(await probe(`ws://127.0.0.1:${tcpPort}/`)).toMatchObject({ ok: false, detail: expect.stringMatching(/^cannot connect to ws ws:\/\/127\.0\.0\.1/) });
  });

  it('doctor --feed adds a Feeds section and fails on a feed that cannot start', async () => {
    const held = createSocket('udp4');
    await new Promise<void>((r) => held.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => held.close());
    const heldPort = held.address().port;
    const report = await diagnose({
      redisUrl: redis.url,
      databaseUrl: db.url,
      env: redis.prefix,
      feed: [`rx=udp://127.0.0.1:${heldPort}`, 'spare=udp://127.0.0.1:0'],
    });
    expect(report.feeds.map((f) => [f.name, f.ok])).toEqual([
      ['rx', false],
      ['spare', true],
    ]);
    expect(report.ok).toBe(false);
    const text = renderDoctor(report).join('\n');
    expect(text).toContain(
      `Feeds\n  FAIL  rx: cannot listen on udp 127.0.0.1:${heldPort}: address already in use\n  ok    spare: can listen on udp 127.0.0.1:0`,
    );
    const fine = await diagnose({ redisUrl: redis.url, databaseUrl: db.url, env: redis.prefix });
    expect(fine.feeds).toEqual([]);
  });
});
