import type pg from 'pg';
import { DEADLOCK_DETECTED, sqlState } from './retryable-error.js';
import { loadSql } from './sql-file.js';
import { startSerialSchedule, type SerialSchedule } from '../../utils/serial-schedule.js';

const CUT = loadSql(new URL('./sql/retention-cut.sql', import.meta.url), 'aisctl_retention_cut');
const CANDIDATES = loadSql(new URL('./sql/retention-candidates.sql', import.meta.url), 'aisctl_retention_candidates');
const DROP = loadSql(new URL('./sql/drop-position-partition.sql', import.meta.url), 'aisctl_drop_position_partition');
const ADOPT = loadSql(new URL('./sql/adopt-default-rows.sql', import.meta.url), 'aisctl_adopt_default_rows');
const COMPACTION = loadSql(new URL('./sql/compaction-candidates.sql', import.meta.url), 'aisctl_compaction_candidates');
const INDEX_SIZE = loadSql(new URL('./sql/index-size.sql', import.meta.url), 'aisctl_index_size');

/** lock_not_available: the partition's DROP gave up waiting for vessel_positions' lock. */
const LOCK_NOT_AVAILABLE = '55P03';

/** How long one DROP waits for readers and writers to let go of vessel_positions. */
export const DEFAULT_RETENTION_LOCK_WAIT_MS = 5_000;

export interface RetentionOptions {
  /** History kept, ms: partitions whose upper bound is at or before now - keep are dropped. */
  readonly keepMs: number;
  /** List only. */
  readonly dryRun?: boolean;
  readonly lockWaitMs?: number;
  /**
   * Rebuild the primary key of partitions closed for at least COMPACT_AFTER_MS, once each
   * (default true): see compactClosedPartitions.
   */
  readonly compact?: boolean;
}

export interface CompactedPartition {
  readonly name: string;
  readonly indexBytesBefore: number;
  readonly indexBytesAfter: number;
}

export interface RetentionPartition {
  readonly name: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Rows, estimated from the statistics (no scan). */
  readonly rowsEstimate: number;
  readonly bytes: number;
}

export interface RetentionResult {
  /** now - keep by the server's clock, ms. */
  readonly cutMs: number;
  readonly dryRun: boolean;
  /** Dropped, or with dryRun the partitions that would be. */
  readonly dropped: readonly RetentionPartition[];
  /** Due but not dropped: vessel_positions' lock was not granted within the wait (retried next run). */
  readonly busy: readonly RetentionPartition[];
  /** Partitions whose primary key was rebuilt compact (with dryRun: would be). */
  readonly compacted: readonly CompactedPartition[];
}

/** A partition is compacted once its time has been over for this long (late rows are rare by then). */
export const COMPACT_AFTER_MS = 3_600_000;

/**
 * Drops the partitions of vessel_positions wholly older than now - keep, each in its own short
 * transaction (no row is ever deleted one by one, so nothing is left for vacuum). A partition
 * straddling the cut stays until all of it is older; the default partition is never dropped.
 */
