/**
 * Bounded, compact live state on the real Redis (issue 11): ages against the environment's clock,
 * near's max age before any prune, pruning, the backstop expiry, soft-delete marks, bytes per
 * vessel and a rolling fleet. Time moves through event timestamps and injected wall clocks only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, type TestRedis } from '../../testing/services.js';
import { positionRow, staticRow } from '../../testing/test-rows.js';
import { driveRollingFleet } from '../../testing/rolling-fleet.js';
import { measureLayoutMemory } from '../../testing/memory-footprint.js';
import { chooseClock, readEnvClock } from './env-clock.js';
import { activeSince, countActive, getVesselState, searchNear } from './hot-state-reader.js';
import { createHotStateWriter } from './hot-state-writer.js';
import { activeKey, geoKey, keyLayout, shardOf, stateKey } from './key-layout.js';
import { readLiveFleet } from './live-fleet.js';
import { pruneByAge } from './prune-live.js';
import { markSoftDeleted } from './soft-delete-marks.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An archive day: long before any wall clock these tests run on. */
const T2023 = Date.UTC(2023, 4, 1, 12);

let r: TestRedis;
beforeAll(async () => {
  r = await createTestRedis('live');
});
afterAll(async () => {
  await r?.cleanup();
});

describe('the environment clock', () => {
  it('is the wall clock while the newest event is within the live TTL of it, else the newest event (replay)', () => {
    const wall = Date.UTC(2026, 0, 1);
    expect(chooseClock(wall, null, DAY)).toEqual({ nowMs: wall, kind: 'wall', newestEventMs: null });
    expect(chooseClock(wall, wall - HOUR, DAY)).toEqual({ nowMs: wall, kind: 'wall', newestEventMs: wall - HOUR });
    expect(chooseClock(wall, wall - DAY - 1, DAY)).toEqual({ nowMs: wall - DAY - 1, kind: 'replay', newestEventMs: wall - DAY - 1 });
  });

  it.each([1, 8])('records the newest event time over positions and statics (%i buckets)', async (buckets) => {
    const env = `${r.prefix}-clock${buckets}`;
    const w = createHotStateWriter({ redis: r.client, env, buckets });
    await w.writeBatch([positionRow(244_000_001, T2023), positionRow(244_000_002, T2023 + 5000)], [staticRow(244_000_003, T2023 + 9000)]);
    // Older reports never move it back.
    await w.writeBatch([positionRow(244_000_004, T2023 - DAY)], []);
    const c = await readEnvClock(r.client, env, DAY, Date.UTC(2026, 0, 1), { buckets });
    expect(c).toEqual({ nowMs: T2023 + 9000, kind: 'replay', newestEventMs: T2023 + 9000 });
  });
});

