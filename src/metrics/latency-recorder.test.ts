import { describe, expect, it } from 'vitest';
import { EMPTY_LATENCY, LatencyRecorder } from './latency-recorder.js';

// HDR at 3 significant digits: every value is within 0.1% (plus the 1 µs unit) of the truth.
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001 + 0.001);

describe('LatencyRecorder', () => {
  it('is empty at first', () => {
    expect(new LatencyRecorder().summary()).toEqual(EMPTY_LATENCY);
  });

  it('summarises 1..10000 µs with HDR precision, in ms', () => {
    const r = new LatencyRecorder();
    for (let us = 1; us <= 10_000; us++) r.recordNs(us * 1000);
    const s = r.summary();
    expect(s.count).toBe(10_000);
    close(s.p50, 5);
    close(s.p95, 9.5);
    close(s.p99, 9.9);
    close(s.p999, 9.99);
    close(s.max, 10);
    close(s.mean, 5.0005);
  });

  it('covers 1 µs to 60 s; beyond is clamped and counted as saturated', () => {
    const r = new LatencyRecorder();
    r.recordNs(1); // sub-microsecond rounds up to 1 µs, never 0
    r.recordMs(59_000);
    r.recordMs(120_000);
    expect(r.count).toBe(3);
    expect(r.saturated).toBe(1);
    const s = r.summary();
    close(s.max, 60_000);
    expect(r.distribution([0.0001])[0]?.ms).toBeCloseTo(0.001, 6);
  });

  it('ignores negative and non-finite values (clock bugs, not latencies)', () => {
    const r = new LatencyRecorder();
    r.recordNs(-5);
    r.recordNs(Number.NaN);
    r.recordNs(Number.POSITIVE_INFINITY);
    expect(r.count).toBe(0);
  });

  it('recordSince measures from the start (intended) time', () => {
    const r = new LatencyRecorder();
    r.recordSince(1_000_000, 21_000_000);
    close(r.summary().p50, 20);
  });

  it('keeps an interval view that takeInterval() resets, while the total keeps everything', () => {
    const r = new LatencyRecorder();
    r.recordMs(1);
    r.recordMs(2);
    const first = r.takeInterval();
    expect(first.count).toBe(2);
    r.recordMs(100);
    expect(r.intervalSummary().count).toBe(1);
    close(r.intervalSummary().max, 100);
    expect(r.summary().count).toBe(3);
    expect(r.takeInterval().count).toBe(1);
    expect(r.intervalSummary()).toEqual(EMPTY_LATENCY);
  });

  it('merges recorders (lanes, workers)', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    for (let i = 0; i < 99; i++) a.recordMs(1);
    b.recordMs(500);
    b.recordMs(500_000); // saturated
    a.merge(b);
    expect(a.count).toBe(101);
    expect(a.saturated).toBe(1);
    close(a.summary().max, 60_000);
    close(a.summary().p50, 1);
  });

  it('reset() forgets warm-up', () => {
    const r = new LatencyRecorder();
    r.recordMs(5000);
    r.reset();
    r.recordMs(3);
    expect(r.count).toBe(1);
    close(r.summary().max, 3);
    expect(r.saturated).toBe(0);
  });

  it('distribution gives percentile points for reports, 100 = max', () => {
    const r = new LatencyRecorder();
    for (let i = 1; i <= 1000; i++) r.recordMs(i / 10);
    const d = r.distribution([50, 99, 100]);
    expect(d.map((p) => p.percentile)).toEqual([50, 99, 100]);
    close(d[0]?.ms ?? 0, 50);
    close(d[2]?.ms ?? 0, 100);
    expect(new LatencyRecorder().distribution([50])).toEqual([{ percentile: 50, ms: 0 }]);
  });

  it('a lower highestMs clamps earlier', () => {
    const r = new LatencyRecorder({ highestMs: 1000 });
    r.recordMs(2000);
    expect(r.saturated).toBe(1);
    close(r.summary().max, 1000);
  });

  it('gateMetrics names figures as gates do', () => {
    const r = new LatencyRecorder();
    for (let i = 1; i <= 100; i++) r.recordMs(i);
    const m = r.gateMetrics();
    expect(Object.keys(m)).toEqual(['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean']);
    close(m['p90'] ?? 0, 90);
  });
});
