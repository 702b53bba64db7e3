/**
 * `aisctl dlq stats|replay|purge [--which pending|parked|all] [--spool-dir DIR] [--json]`:
 * the operator's handle on the dead-letter queue (Redis, plus the local spool used while Redis
 * was down).
 *
 * - stats: counts, the age of the oldest entry, and the parked entries with their last errors.
 * - replay: replay rounds until the queue is empty or only entries that are not due yet
 *   (backing off) or still failing remain; `--which parked|all` first puts parked entries back
 *   (attempts reset), for use after fixing what made them fail. Exit 1 when entries remain that
 *   nobody is replaying; entries leased by another replayer are reported, not counted as failures.
 * - purge: deletes entries for good (`--which`, default pending; pending includes the spool).
 */
import type { RedisClient } from '../../store/connections.js';
import {
  DEFAULT_SPOOL_DIR,
  PURGE_SCOPES,
  type DeadLetterEntry,
  type DeadLetterStats,
  type PurgeScope,
} from '../../resilience/dead-letter/dead-letter-queue.js';
import type { FailoverDeadLetterQueue } from '../../resilience/dead-letter/failover-dead-letter-queue.js';
import type { ReplayEvent } from '../../resilience/dead-letter/dlq-replayer.js';
import { connectionConfig, UsageError, type ConnectionConfig, type ConnectionFlags } from '../config.js';
import { formatAge, formatIso, formatTable, printJson, printLines } from '../print-table.js';
import { errorMessage } from '../../errors/error-message.js';

interface DlqOptions extends ConnectionFlags {
  which?: string;
  spoolDir?: string;
  json?: boolean;
}

const ACTIONS = ['stats', 'replay', 'purge'] as const;
type Action = (typeof ACTIONS)[number];
/** Parked entries listed by `stats`. */
const LIST_PARKED = 50;
/** Bounds a replay whose entries keep splitting or coming due (each round claims up to 100). */
const MAX_ROUNDS = 10_000;
/** Per-entry lines printed by `replay` besides the totals. */
const MAX_EVENT_LINES = 20;
/** Payloads read per HMGET when telling leased entries from backing-off ones. */
const LEASE_READ_CHUNK = 500;

function parseAction(a: string): Action {
  if (!(ACTIONS as readonly string[]).includes(a)) throw new UsageError(`dlq action must be one of ${ACTIONS.join(', ')}: got '${a}'`);
  return a as Action;
}

function parseScope(w: string | undefined): PurgeScope {
  const v = w ?? 'pending';
  if (!(PURGE_SCOPES as readonly string[]).includes(v)) throw new UsageError(`--which must be one of ${PURGE_SCOPES.join(', ')}: got '${v}'`);
  return v as PurgeScope;
}

function rows(e: DeadLetterEntry): number {
  return e.positions.length + e.statics.length;
}

export interface ParkedEntryView {
  readonly id: string;
  readonly target: string;
  readonly rows: number;
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly lastError: string;
}

export function parkedView(e: DeadLetterEntry): ParkedEntryView {
  return { id: e.id, target: e.target, rows: rows(e), attempts: e.attempts, firstFailedAt: formatIso(e.firstFailedAt), lastError: e.lastError };
}

function statsLines(s: DeadLetterStats, env: string, spoolDir: string): string[] {
  return [
    `dead-letter queue (env ${env}; spool ${spoolDir}):`,
    `  pending  ${s.pending}`,
    `  parked   ${s.parked}`,
    `  spooled  ${s.spooled}${s.corruptSpoolLines > 0 ? ` (${s.corruptSpoolLines} corrupt spool lines skipped)` : ''}`,
    `  oldest   ${s.oldestAgeMs === null ? '-' : `${formatAge(s.oldestAgeMs)} ago`}`,
  ];
}

async function openQueue(cfg: ConnectionConfig, redis: RedisClient, spoolDir: string, warn: (m: string) => void): Promise<FailoverDeadLetterQueue> {
  const { createFailoverDeadLetterQueue } = await import('../../resilience/dead-letter/failover-dead-letter-queue.js');
  return createFailoverDeadLetterQueue({
    redis,
    env: cfg.env,
    spool: { dir: spoolDir },
    onCorrupt: (id, reason) => warn(`dead-letter entry ${id} unreadable (${reason}); moved to parked`),
  });
}

