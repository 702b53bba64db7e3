/**
 * The pipeline panel of the map as JSON, read from the same prom-client registry `/metrics`
 * exposes: message rate, end-to-end latency percentiles over the last minutes, sources with
 * their fusion quality, feeds, breaker states, dead-letter entries. Counters and histograms are
 * cumulative, so rates and windowed percentiles come from the difference between two samples of
 * the registry; the sampler keeps one sample every few seconds for the length of the window.
 */
import type { Registry } from 'prom-client';

/** Percentiles are over this much of the past. */
export const SUMMARY_WINDOW_MS = 5 * 60_000;
/** The message rate is over at least this much of the past. */
const RATE_SPAN_MS = 10_000;

const M = {
  messages: 'aisctl_messages_total',
  latency: 'aisctl_end_to_end_latency_seconds',
  quality: 'aisctl_source_quality_ratio',
  breaker: 'aisctl_breaker_state',
  dlq: 'aisctl_dlq_entries',
  queued: 'aisctl_pipeline_queued_messages',
  inFlight: 'aisctl_pipeline_inflight_batches',
  feedMessages: 'aisctl_feed_messages_total',
  feedAge: 'aisctl_feed_last_message_age_seconds',
  feedDropped: 'aisctl_feed_dropped_total',
} as const;

interface MetricValue {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number | undefined>>;
  readonly metricName?: string;
}

interface Sample {
  readonly t: number;
  /** Messages of every outcome. */
  readonly messages: number;
  /** Cumulative latency bucket counts, in the order of `bounds`. */
  readonly buckets: number[];
  readonly bounds: number[];
  readonly feedMessages: ReadonlyMap<string, number>;
}

export interface PipelineSummary {
  readonly time: number;
  readonly windowSeconds: number;
  readonly messages: { readonly total: number; readonly ratePerSecond: number | null; readonly byOutcome: Record<string, number> };
  /** Milliseconds; null without a message in the window. `overflow`: beyond the largest bucket. */
  readonly latency: { readonly count: number; readonly p50Ms: number | null; readonly p99Ms: number | null; readonly overflow: boolean };
  readonly sources: { readonly source: string; readonly quality: number }[];
  readonly feeds: {
    readonly feed: string;
    readonly messages: number;
    readonly ratePerSecond: number | null;
    readonly lastMessageAgeSeconds: number | null;
    readonly dropped: number;
  }[];
  readonly breakers: { readonly dependency: string; readonly state: string }[];
  readonly deadLetter: Record<string, number>;
  readonly queuedMessages: number;
  readonly inFlightBatches: number;
}

async function values(registry: Registry, name: string): Promise<MetricValue[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return [];
  return (await metric.get()).values as MetricValue[];
}

const labelText = (v: MetricValue, key: string): string => String(v.labels[key] ?? '');

/** histogram_quantile over cumulative bucket counts: linear within the bucket holding the rank. */
export function quantileOf(bounds: readonly number[], cumulative: readonly number[], q: number): { value: number | null; overflow: boolean } {
  const total = cumulative[cumulative.length - 1] ?? 0;
  if (total <= 0) return { value: null, overflow: false };
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    const c = cumulative[i] ?? 0;
    if (c < rank) continue;
    const upper = bounds[i] ?? Infinity;
    if (!Number.isFinite(upper)) return { value: bounds[i - 1] ?? null, overflow: true };
    const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
    const below = i === 0 ? 0 : (cumulative[i - 1] ?? 0);
    const inBucket = c - below;
    return { value: inBucket <= 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket, overflow: false };
  }
  return { value: bounds[bounds.length - 2] ?? null, overflow: true };
}

export interface PipelineSummarizer {
  /** Records a sample of the registry; the map's timer calls it every few seconds. */
  sample(nowMs: number): Promise<void>;
  summary(nowMs: number): Promise<PipelineSummary>;
}

