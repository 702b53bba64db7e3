import { ubits } from '../sixbit.js';
import type { AtonMonitoring } from './application-types.js';

/** GLA AtoN monitoring (DAC 235/250 FID 10) is exactly 136 bits; other lengths are not this message. */
export const ATON_MONITORING_BITS = 136;

/** DAC 235/250 FID 10: analogue readings in 0.05 V steps, then status bits. */
export function decodeAtonMonitoring(p: string): AtonMonitoring {
  return {
    kind: 'aton-monitoring',
    analogueInternal: ubits(p, 88, 10) * 0.05,
    analogueExternal1: ubits(p, 98, 10) * 0.05,
    analogueExternal2: ubits(p, 108, 10) * 0.05,
    racon: ubits(p, 118, 2),
    light: ubits(p, 120, 2),
    alarm: ubits(p, 122, 1) === 1,
    digitalInputs: ubits(p, 123, 8),
    offPosition: ubits(p, 131, 1) === 1,
  };
}
