/**
 * The end-of-ingest summary: what was read, what became of every message, and the reconciliation
 * that proves nothing was lost: messages = duplicates + refused by fusion + rows handed to the
 * stores, and rows handed to PostgreSQL = inserted + updated + already present + dead-lettered.
 */
import type { IngestTotals } from '../pipeline/ingest-runner.js';
import type { PipelineRuntime } from '../pipeline/pipeline-runtime.js';
import type { LatencySummary } from './reporters/reporter.js';
import type { PgBouncerDiagnosis } from '../store/postgres/pgbouncer-symptom.js';

export interface IngestSummary {
  readonly durationMs: number;
  /** What was read: the runner's totals, with the examples under a name that says what they are. */
  readonly input: Omit<IngestTotals, 'examples' | 'aborted' | 'failedFiles' | 'stoppedOnFailure'> & { readonly rejectionExamples: string[] };
  readonly fusion: {
    readonly live: number;
    readonly history: number;
    readonly upgrades: number;
    readonly duplicates: number;
    readonly refused: number;
    readonly sourceQuality: Readonly<Record<string, number>>;
  };
  readonly stored: {
    readonly positionsInserted: number;
    readonly positionsUpdated: number;
    readonly positionsAlreadyPresent: number;
    readonly vesselsInserted: number;
    readonly staticsWritten: number;
    readonly redisApplied: number;
    readonly redisStale: number;
    readonly deadLetteredBatches: { readonly postgres: number; readonly redis: number };
    readonly dlqRemaining: number;
  };
  /**
   * Null when every message was stored or durably dead-lettered. Otherwise how many were not,
   * the first reason, and which store's part was lost (PostgreSQL may hold every row of a batch
   * whose live state in Redis was lost). Reading stopped at the first such batch.
   */
  readonly notStored: {
    readonly messages: number;
    readonly batches: number;
    readonly lostParts: { readonly postgres: number; readonly redis: number };
    readonly error: string;
    readonly readingStopped: boolean;
  } | null;
  /**
   * Non-null when writes to PostgreSQL failed the way named statements fail behind PgBouncer in
   * transaction mode (42P05, 26000): the first such error and the flag that fixes it.
   */
  readonly diagnosis: PgBouncerDiagnosis | null;
  readonly reconciled: boolean;
  readonly reconciliation: string;
  readonly throughput: { readonly messagesPerSec: number; readonly positionsPerSec: number };
  readonly latency: { readonly endToEnd: LatencySummary; readonly postgresBatch: LatencySummary; readonly redisBatch: LatencySummary };
  readonly cache: { readonly hits: number; readonly misses: number; readonly hitRate: number | null };
  readonly deadlocks: number;
  readonly aborted: boolean;
  readonly warnings: string[];
}

function inputOf(totals: IngestTotals): IngestSummary['input'] {
  const { examples, aborted: _aborted, failedFiles: _failedFiles, stoppedOnFailure: _stopped, ...read } = totals;
  return { ...read, rejectionExamples: examples };
}