describe('max age, pruning and expiry on the replay clock of an archive', () => {
  const env = () => `${r.prefix}-age`;
  const wall = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    const w = createHotStateWriter({ redis: r.client, env: env(), liveTtlMs: DAY });
    // Five vessels at 60.000..60.004 N heard 30 h before the newest event, three further out heard in the last hour.
    await w.writeBatch(
      [
        ...Array.from({ length: 5 }, (_, i) => positionRow(245_000_000 + i, T2023 - 30 * HOUR, { lat: 60 + i / 1000, lon: 5 })),
        ...Array.from({ length: 3 }, (_, i) => positionRow(245_000_100 + i, T2023 - i * HOUR, { lat: 60.01 + i / 1000, lon: 5 })),
      ],
      [],
    );
  });

  it('near leaves out state older than the max age before any prune, and the limit counts only what it shows', async () => {
    const c = await readEnvClock(r.client, env(), DAY, wall);
    expect(c.kind).toBe('replay');
    const all = await searchNear(r.client, env(), 60, 5, 5000, 3);
    expect(all.map((v) => v.mmsi)).toEqual([245_000_000, 245_000_001, 245_000_002]);
    const live = await searchNear(r.client, env(), 60, 5, 5000, 3, { sinceMs: c.nowMs - DAY });
    expect(live.map((v) => v.mmsi)).toEqual([245_000_100, 245_000_101, 245_000_102]);
    expect(live[0]?.state.position?.ts).toBe(T2023);
    const recent = await searchNear(r.client, env(), 60, 5, 5000, 10, { sinceMs: c.nowMs - 90 * 60_000 });
    expect(recent.map((v) => v.mmsi)).toEqual([245_000_100, 245_000_101]);
  });

  it('prunes what is older than the age on the replay clock, from state, geo and active together', async () => {
    const p = await pruneByAge(r.client, env(), { olderThanMs: DAY, liveTtlMs: DAY, wallMs: wall });
    expect(p).toMatchObject({ removed: 5, cutMs: T2023 - DAY, clock: { kind: 'replay' } });
    expect(await countActive(r.client, env(), -Infinity)).toBe(3);
    expect(await getVesselState(r.client, env(), 245_000_000)).toBeNull();
    expect((await searchNear(r.client, env(), 60, 5, 5000, 100)).map((v) => v.mmsi)).toEqual([245_000_100, 245_000_101, 245_000_102]);
    expect((await pruneByAge(r.client, env(), { olderThanMs: DAY, liveTtlMs: DAY, wallMs: wall })).removed).toBe(0);
  });

  it('sets the backstop expiry (twice the live TTL and an eighth) on the shard keys a write touches, and none without a TTL', async () => {
    const kl = keyLayout(env(), 1);
    const s = shardOf(kl, 245_000_100);
    for (const key of [stateKey(kl, 0, s), geoKey(kl, 0, s), activeKey(kl, 0, s)]) {
      const ttl = await r.client.pttl(key);
      expect(ttl).toBeGreaterThan(2 * DAY);
      expect(ttl).toBeLessThanOrEqual(2.25 * DAY);
    }
    const e2 = `${env()}-nottl`;
    await createHotStateWriter({ redis: r.client, env: e2 }).writeBatch([positionRow(245_000_100, T2023)], []);
    expect(await r.client.pttl(stateKey(keyLayout(e2, 1), 0, s))).toBe(-1);
  });
});

describe.each([1, 8])('soft-delete marks, %i bucket(s)', (buckets) => {
  it('hide a vessel from every live read while its new reports are still applied, and restore shows the newest', async () => {
    const env = `${r.prefix}-del${buckets}`;
    const w = createHotStateWriter({ redis: r.client, env, buckets });
    const a = 246_000_001;
    const b = 246_000_002;
    await w.writeBatch([positionRow(a, T2023, { lat: 61, lon: 6 }), positionRow(b, T2023, { lat: 61.001, lon: 6 })], [staticRow(a, T2023)]);
    await markSoftDeleted(r.client, env, a, true, { buckets });
    const o = { buckets };
    expect(await getVesselState(r.client, env, a, o)).toBeNull();
    expect((await searchNear(r.client, env, 61, 6, 1000, 10, o)).map((v) => v.mmsi)).toEqual([b]);
    expect((await activeSince(r.client, env, 0, o)).map((v) => v.mmsi)).toEqual([b]);
    expect(await countActive(r.client, env, -Infinity, o)).toBe(1);
    expect((await readLiveFleet(r.client, env, { buckets, limit: 10 })).vessels.map((v) => v.mmsi)).toEqual([b]);

    // As in PostgreSQL: a deleted vessel's new report is recorded, and stays hidden.
    expect(await w.writeBatch([positionRow(a, T2023 + 60_000, { lat: 61.0005, lon: 6 })], [])).toEqual({ applied: 1, stale: 0 });
    expect(await getVesselState(r.client, env, a, o)).toBeNull();
    expect(await getVesselState(r.client, env, a, { ...o, includeDeleted: true })).toMatchObject({ deleted: true, position: { ts: T2023 + 60_000 } });
    // Pruning removes its state, never the mark.
    await markSoftDeleted(r.client, env, a, false, o);
    const back = await searchNear(r.client, env, 61, 6, 1000, 10, o);
    // a moved to 55 m from the centre, b is 111 m away.
    expect(back.map((v) => v.mmsi)).toEqual([a, b]);
    expect(back[0]?.state).toMatchObject({ deleted: false, position: { ts: T2023 + 60_000, lat: 61.0005 }, static: { name: `VESSEL ${a}` } });
  });
});

