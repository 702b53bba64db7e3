import { describe, expect, it } from 'vitest';
import { createPipelineMetrics } from '../../metrics/pipeline-metrics.js';
import { createPipelineSummarizer, quantileOf } from './pipeline-summary.js';

describe('quantileOf', () => {
  const bounds = [0.01, 0.02, 0.05, Infinity];
  it('interpolates within the bucket that holds the rank, as histogram_quantile does', () => {
    // 100 observations: 50 up to 10 ms, 40 in (10, 20], 10 in (20, 50].
    const cumulative = [50, 90, 100, 100];
    expect(quantileOf(bounds, cumulative, 0.5).value).toBeCloseTo(0.01, 10);
    expect(quantileOf(bounds, cumulative, 0.7).value).toBeCloseTo(0.015, 10);
    expect(quantileOf(bounds, cumulative, 0.99).value).toBeCloseTo(0.047, 10);
  });
  it('is null without observations and the largest bound, flagged, past it', () => {
    expect(quantileOf(bounds, [0, 0, 0, 0], 0.5)).toEqual({ value: null, overflow: false });
    expect(quantileOf(bounds, [0, 0, 90, 100], 0.99)).toEqual({ value: 0.05, overflow: true });
  });
});

describe('createPipelineSummarizer', () => {
  it('takes rates and windowed percentiles from differences between samples of the registry', async () => {
    const m = createPipelineMetrics();
    const s = createPipelineSummarizer(m.registry, 60_000);
    const t0 = 1_000_000;
    m.messages.inc({ outcome: 'accepted' }, 1000);
    for (let i = 0; i < 100; i++) m.endToEndLatency.observe(2); // old and slow: leaves the window
    await s.sample(t0);
    m.messages.inc({ outcome: 'accepted' }, 180);
    m.messages.inc({ outcome: 'duplicate' }, 20);
    for (let i = 0; i < 100; i++) m.endToEndLatency.observe(0.004);
    m.setBreakerState('redis', 'open');
    m.setBreakerState('postgres', 'closed');
    m.dlqEntries.set({ state: 'pending' }, 7);
    m.setSourceQuality({ 'rx-b': 0.4, 'rx-a': 0.9 });
    const p = await s.summary(t0 + 20_000);
    expect(p.messages).toEqual({ total: 1200, ratePerSecond: 10, byOutcome: { accepted: 1180, duplicate: 20 } });
    expect(p.latency.count).toBe(100);
    expect(p.latency.p50Ms).toBeGreaterThan(2.5);
    expect(p.latency.p99Ms).toBeLessThanOrEqual(5);
    expect(p.breakers).toEqual([
      { dependency: 'postgres', state: 'closed' },
      { dependency: 'redis', state: 'open' },
    ]);
    expect(p.deadLetter).toEqual({ pending: 7 });
    expect(p.sources).toEqual([
      { source: 'rx-a', quality: 0.9 },
      { source: 'rx-b', quality: 0.4 },
    ]);
    // A sample inside the window moves its start: only what came after it counts.
    for (let i = 0; i < 10; i++) m.endToEndLatency.observe(0.3);
    await s.sample(t0 + 70_000);
    m.endToEndLatency.observe(0.001);
    const later = await s.summary(t0 + 120_000);
    expect(later.latency.count).toBe(1);
    expect(later.latency.p99Ms).toBeLessThanOrEqual(1);
  });

  it('has no rate before a second sample, and lists feeds with their counters', async () => {
    const m = createPipelineMetrics();
    const s = createPipelineSummarizer(m.registry);
    const p = await s.summary(5_000);
    expect(p.messages.ratePerSecond).toBeNull();
    expect(p.latency).toEqual({ count: 0, p50Ms: null, p99Ms: null, overflow: false });
    expect(p.feeds).toEqual([]);
  });
});
