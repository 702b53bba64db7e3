/**
 * Which partition a vessel lives in. Every position and static report of one MMSI goes to one
 * partition, so one worker sees a vessel's messages in order and its fusion window is whole.
 *
 * The hash is murmur3's 32-bit finalizer (fmix32) of the MMSI: MMSIs are dense in some ranges
 * (one flag state's 9-digit block), and a plain `mmsi % P` would put whole fleets with the same
 * last digits in one partition. It is part of the wire contract: publishers and workers of one
 * stream must agree, so it never changes for an existing stream.
 */
export { DEFAULT_PARTITIONS, MAX_PARTITIONS } from './log-defaults.js';

export function mixMmsi(mmsi: number): number {
  let h = mmsi >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function partitionOf(mmsi: number, partitions: number): number {
  return mixMmsi(mmsi) % partitions;
}
