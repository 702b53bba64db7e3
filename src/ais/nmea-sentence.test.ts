import { describe, expect, it } from 'vitest';
import { checksumHex, nmeaChecksum } from './nmea-checksum.js';
import { SentenceFields, isAisSentenceStart, parseSentence } from './nmea-sentence.js';

/** Builds `!<body>*hh` with a correct checksum (upper-case unless asked). */
function sentence(body: string, lower = false, lead = '!'): string {
  let hex = checksumHex(nmeaChecksum(body));
  if (lower) hex = hex.toLowerCase();
  return `${lead}${body}*${hex}`;
}

function parse(line: string, start = 0, end = line.length) {
  const out = new SentenceFields();
  const reason = parseSentence(line, start, end, out);
  return { reason, out };
}

describe('parseSentence', () => {
  it('parses a single-sentence AIVDM into indexed fields', () => {
    const line = '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23';
    const { reason, out } = parse(line);
    expect(reason).toBeNull();
    expect(out.talker).toBe('AI');
    expect(out.own).toBe(false);
    expect(out.fragmentCount).toBe(1);
    expect(out.fragmentNumber).toBe(1);
    expect(out.seqId).toBe('');
    expect(out.channel).toBe('A');
    expect(line.slice(out.payloadStart, out.payloadEnd)).toBe('13HOI:0P0000VOHLCnHQKwvL05Ip');
    expect(out.fillBits).toBe(0);
    expect(out.checksum).toBe(0x23);
    expect(out.end).toBe(line.length);
  });

  it('accepts upper- and lower-case checksum digits', () => {
    const body = 'AIVDM,1,1,,B,100h00PP0@PHFV`Mg5gTH?vNPUIp,0';
    expect(parse(sentence(body)).reason).toBeNull();
    expect(parse(sentence(body, true)).reason).toBeNull();
    expect(parse('!AIVDM,1,1,,A,133sVfPP00PD>hRMDH@jNOvN20S8,0*7f').reason).toBeNull();
  });

  it('rejects a wrong checksum with both values in the detail', () => {
    const { reason, out } = parse('!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*24');
    expect(reason).toBe('bad_checksum');
    expect(out.detail).toContain('*24');
    expect(out.detail).toContain('23');
  });

  it('accepts any two-letter talker and VDO', () => {
    for (const talker of ['AI', 'AB', 'AD', 'AN', 'AR', 'AS', 'AT', 'AX', 'BS', 'SA']) {
      const { reason, out } = parse(sentence(`${talker}VDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0`));
      expect(reason).toBeNull();
      expect(out.talker).toBe(talker);
    }
    const vdo = parse(sentence('AIVDO,1,1,,,B5NJ;PP005l4ot5Isbl03wsUkP06,0'));
    expect(vdo.reason).toBeNull();
    expect(vdo.out.own).toBe(true);
    expect(vdo.out.channel).toBeNull();
  });

  it('reads multi-sentence fields, sequential ids and numeric channels', () => {
    const { reason, out } = parse(sentence('AIVDM,2,2,7,2,88888888880,2'));
    expect(reason).toBeNull();
    expect(out.fragmentCount).toBe(2);
    expect(out.fragmentNumber).toBe(2);
    expect(out.seqId).toBe('7');
    expect(out.channel).toBe('2');
    expect(out.fillBits).toBe(2);
  });

  it('reports missing and extra fields as malformed', () => {
    expect(parse(sentence('AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip')).reason).toBe('malformed_sentence');
    expect(parse(sentence('AIVDM,1,1,A,13HOI')).reason).toBe('malformed_sentence');
    expect(parse(sentence('AIVDM,1,1,,A,13HOI,0,0')).reason).toBe('malformed_sentence');
    expect(parse(sentence('AIVDM,x,1,,A,13HOI,0')).reason).toBe('malformed_sentence');
    expect(parse(sentence('AIVDM,1,1,A,A,13HOI,0')).reason).toBe('malformed_sentence');
    expect(parse(sentence('AIVDM,1,1,,ABC,13HOI,0')).reason).toBe('malformed_sentence');
    expect(parse(sentence('GPRMC,1,1,,A,13HOI,0', false, '$')).reason).toBe('malformed_sentence');
  });

  it('reports a missing or truncated checksum as malformed', () => {
    // pyais sample.ais has this line: the '*' of "0*13" was lost.
    expect(parse('!AIVDM,1,1,,B,15N4cJ005Jrek0H@9nDW5608EP,013').reason).toBe('malformed_sentence');
    expect(parse('!AIVDM,1,1,,B,15N4cJ005Jrek0H@9nDW5608EP,0*1').reason).toBe('malformed_sentence');
    expect(parse('!AIVDM,1,1,,B,15N4cJ005Jrek0H@9nDW5608EP,0*G1').reason).toBe('malformed_sentence');
  });

  it('reports impossible fragment numbers as a bad fragment sequence', () => {
    expect(parse(sentence('AIVDM,2,3,1,A,13HOI,0')).reason).toBe('bad_fragment_sequence');
    expect(parse(sentence('AIVDM,0,1,,B,16UK7Fi0?w4tQF0l4Q@>401v1PS;,0')).reason).toBe('bad_fragment_sequence');
    expect(parse(sentence('AIVDM,2,0,1,A,13HOI,0')).reason).toBe('bad_fragment_sequence');
  });

  it('leaves fill bits it cannot read as -1 for the payload stage', () => {
    expect(parse(sentence('AIVDM,1,1,,A,13HOI,')).out.fillBits).toBe(-1);
    expect(parse(sentence('AIVDM,1,1,,A,13HOI,x')).out.fillBits).toBe(-1);
    expect(parse(sentence('AIVDM,1,1,,A,13HOI,12')).out.fillBits).toBe(-1);
  });

  it('stops at the checksum and leaves trailing text to the caller', () => {
    const line = '!AIVDM,1,1,,B,:6TMCD1GOS60,0*5B,s36310,d-081,T59.01777335';
    const { reason, out } = parse(line);
    expect(reason).toBeNull();
    expect(line.slice(out.end)).toBe(',s36310,d-081,T59.01777335');
  });

  it('parses within [start, end) of a longer line', () => {
    const line = '\\s:x*00\\!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23\r\n';
    const { reason, out } = parse(line, 8, line.length - 2);
    expect(reason).toBeNull();
    expect(out.channel).toBe('A');
  });

  it('accepts the $ start some devices use for VDM', () => {
    expect(parse(sentence('AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0', false, '$')).reason).toBeNull();
  });
});

describe('isAisSentenceStart', () => {
  it('recognises !xxVDM/!xxVDO only', () => {
    expect(isAisSentenceStart('!AIVDM,', 0)).toBe(true);
    expect(isAisSentenceStart('!BSVDO,', 0)).toBe(true);
    expect(isAisSentenceStart('$GPRMC,', 0)).toBe(false);
    expect(isAisSentenceStart('!aivdm,', 0)).toBe(false);
    expect(isAisSentenceStart('!AI', 0)).toBe(false);
  });
});
