/**
 * The streaming NMEA decoder: one input line at a time in, typed AIS messages and typed
 * rejections out. It composes the framing pieces (tag block, sentence, wrappers), fragment
 * reassembly, payload decoding and the type 24 merger, and keeps the counters.
 *
 * Bad input never throws: every line ends as a message part, a skipped line (blank, comment,
 * other NMEA, wrapper, free text) or a rejection with a reason. Pure: no I/O and no clock; the
 * input-time clock for fragment timeouts comes from the caller or from the data.
 */
import type { RejectionReason } from './rejection-reason.js';
import { createDecodeStats, type DecodeStats } from './decode-stats.js';
import { FragmentAssembler, DEFAULT_FRAGMENT_TIMEOUT_MS, DEFAULT_MAX_PENDING } from './fragment-assembler.js';
import type { AssembledMessage, FragmentEvents } from './fragment-assembler.js';
import { TrailerFields, isGatehouseLine, parseGatehouse, parsePrefixTimestamp, parseTrailer } from './nmea-line-unwrapper.js';
import { SentenceFields, isAisSentenceStart, parseSentence } from './nmea-sentence.js';
import { decodePayload, isPayloadFailure } from './payload-decoder.js';
import { TagBlockFields, parseTagBlock } from './tag-block.js';
import { Type24Merger } from './type24-merger.js';
import type { AisMessage } from './types.js';

export interface SentenceMeta {
  /** 'AI', 'BS', ... */
  readonly talker: string;
  /** true for VDO (own ship). */
  readonly own: boolean;
  /** 'A' | 'B' | '1' | '2'; null when the field is empty. */
  readonly channel: string | null;
  /** Tag block `s:`, else a station named after the checksum (`r...`/`b...`). */
  readonly station: string | null;
  /** ms since epoch, from tag block `c:` or a trailing/wrapper/prefix timestamp. */
  readonly receivedAt: number | null;
  /** 1-based line number of the sentence that completed the message. */
  readonly line: number;
  readonly sentenceCount: number;
  /** Tag block `g:` id when present. */
  readonly group: string | null;
}

export interface DecoderSink {
  message(msg: AisMessage, meta: SentenceMeta): void;
  reject(reason: RejectionReason, detail: string, line: number): void;
}

export interface NmeaDecoderOptions {
  /** Most incomplete multi-sentence messages held at once. Default 1024. */
  readonly maxPendingMessages?: number;
  /** Incomplete messages older than this (ms of input time) are evicted. Default 60 000. */
  readonly fragmentTimeoutMs?: number;
  /** Emit merged type 24 part A+B records instead of separate parts. Default true. */
  readonly mergeType24?: boolean;
}

const HASH = 35;
const DOLLAR = 36;
const BANG = 33;
const BACKSLASH = 92;
const BOM = 0xfeff;

/** `xxVDM,` without its `!`: an AIS sentence that lost its start delimiter. */
function isBareAisSentence(line: string, at: number): boolean {
  const c0 = line.charCodeAt(at);
  const c1 = line.charCodeAt(at + 1);
  return (
    c0 >= 65 &&
    c0 <= 90 &&
    c1 >= 65 &&
    c1 <= 90 &&
    line.charCodeAt(at + 2) === 86 &&
    line.charCodeAt(at + 3) === 68 &&
    (line.charCodeAt(at + 4) === 77 || line.charCodeAt(at + 4) === 79) &&
    line.charCodeAt(at + 5) === 44
  );
}

/** Sentence id of another NMEA sentence (`GPRMC`): 2..8 capitals/digits then `,` or `*`; else null. */
function sentenceId(line: string, start: number, end: number): string | null {
  let i = start + 1;
  const limit = Math.min(end, start + 10);
  for (; i < limit; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) break;
  }
  const len = i - start - 1;
  if (len < 2 || len > 8 || i >= end) return null;
  const next = line.charCodeAt(i);
  return next === 44 || next === 42 ? line.slice(start + 1, i) : null;
}

/** Distinct ids kept in `nonAisSentences`; the rest are counted under `other`. */
const MAX_NON_AIS_IDS = 64;

export class NmeaDecoder {
  readonly stats: DecodeStats = createDecodeStats();

  private readonly fields = new SentenceFields();
  private readonly tag = new TagBlockFields();
  private readonly trailer = new TrailerFields();
  private readonly assembler: FragmentAssembler;
  private readonly merger: Type24Merger | null;
  /** Last receive time seen in the data: the default input-time clock. */
  private lastTime: number | null = null;
  /** A Gatehouse wrapper waiting for its sentence. */
  private gatehouseTime: number | null = null;
  private gatehouseChecksum: number | null = null;
  private gatehousePending = false;
  private nonAisIds = 0;

  constructor(
    private readonly sink: DecoderSink,
    options: NmeaDecoderOptions = {},
  ) {
    const events: FragmentEvents = {
      reject: (reason, detail, line, fragments) => {
        this.stats.droppedFragments += fragments;
        if (reason === 'fragment_evicted') this.stats.evicted++;
        this.reject(reason, detail, line);
      },
      duplicate: () => {
        this.stats.duplicateFragments++;
      },
    };
    this.assembler = new FragmentAssembler(events, {
      maxPending: options.maxPendingMessages ?? DEFAULT_MAX_PENDING,
      timeoutMs: options.fragmentTimeoutMs ?? DEFAULT_FRAGMENT_TIMEOUT_MS,
    });
    this.merger = options.mergeType24 === false ? null : new Type24Merger();
  }

