import { describe, expect, it } from 'vitest';
import { encodePositionsForBinaryCopy } from './copy-binary-encoder.js';
import type { KeyedPosition } from './position-batch.js';

const row = (over: Partial<KeyedPosition['row']> = {}, vesselId = 7, sourceId = 3): KeyedPosition => ({
  vesselId,
  sourceId,
  row: { mmsi: 1, ts: 1700000000123, lat: 51.5, lon: -0.25, sog: null, cog: 12.5, heading: 90, navStatus: null, source: 'ais', score: 0.75, ...over },
});

describe('encodePositionsForBinaryCopy', () => {
  it('writes the binary COPY header, one 9-field tuple per row in the stored units, and the trailer', () => {
    const b = encodePositionsForBinaryCopy([row()]) as Buffer;
    expect(b.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(b.readInt32BE(11)).toBe(0);
    expect(b.readInt32BE(15)).toBe(0);
    let o = 19;
    expect(b.readInt16BE(o)).toBe(9);
    o += 2;
    const field = (): Buffer => {
      const len = b.readInt32BE(o);
      o += 4;
      const v = b.subarray(o, o + len);
      o += len;
      return v;
    };
    expect(field().readInt32BE()).toBe(7);
    expect(field().readBigInt64BE()).toBe(1700000000123n);
    expect(field().readInt32BE()).toBe(51.5 * 600_000);
    expect(field().readInt32BE()).toBe(-0.25 * 600_000);
    expect(field().readFloatBE()).toBe(0.75);
    expect(field().readInt16BE()).toBe(1023);
    expect(field().readInt16BE()).toBe(125);
    expect(field().readInt16BE()).toBe(90 + 512 * 15);
    expect(field().readInt16BE()).toBe(3);
    expect(b.readInt16BE(o)).toBe(-1);
    expect(b.length).toBe(o + 2);
  });

  it('handles negative int8 times and rounds to the stored units', () => {
    const b = encodePositionsForBinaryCopy([row({ ts: -1, sog: 12.3, heading: 89.6 })]) as Buffer;
    expect(b.readBigInt64BE(19 + 2 + 8 + 4)).toBe(-1n);
    const sogAt = 19 + 2 + 8 + 12 + 8 + 8 + 8 + 4;
    expect(b.readInt16BE(sogAt)).toBe(123);
    expect(b.readInt16BE(sogAt + 12) % 512).toBe(90);
  });

  it('declines rows whose values the text format must report (past int4 or int2)', () => {
    expect(encodePositionsForBinaryCopy([row({}, 2 ** 40)])).toBeNull();
    expect(encodePositionsForBinaryCopy([row({ sog: 4_000 })])).toBeNull();
  });
});
