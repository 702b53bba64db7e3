/**
 * `aisctl doctor [--json]`: checks the two servers aisctl depends on and says what to do about
 * each finding. It opens its own short-lived connections (no reconnect loops, no database
 * creation) so that it answers quickly and changes nothing, even when a server is down.
 *
 * Exit 1 when a server cannot be reached (or refuses the credentials), or PostgreSQL pools
 * transactions (PgBouncer) without --pgbouncer, else 0: warnings (schema behind, eviction
 * policy, no persistence) are advice, since ingest still works with them.
 */
import { createConnection } from 'node:net';
import type { Cluster, Redis } from 'ioredis';
import type { RedisTarget } from '../../store/connections.js';
import type pg from 'pg';
import { connectionConfig, type ConnectionFlags } from '../config.js';
import { printJson, printLines } from '../print-table.js';
import type { FeedProbeResult } from '../../feeds/feed-probe.js';
import { errorMessage } from '../../errors/error-message.js';
import { hostPort } from '../../utils/host-port.js';

interface DoctorOptions extends ConnectionFlags {
  json?: boolean;
  /** Where `aisctl up` keeps its state file; not a CLI flag (default `.aisctl/servers`), tests set it. */
  dataDir?: string;
  /** Connect timeout per server, ms (default 3000). */
  timeoutMs?: number;
  /** `--feed [NAME=]URL`: feeds to connect to (tcp, ws) or bind (udp, tcp-listen) once. */
  feed?: string[];
}

export type FindingLevel = 'ok' | 'info' | 'warn' | 'fail';

export interface Finding {
  readonly level: FindingLevel;
  readonly text: string;
}

export interface RedisReport {
  url: string;
  reachable: boolean;
  version: string | null;
  mode: string | null;
  /** Null on a standalone server. */
  cluster: { state: string | null; masters: number; slotsAssigned: number | null } | null;
  modules: string[];
  redisJson: boolean;
  usedMemoryBytes: number | null;
  maxMemoryBytes: number | null;
  maxMemoryPolicy: string | null;
  aofEnabled: boolean | null;
  env: string;
  /** Geo/active index buckets of env (recorded, else the default). */
  buckets: number | null;
  envKeys: number | null;
  /** True when the key scan stopped at its cap: envKeys is then a lower bound. */
  envKeysTruncated: boolean;
  liveVessels: number | null;
  deadLetters: { pending: number; parked: number } | null;
  findings: Finding[];
}

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
  findings: Finding[];
}

export interface LocalServersReport {
  dataDir: string;
  recorded: boolean;
  redisUrl: string | null;
  databaseUrl: string | null;
  redisUp: boolean | null;
  postgresUp: boolean | null;
  findings: Finding[];
}

export interface DoctorReport {
  ok: boolean;
  redis: RedisReport;
  postgres: PostgresReport;
  localServers: LocalServersReport;
  /** One per `--feed`; empty without. */
  feeds: FeedProbeResult[];
}

/** SCAN is O(keys in the database): stop after this many keys have been examined. */
const SCAN_CAP = 1_000_000;

function infoField(info: string, field: string): string | null {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim() ?? null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

// ---------- Redis ----------

/** null when something accepts TCP connections at host:port, else why not. */
function tcpProbe(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    const done = (why: string | null): void => {
      sock.destroy();
      resolve(why);
    };
    sock.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    sock.once('connect', () => done(null));
    sock.once('error', (err) => done(errorMessage(err)));
  });
}

async function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return (await tcpProbe(host, port, timeoutMs)) === null;
}

export interface RedisCheckOptions {
  /** A single-seed URL names a cluster (`--redis-cluster`). */
  readonly cluster?: boolean;
  /** `--redis-buckets`; checked against the count recorded for env. */
  readonly buckets?: number | undefined;
}

