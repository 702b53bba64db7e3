import { sbits, ubits } from '../sixbit.js';
import type { ChannelManagement, GroupAssignment } from '../types.js';

export const CHANNEL_MANAGEMENT_MIN_BITS = 168;
export const GROUP_ASSIGNMENT_MIN_BITS = 160;

/**
 * Type 22 (M.1371-5 table 66). Area corners are in 1/10 minute; when the addressed flag is set
 * the same bits carry two destination MMSIs instead.
 */
export function decodeChannelManagement(p: string, repeat: number, mmsi: number): ChannelManagement {
  const addressed = ubits(p, 139, 1) === 1;
  return {
    type: 22,
    repeat,
    mmsi,
    channelA: ubits(p, 40, 12),
    channelB: ubits(p, 52, 12),
    txrx: ubits(p, 64, 4),
    power: ubits(p, 68, 1) === 1,
    addressed,
    neLon: addressed ? null : sbits(p, 69, 18) / 600,
    neLat: addressed ? null : sbits(p, 87, 17) / 600,
    swLon: addressed ? null : sbits(p, 104, 18) / 600,
    swLat: addressed ? null : sbits(p, 122, 17) / 600,
    dest1: addressed ? ubits(p, 69, 30) : null,
    dest2: addressed ? ubits(p, 104, 30) : null,
    bandA: ubits(p, 140, 1) === 1,
    bandB: ubits(p, 141, 1) === 1,
    zoneSize: ubits(p, 142, 3),
  };
}

/** Type 23 (M.1371-5 table 67). */
export function decodeGroupAssignment(p: string, repeat: number, mmsi: number): GroupAssignment {
  return {
    type: 23,
    repeat,
    mmsi,
    neLon: sbits(p, 40, 18) / 600,
    neLat: sbits(p, 58, 17) / 600,
    swLon: sbits(p, 75, 18) / 600,
    swLat: sbits(p, 93, 17) / 600,
    stationType: ubits(p, 110, 4),
    shipType: ubits(p, 114, 8),
    txrx: ubits(p, 144, 2),
    interval: ubits(p, 146, 4),
    quiet: ubits(p, 150, 4),
  };
}
