import { randomBytes } from 'node:crypto';
import type { HistoryStore, PositionRow } from '../store/store-types.js';
import type { LatencySummary } from './run-events.js';
import { LatencyRecorder } from '../metrics/latency-recorder.js';
import { cancelActiveQueries } from '../store/postgres/cancel-queries.js';
import { createHistoryWriter } from '../store/postgres/history-writer.js';
import { migrate } from '../store/postgres/migrator.js';
import { createNaiveUpsertWriter } from '../store/postgres/naive-upsert-writer.js';
import { createPool } from '../store/postgres/pool.js';
import { DEADLOCK_DETECTED, QUERY_CANCELED, sqlState } from '../store/postgres/retryable-error.js';
import { countPositionsInRange } from '../store/postgres/vessel-queries.js';
import { seededRandom } from '../utils/seeded-random.js';
import type { StressStrategy } from './harness-defaults.js';

export interface DeadlockStressOptions {
  /** A database the caller owns; the schema is migrated if needed. */
  readonly databaseUrl: string;
  /** Concurrent logical writers (e.g. 1000), multiplexed over `poolSize` connections. */
  readonly concurrency: number;
  /** Size of the vessel set the writers draw from: smaller means more overlap. */
  readonly vessels: number;
  /** Positions per transaction. */
  readonly batchSize: number;
  /** Batches per writer; ignored when durationMs is given. */
  readonly rounds?: number;
  /**
   * Start batches until this much time has passed. Writers still waiting for a connection then
   * give up (abandoned); batches in flight get `drainMs` to end, after which their statements
   * are cancelled on the server.
   */
  readonly durationMs?: number;
  /** Grace for batches in flight when time is up (or on abort) before they are cancelled; default 1000. */
  readonly drainMs?: number;
  readonly strategy: StressStrategy;
  readonly seed: number;
  /** Connections; default min(concurrency, 40), which leaves room under max_connections=100. */
  readonly poolSize?: number;
  /** First MMSI of the vessel set; default 200,000,000. */
  readonly mmsiBase?: number;
  readonly onProgress?: (s: StressSnapshot) => void;
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Milliseconds on a monotonic clock, for the deadline, the drain grace and the figures;
   * default performance.now. Tests pass their own to cross the deadline on cue.
   */
  readonly now?: () => number;
  /** Every batch start and end, the end of the time, abandoned writers and cancel requests, in order. */
  readonly onEvent?: (e: StressEvent) => void;
}

export type BatchOutcome = 'committed' | 'failed' | 'cancelled';

export type StressEvent =
  | { readonly kind: 'batch-start'; readonly writer: number; readonly at: number }
  | { readonly kind: 'batch-end'; readonly writer: number; readonly at: number; readonly outcome: BatchOutcome }
  /** The deadline passed or the signal aborted: no batch starts from here on. */
  | { readonly kind: 'time-up'; readonly at: number }
  /** A writer with a batch ready that was refused a start because time was up. */
  | { readonly kind: 'abandoned'; readonly writer: number; readonly at: number }
  /** Statements of batches still in flight after the drain grace were cancelled on the server. */
  | { readonly kind: 'cancel'; readonly at: number; readonly statements: number };

export interface StressSnapshot {
  readonly elapsedMs: number;
  readonly batchesCommitted: number;
  /** Batches that failed on their own (deadlock or other error): the run's errors. */
  readonly batchesFailed: number;
  /** Batches in flight at the end that the harness cancelled after the drain grace; not errors. */
  readonly batchesCancelled: number;
  /** Writers that had a batch ready but were refused a start because time was up. */
  readonly writersAbandoned: number;
  /** Deadlocks (40P01) the server reported, whether retried (safe) or fatal to the batch (naive). */
  readonly deadlocks: number;
  readonly retries: number;
  /** Failed batches for any reason other than a deadlock. */
  readonly otherErrors: number;
  /** Distinct (vessel, time) rows of committed batches: what must be in the table afterwards. */
  readonly writesExpected: number;
  /** Committed position rows per second (input rows, before de-duplication). */
  readonly rowsPerSec: number;
  /** Duration of committed batch transactions (from holding a connection to commit), ms. */
  readonly batchLatency: LatencySummary;
  /** The same, for batches committed since the previous snapshot (the reports' per-second series). */
  readonly batchLatencyInterval: LatencySummary;
}

export interface StressResult extends StressSnapshot {
  readonly strategy: StressStrategy;
  readonly concurrency: number;
  readonly poolSize: number;
  readonly durationMs: number;
  /** Rows of this run found in vessel_positions after the run. */
  readonly rowsFound: number;
  /** writesExpected - rowsFound; 0 means nothing committed was lost. */
  readonly rowsMissing: number;
  /** First few distinct error messages, for the report. */
  readonly errorSamples: readonly string[];
}

