import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { HistoryStore, HistoryWriteResult, PositionRow, VesselStaticRow } from '../store-types.js';
import { keyPositions, mergeStatics, vesselSpans, type KeyedPosition, type VesselSpan } from './position-batch.js';
import { DEADLOCK_DETECTED, isRetryableTransactionError, sqlState, UNIQUE_VIOLATION } from './retryable-error.js';
import { readPartitionInterval } from './migrator.js';
import { partitionStart } from './partition-interval.js';
import { cogToUnits, coordToUnits, headingStatusToUnits, sogToUnits } from './position-units.js';
import { loadSql, queryConfig, type SqlStatement } from './sql-file.js';
import { resolveSourceIds } from './source-ids.js';
import { copyPositionsToStage } from './stage-copy.js';
import { withTransaction } from './with-transaction.js';
import { DEFAULT_VESSEL_ID_CACHE_SIZE, VesselIdCache, type VesselIdCacheStats } from './vessel-id-cache.js';
import { backoffDelay } from '../../utils/backoff-delay.js';

const sql = (file: string, name: string): SqlStatement => loadSql(new URL(`./sql/${file}`, import.meta.url), name);
const RESOLVE = sql('resolve-vessels.sql', 'aisctl_resolve_vessels');
const SELECT_IDS = sql('select-vessel-ids.sql', 'aisctl_select_vessel_ids');
const TOUCH = sql('touch-vessels.sql', 'aisctl_touch_vessels');
export const WRITE_UNNEST = sql('write-batch-unnest.sql', 'aisctl_write_batch_unnest');
const UPSERT_STAGE = sql('upsert-positions-stage.sql', 'aisctl_upsert_positions_stage');
const CREATE_STAGE = sql('create-stage.sql', 'aisctl_create_stage');
const ENSURE_PARTITIONS = sql('ensure-partitions.sql', 'aisctl_ensure_partitions');
/** Two statements in one simple query: never prepared, only its text is used. */
const BEGIN_WRITE = sql('begin-write.sql', 'aisctl_begin_write');

/** lock_not_available: aisctl_ensure_partitions gave up waiting for the parent's lock. */
const LOCK_NOT_AVAILABLE = '55P03';

/** Partitions created ahead of the clock, so live input never waits for a CREATE. */
export const DEFAULT_PARTITIONS_AHEAD = 2;

/**
 * A partition the writer has seen exist is trusted this long: retention may drop it since (a
 * late row of a dropped day then lands in the default partition until the next check), and one
 * statement per partition per interval is nothing next to the batches.
 */
const PARTITION_RECHECK_MS = 5 * 60_000;

/** How long creating a partition may wait for the parent's lock before the batch goes on without it. */
const DEFAULT_PARTITION_LOCK_WAIT_MS = 2_000;

/** Short: a deadlock costs the other writer little, and retrying soon keeps the batch latency low. */
const DEADLOCK_BACKOFF = { baseMs: 10, maxMs: 500 };

/**
 * Re-runs of a batch after a concurrent writer inserted one of its new keys first (23505).
 * Each re-run's snapshot holds the keys that failed the one before, so a batch fails again only
 * while other writers keep inserting its keys: 8 writers on the same 15,000 keys at once
 * (history-writer.int.test.ts) needed at most 6 in a row in 6 runs. The first re-runs go at
 * once, later ones back off; past the limit the error stands (the resilient sink dead-letters
 * the batch). Never a re-run with ON CONFLICT for every row: see position-write.ctes.sql.
 */
const IMMEDIATE_CONFLICT_RETRIES = 3;
const MAX_CONFLICT_RETRIES = 20;

/** Rows per unnest statement: big enough to amortize the round trip, small enough to stay a sane message. */
const UNNEST_CHUNK = 5_000;

