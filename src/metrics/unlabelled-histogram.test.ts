import { describe, expect, it } from 'vitest';
import { Histogram, Registry } from 'prom-client';
import { UnlabelledHistogram } from './unlabelled-histogram.js';
import { LATENCY_BUCKETS_SECONDS } from './pipeline-metrics.js';

/** The same observations into prom-client's Histogram and ours, each in a registry of its own. */
function pair(buckets: readonly number[] = LATENCY_BUCKETS_SECONDS): { ours: UnlabelledHistogram; theirs: Histogram; oursReg: Registry; theirsReg: Registry } {
  const oursReg = new Registry();
  const theirsReg = new Registry();
  const cfg = { name: 'aisctl_test_latency_seconds', help: 'test' };
  const ours = new UnlabelledHistogram({ ...cfg, buckets, registers: [oursReg] });
  const theirs = new Histogram({ ...cfg, buckets: [...buckets], registers: [theirsReg] });
  return { ours, theirs, oursReg, theirsReg };
}

describe('UnlabelledHistogram', () => {
  it('exposes exactly what prom-client exposes for the same observations, bounds and edges included', async () => {
    const { ours, theirs, oursReg, theirsReg } = pair();
    // Exactly on bounds (le is inclusive), between, below the first, above the last, zero.
    const values = [0, 0.001, 0.0010001, 0.0025, 0.004, 0.02, 0.0199999, 0.05, 1, 9.99, 10, 10.5, 1e6, 0.3, 0.3, 0.3];
    for (const v of values) {
      ours.observe(v);
      theirs.observe(v);
    }
    expect(await oursReg.metrics()).toBe(await theirsReg.metrics());
    // prom-client's values also carry an empty `exemplar` (exemplars are off); the rest is equal.
    const theirsGet = await theirs.get();
    expect(await ours.get()).toEqual({ ...theirsGet, values: theirsGet.values.map(({ labels, value, metricName }) => ({ labels, value, metricName })) });
  });

  it('matches on many random values', async () => {
    const { ours, theirs, oursReg, theirsReg } = pair([0.01, 0.5, 1, 5]);
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const v = (x / 2 ** 31) * 8;
      ours.observe(v);
      theirs.observe(v);
    }
    expect(await oursReg.metrics()).toBe(await theirsReg.metrics());
  });

  it('sorts and de-duplicates its bounds, so the buckets stay cumulative', async () => {
    const reg = new Registry();
    const h = new UnlabelledHistogram({ name: 'aisctl_test_seconds', help: 'test', buckets: [5, 0.5, 0.01, 5, 1], registers: [reg] });
    for (const v of [0.001, 0.7, 3, 3, 9]) h.observe(v);
    const buckets = (await h.get()).values.filter((v) => v.metricName === 'aisctl_test_seconds_bucket');
    expect(buckets.map((v) => [v.labels.le, v.value])).toEqual([
      [0.01, 1],
      [0.5, 1],
      [1, 2],
      [5, 4],
      ['+Inf', 5],
    ]);
  });

  it('resets to empty and counts again', async () => {
    const { ours, theirs, oursReg, theirsReg } = pair();
    ours.observe(0.2);
    theirs.observe(0.2);
    ours.reset();
    theirs.reset();
    // prom-client drops the series on reset until the next observation; ours keeps it at zero,
    // so compare after one more observation each.
    ours.observe(0.003);
    theirs.observe(0.003);
    expect(await oursReg.metrics()).toBe(await theirsReg.metrics());
    oursReg.resetMetrics();
    expect(await oursReg.metrics()).toContain('aisctl_test_latency_seconds_count 0');
  });

  it('refuses labels and values that are not finite numbers, and records nothing for them', async () => {
    const { ours, oursReg } = pair();
    expect(() => ours.observe({ store: 'x' }, 1)).toThrow(/no labels/);
    expect(() => ours.observe(Number.NaN)).toThrow(/not a valid number/);
    expect(() => ours.observe(Number.POSITIVE_INFINITY)).toThrow(/not a valid number/);
    expect(await oursReg.metrics()).toContain('aisctl_test_latency_seconds_count 0');
  });

  it('times with startTimer', async () => {
    const { ours, oursReg } = pair();
    const end = ours.startTimer();
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(await oursReg.metrics()).toContain('aisctl_test_latency_seconds_count 1');
  });
});
