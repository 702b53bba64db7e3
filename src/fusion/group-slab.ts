/**
 * Fusion's window entries ("groups") as fixed-size records in one Float64Array, addressed by
 * slot number, with a free list: what an accepted report leaves in a vessel's window.
 *
 * As objects, every group was eight heap objects (the group and a box per number field: V8
 * keeps each double field of an object in a box of its own), about a million old-space objects
 * for 10,000 vessels' two-minute windows. Mark-compact visits and moves old-space objects in its
 * pause: under `aisctl load --rate 10000` the longest pauses (11-16 ms) were the evacuation of
 * those pages (`--trace-gc-nvp`, evacuate=10.9 of a 14.4 ms pause). Here the windows are one
 * array buffer the collector never looks into, and one record is one 64-byte cache line.
 *
 * Source names cannot go into a Float64Array; they sit in a plain array beside it, by slot.
 */

/** Doubles per record: ts, lat, lon, sog, cog, score, and two spare to keep one cache line. */
const STRIDE = 8;
const TS = 0;
const LAT = 1;
const LON = 2;
const SOG = 3;
const COG = 4;
const SCORE = 5;

const INITIAL_SLOTS = 1024;

export class GroupSlab {
  private data = new Float64Array(INITIAL_SLOTS * STRIDE);
  private sources: string[] = [];
  /** Released slots, reused first (last released, first reused: the warmest cache lines). */
  private readonly free: number[] = [];
  /** Slots ever handed out: the next fresh one. */
  private used = 0;

  /** Slots in use (handed out and not released). */
  get size(): number {
    return this.used - this.free.length;
  }

  /** A slot holding the given values. */
  alloc(ts: number, lat: number, lon: number, sog: number, cog: number, source: string, score: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot * STRIDE >= this.data.length) this.grow();
    }
    const d = this.data;
    const at = slot * STRIDE;
    d[at + TS] = ts;
    d[at + LAT] = lat;
    d[at + LON] = lon;
    d[at + SOG] = sog;
    d[at + COG] = cog;
    d[at + SCORE] = score;
    this.sources[slot] = source;
    return slot;
  }

  /** The slot may be handed out again; its holder must not read it any more. */
  release(slot: number): void {
    this.free.push(slot);
  }

  ts(slot: number): number {
    return this.data[slot * STRIDE + TS] as number;
  }

  lat(slot: number): number {
    return this.data[slot * STRIDE + LAT] as number;
  }

  lon(slot: number): number {
    return this.data[slot * STRIDE + LON] as number;
  }

  /** NaN when unknown. */
  sog(slot: number): number {
    return this.data[slot * STRIDE + SOG] as number;
  }

  /** NaN when unknown. */
  cog(slot: number): number {
    return this.data[slot * STRIDE + COG] as number;
  }

  score(slot: number): number {
    return this.data[slot * STRIDE + SCORE] as number;
  }

  source(slot: number): string {
    return this.sources[slot] as string;
  }

  /** A better-scoring duplicate takes the group over. */
  rescore(slot: number, source: string, score: number): void {
    this.data[slot * STRIDE + SCORE] = score;
    this.sources[slot] = source;
  }

  private grow(): void {
    const bigger = new Float64Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }
}
