/**
 * Load shapes: the intended send rate as a function of elapsed time, for the open-model scheduler.
 *
 * Every shape compiles to a list of linear segments (constant when `from === to`). The scheduler
 * needs the *intended time of the n-th send*, i.e. the inverse of the cumulative count
 * N(t) = integral of rate; on linear segments that inverse is closed-form, so intended times are
 * exact and do not drift with the tick length.
 */
import { AisctlError } from '../errors/aisctl-error.js';
import { parseDuration } from '../utils/duration.js';

export type LoadShapeSpec =
  | { readonly type: 'constant'; readonly rate: number; readonly durationMs: number }
  | { readonly type: 'ramp'; readonly from: number; readonly to: number; readonly durationMs: number }
  | { readonly type: 'steps'; readonly steps: readonly { readonly rate: number; readonly durationMs: number }[] }
  | {
      readonly type: 'bursts';
      /** Rate between bursts. */
      readonly rate: number;
      /** Rate during a burst. */
      readonly burstRate: number;
      /** A burst starts every `everyMs` (first one at `everyMs - burstMs`, after a calm lead-in). */
      readonly everyMs: number;
      readonly burstMs: number;
      readonly durationMs: number;
    }
  | { readonly type: 'phases'; readonly phases: readonly LoadShapeSpec[] };

export interface ShapeSegment {
  readonly startMs: number;
  readonly durationMs: number;
  /** msg/s at the segment start. */
  readonly fromRate: number;
  /** msg/s at the segment end. */
  readonly toRate: number;
}

export interface LoadShape {
  readonly spec: LoadShapeSpec;
  readonly segments: readonly ShapeSegment[];
  readonly durationMs: number;
  /** Intended sends over the whole shape. */
  readonly totalSends: number;
  readonly peakRate: number;
  /** Intended rate (msg/s) at `elapsedMs`; 0 outside the shape. */
  rateAt(elapsedMs: number): number;
  /** Intended sends in [0, elapsedMs) (fractional). */
  countAt(elapsedMs: number): number;
  /** Intended time (ms from the start) of send `n` (0-based); null past the end of the shape. */
  timeOfSend(n: number): number | null;
}

export class LoadShapeError extends AisctlError {
  override readonly name = 'LoadShapeError';
}

// Floating-point slack when deciding whether a send falls inside [0, duration).
const EPS = 1e-9;

export function compileSegments(spec: LoadShapeSpec, startMs = 0): ShapeSegment[] {
  switch (spec.type) {
    case 'constant':
      checkRate('constant rate', spec.rate);
      checkDuration('constant duration', spec.durationMs);
      return [{ startMs, durationMs: spec.durationMs, fromRate: spec.rate, toRate: spec.rate }];
    case 'ramp':
      checkRate('ramp from', spec.from);
      checkRate('ramp to', spec.to);
      checkDuration('ramp duration', spec.durationMs);
      return [{ startMs, durationMs: spec.durationMs, fromRate: spec.from, toRate: spec.to }];
    case 'steps': {
      if (spec.steps.length === 0) throw new LoadShapeError('steps: at least one step is needed');
      const out: ShapeSegment[] = [];
      let t = startMs;
      spec.steps.forEach((s, i) => {
        checkRate(`steps[${i}].rate`, s.rate);
        checkDuration(`steps[${i}] duration`, s.durationMs);
        out.push({ startMs: t, durationMs: s.durationMs, fromRate: s.rate, toRate: s.rate });
        t += s.durationMs;
      });
      return out;
    }
    case 'bursts': {
      checkRate('bursts rate', spec.rate);
      checkRate('bursts burstRate', spec.burstRate);
      checkDuration('bursts every', spec.everyMs);
      checkDuration('bursts burst length', spec.burstMs);
      checkDuration('bursts duration', spec.durationMs);
      if (spec.burstMs >= spec.everyMs) {
        throw new LoadShapeError(`bursts: burst length (${spec.burstMs} ms) must be shorter than the period (${spec.everyMs} ms)`);
      }
      const out: ShapeSegment[] = [];
      const calm = spec.everyMs - spec.burstMs;
      let t = 0;
      while (t < spec.durationMs - EPS) {
        const calmLen = Math.min(calm, spec.durationMs - t);
        out.push({ startMs: startMs + t, durationMs: calmLen, fromRate: spec.rate, toRate: spec.rate });
        t += calmLen;
        if (t >= spec.durationMs - EPS) break;
        const burstLen = Math.min(spec.burstMs, spec.durationMs - t);
        out.push({ startMs: startMs + t, durationMs: burstLen, fromRate: spec.burstRate, toRate: spec.burstRate });
        t += burstLen;
      }
      return out;
    }
    case 'phases': {
      if (spec.phases.length === 0) throw new LoadShapeError('phases: at least one phase is needed');
      const out: ShapeSegment[] = [];
      let t = startMs;
      for (const p of spec.phases) {
        const segs = compileSegments(p, t);
        out.push(...segs);
        const last = segs[segs.length - 1];
        if (last) t = last.startMs + last.durationMs;
      }
      return out;
    }
  }
}

