import { LRUCache } from 'lru-cache';

/**
 * Vessel ids kept in memory (`ingest --cache-size`): room for the vessels of a global feed,
 * which reach well beyond 100,000 MMSIs, so a real archive does not miss on every batch. Measured with `bench:ingest --vessels 100000` (1M positions): 10,000 entries gave a
 * 13 % hit rate, 68.6k positions/s, aisctl 11.3 us and PostgreSQL 9.0 us of CPU per position;
 * 200,000 gave 83.6k, 9.5 us and 6.8 us. With 10,000 vessels the two sizes measured the same
 * (2 pairs). The LRU allocates its index arrays for `max` up front (5.6 MB at this size, 13 MB
 * when full, measured); the writer's `seen` bounds hold up to twice as many entries.
 */
export const DEFAULT_VESSEL_ID_CACHE_SIZE = 200_000;

export interface VesselIdCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
  /** hits / (hits + misses), null before the first lookup. */
  readonly hitRate: number | null;
}

/**
 * mmsi -> vessels.id. Ids are bigint in the table but held as JS numbers: exact below 2^53,
 * which an identity column would reach only after 9e15 inserts. Lookups are counted once per
 * distinct vessel per batch, so the hit rate says how many vessels needed a database round trip.
 */
export class VesselIdCache {
  readonly #lru: LRUCache<number, number>;
  #hits = 0;
  #misses = 0;

  constructor(max: number) {
    this.#lru = new LRUCache<number, number>({ max });
  }

  /** Splits sorted distinct mmsis into known ids and misses (misses keep the input order). */
  lookup(mmsis: readonly number[]): { known: Map<number, number>; missing: number[] } {
    const known = new Map<number, number>();
    const missing: number[] = [];
    for (const m of mmsis) {
      const id = this.#lru.get(m);
      if (id === undefined) missing.push(m);
      else known.set(m, id);
    }
    this.#hits += known.size;
    this.#misses += missing.length;
    return { known, missing };
  }

  /** Only ids from committed transactions may be added: a rolled-back insert's id never existed. */
  addAll(ids: ReadonlyMap<number, number>): void {
    for (const [mmsi, id] of ids) this.#lru.set(mmsi, id);
  }

  stats(): VesselIdCacheStats {
    const total = this.#hits + this.#misses;
    return { hits: this.#hits, misses: this.#misses, size: this.#lru.size, hitRate: total === 0 ? null : this.#hits / total };
  }
}
