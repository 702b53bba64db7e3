/**
 * Type 24 comes in two parts sent separately (A: name; B: ship type, callsign, dimensions).
 * The cache remembers the latest of each part per MMSI so every part yields one complete
 * static record; stores that overwrite rather than coalesce would otherwise alternately lose the
 * name and the dimensions. Bounded: the least recently updated MMSIs are forgotten first.
 *
 * Not ais/type24-merger.ts: that one pairs an A with one B and consumes it, as gpsd prints a
 * type 24 once; this one keeps both parts, because every later part must still come out whole.
 */
export interface Type24PartA {
  readonly name: string | null;
}

export interface Type24PartB {
  readonly shipType: number | null;
  readonly callsign: string | null;
  readonly toBow: number | null;
  readonly toStern: number | null;
  readonly toPort: number | null;
  readonly toStarboard: number | null;
}

interface Parts {
  a: Type24PartA | null;
  b: Type24PartB | null;
}

export class Type24PartCache {
  private readonly parts = new Map<number, Parts>();

  constructor(private readonly capacity = 50_000) {}

  get size(): number {
    return this.parts.size;
  }

  /** Records a part and returns what is known of both parts now. */
  add(mmsi: number, part: { a: Type24PartA } | { b: Type24PartB }): { a: Type24PartA | null; b: Type24PartB | null } {
    const prev = this.parts.get(mmsi);
    const next: Parts = { a: prev?.a ?? null, b: prev?.b ?? null };
    if ('a' in part) next.a = part.a;
    else next.b = part.b;
    // Delete then set moves the key to the end of Map's insertion order: an LRU without a library.
    this.parts.delete(mmsi);
    this.parts.set(mmsi, next);
    if (this.parts.size > this.capacity) {
      const oldest = this.parts.keys().next();
      if (oldest.done !== true) this.parts.delete(oldest.value);
    }
    return { a: next.a, b: next.b };
  }
}
