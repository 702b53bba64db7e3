/**
 * The live map of `aisctl serve`: `GET /` (the page), its script and land outlines under `/map/`,
 * and the two JSON endpoints it polls, `GET /v1/fleet` (every live vessel, columnar) and
 * `GET /v1/pipeline` (the pipeline panel). Everything the page needs comes from here: land is
 * Natural Earth from the `world-atlas` package and is decoded in the page by `topojson-client`,
 * both served from node_modules, so the map works without any network beyond aisctl.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Registry } from 'prom-client';
import { errorMessage } from '../../errors/error-message.js';
import { readEnvClock } from '../../store/redis/env-clock.js';
import { readLiveFleet, type LiveFleet } from '../../store/redis/live-fleet.js';
import type { RedisClient } from '../../store/redis/redis-client.js';
import { json, type ReadResponse } from '../read-api.js';
import { parseBBoxParam, parseDurationParam, parseIntParam, ReadParamError, singleParams } from '../read-params.js';
import { fleetJson } from './fleet-json.js';
import { createPipelineSummarizer } from './pipeline-summary.js';

export interface MapLimits {
  /** Vessels in one /v1/fleet answer when `limit` is not given. Default 50,000. */
  readonly defaultFleetVessels: number;
  /** Largest `limit`, and most vessels read from Redis for one snapshot. Default 100,000. */
  readonly maxFleetVessels: number;
  /** A fleet snapshot serves every request within this long. Default 1 s. */
  readonly fleetCacheMs: number;
  /** How often the registry is sampled for rates and windowed percentiles. Default 5 s. */
  readonly sampleEveryMs: number;
}

export const DEFAULT_MAP_LIMITS: MapLimits = { defaultFleetVessels: 50_000, maxFleetVessels: 100_000, fleetCacheMs: 1_000, sampleEveryMs: 5_000 };

export interface MapRoutesOptions {
  readonly redis: RedisClient;
  readonly env: string;
  readonly buckets: number;
  /** Vessels older than this on the environment's clock are not live and are not drawn. */
  readonly liveTtlMs: number;
  readonly registry: Registry;
  readonly nowMs?: () => number;
  readonly limits?: Partial<MapLimits>;
  /** Replaces the Redis read (unit tests of parameters and caps). */
  readonly readFleet?: (limit: number) => Promise<LiveFleet>;
}

export interface MapRoutes {
  /** The response for a map path, or null when the path is not one. */
  route(method: string, path: string, query: URLSearchParams): Promise<ReadResponse | null>;
  /** Stops the sampling timer. */
  close(): void;
}

/** The page runs only its own script and talks only to aisctl; vessel names can never become markup. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Asset {
  readonly contentType: string;
  readonly body: string;
}

function loadAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const here = (name: string): string => readFileSync(new URL(name, import.meta.url), 'utf8');
  return new Map([
    ['/', { contentType: 'text/html; charset=utf-8', body: here('./map-page.html') }],
    ['/map/map-client.js', { contentType: 'text/javascript; charset=utf-8', body: here('./map-client.mjs') }],
    [
      '/map/topojson-client.js',
      { contentType: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('topojson-client/dist/topojson-client.min.js'), 'utf8') },
    ],
    ['/map/land-110m.json', { contentType: 'application/json; charset=utf-8', body: readFileSync(require.resolve('world-atlas/land-110m.json'), 'utf8') }],
    ['/map/land-50m.json', { contentType: 'application/json; charset=utf-8', body: readFileSync(require.resolve('world-atlas/land-50m.json'), 'utf8') }],
  ]);
}

export function createMapRoutes(opts: MapRoutesOptions): MapRoutes {
  const limits: MapLimits = { ...DEFAULT_MAP_LIMITS, ...opts.limits };
  const now = opts.nowMs ?? Date.now;
  const assets = loadAssets();
  // The cut uses the environment's clock, as `near` does, so a replayed archive stays on the map
  // and a vessel past the live TTL leaves it before the next prune.
  const readFleet =
    opts.readFleet ??
    (async (limit: number): Promise<LiveFleet> => {
      const clock = await readEnvClock(opts.redis, opts.env, opts.liveTtlMs, now(), { buckets: opts.buckets });
      const fleet = await readLiveFleet(opts.redis, opts.env, { buckets: opts.buckets, limit, sinceMs: clock.nowMs - opts.liveTtlMs });
      return { ...fleet, nowMs: clock.nowMs };
    });
  const summarizer = createPipelineSummarizer(opts.registry);
  const sampleNow = (): void => {
    summarizer.sample(now()).catch(() => {
      // A failed sample leaves a gap in the window; the next one fills it.
    });
  };
  sampleNow();
  const timer = setInterval(sampleNow, limits.sampleEveryMs);
  timer.unref();

  // One Redis read serves every page polling within fleetCacheMs.
  let snapshot: { at: number; fleet: Promise<LiveFleet> } | null = null;
  function fleetSnapshot(): Promise<LiveFleet> {
    const t = now();
    if (snapshot === null || t - snapshot.at >= limits.fleetCacheMs) {
      const fleet = readFleet(limits.maxFleetVessels);
      snapshot = { at: t, fleet };
      fleet.catch(() => {
        if (snapshot?.fleet === fleet) snapshot = null;
      });
    }
    return snapshot.fleet;
  }

  async function fleet(query: URLSearchParams): Promise<ReadResponse> {
    const p = singleParams(query, ['bbox', 'limit', 'max_age']);
    const bboxText = p.get('bbox');
    const limitText = p.get('limit');
    const ageText = p.get('max_age');
    const filter = {
      box: bboxText === undefined ? null : parseBBoxParam('bbox', bboxText),
      limit: limitText === undefined ? limits.defaultFleetVessels : parseIntParam('limit', limitText, 1, limits.maxFleetVessels),
      maxAgeMs: ageText === undefined ? null : parseDurationParam('max_age', ageText),
    };
    const snapshot = await fleetSnapshot();
    return json(200, fleetJson(snapshot, filter, snapshot.nowMs ?? now()));
  }

  async function pipeline(query: URLSearchParams): Promise<ReadResponse> {
    singleParams(query, []);
    return json(200, await summarizer.summary(now()));
  }

  const handlers: Record<string, (query: URLSearchParams) => Promise<ReadResponse>> = { '/v1/fleet': fleet, '/v1/pipeline': pipeline };

  return {
    async route(method, path, query) {
      const asset = assets.get(path);
      const handler = handlers[path];
      if (asset === undefined && handler === undefined) return null;
      if (method !== 'GET' && method !== 'HEAD') return json(405, { error: `${method} not allowed on ${path}` }, { allow: 'GET, HEAD' });
      if (asset !== undefined) {
        if (path === '/' && [...query.keys()].length > 0) return json(400, { error: 'the map page takes no parameters' });
        const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
        if (path === '/') headers['content-security-policy'] = PAGE_CSP;
        return { status: 200, contentType: asset.contentType, body: asset.body, headers };
      }
      try {
        return await (handler as (query: URLSearchParams) => Promise<ReadResponse>)(query);
      } catch (err) {
        if (err instanceof ReadParamError) return json(400, { error: err.message, parameter: err.parameter });
        throw new Error(`read ${path} failed: ${errorMessage(err)}`, { cause: err });
      }
    },
    close() {
      clearInterval(timer);
    },
  };
}
