/**
 * `aisctl db retention --keep D [--dry-run] [--no-compact] [--json]`: drops the whole partitions
 * of vessel_positions that are entirely older than now - keep, and prints each one with its
 * range, row estimate and size. Never a row-by-row DELETE. Then rebuilds the primary key of
 * each partition whose time is over, once (retention.ts, compactClosedPartitions).
 */
import { connectionConfig, UsageError, type ConnectionFlags } from '../config.js';
import { formatIso, printJson, printLines } from '../print-table.js';
import { errorMessage } from '../../errors/error-message.js';
import type { RetentionPartition, RetentionResult } from '../../store/postgres/retention.js';
import { formatBytes } from '../../utils/format-bytes.js';
import { parseDuration } from '../../utils/duration.js';

interface RetentionFlags extends ConnectionFlags {
  keep?: string;
  dryRun?: boolean;
  json?: boolean;
  /** False with --no-compact. */
  compact?: boolean;
}

/** One line per partition, for the command and for `serve --retention`'s log. */
export function retentionLines(r: RetentionResult): string[] {
  const verb = r.dryRun ? 'would drop' : 'dropped';
  const line = (p: RetentionPartition, what: string): string =>
    `${what} ${p.name} [${formatIso(p.fromMs)}, ${formatIso(p.toMs)}) ~${p.rowsEstimate.toLocaleString('en-US')} rows ${formatBytes(p.bytes)}`;
  const lines = r.dropped.map((p) => line(p, verb));
  lines.push(...r.busy.map((p) => line(p, 'busy, kept for the next run:')));
  for (const c of r.compacted) {
    lines.push(
      r.dryRun
        ? `would compact ${c.name} (primary key ${formatBytes(c.indexBytesBefore)})`
        : `compacted ${c.name}: primary key ${formatBytes(c.indexBytesBefore)} -> ${formatBytes(c.indexBytesAfter)}`,
    );
  }
  lines.push(
    `${r.dropped.length} partition(s) ${verb}, ${r.busy.length} busy; cut ${formatIso(r.cutMs)} (partitions ending at or before it go; one that straddles it stays)`,
  );
  return lines;
}

export async function run(opts: RetentionFlags): Promise<number> {
  if (opts.keep === undefined) throw new UsageError('--keep is required, e.g. --keep 90d');
  const keepMs = parseDuration(opts.keep, '--keep');
  if (keepMs <= 0) throw new UsageError(`--keep ${opts.keep} keeps nothing: give the history to keep, e.g. --keep 90d`);
  const cfg = connectionConfig(opts);
  const { DependencyError, openPostgres, redactUrl } = await import('../../store/connections.js');
  const { latestMigrationVersion, schemaVersion } = await import('../../store/postgres/migrator.js');
  const { applyRetention } = await import('../../store/postgres/retention.js');
  const pool = await openPostgres(cfg.databaseUrl, { max: 1 });
  try {
    const version = await schemaVersion(pool);
    if (version < latestMigrationVersion()) {
      throw new DependencyError(
        `${redactUrl(cfg.databaseUrl)} is at schema version ${version}: run \`aisctl db migrate\` first (retention needs partitioned history)`,
      );
    }
    const result = await applyRetention(pool, { keepMs, dryRun: opts.dryRun ?? false, compact: opts.compact ?? true }).catch((err: unknown) => {
      throw new DependencyError(`retention on ${redactUrl(cfg.databaseUrl)} failed: ${errorMessage(err)}`);
    });
    if (opts.json) {
      printJson({
        database: redactUrl(cfg.databaseUrl),
        keep: opts.keep,
        cut: new Date(result.cutMs).toISOString(),
        dryRun: result.dryRun,
        dropped: result.dropped.map(partitionJson),
        busy: result.busy.map(partitionJson),
        compacted: result.compacted.map((c) => ({ partition: c.name, indexBytesBefore: c.indexBytesBefore, indexBytesAfter: c.indexBytesAfter })),
      });
    } else printLines(retentionLines(result));
    return 0;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

function partitionJson(p: RetentionPartition): Record<string, unknown> {
  return { partition: p.name, from: new Date(p.fromMs).toISOString(), to: new Date(p.toMs).toISOString(), rowsEstimate: p.rowsEstimate, bytes: p.bytes };
}
