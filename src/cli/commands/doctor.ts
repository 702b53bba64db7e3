/**
 * `aisctl doctor [--json] [--feed URL]...`: checks the two servers aisctl depends on (the probes
 * are store/redis/inspect.ts and store/postgres/inspect.ts), the servers `aisctl up` started and,
 * with --feed, feed URLs, and prints each finding with what to do about it.
 *
 * Exit 1 when a server cannot be reached (or refuses the credentials), or PostgreSQL pools
 * transactions (PgBouncer) without --pgbouncer, else 0: warnings (schema behind, eviction
 * policy, no persistence) are advice, since ingest still works with them.
 */
import { EXIT_ERROR, EXIT_OK } from '../../errors/aisctl-error.js';
import type { FeedProbeResult } from '../../feeds/feed-probe.js';
import type { LogReport } from '../../log/log-inspect.js';
import { DEFAULT_LOCAL_SERVERS_DIR } from '../../harness/harness-defaults.js';
import type { Finding, FindingLevel } from '../../store/inspect-finding.js';
import type { PostgresReport } from '../../store/postgres/inspect.js';
import type { ServerSettingsReport } from '../../store/postgres/server-settings.js';
import type { RedisReport } from '../../store/redis/inspect.js';
import { hostPort } from '../../utils/host-port.js';
import { tcpProbe } from '../../utils/tcp-probe.js';
import { connectionConfig, type ConnectionFlags } from '../config.js';
import { printJson, printLines } from '../print-table.js';

interface DoctorOptions extends ConnectionFlags {
  json?: boolean;
  /** Where `aisctl up` keeps its state file; not a CLI flag (default DEFAULT_LOCAL_SERVERS_DIR), tests set it. */
  dataDir?: string;
  /** Connect timeout per server, ms (default 3000). */
  timeoutMs?: number;
  /** `--feed [NAME=]URL`: feeds to connect to (tcp, ws) or bind (udp, tcp-listen) once. */
  feed?: string[];
  /** `--nats URL`: the environment's log (stream, partitions, owners, lag). */
  nats?: string;
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
  /** PostgreSQL's settings for this workload, with the values recommended; null when unreachable. */
  postgresSettings: ServerSettingsReport | null;
  localServers: LocalServersReport;
  /** One per `--feed`; empty without. */
  feeds: FeedProbeResult[];
  /** With `--nats`: the scale-out log of the environment. */
  log?: LogReport;
}

async function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return (await tcpProbe(host, port, timeoutMs)) === null;
}

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

const MARK: Record<FindingLevel, string> = { ok: 'ok  ', info: 'info', warn: 'WARN', fail: 'FAIL' };

export function renderDoctor(report: DoctorReport): string[] {
  const lines: string[] = [];
  const section = (title: string, findings: readonly Finding[]): void => {
    lines.push(title);
    for (const x of findings) lines.push(`  ${MARK[x.level]}  ${x.text}`);
  };
  section(`Redis       ${report.redis.url}`, report.redis.findings);
  section(`PostgreSQL  ${report.postgres.url}`, report.postgres.findings);
  if (report.postgresSettings !== null) section('PostgreSQL server settings', report.postgresSettings.findings);
  section('Local servers (aisctl up)', report.localServers.findings);
  const feeds: Finding[] = report.feeds.map((f) => ({ level: f.ok ? 'ok' : 'fail', text: `${f.name}: ${f.detail}` }));
  if (feeds.length > 0) section('Feeds', feeds);
  if (report.log) section(`NATS log    ${report.log.url} (${report.log.stream})`, report.log.findings);
  const all = [...report.redis.findings, ...report.postgres.findings, ...(report.postgresSettings?.findings ?? []), ...report.localServers.findings, ...feeds];
  all.push(...(report.log?.findings ?? []));
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
  const [{ inspectRedis }, { inspectPostgres }, { deadLetterKeyLayoutOf, redisDeadLetterKeys }, { inspectServerSettings }] = await Promise.all([
    import('../../store/redis/inspect.js'),
    import('../../store/postgres/inspect.js'),
    import('../../resilience/dead-letter/redis-dead-letter-queue.js'),
    import('../../store/postgres/server-settings.js'),
  ]);
  const [redis, postgres, postgresSettings, localServers, feeds] = await Promise.all([
    inspectRedis(cfg.redisUrl, cfg.env, {
      timeoutMs,
      cluster: cfg.redisCluster,
      buckets: cfg.redisBuckets,
      deadLetterKeys: (client) => redisDeadLetterKeys(cfg.env, deadLetterKeyLayoutOf(client)),
    }),
    inspectPostgres(cfg.databaseUrl, { timeoutMs, namedStatements: cfg.namedStatements }),
    inspectServerSettings(cfg.databaseUrl, { timeoutMs }),
    checkLocalServers(opts.dataDir ?? DEFAULT_LOCAL_SERVERS_DIR, cfg, Math.min(timeoutMs, 1000)),
    feedProbes,
  ]);
  const log = opts.nats === undefined ? undefined : await (await import('../../log/log-inspect.js')).inspectLog(opts.nats, cfg.env);
  const logOk = log === undefined || (log.reachable && !log.findings.some((x) => x.level === 'fail'));
  const ok = [redis, postgres].every((r) => r.reachable && !r.findings.some((x) => x.level === 'fail')) && feeds.every((f) => f.ok) && logOk;
  return { ok, redis, postgres, postgresSettings, localServers, feeds, ...(log === undefined ? {} : { log }) };
}

export async function run(opts: DoctorOptions): Promise<number> {
  const report = await diagnose(opts);
  if (opts.json) printJson(report);
  else printLines(renderDoctor(report));
  return report.ok ? EXIT_OK : EXIT_ERROR;
}
