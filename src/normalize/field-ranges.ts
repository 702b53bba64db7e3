/**
 * Range checks for the optional kinematic and static fields. A value outside its range is not
 * worth rejecting a whole report for (the position is still good): it becomes null and the
 * caller counts it by field. The AIS "not available" sentinels are not out of range; they are
 * simply null.
 */
import type { RejectionReason } from './message.js';

export type RangeField =
  | 'sog'
  | 'cog'
  | 'heading'
  | 'navStatus'
  | 'imo'
  | 'shipType'
  | 'dimension'
  | 'draught';

/** Collects the fields that were nulled because they were out of range. */
export type OutOfRangeSink = (field: RangeField) => void;

export const SOG_NOT_AVAILABLE = 102.3;
export const COG_NOT_AVAILABLE = 360;
export const HEADING_NOT_AVAILABLE = 511;
export const LAT_NOT_AVAILABLE = 91;
export const LON_NOT_AVAILABLE = 181;
export const NAV_STATUS_NOT_DEFINED = 15;

function finite(v: number | null): v is number {
  return v !== null && Number.isFinite(v);
}

/** Ships: knots 0..102.2 (102.2 means 102.2 or more). SAR aircraft (type 9): 0..1022 knots. */
export function cleanSog(v: number | null, oor: OutOfRangeSink, max = 102.2): number | null {
  if (v === null) return null;
  if (max < 1000 && Math.abs(v - SOG_NOT_AVAILABLE) < 1e-9) return null;
  if (max >= 1000 && v === 1023) return null;
  if (!finite(v) || v < 0 || v > max + 1e-9) {
    oor('sog');
    return null;
  }
  return v;
}

/** Degrees, 0 <= cog < 360. */
export function cleanCog(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null) return null;
  if (v === COG_NOT_AVAILABLE) return null;
  if (!finite(v) || v < 0 || v >= 360) {
    oor('cog');
    return null;
  }
  return v;
}

/** True heading, degrees 0..359. */
export function cleanHeading(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null) return null;
  if (v === HEADING_NOT_AVAILABLE) return null;
  if (!finite(v) || v < 0 || v >= 360) {
    oor('heading');
    return null;
  }
  return v;
}

/** ITU navigational status 0..14; 15 is "not defined" and becomes null. */
export function cleanNavStatus(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null || v === NAV_STATUS_NOT_DEFINED) return null;
  if (!Number.isInteger(v) || v < 0 || v > 15) {
    oor('navStatus');
    return null;
  }
  return v;
}

/** IMO ship numbers are 7 digits; 0 means not available. */
export function cleanImo(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null || v === 0) return null;
  if (!Number.isInteger(v) || v < 1_000_000 || v > 9_999_999) {
    oor('imo');
    return null;
  }
  return v;
}

/** AIS ship and cargo type 1..99; 0 means not available. */
export function cleanShipType(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null || v === 0) return null;
  if (!Number.isInteger(v) || v < 1 || v > 99) {
    oor('shipType');
    return null;
  }
  return v;
}

/** Metres from the reference point; 0 means not available. Max is the AIS field's maximum. */
export function cleanDimension(v: number | null, max: number, oor: OutOfRangeSink): number | null {
  if (v === null || v === 0) return null;
  if (!finite(v) || v < 0 || v > max) {
    oor('dimension');
    return null;
  }
  return v;
}

/** Metres, 0.1..25.5 (25.5 means 25.5 or more); 0 means not available. */
export function cleanDraught(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null || v === 0) return null;
  if (!finite(v) || v < 0 || v > 25.5 + 1e-9) {
    oor('draught');
    return null;
  }
  return v;
}

/**
 * AIS 6-bit text: `@` is padding and ends the text, trailing spaces are padding too. Leading
 * spaces are kept (gpsd does the same). Empty -> null.
 */
export function cleanText(v: string | null): string | null {
  if (v === null) return null;
  const at = v.indexOf('@');
  const s = (at >= 0 ? v.slice(0, at) : v).replace(/\s+$/, '');
  return s.length === 0 ? null : s;
}

/** Position validity for position reports. */
export function validatePosition(lat: number | null, lon: number | null): RejectionReason | null {
  if (lat === null || lon === null || Number.isNaN(lat) || Number.isNaN(lon)) return 'position_not_available';
  if (lat === LAT_NOT_AVAILABLE || lon === LON_NOT_AVAILABLE) return 'position_not_available';
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return 'position_out_of_range';
  return null;
}
