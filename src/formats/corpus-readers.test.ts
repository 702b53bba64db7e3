/**
 * Every reader on the real reference samples, with exact counts and every rejection explained.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_MISSING, corpusAvailable, corpusPath } from '../testing/corpus.js';
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import { readMessages } from './read-messages.js';

const NOW = Date.UTC(2026, 10, 29);

async function readAll(path: string) {
  const rejections: Rejection[] = [];
  const ignored: string[] = [];
  const reader = readMessages(path, { nowMs: () => NOW, maxFutureMs: 300_000, onRejection: (r) => rejections.push(r), onIgnored: (k) => ignored.push(k) });
  const messages: NormalizedMessage[] = [];
  for await (const batch of reader) messages.push(...batch);
  return { messages, rejections, ignored, stats: reader.stats };
}

describe.skipIf(!corpusAvailable())('readers on the reference corpus', () => {
  if (!corpusAvailable()) console.warn(CORPUS_MISSING);

  it('MarineCadastre 2023: 1,000 rows -> 998 positions, 997 statics, 2 non-vessel identities', async () => {
    const path = corpusPath('formats/marinecadastre/test_data_noaa_20230101.csv');
    const { messages, rejections, stats } = await readAll(path);
    expect(stats.format).toBe('noaa-csv');
    expect(stats.lines).toBe(1001);
    expect(stats.records).toBe(1000);
    expect(stats.positions).toBe(998);
    expect(stats.statics).toBe(997);
    expect(rejections).toEqual([]);
    // Line 524: MMSI 3669882 is the coast-station identity 003669882; line 542: 36926403 is a group call.
    expect(stats.ignored).toEqual({ 'mmsi:coast_station': 1, 'mmsi:group': 1 });
    // Ten IMO cells are not 7-digit IMO numbers (IMO180000000, IMO0000001, ...): nulled and counted.
    expect(stats.outOfRange).toEqual({ imo: 10 });

    const rows = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const kept = rows.filter((r) => !['3669882', '36926403'].includes(r[0] ?? ''));
    const positions = messages.filter((m) => m.kind === 'position');
    expect(positions.filter((m) => m.heading === null)).toHaveLength(kept.filter((r) => r[6] === '511.0').length);
    expect(positions.filter((m) => m.cog === null)).toHaveLength(kept.filter((r) => Number(r[5]) === 360).length);
    expect(positions.filter((m) => m.sog === null)).toHaveLength(kept.filter((r) => r[4] === '102.3').length);

    const naisha = messages.filter((m) => m.origin.line === 3);
    expect(naisha).toEqual([
      {
        kind: 'position',
        mmsi: 636021061,
        ts: Date.UTC(2023, 0, 11),
        lat: 26.09241,
        lon: -80.04806,
        sog: 8.8,
        cog: 272.7,
        heading: 270,
        navStatus: 8,
        source: 'marinecadastre',
        msgType: 0,
        origin: { file: path, line: 3 },
      },
      {
        kind: 'static',
        mmsi: 636021061,
        ts: Date.UTC(2023, 0, 11),
        name: 'MSC NAISHA III',
        callsign: '5LCB4',
        imo: 9307839,
        shipType: 70,
        toBow: null,
        toStern: null,
        toPort: null,
        toStarboard: null,
        draught: 8,
        destination: null,
        length: 208,
        width: 30,
        source: 'marinecadastre',
        msgType: 0,
        origin: { file: path, line: 3 },
      },
    ]);
  });

  it('DMA: 9 rows -> 7 class A positions, 2 base stations ignored', async () => {
    const path = corpusPath('formats/dma/aisdk-2023-02-15_head_quoted.csv');
    const { messages, rejections, stats } = await readAll(path);
    expect(stats.format).toBe('dma-csv');
    expect(stats.records).toBe(9);
    expect(rejections).toEqual([]);
    expect(stats.ignored).toEqual({ 'dma:base_station': 2 });
    expect(messages).toHaveLength(7);
    expect(messages.every((m) => m.kind === 'position' && m.ts === Date.UTC(2023, 1, 15))).toBe(true);
    expect(messages[0]).toMatchObject({
      mmsi: 219063000,
      lat: 57.1152,
      lon: 8.33121,
      sog: 6.4,
      cog: 216.9,
      heading: 217,
      navStatus: 0,
      source: 'dma',
      origin: { line: 2 },
    });
    expect(messages[1]).toMatchObject({ mmsi: 220228000, navStatus: 7 });
  });

  it('aisstream: the PositionReport example', async () => {
    const path = corpusPath('formats/aisstream/position_report_example.json');
    const { messages, rejections, stats } = await readAll(path);
    expect(stats.format).toBe('aisstream');
    expect(rejections).toEqual([]);
    expect(messages).toEqual([
      {
        kind: 'position',
        mmsi: 538010505,
        ts: Date.UTC(2024, 8, 17, 14, 38, 55, 281),
        lat: 13.351478333333334,
        lon: 100.601575,
        sog: 0,
        cog: 217.3,
        heading: 338,
        navStatus: 1,
        source: 'aisstream',
        msgType: 3,
        origin: { file: path, line: 1 },
      },
    ]);
  });

  it('AISHub format 0 (raw units) and format 1 (human units) agree', async () => {
    const raw = await readAll(corpusPath('formats/aishub/aishub_ws_format0_json_example.json'));
    const human = await readAll(corpusPath('formats/aishub/aishub_ws_format1_json_example.json'));
    for (const r of [raw, human]) {
      expect(r.stats.format).toBe('aishub');
      expect(r.rejections).toEqual([]);
      expect(r.messages.map((m) => m.kind)).toEqual(['position', 'static']);
    }
    expect(raw.messages[0]).toMatchObject({ mmsi: 244750034, ts: 1625826523000, lat: 52.46024, lon: 5.038025, sog: 0, cog: null, heading: null, navStatus: 8 });
    expect(human.messages[0]).toMatchObject({
      mmsi: 244750034,
      ts: Date.UTC(2026, 2, 28, 16, 50, 52),
      lat: 52.46028,
      lon: 5.03807,
      sog: 0,
      cog: null,
      heading: null,
      navStatus: 8,
    });
    expect(raw.messages[1]).toMatchObject({
      name: 'CHATEAUROUX',
      callsign: 'PH7002',
      imo: null,
      shipType: 69,
      toBow: 24,
      toStern: 6,
      toPort: null,
      toStarboard: 6,
      draught: 1.2,
      destination: null,
    });
    expect(human.messages[1]).toMatchObject({
      name: 'CHATEAUROUX',
      callsign: 'PH7002',
      shipType: 69,
      toPort: 1,
      toStarboard: 5,
      draught: 1.2,
      destination: 'ENKHUIZEN',
    });
  });

  it('tag-block NMEA (.nm4): 1,000 lines -> 903 positions, 42 statics, 9 rejections explained', async () => {
    const path = corpusPath('formats/tagblock_nmea/test_data_20211101.nm4');
    const { messages, rejections, stats } = await readAll(path);
    expect(stats.format).toBe('nmea');
    expect(stats.lines).toBe(1000);
    // 955 messages plus 24 type 24 halves whose other half is not in the file: each half is
    // delivered on its own (the vessels table merges non-null static fields), not held back.
    expect(stats.decode?.messages).toBe(979);
    expect(stats.positions).toBe(903);
    expect(stats.statics).toBe(42);
    expect(rejections.map((r) => [r.origin.line, r.reason, r.detail])).toEqual([
      [147, 'bad_mmsi', 'MMSI 123456789 is not a valid 9-digit identity'],
      [169, 'bad_mmsi', 'MMSI 133310 is not a valid 9-digit identity'],
      [247, 'bad_mmsi', 'MMSI 123456789 is not a valid 9-digit identity'],
      [302, 'position_not_available', 'position not available (lat null, lon null)'],
      [350, 'position_not_available', 'position not available (lat null, lon null)'],
      [408, 'bad_mmsi', 'MMSI 123456007 is not a valid 9-digit identity'],
      [617, 'bad_mmsi', 'MMSI 0 is not a valid 9-digit identity'],
      [656, 'bad_mmsi', 'MMSI 1245196 is not a valid 9-digit identity'],
      [990, 'bad_mmsi', 'MMSI 99204 is not a valid 9-digit identity'],
    ]);
    expect(stats.ignored).toEqual({
      'ais_type:4': 5,
      'ais_type:6': 1,
      'ais_type:8': 1,
      'ais_type:21': 11,
      'ais_type:25': 2,
      'mmsi:aton': 3,
      'mmsi:group': 2,
      'mmsi:handheld_vhf': 1,
    });
    expect(stats.records).toBe(979);
    expect(stats.rejectedTotal + stats.ignoredTotal).toBe(35);
    // Every time comes from the tag blocks (c: 2021-11-01), every source is a station id.
    const lo = Date.UTC(2021, 10, 1);
    expect(messages.every((m) => m.ts >= lo && m.ts < lo + 86_400_000)).toBe(true);
    expect(messages.every((m) => /^\d+$/.test(m.source))).toBe(true);
  });
});