export async function applyRetention(pool: pg.Pool, opts: RetentionOptions): Promise<RetentionResult> {
  const keep = `${Math.trunc(opts.keepMs)} milliseconds`;
  const dryRun = opts.dryRun ?? false;
  const lockWait = `${opts.lockWaitMs ?? DEFAULT_RETENTION_LOCK_WAIT_MS} milliseconds`;
  // Strays of the default partition first, into partitions of their own: then they are dropped
  // with their time range like every other row. Busy: they wait for the next run.
  if (!dryRun) {
    await pool.query(ADOPT.text, [lockWait]).catch((err: unknown) => {
      const state = sqlState(err);
      if (state !== LOCK_NOT_AVAILABLE && state !== DEADLOCK_DETECTED) throw err;
    });
  }
  const cutMs = Number((await pool.query<{ cut_ms: number }>(CUT.text, [keep])).rows[0]?.cut_ms);
  const rows = (await pool.query<{ name: string; from_ms: number; to_ms: number; estimate: string; bytes: string }>(CANDIDATES.text, [cutMs])).rows;
  const due = rows.map((r) => ({ name: r.name, fromMs: r.from_ms, toMs: r.to_ms, rowsEstimate: Number(r.estimate), bytes: Number(r.bytes) }));
  const compact = opts.compact ?? true;
  if (dryRun) {
    const wouldCompact = compact ? (await compactionCandidates(pool)).filter((c) => !due.some((d) => d.name === c.partition)) : [];
    return {
      cutMs,
      dryRun,
      dropped: due,
      busy: [],
      compacted: wouldCompact.map((c) => ({ name: c.partition, indexBytesBefore: c.index_bytes, indexBytesAfter: c.index_bytes })),
    };
  }
  const dropped: RetentionPartition[] = [];
  const busy: RetentionPartition[] = [];
  for (const p of due) {
    try {
      const r = await pool.query<{ dropped: boolean }>(DROP.text, [p.name, cutMs, lockWait]);
      if (r.rows[0]?.dropped) dropped.push(p);
    } catch (err) {
      if (sqlState(err) !== LOCK_NOT_AVAILABLE) throw err;
      busy.push(p);
    }
  }
  return { cutMs, dryRun, dropped, busy, compacted: compact ? await compactClosedPartitions(pool) : [] };
}

async function compactionCandidates(pool: pg.Pool): Promise<{ partition: string; index_name: string; index_bytes: number }[]> {
  return (await pool.query<{ partition: string; index_name: string; index_bytes: number }>(COMPACTION.text, [`${COMPACT_AFTER_MS} milliseconds`])).rows;
}

/**
 * Rebuilds the (vessel_id, ts) primary key of each closed partition once, at fillfactor 100.
 * Ingest inserts into every vessel's stretch of that index at once, so its leaves split in the
 * middle and stay 55-60 % full (measured: 48 B of index per position against 33 B after a
 * rebuild, bench/history-bytes.bench.ts); a partition whose time is over takes almost no more
 * inserts, so its leaves can be packed full. REINDEX CONCURRENTLY: reads and late writes go
 * on while it runs (it cannot run inside a transaction, so it is one statement per index; the
 * index name comes from the catalog and is quoted).
 */
export async function compactClosedPartitions(pool: pg.Pool): Promise<CompactedPartition[]> {
  const done: CompactedPartition[] = [];
  for (const c of await compactionCandidates(pool)) {
    const client = await pool.connect();
    try {
      const index = client.escapeIdentifier(c.index_name);
      await client.query(`ALTER INDEX ${index} SET (fillfactor = 100)`);
      try {
        await client.query(`REINDEX INDEX CONCURRENTLY ${index}`);
      } catch (err) {
        // Not compacted after all: leave it to the next run.
        await client.query(`ALTER INDEX ${index} RESET (fillfactor)`).catch(() => undefined);
        throw err;
      }
      const after = Number((await client.query<{ bytes: number }>(INDEX_SIZE.text, [c.index_name])).rows[0]?.bytes);
      done.push({ name: c.partition, indexBytesBefore: c.index_bytes, indexBytesAfter: after });
    } finally {
      client.release();
    }
  }
  return done;
}

/** `serve --retention`: how often retention runs (and once at start). */
export const RETENTION_EVERY_MS = 3_600_000;

/** Runs retention now and then every `everyMs`, one run at a time; a failed run is reported and the next one tries again. */
export function startRetentionSchedule(
  pool: pg.Pool,
  opts: RetentionOptions & { readonly everyMs?: number; readonly onResult: (r: RetentionResult) => void; readonly onError: (err: unknown) => void },
): SerialSchedule {
  return startSerialSchedule(opts.everyMs ?? RETENTION_EVERY_MS, () => applyRetention(pool, opts), opts.onResult, opts.onError);
}
