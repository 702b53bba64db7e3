import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot, RunSummary } from './reporter.js';
import { PlainReporter, formatTickLine, type TextSink } from './plain-reporter.js';

class Capture implements TextSink {
  text = '';
  write(chunk: string, callback?: (error?: Error | null) => void): boolean {
    this.text += chunk;
    callback?.();
    return true;
  }
}

const snapshot: MetricsSnapshot = {
  elapsedMs: 12_000,
  phase: 'measure',
  progress: 0.4,
  throughput: 9987,
  processed: 100_000,
  latency: { count: 100_000, p50: 1.21, p95: 4.52, p99: 12.3, p999: 30, max: 41, mean: 2 },
  deadlocks: 0,
  cacheHitRate: 0.971,
  dlqSize: 3,
  late: 5,
  dropped: 0,
  errors: 0,
  queued: 12,
  breakers: { redis: 'closed', postgres: 'open' },
  sourceQuality: {},
  extra: {},
};

const summary: RunSummary = {
  command: 'load',
  name: 'ci-smoke',
  startedAt: '2025-06-01T12:30:05.000Z',
  durationMs: 18_000,
  metrics: { throughput: 1498, p99: 12.3, errors: 0, cache_hit_rate: 0.971 },
  gates: [
    { expression: 'p99<250ms', metric: 'p99', actual: 12.3, passed: true },
    { expression: 'errors==0', metric: 'errors', actual: 2, passed: false },
  ],
  details: {},
  reportFiles: ['reports/a.json', 'reports/a.md'],
};

describe('PlainReporter', () => {
  it('prints a header, one line per tick, warnings, then the summary and verdicts, without colour', async () => {
    const out = new Capture();
    const r = new PlainReporter({ stream: out, color: false });
    r.started({ command: 'load', name: 'ci-smoke', settings: { rate: 1500, duration: '15s' }, plannedMs: 18_000 });
    r.tick(snapshot);
    r.warning('Redis is slow');
    await r.finished(summary);
    const lines = out.text.trimEnd().split('\n');
    expect(lines[0]).toBe('aisctl load ci-smoke (18.0s) rate=1500 duration=15s');
    expect(lines[1]).toBe(
      ' 12.0s measure 40% | 9,987/s | p50 1.21 ms p95 4.52 ms p99 12.3 ms | deadlocks 0 | cache 97.1% | dlq 3 | queued 12 | breakers redis=closed postgres=open | late 5 dropped 0 errors 0',
    );
    expect(lines[2]).toBe('warning: Redis is slow');
    expect(lines.slice(3)).toEqual([
      '── load ci-smoke: 18.0s ──',
      '  throughput      1,498/s',
      '  p99             12.3 ms',
      '  errors          0',
      '  cache_hit_rate  97.1%',
      'gates:',
      '  PASS p99<250ms  (actual 12.3 ms)',
      '  FAIL errors==0  (actual 2)',
      'result: FAIL (1 of 2 gates failed)',
      'reports: reports/a.json, reports/a.md',
    ]);
    expect(out.text).not.toContain('\u001b[');
  });

  it('uses colour when asked (open breaker red, failed gate red)', async () => {
    const out = new Capture();
    const r = new PlainReporter({ stream: out, color: true });
    r.tick(snapshot);
    await r.finished(summary);
    expect(out.text).toContain('\u001b[31mopen\u001b[39m');
    expect(out.text).toContain('\u001b[31mFAIL\u001b[39m');
  });

  it('tick line without progress or breakers', () => {
    const line = formatTickLine({ ...snapshot, progress: null, breakers: {}, cacheHitRate: null, elapsedMs: 75_000 });
    expect(line).toBe('  1:15 measure | 9,987/s | p50 1.21 ms p95 4.52 ms p99 12.3 ms | deadlocks 0 | cache – | dlq 3 | queued 12 | late 5 dropped 0 errors 0');
  });

  it('all gates passing prints PASS', async () => {
    const out = new Capture();
    await new PlainReporter({ stream: out }).finished({ ...summary, gates: [summary.gates[0] ?? summary.gates[1]!], reportFiles: [] });
    expect(out.text).toContain('result: PASS (1 gates)');
    expect(out.text).not.toContain('reports:');
  });
});
