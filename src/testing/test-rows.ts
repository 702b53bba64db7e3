/**
 * Row factories shared by the resilience tests (unit and integration): deterministic positions
 * and statics for a given vessel and time.
 */
import type { PositionRow, VesselStaticRow } from '../store/store-types.js';

export function positionRow(mmsi: number, ts: number, over: Partial<PositionRow> = {}): PositionRow {
  return {
    mmsi,
    ts,
    lat: 50 + (mmsi % 1000) / 1000,
    lon: -1 + (ts % 100_000) / 100_000,
    sog: 10.5,
    cog: 181.2,
    heading: 180,
    navStatus: 0,
    source: 'test',
    score: 1,
    ...over,
  };
}

export function staticRow(mmsi: number, ts: number, over: Partial<VesselStaticRow> = {}): VesselStaticRow {
  return {
    mmsi,
    ts,
    name: `VESSEL ${mmsi}`,
    callsign: null,
    imo: null,
    shipType: 70,
    toBow: 100,
    toStern: 20,
    toPort: 10,
    toStarboard: 10,
    draught: 7.5,
    destination: 'ROTTERDAM',
    ...over,
  };
}

/** A static row that says only `fields`; every other field is "not available" (null). */
export function bareStaticRow(mmsi: number, ts: number, fields: Partial<VesselStaticRow> = {}): VesselStaticRow {
  return {
    mmsi,
    ts,
    name: null,
    callsign: null,
    imo: null,
    shipType: null,
    toBow: null,
    toStern: null,
    toPort: null,
    toStarboard: null,
    draught: null,
    destination: null,
    ...fields,
  };
}
