import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { tagBlockPrefix } from '../ais/sentence-encoder.js';
import { createParser } from '../formats/create-parser.js';
import { createPipelineMetrics, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { NormalizedMessage } from '../normalize/message.js';
import type { MessageDone } from '../pipeline/pipeline.js';
import { FAILING_PROBE_EVERY_MS, FeedRunner, type FeedTarget, type Pausable } from './feed-runner.js';
import { parseFeedSpec } from './feed-url.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const HARBOUR = readFileSync(`${FIXTURES}harbour.nmea`, 'utf8');
const HARBOUR_LINES = HARBOUR.split('\n').filter((l) => l !== '');
/** Single-sentence position reports (types 1-3): one message each. */
const POSITIONS = HARBOUR_LINES.filter((l) => /^!AIVDM,1,1,,[AB],[123]/.test(l));
const AISSTREAM_LINES = readFileSync(`${FIXTURES}harbour.aisstream.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l !== '');
/** After the fixtures' traffic: none of it is in the future. */
const NOW = Date.parse('2024-06-01T09:00:00.000Z');

class RecordingTarget implements FeedTarget {
  readonly submitted: NormalizedMessage[] = [];
  readonly dones: MessageDone[] = [];
  readonly starts: number[] = [];
  saturated = false;
  failing = false;
  private waiters: Array<() => void> = [];
  private recoveryWaiters: Array<() => void> = [];
  submit(msg: NormalizedMessage, startMs: number, done: MessageDone): void {
    this.submitted.push(msg);
    this.starts.push(startMs);
    this.dones.push(done);
  }
  recovered(): Promise<void> {
    if (!this.failing) return Promise.resolve();
    return new Promise((resolve) => this.recoveryWaiters.push(resolve));
  }
  recover(): void {
    this.failing = false;
    const w = this.recoveryWaiters;
    this.recoveryWaiters = [];
    for (const resolve of w) resolve();
  }
  drained(): Promise<void> {
    if (!this.saturated) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  drain(): void {
    this.saturated = false;
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

interface RunnerOptions {
  maxLineLength?: number;
  metrics?: PipelineMetrics;
  clockMs?: () => number;
  lineStartMs?: (line: string, receivedMs: number) => number;
}

function runnerFor(url: string, opts: RunnerOptions = {}) {
  const target = new RecordingTarget();
  const metrics = opts.metrics ?? createPipelineMetrics();
  const runner = new FeedRunner({
    spec: parseFeedSpec(url),
    target,
    metrics,
    nowMs: () => NOW,
    clockMs: opts.clockMs ?? (() => 7),
    maxFutureMs: 5 * 60_000,
    maxLineLength: opts.maxLineLength ?? 1024,
    ...(opts.lineStartMs ? { lineStartMs: opts.lineStartMs } : {}),
  });
  return { target, runner, metrics };
}

/** What the NMEA reader makes of the same lines in one go. */
function referenceCount(lines: readonly string[]): number {
  const parser = createParser('nmea', { file: 'ref', maxFutureMs: 5 * 60_000 });
  let n = 0;
  const emit = (o: { messages: readonly unknown[] }): void => {
    n += o.messages.length;
  };
  lines.forEach((l, i) => parser.parseLine(l, i + 1, NOW, emit));
  parser.finish(NOW, emit);
  return n;
}

async function metric(metrics: PipelineMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const m = await metrics.registry.getSingleMetric(name)?.get();
  return m?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
}

describe('FeedRunner and its streams', () => {
  it('reads a TCP stream the same however it is cut into chunks', () => {
    const expected = referenceCount(HARBOUR_LINES);
    expect(expected).toBeGreaterThan(300);
    const bytes = Buffer.from(HARBOUR, 'utf8');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 60 }), (cuts) => {
        const { target, runner } = runnerFor('rx=tcp://127.0.0.1:2000');
        const stream = runner.openStream();
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const n = cuts[i % cuts.length] as number;
          stream.pushChunk(bytes.subarray(at, at + n));
          at += n;
        }
        stream.end();
        expect(target.submitted).toHaveLength(expected);
        expect(runner.stats.messages).toBe(expected);
        expect(runner.stats.bytes).toBe(bytes.length);
        expect(runner.stats.rejected).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('names the source after the feed, unless a tag block names the station', () => {
    const { target, runner } = runnerFor('north=udp://127.0.0.1:10110');
    const stream = runner.openStream();
    const line = POSITIONS[0] as string;
    stream.pushDatagram(Buffer.from(`${line}\n${tagBlockPrefix({ station: 'rx9', time: NOW - 60_000, timeUnit: 'ms' })}${line}\n`));
    expect(target.submitted.map((m) => m.source)).toEqual(['north', 'rx9']);
    expect(target.submitted.map((m) => m.origin.file)).toEqual(['north', 'north']);
    expect(target.submitted[1]?.ts).toBe(NOW - 60_000);
  });

  it('reads several sentences per datagram, CR/LF or LF, the last without a line end, and never joins datagrams', () => {
    const { target, runner } = runnerFor('udp://127.0.0.1:10110');
    const stream = runner.openStream();
    const [a, b, c] = POSITIONS as [string, string, string];
    stream.pushDatagram(Buffer.from(`${a}\r\n${b}\n${c}`));
    // Half a sentence at the end of one datagram is not completed by the next one.
    stream.pushDatagram(Buffer.from(c.slice(0, 20)));
    stream.pushDatagram(Buffer.from(c.slice(20)));
    expect(target.submitted).toHaveLength(3);
    expect(runner.stats.lines).toBe(5);
    // The first half fails its framing; the second is not NMEA at all.
    expect(runner.stats.rejected).toBe(1);
    expect(runner.stats.dropped.junk).toBe(1);
  });

  it('counts and skips an over-long line, and reads the next one on the same stream', async () => {
    const { target, runner, metrics } = runnerFor('tcp-listen://127.0.0.1:5000', { maxLineLength: 100 });
    const stream = runner.openStream('peer');
    const line = POSITIONS[0] as string;
    stream.pushChunk(Buffer.from('x'.repeat(70)));
    stream.pushChunk(Buffer.from('y'.repeat(70)));
    stream.pushChunk(Buffer.from(`\n${line}\n`));
    expect(target.submitted).toHaveLength(1);
    expect(runner.stats.dropped.line_too_long).toBe(1);
    expect(stream.stats).toMatchObject({ lines: 2, messages: 1, rejected: 1 });
    expect(await metric(metrics, 'aisctl_feed_dropped_total', { feed: 'tcp-listen-5000', reason: 'line_too_long' })).toBe(1);
    expect(await metric(metrics, 'aisctl_rejections_total', { reason: 'line_too_long' })).toBe(1);
    expect(await metric(metrics, 'aisctl_feed_messages_total', { feed: 'tcp-listen-5000' })).toBe(1);
  });

  it('rejects binary junk line by line without losing the good lines around it', () => {
    const { target, runner } = runnerFor('tcp://127.0.0.1:2000');
    const stream = runner.openStream();
    const junk = Buffer.from([0x00, 0xff, 0xfe, 0x21, 0x41, 0x0a, 0x80, 0x81, 0x0d, 0x0a, 0xc3]);
    stream.pushChunk(Buffer.concat([Buffer.from(`${POSITIONS[0]}\n`), junk, Buffer.from(`\n${POSITIONS[1]}\n`)]));
    stream.end();
    expect(target.submitted).toHaveLength(2);
    expect(runner.stats.rejected).toBe(0);
    expect(runner.stats.dropped.junk).toBe(3);
  });

  it("keeps fragments per stream: two connections do not complete each other's multi-sentence message", () => {
    const part1 = HARBOUR_LINES.find((l) => l.startsWith('!AIVDM,2,1,0,B')) as string;
    const part2 = HARBOUR_LINES.find((l) => l.startsWith('!AIVDM,2,2,0,B')) as string;
    const { target, runner } = runnerFor('tcp-listen://127.0.0.1:5000');
    const a = runner.openStream('a');
    const b = runner.openStream('b');
    a.pushChunk(Buffer.from(`${part1}\n`));
    b.pushChunk(Buffer.from(`${part2}\n`));
    a.end();
    b.end();
    expect(target.submitted).toHaveLength(0);
    const c = runner.openStream('c');
    c.pushChunk(Buffer.from(`${part1}\n${part2}\n`));
    expect(target.submitted.map((m) => m.kind)).toEqual(['static']);
  });

  it('reads the unterminated last line when a connection ends: half a sentence is a counted rejection', () => {
    const { target, runner } = runnerFor('tcp://127.0.0.1:2000');
    const stream = runner.openStream();
    const line = POSITIONS[0] as string;
    stream.pushChunk(Buffer.from(`${line}\n${line.slice(0, 25)}`));
    expect(target.submitted).toHaveLength(1);
    stream.end();
    expect(target.submitted).toHaveLength(1);
    expect(runner.stats.rejected).toBe(1);
    // A whole sentence without its line end is still a sentence.
    const s2 = runner.openStream();
    s2.pushChunk(Buffer.from(line));
    s2.end();
    expect(target.submitted).toHaveLength(2);
  });

  it("reads websocket records through the aisstream parser, as the feed's source", () => {
    const { target, runner } = runnerFor('live=ws://127.0.0.1:8080/stream');
    const stream = runner.openStream();
    for (const l of AISSTREAM_LINES.slice(0, 20)) stream.pushRecord(Buffer.from(l));
    expect(target.submitted.length).toBeGreaterThan(10);
    expect(new Set(target.submitted.map((m) => m.source))).toEqual(new Set(['live']));
    expect(runner.lastMessageAtMs).toBe(NOW);
  });

  it('pauses its input while the pipeline is saturated and resumes it once drained, once per source', async () => {
    const { target, runner } = runnerFor('tcp://127.0.0.1:2000');
    const events: string[] = [];
    const source: Pausable = { pause: () => events.push('pause'), resume: () => events.push('resume') };
    runner.holdIfBlocked(source);
    expect(events).toEqual([]);
    target.saturated = true;
    runner.holdIfBlocked(source);
    runner.holdIfBlocked(source);
    expect(events).toEqual(['pause']);
    expect(runner.paused).toBe(true);
    target.drain();
    await Promise.resolve();
    expect(events).toEqual(['pause', 'resume']);
    expect(runner.paused).toBe(false);
    expect(runner.stats.pauses).toBe(1);
    // A source released (closed) while held is not resumed.
    target.saturated = true;
    runner.holdIfBlocked(source);
    runner.release(source);
    target.drain();
    await Promise.resolve();
    expect(events).toEqual(['pause', 'resume', 'pause']);
  });

  it('pauses its input while batches cannot be kept; a recovery resumes it, and so does each probe period', async () => {
    vi.useFakeTimers();
    try {
      const { target, runner } = runnerFor('tcp://127.0.0.1:2000');
      const events: string[] = [];
      const source: Pausable = { pause: () => events.push('pause'), resume: () => events.push('resume') };
      target.failing = true;
      runner.holdIfBlocked(source);
      runner.holdIfBlocked(source);
      expect(events).toEqual(['pause']);
      expect(runner.stats).toMatchObject({ failingPauses: 1, pauses: 0 });
      // Still failing after a probe period: one more read is let through (the probe)...
      vi.advanceTimersByTime(FAILING_PROBE_EVERY_MS);
      expect(events).toEqual(['pause', 'resume']);
      // ...and the source is held again after it, as its batch has not been kept either.
      runner.holdIfBlocked(source);
      expect(events).toEqual(['pause', 'resume', 'pause']);
      target.recover();
      await vi.advanceTimersByTimeAsync(0);
      expect(events).toEqual(['pause', 'resume', 'pause', 'resume']);
      expect(runner.paused).toBe(false);
      // The probe timer of the recovered hold went with it.
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops datagrams while batches cannot be kept, but for one probe per period', () => {
    let clock = 1_000;
    const { target, runner, metrics } = runnerFor('rx=udp://127.0.0.1:10110', { clockMs: () => clock });
    expect(runner.admitDatagram()).toBe(true);
    target.failing = true;
    expect(runner.admitDatagram()).toBe(true);
    expect(runner.admitDatagram()).toBe(false);
    clock += FAILING_PROBE_EVERY_MS - 1;
    expect(runner.admitDatagram()).toBe(false);
    clock += 1;
    expect(runner.admitDatagram()).toBe(true);
    expect(runner.admitDatagram()).toBe(false);
    target.saturated = true;
    expect(runner.admitDatagram()).toBe(false);
    target.recover();
    target.saturated = false;
    expect(runner.admitDatagram()).toBe(true);
    expect(runner.stats.dropped).toMatchObject({ failing: 3, saturated: 1 });
    return expect(metric(metrics, 'aisctl_feed_dropped_total', { feed: 'rx', reason: 'failing' })).resolves.toBe(3);
  });

  it("counts the kernel's drops by their increase, never twice", async () => {
    const { runner, metrics } = runnerFor('rx=udp://127.0.0.1:10110');
    runner.noteKernelDrops(0);
    runner.noteKernelDrops(41);
    runner.noteKernelDrops(41);
    runner.noteKernelDrops(50);
    expect(runner.stats.dropped.kernel).toBe(50);
    expect(await metric(metrics, 'aisctl_feed_dropped_total', { feed: 'rx', reason: 'kernel' })).toBe(50);
  });

  it('times messages from where lineStartMs says, here a send number in the tag block', () => {
    const intended = new Map<string, number>();
    const { target, runner } = runnerFor('rx=udp://127.0.0.1:10110', {
      clockMs: () => 500,
      lineStartMs: (line, receivedMs) => intended.get(line) ?? receivedMs,
    });
    const [a, b] = POSITIONS as [string, string];
    intended.set(a, 100);
    runner.openStream().pushDatagram(Buffer.from(`${a}\n${b}`));
    expect(target.starts).toEqual([100, 500]);
  });

  it('counts messages that could not be made durable, per feed', async () => {
    const { target, runner, metrics } = runnerFor('rx=udp://127.0.0.1:10110');
    runner.openStream().pushDatagram(Buffer.from(POSITIONS.slice(0, 3).join('\n')));
    const [d1, d2, d3] = target.dones as [MessageDone, MessageDone, MessageDone];
    d1(true);
    d2(false);
    d3(false);
    expect(runner.stats).toMatchObject({ durable: 1, notStored: 2 });
    expect(await metric(metrics, 'aisctl_feed_dropped_total', { feed: 'rx', reason: 'not_stored' })).toBe(2);
  });

  it('submits nothing once sealed, whatever arrives late', () => {
    const { target, runner } = runnerFor('tcp://127.0.0.1:2000');
    const stream = runner.openStream();
    stream.pushChunk(Buffer.from(`${POSITIONS[0]}\n${POSITIONS[1]}`));
    runner.seal();
    stream.pushChunk(Buffer.from(`\n${POSITIONS[2]}\n`));
    stream.end();
    expect(target.submitted).toHaveLength(1);
  });
});
