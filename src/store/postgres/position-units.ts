/**
 * The integer units vessel_positions stores (migration 004), which are AIS's own: a decoded
 * position is already a whole number of these units, so the conversion is exact at AIS
 * resolution (rounded, not truncated: 12.3 * 10 is 122.99999999999999 in binary floating point).
 * "Not available" is AIS's own value rather than NULL, so no stored row carries a null bitmap.
 * The reads convert back in SQL (the vessel_positions_decoded view), dividing in float8 as the
 * decoder divides in JavaScript, so a value read back is the double that was written.
 */

/** Units per degree of latitude or longitude: 1/10,000 minute. */
export const COORD_UNITS_PER_DEGREE = 600_000;
/** Speed over ground in 0.1 knot; 1023 = not available. */
export const SOG_NOT_AVAILABLE = 1023;
/** Course over ground in 0.1 degree; 3600 = not available. */
export const COG_NOT_AVAILABLE = 3600;
/** True heading in whole degrees; 511 = not available. */
export const HEADING_NOT_AVAILABLE = 511;
/** Navigational status; 15 = not defined. */
export const NAV_STATUS_NOT_DEFINED = 15;
/** heading_status = heading + HEADING_SPAN x navigational status (heading needs 9 bits). */
export const HEADING_SPAN = 512;

/** `+ 0`: Math.round(-0.4) is -0. */
const round = (v: number): number => Math.round(v) + 0;

export function coordToUnits(deg: number): number {
  return round(deg * COORD_UNITS_PER_DEGREE);
}

export function sogToUnits(knots: number | null): number {
  return knots === null || !Number.isFinite(knots) ? SOG_NOT_AVAILABLE : round(knots * 10);
}

export function cogToUnits(deg: number | null): number {
  return deg === null || !Number.isFinite(deg) ? COG_NOT_AVAILABLE : round(deg * 10);
}

/**
 * Heading and navigational status in one smallint (migration 004 says why). Throws on values
 * normalize never lets through, because they would silently read back as the other field.
 */
export function headingStatusToUnits(heading: number | null, navStatus: number | null): number {
  const h = heading === null || !Number.isFinite(heading) ? HEADING_NOT_AVAILABLE : round(heading);
  const s = navStatus === null || !Number.isFinite(navStatus) ? NAV_STATUS_NOT_DEFINED : round(navStatus);
  if (h < 0 || h > HEADING_NOT_AVAILABLE || s < 0 || s > NAV_STATUS_NOT_DEFINED) {
    throw new RangeError(`heading ${heading} / navigational status ${navStatus} outside 0..511 / 0..15`);
  }
  return h + HEADING_SPAN * s;
}

/** The stored values back in the units of PositionRow (what the reads' SQL does). */
export function positionFromUnits(u: { lat: number; lon: number; sog: number; cog: number; headingStatus: number }): {
  lat: number;
  lon: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  navStatus: number | null;
} {
  const heading = u.headingStatus % HEADING_SPAN;
  const navStatus = Math.floor(u.headingStatus / HEADING_SPAN);
  return {
    lat: u.lat / COORD_UNITS_PER_DEGREE,
    lon: u.lon / COORD_UNITS_PER_DEGREE,
    sog: u.sog === SOG_NOT_AVAILABLE ? null : u.sog / 10,
    cog: u.cog === COG_NOT_AVAILABLE ? null : u.cog / 10,
    heading: heading === HEADING_NOT_AVAILABLE ? null : heading,
    navStatus: navStatus === NAV_STATUS_NOT_DEFINED ? null : navStatus,
  };
}
