/**
 * Lane of an MMSI. MMSIs are far from uniform (blocks by MID, sequential fleet numbers), so the
 * value is mixed (murmur3 finalizer) before the modulo to spread vessels evenly over lanes.
 */
export function mmsiLane(mmsi: number, lanes: number): number {
  if (lanes <= 1 || !Number.isInteger(mmsi)) return 0;
  let h = mmsi | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % lanes;
}