/** Spacing of a writer's rounds in event time; each round's rows fall inside its own slot. */
const ROUND_MS = 100;
/** How often the deadline, the abort signal and the drain grace are checked between batch boundaries. */
const CHECK_INTERVAL_MS = 20;
/**
 * A naive deadlock costs the server's deadlock_timeout (1 s by default) to break, so a second
 * lets the cycles in flight at the deadline resolve on their own before they are cancelled.
 */
const DEFAULT_DRAIN_MS = 1000;

/**
 * Concurrent overlapping vessel upserts against a real PostgreSQL, to show that the write path
 * does not deadlock (`safe`, the history writer) and that the harness would see it if it did
 * (`naive`, the seed's unsorted upserts). Each logical writer draws batches of random vessels
 * in arrival (unsorted) order from one shared vessel set, with event times that collide across
 * writers, so both vessel rows and position keys are contended.
 */
export async function runDeadlockStress(opts: DeadlockStressOptions): Promise<StressResult> {
  if (opts.concurrency < 1 || opts.vessels < 1 || opts.batchSize < 1) {
    throw new Error('deadlock stress needs concurrency, vessels and batchSize of at least 1');
  }
  if (opts.durationMs === undefined && opts.rounds === undefined) throw new Error('deadlock stress needs rounds or durationMs');
  const poolSize = opts.poolSize ?? Math.min(opts.concurrency, 40);
  const mmsiBase = opts.mmsiBase ?? 200_000_000;
  const now = opts.now ?? (() => performance.now());
  const drainMs = opts.drainMs ?? DEFAULT_DRAIN_MS;
  const emit = opts.onEvent ?? ((): void => undefined);
  // A name of this run's own, so that cancelling at the end cannot reach another run's sessions
  // (two stress runs, or tests, on one server).
  const applicationName = `aisctl-stress-${randomBytes(4).toString('hex')}`;
  // Waiting for a connection is expected when 1000 writers share 40 connections.
  const pool = createPool(opts.databaseUrl, { max: poolSize, connectionTimeoutMillis: 300_000, applicationName });
  // Outside the writers' pool: at the end every one of its connections may be stuck in a lock wait.
  const control = createPool(opts.databaseUrl, { max: 1, applicationName: `${applicationName}-ctl` });
  try {
    await migrate(pool);
    // Event times start at the wall clock so that rows of earlier runs in the same database
    // fall outside this run's range and the final count is exact.
    const runBase = Math.floor(Date.now() / 1000) * 1000;
    let safeWriter: ReturnType<typeof createHistoryWriter> | undefined;
    let store: HistoryStore;
    if (opts.strategy === 'safe') {
      safeWriter = createHistoryWriter({ pool, maxDeadlockRetries: 10 });
      store = safeWriter;
    } else store = createNaiveUpsertWriter({ pool });

    const expected = new Set<string>();
    let committed = 0;
    let failed = 0;
    let cancelled = 0;
    let abandoned = 0;
    let inFlight = 0;
    let naiveDeadlocks = 0;
    let otherErrors = 0;
    let rowsCommitted = 0;
    let maxRound = 0;
    const samples = new Set<string>();
    const batchLatency = new LatencyRecorder();
    const started = now();
    const deadline = opts.durationMs === undefined ? Infinity : started + opts.durationMs;
    const rounds = opts.durationMs === undefined ? (opts.rounds as number) : Infinity;

    const snapshot = (): StressSnapshot => {
      const elapsedMs = now() - started;
      return {
        elapsedMs,
        batchesCommitted: committed,
        batchesFailed: failed,
        batchesCancelled: cancelled,
        writersAbandoned: abandoned,
        deadlocks: naiveDeadlocks + (safeWriter?.deadlocksTotal() ?? 0),
        retries: safeWriter?.retriesTotal() ?? 0,
        otherErrors,
        writesExpected: expected.size,
        rowsPerSec: elapsedMs > 0 ? (rowsCommitted / elapsedMs) * 1000 : 0,
        batchLatency: batchLatency.summary(),
        batchLatencyInterval: batchLatency.takeInterval(),
      };
    };

    // Logical writers take a connection slot here, not in the pool's own queue: when the time is
    // up every writer still waiting is let go at once instead of starting a batch minutes late
    // (with 1000 naive writers each deadlock costs the server's 1 s deadlock_timeout, and a pool
    // queue drained that slowly turned a 20 s run into 5 minutes).
    let free = poolSize;
    const waiting: Array<(granted: boolean) => void> = [];
    let stoppedAt: number | undefined;
    const stop = (at: number): void => {
      if (stoppedAt !== undefined) return;
      stoppedAt = at;
      emit({ kind: 'time-up', at });
      for (const wake of waiting.splice(0)) wake(false);
    };
    /** Whether time is up, stopping the run the first time it is. */
    const timeUp = (at: number): boolean => {
      if (stoppedAt === undefined && (at >= deadline || opts.signal?.aborted === true)) stop(at);
      return stoppedAt !== undefined;
    };
    const acquire = (): Promise<boolean> | boolean => {
      if (stoppedAt !== undefined) return false;
      if (free > 0) {
        free--;
        return true;
      }
      return new Promise((resolve) => waiting.push(resolve));
    };
    const release = (): void => {
      const next = waiting.shift();
      if (next) next(true);
      else free++;
    };

    // Batches in flight at the end may sit in a chain of lock waits that the server breaks one
    // deadlock_timeout at a time (a 5 s run at 1000 naive writers took over 30 s); after the grace
    // their statements are cancelled, again on every check until they have all ended, because a
    // session between two statements has nothing to cancel yet.
    let cancelling = false;
    let lastCancel: Promise<unknown> = Promise.resolve();
    const check = (): void => {
      const at = now();
      if (!timeUp(at) || inFlight === 0 || cancelling || at < (stoppedAt as number) + drainMs) return;
      cancelling = true;
      lastCancel = cancelActiveQueries(control, applicationName)
        .then((statements) => {
          if (statements > 0) emit({ kind: 'cancel', at, statements });
        })
        // A failed cancel request is tried again on the next check.
        .catch(() => undefined)
        .finally(() => {
          cancelling = false;
        });
    };

    const writer = async (index: number): Promise<void> => {
      const rnd = seededRandom(opts.seed * 100_003 + index);
      for (let round = 0; round < rounds && !timeUp(now()); round++) {
        if (round > maxRound) maxRound = round;
        const rows: PositionRow[] = [];
        for (let i = 0; i < opts.batchSize; i++) {
          const mmsi = mmsiBase + Math.floor(rnd() * opts.vessels);
          rows.push({
            mmsi,
            ts: runBase + round * ROUND_MS + Math.floor(rnd() * ROUND_MS),
            lat: -80 + rnd() * 160,
            lon: -180 + rnd() * 360,
            sog: Math.round(rnd() * 300) / 10,
            cog: Math.round(rnd() * 3600) / 10,
            heading: Math.floor(rnd() * 360),
            navStatus: Math.floor(rnd() * 9),
            source: `writer-${index % 16}`,
            score: Math.round(rnd() * 1000) / 1000,
          });
        }
        const granted = await acquire();
        // The same clock reading decides and stamps the start, so no batch starts past the deadline.
        const t0 = now();
        if (!granted || timeUp(t0)) {
          if (granted) release();
          abandoned++;
          emit({ kind: 'abandoned', writer: index, at: t0 });
          break;
        }
        emit({ kind: 'batch-start', writer: index, at: t0 });
        inFlight++;
        let outcome: BatchOutcome;
        try {
          await store.writeBatch(rows, []);
          batchLatency.recordMs(now() - t0);
          committed++;
          rowsCommitted += rows.length;
          for (const r of rows) expected.add(`${r.mmsi}:${r.ts}`);
          outcome = 'committed';
        } catch (err) {
          const code = sqlState(err);
          if (code === QUERY_CANCELED && stoppedAt !== undefined) {
            cancelled++;
            outcome = 'cancelled';
          } else {
            failed++;
            if (code === DEADLOCK_DETECTED) naiveDeadlocks++;
            else otherErrors++;
            if (samples.size < 5) samples.add(err instanceof Error ? err.message : String(err));
            outcome = 'failed';
          }
        } finally {
          inFlight--;
          release();
        }
        emit({ kind: 'batch-end', writer: index, at: now(), outcome });
      }
    };

    const timer = opts.onProgress ? setInterval(() => opts.onProgress?.(snapshot()), opts.progressIntervalMs ?? 500) : undefined;
    const checker = setInterval(check, CHECK_INTERVAL_MS);
    const onAbort = (): void => check();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(Array.from({ length: opts.concurrency }, (_, i) => writer(i)));
    } finally {
      if (timer) clearInterval(timer);
      clearInterval(checker);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    const final = snapshot();
    opts.onProgress?.(final);
    // A cancel sent while the last writers finished must not reach the count: let it settle,
    // and count from the control pool, whose application_name the cancel never matches.
    await lastCancel;
    const rowsFound = await countPositionsInRange(control, {
      mmsiFrom: mmsiBase,
      mmsiTo: mmsiBase + opts.vessels,
      fromMs: runBase,
      toMs: runBase + (maxRound + 1) * ROUND_MS,
    });
    await store.close();
    return {
      ...final,
      strategy: opts.strategy,
      concurrency: opts.concurrency,
      poolSize,
      durationMs: final.elapsedMs,
      rowsFound,
      rowsMissing: final.writesExpected - rowsFound,
      errorSamples: [...samples],
    };
  } finally {
    await Promise.all([pool.end(), control.end()]);
  }
}
