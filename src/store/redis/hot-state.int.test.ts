import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, type TestRedis } from '../../testing/services.js';
import type { PositionRow } from '../store-types.js';
import { activeSince, countActive, getVesselState, searchNear } from './hot-state-reader.js';
import { createHotStateWriter } from './hot-state-writer.js';
import { measureLayoutMemory } from '../../testing/memory-footprint.js';
import { pruneInactive } from './prune-inactive.js';
import { bareStaticRow } from '../../testing/test-rows.js';
import { LuaScript } from '../../utils/lua-script.js';
import { bucketPrefix, keyLayout, newestKey } from './key-layout.js';
import { packPositions } from './packed-state.js';

const T0 = Date.UTC(2024, 5, 1);
const pos = (mmsi: number, ts: number, over: Partial<PositionRow> = {}): PositionRow => ({
  mmsi,
  ts,
  lat: 51.95,
  lon: 4.05,
  sog: 12.3,
  cog: 231.5,
  heading: 230,
  navStatus: 0,
  source: 'a',
  score: 0.5,
  ...over,
});
const stat = bareStaticRow;

let r: TestRedis;
beforeAll(async () => {
  r = await createTestRedis('hot');
});
afterAll(async () => {
  await r?.cleanup();
});

describe.each([1, 8])('hot state in Redis, %i bucket(s)', (buckets) => {
  const env = () => `${r.prefix}-b${buckets}`;

  it('keeps the newest state whatever the arrival order, atomically per vessel', async () => {
    const w = createHotStateWriter({ redis: r.client, env: env(), buckets });
    const mmsi = 244_000_001;
    expect(await w.writeBatch([pos(mmsi, T0 + 300, { lat: 52 }), pos(mmsi, T0 + 100, { lat: 50 })], [])).toEqual({ applied: 1, stale: 1 });
    expect(await w.writeBatch([pos(mmsi, T0 + 200, { lat: 51 })], [])).toEqual({ applied: 0, stale: 1 });
    let s = await getVesselState(r.client, env(), mmsi, { buckets });
    expect(s?.position).toMatchObject({ ts: T0 + 300, lat: 52 });
    // same time, better score: replaces; not-available fields are cleared, not left stale
    expect(await w.writeBatch([pos(mmsi, T0 + 300, { lat: 52.5, score: 0.9, sog: null, heading: null, source: 'b' })], [])).toEqual({ applied: 1, stale: 0 });
    s = await getVesselState(r.client, env(), mmsi, { buckets });
    expect(s?.position).toEqual({ ts: T0 + 300, lat: 52.5, lon: 4.05, sog: null, cog: 231.5, heading: null, navStatus: 0, source: 'b', score: 0.9 });
    expect(await getVesselState(r.client, env(), 244_999_999, { buckets })).toBeNull();
  });

  it("many vessels per call: concurrent out-of-order batches end at each vessel's newest report", async () => {
    const w = createHotStateWriter({ redis: r.client, env: env(), buckets });
    const batches: PositionRow[][] = [];
    for (let k = 0; k < 10; k++)
      batches.push(Array.from({ length: 200 }, (_, i) => pos(245_000_000 + i, T0 + ((k * 7919 + i * 31) % 10) * 1000, { lat: (k * 7919 + i * 31) % 10 })));
    await Promise.all(batches.map((b) => w.writeBatch(b, [])));
    for (const i of [0, 17, 199]) {
      const s = await getVesselState(r.client, env(), 245_000_000 + i, { buckets });
      expect(s?.position?.ts).toBe(T0 + 9000);
      expect(s?.position?.lat).toBe(9);
    }
  });

  it('vessels sharing a shard in one call: each judged on its own (newer, older, score ties, polar)', async () => {
    const w = createHotStateWriter({ redis: r.client, env: env(), buckets });
    // 1024 apart: the same bucket and shard for 1 and for 8 buckets (8 x 128 shards).
    const v = Array.from({ length: 6 }, (_, k) => 246_100_000 + k * 1024);
    const [v0, v1, v2, v3, v4, v5] = v as [number, number, number, number, number, number];
    await w.writeBatch([...v.slice(0, 5).map((m) => pos(m, T0)), pos(v5, T0, { lat: 89 })], []);
    const second = [
      pos(v0, T0 + 1000),
      pos(v1, T0 - 1000, { lat: 40 }),
      pos(v2, T0, { score: 0.9, lat: 51.96 }),
      pos(v3, T0, { score: 0.1, lat: 40 }),
      pos(v4, T0 + 1000, { lat: 89 }),
      pos(v5, T0 + 1000),
    ];
    expect(await w.writeBatch(second, [])).toEqual({ applied: 4, stale: 2 });
    const states = await Promise.all(v.map((m) => getVesselState(r.client, env(), m, { buckets })));
    expect(states.map((s) => [s?.position?.ts, s?.position?.lat, s?.position?.score])).toEqual([
      [T0 + 1000, 51.95, 0.5],
      [T0, 51.95, 0.5],
      [T0, 51.96, 0.9],
      [T0, 51.95, 0.5],
      [T0 + 1000, 89, 0.5],
      [T0 + 1000, 51.95, 0.5],
    ]);
    const near = await searchNear(r.client, env(), 51.95, 4.05, 5000, 100, { buckets });
    expect(
      near
        .map((n) => n.mmsi)
        .filter((m) => v.includes(m))
        .sort(),
    ).toEqual([v0, v1, v2, v3, v5].sort());
  });

  it('merges statics (newer fields win, older only fill gaps) and keeps static-only vessels', async () => {
    const w = createHotStateWriter({ redis: r.client, env: env(), buckets });
    const mmsi = 246_000_001;
    await w.writeBatch([], [stat(mmsi, T0 + 10, { name: 'NEW', shipType: 70, toBow: 100, toStern: 20, toPort: 5, toStarboard: 6 })]);
    await w.writeBatch([], [stat(mmsi, T0 + 5, { name: 'OLD', callsign: 'PDAB', draught: 7.5 })]);
    const s = await getVesselState(r.client, env(), mmsi, { buckets });
    expect(s?.position).toBeNull();
    expect(s?.static).toEqual({
      ts: T0 + 10,
      name: 'NEW',
      callsign: 'PDAB',
      imo: null,
      shipType: 70,
      toBow: 100,
      toStern: 20,
      toPort: 5,
      toStarboard: 6,
      draught: 7.5,
      destination: null,
    });
  });

  it('finds vessels near a point across buckets, nearest first', async () => {
    const w = createHotStateWriter({ redis: r.client, env: env(), buckets });
    await w.writeBatch(
      [
        pos(247_000_001, T0, { lat: 60.0, lon: 5.0 }),
        pos(247_000_002, T0, { lat: 60.001, lon: 5.0 }),
        pos(247_000_003, T0, { lat: 60.01, lon: 5.0 }),
        pos(247_000_004, T0, { lat: 61.0, lon: 5.0 }),
      ],
      [],
    );
    const near = await searchNear(r.client, env(), 60.0, 5.0, 2000, 10, { buckets });
    expect(near.map((n) => n.mmsi)).toEqual([247_000_001, 247_000_002, 247_000_003]);
    expect(near[1]?.distanceMeters).toBeGreaterThan(100);
    expect(near[1]?.distanceMeters).toBeLessThan(125);
    expect(near[0]?.lat).toBeCloseTo(60.0, 4);
    expect(await searchNear(r.client, env(), 60.0, 5.0, 2000, 2, { buckets })).toHaveLength(2);
  });

  it('lists active vessels and prunes inactive ones from hash, geo and active together', async () => {
    const e = `${env()}-prune`;
    const w = createHotStateWriter({ redis: r.client, env: e, buckets });
    await w.writeBatch(
      Array.from({ length: 50 }, (_, i) => pos(248_000_000 + i, T0 + i * 1000, { lat: 10, lon: 10 })),
      [],
    );
    const active = await activeSince(r.client, e, T0 + 40_000, { buckets });
    expect(active.map((a) => a.mmsi)).toEqual(Array.from({ length: 10 }, (_, i) => 248_000_049 - i));
    expect(await pruneInactive(r.client, e, T0 + 40_000, { buckets })).toBe(40);
    expect(await countActive(r.client, e, -Infinity, { buckets })).toBe(10);
    expect(await getVesselState(r.client, e, 248_000_000, { buckets })).toBeNull();
    expect(await getVesselState(r.client, e, 248_000_049, { buckets })).not.toBeNull();
    // Nothing of the pruned vessels is left in any structure: the geo sets hold the 10 live ones.
    expect(await searchNear(r.client, e, 10, 10, 1000, 100, { buckets, includeDeleted: true })).toHaveLength(10);
    expect(await searchNear(r.client, e, 10, 10, 1000, 100, { buckets })).toHaveLength(10);
  });
});

