/**
 * The only place that reads process.env: flags and environment become one typed config object
 * that the rest of the program receives.
 */
import { AisctlError } from '../errors/aisctl-error.js';
import { parseDuration } from '../utils/duration.js';
import { DEFAULT_NATS_URL } from '../log/log-defaults.js';

export interface ConnectionConfig {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  /** Redis key prefix (seed 5.1): every key is `${env}:ais:...` (docs/storage.md, "Key layout"). */
  readonly env: string;
  /** redisUrl names a Redis Cluster: a comma-separated seed list, or `--redis-cluster` / REDIS_CLUSTER=1. */
  readonly redisCluster: boolean;
  /** `--redis-buckets` / REDIS_BUCKETS; undefined: the environment's recorded count, else 64 on a cluster, 1 standalone. */
  readonly redisBuckets: number | undefined;
  /**
   * Behind PgBouncer in transaction pooling, consecutive statements may land on different
   * server connections, so named (prepared) statements must be off (seed 2.3).
   */
  readonly namedStatements: boolean;
}

export interface ConnectionFlags {
  redisUrl?: string;
  databaseUrl?: string;
  env?: string;
  pgbouncer?: boolean;
  redisCluster?: boolean;
  redisBuckets?: string;
}

/** Flags of the measured commands (load, stress, run): output, reports and gates. */
export interface SessionFlags extends ConnectionFlags {
  json?: boolean;
  /** False with --no-tui. */
  tui: boolean;
  reportsDir: string;
  gate?: string[];
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/aisctl';

const ENV_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TRUE_FLAG = /^(1|true|yes|on)$/i;

export function connectionConfig(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): ConnectionConfig {
  const envName = flags.env ?? env.AIS_ENV ?? 'dev';
  if (!ENV_NAME.test(envName)) {
    throw new UsageError(`--env / AIS_ENV must be 1-64 letters, digits, '_', '.', '-': got '${envName}'`);
  }
  const redisUrl = flags.redisUrl ?? env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const bucketsText = flags.redisBuckets ?? (env.REDIS_BUCKETS || undefined);
  return {
    redisUrl,
    databaseUrl: flags.databaseUrl ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    env: envName,
    redisCluster: redisUrl.includes(',') || (flags.redisCluster ?? TRUE_FLAG.test(env.REDIS_CLUSTER ?? '')),
    redisBuckets:
      bucketsText === undefined ? undefined : parseIntOption(flags.redisBuckets !== undefined ? '--redis-buckets' : 'REDIS_BUCKETS', bucketsText, 1, 16_384),
    namedStatements: !(flags.pgbouncer ?? env.AISCTL_PGBOUNCER === '1'),
  };
}

/** `--nats` / NATS_URL: the NATS servers of the log (publish, work, serve --publish, doctor --nats). */
export function natsUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env.NATS_URL || DEFAULT_NATS_URL);
}

/** A mistake in how the command was called: exit 1 and the message without a stack (2 is commander's own unknown command or option). */
export class UsageError extends AisctlError {
  override readonly name = 'UsageError';
}

export { DependencyError } from '../store/connections.js';

export function parseIntOption(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer between ${min} and ${max}: got '${value}'`);
  }
  return n;
}

export function parseRatioOption(name: string, value: string): number {
  const pct = value.endsWith('%');
  const n = Number(pct ? value.slice(0, -1) : value) / (pct ? 100 : 1);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${name} must be a ratio 0..1 or a percentage: got '${value}'`);
  return n;
}

/** A duration flag in ms, in the one grammar of utils/duration.ts (`500ms`, `30s`, `1m30s`; a bare number is refused). */
export function parseDurationMs(name: string, value: string): number {
  return parseDuration(value, name);
}

const DISTANCE = /^(\d+(?:\.\d+)?)(m|km|nm|mi)?$/;

export function parseDistanceMeters(name: string, value: string): number {
  const m = DISTANCE.exec(value.trim());
  if (!m) throw new UsageError(`${name} must be a distance like 500m, 10km, 5nm: got '${value}'`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'm';
  const factor = unit === 'm' ? 1 : unit === 'km' ? 1000 : unit === 'nm' ? 1852 : 1609.344;
  return n * factor;
}
