/**
 * What the main thread and the generator thread of `aisctl load` (in-process) tell each other.
 * Plain data only (structured clone). Sends travel in batches, one message per scheduler burst,
 * as typed arrays moved (not copied) and one string of lines; completions go back the same way.
 */
import type { LoadShapeSpec } from './load-shape.js';
import type { SchedulerStats } from './open-model-scheduler.js';
import type { GeneratedKind } from './traffic-generator.js';

export interface GeneratorConfig {
  /** The whole schedule, warm-up included. */
  readonly shape: LoadShapeSpec;
  readonly warmupMs: number;
  readonly generator: {
    readonly vessels: number;
    readonly sources: readonly string[];
    readonly seed: number;
    readonly dupRate: number;
    readonly lateRate: number;
    readonly badRate: number;
  };
  /** `process.hrtime.bigint()` both threads measure from: one monotonic clock for the process. */
  readonly originNs: bigint;
  /** `Date.now()` at the origin: generated receive and tag times start here. */
  readonly wallAtOriginMs: number;
  readonly progressEveryMs: number;
}

/** Sends issued in one burst: index i of each array describes send i. */
export interface SendBatch {
  readonly type: 'sends';
  /** Send numbers; the intended time of each is `start + shape.timeOfSend(n)` on both sides. */
  readonly seqs: Float64Array;
  /** The receive time the parser validates each send's lines against (the generator's event time). */
  readonly receiveMs: Float64Array;
  /** Lines of each send, in `text` one after the other. */
  readonly lineCounts: Uint16Array;
  /** Every line of the batch, joined by '\n'. */
  readonly text: string;
}

export interface GeneratorStats {
  readonly scheduler: SchedulerStats;
  readonly generated: Readonly<Record<GeneratedKind, number>>;
  /** CPU time of the generator thread so far (ms); null off Linux. */
  readonly cpuMs: number | null;
}

export type GeneratorMessage =
  | { readonly type: 'ready' }
  | SendBatch
  | { readonly type: 'progress'; readonly stats: GeneratorStats }
  | { readonly type: 'done'; readonly stats: GeneratorStats }
  | { readonly type: 'failed'; readonly error: string };

export type GeneratorControl =
  /** The schedule starts at this value of the shared clock (ns since `originNs`). */
  | { readonly type: 'start'; readonly startAtNs: number }
  /** Sends whose every message is durable (or needed no write). */
  | { readonly type: 'completed'; readonly seqs: Float64Array }
  | { readonly type: 'stop' };
