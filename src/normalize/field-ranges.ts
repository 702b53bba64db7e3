/**
 * Range checks for the optional kinematic and static fields. A value outside its range is not
 * worth rejecting a whole report for (the position is still good): it becomes null and the
 * caller counts it by field. The AIS "not available" sentinels are not out of range; they are
 * simply null.
 *
 * Ranges apply to the value the stores keep, not the value read: PostgreSQL keeps heading and
 * A/B/C/D as smallint (rounded) and SOG, COG and draught as real (4-byte float), so heading
 * 359.6 is 360 and COG 359.99999 is 360.0 once stored. Checking the raw value let such values
 * through as in range.
 */
import type { RejectionReason } from './message.js';

/** Free-text fields: they reach PostgreSQL text columns and Redis hashes as they are. */
export type TextField = 'name' | 'callsign' | 'destination' | 'source';

/**
 * A field counted in the outcome's `outOfRange`: nulled because out of range, or, for
 * `text_control_chars:<field>`, a text kept with its control characters removed. One list so the
 * reader statistics and the ingest summary (`outOfRangeNulled`) carry both without a new counter.
 */
export type RangeField = 'sog' | 'cog' | 'heading' | 'navStatus' | 'imo' | 'shipType' | 'dimension' | 'draught' | `text_control_chars:${TextField}`;

/** Collects the fields that were nulled because they were out of range (or had text cleaned). */
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

/** As a PostgreSQL `real` column keeps it. */
const real = Math.fround;

/** Ships: knots 0..102.2 (102.2 means 102.2 or more). SAR aircraft (type 9): 0..1022 knots. */
export function cleanSog(v: number | null, oor: OutOfRangeSink, max = 102.2): number | null {
  if (v === null) return null;
  if (max < 1000 && Math.abs(v - SOG_NOT_AVAILABLE) < 1e-9) return null;
  if (max >= 1000 && v === 1023) return null;
  if (!finite(v) || v < 0 || real(v) > real(max)) {
    oor('sog');
    return null;
  }
  return v;
}

/** Degrees, 0 <= cog < 360 as stored. */
export function cleanCog(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null) return null;
  if (v === COG_NOT_AVAILABLE) return null;
  if (!finite(v) || v < 0 || real(v) >= 360) {
    oor('cog');
    return null;
  }
  return v;
}

/** True heading in whole degrees 0..359: the value is rounded as the store rounds it, then checked. */
export function cleanHeading(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null) return null;
  if (v === HEADING_NOT_AVAILABLE) return null;
  // `+ 0` turns the -0 that Math.round gives for -0.4 into 0.
  const deg = finite(v) ? Math.round(v) + 0 : Number.NaN;
  if (!(deg >= 0 && deg <= 359)) {
    oor('heading');
    return null;
  }
  return deg;
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

/**
 * Metres from the reference point; 0 means not available. Max is the AIS field's maximum.
 * `whole`: the value is kept in whole metres (A/B/C/D are smallint columns, and a fraction there
 * fails the whole batch's write), so it is rounded before the check and a 0 it rounds to is
 * "not available". Overall length and width are not stored and keep their fraction.
 */
export function cleanDimension(v: number | null, max: number, oor: OutOfRangeSink, whole = true): number | null {
  if (v === null || v === 0) return null;
  const m = whole && finite(v) ? Math.round(v) + 0 : v;
  if (m === 0) return null;
  if (!finite(m) || m < 0 || m > max) {
    oor('dimension');
    return null;
  }
  return m;
}

/** Metres, 0.1..25.5 (25.5 means 25.5 or more); 0 means not available. */
export function cleanDraught(v: number | null, oor: OutOfRangeSink): number | null {
  if (v === null || v === 0) return null;
  if (!finite(v) || v < 0 || real(v) > 25.5) {
    oor('draught');
    return null;
  }
  return v;
}

// C0 controls (NUL, tab, line breaks, ESC...), DEL and C1 controls. None belongs in an AIS name,
// callsign, destination or source name, and a NUL fails PostgreSQL's write of the whole batch.
// Matching control characters is the point of these two patterns.
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** `v` without control characters; counts `text_control_chars:<field>` when it had any. */
export function stripControlChars(v: string, field: TextField, oor: OutOfRangeSink): string {
  if (!CONTROL_CHAR.test(v)) return v;
  oor(`text_control_chars:${field}`);
  return v.replace(CONTROL_CHARS, '');
}

/**
 * AIS 6-bit text: `@` is padding and ends the text, trailing spaces are padding too. Leading
 * spaces are kept (gpsd does the same). Control characters are removed first (and counted).
 * Empty -> null.
 */
export function cleanText(v: string | null, field: TextField, oor: OutOfRangeSink): string | null {
  if (v === null) return null;
  const t = stripControlChars(v, field, oor);
  const at = t.indexOf('@');
  const s = (at >= 0 ? t.slice(0, at) : t).replace(/\s+$/, '');
  return s.length === 0 ? null : s;
}

/** Position validity for position reports. */
export function validatePosition(lat: number | null, lon: number | null): RejectionReason | null {
  if (lat === null || lon === null || Number.isNaN(lat) || Number.isNaN(lon)) return 'position_not_available';
  if (lat === LAT_NOT_AVAILABLE || lon === LON_NOT_AVAILABLE) return 'position_not_available';
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return 'position_out_of_range';
  return null;
}
