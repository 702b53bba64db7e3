/**
 * Reassembly of multi-sentence AIS messages.
 *
 * Fragments are keyed by everything that identifies one message on the air and at the
 * receiver: station, talker, VDM/VDO, channel, sequential id and fragment count (or the tag
 * block `g:` group id, when present). Two messages interleaving on one channel therefore never
 * splice as long as their sequential ids differ, unlike gpsd's one-buffer-per-channel design.
 *
 * Within a key, fragments must arrive in order (1, 2, ..., n). Accepting any order looks
 * friendlier but is wrong in practice: sequential ids cycle through 0..9 within seconds on a
 * busy channel, so an orphan fragment 2 kept waiting would soon be glued to the fragment 1 of an
 * unrelated later message. An exact repeat of a held fragment is ignored as a duplicate.
 *
 * Memory is bounded by a cap on pending messages (oldest evicted first) and by a timeout in
 * input time; both evictions are reported, never silent.
 *
 * Input time can come from several clocks: the caller's, or the receive times in the data. The
 * latter are only consistent per receiver: a merged feed interleaves satellite receptions delayed
 * by many minutes with live terrestrial ones (libais's ORBCOMM tag block sample does), so one
 * global data clock would evict messages whose next fragment is right behind. Each message is
 * therefore timed by the clock it started on (`FragmentOffer.clock`), and only that clock's
 * readings can expire it.
 */

export interface AssembledMessage {
  readonly payload: string;
  /** Fill bits of the last fragment (the only one allowed to have them). */
  readonly fillBits: number;
  readonly sentenceCount: number;
  readonly firstLine: number;
  /** Line of the fragment that completed the message. */
  readonly line: number;
  /** From the first fragment that carried it. */
  readonly station: string | null;
  readonly receivedAt: number | null;
  readonly group: string | null;
}

export type FragmentRejection = 'bad_fragment_sequence' | 'fragment_evicted';

export interface FragmentEvents {
  /** An incomplete message (and possibly the offending fragment) was dropped: `fragments` sentences in all. */
  reject(reason: FragmentRejection, detail: string, line: number, fragments: number): void;
  /** A fragment identical to one already held was ignored. */
  duplicate(line: number): void;
}

export interface FragmentAssemblerOptions {
  /** Most incomplete messages held at once; the oldest is evicted beyond it. Default 1024. */
  readonly maxPending?: number;
  /** A message whose first fragment is older than this (input-time ms) is evicted. Default 60 000. */
  readonly timeoutMs?: number;
}

/** Context of one fragment, as framing found it. */
export interface FragmentOffer {
  /** Identity of the message (see the file comment); also used in rejection details. */
  readonly key: string;
  readonly fragmentNumber: number;
  readonly fragmentCount: number;
  readonly payload: string;
  readonly fillBits: number;
  readonly line: number;
  /** Input-time clock for the timeout; null when unknown (then only the cap evicts). */
  readonly nowMs: number | null;
  /** Which clock `nowMs` was read from ('' for the caller's; a station id for data times). */
  readonly clock: string;
  readonly station: string | null;
  readonly receivedAt: number | null;
  readonly group: string | null;
}

class Pending {
  readonly payloads: string[] = [];
  constructor(
    readonly key: string,
    readonly count: number,
    readonly firstLine: number,
    readonly firstSeen: number | null,
    readonly clock: string,
    public station: string | null,
    public receivedAt: number | null,
    readonly group: string | null,
  ) {}
}

export const DEFAULT_MAX_PENDING = 1024;
export const DEFAULT_FRAGMENT_TIMEOUT_MS = 60_000;

export class FragmentAssembler {
  private readonly pending = new Map<string, Pending>();
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private heldFragments = 0;
  /** Per clock: no pending message can expire before this time; avoids scanning on every line. */
  private readonly nextExpiry = new Map<string, number>();

  constructor(
    private readonly events: FragmentEvents,
    options: FragmentAssemblerOptions = {},
  ) {
    this.maxPending = Math.max(1, Math.floor(options.maxPending ?? DEFAULT_MAX_PENDING));
    this.timeoutMs = Math.max(0, options.timeoutMs ?? DEFAULT_FRAGMENT_TIMEOUT_MS);
  }

  /** Incomplete messages held. */
  get pendingMessages(): number {
    return this.pending.size;
  }

  /** Sentences held for incomplete messages. */
  get pendingFragments(): number {
    return this.heldFragments;
  }

