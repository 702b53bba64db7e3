/**
 * Unknown numbers as NaN where fusion stores them (its fixes, groups and rows), null where they
 * are read as data. A field or array slot that only ever holds numbers is stored unboxed and
 * overwritten in place, where one that mixes null and numbers points at a fresh heap number per
 * write, an old-to-young pointer that every scavenge has to visit.
 */

/** `v` when it is a finite number, else NaN (unknown). */
export function finiteOrNaN(v: number | null): number {
  return v !== null && Number.isFinite(v) ? v : Number.NaN;
}

/** null for NaN (unknown), else `v`. */
export function nanToNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