export async function checkRedis(url: string, env: string, timeoutMs: number, layoutOpts: RedisCheckOptions = {}): Promise<RedisReport> {
  const { DependencyError, describeRedisTarget, parseRedisTarget, redactUrl } = await import('../../store/connections.js');
  const report: RedisReport = {
    url: redactUrl(url),
    reachable: false,
    version: null,
    mode: null,
    cluster: null,
    modules: [],
    redisJson: false,
    usedMemoryBytes: null,
    maxMemoryBytes: null,
    maxMemoryPolicy: null,
    aofEnabled: null,
    env,
    buckets: null,
    envKeys: null,
    envKeysTruncated: false,
    liveVessels: null,
    deadLetters: null,
    findings: [],
  };
  const f = report.findings;
  let target: RedisTarget;
  try {
    target = parseRedisTarget(url, { cluster: layoutOpts.cluster ?? false });
  } catch (err) {
    f.push({ level: 'fail', text: errorMessage(err) });
    return report;
  }
  if (target.kind === 'cluster') {
    const { openRedis } = await import('../../store/connections.js');
    let cluster: Cluster;
    try {
      cluster = (await openRedis(url, { cluster: true, connectTimeoutMs: timeoutMs })) as Cluster;
    } catch (err) {
      const why = errorMessage(err);
      f.push({
        level: 'fail',
        text: /NOAUTH|WRONGPASS|invalid password/i.test(why)
          ? `${describeRedisTarget(target)} refused the credentials (${why}): put the password in --redis-url / REDIS_URL (redis://:PASSWORD@host:port,host:port)`
          : err instanceof DependencyError
            ? err.message
            : `${describeRedisTarget(target)} not reachable (${why})`,
      });
      return report;
    }
    try {
      return await inspectRedis(cluster, cluster.nodes('master'), describeRedisTarget(target), report, layoutOpts);
    } finally {
      cluster.disconnect();
    }
  }

  const where = hostPort(url, 6379);
  const { Redis: RedisClient } = await import('ioredis');
  const client: Redis = new RedisClient(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: unknown = null;
  client.on('error', (err: unknown) => {
    // connect() then rejects with a bare "Connection is closed"; this says why.
    lastError = err;
  });
  try {
    try {
      // A refused port is answered here: ioredis would keep its connect timer alive afterwards
      // and hold the process open for the rest of the timeout.
      const refused = url.startsWith('redis') ? await tcpProbe(where.host, where.port, timeoutMs) : null;
      if (refused !== null) throw new Error(refused);
      await client.connect();
      await client.ping();
    } catch (err) {
      const why = errorMessage(lastError ?? err);
      const auth = /NOAUTH|WRONGPASS|invalid password/i.test(why);
      f.push({
        level: 'fail',
        text: auth
          ? `Redis at ${where.label} refused the credentials (${why}): put the password in --redis-url / REDIS_URL (redis://:PASSWORD@host:port)`
          : `Redis not reachable at ${where.label} (${why}): start it (\`systemctl start redis-server\` or \`redis-server --daemonize yes\`), pass --redis-url / REDIS_URL, or run \`aisctl up\` for throwaway local servers`,
      });
      return report;
    }
    return await inspectRedis(client, [client], `at ${where.label}`, report, layoutOpts);
  } finally {
    client.disconnect();
  }
}

/**
 * The checks once connected. `nodes` are the servers holding data: the client itself, or every
 * master of a cluster (SCAN, INFO and memory are per node there).
 */
async function inspectRedis(
  client: Redis | Cluster,
  nodes: readonly Redis[],
  where: string,
  report: RedisReport,
  layoutOpts: RedisCheckOptions,
): Promise<RedisReport> {
  const f = report.findings;
  const env = report.env;
  const first = nodes[0];
  try {
    if (first === undefined) throw new Error('the cluster reported no master nodes');
    report.reachable = true;
    const infos = await Promise.all(nodes.map((n) => n.info()));
    const info = infos[0] ?? '';
    report.version = infoField(info, 'redis_version');
    report.mode = infoField(info, 'redis_mode');
    report.usedMemoryBytes = infos.reduce((sum, i) => sum + Number(infoField(i, 'used_memory') ?? NaN), 0);
    const maxmem = Number(infoField(info, 'maxmemory') ?? NaN);
    report.maxMemoryBytes = Number.isFinite(maxmem) ? maxmem : null;
    report.maxMemoryPolicy = infoField(info, 'maxmemory_policy');
    const aof = infoField(info, 'aof_enabled');
    report.aofEnabled = aof === null ? null : aof === '1';
    const major = Number((report.version ?? '0').split('.')[0]);
    if (client.isCluster) {
      const ci = String(await first.call('CLUSTER', 'INFO'));
      const assigned = Number(infoField(ci, 'cluster_slots_assigned') ?? NaN);
      report.cluster = { state: infoField(ci, 'cluster_state'), masters: nodes.length, slotsAssigned: Number.isFinite(assigned) ? assigned : null };
      f.push({
        level: 'ok',
        text: `reachable: ${where}: Redis ${report.version ?? '?'} cluster of ${nodes.length} masters, cluster_state ${report.cluster.state ?? '?'}, ${report.cluster.slotsAssigned ?? '?'}/16384 slots assigned`,
      });
      if (report.cluster.state !== 'ok' || report.cluster.slotsAssigned !== 16_384) {
        f.push({
          level: 'warn',
          text: `the cluster is not healthy (cluster_state ${report.cluster.state ?? '?'}): writes to slots without a live master fail and are dead-lettered; check it with \`redis-cli --cluster check ${first.options.host ?? '127.0.0.1'}:${first.options.port ?? 6379}\``,
        });
      }
    } else {
      f.push({ level: 'ok', text: `reachable ${where}: Redis ${report.version ?? '?'} (${report.mode ?? 'unknown mode'})` });
    }
    if (major > 0 && major < 6) {
      f.push({ level: 'warn', text: `Redis ${report.version} is older than 6.2: GEOSEARCH (used by \`aisctl near\`) needs 6.2 or later; upgrade Redis` });
    }

    try {
      const list = (await first.call('MODULE', 'LIST')) as unknown[];
      for (const m of list) {
        if (!Array.isArray(m)) continue;
        const i = m.indexOf('name');
        if (i >= 0 && typeof m[i + 1] === 'string') report.modules.push(m[i + 1] as string);
      }
    } catch {
      // MODULE LIST may be disabled by ACL or a managed service; JSON.GET tells us enough.
    }
    try {
      const cmd = (await first.call('COMMAND', 'INFO', 'JSON.GET')) as unknown[];
      report.redisJson = Array.isArray(cmd) && cmd[0] !== null && cmd[0] !== undefined;
    } catch {
      report.redisJson = report.modules.some((m) => m.toLowerCase() === 'rejson');
    }
    f.push({
      level: 'info',
      text:
        `modules: ${report.modules.length === 0 ? 'none' : report.modules.join(', ')}; ` +
        (report.redisJson
          ? 'RedisJSON is available but not needed: aisctl keeps live state in small hashes (listpack encoding), which are more compact than JSON documents'
          : 'RedisJSON absent: nothing to do, aisctl keeps live state in small hashes (listpack encoding) and needs no module'),
    });

    const used = report.usedMemoryBytes;
    const policy = report.maxMemoryPolicy ?? 'unknown';
    const limit = report.maxMemoryBytes;
    const perNode = nodes.length > 1 ? `sum of ${nodes.length} masters; per node: ` : '';
    f.push({
      level: 'ok',
      text: `memory used ${used !== null && Number.isFinite(used) ? formatBytes(used) : '?'} (${perNode}maxmemory ${limit ? formatBytes(limit) : 'unlimited'}, policy ${policy})`,
    });
    if (limit && policy !== 'noeviction' && policy !== 'unknown') {
      f.push({
        level: 'warn',
        text: `maxmemory-policy ${policy} lets Redis evict keys: live vessels and dead-letter entries could silently disappear; use \`CONFIG SET maxmemory-policy noeviction\` (aisctl then sees write errors and dead-letters to its spool instead)`,
      });
    } else if (limit && used !== null && nodes.length === 1 && used > 0.9 * limit) {
      f.push({
        level: 'warn',
        text: `memory at ${Math.round((100 * used) / limit)}% of maxmemory: writes will soon be refused; raise maxmemory or prune inactive vessels`,
      });
    }
    if (report.aofEnabled === false) {
      f.push({
        level: 'warn',
        text: 'appendonly is off: dead-letter entries kept in Redis are lost if Redis restarts before its next RDB snapshot; enable AOF (`CONFIG SET appendonly yes`)',
      });
    }

    const { activeKey, keyLayout } = await import('../../store/redis/key-layout.js');
    const { deadLetterKeyLayoutOf, redisDeadLetterKeys } = await import('../../resilience/dead-letter/redis-dead-letter-queue.js');
    const { readRecordedBuckets, resolveBuckets, RedisLayoutError } = await import('../../store/redis/layout-meta.js');
    // SCAN walks one server: on a cluster, every master, within one shared cap.
    let keys = 0;
    let scanned = 0;
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${env}:*`, 'COUNT', 1000);
        cursor = next;
        keys += batch.length;
        scanned += 1000;
      } while (cursor !== '0' && scanned < SCAN_CAP);
      if (cursor !== '0') {
        report.envKeysTruncated = true;
        break;
      }
    }
    report.envKeys = keys;

    const recorded = await readRecordedBuckets(client, env).catch(() => null);
    let buckets: number;
    try {
      buckets = await resolveBuckets(client, env, { requested: layoutOpts.buckets, cluster: client.isCluster, record: false });
    } catch (err) {
      if (!(err instanceof RedisLayoutError)) throw err;
      f.push({ level: 'fail', text: err.message });
      buckets = recorded ?? 1;
    }
    report.buckets = buckets;
    const layout = keyLayout(env, buckets);
    const counts = await Promise.all(Array.from({ length: buckets }, (_, b) => client.zcard(activeKey(layout, b))));
    report.liveVessels = counts.reduce((a, b) => a + b, 0);
    const dlq = redisDeadLetterKeys(env, deadLetterKeyLayoutOf(client));
    const [pending, parked] = await Promise.all([client.zcard(dlq.pending), client.zcard(dlq.parked)]);
    report.deadLetters = { pending, parked };
    f.push({
      level: 'ok',
      text: `env '${env}': ${report.envKeysTruncated ? 'at least ' : ''}${keys} keys, ${report.liveVessels} live vessels, dead letters ${pending} pending / ${parked} parked`,
    });
    f.push({
      level: 'info',
      text: `hot-state layout: ${buckets} bucket${buckets === 1 ? '' : 's'} (${recorded === null ? 'nothing recorded yet: the first ingest records it' : 'recorded in the environment'})${client.isCluster && buckets < nodes.length ? `; fewer buckets than masters leaves some masters without geo/active indexes` : ''}`,
    });
    if (keys === 0)
      f.push({ level: 'info', text: `no keys under '${env}:': nothing ingested in this environment yet (or a different --env / AIS_ENV was used)` });
    if (parked > 0)
      f.push({
        level: 'warn',
        text: `${parked} dead-letter entries are parked (failed every retry): inspect with \`aisctl dlq stats\`, then \`aisctl dlq replay --which parked\` or \`aisctl dlq purge --which parked\``,
      });
    return report;
  } catch (err) {
    f.push({ level: 'fail', text: `${client.isCluster ? where : `Redis ${where}`} answered the connection but a check failed: ${errorMessage(err)}` });
    return report;
  }
}

