import { describe, expect, it } from 'vitest';
import { classifyMmsi, classifyMmsiInfo, isTrackedClass, type MmsiClass } from './mmsi.js';
import { MID_TABLE, midCountry } from './mid-table.js';

const cases: Array<[number, MmsiClass]> = [
  // ships: MID 201..775
  [201000000, 'ship'],
  [219063000, 'ship'],
  [775999999, 'ship'],
  [200999999, 'invalid'],
  [776000000, 'invalid'],
  [799999999, 'invalid'],
  [123456789, 'invalid'],
  // SAR aircraft 111MIDxxx
  [111219001, 'sar_aircraft'],
  [111200001, 'invalid'],
  [112219001, 'invalid'],
  // AtoN 99MIDxxxx
  [992191234, 'aton'],
  [992001234, 'invalid'],
  // craft associated 98MIDxxxx
  [982191234, 'craft_associated'],
  // SART / MOB / EPIRB
  [970000000, 'sart'],
  [970999999, 'sart'],
  [972123456, 'mob'],
  [974123456, 'epirb'],
  [971000000, 'invalid'],
  [973000000, 'invalid'],
  [975000000, 'invalid'],
  // handheld VHF 8MIDxxxxx
  [821912345, 'handheld_vhf'],
  [812012345, 'invalid'],
  // coast stations 00MIDxxxx (numerically 7 digits)
  [2190064, 'coast_station'],
  [2010000, 'coast_station'],
  [7759999, 'coast_station'],
  [1999999, 'invalid'],
  [1245196, 'invalid'],
  // groups 0MIDxxxxx (8 digits)
  [21912345, 'group'],
  [36926403, 'group'],
  [12345678, 'invalid'],
  // not 9 digits / not an integer
  [0, 'invalid'],
  [-219063000, 'invalid'],
  [1000000000, 'invalid'],
  [133310, 'invalid'],
  [219063000.5, 'invalid'],
  [Number.NaN, 'invalid'],
];

describe('classifyMmsi', () => {
  it.each(cases)('%d is %s', (mmsi, cls) => {
    expect(classifyMmsi(mmsi)).toBe(cls);
  });

  it('extracts the MID', () => {
    expect(classifyMmsiInfo(219063000)).toEqual({ class: 'ship', mid: 219 });
    expect(classifyMmsiInfo(111219001)).toEqual({ class: 'sar_aircraft', mid: 219 });
    expect(classifyMmsiInfo(2190064)).toEqual({ class: 'coast_station', mid: 219 });
    expect(classifyMmsiInfo(970123456)).toEqual({ class: 'sart', mid: null });
  });

  it('tracks vessels and survival beacons, not AtoNs, coast stations, groups or handhelds', () => {
    const tracked = (['ship', 'sar_aircraft', 'sart', 'mob', 'epirb', 'craft_associated'] as const).every(isTrackedClass);
    expect(tracked).toBe(true);
    for (const c of ['aton', 'coast_station', 'group', 'handheld_vhf', 'invalid'] as const) expect(isTrackedClass(c)).toBe(false);
  });
});

describe('MID table', () => {
  it('maps MIDs to flags inside 201..775 only', () => {
    expect(midCountry(219)).toBe('DK');
    expect(midCountry(366)).toBe('US');
    expect(midCountry(636)).toBe('LR');
    expect(midCountry(775)).toBe('VE');
    expect(midCountry(260)).toBeNull();
    for (const mid of MID_TABLE.keys()) {
      expect(mid).toBeGreaterThanOrEqual(201);
      expect(mid).toBeLessThanOrEqual(775);
    }
    expect(MID_TABLE.size).toBeGreaterThan(280);
  });
});
