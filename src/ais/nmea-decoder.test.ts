import { describe, expect, it } from 'vitest';
import type { RejectionReason } from '../normalize/message.js';
import { decodeStatsDiscrepancies, decodeStatsToJson } from './decode-stats.js';
import { NmeaDecoder, type NmeaDecoderOptions, type SentenceMeta } from './nmea-decoder.js';
import { checksumHex, nmeaChecksum } from './nmea-checksum.js';
import type { AisMessage } from './types.js';

interface Out {
  msg: AisMessage;
  meta: SentenceMeta;
}

function run(lines: readonly string[], options?: NmeaDecoderOptions, flush = true) {
  const messages: Out[] = [];
  const rejects: { reason: RejectionReason; detail: string; line: number }[] = [];
  const dec = new NmeaDecoder(
    {
      message: (msg, meta) => messages.push({ msg, meta }),
      reject: (reason, detail, line) => rejects.push({ reason, detail, line }),
    },
    options,
  );
  lines.forEach((l, i) => dec.push(l, i + 1));
  if (flush) dec.flush();
  expect(decodeStatsDiscrepancies(dec.stats, dec.pendingFragments)).toEqual([]);
  return { dec, messages, rejects, stats: dec.stats };
}

function tag(fields: string): string {
  return `\\${fields}*${checksumHex(nmeaChecksum(fields))}\\`;
}

function nmea(body: string, lead = '!'): string {
  return `${lead}${body}*${checksumHex(nmeaChecksum(body))}`;
}

// Real sentences from the reference corpus (pyais, gpsd), so the payloads are genuine.
const POS = '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23'; // type 1, MMSI 227006760
const POS_B = '!AIVDM,1,1,,B,100h00PP0@PHFV`Mg5gTH?vNPUIp,0*3B'; // type 1, channel B
const T5_1 = '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C';
const T5_2 = '!AIVDM,2,2,1,A,88888888880,2*25';
const T5_PAYLOAD_1 = '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8';
const T5_PAYLOAD_2 = '88888888880';
const OTHER_T5_1 = '542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht500000000000000';
const OTHER_T5_2 = '0000002';

