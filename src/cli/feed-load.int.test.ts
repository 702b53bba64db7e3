/**
 * `aisctl load --via udp|tcp` through the built binary on the real servers, at a low rate:
 * the gates pass with exit 0, the open model sends exactly rate x duration, and the counts
 * reconcile from the sender to the stores: sent = received + not read (UDP), sent = read (TCP),
 * every message the feed read acknowledged, and a latency recorded for every measured one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SenderStats } from '../harness/feed-load-protocol.js';
import type { FeedStats } from '../feeds/feed-runner.js';
import type { PipelineCounters } from '../pipeline/pipeline.js';
import { describeResult, ensureBuilt, jsonOutput, runCli } from '../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../testing/services.js';

interface AckCounts {
  durable: number;
  notDurable: number;
}

interface Summary {
  metrics: Record<string, number>;
  gates: Array<{ expression: string; passed: boolean }>;
  reportFiles: string[];
  details: {
    sender: SenderStats;
    acks: { warmup: AckCounts; measure: AckCounts };
    feed: { stats: FeedStats };
    lines: { warmup: number; measure: number; unnumbered: number };
    pipeline: PipelineCounters;
    latencyCountedMessages: number;
    udp?: { sent: number; received: number; notRead: number; kernelDrops: number; droppedSaturated: number; droppedFailing: number; loss: number };
    tcp?: { sentLines: number; readLines: number; sentBytes: number; readBytes: number };
  };
}

let db: TestDatabase;
let redis: TestRedis;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('feedload');
  redis = await createTestRedis('feedload');
  dir = mkdtempSync(join(tmpdir(), 'aisctl-feedload-'));
}, 300_000);

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function load(via: 'udp' | 'tcp'): Promise<Summary> {
  const r = await runCli(
    [
      'load',
      '--via',
      via,
      '--rate',
      '200',
      '--duration',
      '3s',
      '--warmup',
      '1s',
      '--vessels',
      '2000',
      '--json',
      '--gate',
      'errors==0',
      '--gate',
      'lost==0',
      '--gate',
      'dropped==0',
      '--gate',
      'p99<10s',
      '--database-url',
      db.url,
      '--redis-url',
      redis.url,
      '--env',
      `${redis.prefix}_${via}`,
      '--reports-dir',
      join(dir, 'reports'),
    ],
    { timeoutMs: 120_000 },
  );
  expect(r.code, describeResult(r)).toBe(0);
  const s = jsonOutput<Summary>(r);
  expect(s.gates.every((g) => g.passed)).toBe(true);
  return s;
}

/** What holds for either transport: from the feed's reads to the acknowledgements and the stores. */
function reconciles(s: Summary): void {
  const d = s.details;
  // The open model sends exactly rate x duration in the measured phase, warm-up excluded.
  expect(d.sender.scheduler.measure.issued).toBe(600);
  expect(d.sender.sentMeasured.sends).toBe(600);
  expect(d.sender.sendErrors).toBe(0);
  const f = d.feed.stats;
  // Every message the feed handed on was acknowledged, durable, in one phase or the other.
  expect(f.messages).toBe(d.pipeline.submitted);
  expect(f.durable).toBe(d.acks.warmup.durable + d.acks.measure.durable);
  expect(f.notStored).toBe(0);
  expect(d.acks.warmup.notDurable + d.acks.measure.notDurable).toBe(0);
  expect(f.durable).toBe(d.pipeline.completed + d.pipeline.duplicates + d.pipeline.fusionRejected);
  // processed = the measured phase's durable messages, each with a latency from its intended send time.
  expect(s.metrics.processed).toBe(d.acks.measure.durable);
  expect(d.latencyCountedMessages).toBe(s.metrics.processed);
  expect(s.metrics.processed).toBeGreaterThan(550);
  expect(s.metrics.p50).toBeGreaterThan(0);
  // Every line read carried a send number, mapped to its phase.
  expect(d.lines.unnumbered).toBe(0);
  expect(d.lines.warmup + d.lines.measure).toBe(f.lines);
  const json = JSON.parse(readFileSync(s.reportFiles.find((x) => x.endsWith('.json')) ?? '', 'utf8')) as { summary: Summary };
  expect(json.summary.metrics).toEqual(s.metrics);
}

describe('aisctl load through a live feed', () => {
  it('--via udp: sent = received + not read, loss counted apart from errors, gates pass', async () => {
    const s = await load('udp');
    reconciles(s);
    const u = s.details.udp ?? expect.unreachable('no udp details');
    const m = s.metrics;
    expect(u.sent).toBe(s.details.sender.sent.datagrams);
    expect(u.sent).toBe(800);
    expect(m.udp_sent).toBe(u.sent);
    expect(u.sent).toBe(u.received + u.notRead);
    expect(u.received).toBe(s.details.feed.stats.datagrams);
    expect(u.kernelDrops).toBeLessThanOrEqual(u.notRead);
    expect(m.udp_loss).toBe(u.notRead + u.droppedSaturated + u.droppedFailing);
    expect(m.udp_loss_ratio).toBe((m.udp_loss ?? NaN) / u.sent);
    // Nothing lost, nothing dropped: every line sent was read (none is, on an idle loopback).
    if (m.udp_loss === 0) expect(s.details.feed.stats.lines).toBe(s.details.sender.sent.lines);
  }, 150_000);

  it('--via tcp: every line and byte sent is read, gates pass', async () => {
    const s = await load('tcp');
    reconciles(s);
    const t = s.details.tcp ?? expect.unreachable('no tcp details');
    expect(t.readBytes).toBe(t.sentBytes);
    expect(t.readLines).toBe(t.sentLines);
    expect(t.sentLines).toBe(s.details.sender.sent.lines);
    expect(s.details.sender.sent.sends).toBe(800);
    expect(s.metrics.udp_loss).toBeUndefined();
    expect(s.metrics.line_rate).toBeGreaterThan(0);
  }, 150_000);

  it('a scenario with via: tcp runs through the same feed path', async () => {
    const file = join(dir, 'feed-scenario.yaml');
    writeFileSync(
      file,
      [
        'name: feed-scenario',
        'kind: load',
        'warmup: 1s',
        'duration: 3s',
        'load:',
        '  shape: constant',
        '  rate: 200',
        'vessels: 2000',
        'via: tcp',
        'gates:',
        '  - "errors==0"',
        '  - "lost==0"',
      ].join('\n'),
    );
    const r = await runCli(
      [
        'run',
        file,
        '--json',
        '--no-tui',
        '--database-url',
        db.url,
        '--redis-url',
        redis.url,
        '--env',
        `${redis.prefix}_scenario`,
        '--reports-dir',
        join(dir, 'reports'),
      ],
      { timeoutMs: 120_000 },
    );
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<Summary>(r);
    expect(s.gates.every((g) => g.passed)).toBe(true);
    reconciles(s);
    expect(s.details.tcp?.readLines).toBe(s.details.tcp?.sentLines);
  }, 150_000);
});
