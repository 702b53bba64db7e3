/**
 * Maps whose iteration order doubles as recency order, so the first key is the one to evict at a
 * cap (fusion's vessels per lane, sources per vessel, tracked sources).
 *
 * Moving an entry to the back on every use (delete + set) keeps that order exact, but each
 * delete leaves a dead slot and V8 rebuilds the table when they fill it: under `aisctl load` those
 * rebuilt tables were the largest single source of objects surviving young-generation GC
 * (sampled heap profile, `Map.set` under FusionEngine.touch and SourceQualityTracker.record),
 * feeding the old-space growth whose mark-compacts are the longest event-loop stalls.
 *
 * So an entry is moved only once the map is at least half full. Below that no eviction is near,
 * and a hit leaves the map alone (no dead slot). From half full on, every entry used is
 * moved to the back; by the time the cap is reached, the front holds only entries not used since
 * the map passed half, oldest insertion first: the eviction choice stays least recently used
 * among everything heard since then, which is what the caps are for.
 */

/**
 * Records a use of `key`, whose entry holds `value` (what the caller just read from the map).
 * Below half full that is nothing at all: every caller already did the one lookup it needs, and
 * a second one to compare the value was 2 % of the bulk ingest CPU (fusion's vessel and source
 * maps, `npm run bench:ingest` profile).
 */
export function refreshEntry<K, V>(map: Map<K, V>, key: K, value: V, cap: number): void {
  if (map.size * 2 >= cap) {
    map.delete(key);
    map.set(key, value);
  }
}

/** Adds `key`, which is not in the map, evicting the front entry at the cap. True when one was evicted. */
export function insertEntry<K, V>(map: Map<K, V>, key: K, value: V, cap: number): boolean {
  let evicted = false;
  if (map.size >= cap) {
    const oldest = map.keys().next();
    if (oldest.done !== true) {
      map.delete(oldest.value);
      evicted = true;
    }
  }
  map.set(key, value);
  return evicted;
}

/**
 * Removes the front entry (the one `insertEntry` would evict) and returns its value, for maps
 * whose values hold something to give back first.
 */
export function evictOldest<K, V>(map: Map<K, V>): V | undefined {
  const oldest = map.entries().next();
  if (oldest.done === true) return undefined;
  map.delete(oldest.value[0]);
  return oldest.value[1];
}