function checkRate(what: string, v: number): void {
  if (!Number.isFinite(v) || v < 0) throw new LoadShapeError(`${what}: expected a rate >= 0 msg/s, found ${v}`);
}

function checkDuration(what: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw new LoadShapeError(`${what}: expected a duration > 0 ms, found ${v}`);
}

/** Sends intended within the first `t` ms of a segment (t in [0, durationMs]). */
function segmentCount(s: ShapeSegment, tMs: number): number {
  const t = tMs / 1000;
  const d = s.durationMs / 1000;
  return s.fromRate * t + ((s.toRate - s.fromRate) * t * t) / (2 * d);
}

/** Inverse of segmentCount: time (ms into the segment) at which `k` sends have been intended. */
function segmentTimeOf(s: ShapeSegment, k: number): number {
  const d = s.durationMs / 1000;
  const a = (s.toRate - s.fromRate) / (2 * d);
  const b = s.fromRate;
  if (k <= 0) return 0;
  if (Math.abs(a) < 1e-12) return (k / b) * 1000;
  // a t^2 + b t - k = 0; the numerically stable root form avoids cancellation when a is tiny.
  const disc = Math.max(0, b * b + 4 * a * k);
  const t = (2 * k) / (b + Math.sqrt(disc));
  return t * 1000;
}

