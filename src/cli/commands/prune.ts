/**
 * `aisctl prune [--older-than D] [--json]`: removes vessels not heard for longer than D (default:
 * the environment's live TTL) from the live state in Redis, on the environment's clock, and says
 * how many. `serve` does the same every PRUNE_INTERVAL_MS; reads never show such vessels anyway,
 * so this only gives the memory back sooner.
 */
import { connectionConfig, type ConnectionFlags } from '../config.js';
import { printJson, printLines } from '../print-table.js';
import { clockJson, parsePositiveDuration } from '../live-age.js';
import { DEFAULT_LIVE_TTL_MS } from '../../store/redis/live-ttl.js';
import { formatDuration } from '../../utils/duration.js';

interface PruneOptions extends ConnectionFlags {
  olderThan?: string;
  json?: boolean;
}

export async function run(opts: PruneOptions): Promise<number> {
  const olderThanArg = opts.olderThan === undefined ? undefined : parsePositiveDuration('--older-than', opts.olderThan);
  const cfg = connectionConfig(opts);
  const [{ openRedis }, { readLiveTtl, resolveBuckets }, { pruneByAge }, { describeClock }] = await Promise.all([
    import('../../store/connections.js'),
    import('../../store/redis/layout-meta.js'),
    import('../../store/redis/prune-live.js'),
    import('../../store/redis/env-clock.js'),
  ]);
  const redis = await openRedis(cfg.redisUrl, { cluster: cfg.redisCluster });
  try {
    const buckets = await resolveBuckets(redis, cfg.env, { requested: cfg.redisBuckets, cluster: redis.isCluster, record: false });
    const liveTtlMs = (await readLiveTtl(redis, cfg.env)) ?? DEFAULT_LIVE_TTL_MS;
    const olderThanMs = olderThanArg ?? liveTtlMs;
    const { removed, cutMs, clock } = await pruneByAge(redis, cfg.env, { buckets, olderThanMs, liveTtlMs, wallMs: Date.now() });
    if (opts.json) {
      printJson({ env: cfg.env, removed, olderThanSeconds: olderThanMs / 1000, cut: new Date(cutMs).toISOString(), clock: clockJson(clock) });
    } else {
      printLines([
        `pruned ${removed} vessel${removed === 1 ? '' : 's'} not heard for longer than ${formatDuration(olderThanMs)} (before ${new Date(cutMs).toISOString()} on the ${describeClock(clock)}) from env ${cfg.env}`,
      ]);
    }
    return 0;
  } finally {
    redis.disconnect();
  }
}
