import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from './run-events.js';
import { seriesFromSnapshots } from './run-series.js';

const EMPTY = { count: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };

function snap(over: Partial<MetricsSnapshot>): MetricsSnapshot {
  return {
    elapsedMs: 1000,
    phase: 'measure',
    progress: null,
    throughput: 0,
    processed: 0,
    latency: EMPTY,
    deadlocks: 0,
    cacheHitRate: null,
    dlqSize: 0,
    late: 0,
    dropped: 0,
    errors: 0,
    queued: 0,
    breakers: {},
    sourceQuality: {},
    extra: {},
    ...over,
  };
}

describe('seriesFromSnapshots', () => {
  it('takes each tick its own percentiles, and turns cumulative deadlocks and errors into per-tick counts', () => {
    const s = seriesFromSnapshots(
      [
        snap({ elapsedMs: 1000, phase: 'warmup', throughput: 900, intervalLatency: EMPTY }),
        snap({ elapsedMs: 2000, throughput: 2000, deadlocks: 2, errors: 1, intervalLatency: { ...EMPTY, count: 5, p50: 1, p95: 2, p99: 3 } }),
        snap({ elapsedMs: 3000, throughput: 2000, deadlocks: 2, errors: 4, intervalLatency: { ...EMPTY, count: 5, p50: 1, p95: 5, p99: 9 } }),
      ],
      [{ label: 'stop-redis', fromMs: 1500, toMs: 2500 }],
    );
    expect(s.latencyScope).toBe('tick');
    expect(s.points.map((p) => [p.elapsedMs, p.phase, p.throughput, p.p99, p.deadlocks, p.errors])).toEqual([
      [1000, 'warmup', 900, null, 0, 0],
      [2000, 'measure', 2000, 3, 2, 1],
      [3000, 'measure', 2000, 9, 0, 3],
    ]);
    expect(s.faults).toEqual([{ label: 'stop-redis', fromMs: 1500, toMs: 2500 }]);
  });

  it('falls back to the cumulative percentiles, and says so, when a tick has none of its own', () => {
    const s = seriesFromSnapshots([snap({ latency: { ...EMPTY, count: 1, p99: 7 } })]);
    expect(s.latencyScope).toBe('cumulative');
    expect(s.points[0]?.p99).toBe(7);
  });

  it('charts a non-finite rate as 0', () => {
    expect(seriesFromSnapshots([snap({ throughput: Number.NaN })]).points[0]?.throughput).toBe(0);
  });
});
