/**
 * The partition interval of vessel_positions (migration 004): chosen once by `aisctl db migrate
 * --partition-interval`, recorded in history_settings, and read back by the writer and by
 * retention so they agree on the partition bounds. Import-free so the CLI builds its options
 * from these constants.
 */

/** Daily partitions: a day of a busy feed (10^7-10^8 rows) is a partition retention drops whole. */
export const DEFAULT_PARTITION_INTERVAL = '1d';

const HOUR_MS = 3_600_000;
/** Below an hour the partition count (and planning over them) grows faster than it helps. */
export const MIN_PARTITION_INTERVAL_MS = HOUR_MS;
/** Above a year retention can hardly drop anything. */
export const MAX_PARTITION_INTERVAL_MS = 366 * 24 * HOUR_MS;

/**
 * The start of every partition is a whole number of intervals after this instant (a Monday at
 * UTC midnight): days start at UTC midnight, weeks on Mondays. Must equal the origin of
 * aisctl_partition_of() in 004_partitioned_positions.sql.
 */
export const PARTITION_ORIGIN_MS = Date.UTC(2000, 0, 3);

/** Start (ms) of the partition holding `tsMs`. */
export function partitionStart(tsMs: number, intervalMs: number): number {
  return PARTITION_ORIGIN_MS + Math.floor((tsMs - PARTITION_ORIGIN_MS) / intervalMs) * intervalMs;
}

/** Why an interval (ms) cannot be a partition interval, or null when it can. */
export function partitionIntervalProblem(ms: number): string | null {
  if (ms < MIN_PARTITION_INTERVAL_MS) return 'is shorter than 1h';
  if (ms > MAX_PARTITION_INTERVAL_MS) return 'is longer than 366d';
  if (ms % 60_000 !== 0) return 'is not a whole number of minutes';
  return null;
}