  /** Offer one fragment of a multi-sentence message; returns the message when this completes it. */
  offer(f: FragmentOffer): AssembledMessage | null {
    if (f.nowMs !== null) this.expire(f.nowMs, f.clock);
    const p = this.pending.get(f.key);
    if (p === undefined) return this.begin(f);

    const next = p.payloads.length + 1;
    if (f.fragmentNumber === next) {
      p.payloads.push(f.payload);
      this.heldFragments++;
      if (p.station === null) p.station = f.station;
      if (p.receivedAt === null) p.receivedAt = f.receivedAt;
      if (next < p.count) return null;
      this.pending.delete(f.key);
      this.heldFragments -= p.count;
      return {
        payload: p.payloads.join(''),
        fillBits: f.fillBits,
        sentenceCount: p.count,
        firstLine: p.firstLine,
        line: f.line,
        station: p.station,
        receivedAt: p.receivedAt,
        group: p.group,
      };
    }
    if (f.fragmentNumber < next && p.payloads[f.fragmentNumber - 1] === f.payload) {
      this.events.duplicate(f.line);
      return null;
    }
    this.drop(p);
    if (f.fragmentNumber === 1) {
      this.events.reject(
        'bad_fragment_sequence',
        `${p.key}: incomplete, ${p.payloads.length} of ${p.count} fragments from line ${p.firstLine}, ` + `then a new fragment 1 at line ${f.line}`,
        p.firstLine,
        p.payloads.length,
      );
      return this.begin(f);
    }
    this.events.reject(
      'bad_fragment_sequence',
      `${p.key}: fragment ${f.fragmentNumber} of ${f.fragmentCount} where fragment ${next} was due ` + `(message started at line ${p.firstLine})`,
      f.line,
      p.payloads.length + 1,
    );
    return null;
  }

  /**
   * Evict every message timed by `clock` whose first fragment is older than the timeout at
   * `nowMs`. Cheap when nothing can have expired, so callers may call it on every line.
   */
  expire(nowMs: number, clock = ''): void {
    const due = this.nextExpiry.get(clock);
    if (due === undefined || nowMs < due) return;
    // Readings need not be monotonic even on one clock, so scan and recompute the earliest
    // deadline; this runs only when some deadline on this clock has passed.
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.pending.values()) {
      if (p.firstSeen === null || p.clock !== clock) continue;
      const deadline = p.firstSeen + this.timeoutMs;
      if (nowMs <= deadline) {
        if (deadline + 1 < next) next = deadline + 1;
        continue;
      }
      this.drop(p);
      this.events.reject(
        'fragment_evicted',
        `${p.key}: ${p.payloads.length} of ${p.count} fragments from line ${p.firstLine} ` + `timed out after ${this.timeoutMs} ms of input time`,
        p.firstLine,
        p.payloads.length,
      );
    }
    if (next === Number.POSITIVE_INFINITY) this.nextExpiry.delete(clock);
    else this.nextExpiry.set(clock, next);
  }

  /** End of input: every incomplete message becomes a `bad_fragment_sequence` rejection. */
  flush(): void {
    for (const p of this.pending.values()) {
      this.drop(p);
      this.events.reject(
        'bad_fragment_sequence',
        `${p.key}: incomplete at end of input, ${p.payloads.length} of ${p.count} fragments from line ${p.firstLine}`,
        p.firstLine,
        p.payloads.length,
      );
    }
    this.nextExpiry.clear();
  }

  private begin(f: FragmentOffer): null {
    if (f.fragmentNumber !== 1) {
      this.events.reject('bad_fragment_sequence', `${f.key}: fragment ${f.fragmentNumber} of ${f.fragmentCount} without the fragments before it`, f.line, 1);
      return null;
    }
    if (this.pending.size >= this.maxPending) {
      const oldest = this.pending.values().next().value;
      if (oldest !== undefined) {
        this.drop(oldest);
        this.events.reject(
          'fragment_evicted',
          `${oldest.key}: ${oldest.payloads.length} of ${oldest.count} fragments from line ${oldest.firstLine} ` +
            `evicted: more than ${this.maxPending} incomplete messages pending`,
          oldest.firstLine,
          oldest.payloads.length,
        );
      }
    }
    const p = new Pending(f.key, f.fragmentCount, f.line, f.nowMs, f.clock, f.station, f.receivedAt, f.group);
    p.payloads.push(f.payload);
    this.heldFragments++;
    this.pending.set(f.key, p);
    if (f.nowMs !== null) {
      const deadline = f.nowMs + this.timeoutMs + 1;
      const due = this.nextExpiry.get(f.clock);
      if (due === undefined || deadline < due) this.nextExpiry.set(f.clock, deadline);
    }
    return null;
  }

  private drop(p: Pending): void {
    this.pending.delete(p.key);
    this.heldFragments -= p.payloads.length;
  }
}
