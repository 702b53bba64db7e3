/**
 * HDR latency recorder: a cumulative histogram for the run and an interval histogram for the
 * current tick, both at 3 significant digits from 1 µs to 60 s.
 *
 * Why node's `perf_hooks.createHistogram` rather than hdr-histogram-js: it *is* HdrHistogram_c in
 * native code, so `record()` is one cheap call with no WASM start-up or JS bucket arithmetic on the
 * hot path (it runs once per message, 10,000+ times a second; measured ~95 ns per histogram against
 * ~240 ns for hdr-histogram-js's JS build on the 2-core target), it merges with `add()`, and it
 * needs no dependency. We never need the HDR wire encoding that hdr-histogram-js adds.
 *
 * Values are recorded in whole microseconds (rounded up, so nothing reads as 0): that covers
 * 1 µs .. 60 s in ~250 KB per histogram, where nanoseconds would need more buckets for a precision
 * nobody can use in an end-to-end latency. Values above 60 s are clamped to 60 s and counted in
 * `saturated`, so they still weigh in the percentiles instead of vanishing.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { LatencySummary } from './latency-summary.js';

const LOWEST_US = 1;
const DEFAULT_HIGHEST_US = 60_000_000;
const SIGNIFICANT_FIGURES = 3;

export const EMPTY_LATENCY: LatencySummary = Object.freeze({ count: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 });

export interface LatencyRecorderOptions {
  /** Highest trackable latency in ms (default 60,000). */
  readonly highestMs?: number;
}

export interface PercentilePoint {
  readonly percentile: number;
  readonly ms: number;
}

export class LatencyRecorder {
  private total: RecordableHistogram;
  private interval: RecordableHistogram;
  private readonly highestUs: number;
  private saturatedCount = 0;

  constructor(opts: LatencyRecorderOptions = {}) {
    this.highestUs = Math.max(2, Math.round((opts.highestMs ?? DEFAULT_HIGHEST_US / 1000) * 1000));
    this.total = this.newHistogram();
    this.interval = this.newHistogram();
  }

  private newHistogram(): RecordableHistogram {
    return createHistogram({ lowest: LOWEST_US, highest: this.highestUs, figures: SIGNIFICANT_FIGURES });
  }

  /** Latency in nanoseconds. Negative, NaN or infinite values are ignored (a clock bug, not data). */
  recordNs(ns: number): void {
    if (!Number.isFinite(ns) || ns < 0) return;
    let us = Math.ceil(ns / 1000);
    if (us < LOWEST_US) us = LOWEST_US;
    if (us > this.highestUs) {
      us = this.highestUs;
      this.saturatedCount++;
    }
    this.total.record(us);
    this.interval.record(us);
  }

  recordMs(ms: number): void {
    this.recordNs(ms * 1e6);
  }

  /** Records `endNs - startNs`; with the open-model scheduler, `startNs` is the intended send time. */
  recordSince(startNs: number, endNs: number): void {
    this.recordNs(endNs - startNs);
  }

  get count(): number {
    return this.total.count;
  }

  /** Values clamped to the highest trackable latency. */
  get saturated(): number {
    return this.saturatedCount;
  }

  /** Whole run (since construction or the last `reset()`). */
  summary(): LatencySummary {
    return summarize(this.total);
  }

  /** Since the last `takeInterval()`. */
  intervalSummary(): LatencySummary {
    return summarize(this.interval);
  }

  /** Returns the interval summary and starts a new interval (call once per tick). */
  takeInterval(): LatencySummary {
    const s = summarize(this.interval);
    this.interval.reset();
    return s;
  }

  /** Adds another recorder's values (e.g. from several lanes or workers) into this one. */
  merge(other: LatencyRecorder): void {
    this.total.add(other.total);
    this.interval.add(other.interval);
    this.saturatedCount += other.saturatedCount;
  }

  /** Forgets everything, e.g. at the end of warm-up. */
  reset(): void {
    this.total.reset();
    this.interval.reset();
    this.saturatedCount = 0;
  }

  /** The latency figures under their gate names (see GATE_METRICS in src/harness/gates.ts), in ms. */
  gateMetrics(): Record<string, number> {
    const s = this.summary();
    const p90 = this.total.count === 0 ? 0 : usToMs(this.total.percentile(90));
    return { p50: s.p50, p90, p95: s.p95, p99: s.p99, p999: s.p999, max: s.max, mean: s.mean };
  }

  /** Percentile -> ms for reports, e.g. 50, 90, 99, 99.9, 99.99, 100. */
  distribution(percentiles: readonly number[] = [50, 75, 90, 95, 99, 99.9, 99.99, 100]): PercentilePoint[] {
    if (this.total.count === 0) return percentiles.map((p) => ({ percentile: p, ms: 0 }));
    return percentiles.map((p) => ({ percentile: p, ms: usToMs(p >= 100 ? this.total.max : this.total.percentile(p)) }));
  }
}

function usToMs(us: number): number {
  return us / 1000;
}

function summarize(h: RecordableHistogram): LatencySummary {
  if (h.count === 0) return EMPTY_LATENCY;
  return {
    count: h.count,
    p50: usToMs(h.percentile(50)),
    p95: usToMs(h.percentile(95)),
    p99: usToMs(h.percentile(99)),
    p999: usToMs(h.percentile(99.9)),
    max: usToMs(h.max),
    mean: usToMs(h.mean),
  };
}
