/**
 * What `aisctl doctor` finds out about PostgreSQL: reachability and credentials, whether the
 * database exists, version and connection headroom, transaction pooling (PgBouncer), the schema
 * version against this build's migrations, and table sizes. Each finding says what to do.
 *
 * A pool of one that never reconnects, a statement timeout, no database creation: it answers
 * quickly and changes nothing, even when the server is down.
 */
import pg from 'pg';
import { errorMessage } from '../../errors/error-message.js';
import { formatBytes } from '../../utils/format-bytes.js';
import { hostPort } from '../../utils/host-port.js';
import { redactUrl } from '../connections.js';
import type { Finding } from '../inspect-finding.js';
import { latestMigrationVersion, schemaVersion } from './migrator.js';
import { PGBOUNCER_HINT, pgBouncerSymptom } from './pgbouncer-symptom.js';
import { loadSql } from './sql-file.js';

const FACTS = loadSql(new URL('./sql/inspect-server-facts.sql', import.meta.url), 'aisctl_inspect_server_facts');
const ESTIMATES = loadSql(new URL('./sql/inspect-table-estimates.sql', import.meta.url), 'aisctl_inspect_table_estimates');

const DEFAULT_ROWS = loadSql(new URL('./sql/default-partition-rows.sql', import.meta.url), 'aisctl_default_partition_rows');
const TABLES = ['vessels', 'vessel_positions'];
/** The migration that partitions vessel_positions (and adds its default partition). */
const PARTITIONED_VERSION = 4;
/** Default-partition rows counted at most (the count is a scan). */
const DEFAULT_ROWS_CAP = 1_000_000;

export interface PostgresReport {
  url: string;
  reachable: boolean;
  databaseExists: boolean | null;
  version: string | null;
  maxConnections: number | null;
  connections: number | null;
  databaseBytes: number | null;
  schemaVersion: number | null;
  /**
   * True when one client's consecutive transactions may run on different server connections
   * (PgBouncer in transaction or statement pooling); null when it could not be probed.
   */
  transactionPooling: boolean | null;
  latestVersion: number;
  tables: { name: string; rowsEstimate: number; totalBytes: number }[];
  /** Rows in vessel_positions' default partition (capped count); null before migration 004 or when not checked. */
  defaultPartitionRows: number | null;
  findings: Finding[];
}

export interface PostgresInspectOptions {
  /** Connect timeout, ms. */
  readonly timeoutMs: number;
  /** False with `--pgbouncer`: then transaction pooling is expected, not a failure. */
  readonly namedStatements?: boolean;
}

/**
 * Whether the server behind `url` pools transactions (PgBouncer `pool_mode = transaction`): two
 * clients run the same named statement, the first one twice. On a direct connection each client
 * is its own session and all three succeed on the first client's one backend. Behind transaction
 * pooling the second client lands on the server connection the first just gave back (PgBouncer
 * reuses the most recently released one) and is refused with 42P05, or the first client's repeat
 * lands on another one and is refused with 26000, or runs on another backend. Null when the probe
 * itself failed for another reason (the checks around it report that).
 */
async function probeTransactionPooling(url: string, timeoutMs: number): Promise<{ pooled: boolean; evidence: string } | null> {
  // No statement_timeout startup parameter here (the other checks send one): PgBouncer refuses
  // it unless told to ignore it, and this probe must answer whether or not it was.
  const open = (): pg.Client => new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: 10_000 });
  const first = open();
  const second = open();
  const probe = { name: 'aisctl_inspect_pooling_probe', text: 'SELECT pg_backend_pid() AS pid' };
  try {
    for (const c of [first, second]) {
      c.on('error', () => undefined);
      await c.connect();
    }
    const pids: number[] = [];
    for (const c of [first, first, second]) {
      try {
        pids.push((await c.query<{ pid: number }>(probe)).rows[0]?.pid ?? Number.NaN);
      } catch (err) {
        const symptom = pgBouncerSymptom(err);
        // As the server log writes it: `42P05 prepared statement "x" already exists`.
        if (symptom !== null) return { pooled: true, evidence: `${symptom} ${errorMessage(err)}`.replace(/\s+/g, ' ') };
        return null;
      }
    }
    if (pids[0] !== pids[1]) return { pooled: true, evidence: `one client's two transactions ran on backends ${pids[0]} and ${pids[1]}` };
    return { pooled: false, evidence: '' };
  } catch {
    return null;
  } finally {
    await Promise.all([first.end().catch(() => undefined), second.end().catch(() => undefined)]);
  }
}

