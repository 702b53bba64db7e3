/**
 * Recorded traffic for the live-feed tests: fixtures/harbour.nmea with a receive time on every
 * line, and what the NMEA reader makes of such lines. The fixture has no times of its own, so a
 * replay would get receipt times, which differ from run to run and can put two reports of a
 * moored vessel within fusion's duplicate window; tag block times make every report a distinct
 * row whose (vessel, time) a test can look up.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { tagBlockPrefix } from '../ais/sentence-encoder.js';
import { createParser } from '../formats/create-parser.js';
import type { NormalizedMessage } from '../normalize/message.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixtureLines(name: string): string[] {
  return readFileSync(FIXTURES + name, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** harbour.nmea, line i received at `t0 + i * stepMs` (tag block `c:` in ms), from `station` if given. */
export function timedHarbourLines(t0: number, opts: { stepMs?: number; station?: string } = {}): string[] {
  const step = opts.stepMs ?? 10_000;
  return fixtureLines('harbour.nmea').map(
    (line, i) => `${tagBlockPrefix({ time: t0 + i * step, timeUnit: 'ms', ...(opts.station ? { station: opts.station } : {}) })}${line}`,
  );
}

/** The messages the NMEA reader makes of `lines` read as one input named `file` (the feed name). */
export function parsedMessages(lines: readonly string[], file: string, format: 'nmea' | 'aisstream' = 'nmea'): NormalizedMessage[] {
  const parser = createParser(format, { file, maxFutureMs: 5 * 60_000, ...(format === 'aisstream' ? { source: file } : {}) });
  const out: NormalizedMessage[] = [];
  const emit = (o: { messages: readonly NormalizedMessage[] }): void => {
    out.push(...o.messages);
  };
  const now = Date.now();
  lines.forEach((l, i) => parser.parseLine(l, i + 1, now, emit));
  parser.finish(now, emit);
  return out;
}

/** How many of these (mmsi, ts) positions PostgreSQL holds, with the source each was stored under. */
export async function storedPositions(
  pool: pg.Pool,
  positions: ReadonlyArray<{ mmsi: number; ts: number }>,
): Promise<{ found: number; sources: Record<string, number> }> {
  const r = await pool.query<{ source: string; n: string }>(
    `SELECT p.source, count(*) AS n
       FROM vessel_positions_decoded p JOIN vessels v ON v.id = p.vessel_id
       JOIN unnest($1::int[], $2::timestamptz[]) AS k(mmsi, ts) ON k.mmsi = v.mmsi AND k.ts = p.ts
      GROUP BY p.source`,
    [positions.map((p) => p.mmsi), positions.map((p) => new Date(p.ts).toISOString())],
  );
  const sources: Record<string, number> = {};
  let found = 0;
  for (const row of r.rows) {
    sources[row.source] = Number(row.n);
    found += Number(row.n);
  }
  return { found, sources };
}

/** Polls `check` until it holds: waits on an observable state; the test's own timeout bounds it. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
