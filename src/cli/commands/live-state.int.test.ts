/**
 * Bounded live state through the built CLI on the real servers (issue 11): `--live-ttl` on
 * ingest, the replay clock of an archive, `near --max-age`, `prune --older-than`, and the ages and
 * clock `near` and `vessel` print. Time moves through the event timestamps of the input files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';

let db: TestDatabase;
let redis: TestRedis;
let dir: string;
let args: string[];

const DAY1 = Date.UTC(2023, 4, 1, 0, 0);
/** 30 hours later: DAY1's vessels are older than a 24 h TTL on the replay clock. */
const DAY2 = DAY1 + 30 * 3_600_000;
const A = [233_000_001, 233_000_002, 233_000_003];
const B = [233_000_011, 233_000_012];

function jsonl(file: string, mmsis: readonly number[], ts: number): string {
  const path = join(dir, file);
  const lines = mmsis.map((mmsi, i) =>
    JSON.stringify({
      kind: 'position',
      mmsi,
      ts: new Date(ts + i * 1000).toISOString(),
      lat: 60 + i / 1000,
      lon: 5,
      sog: 10,
      cog: 90,
      heading: 90,
      navStatus: 0,
      source: 'archive',
      msgType: 1,
    }),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

interface NearJson {
  maxAgeSeconds: number;
  clock: { kind: string; now: string; newestEvent: string | null };
  vessels: { mmsi: number; ageSeconds: number; lastReport: string }[];
}

async function near(...extra: string[]): Promise<NearJson> {
  const r = await runCli(['near', '60', '5', '--radius', '5km', '--json', ...extra, ...args]);
  expect(r.code, describeResult(r)).toBe(0);
  return jsonOutput<NearJson>(r);
}

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('livecli');
  redis = await createTestRedis('livecli');
  dir = mkdtempSync(join(tmpdir(), 'aisctl-live-'));
  args = ['--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix];
}, 300_000);

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an archive replayed today, through the built CLI', () => {
  it('runs on its replay clock, hides what the TTL expired on ingest before any prune, and prunes it', async () => {
    const spool = ['--spool-dir', join(dir, 'spool')];
    let r = await runCli(['ingest', jsonl('day1.jsonl', A, DAY1), '--live-ttl', '24h', '--json', ...spool, ...args]);
    expect(r.code, describeResult(r)).toBe(0);
    let n = await near();
    // 2023 on the wall clock would be years old; on the replay clock it is seconds.
    expect(n.clock).toEqual({ kind: 'replay', now: new Date(DAY1 + 2000).toISOString(), newestEvent: new Date(DAY1 + 2000).toISOString() });
    expect(n.maxAgeSeconds).toBe(86_400);
    expect(n.vessels.map((v) => [v.mmsi, v.ageSeconds])).toEqual([
      [A[0], 2],
      [A[1], 1],
      [A[2], 0],
    ]);

    r = await runCli(['ingest', jsonl('day2.jsonl', B, DAY2), '--live-ttl', '24h', '--json', ...spool, ...args]);
    expect(r.code, describeResult(r)).toBe(0);
    n = await near();
    expect(n.clock.now).toBe(new Date(DAY2 + 1000).toISOString());
    // DAY1's vessels are still stored (nothing pruned yet) but older than the TTL: not shown.
    expect(n.vessels.map((v) => v.mmsi)).toEqual(B);
    expect((await near('--max-age', '2d')).vessels.map((v) => v.mmsi).sort()).toEqual([...A, ...B].sort());

    const text = await runCli(['near', '60', '5', '--radius', '5km', ...args]);
    expect(text.stdout).toContain(`heard within 1d (the live TTL), ages on the replay clock (newest event ${new Date(DAY2 + 1000).toISOString()})`);

    const p = await runCli(['prune', '--older-than', '24h', '--json', ...args]);
    expect(p.code, describeResult(p)).toBe(0);
    expect(jsonOutput<{ removed: number; cut: string; clock: { kind: string } }>(p)).toMatchObject({
      removed: 3,
      cut: new Date(DAY2 + 1000 - 86_400_000).toISOString(),
      clock: { kind: 'replay' },
    });
    expect((await near('--max-age', '2d')).vessels.map((v) => v.mmsi)).toEqual(B);
    const again = await runCli(['prune', ...args]);
    expect(again.stdout).toMatch(/^pruned 0 vessels not heard for longer than 1d/);

    // The live part of `vessel` follows: a pruned vessel has only its history, a live one its age and clock.
    const gone = jsonOutput<{ live: unknown; vessel: unknown; clock: { kind: string } }>(await runCli(['vessel', String(A[0]), '--json', ...args]));
    expect(gone.live).toBeNull();
    expect(gone.vessel).not.toBeNull();
    const live = jsonOutput<{ live: { position: { ageSeconds: number } }; clock: { kind: string }; liveTtlSeconds: number }>(
      await runCli(['vessel', String(B[0]), '--json', ...args]),
    );
    expect(live).toMatchObject({ live: { position: { ageSeconds: 1 } }, clock: { kind: 'replay' }, liveTtlSeconds: 86_400 });
    const shown = await runCli(['vessel', String(B[0]), ...args]);
    expect(shown.stdout).toContain('ages on the replay clock');
    expect(shown.stdout).toMatch(/reported {3}2023-05-02T06:00:00\.000Z \(1s ago on the replay clock\)/);
  });

  it('the live TTL an ingest records is the default of near --max-age', async () => {
    const r = await runCli([
      'ingest',
      jsonl('day2b.jsonl', [233_000_021], DAY2 - 2 * 3_600_000),
      '--live-ttl',
      '1h',
      '--json',
      '--spool-dir',
      join(dir, 'spool'),
      ...args,
    ]);
    expect(r.code, describeResult(r)).toBe(0);
    const n = await near();
    expect(n.maxAgeSeconds).toBe(3600);
    expect(n.vessels.map((v) => v.mmsi)).toEqual(B);
    expect((await near('--max-age', '3h')).vessels.map((v) => v.mmsi)).toContain(233_000_021);
  });

  it('doctor reports the bytes per live vessel', async () => {
    const d = await runCli(['doctor', '--json', ...args]);
    const report = jsonOutput<{ redis: { liveVessels: number; bytesPerVessel: number | null } }>(d);
    expect(report.redis.liveVessels).toBeGreaterThan(0);
    expect(report.redis.bytesPerVessel).toBeGreaterThan(0);
    expect((await runCli(['doctor', ...args])).stdout).toMatch(/live vessels \(\d+ B each in Redis, MEMORY USAGE\)/);
  });

  it('refuses a max age or prune age that is not a positive duration', async () => {
    const r = await runCli(['near', '60', '5', '--max-age', '0s', ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--max-age must be longer than 0: got '0s'");
    const p = await runCli(['prune', '--older-than', '60', ...args]);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('--older-than');
  });
});
