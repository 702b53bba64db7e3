/**
 * The fixes fusion keeps per vessel, as fixed-size records in one Float64Array addressed by slot
 * number, with a free list: the groups of a vessel's window (what an accepted report leaves
 * there) and each source's latest fix.
 *
 * As objects, every one was six to eight heap objects (the object and a box per number field: V8
 * keeps each double field of an object in a box of its own), over a million old-space objects
 * for 10,000 vessels. Mark-compact visits and moves old-space objects in its pause: under
 * `aisctl load --rate 10000` the longest pauses (11-16 ms) were the evacuation of those pages
 * (`--trace-gc-nvp`, evacuate=10.9 of a 14.4 ms pause). And every report reads a vessel's fixes:
 * scattered boxes were a cache miss each, which made fusion's cost per report grow with the fleet
 * (fusion-steady-state bench: 0.81 us per report at 1,000 vessels, 1.20 at 10,000, 2.78 at
 * 50,000). Here all of them are one array buffer the collector never looks into, and one record
 * is one 64-byte cache line.
 *
 * Source names cannot go into a Float64Array; they sit in a plain array beside it, by slot.
 */

/** Doubles per record: ts, lat, lon, sog, cog, score, and two spare to keep one cache line. */
export const FIX_STRIDE = 8;
/** Offsets in a record, for loops that read `records` directly (see there). */
export const FIX_TS = 0;
export const FIX_LAT = 1;
export const FIX_LON = 2;
const STRIDE = FIX_STRIDE;
const TS = FIX_TS;
const LAT = FIX_LAT;
const LON = FIX_LON;
const SOG = 3;
const COG = 4;
const SCORE = 5;

const INITIAL_SLOTS = 1024;

export class FixSlab {
  private data = new Float64Array(INITIAL_SLOTS * STRIDE);
  private sources: string[] = [];
  /** Released slots, reused first (last released, first reused: the warmest cache lines). */
  private readonly free: number[] = [];
  /** Slots ever handed out: the next fresh one. */
  private used = 0;

  /**
   * The records, slot `s` at `s * FIX_STRIDE`: valid until the next `alloc` (which may replace the
   * array). For the engine's hot loops: in a function as large as FusionEngine.offer, V8 stops
   * inlining calls (its budget per function is spent), and a method called, not inlined, that
   * returns a double returns it boxed: `ts()` was 50 bytes of garbage per position and its own
   * line in the bulk ingest CPU profile (1.7 %).
   */
  get records(): Float64Array {
    return this.data;
  }

  /** Slots in use (handed out and not released). */
  get size(): number {
    return this.used - this.free.length;
  }

  /**
   * A slot holding `fix` and `score`. The fix comes as an object, not as five numbers: where V8
   * does not inline the call, every number argument would be boxed on the way in.
   */
  alloc(fix: Readonly<MutableFix>, score: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot * STRIDE >= this.data.length) this.grow();
    }
    this.set(slot, fix, score);
    return slot;
  }

  /** The slot may be handed out again; its holder must not read it any more. */
  release(slot: number): void {
    this.free.push(slot);
  }

  ts(slot: number): number {
    return this.data[slot * STRIDE + TS] as number;
  }

  score(slot: number): number {
    return this.data[slot * STRIDE + SCORE] as number;
  }

  source(slot: number): string {
    return this.sources[slot] as string;
  }

  /** Overwrites a slot in place (a source's newer fix). */
  set(slot: number, fix: Readonly<MutableFix>, score: number): void {
    const d = this.data;
    const at = slot * STRIDE;
    d[at + TS] = fix.ts;
    d[at + LAT] = fix.lat;
    d[at + LON] = fix.lon;
    d[at + SOG] = fix.sog;
    d[at + COG] = fix.cog;
    d[at + SCORE] = score;
    this.sources[slot] = fix.source;
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

/** A fix as track-evidence.ts reads it, filled from a slot (reused objects, no allocation per read). */
export interface MutableFix {
  ts: number;
  lat: number;
  lon: number;
  /** NaN when unknown. */
  sog: number;
  cog: number;
  source: string;
}

export function readFix(slab: FixSlab, slot: number, into: MutableFix): MutableFix {
  const d = slab.records;
  const at = slot * STRIDE;
  into.ts = d[at + TS] as number;
  into.lat = d[at + LAT] as number;
  into.lon = d[at + LON] as number;
  into.sog = d[at + SOG] as number;
  into.cog = d[at + COG] as number;
  into.source = slab.source(slot);
  return into;
}

export function emptyFix(): MutableFix {
  return { ts: 0, lat: 0, lon: 0, sog: Number.NaN, cog: Number.NaN, source: '' };
}
