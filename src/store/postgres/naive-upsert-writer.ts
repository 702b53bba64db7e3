import type pg from 'pg';
import type { HistoryStore, HistoryWriteResult, PositionRow, VesselStaticRow } from '../store-types.js';
import { cogToUnits, coordToUnits, headingStatusToUnits, sogToUnits } from './position-units.js';
import { loadSql } from './sql-file.js';
import { resolveSourceIds } from './source-ids.js';
import { withTransaction } from './with-transaction.js';

const UPSERT_VESSELS = loadSql(new URL('./sql/naive-upsert-vessels.sql', import.meta.url), 'aisctl_naive_vessels');
const UPSERT_POSITIONS = loadSql(new URL('./sql/naive-upsert-positions.sql', import.meta.url), 'aisctl_naive_positions');

/**
 * The seed's write path, reproduced ON PURPOSE so the deadlock stress harness can show that it
 * sees deadlocks: unsorted multi-row upserts in arrival order, in one transaction, no retry.
 * Never use it to store data. Duplicates are dropped (first wins) only because ON CONFLICT
 * refuses to touch a row twice in one statement, which would hide the deadlocks behind another
 * error. Statics are ignored. Source ids are resolved before the transaction, as the real
 * writer does, so that the deadlocks shown are those of the position and vessel upserts; no
 * partitions are created (rows of a day without one land in the default partition).
 */
export function createNaiveUpsertWriter(opts: { pool: pg.Pool }): HistoryStore {
  const { pool } = opts;
  const sourceIds = new Map<string, number>();
  return {
    async writeBatch(positions: readonly PositionRow[], _statics: readonly VesselStaticRow[]): Promise<HistoryWriteResult> {
      await resolveSourceIds(
        pool,
        sourceIds,
        positions.map((p) => p.source),
        false,
      );
      const seenVessel = new Set<number>();
      const mmsis: number[] = [];
      const ts: number[] = [];
      for (const p of positions) {
        if (seenVessel.has(p.mmsi)) continue;
        seenVessel.add(p.mmsi);
        mmsis.push(p.mmsi);
        ts.push(Math.trunc(p.ts));
      }
      return withTransaction(pool, async (client) => {
        const v = await client.query<{ id: string; mmsi: number }>(UPSERT_VESSELS.text, [mmsis, ts]);
        const ids = new Map(v.rows.map((r) => [r.mmsi, Number(r.id)]));
        const seenKey = new Set<string>();
        const rows = positions.filter((p) => {
          const k = `${p.mmsi}:${p.ts}`;
          if (seenKey.has(k)) return false;
          seenKey.add(k);
          return true;
        });
        const r = await client.query(UPSERT_POSITIONS.text, [
          rows.map((p) => ids.get(p.mmsi)),
          rows.map((p) => Math.trunc(p.ts)),
          rows.map((p) => coordToUnits(p.lat)),
          rows.map((p) => coordToUnits(p.lon)),
          rows.map((p) => p.score),
          rows.map((p) => sogToUnits(p.sog)),
          rows.map((p) => cogToUnits(p.cog)),
          rows.map((p) => headingStatusToUnits(p.heading, p.navStatus)),
          rows.map((p) => sourceIds.get(p.source)),
        ]);
        const affected = r.rowCount ?? 0;
        // The naive path cannot tell inserts from updates; the stress test counts rows itself.
        return { positionsInserted: affected, positionsUpdated: 0, positionsSkipped: positions.length - affected, vesselsInserted: 0, deadlocks: 0 };
      });
    },
    async close() {},
  };
}
