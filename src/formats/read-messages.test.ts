import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import { readMessages, type ReadMessagesOptions } from './read-messages.js';

const dir = mkdtempSync(join(tmpdir(), 'aisctl-read-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.UTC(2024, 0, 2);

async function read(name: string, content: string | Buffer, over: Partial<ReadMessagesOptions> = {}) {
  const path = join(dir, name);
  writeFileSync(path, content);
  const rejections: Rejection[] = [];
  const ignored: string[] = [];
  const reader = readMessages(path, {
    nowMs: () => NOW,
    maxFutureMs: 300_000,
    onRejection: (r) => rejections.push(r),
    onIgnored: (k) => ignored.push(k),
    ...over,
  });
  const batches: NormalizedMessage[][] = [];
  for await (const b of reader) batches.push(b);
  return { batches, messages: batches.flat(), rejections, ignored, stats: reader.stats, reader, path };
}

const jsonl = (i: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'position', mmsi: 219000000 + i, ts: NOW - 60_000 + i, lat: 55, lon: 10, sog: 1, cog: 2, heading: 3, navStatus: 0, ...over });

describe('readMessages', () => {
  it('yields batches of at most batchSize and counts everything', async () => {
    const lines = Array.from({ length: 2500 }, (_, i) => jsonl(i));
    const { batches, messages, stats, reader } = await read('many.jsonl', lines.join('\n'), { batchSize: 1000 });
    // At most batchSize, and a batch also ends where a read of the file ended (256 KiB).
    expect(batches.every((b) => b.length > 0 && b.length <= 1000)).toBe(true);
    expect(batches.slice(0, 2).map((b) => b.length)).toEqual([1000, 1000]);
    expect(batches.reduce((n, b) => n + b.length, 0)).toBe(2500);
    expect(messages[2499]?.origin).toEqual({ file: join(dir, 'many.jsonl'), line: 2500 });
    expect(stats).toMatchObject({ format: 'jsonl', lines: 2500, records: 2500, messages: 2500, positions: 2500, rejectedTotal: 0 });
    expect(reader.progress.bytesRead).toBe(reader.progress.totalBytes);
  });

  it('reports each bad line with file:line, reason and field, and keeps going', async () => {
    const content = [
      jsonl(1),
      '{"kind":"position","mmsi":219000001,"lat":1,"lon":1}',
      '{not json',
      jsonl(2, { mmsi: 'abc' }),
      jsonl(3, { lat: 91, lon: 181 }),
      jsonl(4, { ts: '1989-12-31T23:59:59Z' }),
      jsonl(5, { ts: NOW + 3_600_000 }),
      jsonl(6, { mmsi: 992191234 }),
      jsonl(7, { sog: 500 }),
      jsonl(8, { kind: 'track' }),
      '',
    ].join('\n');
    const { messages, rejections, ignored, stats, path } = await read('bad.jsonl', content);
    expect(messages.map((m) => m.origin.line)).toEqual([1, 9]);
    expect(messages[1]).toMatchObject({ sog: null });
    expect(rejections.map((r) => [r.origin.file, r.origin.line, r.reason])).toEqual([
      [path, 2, 'missing_field'],
      [path, 3, 'malformed_record'],
      [path, 4, 'malformed_record'],
      [path, 5, 'position_not_available'],
      [path, 6, 'time_before_1990'],
      [path, 7, 'time_in_future'],
      [path, 10, 'malformed_record'],
    ]);
    expect(rejections[0]?.detail).toBe('missing field ts');
    expect(rejections[2]?.detail).toMatch(/field mmsi: expected a number/);
    expect(ignored).toEqual(['mmsi:aton']);
    expect(stats.outOfRange).toEqual({ sog: 1 });
    expect(stats.rejected).toEqual({ missing_field: 1, malformed_record: 3, position_not_available: 1, time_before_1990: 1, time_in_future: 1 });
  });

  it('detects gzip NMEA and exposes the decoder stats', async () => {
    const nmea = [
      '\\s:41925,c:1635731889,t:1635731965*66\\!AIVDM,1,1,,,15Di=4002i<chWiba2`rPpD:04;`,0*37',
      '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*FF',
      '',
    ].join('\r\n');
    const { messages, rejections, stats } = await read('feed.log.gz', gzipSync(nmea), { nowMs: () => Date.UTC(2024, 0, 1) });
    expect(stats.format).toBe('nmea');
    expect(stats.decode?.lines).toBe(2);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ source: '41925', ts: 1635731889000 });
    expect(rejections.map((r) => [r.origin.line, r.reason])).toEqual([[2, 'bad_checksum']]);
  });

  it('reads quoted CSV fields, keeps an unterminated quote to its line, and names the column of a bad cell', async () => {
    const csv = [
      'mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver',
      '219063000,2023-06-01 00:00:00,10.5,55.5,,,,"TWO LINES, INC",IMO9307839,OXYZ,70,0,100,20,5.5,,A',
      '219063004,2023-06-01 00:00:00,10.5,55.5,,,,"OPEN, INC,IMO9307839,OXYZ,70,0,100,20,5.5,,A',
      '219063001,2023-06-01 00:00:00,10.5,55.5,fast,,,,,,,,,,,,A',
      '219063002,2023-06-01 00:00:00,10.5',
      '219063003,yesterday,10.5,55.5,,,,,,,,,,,,,A',
    ].join('\n');
    const { messages, rejections } = await read('x.csv', csv);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ kind: 'static', name: 'TWO LINES, INC', length: 100, width: 20, origin: { line: 2 } });
    expect(rejections.map((r) => [r.origin.line, r.reason, r.detail])).toEqual([
      [3, 'malformed_record', 'unterminated quote (a record is one line in this format)'],
      [4, 'malformed_record', 'field sog: not a number: "fast"'],
      [5, 'malformed_record', 'row has 3 fields, header has 17'],
      [6, 'bad_time', 'base_date_time "yesterday" is not a valid time'],
    ]);
  });

  it('reads a pretty-printed AISHub document', async () => {
    const doc = JSON.stringify(
      [
        { ERROR: false, FORMAT: 'HUMAN', RECORDS: 2 },
        [
          { MMSI: 244750034, TIME: '2023-06-01 10:00:00 GMT', LONGITUDE: 5.03807, LATITUDE: 52.46028, COG: 360, SOG: 0, HEADING: 511, NAVSTAT: 8 },
          { MMSI: 244750035, TIME: 'soon', LONGITUDE: 5, LATITUDE: 52 },
        ],
      ],
      null,
      2,
    );
    const { messages, rejections } = await read('ah.json', doc);
    expect(messages).toHaveLength(1);
    expect(rejections.map((r) => [r.origin.line, r.reason, r.detail])).toEqual([[1, 'bad_time', 'record 2: TIME "soon" is not a valid time']]);
  });

  it('overrides the source and honours --format', async () => {
    const { messages, stats } = await read('data.txt', jsonl(1), { format: 'jsonl', source: 'mine' });
    expect(stats.format).toBe('jsonl');
    expect(messages[0]?.source).toBe('mine');
  });

  it('explains an unknown format', async () => {
    await expect(read('notes.txt', 'hello\nworld\n')).rejects.toThrow(/--format/);
  });
});