export function buildIngestSummary(
  runtime: PipelineRuntime,
  totals: IngestTotals,
  ctx: { startedMs: number; endedMs: number; dlqRemaining: number; warnings: string[] },
): IngestSummary {
  const c = runtime.pipeline.counters;
  const failure = runtime.pipeline.failure;
  const cache = runtime.history.cacheStats();
  const durationMs = ctx.endedMs - ctx.startedMs;
  const secs = Math.max(durationMs / 1000, 1e-9);
  const rowsToStores = c.live + c.history + c.upgrades;
  const accounted = c.duplicates + c.fusionRejected + rowsToStores + c.statics;
  const pgRows = c.positionsInserted + c.positionsUpdated + c.positionsUnchanged;
  const reconciledMessages = accounted === totals.messages;
  // Rows of a batch whose PostgreSQL part was dead-lettered or lost are not in the counts above.
  const pgDeadLettered = c.deadLetteredPostgres > 0 || c.lostPostgres > 0;
  const reconciledRows = pgDeadLettered ? pgRows <= rowsToStores : pgRows === rowsToStores;
  const reconciliation =
    `${totals.messages} messages = ${c.duplicates} duplicates + ${c.fusionRejected} refused by fusion + ` +
    `${rowsToStores} positions + ${c.statics} static reports` +
    (reconciledMessages ? '' : ` (MISMATCH: ${accounted})`) +
    `; ${rowsToStores} positions = ${c.positionsInserted} inserted + ${c.positionsUpdated} updated + ` +
    `${c.positionsUnchanged} already present` +
    (c.deadLetteredPostgres > 0 ? ` + rows of ${c.deadLetteredPostgres} dead-lettered batches` : '') +
    (c.lostPostgres > 0 ? ` + rows of ${c.lostPostgres} batches NOT STORED` : '') +
    (reconciledRows ? '' : ' (MISMATCH)');
  return {
    durationMs,
    input: inputOf(totals),
    fusion: {
      live: c.live,
      history: c.history,
      upgrades: c.upgrades,
      duplicates: c.duplicates,
      refused: c.fusionRejected,
      sourceQuality: runtime.pipeline.sourceQuality(),
    },
    stored: {
      positionsInserted: c.positionsInserted,
      positionsUpdated: c.positionsUpdated,
      positionsAlreadyPresent: c.positionsUnchanged,
      vesselsInserted: c.vesselsInserted,
      staticsWritten: c.statics,
      redisApplied: c.redisApplied,
      redisStale: c.redisStale,
      deadLetteredBatches: { postgres: c.deadLetteredPostgres, redis: c.deadLetteredRedis },
      dlqRemaining: ctx.dlqRemaining,
    },
    notStored:
      failure === null
        ? null
        : {
            messages: failure.messages,
            batches: failure.batches,
            lostParts: { postgres: c.lostPostgres, redis: c.lostRedis },
            error: failure.error,
            readingStopped: totals.stoppedOnFailure,
          },
    diagnosis: runtime.diagnosis(),
    reconciled: reconciledMessages && reconciledRows,
    reconciliation,
    throughput: { messagesPerSec: totals.messages / secs, positionsPerSec: rowsToStores / secs },
    latency: {
      endToEnd: runtime.endToEndLatency.summary(),
      postgresBatch: runtime.storeLatency.postgres.summary(),
      redisBatch: runtime.storeLatency.redis.summary(),
    },
    cache: { hits: cache.hits, misses: cache.misses, hitRate: cache.hitRate },
    deadlocks: c.deadlocks,
    aborted: totals.aborted,
    warnings: ctx.warnings,
  };
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const lat = (l: LatencySummary): string =>
  l.count === 0 ? '-' : `p50 ${ms(l.p50)} / p95 ${ms(l.p95)} / p99 ${ms(l.p99)} ms (max ${ms(l.max)}, n=${n(l.count)})`;
const byKey = (r: Record<string, number>): string =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ') || '-';

/** NMEA lines that are not AIS: counted by kind, never silently dropped. */
function skippedLine(d: Record<string, unknown>): string {
  const num = (k: string): number => (typeof d[k] === 'number' ? (d[k] as number) : 0);
  const other = Object.values((d.nonAisSentences as Record<string, number> | undefined) ?? {}).reduce((a, b) => a + b, 0);
  const parts: Array<[string, number]> = [
    ['blank', num('blankLines')],
    ['comment', num('commentLines')],
    ['not NMEA', num('junkLines')],
    ['other NMEA', other],
    ['wrapper', num('wrapperLines')],
  ];
  const shown = parts.filter(([, v]) => v > 0);
  return shown.length === 0 ? '-' : shown.map(([k, v]) => `${n(v)} ${k}`).join(', ') + ' lines';
}

/** Worst sources first (the ones worth a look), at most 8; quality 1.00 means fully trusted. */
function sourceLine(q: Readonly<Record<string, number>>): string {
  const all = Object.entries(q).sort((a, b) => a[1] - b[1]);
  if (all.length === 0) return '-';
  const shown = all
    .slice(0, 8)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  return all.length > 8 ? `${shown} (+${all.length - 8} more at higher quality)` : `quality ${shown}`;
}

/**
 * A configuration error left entries in the dead-letter queue. They are durable, but no retry
 * stores them until the configuration changes, so the run did not do its job: ingest exits 1
 * (not 3: nothing is lost, a replay with the right flag stores every row).
 */
export function stalledByConfiguration(s: IngestSummary): boolean {
  return s.diagnosis !== null && s.stored.dlqRemaining > 0;
}

export function renderIngestSummary(s: IngestSummary): string {
  const failed = s.notStored !== null || stalledByConfiguration(s);
  const lines = [
    `ingest ${failed ? 'FAILED' : s.aborted ? 'STOPPED EARLY' : 'complete'} in ${(s.durationMs / 1000).toFixed(2)} s`,
    `  input       ${n(s.input.lines)} lines, ${n(s.input.records)} records -> ${n(s.input.messages)} messages (${n(s.input.positions)} positions, ${n(s.input.statics)} static)`,
    `  rejected    ${n(s.input.rejected)}: ${byKey(s.input.rejectedByReason)}`,
    `  ignored     ${n(s.input.ignored)}: ${byKey(s.input.ignoredByKind)}`,
    ...(s.input.decode ? [`  skipped     ${skippedLine(s.input.decode)}`] : []),
    `  fusion      live ${n(s.fusion.live)}, history ${n(s.fusion.history)}, upgrades ${n(s.fusion.upgrades)}, duplicates ${n(s.fusion.duplicates)}, refused ${n(s.fusion.refused)}`,
    `  sources     ${sourceLine(s.fusion.sourceQuality)}`,
    `  postgres    ${n(s.stored.positionsInserted)} positions inserted, ${n(s.stored.positionsUpdated)} updated, ${n(s.stored.positionsAlreadyPresent)} already present; ${n(s.stored.vesselsInserted)} new vessels`,
    `  redis       ${n(s.stored.redisApplied)} vessel states moved forward, ${n(s.stored.redisStale)} stale reports refused`,
    `  dead-letter ${n(s.stored.deadLetteredBatches.postgres)} postgres + ${n(s.stored.deadLetteredBatches.redis)} redis batches; ${n(s.stored.dlqRemaining)} entries still queued`,
    `  throughput  ${n(s.throughput.messagesPerSec)} messages/s, ${n(s.throughput.positionsPerSec)} positions/s`,
    `  latency     end-to-end ${lat(s.latency.endToEnd)}`,
    `              postgres batch ${lat(s.latency.postgresBatch)}`,
    `              redis batch ${lat(s.latency.redisBatch)}`,
    `  cache       vessel-id hit rate ${s.cache.hitRate === null ? '-' : `${(s.cache.hitRate * 100).toFixed(1)}%`} (${n(s.cache.hits)} hits, ${n(s.cache.misses)} misses)`,
    `  deadlocks   ${n(s.deadlocks)}`,
    `  ${s.reconciled ? 'reconciled' : 'NOT RECONCILED'}: ${s.reconciliation}`,
  ];
  if (s.notStored !== null) {
    const f = s.notStored;
    lines.push(
      `  NOT STORED  ${n(f.messages)} messages in ${n(f.batches)} batches could be neither written nor dead-lettered ` +
        `(lost parts: ${n(f.lostParts.postgres)} postgres, ${n(f.lostParts.redis)} redis)`,
      `              first cause: ${f.error}`,
    );
    if (f.readingStopped) lines.push('              reading stopped there: the rest of the input was not read');
  }
  if (s.diagnosis !== null) {
    const d = s.diagnosis;
    lines.push(`  DIAGNOSIS   ${d.hint}`, `              ${n(d.failures)} writes to PostgreSQL (batches and replays) failed this way; first: ${d.firstError}`);
    if (stalledByConfiguration(s)) {
      lines.push(
        `              ${n(s.stored.dlqRemaining)} dead-letter entries wait: run again with --pgbouncer, or \`aisctl dlq replay --which all --pgbouncer\``,
      );
    }
  }
  for (const f of s.input.files) if (f.error) lines.push(`  error       ${f.file}: ${f.error}`);
  if (s.input.rejectionExamples.length > 0) {
    lines.push('  first rejections:');
    for (const e of s.input.rejectionExamples) lines.push(`    ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
