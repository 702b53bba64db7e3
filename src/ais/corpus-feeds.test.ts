/**
 * Real feeds from the reference corpus, decoded end to end. Every count is the exact figure
 * observed, and every rejection that remains is explained next to its file: they are genuine
 * faults in the upstream data (most of them deliberate, in other decoders' test files).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RejectionReason } from '../normalize/message.js';
import { CORPUS_MISSING, corpusAvailable, corpusPath } from '../testing/corpus.js';
import { decodeStatsDiscrepancies, decodeStatsToJson } from './decode-stats.js';
import { NmeaDecoder } from './nmea-decoder.js';

/** Lines as a line reader yields them: split on LF (CR kept), no empty line after the final LF. */
function readLines(rel: string): string[] {
  const lines = readFileSync(corpusPath(rel), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function decodeFile(rel: string) {
  const rejects: [number, RejectionReason][] = [];
  let messagesWithTime = 0;
  let messagesWithStation = 0;
  const dec = new NmeaDecoder({
    message: (_m, meta) => {
      if (meta.receivedAt !== null) messagesWithTime++;
      if (meta.station !== null) messagesWithStation++;
    },
    reject: (reason, _detail, line) => rejects.push([line, reason]),
  });
  readLines(rel).forEach((l, i) => dec.push(l, i + 1));
  dec.flush();
  expect(decodeStatsDiscrepancies(dec.stats, dec.pendingFragments)).toEqual([]);
  const j = decodeStatsToJson(dec.stats);
  const rejected = Object.fromEntries(Object.entries(j.rejected).filter(([, n]) => n !== 0));
  return {
    rejects,
    messagesWithTime,
    messagesWithStation,
    counts: {
      lines: j.lines,
      blankLines: j.blankLines,
      commentLines: j.commentLines,
      junkLines: j.junkLines,
      wrapperLines: j.wrapperLines,
      nonAisSentences: j.nonAisSentences,
      sentences: j.sentences,
      rejectedLines: j.rejectedLines,
      messages: j.messages,
      type24PartsHeld: j.type24PartsHeld,
      unwrapped: j.unwrapped,
      rejected,
    },
    byType: j.messagesByType,
  };
}

const base = {
  blankLines: 0,
  commentLines: 0,
  junkLines: 0,
  wrapperLines: 0,
  nonAisSentences: {},
  rejectedLines: 0,
  type24PartsHeld: 0,
  unwrapped: {},
  rejected: {},
};

const available = corpusAvailable();

describe.skipIf(!available)(available ? 'real feeds from the corpus' : CORPUS_MISSING, () => {
  it('pyais/ais_test_messages: clean', () => {
    const r = decodeFile('pyais/ais_test_messages');
    expect(r.counts).toEqual({ ...base, lines: 9, commentLines: 1, sentences: 8, messages: 7 });
    expect(r.byType).toEqual({ '1': 6, '5': 1 });
  });

  it('pyais/messages.ais: comments and blank lines only', () => {
    const r = decodeFile('pyais/messages.ais');
    expect(r.counts).toEqual({ ...base, lines: 11, blankLines: 3, commentLines: 2, sentences: 6, messages: 6 });
  });

  // gatehouse.nmea and timestamped.ais are byte-identical upstream.
  for (const file of ['pyais/gatehouse.nmea', 'pyais/timestamped.ais']) {
    it(`${file}: Gatehouse wrappers give the receive time`, () => {
      const r = decodeFile(file);
      expect(r.counts).toEqual({
        ...base,
        lines: 11,
        blankLines: 2,
        commentLines: 1,
        wrapperLines: 3,
        sentences: 4,
        // Line 7 is `$PGHP,1,2009,...*17`: the checksum of the 2008 line with the year edited, so
        // it does not match (XOR differs in the bits of '8' ^ '9'). Its time is not trusted.
        rejectedLines: 1,
        messages: 4,
        unwrapped: { gatehouse: 3 },
        rejected: { bad_checksum: 1 },
      });
      expect(r.rejects).toEqual([[7, 'bad_checksum']]);
      // Sentence 1 follows a valid wrapper naming its checksum (09); sentence 2 follows no
      // wrapper; sentences 3 and 4 follow the rejected wrapper or none.
      expect(r.messagesWithTime).toBe(1);
    });
  }

  it('pyais/mixed.txt: AIS mixed with other NMEA, junk, tag blocks and wrappers', () => {
    const r = decodeFile('pyais/mixed.txt');
    expect(r.counts).toEqual({
      ...base,
      lines: 35,
      blankLines: 7,
      commentLines: 5,
      junkLines: 2, // "foobar", "IamNotAnAisMessage1111"
      wrapperLines: 1,
      nonAisSentences: { GPGGA: 1, GPR00: 1, GPRTE: 1, IIMWV: 1 },
      sentences: 12,
      rejectedLines: 4,
      messages: 10,
      unwrapped: { gatehouse: 1 },
      rejected: { bad_checksum: 1, bad_tag_block: 3 },
    });
    expect(r.rejects).toEqual([
      // Tag blocks with checksum "*A": their XORs are 7E, 61 and 1D (pyais does not verify them).
      [23, 'bad_tag_block'],
      [26, 'bad_tag_block'],
      [27, 'bad_tag_block'],
      // The edited `$PGHP,1,2009` wrapper, as in gatehouse.nmea.
      [35, 'bad_checksum'],
    ]);
    expect(r.byType).toEqual({ '1': 8, '5': 2 });
    // The g:27300 group (!SAVDM type 5) reassembles and takes s:/c: from its first tag block.
    expect(r.messagesWithStation).toBe(1);
  });

  it('pyais/sample.ais: as mixed.txt, plus a line that lost its "*"', () => {
    const r = decodeFile('pyais/sample.ais');
    expect(r.counts).toEqual({
      ...base,
      lines: 22,
      blankLines: 1,
      commentLines: 5,
      junkLines: 1,
      sentences: 10,
      rejectedLines: 5,
      messages: 9,
      rejected: { bad_checksum: 1, bad_tag_block: 4 },
    });
    expect(r.rejects).toEqual([
      // Line 12 also has `...,013` for `0*13` after its bad tag block; the tag block fails first.
      [12, 'bad_tag_block'],
      [15, 'bad_tag_block'],
      [16, 'bad_tag_block'],
      // `\s:blah,c:1747818025*5A\`: the XOR is 38 (and its sentence `!AAVDM,0,1` has 0 fragments).
      [17, 'bad_tag_block'],
      [21, 'bad_checksum'], // the edited $PGHP wrapper
    ]);
  });

  it('pyais/nmea_data_sample.txt: a receiver dump with empty sentences and lone first parts', () => {
    const r = decodeFile('pyais/nmea_data_sample.txt');
    expect(r.counts).toEqual({
      ...base,
      lines: 898,
      sentences: 898,
      messages: 777,
      type24PartsHeld: 1, // a part A or B whose other half is not in the file
      // 100 sentences `!AIVDM,1,1,,B,,0*25` carry no payload at all (the receiver's empty slots).
      // The file holds 20 fragments "2,1" and no fragment "2,2": every two-part message is
      // incomplete (10 are ended by a later first part with the same seq id, 10 by the end).
      rejected: { bad_fragment_sequence: 20, payload_too_short: 100 },
    });
    expect(r.byType).toEqual({ '1': 667, '3': 76, '4': 6, '15': 7, '18': 19, '20': 1, '24': 1 });
  });

  it('ggencoder/AisHubSample.nmea: a short real feed', () => {
    const r = decodeFile('ggencoder/AisHubSample.nmea');
    expect(r.counts).toEqual({
      ...base,
      lines: 61,
      sentences: 61,
      messages: 53,
      // Lines 53-54 are a type 5 of 418 bits (59 + 11 characters, 2 fill bits): the sender
      // dropped the last character, so the payload decoder refuses it (it needs 420 bits).
      rejected: { payload_too_short: 1 },
    });
    expect(r.rejects).toEqual([[54, 'payload_too_short']]);
    expect(r.byType).toEqual({ '1': 33, '3': 6, '4': 2, '5': 6, '8': 1, '11': 1, '18': 3, '27': 1 });
  });

  it('formats/tagblock_nmea: 1,000 tag-blocked lines with empty channels, CRLF and blank lines', () => {
    const r = decodeFile('formats/tagblock_nmea/test_data_20211101.nm4');
    expect(r.counts).toEqual({
      ...base,
      lines: 1000,
      blankLines: 3,
      sentences: 997,
      messages: 955,
      type24PartsHeld: 24, // class B static parts whose other half is outside this excerpt
    });
    expect(r.byType).toEqual({
      '1': 608,
      '3': 104,
      '4': 5,
      '5': 18,
      '6': 1,
      '8': 1,
      '18': 74,
      '19': 4,
      '21': 11,
      '25': 2,
      '27': 127,
    });
    expect(r.messagesWithTime).toBe(955);
    expect(r.messagesWithStation).toBe(955);
  });

  it('libais/tagblock.nmea: a g: group interleaved with satellite receptions 40 minutes apart', () => {
    const r = decodeFile('libais/tagblock.nmea');
    expect(r.counts).toEqual({ ...base, lines: 5, sentences: 5, messages: 4 });
    expect(r.byType).toEqual({ '1': 3, '5': 1 });
    expect(r.messagesWithTime).toBe(4);
  });

  it('libais/typeexamples.nmea: one of each type, with USCG trailers', () => {
    const r = decodeFile('libais/typeexamples.nmea');
    expect(r.counts).toEqual({
      ...base,
      lines: 26,
      sentences: 26,
      messages: 25,
      type24PartsHeld: 1, // the single type 24 example has no other half
      unwrapped: { trailer: 26 },
    });
  });

  it('libais/test.aivdm: a raw USCG feed including libais\'s "likely all junk" sections', () => {
    const r = decodeFile('libais/test.aivdm');
    expect(r.counts).toEqual({
      ...base,
      lines: 345,
      blankLines: 35,
      commentLines: 47,
      sentences: 263,
      messages: 219,
      type24PartsHeld: 7,
      unwrapped: { trailer: 263 },
      // All payload-level, in sections libais's own comments call junk: type 23 "Likely all
      // junk" (lines 245-254: 4 too short), type 26 (lines 289-302: 7 shorter than their header),
      // type 27 (lines 311-324: 7 under 96 bits), and "28 - What is this?" (lines 329-345: 17
      // payloads starting with 'L', message type 28, which M.1371 does not define).
      rejected: { payload_too_short: 18, unknown_type: 17 },
    });
    expect(r.rejects.filter(([, reason]) => reason === 'unknown_type').map(([line]) => line)).toEqual(Array.from({ length: 17 }, (_, i) => 329 + i));
    expect(r.messagesWithTime).toBe(219);
  });

  it('gpsd/sample.aivdm: all 27 types, multiplexed channels, !BSVDM and text after checksums', () => {
    const r = decodeFile('gpsd/sample.aivdm');
    expect(r.counts).toEqual({
      ...base,
      lines: 1121,
      blankLines: 1,
      commentLines: 1001,
      sentences: 118,
      // Line 978 is gpsd's own "invalid packet test": `AIVDM,2,2,...` without its "!" (and
      // without its first fragment); gpsd expects it to yield nothing.
      rejectedLines: 1,
      messages: 97,
      type24PartsHeld: 5,
      unwrapped: { trailer: 4 },
      rejected: { malformed_sentence: 1 },
    });
    expect(r.rejects).toEqual([[978, 'malformed_sentence']]);
    expect(Object.keys(r.byType)).toHaveLength(27);
  });
});