// ---------- PostgreSQL ----------

const TABLES = ['vessels', 'vessel_positions'];

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
  const { default: pgMod } = await import('pg');
  const { pgBouncerSymptom } = await import('../../store/postgres/pgbouncer-symptom.js');
  const { describeError } = await import('../../resilience/failure-kind.js');
  // No statement_timeout startup parameter here (the other checks send one): PgBouncer refuses
  // it unless told to ignore it, and this probe must answer whether or not it was.
  const open = (): pg.Client => new pgMod.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: 10_000 });
  const first = open();
  const second = open();
  const probe = { name: 'aisctl_doctor_pooling_probe', text: 'SELECT pg_backend_pid() AS pid' };
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
        if (pgBouncerSymptom(err) !== null) return { pooled: true, evidence: describeError(err) };
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

export async function checkPostgres(url: string, timeoutMs: number, namedStatements = true): Promise<PostgresReport> {
  const { redactUrl } = await import('../../store/connections.js');
  const { latestMigrationVersion, schemaVersion } = await import('../../store/postgres/migrator.js');
  const { loadSql } = await import('../../store/postgres/sql-file.js');
  const FACTS = loadSql(new URL('../sql/doctor-postgres.sql', import.meta.url), 'aisctl_doctor_postgres');
  const ESTIMATES = loadSql(new URL('../sql/doctor-table-estimates.sql', import.meta.url), 'aisctl_doctor_estimates');
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
    findings: [],
  };
  const f = report.findings;
  const { default: pgMod } = await import('pg');
  // A pool of one, because schemaVersion() takes a pool; it never grows or reconnects.
  const pool: pg.Pool = new pgMod.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: timeoutMs, statement_timeout: 10_000, allowExitOnIdle: true });
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
      if (namedStatements) {
        const { PGBOUNCER_HINT } = await import('../../store/postgres/pgbouncer-symptom.js');
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
    return report;
  } catch (err) {
    f.push({ level: 'fail', text: `PostgreSQL at ${where.label} accepted the connection but a check failed: ${errorMessage(err)}` });
    return report;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

// ---------- servers from `aisctl up` ----------

export async function checkLocalServers(
  dataDir: string,
  configured: { redisUrl: string; databaseUrl: string },
  timeoutMs: number,
): Promise<LocalServersReport> {
  const { resolve } = await import('node:path');
  const { readLocalServersState } = await import('../../harness/local-servers.js');
  const dir = resolve(dataDir);
  const state = await readLocalServersState(dir);
  const report: LocalServersReport = {
    dataDir: dir,
    recorded: state !== null,
    redisUrl: state?.redisUrl ?? null,
    databaseUrl: state?.databaseUrl ?? null,
    redisUp: null,
    postgresUp: null,
    findings: [],
  };
  const f = report.findings;
  if (state === null) {
    f.push({ level: 'info', text: `no servers started by \`aisctl up\` in ${dir}` });
    return report;
  }
  if (state.redisUrl) {
    const r = hostPort(state.redisUrl, 6379);
    report.redisUp = await tcpOpen(r.host, r.port, timeoutMs);
  }
  if (state.databaseUrl) {
    const p = hostPort(state.databaseUrl, 5432);
    report.postgresUp = await tcpOpen(p.host, p.port, timeoutMs);
  }
  const status = (url: string | null, up: boolean | null): string => (url === null ? 'not managed' : `${url} ${up ? 'running' : 'NOT answering'}`);
  f.push({
    level: 'info',
    text: `\`aisctl up\` servers in ${dir}: Redis ${status(state.redisUrl, report.redisUp)}, PostgreSQL ${status(state.databaseUrl, report.postgresUp)}`,
  });
  if (report.redisUp === false || report.postgresUp === false) {
    f.push({ level: 'warn', text: 'a server recorded by `aisctl up` is not running: run `aisctl up` again to restart it, or `aisctl down` to forget it' });
  }
  const sameDb = (a: string, b: string): boolean => hostPort(a, 5432).label === hostPort(b, 5432).label;
  const usingThem =
    (state.redisUrl !== null && hostPort(state.redisUrl, 6379).label === hostPort(configured.redisUrl, 6379).label) ||
    (state.databaseUrl !== null && sameDb(state.databaseUrl, configured.databaseUrl));
  if (!usingThem && (report.redisUp || report.postgresUp)) {
    const exports = [state.redisUrl ? `REDIS_URL=${state.redisUrl}` : '', state.databaseUrl ? `DATABASE_URL=${state.databaseUrl}` : '']
      .filter(Boolean)
      .join(' ');
    f.push({ level: 'info', text: `the checks above used other servers; to use these: export ${exports}` });
  }
  return report;
}

// ---------- command ----------

const MARK: Record<FindingLevel, string> = { ok: 'ok  ', info: 'info', warn: 'WARN', fail: 'FAIL' };

export function renderDoctor(report: DoctorReport): string[] {
  const lines: string[] = [];
  const section = (title: string, findings: readonly Finding[]): void => {
    lines.push(title);
    for (const x of findings) lines.push(`  ${MARK[x.level]}  ${x.text}`);
  };
  section(`Redis       ${report.redis.url}`, report.redis.findings);
  section(`PostgreSQL  ${report.postgres.url}`, report.postgres.findings);
  section('Local servers (aisctl up)', report.localServers.findings);
  const feeds: Finding[] = report.feeds.map((f) => ({ level: f.ok ? 'ok' : 'fail', text: `${f.name}: ${f.detail}` }));
  if (feeds.length > 0) section('Feeds', feeds);
  const all = [...report.redis.findings, ...report.postgres.findings, ...report.localServers.findings, ...feeds];
  const fails = all.filter((x) => x.level === 'fail').length;
  const warns = all.filter((x) => x.level === 'warn').length;
  lines.push(
    fails > 0
      ? `${fails} problem${fails === 1 ? '' : 's'}, ${warns} warning${warns === 1 ? '' : 's'}: fix the FAIL lines first`
      : warns > 0
        ? `all reachable; ${warns} warning${warns === 1 ? '' : 's'}`
        : 'all good',
  );
  return lines;
}

export async function diagnose(opts: DoctorOptions): Promise<DoctorReport> {
  const cfg = connectionConfig(opts);
  const timeoutMs = opts.timeoutMs ?? 3000;
  // A malformed feed URL is a usage error, said before any server is contacted.
  const feedSpecs = (opts.feed ?? []).length === 0 ? [] : (await import('../../feeds/feed-url.js')).parseFeedSpecs(opts.feed ?? []);
  const feedProbes: Promise<FeedProbeResult[]> =
    feedSpecs.length === 0
      ? Promise.resolve([])
      : import('../../feeds/feed-probe.js').then(({ probeFeed }) => Promise.all(feedSpecs.map((spec) => probeFeed(spec, timeoutMs))));
  const [redis, postgres, localServers, feeds] = await Promise.all([
    checkRedis(cfg.redisUrl, cfg.env, timeoutMs, { cluster: cfg.redisCluster, buckets: cfg.redisBuckets }),
    checkPostgres(cfg.databaseUrl, timeoutMs, cfg.namedStatements),
    checkLocalServers(opts.dataDir ?? '.aisctl/servers', cfg, Math.min(timeoutMs, 1000)),
    feedProbes,
  ]);
  const ok = [redis, postgres].every((r) => r.reachable && !r.findings.some((x) => x.level === 'fail')) && feeds.every((f) => f.ok);
  return { ok, redis, postgres, localServers, feeds };
}

export async function run(opts: DoctorOptions): Promise<number> {
  const report = await diagnose(opts);
  if (opts.json) printJson(report);
  else printLines(renderDoctor(report));
  return report.ok ? 0 : 1;
}
