/**
 * `aisctl db migrate [--partition-interval D] [--json]`: applies the pending SQL migrations (one
 * transaction, under the migrator's advisory lock, so running it from several places at once is
 * safe) and says what they did (rows moved into partitions, partitions created).
 */
import { connectionConfig, UsageError, type ConnectionFlags } from '../config.js';
import { printJson, printLines } from '../print-table.js';
import { errorMessage } from '../../errors/error-message.js';
import { partitionIntervalProblem } from '../../store/postgres/partition-interval.js';
import { formatDuration, parseDuration } from '../../utils/duration.js';

interface MigrateOptions extends ConnectionFlags {
  json?: boolean;
  partitionInterval?: string;
}

export async function run(opts: MigrateOptions): Promise<number> {
  const cfg = connectionConfig(opts);
  let intervalMs: number | undefined;
  if (opts.partitionInterval !== undefined) {
    intervalMs = parseDuration(opts.partitionInterval, '--partition-interval');
    const problem = partitionIntervalProblem(intervalMs);
    if (problem !== null) throw new UsageError(`--partition-interval ${opts.partitionInterval} ${problem}: partitions span 1h to 366d in whole minutes`);
  }
  const { DependencyError, openPostgres, redactUrl } = await import('../../store/connections.js');
  const { migrate, latestMigrationVersion } = await import('../../store/postgres/migrator.js');
  const pool = await openPostgres(cfg.databaseUrl, { max: 1 });
  try {
    const result = await migrate(pool, intervalMs === undefined ? {} : { partitionIntervalSeconds: intervalMs / 1000 }).catch((err: unknown) => {
      throw new DependencyError(`migrating ${redactUrl(cfg.databaseUrl)} failed: ${errorMessage(err)}`);
    });
    const recorded = result.partitionIntervalSeconds;
    // The interval is part of the layout: changing it would mean re-partitioning every row.
    if (intervalMs !== undefined && recorded !== null && recorded * 1000 !== intervalMs) {
      throw new UsageError(
        `${redactUrl(cfg.databaseUrl)} is already partitioned by ${formatDuration(recorded * 1000)}: --partition-interval ${opts.partitionInterval} applies only when vessel_positions is first partitioned (drop the option to keep ${formatDuration(recorded * 1000)})`,
      );
    }
    const latest = latestMigrationVersion();
    const interval = recorded === null ? null : formatDuration(recorded * 1000);
    if (opts.json) {
      printJson({
        database: redactUrl(cfg.databaseUrl),
        applied: result.applied,
        schemaVersion: result.version,
        latestVersion: latest,
        partitionInterval: interval,
        notices: result.notices,
      });
      return 0;
    }
    const lines = result.applied.map((m) => `applied ${String(m.version).padStart(3, '0')}_${m.name}`);
    lines.push(...result.notices);
    if (result.applied.length === 0) lines.push('schema already up to date');
    lines.push(`schema version ${result.version} (latest in this build: ${latest}) at ${redactUrl(cfg.databaseUrl)}`);
    if (interval !== null) lines.push(`vessel_positions is partitioned by ${interval}`);
    if (result.version > latest) {
      lines.push(`note: the database was migrated by a newer aisctl (version ${result.version} > ${latest}); upgrade this aisctl`);
    }
    printLines(lines);
    return 0;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
