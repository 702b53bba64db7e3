import type pg from 'pg';
import { loadSql, queryConfig } from './sql-file.js';

const ENSURE_SOURCES = loadSql(new URL('./sql/ensure-sources.sql', import.meta.url), 'aisctl_ensure_sources');

/**
 * Makes sure `cache` (source name -> sources.id) holds every name of `names`, inserting the
 * names the sources table lacks. Run in statements of its own, before a batch's transaction:
 * sources are a handful of names, so after the first batches this costs nothing.
 */
export async function resolveSourceIds(pool: pg.Pool, cache: Map<string, number>, names: Iterable<string>, named: boolean): Promise<void> {
  let missing: Set<string> | undefined;
  for (const name of names) {
    if (!cache.has(name)) (missing ??= new Set()).add(name);
  }
  if (missing === undefined) return;
  const wanted = [...missing].sort();
  // Twice at most: a name a concurrent writer inserted after the first statement's snapshot is visible to the second.
  for (let n = 0; n < 2; n++) {
    const r = await pool.query<{ id: number; name: string }>(queryConfig(ENSURE_SOURCES, [wanted.filter((w) => !cache.has(w))], named));
    for (const row of r.rows) cache.set(row.name, row.id);
    if (wanted.every((w) => cache.has(w))) return;
  }
  throw new Error(`could not resolve source ids for ${wanted.filter((w) => !cache.has(w)).join(', ')}`);
}