/**
 * `auto` writes batches below this many positions with unnest arrays and larger ones with COPY.
 * A small batch whose vessel ids are all cached is then one statement outside an explicit
 * transaction: one round trip instead of five or six (BEGIN, COPY, its data, the upsert, the
 * vessel touch, COMMIT), which is what latency-mode batches of tens to hundreds of messages
 * spend their time on; COPY's per-row advantage wins on the bulk batches of thousands
 * (measurements in docs/storage.md).
 */
export const AUTO_COPY_MIN_ROWS = 2_000;

export type HistoryWriteMethod = 'copy' | 'unnest' | 'auto';

export interface HistoryWriterOptions {
  readonly pool: pg.Pool;
  /** Vessel-id LRU entries; default DEFAULT_VESSEL_ID_CACHE_SIZE. */
  readonly cacheSize?: number;
  /** Default 'auto': unnest below AUTO_COPY_MIN_ROWS positions, COPY from there (docs/storage.md). */
  readonly method?: HistoryWriteMethod;
  /**
   * Prepared (named) statements are planned once per connection. Set false behind PgBouncer in
   * transaction mode, where consecutive statements may run on different server connections.
   */
  readonly namedStatements?: boolean;
  /** Retries of a batch after a deadlock or serialization failure; default 5. */
  readonly maxDeadlockRetries?: number;
  /**
   * vessels.last_seen is advanced only when a batch moves it by more than this (default 60 s), so
   * a steady feed does not rewrite every vessel row in every batch. 0 keeps it exact.
   */
  readonly lastSeenGranularityMs?: number;
  /** End the pool on close(); default false (the caller owns the pool). */
  readonly ownsPool?: boolean;
  /** Jitter source for retry backoff; injectable for tests. */
  readonly random?: () => number;
  /** Wall clock (ms) for the partitions created ahead of now; injectable for tests. */
  readonly now?: () => number;
  /** Partitions created ahead of the one holding now; default DEFAULT_PARTITIONS_AHEAD. */
  readonly partitionsAhead?: number;
  /**
   * How long creating a partition waits for vessel_positions' lock (a long export holds a lock
   * that conflicts) before giving up; the batch's rows for it then land in the default
   * partition and the next batch tries again. Default 2 s.
   */
  readonly partitionLockWaitMs?: number;
}

export interface HistoryWriter extends HistoryStore {
  cacheStats(): VesselIdCacheStats;
  /** Partitions of vessel_positions this writer created. */
  partitionsCreatedTotal(): number;
  /** Deadlocks (40P01) seen since creation, each followed by a retry or by the batch failing. */
  deadlocksTotal(): number;
  /** Transactions re-run after a deadlock or serialization failure. */
  retriesTotal(): number;
  /** Batch re-runs after a concurrent writer inserted one of the batch's new keys first (23505). */
  conflictRetriesTotal(): number;
}

/**
 * What this writer knows of a vessel row it has written, as bounds that stay true whatever else
 * writes (first_seen only ever decreases and last_seen only increases): stored first_seen <=
 * `first`, stored last_seen >= `last`. A batch whose span lies inside them, with no static
 * data, cannot change the row, so the vessel is left out of touch-vessels.sql altogether.
 * With a steady feed that is ~90 % of the vessels of a batch (last_seen moves once per
 * granularity); the statement shrinks to the rows that change and is skipped when none do.
 */
interface SeenBounds {
  first: number;
  last: number;
}

interface TouchCandidate {
  readonly id: number;
  readonly span: VesselSpan;
  readonly st: VesselStaticRow | null;
}

interface WriteUnnestRow {
  readonly inserted: number;
  readonly updated: number;
  /** Vessel ids `touched` updated (bigint, so strings). */
  readonly touched: string[];
}

interface ResolvedVessels {
  readonly inserted: number;
  /** Mmsis whose vessel row this transaction inserted (first/last seen = the batch span). */
  readonly insertedMmsis: ReadonlySet<number>;
}

