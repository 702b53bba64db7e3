import { sbits, ubits } from '../sixbit.js';
import type { TidalWindow, TidalWindowEntry } from './application-types.js';

/**
 * DAC 1 FID 14 (IMO236: 93-bit entries, lat before lon, 27/28-bit position, 7-bit speed) and
 * FID 32 (IMO289: 88-bit entries, lon before lat, 25/24-bit position in 1/1000 minute).
 *
 * Entries are read while an entry *starts* inside the message, as gpsd does, so a truncated last
 * entry is still reported (with zero bits for what is missing). FID 14 positions are scaled by
 * 1/1000 minute like FID 32, again as gpsd does; both choices are listed in docs/gpsd-differences.md.
 */
export function decodeTidalWindow(p: string, bitlen: number, fid: 14 | 32): TidalWindow {
  const windows: TidalWindowEntry[] = [];
  if (fid === 14) {
    for (let a = 97; a <= bitlen && windows.length < 3; a += 93) {
      windows.push({
        lat: sbits(p, a, 27) / 60000,
        lon: sbits(p, a + 27, 28) / 60000,
        fromHour: ubits(p, a + 55, 5),
        fromMinute: ubits(p, a + 60, 6),
        toHour: ubits(p, a + 66, 5),
        toMinute: ubits(p, a + 71, 6),
        currentDirection: ubits(p, a + 77, 9),
        currentSpeed: ubits(p, a + 86, 7) / 10,
      });
    }
  } else {
    for (let a = 97; a <= bitlen && windows.length < 3; a += 88) {
      windows.push({
        lon: sbits(p, a, 25) / 60000,
        lat: sbits(p, a + 25, 24) / 60000,
        fromHour: ubits(p, a + 49, 5),
        fromMinute: ubits(p, a + 54, 6),
        toHour: ubits(p, a + 60, 5),
        toMinute: ubits(p, a + 65, 6),
        currentDirection: ubits(p, a + 71, 9),
        currentSpeed: ubits(p, a + 80, 8) / 10,
      });
    }
  }
  return { kind: 'tidal-window', month: ubits(p, 88, 4), day: ubits(p, 92, 5), windows };
}
