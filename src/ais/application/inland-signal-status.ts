import { ubits } from '../sixbit.js';
import type { InlandSignalStatus } from './application-types.js';
import { lat10000, lon10000 } from './fields.js';

/** Fixed 168-bit message (11 spare bits at the end). */
export const INLAND_SIGNAL_STATUS_BITS = 168;

/** The 30-bit status holds nine decimal digits, light 1 first; a larger number is not a status. */
export function signalLights(status: number): number[] | null {
  if (status > 999_999_999) return null;
  return Array.from(String(status).padStart(9, '0'), (d) => d.charCodeAt(0) - 48);
}

/** DAC 200 FID 40 (type 8). */
export function decodeInlandSignalStatus(p: string): InlandSignalStatus {
  const orientation = ubits(p, 115, 9);
  const status = ubits(p, 127, 30);
  return {
    kind: 'inland-signal-status',
    lon: lon10000(p, 56),
    lat: lat10000(p, 84),
    form: ubits(p, 111, 4),
    orientation: orientation === 511 ? null : orientation,
    impact: ubits(p, 124, 3),
    status,
    lights: signalLights(status),
  };
}
