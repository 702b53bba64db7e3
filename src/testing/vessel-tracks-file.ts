/**
 * A small aisctl JSONL file of plausible straight tracks (10 knots, a fix every 10 s), every
 * (MMSI, time) distinct, so "stored exactly once" is a row count: `positions` rows in all.
 */
import { writeFileSync } from 'node:fs';

export function writeVesselTracks(path: string, vessels: number, fixesPerVessel: number, startMs = Date.UTC(2024, 5, 1, 8)): { positions: number } {
  const lines: string[] = [];
  for (let f = 0; f < fixesPerVessel; f++) {
    for (let v = 0; v < vessels; v++) {
      const ts = startMs + f * 10_000 + v;
      // 10 knots north: 51.4 m per 10 s = 0.000462 degrees of latitude.
      lines.push(
        JSON.stringify({
          kind: 'position',
          mmsi: 244_000_000 + v * 7,
          ts: new Date(ts).toISOString(),
          lat: 52 + v * 0.01 + f * 0.000462,
          lon: 4 + v * 0.01,
          sog: 10,
          cog: 0,
          heading: 0,
          navStatus: 0,
          source: 'tracks',
          msgType: 1,
        }),
      );
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { positions: vessels * fixesPerVessel };
}
