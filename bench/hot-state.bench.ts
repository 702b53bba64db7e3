/**
 * Live state in Redis (issue 11), two measurements in one run, on the machine's Redis:
 *
 * 1. Position write rate of layout 1 (one hash per vessel, the rival: its script is kept in
 *    bench/lua/) against layout 2 (packed values in listpack shards) without and with the live
 *    TTL's backstop expiry: N vessels x rounds in batches of 2,000, rounds interleaved so that
 *    the machine's load falls on all three alike. Ratios, not absolute rates, are the result.
 * 2. `near` (5 km, 50 results, 50 queries over the North Sea box, interleaved) on the same
 *    20,000 vessels: layout 1's GEOSEARCH on one set plus a HGETALL per result (one pipelined
 *    round trip), against layout 2's searchNear (one script call visiting all 1024 shards).
 * 3. A rolling fleet: 10^5 distinct vessels over a simulated day with 10^4 live at a time,
 *    pruned with a 1 h live TTL every 15 min of event time, against the same day unpruned:
 *    vessels held and MEMORY USAGE after each hour.
 *
 * Run: npm run bench:hot-state [-- vessels rounds [--no-fleet]]
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { PositionRow } from '../src/store/store-types.js';
import { searchNear } from '../src/store/redis/hot-state-reader.js';
import { createHotStateWriter } from '../src/store/redis/hot-state-writer.js';
import { LuaScript } from '../src/utils/lua-script.js';
import { driveRollingFleet, type RollingFleetSample } from '../src/testing/rolling-fleet.js';
import { TEST_REDIS_URL, deleteKeysWithPrefix } from '../src/testing/services.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const VESSELS = Number(positional[0] ?? 20_000);
const ROUNDS = Number(positional[1] ?? 5);
const FLEET = !process.argv.includes('--no-fleet');
const BATCH = 2_000;
const LAYOUT1 = new LuaScript(new URL('./lua/layout1-write-position.lua', import.meta.url));

function rows(round: number): PositionRow[] {
  return Array.from({ length: VESSELS }, (_, i) => ({
    mmsi: 244_000_000 + i,
    ts: Date.UTC(2024, 5, 1) + round * 60_000 + i,
    lat: 51 + (i % 1000) / 250,
    lon: 2 + (i % 997) / 200,
    sog: (i % 230) / 10,
    cog: (i % 3600) / 10,
    heading: i % 360,
    navStatus: i % 9,
    source: 'aishub',
    score: 0.9,
  }));
}

/** The layout 1 writer's position path, as it was: one key per vessel, one packed argument each. */
async function writeLayout1(redis: Redis, env: string, batch: readonly PositionRow[]): Promise<void> {
  for (let i = 0; i < batch.length; i += 500) {
    const chunk = batch.slice(i, i + 500);
    const keys = [`${env}:ais:vessels:geo:{0}`, `${env}:ais:vessels:active:{0}`, ...chunk.map((p) => `${env}:ais:vessel:{0}:${p.mmsi}`)];
    const args = chunk.map(
      (p) => `${p.mmsi}|${p.ts}|${p.lat}|${p.lon}|${p.sog ?? ''}|${p.cog ?? ''}|${p.heading ?? ''}|${p.navStatus ?? ''}|${p.score}|${p.source}`,
    );
    await LAYOUT1.run(redis, keys, args);
  }
}

