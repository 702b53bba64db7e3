/**
 * The one seeded pseudo-random generator (mulberry32): generated traffic, the deadlock stress
 * and tests draw from it so that a seed replays the same run. Small and fast; not for secrets.
 */

/** A number in [0, 1), like Math.random. */
export type RandomSource = () => number;

export function seededRandom(seed: number): RandomSource {
  // Only the low 32 bits of the seed count, as in the reference mulberry32.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
