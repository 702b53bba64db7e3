/**
 * `aisctl vessel MMSI --soft-delete | --restore` (seed 6.1): hide a vessel from reads without
 * losing its history, or show it again with everything received meanwhile.
 */
import { connectionConfig, type ConnectionFlags } from '../config.js';

export async function runLifecycle(mmsi: number, action: 'soft-delete' | 'restore', flags: ConnectionFlags): Promise<number> {
  const cfg = connectionConfig(flags);
  const [{ openPostgres }, { migrate }, { softDeleteVessel, restoreVessel }] = await Promise.all([
    import('../../store/connections.js'),
    import('../../store/postgres/migrator.js'),
    import('../../store/postgres/soft-delete.js'),
  ]);
  const pool = await openPostgres(cfg.databaseUrl, { max: 1 });
  try {
    await migrate(pool);
    const found = action === 'soft-delete' ? await softDeleteVessel(pool, mmsi) : await restoreVessel(pool, mmsi);
    if (!found) {
      process.stderr.write(`aisctl: no vessel with MMSI ${mmsi} in PostgreSQL\n`);
      return 1;
    }
    process.stdout.write(
      action === 'soft-delete'
        ? `vessel ${mmsi} soft-deleted: hidden from reads; its history is kept and new reports are still recorded (restore with --restore)\n`
        : `vessel ${mmsi} restored\n`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}
