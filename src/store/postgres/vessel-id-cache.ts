import { LRUCache } from 'lru-cache';

/** Vessel ids kept in memory (`ingest --cache-size`). */
export const DEFAULT_VESSEL_ID_CACHE_SIZE = 10_000;

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
