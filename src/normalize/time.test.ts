import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FUTURE_MS, TIME_FLOOR_MS, epochToMs, parseDmaTime, parseIsoTime, parseTimeValue, validateTime } from './time.js';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const ctx = { nowMs: NOW, maxFutureMs: DEFAULT_MAX_FUTURE_MS };

describe('validateTime', () => {
  it('rejects non-finite values as bad_time', () => {
    expect(validateTime(Number.NaN, ctx)).toBe('bad_time');
    expect(validateTime(Number.POSITIVE_INFINITY, ctx)).toBe('bad_time');
    expect(validateTime(Number.NEGATIVE_INFINITY, ctx)).toBe('bad_time');
    expect(validateTime('2024-01-01' as unknown as number, ctx)).toBe('bad_time');
  });

  it('rejects times a Date cannot hold as bad_time (their message used to throw)', () => {
    expect(validateTime(8.64e15, ctx)).toBe('time_in_future');
    expect(validateTime(8.64e15 + 1, ctx)).toBe('bad_time');
    expect(validateTime(1e16, ctx)).toBe('bad_time');
    expect(validateTime(-1e308, ctx)).toBe('bad_time');
  });

  it('puts the 1990 floor exactly at 1990-01-01T00:00:00Z', () => {
    expect(TIME_FLOOR_MS).toBe(Date.parse('1990-01-01T00:00:00Z'));
    expect(validateTime(Date.parse('1989-12-31T23:59:59Z'), ctx)).toBe('time_before_1990');
    expect(validateTime(TIME_FLOOR_MS - 1, ctx)).toBe('time_before_1990');
    expect(validateTime(TIME_FLOOR_MS, ctx)).toBeNull();
    expect(validateTime(0, ctx)).toBe('time_before_1990');
    expect(validateTime(-1, ctx)).toBe('time_before_1990');
  });

  it('allows up to maxFutureMs ahead of now and no more', () => {
    expect(DEFAULT_MAX_FUTURE_MS).toBe(300_000);
    expect(validateTime(NOW, ctx)).toBeNull();
    expect(validateTime(NOW + DEFAULT_MAX_FUTURE_MS, ctx)).toBeNull();
    expect(validateTime(NOW + DEFAULT_MAX_FUTURE_MS + 1, ctx)).toBe('time_in_future');
    expect(validateTime(NOW + 1, { nowMs: NOW, maxFutureMs: 0 })).toBe('time_in_future');
    expect(validateTime(NOW + 3_600_000, { nowMs: NOW, maxFutureMs: 3_600_000 })).toBeNull();
  });
});

describe('parseIsoTime', () => {
  it('reads zone-less times as UTC (MarineCadastre)', () => {
    expect(parseIsoTime('2023-01-11T00:00:00')).toBe(Date.UTC(2023, 0, 11));
    expect(parseIsoTime('2024-01-01 00:00:05')).toBe(Date.UTC(2024, 0, 1, 0, 0, 5));
  });

  it('honours Z and numeric offsets', () => {
    expect(parseIsoTime('2023-01-11T00:00:00Z')).toBe(Date.UTC(2023, 0, 11));
    expect(parseIsoTime('2023-01-11T02:00:00+02:00')).toBe(Date.UTC(2023, 0, 11));
    expect(parseIsoTime('2023-01-10T19:00:00-0500')).toBe(Date.UTC(2023, 0, 11));
    expect(parseIsoTime('2023-01-11T00:00:00.123Z')).toBe(Date.UTC(2023, 0, 11, 0, 0, 0, 123));
  });

  it('reads aisstream (Go) and AISHub spellings', () => {
    expect(parseIsoTime('2024-09-17 14:38:55.281038479 +0000 UTC')).toBe(Date.UTC(2024, 8, 17, 14, 38, 55, 281));
    expect(parseIsoTime('2026-03-28 16:50:52 GMT')).toBe(Date.UTC(2026, 2, 28, 16, 50, 52));
  });

  it('returns NaN for garbage and impossible dates, never throws', () => {
    for (const bad of [
      '',
      'yesterday',
      '2023-13-01T00:00:00',
      '2023-02-29T00:00:00',
      '2023-01-01T24:00:00',
      '2023-01-01T00:60:00',
      '2023-1-1',
      '20230101',
      '2023-01-01T00:00:00+25:00',
      'NaN',
    ]) {
      expect(parseIsoTime(bad), bad).toBeNaN();
    }
    expect(parseIsoTime(undefined as unknown as string)).toBeNaN();
    expect(parseIsoTime('2024-02-29T00:00:00')).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('parseDmaTime', () => {
  it('reads dd/mm/yyyy HH:MM:SS as UTC', () => {
    expect(parseDmaTime('15/02/2023 00:00:00')).toBe(Date.UTC(2023, 1, 15));
    expect(parseDmaTime('31/12/2015 23:59:59')).toBe(Date.UTC(2015, 11, 31, 23, 59, 59));
  });
  it('rejects month/day swaps and garbage with NaN', () => {
    expect(parseDmaTime('02/15/2023 00:00:00')).toBeNaN();
    expect(parseDmaTime('15/02/2023')).toBeNaN();
    expect(parseDmaTime('2023-02-15 00:00:00')).toBeNaN();
  });
});

describe('epoch seconds vs milliseconds', () => {
  it('tells units apart by magnitude', () => {
    const ms = Date.UTC(2021, 6, 9, 10, 28, 43);
    expect(epochToMs(ms / 1000)).toBe(ms);
    expect(epochToMs(ms)).toBe(ms);
    expect(epochToMs(ms * 1000)).toBe(ms);
    expect(epochToMs(ms * 1_000_000)).toBe(ms);
    expect(epochToMs(1625826523.5)).toBe(1625826523500);
    expect(epochToMs(Number.NaN)).toBeNaN();
  });
  it('parseTimeValue takes numbers, numeric strings and ISO strings', () => {
    expect(parseTimeValue('1625826523')).toBe(1625826523000);
    expect(parseTimeValue(1625826523000)).toBe(1625826523000);
    expect(parseTimeValue('2021-07-09T10:28:43Z')).toBe(1625826523000);
    expect(parseTimeValue(null)).toBeNaN();
    expect(parseTimeValue({})).toBeNaN();
    expect(parseTimeValue('soon')).toBeNaN();
  });
});
