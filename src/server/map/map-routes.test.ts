import { afterEach, describe, expect, it } from 'vitest';
import { createPipelineMetrics } from '../../metrics/pipeline-metrics.js';
import type { LiveFleet } from '../../store/redis/live-fleet.js';
import type { RedisClient } from '../../store/redis/redis-client.js';
import { createMapRoutes, type MapRoutes } from './map-routes.js';

const NOW = Date.UTC(2024, 5, 1);
const vessels = Array.from({ length: 30 }, (_, i) => ({
  mmsi: 244_000_000 + i,
  ts: NOW - i * 1000,
  lat: 50 + i * 0.1,
  lon: 4,
  sog: null,
  cog: null,
  heading: i,
  navStatus: null,
  shipType: 70,
  name: `V${i}`,
  callsign: null,
}));

let routes: MapRoutes | null = null;
let reads = 0;
let clock = NOW;
function make(): MapRoutes {
  reads = 0;
  clock = NOW;
  routes = createMapRoutes({
    // Never used: readFleet stands in for the Redis read, whose own test runs on the real server.
    redis: null as unknown as RedisClient,
    env: 'unit',
    buckets: 1,
    liveTtlMs: 24 * 3_600_000,
    registry: createPipelineMetrics().registry,
    nowMs: () => clock,
    limits: { defaultFleetVessels: 20, maxFleetVessels: 25 },
    readFleet: (limit): Promise<LiveFleet> => {
      reads++;
      return Promise.resolve({ total: vessels.length, vessels: vessels.slice(0, limit), truncated: vessels.length > limit });
    },
  });
  return routes;
}
afterEach(() => routes?.close());

const q = (s = ''): URLSearchParams => new URLSearchParams(s);

describe('createMapRoutes', () => {
  it('serves the page with a content security policy, its script and both land outlines; other paths are not its own', async () => {
    const r = make();
    const page = await r.route('GET', '/', q());
    expect(page?.status).toBe(200);
    expect(page?.contentType).toMatch(/^text\/html/);
    expect(page?.headers?.['content-security-policy']).toContain("script-src 'self'");
    expect(page?.body).toContain('id="vessel-count"');
    expect(page?.body).not.toMatch(/https?:\/\//);
    for (const path of ['/map/map-client.js', '/map/topojson-client.js']) expect((await r.route('GET', path, q()))?.contentType).toMatch(/^text\/javascript/);
    for (const path of ['/map/land-110m.json', '/map/land-50m.json']) {
      const land = await r.route('HEAD', path, q());
      expect((JSON.parse(land?.body ?? '{}') as { type?: string }).type).toBe('Topology');
    }
    expect(await r.route('GET', '/v1/near', q())).toBeNull();
    expect(await r.route('GET', '/map/other.js', q())).toBeNull();
  });

  it('answers 405 to other methods and 400 to parameters on the page', async () => {
    const r = make();
    expect((await r.route('POST', '/', q()))?.status).toBe(405);
    expect((await r.route('DELETE', '/v1/fleet', q()))?.headers?.['allow']).toBe('GET, HEAD');
    expect((await r.route('GET', '/', q('x=1')))?.status).toBe(400);
  });

  it('caps the fleet at the default and at the largest limit, and refuses a limit past it', async () => {
    const r = make();
    const fleet = async (s: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await r.route('GET', '/v1/fleet', q(s));
      return { status: res?.status ?? 0, body: JSON.parse(res?.body ?? '{}') as Record<string, unknown> };
    };
    expect((await fleet('')).body).toMatchObject({ count: 20, truncated: true, total: 30, live: 25 });
    expect((await fleet('limit=25')).body).toMatchObject({ count: 25, truncated: true });
    expect((await fleet('limit=26')).status).toBe(400);
    expect((await fleet('max_age=10s')).body).toMatchObject({ count: 11 });
  });

  it('reads the fleet once per cache period, however many requests', async () => {
    const r = make();
    await Promise.all([r.route('GET', '/v1/fleet', q()), r.route('GET', '/v1/fleet', q('limit=5'))]);
    expect(reads).toBe(1);
    clock += 999;
    await r.route('GET', '/v1/fleet', q());
    expect(reads).toBe(1);
    clock += 1;
    await r.route('GET', '/v1/fleet', q());
    expect(reads).toBe(2);
  });
});
