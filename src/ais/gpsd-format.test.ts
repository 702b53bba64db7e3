import { describe, expect, it } from 'vitest';
import { cFixed, toGpsdJson } from './gpsd-format.js';
import { decodePayload, isPayloadFailure } from './payload-decoder.js';
import type { AisMessage } from './types.js';

function decode(payload: string, fill = 0): AisMessage {
  const r = decodePayload(payload, fill);
  if (isPayloadFailure(r)) throw new Error(r.detail);
  return r;
}

describe('cFixed (printf %.Nf)', () => {
  it('matches toFixed away from ties', () => {
    expect(cFixed(-123.39538333333333, 7)).toBe('-123.3953833');
    expect(cFixed(181, 7)).toBe('181.0000000');
    expect(cFixed(12.3, 1)).toBe('12.3');
  });

  it('rounds exact ties to even, as C does', () => {
    expect(cFixed(0.0625, 3)).toBe('0.062');
    expect(cFixed(0.1875, 3)).toBe('0.188');
    expect(cFixed(-0.0625, 3)).toBe('-0.062');
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(0.125, 2)).toBe('0.12');
  });
});

describe('toGpsdJson', () => {
  it('prints the device it is given, and none when empty', () => {
    const m = decode('15RTgt0PAso;90TKcjM8h6g208CQ');
    expect(toGpsdJson(m, '/dev/ttyUSB0')).toContain('"device":"/dev/ttyUSB0","type":1');
    expect(toGpsdJson(m, '')).toMatch(/^\{"class":"AIS","type":1,/);
  });

  it('prints rate of turn as gpsd does: signed square of ROT/4.733 with two decimals', () => {
    // ROT_AIS +20 -> (20/4.733)^2 = 17.86 deg/min
    const m = decode('15RTgt0PAso;90TKcjM8h6g208CQ');
    if (m.type !== 1) throw new Error('type');
    expect(toGpsdJson({ ...m, rotRaw: 20, rot: 17.86 })).toContain('"turn":"17.86"');
    expect(toGpsdJson({ ...m, rotRaw: -20, rot: -17.86 })).toContain('"turn":"-17.86"');
  });

  it('prints a lone type 24 part A as just the name, and a part B without it', () => {
    expect(toGpsdJson(decode('H42O55i18tMET00000000000000', 2))).toBe(
      '{"class":"AIS","device":"stdin","type":24,"repeat":0,"mmsi":271041815,"scaled":true,"shipname":"PROGUY"}',
    );
    const b = toGpsdJson(decode('H42O55lti4hhhilD3nink000?050'));
    expect(b).not.toContain('shipname');
    expect(b).toContain('"vendorid":"1D00014","model":12,"serial":199796,"callsign":"TC6163","to_bow":0');
  });

  it('prints the mothership MMSI for auxiliary craft instead of dimensions', () => {
    const b = decode('H42O55lti4hhhilD3nink000?050');
    if (b.type !== 24 || b.partNo !== 1) throw new Error('part B');
    const aux = { ...b, mmsi: 981234567, toBow: null, toStern: null, toPort: null, toStarboard: null, mothershipMmsi: 271041815 };
    const json = toGpsdJson(aux);
    expect(json).toContain('"mothership_mmsi":271041815');
    expect(json).not.toContain('to_bow');
  });

  it('restores not-available codes the way gpsd prints them', () => {
    const json = JSON.parse(toGpsdJson(decode('402Fha0000Htt<tSF0l4Q@000d20'))) as Record<string, unknown>;
    expect(json.timestamp).toBe('0000-00-00T24:60:60Z');
    expect(json.lon).toBe(181);
    expect(json.lat).toBe(91);
  });

  it('escapes quotes and backslashes in 6-bit text', () => {
    const m = decode('>5?Per18=HB1U:1@E=B0m<L', 2);
    if (m.type !== 14) throw new Error('type');
    expect(JSON.parse(toGpsdJson({ ...m, text: 'A"B\\C' })).text).toBe('A"B\\C');
  });
});