function warnLine(message: string): void {
  process.stderr.write(`aisctl dlq: ${message}\n`);
}

async function stats(cfg: ConnectionConfig, spoolDir: string, json: boolean): Promise<number> {
  const { openRedis } = await import('../../store/connections.js');
  let redis: RedisClient;
  try {
    redis = await openRedis(cfg.redisUrl, { cluster: cfg.redisCluster });
  } catch (err) {
    // The spool is local: its part of the answer is still worth showing during a Redis outage.
    const { openDeadLetterSpool } = await import('../../resilience/dead-letter/dead-letter-spool.js');
    const spool = openDeadLetterSpool({ dir: spoolDir });
    try {
      const s = await spool.stats();
      if (json) printJson({ env: cfg.env, spoolDir: spool.dir, redisReachable: false, error: errorMessage(err), spooled: s.spooled });
      else printLines([`spooled ${s.spooled} entries in ${spool.dir}; pending and parked unknown:`]);
    } finally {
      await spool.close();
    }
    throw err;
  }
  const dlq = await openQueue(cfg, redis, spoolDir, warnLine);
  try {
    const s = await dlq.stats(Date.now());
    const parked = s.parked > 0 ? await dlq.listParked(LIST_PARKED) : [];
    if (json) {
      printJson({ env: cfg.env, spoolDir: dlq.spool.dir, ...s, parkedEntries: parked.map(parkedView) });
      return 0;
    }
    const lines = statsLines(s, cfg.env, dlq.spool.dir);
    if (parked.length > 0) {
      lines.push(
        '',
        `parked entries${s.parked > parked.length ? ` (first ${parked.length} of ${s.parked})` : ''}: fix the cause, then \`aisctl dlq replay --which parked\``,
      );
      lines.push(
        ...formatTable(
          [
            { header: 'ID' },
            { header: 'TARGET' },
            { header: 'ROWS', align: 'right' },
            { header: 'ATTEMPTS', align: 'right' },
            { header: 'FIRST FAILED' },
            { header: 'LAST ERROR' },
          ],
          parked.map(parkedView).map((p) => [p.id, p.target, String(p.rows), String(p.attempts), p.firstFailedAt, p.lastError]),
          '  ',
        ),
      );
    }
    printLines(lines);
    return 0;
  } finally {
    await dlq.close();
    redis.disconnect();
  }
}

async function purge(cfg: ConnectionConfig, spoolDir: string, which: PurgeScope, json: boolean): Promise<number> {
  const { openRedis } = await import('../../store/connections.js');
  const redis = await openRedis(cfg.redisUrl, { cluster: cfg.redisCluster });
  const dlq = await openQueue(cfg, redis, spoolDir, warnLine);
  try {
    const purged = await dlq.purge(which);
    const after = await dlq.stats(Date.now());
    if (json) printJson({ env: cfg.env, spoolDir: dlq.spool.dir, which, purged, remaining: after });
    else
      printLines([
        `purged ${purged} ${which} dead-letter entr${purged === 1 ? 'y' : 'ies'}${which === 'parked' ? '' : ' (including the local spool)'}`,
        ...statsLines(after, cfg.env, dlq.spool.dir),
      ]);
    return 0;
  } finally {
    await dlq.close();
    redis.disconnect();
  }
}

/** Pending Redis entries split by whether a replayer holds them. */
export interface PendingLeases {
  /** Claimed and still under lease: another replayer is writing them (or died, and they come due at `leasedUntil`). */
  readonly leased: number;
  /** Due, or backing off after a failure: nobody is working on them. */
  readonly unleased: number;
  /** When the last of those leases ends, ms since epoch; null without leases. */
  readonly leasedUntil: number | null;
}

function storedDueTime(payload: string): number | null {
  try {
    const v: unknown = JSON.parse(payload);
    if (typeof v === 'object' && v !== null && 'nextAttemptAt' in v && typeof v.nextAttemptAt === 'number') return v.nextAttemptAt;
  } catch {
    // unreadable: the next claim parks it; it is not under a lease
  }
  return null;
}

