/**
 * Pairs type 24 part A (name) with part B (type, callsign, dimensions) of the same MMSI into one
 * StaticDataReport, the way gpsd does before it prints a type 24 record.
 *
 * A part B merges with the part A last seen for its MMSI, and consumes it so that a repeated part
 * B does not produce a second record. A part B that arrives first is kept too, so the pair also
 * merges when the A follows (receivers and satellites do reorder). Bounded: at most `maxEntries`
 * MMSIs wait for their other half; the least recently offered ones are dropped first. Pure: no
 * clock, so stale halves age out only by that bound.
 */
import type { StaticDataReport, StaticDataReportPart, StaticDataReportPartA, StaticDataReportPartB } from './types.js';

interface Pending {
  a: StaticDataReportPartA | null;
  b: StaticDataReportPartB | null;
}

export class Type24Merger {
  private readonly pending = new Map<number, Pending>();
  private readonly maxEntries: number;

  constructor(maxEntries = 4096) {
    this.maxEntries = Math.max(1, Math.floor(maxEntries));
  }

  /** MMSIs currently waiting for their other half. */
  get size(): number {
    return this.pending.size;
  }

  /** Returns the merged record when `part` completes a pair, else null (the part is remembered). */
  offer(part: StaticDataReportPart): StaticDataReport | null {
    const entry = this.pending.get(part.mmsi);
    if (part.partNo === 0) {
      if (entry?.b != null) {
        this.pending.delete(part.mmsi);
        return merge(part, entry.b);
      }
      this.remember(part.mmsi, { a: part, b: null });
      return null;
    }
    if (entry?.a != null) {
      this.pending.delete(part.mmsi);
      return merge(entry.a, part);
    }
    this.remember(part.mmsi, { a: null, b: part });
    return null;
  }

  private remember(mmsi: number, entry: Pending): void {
    // Delete then set moves the key to the end of the Map's insertion order: LRU by offer time.
    this.pending.delete(mmsi);
    this.pending.set(mmsi, entry);
    if (this.pending.size > this.maxEntries) {
      const oldest = this.pending.keys().next();
      if (oldest.done !== true) this.pending.delete(oldest.value);
    }
  }
}

function merge(a: StaticDataReportPartA, b: StaticDataReportPartB): StaticDataReport {
  return {
    type: 24,
    repeat: b.repeat,
    mmsi: b.mmsi,
    partNo: null,
    shipName: a.shipName,
    shipType: b.shipType,
    vendorId: b.vendorId,
    model: b.model,
    serial: b.serial,
    callsign: b.callsign,
    toBow: b.toBow,
    toStern: b.toStern,
    toPort: b.toPort,
    toStarboard: b.toStarboard,
    mothershipMmsi: b.mothershipMmsi,
  };
}
