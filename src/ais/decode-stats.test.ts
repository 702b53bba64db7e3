import { describe, expect, it } from 'vitest';
import { DECODE_REJECTION_REASONS } from './rejection-reason.js';
import { createDecodeStats, decodeStatsDiscrepancies, decodeStatsToJson, totalRejected } from './decode-stats.js';

describe('decode stats', () => {
  it('starts with every rejection reason at zero and balanced accounts', () => {
    const s = createDecodeStats();
    expect(Object.values(s.rejected).every((n) => n === 0)).toBe(true);
    expect(totalRejected(s)).toBe(0);
    expect(decodeStatsDiscrepancies(s, 0)).toEqual([]);
  });

  it('names each identity that does not hold', () => {
    const s = createDecodeStats();
    s.lines = 3;
    s.sentences = 2;
    s.assembled = 1;
    s.payloadsDecoded = 1;
    s.messages = 0;
    const found = decodeStatsDiscrepancies(s, 0);
    expect(found).toHaveLength(3);
    expect(found[0]).toContain('lines 3');
    expect(found.join('\n')).toContain('sentences 2');
    expect(found.join('\n')).toContain('held type 24 parts');
  });

  it('counts pending fragments as a fate of accepted sentences', () => {
    const s = createDecodeStats();
    s.lines = 1;
    s.sentences = 1;
    expect(decodeStatsDiscrepancies(s, 1)).toEqual([]);
    expect(decodeStatsDiscrepancies(s, 0)).toHaveLength(1);
  });

  it('renders a stable, sorted, detached JSON shape', () => {
    const s = createDecodeStats();
    s.messagesByType[18] = 2;
    s.messagesByType[3] = 1;
    s.nonAisSentences.GPRMC = 1;
    s.nonAisSentences.AIABM = 1;
    s.rejected.bad_mmsi = 1;
    const j = decodeStatsToJson(s);
    expect(Object.keys(j.messagesByType)).toEqual(['3', '18']);
    expect(Object.keys(j.nonAisSentences)).toEqual(['AIABM', 'GPRMC']);
    expect(Object.keys(j.rejected)).toEqual([...DECODE_REJECTION_REASONS, 'bad_mmsi']);
    expect(j.rejectedTotal).toBe(1);
    s.messagesByType[3] = 5;
    expect(j.messagesByType['3']).toBe(1);
  });
});
