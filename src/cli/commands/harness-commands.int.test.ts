/**
 * The harness commands as CI uses them, through the built binary on the real servers: exit codes
 * (0 pass, 99 a gate failed, 1 an error before the run), report files, the JSON summary, the
 * deadlock stress in both strategies, and a scenario with a Redis outage on servers the run
 * starts itself.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { describeResult, ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';

interface Summary {
  metrics: Record<string, number>;
  gates: Array<{ expression: string; passed: boolean; actual: number | null }>;
  reportFiles: string[];
  details: Record<string, unknown>;
}

let db: TestDatabase;
let redis: TestRedis;
let dir: string;
let conn: string[];

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('harness');
  redis = await createTestRedis('harness');
  dir = mkdtempSync(join(tmpdir(), 'aisctl-harness-'));
  conn = ['--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix, '--reports-dir', join(dir, 'reports')];
}, 300_000);

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('aisctl load', () => {
  it('passes its gates with exit 0, writes JSON, Markdown and HTML reports, and counts from the intended send time', async () => {
    const r = await runCli([
      'load',
      '--rate',
      '500',
      '--duration',
      '3s',
      '--warmup',
      '1s',
      '--vessels',
      '500',
      '--json',
      '--gate',
      'errors==0',
      '--gate',
      'p99<5s',
      ...conn,
    ]);
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<Summary>(r);
    expect(s.gates.every((g) => g.passed)).toBe(true);
    // The open model sends exactly rate x duration in the measured phase, warm-up excluded.
    expect(s.metrics.processed).toBe(1500);
    expect(s.metrics.dropped).toBe(0);
    expect(s.metrics.p50).toBeGreaterThan(0);
    expect(s.metrics.p99).toBeGreaterThanOrEqual(s.metrics.p50 ?? 0);
    expect(s.reportFiles).toHaveLength(3);
    for (const f of s.reportFiles) expect(existsSync(f)).toBe(true);
    const md = readFileSync(s.reportFiles.find((f) => f.endsWith('.md')) ?? '', 'utf8');
    expect(md).toContain('errors==0');

    // The HTML page lies next to the JSON, which carries the per-second series it charts.
    const jsonPath = s.reportFiles.find((f) => f.endsWith('.json')) ?? '';
    const htmlPath = jsonPath.replace(/\.json$/, '.html');
    expect(s.reportFiles).toContain(htmlPath);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
      version: number;
      series: { latencyScope: string; points: Array<{ phase: string; throughput: number; p99: number | null }> };
      snapshots: Array<{ processed: number }>;
    };
    expect(report.version).toBe(2);
    expect(report.series.latencyScope).toBe('tick');
    expect(report.series.points.some((p) => p.phase === 'measure' && p.throughput > 0 && p.p99 !== null)).toBe(true);
    // The live figure counts what the summary counts: the warm-up is left out of both.
    expect(report.snapshots.at(-1)?.processed).toBe(s.metrics.processed);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain('Throughput per second');
    expect(html).not.toMatch(/https?:\/\//);

    // `aisctl report` re-renders the same page from the JSON alone.
    rmSync(htmlPath);
    const again = await runCli(['report', jsonPath]);
    expect(again.code, describeResult(again)).toBe(0);
    expect(again.stdout.trim()).toBe(htmlPath);
    expect(readFileSync(htmlPath, 'utf8')).toBe(html);
  }, 120_000);

  it('exits 99 when a gate fails', async () => {
    const r = await runCli([
      'load',
      '--rate',
      '200',
      '--duration',
      '1s',
      '--warmup',
      '0s',
      '--vessels',
      '200',
      '--no-tui',
      '--gate',
      'throughput>=1000000',
      ...conn,
    ]);
    expect(r.code, describeResult(r)).toBe(99);
    expect(r.stderr + r.stdout).toContain('FAIL throughput>=1000000');
  }, 120_000);

  it('refuses an unknown metric or a malformed gate before the run, with exit 1', async () => {
    const unknown = await runCli(['load', '--duration', '1s', '--gate', 'p42<1ms', ...conn]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('p42');
    const malformed = await runCli(['load', '--duration', '1s', '--gate', 'p99 <<< 20', ...conn]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).not.toContain('    at ');
  });
});

describe('aisctl stress deadlock', () => {
  it('naive reproduces deadlocks; safe shows none and every write is present', async () => {
    const common = ['stress', 'deadlock', '--concurrency', '16', '--vessels', '200', '--batch-size', '50', '--duration', '3s', '--json', ...conn];
    const naive = await runCli([...common, '--strategy', 'naive', '--gate', 'deadlocks==0'], { timeoutMs: 180_000 });
    expect(naive.code, describeResult(naive)).toBe(99);
    const n = jsonOutput<Summary>(naive);
    expect(n.metrics.deadlocks).toBeGreaterThan(0);
    // Every failed batch is an error in the gate metric and the report, deadlocks included.
    expect(n.metrics.errors).toBe(n.details.batchesFailed);
    expect(n.metrics.errors).toBeGreaterThanOrEqual(n.metrics.deadlocks ?? 0);
    const report = JSON.parse(readFileSync(n.reportFiles.find((f) => f.endsWith('.json')) ?? '', 'utf8')) as { summary: Summary };
    expect(report.summary.metrics.errors).toBe(n.metrics.errors);

    const safe = await runCli([...common, '--strategy', 'safe', '--gate', 'deadlocks==0', '--gate', 'missing_writes==0'], { timeoutMs: 180_000 });
    expect(safe.code, describeResult(safe)).toBe(0);
    const s = jsonOutput<Summary>(safe);
    expect(s.metrics.deadlocks).toBe(0);
    expect(s.metrics.missing_writes).toBe(0);
    expect(s.details.writesFound).toBe(s.details.writesExpected);
    expect(s.details.writesExpected as number).toBeGreaterThan(0);
  }, 400_000);
});

describe('aisctl run', () => {
  it('a scenario stops its own Redis mid-run; the breaker opens, the DLQ replays, nothing is lost', async () => {
    const file = join(dir, 'outage.yaml');
    writeFileSync(
      file,
      [
        'name: test-outage',
        'description: Redis down for 3 s in a 10 s run',
        'kind: load',
        'servers: local',
        'warmup: 1s',
        'duration: 10s',
        'load:',
        '  shape: constant',
        '  rate: 500',
        'vessels: 1000',
        'sources: 2',
        'faults:',
        '  - at: 4s',
        '    action: stop-redis',
        '    for: 3s',
        'gates:',
        '  - "errors==0"',
        '  - "lost==0"',
        '  - "dlq_size==0"',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', file, '--json', '--reports-dir', join(dir, 'reports')], { timeoutMs: 240_000 });
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<Summary>(r);
    expect(s.metrics.breaker_opens).toBeGreaterThan(0);
    expect(s.metrics.processed).toBe(5000);
  }, 300_000);

  it('a scenario with an unknown key is refused with its file, line and field', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: broken\nkind: load\nduration: 5s\nload:\n  shape: constant\n  rate: 10\nratee: 5\n');
    const r = await runCli(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('broken.yaml:7');
    expect(r.stderr).toContain('ratee');
  });
});