describe('compact layout', () => {
  it('round-trips every field at AIS resolution and keeps static-only vessels', async () => {
    const env = `${r.prefix}-rt`;
    const w = createHotStateWriter({ redis: r.client, env });
    const p = positionRow(247_000_001, T2023, {
      lat: -33.85678333333333,
      lon: 151.21535,
      sog: 102.2,
      cog: 359.9,
      heading: 359,
      navStatus: 15,
      score: 0.123456789,
      source: 'udp:rx-1|x',
    });
    await w.writeBatch(
      [p],
      [
        staticRow(247_000_002, T2023, {
          name: 'ÅLAND EXPRESS',
          callsign: 'OJAB',
          imo: 9_876_543,
          destination: 'MARIEHAMN',
          toPort: 63,
          toBow: 511,
          draught: 25.5,
        }),
      ],
    );
    expect((await getVesselState(r.client, env, 247_000_001))?.position).toEqual({
      ts: T2023,
      lat: -33.85678333333333,
      lon: 151.21535,
      sog: 102.2,
      cog: 359.9,
      heading: 359,
      navStatus: 15,
      source: 'udp:rx-1|x',
      score: 0.123456789,
    });
    expect(await getVesselState(r.client, env, 247_000_002)).toEqual({
      mmsi: 247_000_002,
      position: null,
      lastReportTs: T2023,
      deleted: false,
      static: {
        ts: T2023,
        name: 'ÅLAND EXPRESS',
        callsign: 'OJAB',
        imo: 9_876_543,
        shipType: 70,
        toBow: 511,
        toStern: 20,
        toPort: 63,
        toStarboard: 10,
        draught: 25.5,
        destination: 'MARIEHAMN',
      },
    });
  });

  it('takes 300 bytes or fewer per vessel (MEMORY USAGE over state, geo and active, 10,000 vessels with statics)', async () => {
    const m = await measureLayoutMemory(r.client, `${r.prefix}-mem`, 10_000, 'compact');
    expect(m.vessels).toBe(10_000);
    expect(m.totalBytesPerVessel).toBeLessThanOrEqual(300);
  });
});

describe('rolling fleet', () => {
  it('keeps memory proportional to the live fleet, not to the vessels ever seen (10^4 over a day, 10^3 live)', async () => {
    const liveTtlMs = HOUR;
    const samples = await driveRollingFleet(r.client, `${r.prefix}-roll`, { distinct: 10_000, live: 1_000, liveTtlMs, stepMs: 15 * 60_000 });
    expect(samples).toHaveLength(24);
    // Live fleet plus what arrived within TTL + one step of pruning: 1,000 + 10,000 / 24 h * 1.25 h.
    const bound = 1_000 + Math.ceil((10_000 / 24) * 1.25) + 1;
    for (const s of samples.slice(3)) {
      expect(s.vessels).toBeLessThanOrEqual(bound);
      expect(s.vessels).toBeGreaterThanOrEqual(s.liveModel);
    }
    const peak = Math.max(...samples.map((s) => s.bytes));
    const last = samples[samples.length - 1];
    expect(last?.bytes).toBeLessThan(peak * 1.25);
    // The same day unpruned holds every vessel ever seen.
    const unpruned = await driveRollingFleet(r.client, `${r.prefix}-roll-unpruned`, {
      distinct: 10_000,
      live: 1_000,
      liveTtlMs,
      stepMs: 15 * 60_000,
      prune: false,
    });
    expect(unpruned[unpruned.length - 1]?.vessels).toBe(10_000);
    // At this small scale the 3,072 shard keys' own overhead (~0.3 MB) is much of the pruned figure.
    expect(peak * 2).toBeLessThan(unpruned[unpruned.length - 1]?.bytes ?? 0);
  }, 120_000);
});

