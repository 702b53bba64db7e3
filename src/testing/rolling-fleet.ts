/**
 * A rolling fleet on the event clock (issue 11): `distinct` vessels over one simulated day,
 * `live` of them reporting at any time, each reporting once per step while it lives; after every
 * step the environment is pruned with the live TTL, as `serve` does. Returns the vessels and the
 * MEMORY USAGE of the hot-state structures after each hour, so a test or the bench can show that
 * memory follows the live fleet, not the vessels ever seen. Time is the event clock only: no
 * sleeping, no wall clock (the clock is the replay clock of a 2024 day).
 */
import type { PositionRow } from '../store/store-types.js';
import type { RedisClient } from '../store/redis/redis-client.js';
import { countActive } from '../store/redis/hot-state-reader.js';
import { createHotStateWriter } from '../store/redis/hot-state-writer.js';
import { measureHotStateMemory } from '../store/redis/hot-state-memory.js';
import { pruneByAge } from '../store/redis/prune-live.js';

export interface RollingFleetOptions {
  readonly distinct: number;
  readonly live: number;
  readonly liveTtlMs: number;
  /** Event time between two reports of a vessel, and between two prunes. */
  readonly stepMs: number;
  readonly dayStartMs?: number;
  /** Leave pruning out (the "before" curve). */
  readonly prune?: boolean;
}

export interface RollingFleetSample {
  readonly hour: number;
  /** Vessels in the active sets after the hour's last prune. */
  readonly vessels: number;
  readonly bytes: number;
  readonly bytesPerVessel: number | null;
  /** Vessels the fleet model has live at that moment. */
  readonly liveModel: number;
}

const DAY_MS = 86_400_000;

export async function driveRollingFleet(redis: RedisClient, env: string, opts: RollingFleetOptions): Promise<RollingFleetSample[]> {
  const t0 = opts.dayStartMs ?? Date.UTC(2024, 5, 1);
  // Vessel i lives from i * gap for `life`: with arrivals evenly spread over the day, `live` of them overlap.
  const gap = DAY_MS / opts.distinct;
  const life = gap * opts.live;
  const w = createHotStateWriter({ redis, env, liveTtlMs: opts.liveTtlMs });
  const samples: RollingFleetSample[] = [];
  const stepsPerHour = Math.max(1, Math.round(3_600_000 / opts.stepMs));
  const steps = Math.round(DAY_MS / opts.stepMs);
  for (let step = 0; step < steps; step++) {
    const t = step * opts.stepMs;
    const first = Math.max(0, Math.ceil((t - life) / gap));
    const last = Math.min(opts.distinct - 1, Math.floor((t + opts.stepMs) / gap));
    const rows: PositionRow[] = [];
    for (let i = first; i <= last; i++) {
      const born = i * gap;
      if (born + life < t || born >= t + opts.stepMs) continue;
      const ts = t0 + Math.max(born, t) + (i % 1000);
      rows.push({
        mmsi: 200_000_000 + i,
        ts: Math.round(ts),
        lat: 50 + (i % 997) / 200,
        lon: 2 + (i % 991) / 200,
        sog: (i % 200) / 10,
        cog: (i % 3600) / 10,
        heading: i % 360,
        navStatus: 0,
        source: 'rolling',
        score: 0.9,
      });
    }
    for (let i = 0; i < rows.length; i += 2000) await w.writeBatch(rows.slice(i, i + 2000), []);
    if (opts.prune !== false) await pruneByAge(redis, env, { olderThanMs: opts.liveTtlMs, liveTtlMs: opts.liveTtlMs, wallMs: Date.now() });
    if ((step + 1) % stepsPerHour === 0) {
      const m = await measureHotStateMemory(redis, env);
      const now = t + opts.stepMs;
      const liveModel = Math.max(0, Math.min(opts.distinct - 1, Math.floor(now / gap)) - Math.max(0, Math.ceil((now - life) / gap)) + 1);
      samples.push({
        hour: (step + 1) / stepsPerHour,
        vessels: await countActive(redis, env, -Infinity, { includeDeleted: true }),
        bytes: m.stateBytes + m.geoBytes + m.activeBytes,
        bytesPerVessel: m.bytesPerVessel,
        liveModel,
      });
    }
  }
  return samples;
}