export function buildLoadShape(spec: LoadShapeSpec): LoadShape {
  const segments = compileSegments(spec);
  const last = segments[segments.length - 1];
  const durationMs = last ? last.startMs + last.durationMs : 0;
  // Cumulative count at each segment start, so lookups do not re-integrate from zero.
  const before: number[] = [];
  let acc = 0;
  for (const s of segments) {
    before.push(acc);
    acc += segmentCount(s, s.durationMs);
  }
  const total = acc;
  // Send n is intended at the instant N(t) = n, and belongs to the run when that instant is < duration.
  const totalSends = total <= EPS ? 0 : Math.ceil(total - 1e-6);
  const peakRate = segments.reduce((m, s) => Math.max(m, s.fromRate, s.toRate), 0);

  function segmentIndexAt(elapsedMs: number): number {
    // Binary search: shapes with bursts can have thousands of segments.
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const s = segments[mid];
      if (s && s.startMs <= elapsedMs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  let cursor = 0; // sends are asked for in increasing order; remember where the last one fell
  return {
    spec,
    segments,
    durationMs,
    totalSends,
    peakRate,
    rateAt(elapsedMs) {
      if (elapsedMs < 0 || elapsedMs >= durationMs) return 0;
      const s = segments[segmentIndexAt(elapsedMs)];
      if (!s) return 0;
      const f = (elapsedMs - s.startMs) / s.durationMs;
      return s.fromRate + (s.toRate - s.fromRate) * f;
    },
    countAt(elapsedMs) {
      if (elapsedMs <= 0) return 0;
      if (elapsedMs >= durationMs) return total;
      const i = segmentIndexAt(elapsedMs);
      const s = segments[i];
      return s ? (before[i] ?? 0) + segmentCount(s, elapsedMs - s.startMs) : total;
    },
    timeOfSend(n) {
      if (n < 0 || n >= totalSends) return null;
      if (cursor >= segments.length || (before[cursor] ?? 0) > n) cursor = 0;
      while (cursor < segments.length) {
        const s = segments[cursor];
        const b = before[cursor] ?? 0;
        const end = before[cursor + 1] ?? total;
        if (s && n < end - EPS && end - b > EPS) {
          return Math.min(s.startMs + segmentTimeOf(s, n - b), s.startMs + s.durationMs);
        }
        cursor++;
      }
      return null;
    },
  };
}

/** Prepends a constant warm-up at `rate` (default: the shape's opening rate, or its mean when that is 0). */
export function withWarmup(spec: LoadShapeSpec, warmupMs: number, rate?: number): LoadShapeSpec {
  if (warmupMs <= 0) return spec;
  let r = rate;
  if (r === undefined) {
    const shape = buildLoadShape(spec);
    const opening = shape.rateAt(0);
    r = opening > 0 ? opening : shape.durationMs > 0 ? (shape.countAt(shape.durationMs) * 1000) / shape.durationMs : 0;
  }
  return { type: 'phases', phases: [{ type: 'constant', rate: r, durationMs: warmupMs }, spec] };
}

/** `10000`, `10k`, `2.5k`, `10000/s`. */
export function parseRate(input: string | number, what = 'rate'): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw new LoadShapeError(`${what}: expected a rate >= 0 msg/s, found ${input}`);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k)?\s*(?:\/s)?\s*$/i.exec(input);
  if (!m) throw new LoadShapeError(`${what}: expected messages per second such as 10000, 10k or 10000/s, found "${input}"`);
  return Number(m[1]) * (m[2] ? 1000 : 1);
}

export interface LoadFlags {
  readonly rate: string | number;
  readonly duration: string;
  /** Ramp from this rate up to `rate` over `rampFor` (or the whole duration). */
  readonly rampFrom?: string | number;
  readonly rampFor?: string;
}

/** `aisctl load --rate 10000 --duration 60s [--ramp-from 1000 --ramp-for 10s]`. */
export function shapeFromFlags(flags: LoadFlags): LoadShapeSpec {
  const rate = parseRate(flags.rate, '--rate');
  const durationMs = parseDuration(flags.duration, '--duration');
  if (flags.rampFrom === undefined) return { type: 'constant', rate, durationMs };
  const from = parseRate(flags.rampFrom, '--ramp-from');
  if (flags.rampFor === undefined) return { type: 'ramp', from, to: rate, durationMs };
  const rampMs = parseDuration(flags.rampFor, '--ramp-for');
  if (rampMs >= durationMs) return { type: 'ramp', from, to: rate, durationMs };
  return {
    type: 'phases',
    phases: [
      { type: 'ramp', from, to: rate, durationMs: rampMs },
      { type: 'constant', rate, durationMs: durationMs - rampMs },
    ],
  };
}

/** One line for headers and reports, e.g. `constant 10000/s for 60s`. */
export function describeShape(spec: LoadShapeSpec): string {
  switch (spec.type) {
    case 'constant':
      return `constant ${spec.rate}/s for ${formatMs(spec.durationMs)}`;
    case 'ramp':
      return `ramp ${spec.from}->${spec.to}/s over ${formatMs(spec.durationMs)}`;
    case 'steps':
      return `steps ${spec.steps.map((s) => `${s.rate}/s×${formatMs(s.durationMs)}`).join(', ')}`;
    case 'bursts':
      return `bursts ${spec.rate}/s with ${spec.burstRate}/s for ${formatMs(spec.burstMs)} every ${formatMs(spec.everyMs)}, ${formatMs(spec.durationMs)}`;
    case 'phases':
      return spec.phases.map(describeShape).join(' then ');
  }
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
