/**
 * Back-pressure of each transport on real sockets (peers on 127.0.0.1 started here), against a
 * pipeline stand-in whose saturation the test switches: TCP and websocket input stops being read
 * while the pipeline is saturated and resumes when it drains, losing nothing; UDP, which cannot
 * be paused, drops datagrams and counts them, and so does the kernel when its buffer is full.
 */
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
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

async function feedsFor(
  url: string,
  target: SwitchableTarget,
  extra: Partial<typeof DEFAULT_FEED_OPTIONS> = {},
  metrics = createPipelineMetrics(),
): Promise<FeedSet> {
  const feeds = await startFeeds({
    ...DEFAULT_FEED_OPTIONS,
    backoff: { baseMs: 10, maxMs: 50 },
    ...extra,
    specs: [parseFeedSpec(url)],
    target,
    metrics,
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

  it.runIf(existsSync('/proc/net/udp'))('udp: datagrams the kernel dropped for a full receive buffer are counted, from /proc/net/udp', async () => {
    const target = new SwitchableTarget();
    const metrics = createPipelineMetrics();
    const feeds = await feedsFor('dgram=udp://127.0.0.1:0', target, { rcvbufBytes: 1024 }, metrics);
    const { runner, transport } = feeds.feed('dgram');
    const count = 200;
    // Another thread fills the buffer while this one, which would read it, is blocked.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const sender = [
      "const { workerData: w } = require('node:worker_threads');",
      "const s = require('node:dgram').createSocket('udp4');",
      'let n = 0;',
      'const next = () => {',
      '  if (n++ === w.count) { s.close(); Atomics.store(w.flag, 0, 1); Atomics.notify(w.flag, 0); return; }',
      "  s.send(w.line, w.port, '127.0.0.1', next);",
      '};',
      'next();',
    ].join('\n');
    const worker = new Worker(sender, { eval: true, workerData: { port: transport.address?.port, count, line: LINES[0], flag } });
    cleanups.push(() => worker.terminate().then(() => undefined));
    Atomics.wait(flag, 0, 0, 30_000);
    await waitUntil('every datagram read or counted as dropped by the kernel', () => {
      feeds.refresh();
      return runner.stats.datagrams + runner.stats.dropped.kernel === count;
    });
    expect(runner.stats.dropped.kernel).toBeGreaterThan(0);
    expect(target.submitted).toHaveLength(runner.stats.datagrams);
    // A scrape brings the kernel's count in too, and /healthz's detail says it.
    const scraped = (await metrics.registry.getSingleMetric('aisctl_feed_dropped_total')?.get())?.values.find((v) => v.labels.reason === 'kernel');
    expect(scraped?.value).toBe(runner.stats.dropped.kernel);
    expect(feeds.health().checks['feed:dgram']?.detail).toContain(`kernel: ${runner.stats.dropped.kernel} dropped`);
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