describe('the position script', () => {
  it('takes the newer of two reports of one vessel in one call, whichever comes first', async () => {
    // The writer sends one report per vessel; the script must not depend on it.
    const script = new LuaScript(new URL('./write-position.lua', import.meta.url));
    const env = `${r.prefix}-twice`;
    const kl = keyLayout(env, 1);
    const head = [bucketPrefix(kl, 0), '1', String(kl.shards), '0', ''];
    const mmsi = 246_200_000;
    const call = (rows: PositionRow[]) => script.run(r.client, [newestKey(kl, 0)], [...head, packPositions(rows)]);
    expect(await call([pos(mmsi, T0 + 2000, { lat: 52 }), pos(mmsi, T0 + 1000, { lat: 50 })])).toEqual([1, 1]);
    expect((await getVesselState(r.client, env, mmsi))?.position?.lat).toBe(52);
    expect(await call([pos(mmsi, T0 + 3000, { lat: 53 }), pos(mmsi, T0 + 4000, { lat: 54 })])).toEqual([1, 1]);
    expect((await getVesselState(r.client, env, mmsi))?.position?.lat).toBe(54);
  });
});

describe('environment prefix', () => {
  it('isolates keys of two environments', async () => {
    const a = createHotStateWriter({ redis: r.client, env: `${r.prefix}-envA` });
    const b = createHotStateWriter({ redis: r.client, env: `${r.prefix}-envB` });
    await a.writeBatch([pos(249_000_001, T0, { lat: 1 })], []);
    await b.writeBatch([pos(249_000_001, T0 + 1, { lat: 2 })], []);
    expect((await getVesselState(r.client, `${r.prefix}-envA`, 249_000_001))?.position?.lat).toBe(1);
    expect((await getVesselState(r.client, `${r.prefix}-envB`, 249_000_001))?.position?.lat).toBe(2);
    const keysA = await r.client.keys(`${r.prefix}-envA:*`);
    // The shard hash, geo and active sets and the newest-event key.
    expect(keysA.length).toBe(4);
    expect(keysA.every((k) => k.startsWith(`${r.prefix}-envA:ais:`))).toBe(true);
  });

  it('refuses a prefix that would break isolation or hash tags', () => {
    expect(() => createHotStateWriter({ redis: r.client, env: 'a:b' })).toThrow(/invalid Redis environment prefix/);
    expect(() => createHotStateWriter({ redis: r.client, env: 'x{1}' })).toThrow(/invalid/);
  });
});

describe('memory per vessel (figures for docs/storage.md)', () => {
  it('measures the seed layout against the compact layout', async () => {
    const modules = (await r.client.call('MODULE', 'LIST')) as unknown[];
    const seed = await measureLayoutMemory(r.client, `${r.prefix}-memseed`, 10_000, 'seed');
    const compact = await measureLayoutMemory(r.client, `${r.prefix}-memcompact`, 10_000, 'compact');
    console.log(`redis modules: ${JSON.stringify(modules)}\nseed: ${JSON.stringify(seed)}\ncompact: ${JSON.stringify(compact)}`);
    expect(compact.totalBytesPerVessel).toBeLessThan(seed.totalBytesPerVessel);
  });
});
