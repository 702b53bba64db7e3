/**
 * What the main thread and the sender thread of `aisctl load --via udp|tcp` tell each other. Only
 * plain data (structured clone); per message nothing is exchanged at all (see send-number.ts).
 */
import type { GeneratorConfig } from './load-generator-protocol.js';
import type { SchedulerStats } from './open-model-scheduler.js';
import type { GeneratedKind } from './traffic-generator.js';

export type FeedVia = 'udp' | 'tcp';

/** The generator's schedule and traffic (its `wallAtOriginMs` is the wall time tag blocks carry), and where to send. */
export interface SenderConfig extends GeneratorConfig {
  readonly via: FeedVia;
  readonly host: string;
  readonly port: number;
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