/**
 * A claim (dlq-claim.lua) moves the entry's score in the pending zset to the end of its lease but
 * leaves the stored entry as it was, due by then. Everything else that writes an entry (enqueue,
 * reschedule, requeue) writes score and stored due time together. So an entry not due whose score
 * is later than its own `nextAttemptAt` is leased, and one whose score equals it is backing off.
 */
export async function pendingLeases(redis: RedisClient, env: string, now: number): Promise<PendingLeases> {
  const { deadLetterKeyLayoutOf, redisDeadLetterKeys } = await import('../../resilience/dead-letter/redis-dead-letter-queue.js');
  const k = redisDeadLetterKeys(env, deadLetterKeyLayoutOf(redis));
  // One MULTI: an entry claimed between two separate reads would be counted as due and as leased.
  const res = await redis.multi().zcount(k.pending, '-inf', now).zrangebyscore(k.pending, `(${now}`, '+inf', 'WITHSCORES').exec();
  if (res === null) throw new Error('Redis MULTI was aborted (EXEC returned null)');
  const [due, later] = res.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
  const flat = Array.isArray(later) ? later.map(String) : [];
  let unleased = Number(due ?? 0);
  let leased = 0;
  let leasedUntil: number | null = null;
  for (let i = 0; i < flat.length; i += 2 * LEASE_READ_CHUNK) {
    const slice = flat.slice(i, i + 2 * LEASE_READ_CHUNK);
    const ids = slice.filter((_, j) => j % 2 === 0);
    const payloads = await redis.hmget(k.payloads, ...ids);
    payloads.forEach((payload, j) => {
      // Gone since the range was read: completed, split or parked by whoever held it.
      if (payload === null) return;
      const score = Number(slice[2 * j + 1]);
      const dueAt = storedDueTime(payload);
      if (dueAt !== null && dueAt < score) {
        leased++;
        leasedUntil = Math.max(leasedUntil ?? score, score);
      } else {
        unleased++;
      }
    });
  }
  return { leased, unleased, leasedUntil };
}

export interface ReplaySummary {
  requeuedParked: number;
  rounds: number;
  claimed: number;
  replayed: number;
  replayedRows: number;
  retried: number;
  deferred: number;
  split: number;
  parked: number;
  spoolHandedOff: number;
  queueUnavailable: boolean;
  remaining: DeadLetterStats | null;
  /** Pending entries another replayer holds a lease on when this one stops; null when unknown. */
  leased: number | null;
  leasedUntil: string | null;
  events: string[];
}

function describeEvent(e: ReplayEvent): string | null {
  switch (e.type) {
    case 'replayed':
      return null;
    case 'retry':
      return `retry    ${e.entry.id} (${e.entry.target}, ${rows(e.entry)} rows) at ${formatIso(e.nextAttemptAt)}: ${e.error}`;
    case 'deferred':
      return `deferred ${e.entry.id} (${e.entry.target} unavailable): ${e.error}`;
    case 'split':
      return `split    ${e.entry.id} (${rows(e.entry)} rows refused; halves retried to isolate the bad row): ${e.error}`;
    case 'parked':
      return `parked   ${e.entry.id} (${e.entry.target}, ${rows(e.entry)} rows) after ${e.entry.attempts} attempts: ${e.error}`;
    case 'queue-unavailable':
      return `queue unavailable: ${e.error}`;
    case 'spool-handed-off':
      return `moved ${e.entries} spooled entries to Redis${e.corrupt > 0 ? ` (${e.corrupt} corrupt lines skipped)` : ''}`;
  }
}

