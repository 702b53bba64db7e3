import { describe, expect, it } from 'vitest';
import { Type24Merger } from './type24-merger.js';
import type { StaticDataReportPartA, StaticDataReportPartB } from './types.js';

const partA = (mmsi: number, shipName = 'PROGUY'): StaticDataReportPartA => ({ type: 24, repeat: 0, mmsi, partNo: 0, shipName });
const partB = (mmsi: number): StaticDataReportPartB => ({
  type: 24,
  repeat: 0,
  mmsi,
  partNo: 1,
  shipType: 60,
  vendorId: '1D00014',
  model: 12,
  serial: 199796,
  callsign: 'TC6163',
  toBow: 0,
  toStern: 15,
  toPort: 0,
  toStarboard: 5,
  mothershipMmsi: null,
});

describe('Type24Merger', () => {
  it('merges part B with the preceding part A of the same MMSI', () => {
    const m = new Type24Merger();
    expect(m.offer(partA(271041815))).toBeNull();
    const merged = m.offer(partB(271041815));
    expect(merged).toMatchObject({ type: 24, mmsi: 271041815, partNo: null, shipName: 'PROGUY', callsign: 'TC6163', toStern: 15 });
    expect(m.size).toBe(0);
  });

  it('also merges when part B arrives first', () => {
    const m = new Type24Merger();
    expect(m.offer(partB(1))).toBeNull();
    expect(m.offer(partA(1, 'LATE A'))?.shipName).toBe('LATE A');
  });

  it('does not merge a repeated part B twice', () => {
    const m = new Type24Merger();
    m.offer(partA(7));
    expect(m.offer(partB(7))).not.toBeNull();
    expect(m.offer(partB(7))).toBeNull();
  });

  it('keeps parts of different MMSIs apart and uses the latest part A', () => {
    const m = new Type24Merger();
    m.offer(partA(1, 'ONE'));
    m.offer(partA(2, 'TWO'));
    m.offer(partA(1, 'ONE AGAIN'));
    expect(m.offer(partB(2))?.shipName).toBe('TWO');
    expect(m.offer(partB(1))?.shipName).toBe('ONE AGAIN');
  });

  it('is bounded: the least recently offered MMSI is forgotten first', () => {
    const m = new Type24Merger(3);
    for (const mmsi of [1, 2, 3]) m.offer(partA(mmsi));
    m.offer(partA(1)); // refresh 1
    m.offer(partA(4)); // evicts 2
    expect(m.size).toBe(3);
    expect(m.offer(partB(2))).toBeNull();
    expect(m.offer(partB(1))).not.toBeNull();
    expect(m.offer(partB(4))).not.toBeNull();
  });

  it('defaults to 4096 pending MMSIs', () => {
    const m = new Type24Merger();
    for (let i = 0; i < 5000; i++) m.offer(partA(i));
    expect(m.size).toBe(4096);
  });
});
