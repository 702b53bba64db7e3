/**
 * Wraps an armoured AIS payload into checksummed `!xxVDM` / `!xxVDO` sentences, optionally
 * preceded by an NMEA 4.0 tag block. Pure: the caller passes the time and the sequence id, so the
 * same inputs always give the same lines (the traffic generator and the fixtures rely on that).
 */
import { checksumHex, nmeaChecksum } from './nmea-checksum.js';

export interface TagBlockOptions {
  /** `s:` source / station id. */
  readonly station?: string;
  /** `c:` receive time in ms since the epoch; rendered as whole seconds, as receivers do. */
  readonly time?: number;
  /** Render `c:` in milliseconds instead (some networks do; decoders tell them apart by size). */
  readonly timeUnit?: 's' | 'ms';
  /**
   * Emit `g:<n>-<total>-<id>` groups on multi-sentence messages. Only the first sentence of a
   * group repeats `s:`/`c:`; the others carry just `g:`, which is how real networks send them.
   */
  readonly group?: boolean;
  /** Group id for `g:`; defaults to the sequence id (or 1). */
  readonly groupId?: number;
}

export interface SentenceOptions {
  /** Two-letter talker id; `AI` by default (`BS`, `AB`, ... for base stations and others). */
  readonly talker?: string;
  /** `VDO` (own ship) instead of `VDM`. */
  readonly own?: boolean;
  /** Radio channel; `A` by default, null for an empty field (as some networks send). */
  readonly channel?: 'A' | 'B' | '1' | '2' | null;
  /**
   * Sequential message id 0..9 for multi-sentence messages. Left empty on single sentences.
   * When omitted on a multi-sentence message, 0 is used so the parts can be reassembled.
   */
  readonly seqId?: number | null;
  readonly tagBlock?: TagBlockOptions;
  /** Payload characters per sentence; 60 keeps a tag-less sentence within the 82-char limit. */
  readonly maxPayloadPerSentence?: number;
}

function tagBlock(fields: string): string {
  return '\\' + fields + '*' + checksumHex(nmeaChecksum(fields)) + '\\';
}

function tagFields(tb: TagBlockOptions, group: string | null): string {
  let out = group === null ? '' : 'g:' + group;
  if (tb.station !== undefined) out += (out === '' ? 's:' : ',s:') + tb.station;
  if (tb.time !== undefined) {
    const c = tb.timeUnit === 'ms' ? Math.floor(tb.time) : Math.floor(tb.time / 1000);
    out += (out === '' ? 'c:' : ',c:') + c;
  }
  return out;
}

/** `\s:...,c:...*hh\` for a single sentence (no group); '' when there is nothing to say. */
export function tagBlockPrefix(tb: TagBlockOptions): string {
  const fields = tagFields(tb, null);
  return fields === '' ? '' : tagBlock(fields);
}

/**
 * Split `payload` into one or more sentences. `fillBits` goes on the last sentence only; the
 * others carry 0, as the standard requires.
 */
export function toSentences(payload: string, fillBits: number, opts: SentenceOptions = {}): string[] {
  const talker = opts.talker ?? 'AI';
  const head = opts.own === true ? talker + 'VDO,' : talker + 'VDM,';
  const channel = opts.channel === undefined ? 'A' : opts.channel === null ? '' : opts.channel;
  const max = Math.max(1, opts.maxPayloadPerSentence ?? 60);
  const total = payload.length <= max ? 1 : Math.ceil(payload.length / max);
  const tb = opts.tagBlock;

  if (total === 1) {
    const body = head + '1,1,,' + channel + ',' + payload + ',' + fillBits;
    const line = '!' + body + '*' + checksumHex(nmeaChecksum(body));
    if (tb === undefined) return [line];
    const fields = tagFields(tb, null);
    return [fields === '' ? line : tagBlock(fields) + line];
  }

  const seq = opts.seqId === undefined ? '0' : opts.seqId === null ? '' : String(opts.seqId);
  const groupId = tb?.groupId ?? opts.seqId ?? 1;
  const lines = new Array<string>(total);
  for (let i = 0; i < total; i++) {
    const part = payload.slice(i * max, (i + 1) * max);
    const fill = i === total - 1 ? fillBits : 0;
    const body = head + total + ',' + (i + 1) + ',' + seq + ',' + channel + ',' + part + ',' + fill;
    let line = '!' + body + '*' + checksumHex(nmeaChecksum(body));
    if (tb !== undefined) {
      const grouped = tb.group === true;
      const group = grouped ? `${i + 1}-${total}-${groupId}` : null;
      // Without groups every sentence repeats the tag block so each line stands alone.
      const fields = grouped && i > 0 ? tagFields({}, group) : tagFields(tb, group);
      if (fields !== '') line = tagBlock(fields) + line;
    }
    lines[i] = line;
  }
  return lines;
}
