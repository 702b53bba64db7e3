/**
 * Defaults and choices that scenario files and the flags of `aisctl load`, `stress deadlock`,
 * `up` and `down` share. Free of imports so that the CLI builds its options (and their help)
 * from these without loading the harness, which `aisctl --version` must not pay for.
 */

/** In process, the HTTP edge, or a live feed (UDP datagrams, TCP lines) of an in-process serve. */
export const VIA_MODES = ['inprocess', 'http', 'udp', 'tcp'] as const;
export type ViaMode = (typeof VIA_MODES)[number];
export const DEFAULT_VIA: ViaMode = 'inprocess';
/** `aisctl load --via` and a scenario's `via` take the same modes. */
export const LOAD_VIA_MODES = VIA_MODES;

/** safe: batches sorted and de-duplicated by key (the fix); naive: the same writes in arrival order, reproducing the deadlocks. */
export const STRESS_STRATEGIES = ['safe', 'naive'] as const;
export type StressStrategy = (typeof STRESS_STRATEGIES)[number];
export const DEFAULT_STRESS_STRATEGY: StressStrategy = 'safe';

export interface TrafficMix {
  /** Share of messages re-sent by another source (fusion dedup). */
  readonly dupRate: number;
  /** Share of messages arriving with an old timestamp (out of order). */
  readonly lateRate: number;
  /** Share of malformed or invalid messages (must be rejected and counted). */
  readonly badRate: number;
}

export const DEFAULT_WARMUP_MS = 5_000;
export const DEFAULT_VESSELS = 10_000;
export const DEFAULT_SOURCES = 3;
export const DEFAULT_MIX: TrafficMix = Object.freeze({ dupRate: 0.1, lateRate: 0.01, badRate: 0.001 });

export const DEFAULT_STRESS_CONCURRENCY = 1_000;
export const DEFAULT_STRESS_VESSELS = 2_000;
export const DEFAULT_STRESS_BATCH = 50;

/** Where `aisctl up` keeps the servers' data and its state file, relative to the working directory. */
export const DEFAULT_LOCAL_SERVERS_DIR = '.aisctl/servers';