async function replay(cfg: ConnectionConfig, spoolDir: string, which: PurgeScope, json: boolean): Promise<number> {
  const { openRuntime } = await import('../../pipeline/pipeline-runtime.js');
  const { createDlqReplayer } = await import('../../resilience/dead-letter/dlq-replayer.js');
  const runtime = await openRuntime({ ...cfg, spoolDir, replay: false, poolMax: 4, onWarning: warnLine });
  const summary: ReplaySummary = {
    requeuedParked: 0,
    rounds: 0,
    claimed: 0,
    replayed: 0,
    replayedRows: 0,
    retried: 0,
    deferred: 0,
    split: 0,
    parked: 0,
    spoolHandedOff: 0,
    queueUnavailable: false,
    remaining: null,
    leased: null,
    leasedUntil: null,
    events: [],
  };
  let leases: PendingLeases | null = null;
  let eventsDropped = 0;
  try {
    const replayer = createDlqReplayer({
      dlq: runtime.dlq,
      breakers: runtime.breakers,
      onEvent: (e) => {
        const text = describeEvent(e);
        if (text === null) return;
        if (summary.events.length < MAX_EVENT_LINES) summary.events.push(text);
        else eventsDropped++;
      },
    });
    if (which !== 'pending') summary.requeuedParked = await runtime.dlq.requeueParked(Date.now());
    const targets = { postgres: runtime.history, redis: runtime.hot };
    while (summary.rounds < MAX_ROUNDS) {
      const r = await replayer.replayOnce(targets);
      summary.rounds++;
      summary.claimed += r.claimed;
      summary.replayed += r.replayed;
      summary.replayedRows += r.replayedPositions;
      summary.retried += r.retried;
      summary.deferred += r.deferred;
      summary.split += r.split;
      summary.parked += r.parked;
      summary.spoolHandedOff += r.spoolHandedOff;
      if (r.queueUnavailable) {
        summary.queueUnavailable = true;
        break;
      }
      // Nothing came due: what is left is backing off (retry/deferred) or parked.
      if (r.claimed === 0 && r.spoolHandedOff === 0) break;
    }
    summary.remaining = await runtime.dlq.stats(Date.now()).catch(() => null);
    // This replayer settles every entry it claims before its round ends, so any lease still held
    // is another process's: those entries are being replayed, not left behind.
    leases = await pendingLeases(runtime.redis, cfg.env, Date.now()).catch(() => null);
    summary.leased = leases?.leased ?? null;
    summary.leasedUntil = leases === null || leases.leasedUntil === null ? null : formatIso(leases.leasedUntil);
  } finally {
    await runtime.close();
  }
  if (eventsDropped > 0) summary.events.push(`... and ${eventsDropped} more`);
  const left = summary.remaining === null || leases === null ? null : leases.unleased + summary.remaining.spooled;
  const clean = !summary.queueUnavailable && left === 0 && summary.parked === 0;
  if (json) {
    printJson({ env: cfg.env, which, ok: clean, ...summary });
    return clean ? 0 : 1;
  }
  const lines = [
    `replayed ${summary.replayed} entr${summary.replayed === 1 ? 'y' : 'ies'} (${summary.replayedRows} positions) in ${summary.rounds} round${summary.rounds === 1 ? '' : 's'}` +
      (summary.requeuedParked > 0 ? `, after requeueing ${summary.requeuedParked} parked` : '') +
      (summary.spoolHandedOff > 0 ? `; ${summary.spoolHandedOff} moved from the spool` : ''),
    `retried later ${summary.retried}, deferred (dependency down) ${summary.deferred}, split ${summary.split}, parked ${summary.parked}`,
    ...summary.events.map((e) => `  ${e}`),
  ];
  if (summary.remaining) lines.push(...statsLines(summary.remaining, cfg.env, runtime.dlq.spool.dir));
  if (leases !== null && leases.leased > 0) {
    lines.push(
      `${leases.leased} entr${leases.leased === 1 ? 'y is' : 'ies are'} being replayed by another process (leased until ${formatIso(leases.leasedUntil)}; ` +
        'if that process died they come due again then)',
    );
  }
  if (summary.queueUnavailable) lines.push('stopped: the Redis queue became unavailable; run again once Redis answers');
  else if (!clean)
    lines.push(
      'entries remain: they are backing off or parked; see `aisctl dlq stats`, run replay again later, or fix the cause and `aisctl dlq replay --which parked`',
    );
  printLines(lines);
  return clean ? 0 : 1;
}

export async function run(actionArg: string, opts: DlqOptions): Promise<number> {
  const action = parseAction(actionArg);
  const which = parseScope(opts.which);
  const cfg = connectionConfig(opts);
  const spoolDir = opts.spoolDir ?? DEFAULT_SPOOL_DIR;
  const json = opts.json === true;
  switch (action) {
    case 'stats':
      return stats(cfg, spoolDir, json);
    case 'purge':
      return purge(cfg, spoolDir, which, json);
    case 'replay':
      return replay(cfg, spoolDir, which, json);
  }
}
