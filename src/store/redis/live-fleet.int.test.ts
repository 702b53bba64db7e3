import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, type TestRedis } from '../../testing/services.js';
import { bareStaticRow } from '../../testing/test-rows.js';
import type { PositionRow } from '../store-types.js';
import { createHotStateWriter } from './hot-state-writer.js';
import { readLiveFleet } from './live-fleet.js';

const T0 = Date.UTC(2024, 5, 1);
const BASE = 247_000_000;
const pos = (i: number): PositionRow => ({
  mmsi: BASE + i,
  ts: T0 + i * 1000,
  lat: 40 + i * 0.01,
  lon: -70 - i * 0.01,
  sog: i,
  cog: i === 0 ? null : 10 * i,
  heading: i % 2 === 0 ? null : i,
  navStatus: 0,
  source: 'a',
  score: 0.5,
});

let r: TestRedis;
beforeAll(async () => {
  r = await createTestRedis('fleet');
});
afterAll(async () => {
  await r?.cleanup();
});

describe.each([1, 8])('readLiveFleet, %i bucket(s)', (buckets) => {
  const env = (): string => `${r.prefix}-b${buckets}`;

  beforeAll(async () => {
    const w = createHotStateWriter({ redis: r.client, env: env(), buckets });
    await w.writeBatch(
      Array.from({ length: 30 }, (_, i) => pos(i)),
      [bareStaticRow(BASE + 3, T0, { name: 'THREE', shipType: 70, callsign: 'PD03' }), bareStaticRow(BASE + 99, T0 + 99_000, { name: 'STATIC ONLY' })],
    );
  });

  it('reads every vessel with a position, newest first, with its static fields; static-only vessels count but are not drawn', async () => {
    const fleet = await readLiveFleet(r.client, env(), { buckets, limit: 1000 });
    expect(fleet.total).toBe(31);
    expect(fleet.truncated).toBe(false);
    expect(fleet.vessels.map((v) => v.mmsi)).toEqual(Array.from({ length: 30 }, (_, i) => BASE + 29 - i));
    expect(fleet.vessels.find((v) => v.mmsi === BASE + 3)).toEqual({
      mmsi: BASE + 3,
      ts: T0 + 3000,
      lat: 40.03,
      lon: -70.03,
      sog: 3,
      cog: 30,
      heading: 3,
      navStatus: 0,
      shipType: 70,
      name: 'THREE',
      callsign: 'PD03',
    });
    expect(fleet.vessels.find((v) => v.mmsi === BASE)).toMatchObject({ cog: null, heading: null, name: null, shipType: null });
  });

  it('caps what it reads at the newest `limit`, whatever the chunk size, and says so', async () => {
    const a = await readLiveFleet(r.client, env(), { buckets, limit: 10 });
    const b = await readLiveFleet(r.client, env(), { buckets, limit: 10, chunk: 3 });
    expect(a).toEqual(b);
    expect(a.truncated).toBe(true);
    expect(a.total).toBe(31);
    // The static-only vessel is the newest entry of the index: read, then left out.
    expect(a.vessels.map((v) => v.mmsi)).toEqual(Array.from({ length: 9 }, (_, i) => BASE + 29 - i));
  });

  it('leaves out vessels reported before sinceMs', async () => {
    const fleet = await readLiveFleet(r.client, env(), { buckets, limit: 1000, sinceMs: T0 + 25_000 });
    expect(fleet.vessels.map((v) => v.mmsi)).toEqual([29, 28, 27, 26, 25].map((i) => BASE + i));
    expect(fleet.total).toBe(6);
  });

  it('is empty for an environment without vessels', async () => {
    expect(await readLiveFleet(r.client, `${env()}-none`, { buckets, limit: 10 })).toEqual({ total: 0, vessels: [], truncated: false });
  });
});