describe('renewing the backstop expiry', () => {
  // Two hours of minimum life (a 1 h live TTL): renewed at most every 15 min, to 2 h 15 min.
  const MIN_LIFE = 2 * HOUR;
  const EXPIRY = MIN_LIFE + MIN_LIFE / 8;
  const SHORT = 60_000;
  const env = () => `${r.prefix}-renew`;
  const kl = () => keyLayout(env(), 1);
  const A = 246_000_000;
  /** Another vessel in A's shard (1024 shards, one bucket). */
  const sameShard = (k: number) => A + k * 1024;
  const keysOf = (mmsi: number) => {
    const s = shardOf(kl(), mmsi);
    return [stateKey(kl(), 0, s), geoKey(kl(), 0, s), activeKey(kl(), 0, s)];
  };
  const shorten = async (mmsi: number) => {
    for (const key of keysOf(mmsi)) await r.client.pexpire(key, SHORT);
  };
  const ttls = async (mmsi: number) => Promise.all(keysOf(mmsi).map((k) => r.client.pttl(k)));

  it('renews a shard at most once per eighth of its expiry, and at once when a write adds a member', async () => {
    let wall = Date.UTC(2026, 0, 1);
    const w = createHotStateWriter({ redis: r.client, env: env(), liveTtlMs: HOUR, clock: () => wall });
    await w.writeBatch([positionRow(A, T2023)], []);
    for (const t of await ttls(A)) expect(t).toBeGreaterThan(MIN_LIFE);
    for (const t of await ttls(A)) expect(t).toBeLessThanOrEqual(EXPIRY);

    // A newer report of a vessel already stored, 14 min later: nothing due, nothing added.
    await shorten(A);
    wall += 14 * 60_000;
    await w.writeBatch([positionRow(A, T2023 + 1000)], []);
    for (const t of await ttls(A)) expect(t).toBeLessThanOrEqual(SHORT);
    expect((await getVesselState(r.client, env(), A))?.position?.ts).toBe(T2023 + 1000);

    // A new vessel in the same shard adds a member to all three keys: renewed at once.
    await w.writeBatch([positionRow(sameShard(1), T2023 + 1000)], []);
    for (const t of await ttls(A)) expect(t).toBeGreaterThan(MIN_LIFE);

    // 15 min after the last renewal of this writer's: due again.
    await shorten(A);
    wall += 15 * 60_000;
    await w.writeBatch([positionRow(A, T2023 + 2000)], []);
    for (const t of await ttls(A)) expect(t).toBeGreaterThan(MIN_LIFE);
  });

  it('renews for statics the same way (state and active keys)', async () => {
    let wall = Date.UTC(2026, 0, 2);
    const w = createHotStateWriter({ redis: r.client, env: env(), liveTtlMs: HOUR, clock: () => wall });
    const V = sameShard(2);
    await w.writeBatch([], [staticRow(V, T2023)]);
    const [state, , active] = keysOf(V) as [string, string, string];
    expect(await r.client.pttl(state)).toBeGreaterThan(MIN_LIFE);

    await r.client.pexpire(state, SHORT);
    await r.client.pexpire(active, SHORT);
    wall += 60_000;
    await w.writeBatch([], [staticRow(V, T2023 + 1000, { name: 'RENAMED' })]);
    expect(await r.client.pttl(state)).toBeLessThanOrEqual(SHORT);
    expect(await r.client.pttl(active)).toBeLessThanOrEqual(SHORT);

    await w.writeBatch([], [staticRow(sameShard(3), T2023 + 1000)]);
    expect(await r.client.pttl(state)).toBeGreaterThan(MIN_LIFE);
    expect(await r.client.pttl(active)).toBeGreaterThan(MIN_LIFE);
  });

  it('gives a key that a write creates an expiry even when the writer renewed its shard a moment ago', async () => {
    const wall = Date.UTC(2026, 0, 3);
    const w = createHotStateWriter({ redis: r.client, env: env(), liveTtlMs: HOUR, clock: () => wall });
    const V = sameShard(4);
    await w.writeBatch([positionRow(V, T2023)], []);
    for (const key of keysOf(V)) await r.client.del(key);
    await w.writeBatch([positionRow(V, T2023 + 1000)], []);
    for (const t of await ttls(V)) expect(t).toBeGreaterThan(MIN_LIFE);
  });
});
