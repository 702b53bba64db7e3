/**
 * In-memory stand-ins for the history and hot-state stores, for unit tests of the resilience
 * logic only (integration tests use the real writers on real servers). They keep the
 * idempotency the real stores guarantee: history keyed by (mmsi, ts), hot state newest-wins.
 */
import type { HistoryStore, HotStateStore, PositionRow, VesselStaticRow } from '../store/store-types.js';

export type FailureMode = 'none' | 'unavailable' | ((positions: readonly PositionRow[], statics: readonly VesselStaticRow[]) => Error | null);

function failureFor(mode: FailureMode, p: readonly PositionRow[], s: readonly VesselStaticRow[]): Error | null {
  if (mode === 'none') return null;
  if (mode === 'unavailable') return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  return mode(p, s);
}

export interface FakeHistory extends HistoryStore {
  mode: FailureMode;
  readonly rows: Map<string, PositionRow>;
  calls: number;
}

export function createFakeHistory(): FakeHistory {
  const rows = new Map<string, PositionRow>();
  const store: FakeHistory = {
    mode: 'none',
    rows,
    calls: 0,
    async writeBatch(positions, statics) {
      store.calls++;
      const err = failureFor(store.mode, positions, statics);
      if (err) throw err;
      let inserted = 0;
      for (const p of positions) {
        const k = `${p.mmsi}@${p.ts}`;
        if (!rows.has(k)) inserted++;
        rows.set(k, p);
      }
      return { positionsInserted: inserted, positionsUpdated: 0, positionsSkipped: positions.length - inserted, vesselsInserted: 0, deadlocks: 0 };
    },
    async close() {},
  };
  return store;
}

export interface FakeHot extends HotStateStore {
  mode: FailureMode;
  readonly latest: Map<number, PositionRow>;
}

export function createFakeHot(): FakeHot {
  const latest = new Map<number, PositionRow>();
  const store: FakeHot = {
    mode: 'none',
    latest,
    async writeBatch(positions, statics) {
      const err = failureFor(store.mode, positions, statics);
      if (err) throw err;
      let applied = 0;
      for (const p of positions) {
        const cur = latest.get(p.mmsi);
        if (!cur || cur.ts < p.ts) {
          latest.set(p.mmsi, p);
          applied++;
        }
      }
      return { applied, stale: positions.length - applied };
    },
    async close() {},
  };
  return store;
}