/**
 * An array parameter as its array literal text, `{1,2.5,NULL,"a \\"b\\""}`, built in one pass:
 * node-postgres' own array encoding prepares each element and concatenates one string piece at a
 * time, which made it the third-largest allocator of `aisctl load` (sampled heap profile). Numbers
 * print in their shortest round-trip form unquoted (callers truncate or round where the column is
 * integral); strings are always quoted, so the word NULL stays a string.
 */
function arrayLiteral<T>(xs: readonly T[], f: (x: T) => number | string | null, length = xs.length): string {
  const parts = new Array<string>(length);
  for (let i = 0; i < length; i++) {
    const v = f(xs[i] as T);
    parts[i] = v === null ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, '\\$&')}"`;
  }
  return `{${parts.join(',')}}`;
}

/** A one-statement batch inserts no vessel rows. */
const NONE_INSERTED: ReadonlySet<number> = new Set();

/** Parameters $16-$24 of write-batch-unnest.sql, in the stored units (position-units.ts). */
function positionParams(rows: readonly KeyedPosition[]): unknown[] {
  return [
    arrayLiteral(rows, (k) => k.vesselId),
    arrayLiteral(rows, (k) => Math.trunc(k.row.ts)),
    arrayLiteral(rows, (k) => coordToUnits(k.row.lat)),
    arrayLiteral(rows, (k) => coordToUnits(k.row.lon)),
    arrayLiteral(rows, (k) => k.row.score),
    arrayLiteral(rows, (k) => sogToUnits(k.row.sog)),
    arrayLiteral(rows, (k) => cogToUnits(k.row.cog)),
    arrayLiteral(rows, (k) => headingStatusToUnits(k.row.heading, k.row.navStatus)),
    arrayLiteral(rows, (k) => k.sourceId),
  ];
}

/**
 * Parameters $1-$15 of touch-vessels.ctes.sql. `all` holds the candidates with static data first
 * (touchCandidates): the static columns stop after the last of those, and unnest pads the
 * shorter arrays with NULLs, which is what the rest would have held. A bulk batch touches
 * thousands of vessels and carries statics for a few hundred; eleven columns of NULLs for the
 * others were most of the text of this statement (and of its array building, 3 % of the bulk
 * ingest CPU).
 */
function touchParams(all: readonly TouchCandidate[], lastSeenGranularityMs: number): unknown[] {
  let withStatic = 0;
  while (withStatic < all.length && (all[withStatic] as TouchCandidate).st !== null) withStatic++;
  const col = (f: (st: VesselStaticRow) => number | string | null): string => arrayLiteral(all, (t) => f(t.st as VesselStaticRow), withStatic);
  return [
    arrayLiteral(all, (t) => t.id),
    arrayLiteral(all, (t) => Math.trunc(t.span.firstMs)),
    arrayLiteral(all, (t) => Math.trunc(t.span.lastMs)),
    col((s) => Math.trunc(s.ts)),
    col((s) => s.name),
    col((s) => s.callsign),
    col((s) => s.imo),
    col((s) => s.shipType),
    col((s) => s.toBow),
    col((s) => s.toStern),
    col((s) => s.toPort),
    col((s) => s.toStarboard),
    col((s) => s.draught),
    col((s) => s.destination),
    lastSeenGranularityMs,
  ];
}

/** WRITE_UNNEST's parameters for a position write alone (no vessel rows to maintain). */
export function positionUpsertParams(rows: readonly KeyedPosition[]): unknown[] {
  return [...touchParams([], 0), ...positionParams(rows)];
}

/**
 * A server-side SQL error (node-postgres' DatabaseError carries the server's severity) leaves
 * the connection usable unless the server ended the session; anything else (a socket error, a
 * timeout) may have broken it, and the pool must not hand it out again.
 */
function connectionMayBeBroken(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('severity' in err) || sqlState(err) === undefined) return true;
  const severity = (err as { severity: unknown }).severity;
  return severity === 'FATAL' || severity === 'PANIC';
}