describe('NmeaDecoder', () => {
  it('decodes a single-sentence position report with its meta', () => {
    const { messages, rejects, stats } = run([POS]);
    expect(rejects).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.msg).toMatchObject({ type: 1, mmsi: 227006760 });
    expect(messages[0]?.meta).toEqual({
      talker: 'AI',
      own: false,
      channel: 'A',
      station: null,
      receivedAt: null,
      line: 1,
      sentenceCount: 1,
      group: null,
    });
    expect(stats.messagesByType).toEqual({ 1: 1 });
  });

  it('tolerates CR/LF, surrounding spaces, a BOM and trailing text', () => {
    const { messages, stats } = run([`\uFEFF${POS}\r\n`, `  ${POS_B}   `, `${POS},b003669794`]);
    expect(messages).toHaveLength(3);
    expect(messages[2]?.meta.station).toBe('b003669794');
    expect(stats.unwrapped).toEqual({ trailer: 1 });
  });

  it('keeps VDO and the talker in the meta', () => {
    const vdo = nmea(POS.slice(1, POS.indexOf('*')).replace('AIVDM', 'BSVDO'));
    const { messages } = run([vdo]);
    expect(messages[0]?.meta).toMatchObject({ talker: 'BS', own: true });
  });

  it('reads the receive time and station from a tag block (c: in seconds or ms)', () => {
    const { messages } = run([tag('s:42809,c:1635731889') + POS, tag('s:r1,c:1635731889123') + POS]);
    expect(messages.map((m) => [m.meta.station, m.meta.receivedAt])).toEqual([
      ['42809', 1635731889000],
      ['r1', 1635731889123],
    ]);
  });

  it('rejects a line whose tag block checksum is wrong', () => {
    const { messages, rejects, stats } = run(['\\s:42809,c:1635731889*00\\' + POS]);
    expect(messages).toEqual([]);
    expect(rejects).toMatchObject([{ reason: 'bad_tag_block', line: 1 }]);
    expect(stats.rejectedLines).toBe(1);
  });

  it('rejects a bad sentence checksum and names both checksums', () => {
    const { rejects } = run([POS.replace('*23', '*24')]);
    expect(rejects).toMatchObject([{ reason: 'bad_checksum', line: 1 }]);
  });

  it('reassembles a two-sentence type 5', () => {
    const { messages, stats } = run([T5_1, T5_2]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.msg.type).toBe(5);
    expect(messages[0]?.meta).toMatchObject({ line: 2, sentenceCount: 2, channel: 'A' });
    expect(stats.sentences).toBe(2);
    expect(stats.assembled).toBe(1);
  });

  it('reassembles two type 5s interleaved on channel A with different sequential ids', () => {
    const lines = [
      nmea(`AIVDM,2,1,3,A,${T5_PAYLOAD_1},0`),
      nmea(`AIVDM,2,1,4,A,${OTHER_T5_1},0`),
      nmea(`AIVDM,2,2,3,A,${T5_PAYLOAD_2},2`),
      nmea(`AIVDM,2,2,4,A,${OTHER_T5_2},2`),
    ];
    const { messages, rejects } = run(lines);
    expect(rejects).toEqual([]);
    const alone = run([T5_1, T5_2]).messages[0]?.msg;
    const other = run([nmea(`AIVDM,2,1,1,A,${OTHER_T5_1},0`), nmea(`AIVDM,2,2,1,A,${OTHER_T5_2},2`)]).messages[0]?.msg;
    expect(messages.map((m) => m.msg)).toEqual([alone, other]);
    expect(messages.map((m) => m.meta.line)).toEqual([3, 4]);
  });

  it('with empty sequential ids, reassembles back-to-back messages and refuses to splice interleaved ones', () => {
    const seq = run([
      nmea(`AIVDM,2,1,,A,${T5_PAYLOAD_1},0`),
      nmea(`AIVDM,2,2,,A,${T5_PAYLOAD_2},2`),
      nmea(`AIVDM,2,1,,B,${OTHER_T5_1},0`),
      nmea(`AIVDM,2,1,,A,${OTHER_T5_1},0`),
      nmea(`AIVDM,2,2,,B,${OTHER_T5_2},2`),
      nmea(`AIVDM,2,2,,A,${OTHER_T5_2},2`),
    ]);
    expect(seq.messages.map((m) => m.msg.type)).toEqual([5, 5, 5]);
    expect(seq.rejects).toEqual([]);

    const interleaved = run([nmea(`AIVDM,2,1,,A,${T5_PAYLOAD_1},0`), nmea(`AIVDM,2,1,,A,${OTHER_T5_1},0`), nmea(`AIVDM,2,2,,A,${OTHER_T5_2},2`)]);
    // The first message lost its second part; it is reported, not glued to the other one's.
    expect(interleaved.rejects).toMatchObject([{ reason: 'bad_fragment_sequence', line: 1 }]);
    expect(interleaved.messages).toHaveLength(1);
  });

  it('uses g: groups to reassemble when only the first sentence names the station', () => {
    const lines = [
      '\\g:1-2-27300,n:636994,s:b003669710,c:1428621738*5F\\!SAVDM,2,1,2,B,55Mw@A7J1adAL@?;7WPl58F0U<h4pB222222220t1PN5553fN4g?`4iSp5Rc,0*26',
      POS,
      '\\g:2-2-27300,n:636995*15\\!SAVDM,2,2,2,B,iP`88888880,2*5E',
    ];
    const { messages, rejects } = run(lines);
    expect(rejects).toEqual([]);
    expect(messages.map((m) => m.msg.type)).toEqual([1, 5]);
    expect(messages[1]?.meta).toMatchObject({
      talker: 'SA',
      station: 'b003669710',
      receivedAt: 1428621738000,
      group: '27300',
      line: 3,
      sentenceCount: 2,
    });
  });

  it('counts duplicated fragments once and still completes the message', () => {
    const { messages, stats } = run([T5_1, T5_1, T5_2]);
    expect(messages).toHaveLength(1);
    expect(stats.duplicateFragments).toBe(1);
  });

  it('rejects shuffled fragments and orphan second parts', () => {
    const { messages, rejects } = run([T5_2, T5_1]);
    expect(messages).toEqual([]);
    expect(rejects.map((r) => [r.reason, r.line])).toEqual([
      ['bad_fragment_sequence', 1],
      // The first part waits for a second part that never comes: reported at the end of input.
      ['bad_fragment_sequence', 2],
    ]);
  });

  it('evicts incomplete messages beyond the pending cap', () => {
    const lines = [1, 2, 3].map((s) => nmea(`AIVDM,2,1,${s},A,${T5_PAYLOAD_1},0`));
    const { rejects, stats } = run(lines, { maxPendingMessages: 2 }, false);
    expect(rejects).toMatchObject([{ reason: 'fragment_evicted', line: 1 }]);
    expect(stats.evicted).toBe(1);
    expect(stats.rejected.fragment_evicted).toBe(1);
  });

  it('evicts incomplete messages after the timeout, in the input time of tag blocks', () => {
    const lines = [
      tag('c:1000') + T5_1,
      tag('c:1030') + POS,
      tag('c:1061') + POS, // 61 s after the fragment: past the default 60 s timeout
      tag('c:1062') + T5_2,
    ];
    const { rejects, messages } = run(lines);
    expect(rejects.map((r) => [r.reason, r.line])).toEqual([
      ['fragment_evicted', 1],
      ['bad_fragment_sequence', 4],
    ]);
    expect(messages).toHaveLength(2);
  });

  it('uses the nowMs passed by the caller for timeouts', () => {
    const messages: AisMessage[] = [];
    const reasons: string[] = [];
    const dec = new NmeaDecoder({ message: (m) => messages.push(m), reject: (r) => reasons.push(r) }, { fragmentTimeoutMs: 100 });
    dec.push(T5_1, 1, 0);
    dec.push(POS, 2, 50);
    dec.push(T5_2, 3, 90);
    dec.push(T5_1, 4, 200);
    dec.push(T5_2, 5, 301);
    expect(messages.map((m) => m.type)).toEqual([1, 5]);
    expect(reasons).toEqual(['fragment_evicted', 'bad_fragment_sequence']);
  });

  it('turns pending fragments into bad_fragment_sequence at flush', () => {
    const { rejects, stats } = run([T5_1]);
    expect(rejects).toMatchObject([{ reason: 'bad_fragment_sequence', line: 1 }]);
    expect(stats.droppedFragments).toBe(1);
  });

  it('skips and counts other NMEA sentences, comments, junk and blank lines', () => {
    const { messages, stats, rejects } = run([
      '$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D',
      '$GPRMC,foo*00',
      '$GPRMC,bar*00',
      '# comment',
      '',
      '   ',
      'foobar',
      POS,
    ]);
    expect(messages).toHaveLength(1);
    expect(rejects).toEqual([]);
    expect(stats).toMatchObject({ blankLines: 2, commentLines: 1, junkLines: 1, nonAisSentences: { GPGGA: 1, GPRMC: 2 } });
  });

  it('skips other encapsulated sentences, caps distinct ids, and refuses truncated ones', () => {
    const junkIds = Array.from({ length: 70 }, (_, i) => `$X${String(i).padStart(3, '0')},1*00`);
    const { stats, rejects } = run(['!AIABM,1,1,0,1,A,0*00', ...junkIds, '!AIVD', '$']);
    expect(stats.nonAisSentences.AIABM).toBe(1);
    expect(Object.keys(stats.nonAisSentences)).toHaveLength(65);
    expect(stats.nonAisSentences.other).toBe(7);
    expect(rejects.map((r) => r.reason)).toEqual(['malformed_sentence', 'malformed_sentence']);
  });

  it('reports an AIS sentence that lost its "!" as malformed', () => {
    const { rejects } = run(['AIVDM,2,2,1,B,00000000000,2*26']);
    expect(rejects).toMatchObject([{ reason: 'malformed_sentence' }]);
  });

  it('applies a Gatehouse $PGHP time to the sentence it wraps', () => {
    const { messages, stats } = run([
      '$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17',
      '!AIVDM,1,1,,B,15NBj>PP1gG>1PVKTDTUJOv00<0M,0*09',
      '!AIVDM,1,1,,A,16:=?;0P00`SstvFnFbeGH6L088h,0*44',
    ]);
    expect(messages.map((m) => m.meta.receivedAt)).toEqual([Date.UTC(2008, 4, 9, 0, 0, 0, 10), null]);
    expect(stats.wrapperLines).toBe(1);
    expect(stats.unwrapped).toEqual({ gatehouse: 1 });
  });

  it('does not apply a Gatehouse time to a sentence whose checksum it does not name', () => {
    const { messages } = run(['$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17', POS]);
    expect(messages[0]?.meta.receivedAt).toBeNull();
  });

  it('reads USCG trailers and logger timestamp prefixes', () => {
    const { messages, stats } = run([
      '!AIVDM,1,1,,A,15B4FT5000JRP>PE6E68Nbkl0PS5,0*70,b003669794,1272412827',
      `1635731889.5 ${POS}`,
      `2021-11-01T00:00:01Z ${tag('s:x')}${POS}`,
    ]);
    expect(messages.map((m) => [m.meta.station, m.meta.receivedAt])).toEqual([
      ['b003669794', 1272412827000],
      [null, 1635731889500],
      ['x', Date.UTC(2021, 10, 1, 0, 0, 1)],
    ]);
    expect(stats.unwrapped).toEqual({ trailer: 1, prefix: 2 });
  });

  it('decodes sentences glued on one line and accounts for them', () => {
    const { messages, stats } = run([`${T5_1}`, `${T5_2}${POS}`]);
    expect(messages.map((m) => m.msg.type)).toEqual([5, 1]);
    expect(stats.gluedSentences).toBe(1);
  });

  it('survives a line of 50,000 glued sentences without recursion', () => {
    const { messages, stats } = run([POS.repeat(50_000)]);
    expect(messages).toHaveLength(50_000);
    expect(stats.gluedSentences).toBe(49_999);
  });

  it('rejects an empty payload as too short', () => {
    const { rejects } = run(['!AIVDM,1,1,,B,,0*25']);
    expect(rejects).toMatchObject([{ reason: 'payload_too_short', line: 1 }]);
  });

  it('rejects an unreadable fill-bits field', () => {
    const { rejects } = run([nmea('AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,x')]);
    expect(rejects).toMatchObject([{ reason: 'bad_fill_bits' }]);
  });

  it('merges type 24 parts A and B by default, or passes them through', () => {
    const parts = ['!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D', '!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40'];
    const merged = run(parts);
    expect(merged.messages).toHaveLength(1);
    expect(merged.messages[0]?.msg).toMatchObject({ type: 24, partNo: null, mmsi: 271041815 });
    expect(merged.stats.type24PartsHeld).toBe(1);
    const separate = run(parts, { mergeType24: false });
    expect(separate.messages.map((m) => m.msg).map((m) => (m.type === 24 ? m.partNo : -1))).toEqual([0, 1]);
  });

  it('renders stats as a detached JSON object', () => {
    const { stats } = run([POS, '$GPRMC,x*00', '']);
    const json = decodeStatsToJson(stats);
    expect(json).toMatchObject({ lines: 3, messages: 1, messagesByType: { '1': 1 }, nonAisSentences: { GPRMC: 1 } });
    expect(json.rejected.bad_checksum).toBe(0);
    expect(json.rejected).not.toHaveProperty('bad_mmsi');
    stats.messages++;
    expect(json.messages).toBe(1);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
