/**
 * `aisctl db migrate [--json]`: applies the pending SQL migrations (one transaction, under the
 * migrator's advisory lock, so running it from several places at once is safe).
 */
import { connectionConfig, type ConnectionFlags } from '../config.js';
import { printJson, printLines } from '../print-table.js';
import { errorMessage } from '../../errors/error-message.js';

interface MigrateOptions extends ConnectionFlags {
  json?: boolean;
}

export async function run(opts: MigrateOptions): Promise<number> {
  const cfg = connectionConfig(opts);
  const { DependencyError, openPostgres, redactUrl } = await import('../../store/connections.js');
  const { migrate, latestMigrationVersion } = await import('../../store/postgres/migrator.js');
  const pool = await openPostgres(cfg.databaseUrl, { max: 1 });
  try {
    const result = await migrate(pool).catch((err: unknown) => {
      throw new DependencyError(`migrating ${redactUrl(cfg.databaseUrl)} failed: ${errorMessage(err)}`);
    });
    const latest = latestMigrationVersion();
    if (opts.json) {
      printJson({ database: redactUrl(cfg.databaseUrl), applied: result.applied, schemaVersion: result.version, latestVersion: latest });
      return 0;
    }
    const lines = result.applied.map((m) => `applied ${String(m.version).padStart(3, '0')}_${m.name}`);
    if (result.applied.length === 0) lines.push('schema already up to date');
    lines.push(`schema version ${result.version} (latest in this build: ${latest}) at ${redactUrl(cfg.databaseUrl)}`);
    if (result.version > latest) {
      lines.push(`note: the database was migrated by a newer aisctl (version ${result.version} > ${latest}); upgrade this aisctl`);
    }
    printLines(lines);
    return 0;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
