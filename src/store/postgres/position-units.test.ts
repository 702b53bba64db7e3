import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { courseTenths, heading as decodeHeading, lat10k, lon10k, speedTenths } from '../../ais/messages/field-values.js';
import { cogToUnits, coordToUnits, headingStatusToUnits, positionFromUnits, sogToUnits } from './position-units.js';

/** The decoder's value -> stored units -> the reads' value, for one raw AIS field set. */
function roundTrip(raw: { lat: number; lon: number; sog: number; cog: number; heading: number; navStatus: number }) {
  const decoded = {
    lat: lat10k(raw.lat),
    lon: lon10k(raw.lon),
    sog: speedTenths(raw.sog),
    cog: courseTenths(raw.cog),
    heading: decodeHeading(raw.heading),
    navStatus: raw.navStatus === 15 ? null : raw.navStatus,
  };
  const stored = {
    lat: coordToUnits(decoded.lat ?? 0),
    lon: coordToUnits(decoded.lon ?? 0),
    sog: sogToUnits(decoded.sog),
    cog: cogToUnits(decoded.cog),
    headingStatus: headingStatusToUnits(decoded.heading, decoded.navStatus),
  };
  return { decoded, stored, back: positionFromUnits(stored) };
}

describe('stored position units', () => {
  it('store what AIS transmits, exactly: rounding, not truncation (12.3 kn * 10 is 122.99999999999999)', () => {
    const { stored, back } = roundTrip({ lat: 30_123_456, lon: -7_654_321, sog: 123, cog: 3599, heading: 359, navStatus: 14 });
    expect(stored).toEqual({ lat: 30_123_456, lon: -7_654_321, sog: 123, cog: 3599, headingStatus: 359 + 512 * 14 });
    expect(back).toEqual({ lat: 30_123_456 / 600_000, lon: -7_654_321 / 600_000, sog: 12.3, cog: 359.9, heading: 359, navStatus: 14 });
  });

  it('keep "not available" as AIS\'s own values and read them back as null', () => {
    expect(sogToUnits(null)).toBe(1023);
    expect(cogToUnits(null)).toBe(3600);
    expect(headingStatusToUnits(null, null)).toBe(511 + 512 * 15);
    expect(positionFromUnits({ lat: 0, lon: 0, sog: 1023, cog: 3600, headingStatus: 511 + 512 * 15 })).toEqual({
      lat: 0,
      lon: 0,
      sog: null,
      cog: null,
      heading: null,
      navStatus: null,
    });
  });

  it("cover the extremes: poles, the antimeridian, 102.2 kn, a SAR aircraft's whole knots", () => {
    expect(coordToUnits(-90)).toBe(-54_000_000);
    expect(coordToUnits(180)).toBe(108_000_000);
    expect(sogToUnits(102.2)).toBe(1022);
    expect(sogToUnits(1022)).toBe(10_220);
    expect(positionFromUnits({ lat: -54_000_000, lon: 108_000_000, sog: 10_220, cog: 0, headingStatus: 0 })).toMatchObject({ lat: -90, lon: 180, sog: 1022 });
  });

  it('refuse a heading or status that would read back as the other field', () => {
    expect(() => headingStatusToUnits(512, 0)).toThrow(RangeError);
    expect(() => headingStatusToUnits(0, 16)).toThrow(RangeError);
  });

  it('every value the decoder can produce reads back as the same double (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -54_000_000, max: 54_000_000 }),
        fc.integer({ min: -108_000_000, max: 108_000_000 }),
        fc.integer({ min: 0, max: 1023 }),
        fc.integer({ min: 0, max: 3600 }),
        fc.oneof(fc.integer({ min: 0, max: 359 }), fc.constant(511)),
        fc.integer({ min: 0, max: 15 }),
        (lat, lon, sog, cog, heading, navStatus) => {
          const { decoded, back } = roundTrip({ lat, lon, sog, cog, heading, navStatus });
          expect(back).toEqual(decoded);
        },
      ),
    );
  });
});
