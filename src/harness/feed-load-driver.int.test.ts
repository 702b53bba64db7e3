/**
 * The sender thread of `load --via udp|tcp` against plain sockets on 127.0.0.1 (no pipeline):
 * every line carries its send number, the main thread maps each to the intended time the sender
 * used, and what was sent is what arrived. Counts only, no timing assertions.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../metrics/latency-recorder.js';
import { FeedLoadAcks, SendTiming, startFeedLoadSender, type FeedLoadSender } from './feed-load-driver.js';
import type { SenderOptions } from './feed-load-driver.js';
import { buildLoadShape, withWarmup, type LoadShapeSpec } from './load-shape.js';
import { sendNumberOf } from './send-number.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MEASURED: LoadShapeSpec = { type: 'constant', rate: 400, durationMs: 500 };
const WARMUP_MS = 250;
const FULL = withWarmup(MEASURED, WARMUP_MS);

function options(via: 'udp' | 'tcp', port: number): SenderOptions {
  return {
    via,
    host: '127.0.0.1',
    port,
    shape: FULL,
    warmupMs: WARMUP_MS,
    generator: { vessels: 300, sources: ['rx1', 'rx2'], seed: 5, dupRate: 0.1, lateRate: 0, badRate: 0.05 },
    progressEveryMs: 50,
  };
}

async function run(via: 'udp' | 'tcp', port: number, timing: SendTiming): Promise<FeedLoadSender> {
  const sender = await startFeedLoadSender(options(via, port), timing);
  cleanups.push(() => sender.terminate());
  sender.begin();
  return sender;
}

describe('the load sender thread', () => {
  it('udp: one datagram per send, every line numbered; the numbers map back to the schedule', async () => {
    const socket = createSocket('udp4');
    const datagrams: string[] = [];
    socket.on('message', (d) => datagrams.push(d.toString('utf8')));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const shape = buildLoadShape(FULL);
    const timing = new SendTiming(shape, WARMUP_MS);
    const sender = await run('udp', socket.address().port, timing);
    const stats = await sender.finished;
    await expect.poll(() => datagrams.length).toBe(stats.sent.datagrams);

    expect(stats.sent.sends).toBe(shape.totalSends);
    expect(stats.sent.datagrams).toBe(shape.totalSends);
    expect(stats.scheduler.measure.issued).toBe(buildLoadShape(MEASURED).totalSends);
    expect(stats.sendErrors).toBe(0);
    // One send per datagram: its lines share one number; numbers cover the schedule once each.
    const numbers = datagrams.map((d) => {
      const ns = d.split('\n').map(sendNumberOf);
      const numbered = ns.filter((n) => n >= 0);
      expect(new Set(numbered).size).toBeLessThanOrEqual(1);
      return numbered[0] ?? -1;
    });
    const corrupt = numbers.filter((n) => n < 0).length;
    expect(corrupt).toBeLessThanOrEqual(stats.generated.corrupt);
    expect(new Set(numbers.filter((n) => n >= 0)).size).toBe(shape.totalSends - corrupt);
    expect(stats.sent.lines).toBe(datagrams.reduce((n, d) => n + d.split('\n').length, 0));

    // The main thread's view of the schedule: send 0 at the agreed start, measured from WARMUP_MS on.
    const first = timing.intendedMs(0) ?? NaN;
    expect(timing.intendedMs(shape.totalSends)).toBeNull();
    // Compared as a sum, not a difference: (a + b) - a is not b in floating point (250.00000000000006).
    expect(timing.measureStartMs).toBe(first + WARMUP_MS);
    // A measured send that arrived whole (a corrupted line may have lost its number).
    const line = datagrams.find((d) => sendNumberOf(d) >= 150) ?? '';
    const n = sendNumberOf(line);
    expect(n).toBeGreaterThanOrEqual(150);
    expect(timing.lineStartMs(line, -1)).toBe(first + (shape.timeOfSend(n) ?? NaN));
    expect(timing.lineStartMs('!AIVDM,1,1,,A,1,0*00', -1)).toBe(-1);
    expect(timing.lines).toEqual({ warmup: 0, measure: 1, unnumbered: 1 });
  });

  it('tcp: lines in send order on one connection, every byte accounted for', async () => {
    let received = '';
    let connections = 0;
    let closed: () => void = () => undefined;
    const peerClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = createServer((s) => {
      connections++;
      s.setEncoding('utf8');
      s.on('data', (d: string) => (received += d));
      s.on('close', () => closed());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const timing = new SendTiming(buildLoadShape(FULL), WARMUP_MS);
    const sender = await run('tcp', (server.address() as { port: number }).port, timing);
    const stats = await sender.finished;
    await peerClosed;
    expect(connections).toBe(1);
    expect(Buffer.byteLength(received)).toBe(stats.sent.bytes);
    const lines = received.split('\n').slice(0, -1);
    expect(lines).toHaveLength(stats.sent.lines);
    const numbers = lines.map(sendNumberOf).filter((n) => n >= 0);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(stats.sentMeasured.sends).toBe(buildLoadShape(MEASURED).totalSends);
    expect(stats.sent.datagrams).toBe(0);
  });
});

describe('acknowledgements', () => {
  it('are counted by the phase of their send, and timed from its intended time when measured', () => {
    const timing = new SendTiming(buildLoadShape(FULL), WARMUP_MS);
    timing.startAt(0);
    const now = { ms: 0 };
    const acks = new FeedLoadAcks(timing, new LatencyRecorder(), () => now.ms);
    const warm = timing.intendedMs(0) ?? NaN;
    const measured = timing.intendedMs(200) ?? NaN;
    expect(timing.isMeasured(warm)).toBe(false);
    expect(timing.isMeasured(measured)).toBe(true);
    now.ms = measured + 12;
    const seen: boolean[] = [];
    acks.track(measured, (d) => seen.push(d))(true);
    acks.note(warm, true);
    acks.note(measured, false);
    acks.note(warm, false);
    expect(seen).toEqual([true]);
    expect(acks.measure).toEqual({ durable: 1, notDurable: 1 });
    expect(acks.warmup).toEqual({ durable: 1, notDurable: 1 });
    expect(acks.recorder.count).toBe(1);
    expect(acks.recorder.summary().max).toBeCloseTo(12, 0);
  });
});