  /** Sentences held for incomplete multi-sentence messages (for accounting). */
  get pendingFragments(): number {
    return this.assembler.pendingFragments;
  }

  /**
   * One input line (with or without trailing CR/LF). `nowMs` is the input-time clock for
   * fragment timeouts; by default the line's own receive time, else the last one seen.
   */
  push(line: string, lineNo: number, nowMs?: number): void {
    this.stats.lines++;
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
    let start = 0;
    for (;;) {
      if (start >= end) break;
      const c = line.charCodeAt(start);
      if (c > 32 && c !== BOM) break;
      start++;
    }
    if (start >= end) {
      this.stats.blankLines++;
      return;
    }
    // Glued sentences are decoded in a loop, not by recursion: a hostile line may hold thousands.
    let next = this.record(line, start, end, lineNo, nowMs, null, false);
    while (next >= 0) {
      this.stats.gluedSentences++;
      next = this.record(line, next, end, lineNo, nowMs, null, true);
    }
  }

  /** End of input: incomplete multi-sentence messages become `bad_fragment_sequence` rejections. */
  flush(): void {
    this.assembler.flush();
    this.gatehousePending = false;
  }

  /**
   * One record: a line, or the rest of a line after a prefix or a glued sentence. Returns the
   * start of another sentence glued on after this one, or -1.
   */
  private record(line: string, start: number, end: number, lineNo: number, nowMs: number | undefined, prefixTime: number | null, prefixed: boolean): number {
    let c = line.charCodeAt(start);
    let tag: TagBlockFields | null = null;
    if (c === BACKSLASH) {
      if (!parseTagBlock(line, start, end, this.tag)) {
        this.rejectLine('bad_tag_block', this.tag.detail, lineNo);
        return -1;
      }
      tag = this.tag;
      if (tag.receivedAt !== null) this.lastTime = tag.receivedAt;
      start = tag.end;
      while (start < end && line.charCodeAt(start) <= 32) start++;
      if (start >= end) {
        this.rejectLine('malformed_sentence', 'tag block without a sentence after it', lineNo);
        return -1;
      }
      c = line.charCodeAt(start);
    }
    if ((c === BANG || c === DOLLAR) && isAisSentenceStart(line, start)) {
      return this.sentence(line, start, end, lineNo, nowMs, tag, prefixTime);
    }
    if (c === DOLLAR && isGatehouseLine(line, start)) {
      this.gatehouse(line, start, end, lineNo);
      return -1;
    }
    if (c === DOLLAR || c === BANG) {
      const id = sentenceId(line, start, end);
      if (id === null) {
        this.rejectLine('malformed_sentence', 'not an NMEA sentence: no sentence id followed by ","', lineNo);
        return -1;
      }
      // Other sentences (`$GPRMC`, or `!AIABM` and other AIS-related encapsulations) are
      // skipped; distinct ids are capped so a junk feed cannot grow the counters without bound.
      const counts = this.stats.nonAisSentences;
      if (counts[id] === undefined && this.nonAisIds >= MAX_NON_AIS_IDS) {
        counts.other = (counts.other ?? 0) + 1;
      } else {
        if (counts[id] === undefined) this.nonAisIds++;
        counts[id] = (counts[id] ?? 0) + 1;
      }
      return -1;
    }
    if (tag !== null) {
      this.rejectLine('malformed_sentence', 'tag block not followed by an NMEA sentence', lineNo);
      return -1;
    }
    if (c === HASH) {
      this.stats.commentLines++;
      return -1;
    }
    if (!prefixed) {
      const at = this.findSentence(line, start, end);
      if (at > start) {
        this.count(this.stats.unwrapped, 'prefix');
        return this.record(line, at, end, lineNo, nowMs, parsePrefixTimestamp(line, start, at), true);
      }
    }
    if (isBareAisSentence(line, start)) {
      this.rejectLine('malformed_sentence', 'AIS sentence without its leading "!"', lineNo);
      return -1;
    }
    this.stats.junkLines++;
    return -1;
  }

  /** Start of an AIS sentence (or of the tag block in front of one) inside a line, or -1. */
  private findSentence(line: string, start: number, end: number): number {
    let at = line.indexOf('!', start);
    while (at >= 0 && at < end && !isAisSentenceStart(line, at)) at = line.indexOf('!', at + 1);
    if (at < 0 || at >= end) return -1;
    if (at - 1 > start && line.charCodeAt(at - 1) === BACKSLASH) {
      const open = line.lastIndexOf('\\', at - 2);
      if (open >= start) return open;
    }
    return at;
  }

