/**
 * The read API of `aisctl serve`: GET routes with path parameters, beside the exact-path
 * routes of http-server.ts, which hands every `/v1/` path it does not own to `route()`.
 *
 *   GET /v1/vessels/{mmsi}                      vessel record (PostgreSQL) and live state (Redis)
 *   GET /v1/vessels/{mmsi}/track?since=&until=  GeoJSON track, time order, paged (`next`)
 *   GET /v1/near?lat=&lon=&radius=&max_age=     GeoJSON points of live vessels, nearest first
 *   GET /v1/search?q=                           vessels by name, call sign, IMO, MMSI prefix
 *
 * Every parameter is parsed into a typed value (read-params.ts) before anything is queried,
 * and reaches SQL only as a bound parameter; a bad or unknown parameter is a 400 whose message
 * names it. Spans, radii and result sizes are capped (ReadApiLimits).
 */
import type pg from 'pg';
import { GEOJSON_MEDIA_TYPE, GeoJsonTrackWriter } from '../formats/writers/geojson-track-writer.js';
import { softDeletedAmong } from '../store/postgres/soft-delete.js';
import { findTrackVessel, trackPages } from '../store/postgres/track-queries.js';
import { getVessel } from '../store/postgres/vessel-queries.js';
import { searchVessels } from '../store/postgres/vessel-search.js';
import { readEnvClock, type EnvClock } from '../store/redis/env-clock.js';
import { getVesselState, searchNear } from '../store/redis/hot-state-reader.js';
import { DEFAULT_LIVE_TTL_MS } from '../store/redis/live-ttl.js';
import type { RedisClient } from '../store/redis/redis-client.js';
import { errorMessage } from '../errors/error-message.js';
import { liveStateJson, searchHitJson, vesselRecordJson } from './read-json.js';
import {
  parseDistanceParam,
  parseDurationParam,
  parseIntParam,
  parseMmsiParam,
  parseNumberParam,
  parseSearchText,
  parseTimeRange,
  ReadParamError,
  singleParams,
} from './read-params.js';

export interface ReadResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReadApiLimits {
  /** Track span when `since` is not given. Default 24 h. */
  readonly defaultTrackSpanMs: number;
  /** Longest track span of one request. Default 31 days. */
  readonly maxTrackSpanMs: number;
  /** Positions per track response; more are reached through `next`. Default 10,000. */
  readonly maxTrackPoints: number;
  /** Default 10 km. */
  readonly defaultRadiusM: number;
  /** Default 100 km. */
  readonly maxRadiusM: number;
  /** Default 100 and 500. */
  readonly defaultNearResults: number;
  readonly maxNearResults: number;
  /** Default 20 and 100. */
  readonly defaultSearchResults: number;
  readonly maxSearchResults: number;
}

export const DEFAULT_READ_LIMITS: ReadApiLimits = {
  defaultTrackSpanMs: 24 * 3_600_000,
  maxTrackSpanMs: 31 * 86_400_000,
  maxTrackPoints: 10_000,
  defaultRadiusM: 10_000,
  maxRadiusM: 100_000,
  defaultNearResults: 100,
  maxNearResults: 500,
  defaultSearchResults: 20,
  maxSearchResults: 100,
};

export interface ReadApiOptions {
  readonly pool: pg.Pool;
  readonly redis: RedisClient;
  /** Redis environment (key prefix) and its bucket count, as the pipeline writes them. */
  readonly env: string;
  readonly buckets: number;
  /** The environment's live TTL: live state older than this on its clock is never returned. Default DEFAULT_LIVE_TTL_MS. */
  readonly liveTtlMs?: number;
  readonly nowMs?: () => number;
  readonly limits?: Partial<ReadApiLimits>;
}

export interface ReadApi {
  /** The response for a `/v1/` request, or null when no read route has this path. */
  route(method: string, path: string, query: URLSearchParams): Promise<ReadResponse | null>;
}

/** Redis geo indexes cover latitudes within the Web Mercator limit only. */
const MAX_GEO_LAT = 85.05112878;

/** A JSON answer of the read routes (the map's included). */
export function json(status: number, body: unknown, headers?: Record<string, string>): ReadResponse {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body), ...(headers ? { headers } : {}) };
}

function geojson(body: string): ReadResponse {
  return { status: 200, contentType: `${GEOJSON_MEDIA_TYPE}; charset=utf-8`, body };
}

