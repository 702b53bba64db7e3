/**
 * `aisctl near LAT LON [--radius 10km] [--limit 50] [--max-age D] [--json]`: vessels around a
 * point from the Redis geo index, nearest first, with their names and how old their last report
 * is on the environment's clock (wall, or replay for old data: store/redis/env-clock.ts). Only
 * vessels heard within --max-age (default: the live TTL) and not soft-deleted, even before a
 * prune ran: a stale position is the first thing to distrust in a geo answer.
 */
import type { RedisClient } from '../../store/connections.js';
import { connectionConfig, parseDistanceMeters, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import { formatAge, formatDistance, formatIso, formatNumber, formatTable, printJson, printLines } from '../print-table.js';
import { clockJson, parsePositiveDuration, readLiveAge } from '../live-age.js';
import { formatDuration } from '../../utils/duration.js';

interface NearOptions extends ConnectionFlags {
  radius?: string;
  limit?: string;
  maxAge?: string;
  json?: boolean;
}

/** Redis geo indexes cover latitudes within the Web Mercator limit only. */
const MAX_GEO_LAT = 85.05112878;
/** GEOSEARCH works on a sphere; half the Earth's circumference covers every point. */
const MAX_RADIUS_M = 20_037_500;

export function parseCoordinate(name: 'LAT' | 'LON', value: string): number {
  const n = Number(value.trim());
  const max = name === 'LAT' ? MAX_GEO_LAT : 180;
  if (value.trim() === '' || !Number.isFinite(n) || Math.abs(n) > max) {
    const hint = name === 'LAT' ? `-${MAX_GEO_LAT}..${MAX_GEO_LAT} (the Redis geo index limit)` : '-180..180';
    throw new UsageError(`${name} must be decimal degrees in ${hint}: got '${value}' (negative values: \`aisctl near -- -33.86 151.21\`)`);
  }
  return n;
}

export interface NearbyRow {
  readonly mmsi: number;
  readonly distanceMeters: number;
  readonly lat: number;
  readonly lon: number;
  readonly name: string | null;
  readonly sog: number | null;
  readonly lastReport: string | null;
  /** Age of the last position on the environment's clock. */
  readonly ageSeconds: number | null;
}

/**
 * Live vessels near a point: soft-deleted ones and those last heard before sinceMs are left out
 * by the search itself. `buckets` must be the environment's bucket count (layout-meta.ts).
 */
export async function findNearby(
  redis: RedisClient,
  env: string,
  lat: number,
  lon: number,
  radiusMeters: number,
  limit: number,
  clockNowMs: number,
  sinceMs: number,
  buckets = 1,
): Promise<NearbyRow[]> {
  const { searchNear } = await import('../../store/redis/hot-state-reader.js');
  const found = await searchNear(redis, env, lat, lon, radiusMeters, limit, { buckets, sinceMs });
  return found.map((v) => {
    const ts = v.state.position?.ts ?? null;
    return {
      mmsi: v.mmsi,
      distanceMeters: Math.round(v.distanceMeters * 10) / 10,
      lat: v.lat,
      lon: v.lon,
      name: v.state.static.name,
      sog: v.state.position?.sog ?? null,
      lastReport: ts === null ? null : formatIso(ts),
      ageSeconds: ts === null ? null : Math.round((clockNowMs - ts) / 1000),
    };
  });
}

export async function run(latArg: string, lonArg: string, opts: NearOptions): Promise<number> {
  const lat = parseCoordinate('LAT', latArg);
  const lon = parseCoordinate('LON', lonArg);
  const radius = parseDistanceMeters('--radius', opts.radius ?? '10km');
  if (radius <= 0 || radius > MAX_RADIUS_M) throw new UsageError(`--radius must be above 0 and at most ${MAX_RADIUS_M / 1000} km: got '${opts.radius}'`);
  const limit = parseIntOption('--limit', opts.limit ?? '50', 1, 10_000);
  const maxAgeArg = opts.maxAge === undefined ? undefined : parsePositiveDuration('--max-age', opts.maxAge);
  const cfg = connectionConfig(opts);
  const { describeClock } = await import('../../store/redis/env-clock.js');
  const { openRedis } = await import('../../store/connections.js');
  const { resolveBuckets } = await import('../../store/redis/layout-meta.js');
  const redis = await openRedis(cfg.redisUrl, { cluster: cfg.redisCluster });
  try {
    const buckets = await resolveBuckets(redis, cfg.env, { requested: cfg.redisBuckets, cluster: redis.isCluster, record: false });
    const { liveTtlMs, clock } = await readLiveAge(redis, cfg.env, buckets);
    const maxAgeMs = maxAgeArg ?? liveTtlMs;
    const rows = await findNearby(redis, cfg.env, lat, lon, radius, limit, clock.nowMs, clock.nowMs - maxAgeMs, buckets);
    if (opts.json) {
      printJson({
        center: { lat, lon },
        radiusMeters: radius,
        env: cfg.env,
        maxAgeSeconds: maxAgeMs / 1000,
        clock: clockJson(clock),
        count: rows.length,
        vessels: rows,
      });
      return 0;
    }
    const where = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
    const within = `heard within ${formatDuration(maxAgeMs)}${maxAgeArg === undefined ? ' (the live TTL)' : ''}, ages on the ${describeClock(clock)}`;
    if (rows.length === 0) {
      printLines([`no vessels with a live position within ${formatDistance(radius)} of ${where} (env ${cfg.env}) ${within}`]);
      return 0;
    }
    printLines([
      `${rows.length} vessel${rows.length === 1 ? '' : 's'} within ${formatDistance(radius)} of ${where} (env ${cfg.env}), nearest first${rows.length === limit ? ` (--limit ${limit} reached)` : ''}; ${within}:`,
      ...formatTable(
        [
          { header: 'DISTANCE', align: 'right' },
          { header: 'MMSI', align: 'right' },
          { header: 'NAME' },
          { header: 'LAT', align: 'right' },
          { header: 'LON', align: 'right' },
          { header: 'SOG', align: 'right' },
          { header: 'LAST REPORT', align: 'right' },
        ],
        rows.map((r) => [
          formatDistance(r.distanceMeters),
          String(r.mmsi),
          r.name ?? '-',
          r.lat.toFixed(5),
          r.lon.toFixed(5),
          formatNumber(r.sog, 1),
          r.ageSeconds === null ? '-' : `${formatAge(r.ageSeconds * 1000)} ago`,
        ]),
      ),
    ]);
    return 0;
  } finally {
    redis.disconnect();
  }
}
