/**
 * What `aisctl doctor` finds out about Redis: reachability and credentials, version and mode
 * (a cluster's state and slots), modules, memory and eviction policy, persistence, the keys of
 * an environment and its hot-state layout. Each finding says what to do about it.
 *
 * It opens its own short-lived connection (no reconnect loop, no offline queue) so that it
 * answers quickly and changes nothing, even when the server is down.
 */
import type { Cluster, Redis } from 'ioredis';
import { errorMessage } from '../../errors/error-message.js';
import { formatBytes } from '../../utils/format-bytes.js';
import { hostPort } from '../../utils/host-port.js';
import { tcpProbe } from '../../utils/tcp-probe.js';
import { DependencyError, describeRedisTarget, openRedis, parseRedisTarget, redactUrl, type RedisTarget } from '../connections.js';
import type { Finding } from '../inspect-finding.js';
import { countActive } from './hot-state-reader.js';
import { measureHotStateMemory } from './hot-state-memory.js';
import { shardsPerBucket } from './key-layout.js';
import { readRecordedBuckets, RedisLayoutError, resolveBuckets } from './layout-meta.js';

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
  /** MEMORY USAGE of the hot-state keys over the vessels in them; null when none (or not reached). */
  bytesPerVessel: number | null;
  /** Null when not asked for (no `deadLetterKeys`) or not reached. */
  deadLetters: { pending: number; parked: number } | null;
  findings: Finding[];
}

export interface RedisInspectOptions {
  /** Connect and command timeout, ms. */
  readonly timeoutMs: number;
  /** A single-seed URL names a cluster (`--redis-cluster`). */
  readonly cluster?: boolean;
  /** `--redis-buckets`; checked against the count recorded for env. */
  readonly buckets?: number | undefined;
  /**
   * The dead-letter queue's sorted sets in env, to count them. Passed in because the queue
   * belongs to `resilience`, a layer above the stores.
   */
  readonly deadLetterKeys?: (client: Redis | Cluster) => { readonly pending: string; readonly parked: string };
}

/** SCAN is O(keys in the database): stop after this many keys have been examined. */
const SCAN_CAP = 1_000_000;

const AUTH_REFUSED = /NOAUTH|WRONGPASS|invalid password/i;

function infoField(info: string, field: string): string | null {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim() ?? null;
}

export async function inspectRedis(url: string, env: string, opts: RedisInspectOptions): Promise<RedisReport> {
  const timeoutMs = opts.timeoutMs;
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
    bytesPerVessel: null,
    deadLetters: null,
    findings: [],
  };
  const f = report.findings;
  let target: RedisTarget;
  try {
    target = parseRedisTarget(url, { cluster: opts.cluster ?? false });
  } catch (err) {
    f.push({ level: 'fail', text: errorMessage(err) });
    return report;
  }
  if (target.kind === 'cluster') {
    let cluster: Cluster;
    try {
      cluster = (await openRedis(url, { cluster: true, connectTimeoutMs: timeoutMs })) as Cluster;
    } catch (err) {
      const why = errorMessage(err);
      f.push({
        level: 'fail',
        text: AUTH_REFUSED.test(why)
          ? `${describeRedisTarget(target)} refused the credentials (${why}): put the password in --redis-url / REDIS_URL (redis://:PASSWORD@host:port,host:port)`
          : err instanceof DependencyError
            ? err.message
            : `${describeRedisTarget(target)} not reachable (${why})`,
      });
      return report;
    }
    try {
      return await inspectConnected(cluster, cluster.nodes('master'), describeRedisTarget(target), report, opts);
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
      f.push({
        level: 'fail',
        text: AUTH_REFUSED.test(why)
          ? `Redis at ${where.label} refused the credentials (${why}): put the password in --redis-url / REDIS_URL (redis://:PASSWORD@host:port)`
          : `Redis not reachable at ${where.label} (${why}): start it (\`systemctl start redis-server\` or \`redis-server --daemonize yes\`), pass --redis-url / REDIS_URL, or run \`aisctl up\` for throwaway local servers`,
      });
      return report;
    }
    return await inspectConnected(client, [client], `at ${where.label}`, report, opts);
  } finally {
    client.disconnect();
  }
}

/**
 * The checks once connected. `nodes` are the servers holding data: the client itself, or every
 * master of a cluster (SCAN, INFO and memory are per node there).
 */
async function inspectConnected(
  client: Redis | Cluster,
  nodes: readonly Redis[],
  where: string,
  report: RedisReport,
  opts: RedisInspectOptions,
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
    let layoutOk = true;
    try {
      buckets = await resolveBuckets(client, env, { requested: opts.buckets, cluster: client.isCluster, record: false });
    } catch (err) {
      if (!(err instanceof RedisLayoutError)) throw err;
      f.push({ level: 'fail', text: err.message });
      buckets = recorded ?? 1;
      layoutOk = false;
    }
    report.buckets = buckets;
    if (layoutOk) {
      report.liveVessels = await countActive(client, env, -Infinity, { buckets, includeDeleted: true });
      report.bytesPerVessel = (await measureHotStateMemory(client, env, { buckets })).bytesPerVessel;
    }
    const dlq = opts.deadLetterKeys?.(client);
    const [pending, parked] = dlq === undefined ? [null, null] : await Promise.all([client.zcard(dlq.pending), client.zcard(dlq.parked)]);
    report.deadLetters = pending === null || parked === null ? null : { pending, parked };
    f.push({
      level: 'ok',
      text:
        `env '${env}': ${report.envKeysTruncated ? 'at least ' : ''}${keys} keys, ${report.liveVessels ?? '?'} live vessels` +
        (report.bytesPerVessel === null ? '' : ` (${Math.round(report.bytesPerVessel)} B each in Redis, MEMORY USAGE)`) +
        (report.deadLetters === null ? '' : `, dead letters ${report.deadLetters.pending} pending / ${report.deadLetters.parked} parked`),
    });
    f.push({
      level: 'info',
      text: `hot-state layout: ${buckets} bucket${buckets === 1 ? '' : 's'} of ${shardsPerBucket(buckets)} shards (${recorded === null ? 'nothing recorded yet: the first ingest records it' : 'recorded in the environment'})${client.isCluster && buckets < nodes.length ? `; fewer buckets than masters leaves some masters without geo/active indexes` : ''}`,
    });
    if (keys === 0)
      f.push({ level: 'info', text: `no keys under '${env}:': nothing ingested in this environment yet (or a different --env / AIS_ENV was used)` });
    if (parked !== null && parked > 0)
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