function pathMmsi(segment: string): number {
  let text: string;
  try {
    text = decodeURIComponent(segment);
  } catch {
    text = segment;
  }
  return parseMmsiParam('mmsi', text);
}

export function createReadApi(opts: ReadApiOptions): ReadApi {
  const limits: ReadApiLimits = { ...DEFAULT_READ_LIMITS, ...opts.limits };
  const now = opts.nowMs ?? Date.now;
  const layout = { buckets: opts.buckets };
  const liveTtlMs = opts.liveTtlMs ?? DEFAULT_LIVE_TTL_MS;
  const clock = (): Promise<EnvClock> => readEnvClock(opts.redis, opts.env, liveTtlMs, now(), layout);
  const clockMembers = (c: EnvClock): Record<string, unknown> => ({ clock: { kind: c.kind, now: new Date(c.nowMs).toISOString() } });

  async function vessel(mmsi: number, query: URLSearchParams): Promise<ReadResponse> {
    singleParams(query, []);
    const c = await clock();
    const [record, state] = await Promise.all([
      getVessel(opts.pool, mmsi, { includeDeleted: true }),
      getVesselState(opts.redis, opts.env, mmsi, { ...layout, includeDeleted: true, sinceMs: c.nowMs - liveTtlMs }),
    ]);
    // Soft-deleted vessels are hidden from every read, their live state included; either store's
    // mark counts.
    if ((record !== null && record.deletedAt !== null) || state?.deleted === true || (record === null && state === null)) {
      return json(404, { error: `vessel ${mmsi} not found` });
    }
    return json(200, {
      mmsi,
      vessel: record === null ? null : vesselRecordJson(record),
      live: state === null ? null : liveStateJson(state, c.nowMs),
      ...clockMembers(c),
    });
  }

  async function track(mmsi: number, query: URLSearchParams): Promise<ReadResponse> {
    const p = singleParams(query, ['since', 'until', 'limit']);
    const range = parseTimeRange({ since: p.get('since'), until: p.get('until') }, now(), {
      defaultSpanMs: limits.defaultTrackSpanMs,
      maxSpanMs: limits.maxTrackSpanMs,
      names: { since: 'since', until: 'until' },
    });
    const limitText = p.get('limit');
    const limit = limitText === undefined ? limits.maxTrackPoints : parseIntParam('limit', limitText, 1, limits.maxTrackPoints);
    const v = await findTrackVessel(opts.pool, mmsi);
    if (v === null) return json(404, { error: `vessel ${mmsi} not found` });
    const w = new GeoJsonTrackWriter({ maxPointsPerFeature: limits.maxTrackPoints });
    const parts: string[] = [w.begin(), w.startVessel(mmsi)];
    let count = 0;
    let lastTs = range.fromMs;
    let more = false;
    // One more than the limit tells whether a next page exists.
    for await (const page of trackPages(opts.pool, v.id, range, { limit: limit + 1, pageSize: Math.min(limit + 1, 5000) })) {
      for (const fix of page) {
        if (count === limit) {
          more = true;
          break;
        }
        parts.push(w.point(fix));
        lastTs = fix.ts;
        count++;
      }
    }
    parts.push(w.endVessel());
    const members: Record<string, unknown> = {
      mmsi,
      since: new Date(range.fromMs).toISOString(),
      until: new Date(range.toMs).toISOString(),
      count,
      truncated: more,
    };
    if (more) {
      const next = new URLSearchParams({ since: new Date(lastTs + 1).toISOString(), until: new Date(range.toMs).toISOString(), limit: String(limit) });
      members['next'] = `/v1/vessels/${mmsi}/track?${next.toString()}`;
    }
    // RFC 7946 allows foreign members beside "features"; the collection closes after them.
    const body = `${parts.join('')}],${JSON.stringify(members).slice(1, -1)}}`;
    return geojson(body);
  }

  async function near(query: URLSearchParams): Promise<ReadResponse> {
    const p = singleParams(query, ['lat', 'lon', 'radius', 'max_age', 'limit']);
    const latText = p.get('lat');
    const lonText = p.get('lon');
    if (latText === undefined) throw new ReadParamError('lat', 'lat is required: decimal degrees');
    if (lonText === undefined) throw new ReadParamError('lon', 'lon is required: decimal degrees');
    const lat = parseNumberParam('lat', latText, -MAX_GEO_LAT, MAX_GEO_LAT, 'decimal degrees within the Redis geo index limit');
    const lon = parseNumberParam('lon', lonText, -180, 180, 'decimal degrees');
    const radiusText = p.get('radius');
    const radius = radiusText === undefined ? limits.defaultRadiusM : parseDistanceParam('radius', radiusText, limits.maxRadiusM);
    const limitText = p.get('limit');
    const limit = limitText === undefined ? limits.defaultNearResults : parseIntParam('limit', limitText, 1, limits.maxNearResults);
    const ageText = p.get('max_age');
    // Never older than the live TTL, even before a prune ran.
    const maxAgeMs = ageText === undefined ? liveTtlMs : Math.min(liveTtlMs, parseDurationParam('max_age', ageText));
    const c = await clock();
    // Redis leaves out what it knows is deleted or too old; PostgreSQL, the record of deletion, is asked too.
    const found = await searchNear(opts.redis, opts.env, lat, lon, radius, limit, { ...layout, sinceMs: c.nowMs - maxAgeMs });
    const deleted = await softDeletedAmong(
      opts.pool,
      found.map((f) => f.mmsi),
    );
    const t = c.nowMs;
    const features: unknown[] = [];
    for (let i = 0; i < found.length && features.length < limit; i++) {
      const f = found[i];
      if (f === undefined || deleted.has(f.mmsi)) continue;
      const s = f.state;
      const pos = s.position;
      features.push({
        type: 'Feature',
        // The stored fix, not the geo index's 52-bit geohash cell centre.
        geometry: { type: 'Point', coordinates: [pos?.lon ?? f.lon, pos?.lat ?? f.lat] },
        properties: {
          mmsi: f.mmsi,
          name: s.static.name,
          callsign: s.static.callsign,
          shipType: s.static.shipType,
          distanceMeters: Math.round(f.distanceMeters * 10) / 10,
          time: pos === null ? null : new Date(pos.ts).toISOString(),
          ageSeconds: pos === null ? null : Math.round((t - pos.ts) / 1000),
          sog: pos?.sog ?? null,
          cog: pos?.cog ?? null,
          heading: pos?.heading ?? null,
          navStatus: pos?.navStatus ?? null,
        },
      });
    }
    const body = {
      type: 'FeatureCollection',
      features,
      center: [lon, lat],
      radiusMeters: radius,
      maxAgeSeconds: maxAgeMs / 1000,
      ...clockMembers(c),
      count: features.length,
    };
    return geojson(JSON.stringify(body));
  }

  async function search(query: URLSearchParams): Promise<ReadResponse> {
    const p = singleParams(query, ['q', 'limit']);
    const qText = p.get('q');
    if (qText === undefined) throw new ReadParamError('q', 'q is required: a name, call sign, IMO number or MMSI prefix');
    const q = parseSearchText('q', qText);
    const limitText = p.get('limit');
    const limit = limitText === undefined ? limits.defaultSearchResults : parseIntParam('limit', limitText, 1, limits.maxSearchResults);
    const hits = await searchVessels(opts.pool, q, limit);
    return json(200, { query: q, count: hits.length, vessels: hits.map(searchHitJson) });
  }

  /** The handler of a read route, or null when the path is none. */
  function handlerFor(path: string): ((query: URLSearchParams) => Promise<ReadResponse>) | null {
    if (path === '/v1/near') return near;
    if (path === '/v1/search') return search;
    // ['', 'v1', 'vessels', mmsi] or ['', 'v1', 'vessels', mmsi, 'track']
    const segments = path.split('/');
    const mmsiText = segments[3];
    if (segments[2] !== 'vessels' || mmsiText === undefined || mmsiText === '') return null;
    if (segments.length === 4) return (query) => vessel(pathMmsi(mmsiText), query);
    if (segments.length === 5 && segments[4] === 'track') return (query) => track(pathMmsi(mmsiText), query);
    return null;
  }

  return {
    async route(method, path, query) {
      const handler = handlerFor(path);
      if (handler === null) return null;
      if (method !== 'GET' && method !== 'HEAD') return json(405, { error: `${method} not allowed on ${path}` }, { allow: 'GET, HEAD' });
      try {
        return await handler(query);
      } catch (err) {
        if (err instanceof ReadParamError) return json(400, { error: err.message, parameter: err.parameter });
        throw new Error(`read ${path} failed: ${errorMessage(err)}`, { cause: err });
      }
    },
  };
}
