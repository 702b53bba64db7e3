import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { loadSql } from './sql-file.js';
import { errorMessage } from '../../errors/error-message.js';
import { withTransaction } from './with-transaction.js';

const LOCK = loadSql(new URL('./sql/migrations-lock.sql', import.meta.url), 'aisctl_migrations_lock');
const TABLE = loadSql(new URL('./sql/migrations-table.sql', import.meta.url), 'aisctl_migrations_table');
const APPLIED = loadSql(new URL('./sql/migrations-applied.sql', import.meta.url), 'aisctl_migrations_applied');
const RECORD = loadSql(new URL('./sql/migrations-record.sql', import.meta.url), 'aisctl_migrations_record');
const TABLE_EXISTS = loadSql(new URL('./sql/migrations-table-exists.sql', import.meta.url), 'aisctl_migrations_exists');
const VERSION = loadSql(new URL('./sql/schema-version.sql', import.meta.url), 'aisctl_schema_version');
const SET_INTERVAL = loadSql(new URL('./sql/migrations-partition-interval.sql', import.meta.url), 'aisctl_migrations_partition_interval');
const INTERVAL = loadSql(new URL('./sql/partition-interval.sql', import.meta.url), 'aisctl_partition_interval');

/** Arbitrary constant shared by every aisctl process: the advisory-lock key of the migrator. */
const MIGRATION_LOCK_KEY = '7462871930417';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The migrations shipped with this build, in version order. */
export function listMigrations(): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(fileURLToPath(MIGRATIONS_DIR))) {
    const m = FILE_NAME.exec(file);
    if (!m?.[1] || !m[2]) continue;
    migrations.push({ version: Number(m[1]), name: m[2], sql: readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version) {
      throw new Error(`two migrations share version ${migrations[i]?.version} in ${fileURLToPath(MIGRATIONS_DIR)}`);
    }
  }
  return migrations;
}

export interface MigrateResult {
  readonly applied: readonly { version: number; name: string }[];
  readonly version: number;
  /** What the migrations reported doing (their NOTICEs): rows moved, partitions created. */
  readonly notices: readonly string[];
  /** The partition interval of vessel_positions as recorded, in seconds (null before migration 004). */
  readonly partitionIntervalSeconds: number | null;
}

export interface MigrateOptions {
  /**
   * Partition interval (seconds) for the partitioned vessel_positions, used only by the
   * migration that creates it (004); afterwards the recorded one is kept.
   */
  readonly partitionIntervalSeconds?: number;
}

/** The migration that records the partition interval. */
const PARTITIONING_VERSION = 4;

/**
 * Applies the pending migrations in one transaction under a transaction-scoped advisory lock:
 * concurrent migrators queue on the lock, and each one that gets it finds the work already done.
 * Either every pending migration is applied or none is.
 */
export async function migrate(pool: pg.Pool, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = listMigrations();
  return withTransaction(pool, async (client) => {
    const notices: string[] = [];
    // Only the migrations' own notices: not the IF NOT EXISTS chatter of the bookkeeping.
    let collecting = false;
    const onNotice = (n: { message?: string }): void => {
      if (collecting && n.message) notices.push(n.message);
    };
    client.on('notice', onNotice);
    try {
      await client.query(LOCK.text, [MIGRATION_LOCK_KEY]);
      await client.query(TABLE.text);
      if (opts.partitionIntervalSeconds !== undefined) await client.query(SET_INTERVAL.text, [String(opts.partitionIntervalSeconds)]);
      const done = new Set((await client.query<{ version: number }>(APPLIED.text)).rows.map((r) => r.version));
      const applied: { version: number; name: string }[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        collecting = true;
        try {
          await client.query(m.sql);
        } catch (err) {
          throw new Error(`migration ${m.version}_${m.name}.sql failed: ${errorMessage(err)}`, { cause: err });
        } finally {
          collecting = false;
        }
        await client.query(RECORD.text, [m.version, m.name]);
        applied.push({ version: m.version, name: m.name });
      }
      const latest = migrations.at(-1)?.version ?? 0;
      const version = Math.max(latest, ...done);
      const partitionIntervalSeconds = version >= PARTITIONING_VERSION ? await readPartitionInterval(client) : null;
      return { applied, version, notices, partitionIntervalSeconds };
    } finally {
      client.off('notice', onNotice);
    }
  });
}

/** The recorded partition interval of vessel_positions in seconds (migration 004 must have run). */
export async function readPartitionInterval(db: Pick<pg.ClientBase, 'query'>): Promise<number> {
  const r = await db.query<{ seconds: string }>(INTERVAL.text);
  const seconds = Number(r.rows[0]?.seconds);
  if (!(seconds > 0)) throw new Error('history_settings holds no partition interval');
  return seconds;
}

/** The highest applied migration version, or 0 on a database aisctl never migrated. */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const exists = await pool.query<{ present: boolean }>(TABLE_EXISTS.text);
  if (!exists.rows[0]?.present) return 0;
  const r = await pool.query<{ version: number | null }>(VERSION.text);
  return r.rows[0]?.version ?? 0;
}

/** The version this build expects; `aisctl` refuses to write to a database behind it. */
export function latestMigrationVersion(): number {
  return listMigrations().at(-1)?.version ?? 0;
}