async function writeRates(redis: Redis, prefix: string): Promise<void> {
  // One writer each for the whole run, as ingest and serve keep theirs: the backstop expiry's
  // renewals are remembered per writer (expiry-refresh.ts).
  const layout2 = createHotStateWriter({ redis, env: `${prefix}-l2` });
  const layout2Ttl = createHotStateWriter({ redis, env: `${prefix}-l2ttl`, liveTtlMs: 86_400_000 });
  const contenders: Record<string, (batch: readonly PositionRow[]) => Promise<unknown>> = {
    'layout 1 (hash per vessel)': (b) => writeLayout1(redis, `${prefix}-l1`, b),
    'layout 2 (shards)': (b) => layout2.writeBatch(b, []),
    'layout 2 + backstop expiry': (b) => layout2Ttl.writeBatch(b, []),
  };
  const seconds: Record<string, number> = Object.fromEntries(Object.keys(contenders).map((k) => [k, 0]));
  for (let round = 0; round < ROUNDS; round++) {
    const data = rows(round);
    for (const [name, write] of Object.entries(contenders)) {
      const t0 = performance.now();
      for (let i = 0; i < data.length; i += BATCH) await write(data.slice(i, i + BATCH));
      seconds[name] = (seconds[name] ?? 0) + (performance.now() - t0) / 1000;
    }
  }
  const base = (VESSELS * ROUNDS) / (seconds['layout 1 (hash per vessel)'] ?? 1);
  console.log(`\nposition writes, ${VESSELS} vessels x ${ROUNDS} rounds, batches of ${BATCH} (interleaved):`);
  for (const [name, s] of Object.entries(seconds)) {
    const rate = (VESSELS * ROUNDS) / s;
    console.log(`  ${name.padEnd(28)} ${Math.round(rate).toLocaleString('en').padStart(9)} /s   ${(rate / base).toFixed(2)}x layout 1`);
  }
}

async function nearLatency(redis: Redis, prefix: string): Promise<void> {
  const points = Array.from({ length: 50 }, (_, i) => ({ lat: 51 + (i % 10) * 0.4, lon: 2 + Math.floor(i / 10) }));
  const ms = { 'layout 1': 0, 'layout 2': 0 };
  let found = { 'layout 1': 0, 'layout 2': 0 };
  for (const p of points) {
    let t0 = performance.now();
    const hits = (await redis.call(
      'GEOSEARCH',
      `${prefix}-l1:ais:vessels:geo:{0}`,
      'FROMLONLAT',
      p.lon,
      p.lat,
      'BYRADIUS',
      5000,
      'm',
      'ASC',
      'COUNT',
      50,
      'WITHDIST',
    )) as [string, string][];
    await Promise.all(hits.map(([m]) => redis.hgetall(`${prefix}-l1:ais:vessel:{0}:${m}`)));
    ms['layout 1'] += performance.now() - t0;
    t0 = performance.now();
    const near = await searchNear(redis, `${prefix}-l2`, p.lat, p.lon, 5000, 50);
    ms['layout 2'] += performance.now() - t0;
    found = { 'layout 1': found['layout 1'] + hits.length, 'layout 2': found['layout 2'] + near.length };
  }
  console.log(`\nnear, 5 km, at most 50, ${points.length} queries (interleaved):`);
  for (const k of ['layout 1', 'layout 2'] as const)
    console.log(`  ${k}  ${(ms[k] / points.length).toFixed(2)} ms mean, ${found[k]} vessels found, ${(ms[k] / ms['layout 1']).toFixed(2)}x layout 1`);
}

function printCurve(title: string, samples: readonly RollingFleetSample[]): void {
  console.log(`\n${title}\n  hour  live(model)  held   MiB    B/vessel`);
  for (const s of samples)
    console.log(
      `  ${String(s.hour).padStart(4)}  ${String(s.liveModel).padStart(11)}  ${String(s.vessels).padStart(6)}  ${(s.bytes / 1_048_576).toFixed(2).padStart(5)}  ${s.bytesPerVessel === null ? '-' : Math.round(s.bytesPerVessel)}`,
    );
}

const redis = new Redis(TEST_REDIS_URL);
const prefix = `aisctl_bench_hot_${process.pid}`;
try {
  await writeRates(redis, prefix);
  await nearLatency(redis, prefix);
  if (FLEET) {
    const fleet = { distinct: 100_000, live: 10_000, liveTtlMs: 3_600_000, stepMs: 15 * 60_000 };
    printCurve('rolling fleet, pruned (live TTL 1h, every 15 min of event time):', await driveRollingFleet(redis, `${prefix}-roll`, fleet));
    printCurve('the same day unpruned:', await driveRollingFleet(redis, `${prefix}-roll-unpruned`, { ...fleet, prune: false }));
  }
} finally {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
}