export async function inspectPostgres(url: string, opts: PostgresInspectOptions): Promise<PostgresReport> {
  const timeoutMs = opts.timeoutMs;
  const where = hostPort(url, 5432);
  const report: PostgresReport = {
    url: redactUrl(url),
    reachable: false,
    databaseExists: null,
    version: null,
    maxConnections: null,
    connections: null,
    databaseBytes: null,
    schemaVersion: null,
    transactionPooling: null,
    latestVersion: latestMigrationVersion(),
    tables: [],
    defaultPartitionRows: null,
    findings: [],
  };
  const f = report.findings;
  // A pool of one, because schemaVersion() takes a pool; it never grows or reconnects.
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: timeoutMs, statement_timeout: 10_000, allowExitOnIdle: true });
  pool.on('error', () => {
    // an idle client losing its server is reported by the next query
  });
  let dbName = '';
  try {
    dbName = decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
  } catch {
    // a malformed URL fails at connect with pg's own message
  }
  try {
    try {
      const c = await pool.connect();
      c.release();
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = errorMessage(err);
      if (code === '3D000') {
        report.reachable = true;
        report.databaseExists = false;
        f.push({ level: 'ok', text: `reachable at ${where.label}` });
        f.push({ level: 'warn', text: `database '${dbName}' does not exist yet: \`aisctl db migrate\` (or the first ingest) creates it` });
        return report;
      }
      const auth = code === '28P01' || code === '28000';
      f.push({
        level: 'fail',
        text: auth
          ? `PostgreSQL at ${where.label} refused the credentials (${why}): fix the user/password in --database-url / DATABASE_URL, or allow it in pg_hba.conf`
          : `PostgreSQL not reachable at ${where.label} (${why}): start it (\`pg_ctlcluster 15 main start\` or \`systemctl start postgresql\`), pass --database-url / DATABASE_URL, or run \`aisctl up\` for throwaway local servers`,
      });
      return report;
    }
    report.reachable = true;
    report.databaseExists = true;
    const facts = (
      await pool.query<{ server_version: string; max_connections: number; connections: number; database: string; database_bytes: string }>(FACTS.text)
    ).rows[0];
    if (facts) {
      report.version = facts.server_version;
      report.maxConnections = facts.max_connections;
      report.connections = facts.connections;
      report.databaseBytes = Number(facts.database_bytes);
    }
    f.push({
      level: 'ok',
      text: `reachable at ${where.label}: PostgreSQL ${report.version ?? '?'}, database '${dbName}' (${report.databaseBytes === null ? '?' : formatBytes(report.databaseBytes)}), max_connections ${report.maxConnections ?? '?'} (${report.connections ?? '?'} in use)`,
    });
    if (report.maxConnections !== null && report.connections !== null && report.connections > 0.8 * report.maxConnections) {
      f.push({
        level: 'warn',
        text: `${report.connections} of ${report.maxConnections} connections in use: aisctl needs a few per process (--lanes and write concurrency); raise max_connections or put PgBouncer in front`,
      });
    }
    const major = Number((report.version ?? '0').split('.')[0]);
    if (major > 0 && major < 13)
      f.push({ level: 'warn', text: `PostgreSQL ${report.version} is older than 13, the oldest version aisctl is tested with; upgrade` });

    const pooling = await probeTransactionPooling(url, timeoutMs);
    report.transactionPooling = pooling?.pooled ?? null;
    if (pooling?.pooled) {
      if (opts.namedStatements ?? true) {
        // A fail, not a warning: every batch ingest writes would be refused the same way.
        f.push({
          level: 'fail',
          text: `${PGBOUNCER_HINT}; without it ingest's named statements are refused and its batches dead-lettered (probe: ${pooling.evidence})`,
        });
      } else {
        f.push({ level: 'ok', text: 'transaction pooling (PgBouncer) detected and --pgbouncer is set: named statements are off' });
      }
    }

    report.schemaVersion = await schemaVersion(pool);
    const latest = report.latestVersion;
    if (report.schemaVersion === 0)
      f.push({ level: 'warn', text: `no aisctl schema yet (latest migration ${latest}): run \`aisctl db migrate\` (ingest also migrates on start)` });
    else if (report.schemaVersion < latest)
      f.push({ level: 'warn', text: `schema behind: version ${report.schemaVersion}, this aisctl expects ${latest}: run \`aisctl db migrate\`` });
    else if (report.schemaVersion > latest)
      f.push({ level: 'warn', text: `schema version ${report.schemaVersion} is newer than this aisctl knows (${latest}): upgrade aisctl before writing` });
    else f.push({ level: 'ok', text: `schema version ${report.schemaVersion} (up to date)` });

    const est = await pool.query<{ table_name: string; estimate: string; total_bytes: string }>(ESTIMATES.text, [TABLES]);
    report.tables = est.rows.map((r) => ({ name: r.table_name, rowsEstimate: Number(r.estimate), totalBytes: Number(r.total_bytes) }));
    if (report.tables.length > 0) {
      f.push({
        level: 'info',
        text: `rows (estimates): ${report.tables.map((t) => `${t.name} ~${t.rowsEstimate} (${formatBytes(t.totalBytes)})`).join(', ')}`,
      });
    }
    if (report.schemaVersion >= PARTITIONED_VERSION) {
      const n = Number((await pool.query<{ n: string }>(DEFAULT_ROWS.text, [DEFAULT_ROWS_CAP])).rows[0]?.n ?? 0);
      report.defaultPartitionRows = n;
      if (n > 0) {
        f.push({
          level: 'warn',
          text: `vessel_positions_default holds ${n >= DEFAULT_ROWS_CAP ? `${DEFAULT_ROWS_CAP} or more` : n} rows written while their partition could not be created (a long reader held vessel_positions): reads find them, but retention drops only partitions; \`aisctl db retention --keep D\` moves them into partitions of their own`,
        });
      } else f.push({ level: 'ok', text: 'vessel_positions_default is empty (every position is in its time partition)' });
    }
    return report;
  } catch (err) {
    f.push({ level: 'fail', text: `PostgreSQL at ${where.label} accepted the connection but a check failed: ${errorMessage(err)}` });
    return report;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
