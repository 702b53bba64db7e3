/**
 * The live feeds of one `aisctl serve`: starts a runner and a transport per `--feed`, answers
 * health and metrics questions about all of them, and closes them together. Listeners bind before
 * `startFeeds` resolves, so a port in use fails the start-up (and nothing is left open); client
 * feeds connect in the background and keep trying.
 */
import { DEFAULT_MAX_LINE_LENGTH } from '../formats/line-splitter.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { RandomSource } from '../utils/seeded-random.js';
import type { AisstreamSubscription } from './aisstream-subscription.js';
import { feedHealth, silentForMs, type FeedHealth, type FeedStatus } from './feed-health.js';
import { FeedRunner, type FeedTarget, type LineStartFn } from './feed-runner.js';
import type { FeedTransport } from './feed-transport.js';
import { FeedConfigError, type FeedSpec } from './feed-url.js';
import { DEFAULT_RECONNECT_BACKOFF, type ReconnectBackoffOptions } from './reconnect-backoff.js';
import { startTcpClientFeed } from './tcp-client-feed.js';
import { startTcpListenFeed } from './tcp-listen-feed.js';
import { startUdpFeed } from './udp-feed.js';
import { startWsFeed } from './ws-feed.js';

export interface FeedOptions {
  /** Client feeds reconnect, and listeners close a connection, after this long without bytes (ms). */
  readonly idleMs: number;
  /** `/healthz` fails when every feed has been silent for longer than this (ms). */
  readonly staleMs: number;
  /** Connections per `tcp-listen` feed. */
  readonly maxConnections: number;
  readonly maxLineLength: number;
  /** SO_RCVBUF of UDP feeds (bytes); the system default when absent. */
  readonly rcvbufBytes?: number | undefined;
  readonly backoff: ReconnectBackoffOptions;
  /** Needed by websocket feeds: the API key, boxes and message types to subscribe to. */
  readonly aisstream?: AisstreamSubscription | undefined;
}

export const DEFAULT_FEED_OPTIONS: FeedOptions = {
  idleMs: 60_000,
  staleMs: 5 * 60_000,
  maxConnections: 32,
  maxLineLength: DEFAULT_MAX_LINE_LENGTH,
  backoff: DEFAULT_RECONNECT_BACKOFF,
};

/** What a load test attaches to the feeds to time and observe them; nothing in production. */
export interface FeedInstrumentation {
  readonly lineStartMs?: LineStartFn;
  /** The pipeline as the feeds see it, e.g. wrapped to watch every message's acknowledgement. */
  readonly target?: (pipeline: FeedTarget) => FeedTarget;
}

export interface StartFeedsOptions extends FeedOptions {
  readonly specs: readonly FeedSpec[];
  readonly target: FeedTarget;
  readonly metrics?: PipelineMetrics | null;
  readonly nowMs: () => number;
  readonly clockMs: () => number;
  readonly maxFutureMs: number;
  readonly random?: RandomSource;
  readonly log?: (line: string) => void;
  readonly instrumentation?: FeedInstrumentation;
}

export interface RunningFeed {
  readonly runner: FeedRunner;
  readonly transport: FeedTransport;
}

export interface FeedSet {
  readonly feeds: readonly RunningFeed[];
  /** The feed called `name`; throws when there is none (a test's or a caller's mistake). */
  feed(name: string): RunningFeed;
  /** Counts taken when asked (the kernel's UDP drops) brought up to date; statuses() does it too. */
  refresh(): void;
  statuses(): FeedStatus[];
  health(): FeedHealth;
  /** Closes every transport (listeners, connections), handing what was read to the pipeline. */
  close(): Promise<void>;
  /** Hard stop: from now on nothing reaches the pipeline, not even what was already read. */
  stopIntake(): void;
}

/** Websocket payloads may exceed the line cap a little (framing), not by megabytes. */
const WS_PAYLOAD_SLACK = 4096;

async function startTransport(runner: FeedRunner, opts: StartFeedsOptions): Promise<FeedTransport> {
  const spec = runner.spec;
  switch (spec.kind) {
    case 'udp':
      return startUdpFeed(runner, { rcvbufBytes: opts.rcvbufBytes });
    case 'tcp-listen':
      return startTcpListenFeed(runner, { maxConnections: opts.maxConnections, idleMs: opts.idleMs });
    case 'tcp':
      return startTcpClientFeed(runner, { idleMs: opts.idleMs, backoff: opts.backoff, ...(opts.random ? { random: opts.random } : {}) });
    case 'ws': {
      const subscription = opts.aisstream;
      if (subscription === undefined || subscription.apiKey === '') {
        throw new FeedConfigError(`feed '${spec.name}' (${spec.url}) needs an aisstream API key: set AISSTREAM_API_KEY`);
      }
      return startWsFeed(runner, {
        subscription,
        idleMs: opts.idleMs,
        backoff: opts.backoff,
        maxPayloadBytes: opts.maxLineLength * 4 + WS_PAYLOAD_SLACK,
        ...(opts.random ? { random: opts.random } : {}),
      });
    }
  }
}

export async function startFeeds(opts: StartFeedsOptions): Promise<FeedSet> {
  const feeds: RunningFeed[] = [];
  const instrumentation = opts.instrumentation ?? {};
  const target = instrumentation.target?.(opts.target) ?? opts.target;
  try {
    for (const spec of opts.specs) {
      const runner = new FeedRunner({
        spec,
        target,
        metrics: opts.metrics ?? null,
        nowMs: opts.nowMs,
        clockMs: opts.clockMs,
        maxFutureMs: opts.maxFutureMs,
        maxLineLength: opts.maxLineLength,
        ...(opts.log ? { log: opts.log } : {}),
        ...(instrumentation.lineStartMs ? { lineStartMs: instrumentation.lineStartMs } : {}),
      });
      feeds.push({ runner, transport: await startTransport(runner, opts) });
    }
  } catch (err) {
    await Promise.all(feeds.map((f) => f.transport.close()));
    for (const f of feeds) f.runner.seal();
    throw err;
  }

  const refresh = (): void => {
    for (const f of feeds) f.transport.refreshCounters?.();
  };
  const statuses = (): FeedStatus[] => {
    refresh();
    return feeds.map(({ runner }) => ({
      name: runner.spec.name,
      state: runner.state,
      detail: runner.describe(),
      startedAtMs: runner.startedAtMs,
      lastMessageAtMs: runner.lastMessageAtMs,
      stats: runner.stats,
    }));
  };
  opts.metrics?.feeds.setDropRefresh(refresh);
  opts.metrics?.feeds.setAgeSource(() => {
    const now = opts.nowMs();
    return statuses().map((s) => ({ feed: s.name, ageSeconds: silentForMs(s, now) / 1000 }));
  });

  let closing: Promise<void> | null = null;
  return {
    feeds,
    feed(name) {
      const f = feeds.find((x) => x.runner.spec.name === name);
      if (f === undefined) throw new Error(`no feed named '${name}'`);
      return f;
    },
    refresh,
    statuses,
    health: () => feedHealth(statuses(), opts.nowMs(), opts.staleMs),
    close() {
      closing ??= (async () => {
        await Promise.all(feeds.map((f) => f.transport.close()));
        // Nothing may reach the pipeline after this: it is closed next.
        for (const f of feeds) f.runner.seal();
      })();
      return closing;
    },
    stopIntake() {
      for (const f of feeds) f.runner.seal();
    },
  };
}