export function createPipelineSummarizer(registry: Registry, windowMs = SUMMARY_WINDOW_MS): PipelineSummarizer {
  const samples: Sample[] = [];

  async function take(t: number): Promise<Sample> {
    const [messages, latency, feedMessages] = await Promise.all([values(registry, M.messages), values(registry, M.latency), values(registry, M.feedMessages)]);
    const bounds: number[] = [];
    const buckets: number[] = [];
    for (const v of latency) {
      if (v.metricName !== `${M.latency}_bucket`) continue;
      const le = v.labels['le'];
      bounds.push(le === '+Inf' ? Infinity : Number(le));
      buckets.push(v.value);
    }
    return {
      t,
      messages: messages.reduce((s, v) => s + v.value, 0),
      bounds,
      buckets,
      feedMessages: new Map(feedMessages.map((v) => [labelText(v, 'feed'), v.value])),
    };
  }

  /** The oldest kept sample at least `span` before `now` (else the oldest), for differences. */
  function baseline(now: Sample, span: number): Sample | null {
    let best: Sample | null = null;
    for (const s of samples) {
      if (s.t >= now.t) continue;
      if (now.t - s.t >= span) best = s;
      else if (best === null) best = s;
    }
    return best;
  }

  function keep(s: Sample): void {
    samples.push(s);
    while (samples.length > 0 && (samples[0]?.t ?? s.t) < s.t - windowMs) samples.shift();
  }

  return {
    async sample(nowMs) {
      keep(await take(nowMs));
    },
    async summary(nowMs) {
      const now = await take(nowMs);
      const [outcomes, quality, breaker, dlq, queued, inFlight, feedAge, feedDropped] = await Promise.all([
        values(registry, M.messages),
        values(registry, M.quality),
        values(registry, M.breaker),
        values(registry, M.dlq),
        values(registry, M.queued),
        values(registry, M.inFlight),
        values(registry, M.feedAge),
        values(registry, M.feedDropped),
      ]);
      // The window's percentiles: from the oldest sample inside it, else the newest before it
      // (sampling stalled), else since start.
      const comparable = samples.filter((s) => s.t <= nowMs && s.bounds.length === now.bounds.length);
      const windowBase = comparable.find((s) => s.t >= nowMs - windowMs) ?? comparable[comparable.length - 1] ?? null;
      const inWindow = now.buckets.map((c, i) => c - (windowBase?.buckets[i] ?? 0));
      const p50 = quantileOf(now.bounds, inWindow, 0.5);
      const p99 = quantileOf(now.bounds, inWindow, 0.99);
      const rateBase = baseline(now, RATE_SPAN_MS);
      const rate = (a: number, b: number | undefined): number | null =>
        rateBase === null || b === undefined || now.t <= rateBase.t ? null : Math.max(0, ((a - b) * 1000) / (now.t - rateBase.t));
      const byOutcome: Record<string, number> = {};
      for (const v of outcomes) byOutcome[labelText(v, 'outcome')] = v.value;
      const feedNames = new Set([...now.feedMessages.keys(), ...feedAge.map((v) => labelText(v, 'feed'))]);
      const deadLetter: Record<string, number> = {};
      for (const v of dlq) deadLetter[labelText(v, 'state')] = v.value;
      return {
        time: nowMs,
        windowSeconds: windowMs / 1000,
        messages: { total: now.messages, ratePerSecond: rate(now.messages, rateBase?.messages), byOutcome },
        latency: {
          count: inWindow[inWindow.length - 1] ?? 0,
          p50Ms: p50.value === null ? null : p50.value * 1000,
          p99Ms: p99.value === null ? null : p99.value * 1000,
          overflow: p99.overflow,
        },
        sources: quality.map((v) => ({ source: labelText(v, 'source'), quality: v.value })).sort((a, b) => a.source.localeCompare(b.source)),
        feeds: [...feedNames].sort().map((feed) => ({
          feed,
          messages: now.feedMessages.get(feed) ?? 0,
          ratePerSecond: rate(now.feedMessages.get(feed) ?? 0, rateBase?.feedMessages.get(feed) ?? (rateBase === null ? undefined : 0)),
          lastMessageAgeSeconds: feedAge.find((v) => labelText(v, 'feed') === feed)?.value ?? null,
          dropped: feedDropped.filter((v) => labelText(v, 'feed') === feed).reduce((s, v) => s + v.value, 0),
        })),
        breakers: breaker
          .filter((v) => v.value === 1)
          .map((v) => ({ dependency: labelText(v, 'dependency'), state: labelText(v, 'state') }))
          .sort((a, b) => a.dependency.localeCompare(b.dependency)),
        deadLetter,
        queuedMessages: queued[0]?.value ?? 0,
        inFlightBatches: inFlight[0]?.value ?? 0,
      };
    },
  };
}