export function createHistoryWriter(opts: HistoryWriterOptions): HistoryWriter {
  const pool = opts.pool;
  const method = opts.method ?? 'auto';
  const useCopy = (rows: number): boolean => method === 'copy' || (method === 'auto' && rows >= AUTO_COPY_MIN_ROWS);
  const named = opts.namedStatements ?? true;
  const maxRetries = opts.maxDeadlockRetries ?? 5;
  const random = opts.random ?? Math.random;
  const lastSeenGranularityMs = opts.lastSeenGranularityMs ?? 60_000;
  const cacheSize = opts.cacheSize ?? DEFAULT_VESSEL_ID_CACHE_SIZE;
  const cache = new VesselIdCache(cacheSize);
  // A plain Map, emptied when it outgrows twice the id cache: forgetting bounds is always safe
  // (those vessels go back into the statement), and it is read and written for every vessel of
  // every batch, where lru-cache's recency bookkeeping showed in profiles.
  const seen = new Map<number, SeenBounds>();
  const seenMax = 2 * cacheSize;
  // Connections on which the session-lifetime staging table exists (marked only after a commit,
  // because a CREATE inside a rolled-back transaction is rolled back too).
  const staged = new WeakSet<pg.PoolClient>();
  let deadlocks = 0;
  let retries = 0;
  let conflictRetries = 0;
  let closed = false;
  const now = opts.now ?? Date.now;
  const partitionsAhead = opts.partitionsAhead ?? DEFAULT_PARTITIONS_AHEAD;
  const partitionLockWait = `${opts.partitionLockWaitMs ?? DEFAULT_PARTITION_LOCK_WAIT_MS} milliseconds`;
  let partitionIntervalMs: number | undefined;
  // Partition start (ms) -> when this writer last saw the partition exist.
  const partitionsSeen = new Map<number, number>();
  let partitionsCreated = 0;
  // Source name -> sources.id: a handful of names, each resolved once.
  const sourceIds = new Map<string, number>();

  const q = <R extends pg.QueryResultRow>(client: pg.PoolClient, stmt: SqlStatement, values: readonly unknown[]) =>
    client.query<R>(queryConfig(stmt, values, named));

  /**
   * Adds the ids of `missing` to `known` itself and lists them in `fresh`, so that `attempt`
   * can take them out again when the transaction does not commit (ids its inserts took would
   * not exist). A copy of `known` per batch (10,000 entries) was 100 bytes of garbage per
   * position in `bench:ingest` (sampled heap profile).
   */
  async function resolveVessels(
    client: pg.PoolClient,
    spans: readonly VesselSpan[],
    known: Map<number, number>,
    missing: readonly number[],
    fresh: Map<number, number>,
  ): Promise<ResolvedVessels> {
    if (missing.length === 0) return { inserted: 0, insertedMmsis: new Set() };
    const bySpan = new Map(spans.map((s) => [s.mmsi, s]));
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (const m of missing) {
      const s = bySpan.get(m) as VesselSpan;
      firsts.push(s.firstMs);
      lasts.push(s.lastMs);
    }
    const r = await q<{ id: string; mmsi: number; inserted: boolean }>(client, RESOLVE, [missing, firsts, lasts]);
    let inserted = 0;
    const insertedMmsis = new Set<number>();
    for (const row of r.rows) {
      const id = Number(row.id);
      known.set(row.mmsi, id);
      fresh.set(row.mmsi, id);
      if (row.inserted) {
        inserted++;
        insertedMmsis.add(row.mmsi);
      }
    }
    // By `fresh`, not `known`: what this attempt resolved, whatever a failed one left behind.
    const raced = missing.filter((m) => !fresh.has(m));
    if (raced.length > 0) {
      // Inserted by a concurrent writer after our snapshot: visible to a new statement now.
      const again = await q<{ id: string; mmsi: number }>(client, SELECT_IDS, [raced]);
      for (const row of again.rows) {
        known.set(row.mmsi, Number(row.id));
        fresh.set(row.mmsi, Number(row.id));
      }
      const lost = raced.filter((m) => !fresh.has(m));
      if (lost.length > 0) throw new Error(`could not resolve vessel ids for mmsi ${lost.slice(0, 5).join(', ')}`);
    }
    return { inserted, insertedMmsis };
  }

  /** Position upserts only, in chunks (inside the caller's transaction). */
  async function writePositionsUnnest(client: pg.PoolClient, rows: readonly KeyedPosition[]): Promise<{ inserted: number; updated: number }> {
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < rows.length; start += UNNEST_CHUNK) {
      const r = await q<WriteUnnestRow>(client, WRITE_UNNEST, positionUpsertParams(rows.slice(start, start + UNNEST_CHUNK)));
      inserted += r.rows[0]?.inserted ?? 0;
      updated += r.rows[0]?.updated ?? 0;
    }
    return { inserted, updated };
  }

  async function writePositionsCopy(
    client: pg.PoolClient,
    rows: readonly KeyedPosition[],
  ): Promise<{ inserted: number; updated: number; createdStage: boolean }> {
    let createdStage = false;
    // Behind PgBouncer (unnamed mode) this session may be any server connection, which may or
    // may not hold the table already: IF NOT EXISTS on every batch covers both.
    if (!named) await client.query(CREATE_STAGE.text);
    else if (!staged.has(client)) {
      await client.query(CREATE_STAGE.text);
      createdStage = true;
    }
    await copyPositionsToStage(client, rows);
    const r = await q<{ inserted: number; updated: number }>(client, UPSERT_STAGE, []);
    return { inserted: r.rows[0]?.inserted ?? 0, updated: r.rows[0]?.updated ?? 0, createdStage };
  }

  /**
   * Vessels of the batch whose row may need an update (see SeenBounds): those with static data
   * first (touchParams), each part sorted by id. The order is not the lock order: the statement
   * locks the rows in id order itself (touch-vessels.ctes.sql).
   */
  function touchCandidates(spans: readonly VesselSpan[], ids: ReadonlyMap<number, number>, statics: readonly VesselStaticRow[]): TouchCandidate[] {
    const merged = statics.length === 0 ? null : mergeStatics(statics);
    const out: TouchCandidate[] = [];
    for (const span of spans) {
      const id = ids.get(span.mmsi) as number;
      const st = merged?.get(span.mmsi) ?? null;
      if (st === null) {
        const b = seen.get(id);
        if (b !== undefined && span.firstMs >= b.first && span.lastMs - lastSeenGranularityMs <= b.last) continue;
      }
      out.push({ id, span, st });
    }
    return out.sort((a, b) => (a.st === null ? 1 : 0) - (b.st === null ? 1 : 0) || a.id - b.id);
  }

  /** Returns the ids updated. */
  async function touchVessels(client: pg.PoolClient, all: readonly TouchCandidate[]): Promise<Set<number>> {
    if (all.length === 0) return new Set();
    const r = await q<{ id: string }>(client, TOUCH, touchParams(all, lastSeenGranularityMs));
    return new Set(r.rows.map((row) => Number(row.id)));
  }

  /**
   * The whole batch as one statement outside an explicit transaction (it commits on its own):
   * for unnest-sized batches whose vessel ids are all cached.
   */
  async function writeInOneStatement(
    positions: readonly PositionRow[],
    statics: readonly VesselStaticRow[],
    spans: readonly VesselSpan[],
    ids: Map<number, number>,
  ): Promise<Omit<HistoryWriteResult, 'deadlocks'>> {
    const keyed = keyPositions(positions, ids, sourceIds);
    const candidates = touchCandidates(spans, ids, statics);
    const client = await pool.connect();
    let broken: Error | undefined;
    let r: pg.QueryResult<WriteUnnestRow>;
    try {
      r = await q<WriteUnnestRow>(client, WRITE_UNNEST, [...touchParams(candidates, lastSeenGranularityMs), ...positionParams(keyed)]);
    } catch (err) {
      if (connectionMayBeBroken(err)) broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
    const row = r.rows[0];
    const inserted = row?.inserted ?? 0;
    const updated = row?.updated ?? 0;
    rememberSeen(spans, ids, NONE_INSERTED, candidates, new Set((row?.touched ?? []).map(Number)));
    return { positionsInserted: inserted, positionsUpdated: updated, positionsSkipped: positions.length - inserted - updated, vesselsInserted: 0 };
  }

  /** After a commit: what the batch proved about each vessel row it considered. */
  function rememberSeen(
    spans: readonly VesselSpan[],
    ids: ReadonlyMap<number, number>,
    inserted: ReadonlySet<number>,
    candidates: readonly TouchCandidate[],
    updated: ReadonlySet<number>,
  ): void {
    for (const t of candidates) {
      // Updated: first_seen <= firstMs and last_seen >= lastMs now. Left alone: the row was
      // already within the granularity, last_seen >= lastMs - granularity.
      const last = updated.has(t.id) ? t.span.lastMs : t.span.lastMs - lastSeenGranularityMs;
      widen(t.id, t.span.firstMs, last);
    }
    for (const span of spans) {
      // Inserted by this batch with exactly its span.
      if (inserted.has(span.mmsi)) widen(ids.get(span.mmsi) as number, span.firstMs, span.lastMs);
    }
  }

  function widen(id: number, first: number, last: number): void {
    const b = seen.get(id);
    if (b === undefined) {
      if (seen.size >= seenMax) seen.clear();
      seen.set(id, { first, last });
    } else {
      if (first < b.first) b.first = first;
      if (last > b.last) b.last = last;
    }
  }

  async function attempt(
    positions: readonly PositionRow[],
    statics: readonly VesselStaticRow[],
    spans: readonly VesselSpan[],
    known: Map<number, number>,
    missing: readonly number[],
  ): Promise<Omit<HistoryWriteResult, 'deadlocks'>> {
    // The ids this attempt resolves: cached once it commits, taken out of `known` if it does not.
    const fresh = new Map<number, number>();
    const done = await withTransaction(
      pool,
      async (client) => {
        // Phase order is the same in every transaction (vessel inserts by mmsi, positions by
        // (vessel, ts), vessel updates by id), so no two writers can wait on each other in a cycle.
        const resolved = await resolveVessels(client, spans, known, missing, fresh);
        const keyed = keyPositions(positions, known, sourceIds);
        let counts = { inserted: 0, updated: 0 };
        let createdStage = false;
        if (keyed.length > 0) {
          if (useCopy(keyed.length)) {
            const r = await writePositionsCopy(client, keyed);
            counts = r;
            createdStage = r.createdStage;
          } else counts = await writePositionsUnnest(client, keyed);
        }
        // Vessel rows are updated last so their row locks are held only until the commit.
        const candidates = touchCandidates(spans, known, statics);
        const updated = await touchVessels(client, candidates);
        return { client, resolved, counts, createdStage, candidates, updated };
      },
      BEGIN_WRITE.text,
    ).catch((err: unknown) => {
      // Not committed: the ids this transaction inserted do not exist; a retry resolves again.
      for (const mmsi of fresh.keys()) known.delete(mmsi);
      throw err;
    });
    // Only now, after the commit. The connection is already back in the pool, so another writer
    // may create the table once more before it is marked here: IF NOT EXISTS makes that harmless.
    if (done.createdStage) staged.add(done.client);
    cache.addAll(fresh);
    rememberSeen(spans, known, done.resolved.insertedMmsis, done.candidates, done.updated);
    return {
      positionsInserted: done.counts.inserted,
      positionsUpdated: done.counts.updated,
      positionsSkipped: positions.length - done.counts.inserted - done.counts.updated,
      vesselsInserted: done.resolved.inserted,
    };
  }

  /**
   * Creates the partitions the batch's rows (and the next few intervals from now) fall into,
   * those not seen recently, in a statement of its own before the batch's transaction.
   */
  async function ensurePartitions(positions: readonly PositionRow[]): Promise<void> {
    partitionIntervalMs ??= (await readPartitionInterval(pool)) * 1000;
    const step = partitionIntervalMs;
    const t = now();
    const starts = new Set<number>();
    const current = partitionStart(t, step);
    for (let i = 0; i <= partitionsAhead; i++) starts.add(current + i * step);
    for (const p of positions) starts.add(partitionStart(p.ts, step));
    const wanted: number[] = [];
    for (const s of starts) {
      const seenAt = partitionsSeen.get(s);
      if (seenAt === undefined || t - seenAt > PARTITION_RECHECK_MS) wanted.push(s);
    }
    if (wanted.length === 0) return;
    wanted.sort((a, b) => a - b);
    try {
      const r = await pool.query<{ created: number }>(queryConfig(ENSURE_PARTITIONS, [wanted, partitionLockWait], named));
      partitionsCreated += r.rows[0]?.created ?? 0;
    } catch (err) {
      // Rows for the missing partitions land in the default one; the next batch tries again.
      const state = sqlState(err);
      if (state === LOCK_NOT_AVAILABLE || state === DEADLOCK_DETECTED) return;
      throw err;
    }
    if (partitionsSeen.size > 10_000) partitionsSeen.clear();
    for (const s of wanted) partitionsSeen.set(s, t);
  }

  return {
    async writeBatch(positions, statics) {
      if (closed) throw new Error('history writer is closed');
      if (positions.length === 0 && statics.length === 0) {
        return { positionsInserted: 0, positionsUpdated: 0, positionsSkipped: 0, vesselsInserted: 0, deadlocks: 0 };
      }
      if (positions.length > 0) {
        await resolveSourceIds(
          pool,
          sourceIds,
          positions.map((p) => p.source),
          named,
        );
        await ensurePartitions(positions);
      }
      const spans = vesselSpans(positions, statics);
      const { known, missing } = cache.lookup(spans.map((s) => s.mmsi));
      let batchDeadlocks = 0;
      // Every vessel id cached and a batch unnest takes in one statement: one round trip.
      const oneStatement = missing.length === 0 && !useCopy(positions.length) && positions.length <= UNNEST_CHUNK;
      // A concurrent writer's insert of one of the batch's new keys fails the statement with
      // 23505 (position-write.ctes.sql): run it again, its new snapshot holds that key.
      let conflicts = 0;
      for (let n = 0; ; n++) {
        try {
          const r = oneStatement ? await writeInOneStatement(positions, statics, spans, known) : await attempt(positions, statics, spans, known, missing);
          return { ...r, deadlocks: batchDeadlocks };
        } catch (err) {
          if (sqlState(err) === UNIQUE_VIOLATION && conflicts < MAX_CONFLICT_RETRIES) {
            conflicts++;
            conflictRetries++;
            n--;
            // At once first; a batch whose keys other writers keep inserting backs off.
            if (conflicts > IMMEDIATE_CONFLICT_RETRIES) await sleep(backoffDelay(conflicts - IMMEDIATE_CONFLICT_RETRIES, DEADLOCK_BACKOFF, random));
            continue;
          }
          if (sqlState(err) === DEADLOCK_DETECTED) {
            deadlocks++;
            batchDeadlocks++;
          }
          if (!isRetryableTransactionError(err) || n >= maxRetries) throw err;
          retries++;
          await sleep(backoffDelay(n + 1, DEADLOCK_BACKOFF, random));
        }
      }
    },
    async close() {
      closed = true;
      if (opts.ownsPool) await pool.end();
    },
    cacheStats: () => cache.stats(),
    partitionsCreatedTotal: () => partitionsCreated,
    deadlocksTotal: () => deadlocks,
    retriesTotal: () => retries,
    conflictRetriesTotal: () => conflictRetries,
  };
}
