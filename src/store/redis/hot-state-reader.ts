import type { PositionFields, VesselStaticFields } from '../../normalize/message.js';
import { activeKey, F, geoKey, keyLayout, vesselKey, type KeyLayout } from './key-layout.js';
import type { RedisClient } from './redis-client.js';

export interface LayoutOptions {
  /** Must match the writer's bucket count. */
  readonly buckets?: number;
}

export interface VesselState {
  readonly mmsi: number;
  /** Null when only static data has been received. */
  readonly position: (PositionFields & { readonly source: string; readonly score: number }) | null;
  readonly static: VesselStaticFields & { readonly ts: number | null };
}

const numOrNull = (v: string | undefined): number | null => (v === undefined || v === '' ? null : Number(v));

export function layoutOf(env: string, opts: LayoutOptions): KeyLayout {
  return keyLayout(env, opts.buckets ?? 1);
}

export function allBuckets(layout: KeyLayout): number[] {
  return Array.from({ length: layout.buckets }, (_, i) => i);
}

export async function getVesselState(redis: RedisClient, env: string, mmsi: number, opts: LayoutOptions = {}): Promise<VesselState | null> {
  const h = await redis.hgetall(vesselKey(layoutOf(env, opts), mmsi));
  if (Object.keys(h).length === 0) return null;
  const ts = numOrNull(h[F.ts]);
  const dims = (h[F.dims] ?? '').split(',').map((d) => numOrNull(d));
  return {
    mmsi,
    position:
      ts === null
        ? null
        : {
            ts,
            lat: Number(h[F.lat]),
            lon: Number(h[F.lon]),
            sog: numOrNull(h[F.sog]),
            cog: numOrNull(h[F.cog]),
            heading: numOrNull(h[F.heading]),
            navStatus: numOrNull(h[F.navStatus]),
            source: h[F.source] ?? '',
            score: Number(h[F.score]),
          },
    static: {
      ts: numOrNull(h[F.staticTs]),
      name: h[F.name] ?? null,
      callsign: h[F.callsign] ?? null,
      imo: numOrNull(h[F.imo]),
      shipType: numOrNull(h[F.shipType]),
      toBow: dims[0] ?? null,
      toStern: dims[1] ?? null,
      toPort: dims[2] ?? null,
      toStarboard: dims[3] ?? null,
      draught: numOrNull(h[F.draught]),
      destination: h[F.destination] ?? null,
    },
  };
}

export interface NearbyVessel {
  readonly mmsi: number;
  readonly distanceMeters: number;
  readonly lat: number;
  readonly lon: number;
}

/** Vessels within radiusMeters of (lat, lon), nearest first, at most `limit`, over all buckets. */
export async function searchNear(
  redis: RedisClient,
  env: string,
  lat: number,
  lon: number,
  radiusMeters: number,
  limit: number,
  opts: LayoutOptions = {},
): Promise<NearbyVessel[]> {
  const layout = layoutOf(env, opts);
  const n = Math.max(1, Math.trunc(limit));
  const perBucket = await Promise.all(
    allBuckets(layout).map(
      (b) =>
        redis.call(
          'GEOSEARCH',
          geoKey(layout, b),
          'FROMLONLAT',
          lon,
          lat,
          'BYRADIUS',
          radiusMeters,
          'm',
          'ASC',
          'COUNT',
          n,
          'WITHDIST',
          'WITHCOORD',
        ) as Promise<unknown>,
    ),
  );
  const found: NearbyVessel[] = [];
  for (const rows of perBucket) {
    if (!Array.isArray(rows)) continue;
    for (const row of rows as unknown[]) {
      // [member, dist, [lon, lat]]
      if (!Array.isArray(row)) continue;
      const [member, dist, coord] = row as [unknown, unknown, unknown];
      const [clon, clat] = Array.isArray(coord) ? (coord as unknown[]) : [];
      found.push({ mmsi: Number(member), distanceMeters: Number(dist), lat: Number(clat), lon: Number(clon) });
    }
  }
  return found.sort((a, b) => a.distanceMeters - b.distanceMeters || a.mmsi - b.mmsi).slice(0, n);
}

/** Vessels whose last report is at or after sinceMs, newest first. */
export async function activeSince(
  redis: RedisClient,
  env: string,
  sinceMs: number,
  opts: LayoutOptions & { limit?: number } = {},
): Promise<{ mmsi: number; ts: number }[]> {
  const layout = layoutOf(env, opts);
  const perBucket = await Promise.all(allBuckets(layout).map((b) => redis.zrangebyscore(activeKey(layout, b), sinceMs, '+inf', 'WITHSCORES')));
  const out: { mmsi: number; ts: number }[] = [];
  for (const flat of perBucket) for (let i = 0; i + 1 < flat.length; i += 2) out.push({ mmsi: Number(flat[i]), ts: Number(flat[i + 1]) });
  out.sort((a, b) => b.ts - a.ts || a.mmsi - b.mmsi);
  return opts.limit === undefined ? out : out.slice(0, opts.limit);
}