  private sentence(
    line: string,
    start: number,
    end: number,
    lineNo: number,
    nowMs: number | undefined,
    tag: TagBlockFields | null,
    prefixTime: number | null,
  ): number {
    const f = this.fields;
    const failed = parseSentence(line, start, end, f);
    if (failed !== null) {
      this.gatehousePending = false;
      this.rejectLine(failed, f.detail, lineNo);
      return -1;
    }
    this.stats.sentences++;

    let station = tag === null ? null : tag.station;
    let receivedAt = tag === null ? null : tag.receivedAt;
    let glued = -1;
    if (f.end < end) {
      const tr = this.trailer;
      if (parseTrailer(line, f.end, end, tr)) {
        this.count(this.stats.unwrapped, 'trailer');
        if (station === null) station = tr.station;
        if (receivedAt === null) receivedAt = tr.receivedAt;
      }
      glued = tr.glued;
    }
    if (this.gatehousePending) {
      this.gatehousePending = false;
      if (receivedAt === null && (this.gatehouseChecksum === null || this.gatehouseChecksum === f.checksum)) {
        receivedAt = this.gatehouseTime;
      }
    }
    if (receivedAt === null) receivedAt = prefixTime;
    if (receivedAt !== null) this.lastTime = receivedAt;
    const now = nowMs ?? receivedAt ?? this.lastTime;
    // The caller's clock is one clock; data times are only consistent per receiving station.
    const clock = nowMs !== undefined ? '' : station === null ? '' : station;
    if (now !== null) this.assembler.expire(now, clock);

    if (f.fragmentCount === 1) {
      this.stats.assembledSentences++;
      this.payload(line.slice(f.payloadStart, f.payloadEnd), f.fillBits, {
        talker: f.talker,
        own: f.own,
        channel: f.channel,
        station,
        receivedAt,
        line: lineNo,
        sentenceCount: 1,
        group: tag === null ? null : tag.groupId,
      });
    } else {
      const group = tag === null ? null : tag.groupId;
      // With a g: group, only the first sentence names the station, so the group id replaces it.
      const key =
        (group !== null ? `g:${group} ` : tag !== null && tag.station !== null ? `s:${tag.station} ` : '') +
        `!${f.talker}${f.own ? 'VDO' : 'VDM'} channel ${f.channel ?? '-'} seq ${f.seqId === '' ? '-' : f.seqId} (${f.fragmentCount} parts)`;
      const done = this.assembler.offer({
        key,
        fragmentNumber: f.fragmentNumber,
        fragmentCount: f.fragmentCount,
        payload: line.slice(f.payloadStart, f.payloadEnd),
        fillBits: f.fillBits,
        line: lineNo,
        nowMs: now,
        clock,
        station,
        receivedAt,
        group,
      });
      if (done !== null) this.assembled(done, f.talker, f.own, f.channel);
    }

    return glued;
  }

  private assembled(m: AssembledMessage, talker: string, own: boolean, channel: string | null): void {
    this.stats.assembledSentences += m.sentenceCount;
    this.payload(m.payload, m.fillBits, {
      talker,
      own,
      channel,
      station: m.station,
      receivedAt: m.receivedAt,
      line: m.line,
      sentenceCount: m.sentenceCount,
      group: m.group,
    });
  }

  private payload(payload: string, fillBits: number, meta: SentenceMeta): void {
    const stats = this.stats;
    stats.assembled++;
    if (fillBits < 0 || fillBits > 5) {
      stats.rejectedPayloads++;
      this.reject('bad_fill_bits', 'fill bits field is not a digit 0..5', meta.line);
      return;
    }
    const r = decodePayload(payload, fillBits);
    if (isPayloadFailure(r)) {
      stats.rejectedPayloads++;
      this.reject(r.error, r.detail, meta.line);
      return;
    }
    stats.payloadsDecoded++;
    let msg: AisMessage = r;
    if (msg.type === 24 && this.merger !== null && msg.partNo !== null) {
      const merged = this.merger.offer(msg);
      if (merged === null) {
        stats.type24PartsHeld++;
        return;
      }
      msg = merged;
    }
    stats.messages++;
    const byType = stats.messagesByType;
    byType[msg.type] = (byType[msg.type] ?? 0) + 1;
    this.sink.message(msg, meta);
  }

  private gatehouse(line: string, start: number, end: number, lineNo: number): void {
    const g = parseGatehouse(line, start, end);
    if (g === null) {
      this.rejectLine('bad_checksum', '$PGHP wrapper line with a missing or wrong checksum', lineNo);
      return;
    }
    this.stats.wrapperLines++;
    this.count(this.stats.unwrapped, 'gatehouse');
    this.gatehousePending = true;
    this.gatehouseTime = g.receivedAt;
    this.gatehouseChecksum = g.sentenceChecksum;
    if (g.receivedAt !== null) this.lastTime = g.receivedAt;
  }

  private count(rec: Record<string, number>, key: string): void {
    rec[key] = (rec[key] ?? 0) + 1;
  }

  private rejectLine(reason: RejectionReason, detail: string, line: number): void {
    this.stats.rejectedLines++;
    this.reject(reason, detail, line);
  }

  private reject(reason: RejectionReason, detail: string, line: number): void {
    this.stats.rejected[reason]++;
    this.sink.reject(reason, detail, line);
  }
}
