import { describe, expect, it } from 'vitest';
import type { PositionReport } from '../normalize/message.js';
import { decodeMessage, encodeMessage } from './message-codec.js';
import { messageId } from './message-id.js';

const fix: PositionReport = {
  kind: 'position',
  mmsi: 244660000,
  ts: Date.UTC(2024, 5, 1, 8),
  lat: 52,
  lon: 4,
  sog: 10,
  cog: 90,
  heading: 91,
  navStatus: 0,
  source: 'rx1',
  msgType: 1,
  origin: { file: 'a.nmea', line: 7 },
};

describe('messageId', () => {
  it('is the same for the same content read from another file or line (a republished copy)', () => {
    expect(messageId({ ...fix, origin: { file: 'copy.nmea', line: 99 } })).toBe(messageId(fix));
  });

  it('differs when anything the message says differs', () => {
    expect(messageId({ ...fix, ts: fix.ts + 1 })).not.toBe(messageId(fix));
    expect(messageId({ ...fix, source: 'rx2' })).not.toBe(messageId(fix));
  });
});

describe('message codec', () => {
  it('round-trips a message with its origin', () => {
    expect(decodeMessage(encodeMessage(fix))).toEqual({ ok: true, message: fix });
  });

  it('refuses a record that is not a message, saying why', () => {
    expect(decodeMessage(new TextEncoder().encode('{"kind":"position","mmsi":1}'))).toMatchObject({ ok: false });
    expect(decodeMessage(new TextEncoder().encode('not json'))).toMatchObject({ ok: false, detail: expect.stringMatching(/^not JSON/) as unknown });
  });
});
