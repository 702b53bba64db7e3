/**
 * `aisctl vessel MMSI --soft-delete | --restore` (seed 6.1): hide a vessel from reads without
 * losing its history, or show it again with everything received meanwhile. PostgreSQL holds the
 * record (`deleted_at`); Redis gets the same mark (store/redis/soft-delete-marks.ts) so that
 * every live read (`near`, `vessel`, the read API, the live map) hides the vessel too.
 */
import { connectionConfig, type ConnectionFlags } from '../config.js';

export async function runLifecycle(mmsi: number, action: 'soft-delete' | 'restore', flags: ConnectionFlags): Promise<number> {
  const cfg = connectionConfig(flags);
  const [{ openPostgres, openRedis }, { migrate }, { softDeleteVessel, restoreVessel }, { resolveBuckets }, { markSoftDeleted }] = await Promise.all([
    import('../../store/connections.js'),
    import('../../store/postgres/migrator.js'),
    import('../../store/postgres/soft-delete.js'),
    import('../../store/redis/layout-meta.js'),
    import('../../store/redis/soft-delete-marks.js'),
  ]);
  // Redis first: it fails in milliseconds, before PostgreSQL is changed.
  const redis = await openRedis(cfg.redisUrl, { cluster: cfg.redisCluster });
  try {
    const buckets = await resolveBuckets(redis, cfg.env, { requested: cfg.redisBuckets, cluster: redis.isCluster, record: true });
    const pool = await openPostgres(cfg.databaseUrl, { max: 1 });
    try {
      await migrate(pool);
      const found = action === 'soft-delete' ? await softDeleteVessel(pool, mmsi) : await restoreVessel(pool, mmsi);
      if (!found) {
        process.stderr.write(`aisctl: no vessel with MMSI ${mmsi} in PostgreSQL\n`);
        return 1;
      }
    } finally {
      await pool.end();
    }
    // After PostgreSQL, the record: should this fail, running the command again completes it.
    await markSoftDeleted(redis, cfg.env, mmsi, action === 'soft-delete', { buckets });
    process.stdout.write(
      action === 'soft-delete'
        ? `vessel ${mmsi} soft-deleted: hidden from reads and live state (env ${cfg.env}); its history is kept and new reports are still recorded (restore with --restore)\n`
        : `vessel ${mmsi} restored (env ${cfg.env})\n`,
    );
    return 0;
  } finally {
    redis.disconnect();
  }
}
