/**
 * What the main thread and the sender thread of `aisctl load --via udp|tcp` tell each other. Only
 * plain data (structured clone); per message nothing is exchanged at all (see send-number.ts).
 */
import type { LoadShapeSpec } from './load-shape.js';
import type { SchedulerStats } from './open-model-scheduler.js';
import type { GeneratedKind } from './traffic-generator.js';

export type FeedVia = 'udp' | 'tcp';

export interface SenderConfig {
  readonly via: FeedVia;
  readonly host: string;
  readonly port: number;
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
  /** `Date.now()` at the origin: the wall time tag blocks carry. */
  readonly wallAtOriginMs: number;
  readonly progressEveryMs: number;
}

export interface SentCounts {
  /** Sends handed to the socket (a send is one generated message: one datagram, or its lines). */
  sends: number;
  /** UDP only. */
  datagrams: number;
  lines: number;
  bytes: number;
}

export interface SenderStats {
  readonly scheduler: SchedulerStats;
  /** Whole run, warm-up included. */
  readonly sent: SentCounts;
  /** Measured phase only. */
  readonly sentMeasured: SentCounts;
  readonly sendErrors: number;
  readonly firstSendError: string | null;
  readonly generated: Readonly<Record<GeneratedKind, number>>;
}

/** How the sender's event time relates to the wall clock (see feed-load-sender.ts). */
export interface EventClock {
  /** Reports per second the fleet sends at ITU intervals. */
  readonly fleetRate: number;
  /** Event time starts this long before the wall clock; 0: it is the wall clock. */
  readonly leadMs: number;
}

export type SenderMessage =
  | { readonly type: 'ready'; readonly eventClock: EventClock }
  | { readonly type: 'progress'; readonly stats: SenderStats }
  | { readonly type: 'done'; readonly stats: SenderStats }
  | { readonly type: 'failed'; readonly error: string };

export type ControlMessage =
  /** The schedule starts at this value of the shared clock (ns since `originNs`). */
  { readonly type: 'start'; readonly startAtNs: number } | { readonly type: 'stop' };

export function emptySentCounts(): SentCounts {
  return { sends: 0, datagrams: 0, lines: 0, bytes: 0 };
}
