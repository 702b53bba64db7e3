/**
 * MMSI classification per ITU-R M.585: the leading digits say what kind of station transmits.
 * MMSIs are 9-digit identities; numerically smaller values are the same identities with leading
 * zeros (coast stations 00MIDxxxx, groups 0MIDxxxxx), so 2190064 is the Danish coast station
 * 002190064, not a malformed ship.
 */
import { isShipMid } from './mid-table.js';

export type MmsiClass =
  'ship' | 'sar_aircraft' | 'aton' | 'sart' | 'mob' | 'epirb' | 'coast_station' | 'group' | 'craft_associated' | 'handheld_vhf' | 'invalid';

export interface MmsiInfo {
  readonly class: MmsiClass;
  /** Maritime Identification Digits, null for classes without one (SART/MOB/EPIRB, invalid). */
  readonly mid: number | null;
}

/**
 * The MID of the last classification (null where the class has none). Classification returns
 * the class alone and leaves the MID here, so `classifyMmsi`, called for every position, builds
 * no result object (it was 58 bytes of garbage per position in the bulk ingest profile).
 */
let lastMid: number | null = null;

function withMid(cls: MmsiClass, mid: number): MmsiClass {
  if (!isShipMid(mid)) return invalid();
  lastMid = mid;
  return cls;
}

function withoutMid(cls: MmsiClass): MmsiClass {
  lastMid = null;
  return cls;
}

function invalid(): MmsiClass {
  return withoutMid('invalid');
}

function classify(mmsi: number): MmsiClass {
  if (!Number.isInteger(mmsi) || mmsi <= 0 || mmsi > 999_999_999) return invalid();
  if (mmsi < 10_000_000) return withMid('coast_station', Math.floor(mmsi / 10_000));
  if (mmsi < 100_000_000) return withMid('group', Math.floor(mmsi / 100_000));
  const lead = Math.floor(mmsi / 100_000_000);
  const lead3 = Math.floor(mmsi / 1_000_000);
  switch (lead) {
    case 1:
      return lead3 === 111 ? withMid('sar_aircraft', Math.floor(mmsi / 1_000) % 1_000) : invalid();
    case 8:
      return withMid('handheld_vhf', Math.floor(mmsi / 100_000) % 1_000);
    case 9: {
      if (lead3 === 970) return withoutMid('sart');
      if (lead3 === 972) return withoutMid('mob');
      if (lead3 === 974) return withoutMid('epirb');
      const lead2 = Math.floor(mmsi / 10_000_000);
      if (lead2 === 98) return withMid('craft_associated', Math.floor(mmsi / 10_000) % 1_000);
      if (lead2 === 99) return withMid('aton', Math.floor(mmsi / 10_000) % 1_000);
      return invalid();
    }
    default:
      return withMid('ship', lead3);
  }
}

export function classifyMmsiInfo(mmsi: number): MmsiInfo {
  const cls = classify(mmsi);
  return { class: cls, mid: lastMid };
}

export function classifyMmsi(mmsi: number): MmsiClass {
  return classify(mmsi);
}

/**
 * Classes whose reports are tracked as vessels. SAR aircraft, survival craft beacons
 * (SART/MOB/EPIRB) and craft associated with a parent ship move and matter to a track; AtoNs,
 * coast stations, group calls and handheld VHF identities are not vessels and are skipped as
 * `ignored` (counted, not rejected).
 */
const TRACKED: ReadonlySet<MmsiClass> = new Set<MmsiClass>(['ship', 'sar_aircraft', 'sart', 'mob', 'epirb', 'craft_associated']);

export function isTrackedClass(cls: MmsiClass): boolean {
  return TRACKED.has(cls);
}
