/**
 * Every live vessel of an environment at once, for the map of `aisctl serve`. Built only on the
 * exported readers of hot-state-reader.ts (the active index, then each vessel's state), so it
 * follows the key layout wherever that goes.
 */
import { activeSince, getVesselStates, type LayoutOptions } from './hot-state-reader.js';
import type { RedisClient } from './redis-client.js';

export interface LiveVessel {
  readonly mmsi: number;
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number | null;
  readonly cog: number | null;
  readonly heading: number | null;
  readonly navStatus: number | null;
  readonly shipType: number | null;
  readonly name: string | null;
  readonly callsign: string | null;
}

export interface LiveFleet {
  /** Vessels in the active index, whether read or not. */
  readonly total: number;
  /** The newest `limit` of them that have a position, newest first. */
  readonly vessels: LiveVessel[];
  /** More vessels are live than were read. */
  readonly truncated: boolean;
  /** "Now" of the environment's clock when the fleet was read (ages count from it), if known. */
  readonly nowMs?: number;
}

export interface LiveFleetOptions extends LayoutOptions {
  /** Most vessels read (newest reports first). */
  readonly limit: number;
  /** Only vessels whose last report is at or after this time; default all. */
  readonly sinceMs?: number;
  /** Vessel states requested at once (one script call per bucket and 1,000 vessels). */
  readonly chunk?: number;
}

const DEFAULT_CHUNK = 2_000;

export async function readLiveFleet(redis: RedisClient, env: string, opts: LiveFleetOptions): Promise<LiveFleet> {
  const layout = opts.buckets === undefined ? {} : { buckets: opts.buckets };
  const active = await activeSince(redis, env, opts.sinceMs ?? -Infinity, layout);
  const wanted = active.slice(0, Math.max(0, opts.limit));
  const chunk = Math.max(1, opts.chunk ?? DEFAULT_CHUNK);
  const vessels: LiveVessel[] = [];
  for (let i = 0; i < wanted.length; i += chunk) {
    // Soft-deleted vessels are left out by both reads (store/redis/soft-delete-marks.ts).
    const states = await getVesselStates(
      redis,
      env,
      wanted.slice(i, i + chunk).map((a) => a.mmsi),
      layout,
    );
    for (const s of states) {
      // Pruned between the two reads, or static data only: nothing to draw.
      const p = s?.position ?? null;
      if (s === null || p === null || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
      vessels.push({
        mmsi: s.mmsi,
        ts: p.ts,
        lat: p.lat,
        lon: p.lon,
        sog: p.sog,
        cog: p.cog,
        heading: p.heading,
        navStatus: p.navStatus,
        shipType: s.static.shipType,
        name: s.static.name,
        callsign: s.static.callsign,
      });
    }
  }
  return { total: active.length, vessels, truncated: active.length > wanted.length };
}
