/**
 * Back-pressure of each transport on real sockets (peers on 127.0.0.1 started here), against a
 * pipeline stand-in whose saturation the test switches: TCP and websocket input stops being read
 * while the pipeline is saturated and resumes when it drains, losing nothing; UDP, which cannot
 * be paused, drops datagrams and counts them.
 */
import { createSocket } from 'node:dgram';
import { createConnection, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createPipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { NormalizedMessage } from '../normalize/message.js';
import type { MessageDone } from '../pipeline/pipeline.js';
import { fixtureLines, timedHarbourLines, waitUntil } from '../testing/feed-fixtures.js';
import type { FeedTarget } from './feed-runner.js';
import { DEFAULT_FEED_OPTIONS, startFeeds, type FeedSet } from './feed-set.js';
import { parseFeedSpec } from './feed-url.js';

class SwitchableTarget implements FeedTarget {
  readonly submitted: NormalizedMessage[] = [];
  saturated = false;
  readonly failing = false;
  private waiters: Array<() => void> = [];
  submit(msg: NormalizedMessage, _startMs: number, done: MessageDone): void {
    this.submitted.push(msg);
    done(true);
  }
  drained(): Promise<void> {
    if (!this.saturated) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  recovered(): Promise<void> {
    return Promise.resolve();
  }
  drain(): void {
    this.saturated = false;
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LINES = timedHarbourLines(Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000).filter((l) => /!AIVDM,1,1,,[AB],1/.test(l));

async function feedsFor(url: string, target: SwitchableTarget, extra: Partial<typeof DEFAULT_FEED_OPTIONS> = {}): Promise<FeedSet> {
  const feeds = await startFeeds({
    ...DEFAULT_FEED_OPTIONS,
    backoff: { baseMs: 10, maxMs: 50 },
    ...extra,
    specs: [parseFeedSpec(url)],
    target,
    metrics: createPipelineMetrics(),
    nowMs: Date.now,
    clockMs: () => performance.now(),
    maxFutureMs: 5 * 60_000,
  });
  cleanups.push(() => feeds.close());
  return feeds;
}

describe('back-pressure', () => {
  it('tcp-listen: a saturated pipeline pauses the connection; draining resumes it and every line arrives', async () => {
    const target = new SwitchableTarget();
    target.saturated = true;
    const feeds = await feedsFor('in=tcp-listen://127.0.0.1:0', target);
    const { runner, transport } = feeds.feed('in');
    const client = createConnection({ host: '127.0.0.1', port: transport.address?.port ?? 0 });
    cleanups.push(() => void client.destroy());
    client.write(`${LINES[0]}\n`);
    await waitUntil('the first line read', () => runner.stats.messages === 1);
    expect(runner.paused).toBe(true);
    expect(runner.stats.pauses).toBe(1);
    client.write(`${LINES.slice(1, 40).join('\n')}\n`);
    target.drain();
    await waitUntil('every line read after the drain', () => runner.stats.messages === 40);
    expect(runner.paused).toBe(false);
    expect(target.submitted).toHaveLength(40);
  });

  it('tcp client: the same for a connection aisctl made', async () => {
    const target = new SwitchableTarget();
    target.saturated = true;
    let peer: Socket | null = null;
    const server = createServer((s) => {
      peer = s;
      s.write(`${LINES[0]}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as { port: number }).port;
    const feeds = await feedsFor(`out=tcp://127.0.0.1:${port}`, target);
    const { runner } = feeds.feed('out');
    await waitUntil('the first line read', () => runner.stats.messages === 1);
    expect(runner.paused).toBe(true);
    (peer as Socket | null)?.write(`${LINES.slice(1, 30).join('\n')}\n`);
    target.drain();
    await waitUntil('every line read after the drain', () => runner.stats.messages === 30);
    expect(runner.stats.reconnects).toBe(0);
  });

  it('websocket: the same for an aisstream connection', async () => {
    const target = new SwitchableTarget();
    target.saturated = true;
    const records = fixtureLines('harbour.aisstream.jsonl').slice(0, 30);
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    wss.on('connection', (ws) => {
      cleanups.push(() => ws.terminate());
      ws.once('message', () => {
        for (const r of records) ws.send(r);
      });
    });
    const port = (wss.address() as { port: number }).port;
    const feeds = await feedsFor(`live=ws://127.0.0.1:${port}/`, target, { aisstream: { apiKey: 'k', boxes: [], messageTypes: [] } });
    const { runner } = feeds.feed('live');
    await waitUntil('the first records read', () => runner.stats.lines >= 1);
    expect(runner.paused).toBe(true);
    target.drain();
    await waitUntil('every record read after the drain', () => runner.stats.lines === records.length);
    expect(runner.paused).toBe(false);
  });

  it('udp: datagrams arriving while the pipeline is saturated are dropped and counted, never queued', async () => {
    const target = new SwitchableTarget();
    target.saturated = true;
    const feeds = await feedsFor('dgram=udp://127.0.0.1:0', target);
    const { runner, transport } = feeds.feed('dgram');
    const port = transport.address?.port ?? 0;
    const sender = createSocket('udp4');
    cleanups.push(() => new Promise<void>((r) => sender.close(() => r())));
    const send = (text: string): Promise<void> => new Promise((resolve, reject) => sender.send(text, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    await send(`${LINES[0]}\n${LINES[1]}`);
    await send(`${LINES[2]}`);
    await waitUntil('both datagrams received', () => runner.stats.datagrams === 2);
    expect(runner.stats.dropped.saturated).toBe(2);
    expect(target.submitted).toHaveLength(0);
    target.drain();
    await send(`${LINES[3]}\n${LINES[4]}`);
    await waitUntil('the third datagram received', () => runner.stats.datagrams === 3);
    expect(target.submitted).toHaveLength(2);
    expect(runner.stats.dropped.saturated).toBe(2);
  });
});
