import type { Redis } from 'ioredis';
import type { PositionRow, VesselStaticRow } from '../store/store-types.js';
import { createHotStateWriter } from '../store/redis/hot-state-writer.js';
import { measureHotStateMemory } from '../store/redis/hot-state-memory.js';

export interface LayoutMemory {
  readonly layout: 'seed' | 'compact';
  readonly vessels: number;
  /** Per vessel, from MEMORY USAGE (SAMPLES 0: exact) over every key written. */
  readonly hashBytesPerVessel: number;
  readonly geoBytesPerVessel: number;
  readonly activeBytesPerVessel: number;
  readonly totalBytesPerVessel: number;
}

/** Deterministic realistic-looking vessels around the North Sea. */
export function sampleVessels(count: number, mmsiBase = 244_000_000): { positions: PositionRow[]; statics: VesselStaticRow[] } {
  const positions: PositionRow[] = [];
  const statics: VesselStaticRow[] = [];
  for (let i = 0; i < count; i++) {
    const mmsi = mmsiBase + i;
    const ts = 1_717_171_717_000 + i * 37;
    positions.push({
      mmsi,
      ts,
      lat: 51 + (i % 1000) / 250,
      lon: 2 + (i % 997) / 200,
      sog: (i % 230) / 10,
      cog: (i % 3600) / 10,
      heading: i % 360,
      navStatus: i % 9,
      source: 'aishub',
      score: 0.9,
    });
    statics.push({
      mmsi,
      ts,
      name: `VESSEL ${i}`,
      callsign: `PD${i % 10000}`,
      imo: 9_000_000 + i,
      shipType: 70,
      toBow: 100,
      toStern: 20,
      toPort: 10,
      toStarboard: 10,
      draught: 7.5,
      destination: 'ROTTERDAM',
    });
  }
  return { positions, statics };
}

async function usage(redis: Redis, key: string): Promise<number> {
  return Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
}

/**
 * Writes `count` vessels in one layout under `env` and reports bytes per vessel. 'seed' is the
 * roadmap's layout (hash with long field names via HSET, GEOADD, ZADD, no hash tags); 'compact'
 * is aisctl's (layout 2: packed values in listpack shards, written through the Lua scripts).
 * The caller deletes the keys afterwards (everything is under `${env}:`).
 */
export async function measureLayoutMemory(redis: Redis, env: string, count: number, layout: 'seed' | 'compact'): Promise<LayoutMemory> {
  const { positions, statics } = sampleVessels(count);
  const geo = `${env}:ais:vessels:geo`;
  const active = `${env}:ais:vessels:active`;
  const hashKeys: string[] = [];
  if (layout === 'seed') {
    for (let i = 0; i < count; i += 1000) {
      const pipe = redis.pipeline();
      for (let j = i; j < Math.min(count, i + 1000); j++) {
        const p = positions[j] as PositionRow;
        const s = statics[j] as VesselStaticRow;
        const key = `${env}:ais:vessel:${p.mmsi}`;
        hashKeys.push(key);
        pipe.geoadd(geo, p.lon, p.lat, String(p.mmsi));
        pipe.hset(key, {
          lat: p.lat,
          lon: p.lon,
          sog: p.sog ?? '',
          cog: p.cog ?? '',
          heading: p.heading ?? '',
          navStatus: p.navStatus ?? '',
          ts: p.ts,
          source: p.source,
          score: p.score,
          name: s.name ?? '',
          callsign: s.callsign ?? '',
          imo: s.imo ?? '',
          shipType: s.shipType ?? '',
          dims: `${s.toBow},${s.toStern},${s.toPort},${s.toStarboard}`,
          destination: s.destination ?? '',
        });
        pipe.zadd(active, p.ts, String(p.mmsi));
      }
      await pipe.exec();
    }
  } else {
    const w = createHotStateWriter({ redis, env });
    for (let i = 0; i < count; i += 1000) await w.writeBatch(positions.slice(i, i + 1000), statics.slice(i, i + 1000));
    const m = await measureHotStateMemory(redis, env);
    return {
      layout,
      vessels: m.vessels,
      hashBytesPerVessel: m.stateBytes / m.vessels,
      geoBytesPerVessel: m.geoBytes / m.vessels,
      activeBytesPerVessel: m.activeBytes / m.vessels,
      totalBytesPerVessel: (m.stateBytes + m.geoBytes + m.activeBytes) / m.vessels,
    };
  }
  let hashBytes = 0;
  for (let i = 0; i < hashKeys.length; i += 500) {
    const sizes = await Promise.all(hashKeys.slice(i, i + 500).map((k) => usage(redis, k)));
    hashBytes += sizes.reduce((a, b) => a + b, 0);
  }
  const geoBytes = await usage(redis, geo);
  const activeBytes = await usage(redis, active);
  return {
    layout,
    vessels: count,
    hashBytesPerVessel: hashBytes / count,
    geoBytesPerVessel: geoBytes / count,
    activeBytesPerVessel: activeBytes / count,
    totalBytesPerVessel: (hashBytes + geoBytes + activeBytes) / count,
  };
}
