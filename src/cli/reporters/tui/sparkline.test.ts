import { describe, expect, it } from 'vitest';
import { progressBar, sparkline } from './sparkline.js';
import { HISTORY_TICKS, INITIAL_RUN_VIEW, reduceRunView } from './run-view-state.js';
import type { MetricsSnapshot } from '../reporter.js';

describe('sparkline', () => {
  it('scales to the maximum', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 10])).toBe('██');
    expect(sparkline([])).toBe('');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([Number.NaN, 5])).toBe('▁█');
  });
  it('keeps the last `width` values', () => {
    expect(sparkline([100, 1, 1], 2)).toBe('██');
  });
});

describe('progressBar', () => {
  it('fills proportionally and clamps', () => {
    expect(progressBar(0.5, 10)).toBe('█████░░░░░');
    expect(progressBar(2, 4)).toBe('████');
    expect(progressBar(-1, 4)).toBe('░░░░');
    expect(progressBar(Number.NaN, 2)).toBe('░░');
  });
});

describe('reduceRunView', () => {
  it('keeps the last 60 throughputs and the last 3 warnings', () => {
    let s = reduceRunView(INITIAL_RUN_VIEW, { type: 'started', info: { command: 'load', name: 'x', settings: {}, plannedMs: null } });
    for (let i = 0; i < 100; i++) s = reduceRunView(s, { type: 'tick', snapshot: { throughput: i, latency: { count: 1, p99: i } } as MetricsSnapshot });
    expect(s.throughputHistory).toHaveLength(HISTORY_TICKS);
    expect(s.throughputHistory[0]).toBe(40);
    expect(s.p99History).toHaveLength(HISTORY_TICKS);
    expect(s.p99History[0]).toBe(40);
    expect(s.latest?.throughput).toBe(99);
    for (let i = 0; i < 5; i++) s = reduceRunView(s, { type: 'warning', message: `w${i}` });
    expect(s.warnings).toEqual(['w2', 'w3', 'w4']);
    expect(s.warningCount).toBe(5);
  });
});
