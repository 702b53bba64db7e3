/**
 * Realistic AIS traffic for load tests, fixtures and benchmarks: a fleet of vessels moving on
 * plausible tracks, reported by several receiving stations, with duplicates, late arrivals and
 * corrupt lines mixed in at chosen rates.
 *
 * Pure given the seed: no clock, no I/O. The caller passes the send time to `next(nowMs)`; the
 * same seed and the same sequence of `nowMs` values always yield the same lines.
 *
 * Scheduling: each vessel is due again one ITU report interval after its last report (see
 * `reportIntervalMs`), and `next` reports the vessel that has been due longest. Called at the
 * fleet's natural rate (about vessels / 10 per second for a mostly class A fleet) the reports
 * follow the ITU intervals; called faster, every vessel simply reports more often. Each call
 * returns exactly one AIS message, so the caller's rate is the message rate.
 */
import type { NormalizedMessage, PositionReport, RejectionReason, StaticReport } from '../normalize/message.js';
import { encodePayload, rotToRaw, vendorIdText, type EncodableMessage } from '../ais/payload-encoder.js';
import { checksumHex, nmeaChecksum } from '../ais/nmea-checksum.js';
import { tagBlockPrefix, toSentences } from '../ais/sentence-encoder.js';
import { rateOfTurn } from '../ais/messages/field-values.js';
import { advanceTrack, createVesselTrack, makeMmsi, positionBefore, reportIntervalMs, type BoundingBox, type VesselTrack } from './vessel-track.js';
import { seededRandom, type RandomSource } from '../utils/seeded-random.js';

export type GeneratedKind = 'good' | 'duplicate' | 'late' | 'corrupt';

export interface GeneratedMessage {
  /** The message's lines joined with `\n` (one line for all but multi-sentence messages). */
  readonly line: string;
  /** Each NMEA line, tag block included; type 5 takes two. */
  readonly lines: readonly string[];
  readonly kind: GeneratedKind;
  readonly mmsi: number;
  /** Receiving station, as written in the tag block `s:`. */
  readonly source: string;
  /** Receive time carried by the tag block `c:` (ms since epoch; whole seconds unless `tagTimeMs`). */
  readonly ts: number;
  /** AIS message type encoded (1, 2, 3, 5, 18, 19, 24). */
  readonly msgType: number;
  /** The message that was encoded, before any corruption. */
  readonly message: EncodableMessage;
  /** For `corrupt`: the rejection the decoder must give. Null otherwise. */
  readonly expectedReason: RejectionReason | null;
}

export interface TrafficGeneratorOptions {
  readonly vessels: number;
  /** Receiving stations; each vessel is heard by one to three of them. */
  readonly sources: readonly string[];
  readonly seed: number;
  readonly startTimeMs: number;
  /** Share of messages that repeat a recent report as heard by another station, 0..1. */
  readonly dupRate: number;
  /** Share of messages whose receive time is minutes behind `nowMs`, 0..1. */
  readonly lateRate: number;
  /** Share of corrupt lines (bad checksum, truncated, garbage, bad payload), 0..1. */
  readonly badRate: number;
  /** Share of class B vessels, 0..1. Default 0.3. */
  readonly classBShare?: number;
  readonly area?: BoundingBox;
  /** Most a late message lags behind `nowMs`. Default 10 minutes; at least 1 minute. */
  readonly maxLateMs?: number;
  /** Static reports (type 5 / 24) every this many ms per vessel. Default 6 minutes (ITU). */
  readonly staticIntervalMs?: number;
  /**
   * Never let a vessel report before its ITU interval is up. When the requested rate is above
   * the fleet's natural rate (about vessels / 10 per second), event time then runs ahead of the
   * caller's clock instead of vessels reporting every few hundred milliseconds, which real
   * transponders never do and which fusion would rightly collapse as duplicates. Read the
   * generator's event time from `eventTimeMs`.
   */
  readonly honourIntervals?: boolean;
  /** Write tag block `c:` in milliseconds rather than seconds, for rates where seconds collide. */
  readonly tagTimeMs?: boolean;
}

export interface TrafficGenerator {
  next(nowMs: number): GeneratedMessage;
  /** The simulated fleet (live objects: they move as `next` is called). */
  readonly fleet: readonly VesselTrack[];
  /** Messages returned so far, per kind. */
  readonly counts: Readonly<Record<GeneratedKind, number>>;
  /** Newest event time of a good report; with `honourIntervals` it may run ahead of `nowMs`. */
  readonly eventTimeMs: number;
}

/** Min-heap of vessel indices by due time; ties go to the lower index, so order is deterministic. */
class DueHeap {
  private readonly idx: Int32Array;
  private readonly due: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.idx = new Int32Array(capacity);
    this.due = new Float64Array(capacity);
  }

  push(i: number, due: number): void {
    let k = this.size++;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.less(due, i, this.due[p] as number, this.idx[p] as number)) break;
      this.idx[k] = this.idx[p] as number;
      this.due[k] = this.due[p] as number;
      k = p;
    }
    this.idx[k] = i;
    this.due[k] = due;
  }

  /** Due time of the vessel that `pop` would return. */
  peekDue(): number {
    return this.due[0] as number;
  }

  /** Removes and returns the vessel due first. The heap is never empty while in use. */
  pop(): number {
    const top = this.idx[0] as number;
    const n = --this.size;
    const li = this.idx[n] as number;
    const ld = this.due[n] as number;
    let k = 0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && this.less(this.due[r] as number, this.idx[r] as number, this.due[c] as number, this.idx[c] as number)) c = r;
      if (!this.less(this.due[c] as number, this.idx[c] as number, ld, li)) break;
      this.idx[k] = this.idx[c] as number;
      this.due[k] = this.due[c] as number;
      k = c;
    }
    this.idx[k] = li;
    this.due[k] = ld;
    return top;
  }

  private less(d1: number, i1: number, d2: number, i2: number): boolean {
    return d1 < d2 || (d1 === d2 && i1 < i2);
  }
}

interface VesselState {
  readonly track: VesselTrack;
  /** Indices into `sources` of the stations that hear this vessel; the first is the nearest. */
  readonly heardBy: readonly number[];
  nextStaticMs: number;
  /** Class B radio state, fixed per unit. */
  readonly radio: number;
}

/** One report before it is turned into lines or a normalized record. */
interface Report {
  readonly kind: GeneratedKind;
  readonly vessel: VesselState;
  readonly message: EncodableMessage;
  readonly source: string;
  /** Receive time (ms), before tag-block rounding. */
  readonly receivedAt: number;
  /** The lines of the report a duplicate repeats, so it is the very same transmission. */
  readonly sameAs: GeneratedMessage | null;
  /** Corrupt variant to apply, 0..5. */
  readonly corruption: number;
}

const DEFAULT_STATIC_INTERVAL_MS = 6 * 60_000;
const DEFAULT_MAX_LATE_MS = 10 * 60_000;
/** Receiver latency: a station stamps a message up to this long after it was sent. */
const MAX_RECEIVER_DELAY_MS = 1_500;
/** A duplicate heard by another station arrives within this of the original. */
const MAX_DUPLICATE_SKEW_MS = 1_000;
/** Class B CS radio state: selector 1 (ITDMA), the value CS units transmit. */
const CLASS_B_CS_RADIO = 393_222;

/**
 * The generator's core, shared by the NMEA and the normalized front ends: it owns the fleet, the
 * schedule and the random stream, and yields reports.
 */
class TrafficCore {
  readonly rng: RandomSource;
  readonly vessels: VesselState[] = [];
  private readonly heap: DueHeap;
  /** Static reports due with the last position report, sent on the following calls. */
  private readonly pending: Report[] = [];
  private lastGood: GeneratedMessage | null = null;
  private lastGoodReport: Report | null = null;
  private readonly maxLateMs: number;
  private readonly staticIntervalMs: number;

  constructor(readonly opts: TrafficGeneratorOptions) {
    if (!(opts.vessels >= 1)) throw new RangeError(`vessels must be at least 1 (got ${opts.vessels})`);
    if (opts.sources.length === 0) throw new RangeError('sources must name at least one station');
    for (const [name, v] of [
      ['dupRate', opts.dupRate],
      ['lateRate', opts.lateRate],
      ['badRate', opts.badRate],
    ] as const) {
      if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be within 0..1 (got ${v})`);
    }
    if (opts.dupRate + opts.lateRate + opts.badRate > 1) {
      throw new RangeError('dupRate + lateRate + badRate must not exceed 1');
    }
    this.rng = seededRandom(opts.seed);
    this.maxLateMs = Math.max(60_000, opts.maxLateMs ?? DEFAULT_MAX_LATE_MS);
    this.staticIntervalMs = opts.staticIntervalMs ?? DEFAULT_STATIC_INTERVAL_MS;
    this.heap = new DueHeap(opts.vessels);
    const classBShare = opts.classBShare ?? 0.3;
    const taken = new Set<number>();
    const rng = this.rng;
    const nSources = opts.sources.length;
    for (let i = 0; i < opts.vessels; i++) {
      const classB = rng() < classBShare;
      const track = createVesselTrack(rng, {
        mmsi: makeMmsi(rng, taken),
        classB,
        startTimeMs: opts.startTimeMs,
        ...(opts.area === undefined ? {} : { area: opts.area }),
      });
      const first = Math.floor(rng() * nSources);
      const heardBy = [first];
      const extra = Math.min(nSources - 1, Math.floor(rng() * 3));
      for (let k = 1; k <= extra; k++) heardBy.push((first + k) % nSources);
      this.vessels.push({
        track,
        heardBy,
        // Spread the first static reports over one interval so they do not all come at once.
        nextStaticMs: opts.startTimeMs + rng() * this.staticIntervalMs,
        radio: classB ? CLASS_B_CS_RADIO : Math.floor(rng() * 524_288),
      });
      // Likewise spread the first position reports over the vessel's interval.
      this.heap.push(i, opts.startTimeMs + rng() * reportIntervalMs(track));
    }
  }

  /** The next report to send at `nowMs`. */
  next(nowMs: number): Report {
    const queued = this.pending.shift();
    if (queued !== undefined) return queued;
    const { badRate, lateRate, dupRate } = this.opts;
    const r = this.rng();
    if (r < badRate) return this.corrupt(nowMs);
    if (r < badRate + lateRate) return this.late(nowMs);
    if (r < badRate + lateRate + dupRate && this.lastGoodReport !== null) return this.duplicate(this.lastGoodReport);
    return this.good(nowMs);
  }

  /** Remember the last good message so a later duplicate can repeat its lines exactly. */
  noteGood(report: Report, msg: GeneratedMessage | null): void {
    this.lastGoodReport = report;
    this.lastGood = msg;
  }

  get lastGoodMessage(): GeneratedMessage | null {
    return this.lastGood;
  }

  private source(v: VesselState): string {
    const heard = v.heardBy;
    const i = heard.length === 1 ? heard[0] : heard[Math.floor(this.rng() * heard.length)];
    return this.opts.sources[i as number] as string;
  }

  /** Newest event time handed out (see `honourIntervals`). */
  eventTimeMs = 0;

  private good(nowMs: number): Report {
    const due = this.heap.peekDue();
    const i = this.heap.pop();
    const v = this.vessels[i] as VesselState;
    const t = this.opts.honourIntervals === true ? Math.max(nowMs, v.track.tMs, due) : Math.max(nowMs, v.track.tMs);
    if (t > this.eventTimeMs) this.eventTimeMs = t;
    advanceTrack(v.track, t, this.rng);
    this.heap.push(i, t + reportIntervalMs(v.track));
    const source = this.source(v);
    const receivedAt = t + Math.floor(this.rng() * MAX_RECEIVER_DELAY_MS);
    const report = (message: EncodableMessage): Report => ({ kind: 'good', vessel: v, message, source, receivedAt, sameAs: null, corruption: 0 });
    if (t >= v.nextStaticMs) {
      // Static data goes out in its own slots, after the position report, not instead of it.
      // Keep the 6-minute rhythm rather than drifting by the position interval each time.
      while (v.nextStaticMs <= t) v.nextStaticMs += this.staticIntervalMs;
      if (v.track.classB) this.pending.push(...this.staticB(v).map(report));
      else this.pending.push(report(this.staticA(v)));
    }
    return report(this.position(v, t, v.track.lat, v.track.lon));
  }

  private duplicate(orig: Report): Report {
    const v = orig.vessel;
    const others = this.opts.sources.filter((s) => s !== orig.source);
    const source = others.length === 0 ? orig.source : (others[Math.floor(this.rng() * others.length)] as string);
    const receivedAt = orig.receivedAt + Math.floor(this.rng() * MAX_DUPLICATE_SKEW_MS);
    let message = orig.message;
    let sameAs = this.lastGood;
    // Some networks re-encode what they relay; their copy differs by a metre or two.
    if ('lat' in message && message.lat !== null && message.lon !== null && this.rng() < 0.3) {
      // Whole steps of the 1/10000-minute grid, so the copy is still exactly encodable.
      const jiggle = (deg: number): number => (Math.round(deg * 600_000) + Math.round((this.rng() - 0.5) * 4)) / 600_000;
      message = { ...message, lat: jiggle(message.lat), lon: jiggle(message.lon as number) } as EncodableMessage;
      sameAs = null;
    }
    return { kind: 'duplicate', vessel: v, message, source, receivedAt, sameAs, corruption: 0 };
  }

  private late(nowMs: number): Report {
    const v = this.vessels[Math.floor(this.rng() * this.vessels.length)] as VesselState;
    const t = Math.max(nowMs, v.track.tMs);
    advanceTrack(v.track, t, this.rng);
    const lag = 60_000 + Math.floor(this.rng() * (this.maxLateMs - 60_000));
    const at = positionBefore(v.track, lag);
    const sent = t - lag;
    const receivedAt = sent + Math.floor(this.rng() * MAX_RECEIVER_DELAY_MS);
    return {
      kind: 'late',
      vessel: v,
      message: this.position(v, sent, at.lat, at.lon),
      source: this.source(v),
      receivedAt,
      sameAs: null,
      corruption: 0,
    };
  }

  private corrupt(nowMs: number): Report {
    const v = this.vessels[Math.floor(this.rng() * this.vessels.length)] as VesselState;
    const t = Math.max(nowMs, v.track.tMs);
    advanceTrack(v.track, t, this.rng);
    return {
      kind: 'corrupt',
      vessel: v,
      message: this.position(v, t, v.track.lat, v.track.lon),
      source: this.source(v),
      receivedAt: t,
      sameAs: null,
      corruption: Math.floor(this.rng() * 6),
    };
  }

  private position(v: VesselState, t: number, lat: number, lon: number): EncodableMessage {
    const tr = v.track;
    const second = Math.floor(t / 1000) % 60;
    const sog = Math.round(tr.sog * 10) / 10;
    const cog = (Math.round(tr.cog * 10) / 10) % 360;
    const heading = Math.round(tr.heading) % 360;
    const qlat = Math.round(lat * 600_000) / 600_000;
    const qlon = Math.round(lon * 600_000) / 600_000;
    if (tr.classB) {
      if (this.rng() < 0.05) {
        const s = tr.statics;
        return {
          type: 19,
          repeat: 0,
          mmsi: tr.mmsi,
          reserved: 0,
          sog,
          accuracy: false,
          lon: qlon,
          lat: qlat,
          cog,
          heading,
          second,
          regional: 0,
          shipName: s.shipName,
          shipType: s.shipType,
          toBow: s.toBow,
          toStern: s.toStern,
          toPort: s.toPort,
          toStarboard: s.toStarboard,
          epfd: 1,
          raim: false,
          dte: 1,
          assigned: false,
        };
      }
      return {
        type: 18,
        repeat: 0,
        mmsi: tr.mmsi,
        reserved: 0,
        sog,
        accuracy: false,
        lon: qlon,
        lat: qlat,
        cog,
        heading,
        second,
        regional: 0,
        cs: true,
        display: false,
        dsc: true,
        band: true,
        msg22: true,
        assigned: false,
        raim: false,
        radio: v.radio,
      };
    }
    const roll = this.rng();
    const type = roll < 0.8 ? 1 : roll < 0.95 ? 3 : 2;
    const rotRaw = rotToRaw(Math.abs(tr.rot) < 0.5 ? 0 : tr.rot);
    return {
      type,
      repeat: 0,
      mmsi: tr.mmsi,
      navStatus: tr.navStatus,
      rot: rateOfTurn(rotRaw),
      rotRaw,
      sog,
      accuracy: this.rng() < 0.3,
      lon: qlon,
      lat: qlat,
      cog,
      heading,
      second,
      maneuver: 0,
      raim: false,
      radio: v.radio,
    } as EncodableMessage;
  }

  private staticA(v: VesselState): EncodableMessage {
    const s = v.track.statics;
    return {
      type: 5,
      repeat: 0,
      mmsi: v.track.mmsi,
      aisVersion: 2,
      imo: s.imo,
      callsign: s.callsign,
      shipName: s.shipName,
      shipType: s.shipType,
      toBow: s.toBow,
      toStern: s.toStern,
      toPort: s.toPort,
      toStarboard: s.toStarboard,
      epfd: 1,
      eta: s.eta,
      draught: s.draught,
      destination: s.destination === '' ? null : s.destination,
      dte: 0,
    };
  }

  private staticB(v: VesselState): [EncodableMessage, EncodableMessage] {
    const s = v.track.statics;
    const mmsi = v.track.mmsi;
    const serial = mmsi % 1_000_000;
    return [
      { type: 24, repeat: 0, mmsi, partNo: 0, shipName: s.shipName },
      {
        type: 24,
        repeat: 0,
        mmsi,
        partNo: 1,
        shipType: s.shipType,
        vendorId: vendorIdText('SRT', 1, serial),
        model: 1,
        serial,
        callsign: s.callsign,
        toBow: s.toBow,
        toStern: s.toStern,
        toPort: s.toPort,
        toStarboard: s.toStarboard,
        mothershipMmsi: null,
      },
    ];
  }
}

const GARBAGE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,.;:<>?!@#$%&()[]{}=+-_ ';

/**
 * NMEA traffic: each call returns one AIS message as tag-blocked lines
 * `\s:<source>,c:<time>*hh\!AIVDM,...`.
 */
export function createTrafficGenerator(opts: TrafficGeneratorOptions): TrafficGenerator {
  const core = new TrafficCore(opts);
  const counts: Record<GeneratedKind, number> = { good: 0, duplicate: 0, late: 0, corrupt: 0 };
  const seqBySource = new Map<string, number>();
  const tagTime = opts.tagTimeMs === true ? (t: number) => t : (t: number) => t - (t % 1000);
  const rng = core.rng;

  const timeUnit = opts.tagTimeMs === true ? 'ms' : 's';

  function tag(source: string, ts: number): string {
    return tagBlockPrefix({ station: source, time: ts, timeUnit });
  }

  /** The lines of `sentences` re-stamped as heard by `source` at `ts`. */
  function retag(lines: readonly string[], source: string, ts: number): string[] {
    const prefix = tag(source, ts);
    return lines.map((l) => prefix + l.slice(l.indexOf('!')));
  }

  function encode(r: Report, ts: number): string[] {
    const { payload, fillBits } = encodePayload(r.message);
    let seqId: number | null = null;
    if (payload.length > 60) {
      seqId = seqBySource.get(r.source) ?? 0;
      seqBySource.set(r.source, (seqId + 1) % 10);
    }
    // Every part repeats the tag block: with a station and no group, that is what ties them.
    const prefix = tag(r.source, ts);
    return toSentences(payload, fillBits, { channel: rng() < 0.5 ? 'A' : 'B', seqId }).map((l) => prefix + l);
  }

  function corrupt(lines: string[], variant: number): { lines: string[]; reason: RejectionReason } {
    const line = lines[0] as string;
    const bang = line.indexOf('!');
    const head = line.slice(0, bang);
    const sentence = line.slice(bang);
    const star = sentence.lastIndexOf('*');
    const body = sentence.slice(1, star);
    const reseal = (b: string): string => `${head}!${b}*${checksumHex(nmeaChecksum(b))}`;
    const fields = body.split(',');
    const payload = fields[5] ?? '';
    switch (variant) {
      case 0: {
        // A flipped bit on the link: checksum no longer matches.
        const sum = nmeaChecksum(body) ^ (1 + Math.floor(rng() * 255));
        return { lines: [`${head}!${body}*${checksumHex(sum)}`], reason: 'bad_checksum' };
      }
      case 1: {
        // The line was cut in the middle of its payload.
        const cut = Math.max(1, Math.floor(rng() * payload.length));
        return { lines: [head + sentence.slice(0, sentence.indexOf(payload) + cut)], reason: 'malformed_sentence' };
      }
      case 2: {
        // Line noise right after a sentence start, no checksum.
        let junk = '!AIVDM,';
        const n = 10 + Math.floor(rng() * 50);
        for (let i = 0; i < n; i++) junk += GARBAGE_CHARS.charAt(Math.floor(rng() * GARBAGE_CHARS.length));
        return { lines: [junk], reason: 'malformed_sentence' };
      }
      case 3: {
        // Characters outside the 6-bit alphabet, checksummed so only the payload check catches it.
        const at = Math.floor(rng() * payload.length);
        fields[5] = payload.slice(0, at) + 'x' + payload.slice(at + 1);
        return { lines: [reseal(fields.join(','))], reason: 'bad_payload_char' };
      }
      case 4: {
        // Framing intact but only the first few characters of the payload.
        fields[5] = payload.slice(0, 5 + Math.floor(rng() * 8));
        return { lines: [reseal(fields.join(','))], reason: 'payload_too_short' };
      }
      default: {
        fields[6] = String(6 + Math.floor(rng() * 4));
        return { lines: [reseal(fields.join(','))], reason: 'bad_fill_bits' };
      }
    }
  }

  function next(nowMs: number): GeneratedMessage {
    const r = core.next(nowMs);
    const ts = tagTime(r.receivedAt);
    let lines: string[];
    let reason: RejectionReason | null = null;
    if (r.sameAs !== null) {
      lines = retag(r.sameAs.lines, r.source, ts);
    } else {
      lines = encode(r, ts);
    }
    if (r.kind === 'corrupt') {
      const c = corrupt(lines, r.corruption);
      lines = c.lines;
      reason = c.reason;
    }
    const msg: GeneratedMessage = {
      line: lines.length === 1 ? (lines[0] as string) : lines.join('\n'),
      lines,
      kind: r.kind,
      mmsi: r.vessel.track.mmsi,
      source: r.source,
      ts,
      msgType: r.message.type,
      message: r.message,
      expectedReason: reason,
    };
    if (r.kind === 'good') core.noteGood(r, msg);
    counts[r.kind]++;
    return msg;
  }

  return {
    next,
    fleet: core.vessels.map((v) => v.track),
    counts,
    get eventTimeMs() {
      return core.eventTimeMs;
    },
  };
}

export interface GeneratedRecord {
  readonly message: NormalizedMessage;
  readonly kind: GeneratedKind;
  /** For `corrupt`: the validation rejection the normalizer must give. */
  readonly expectedReason: RejectionReason | null;
}

export interface NormalizedGenerator {
  next(nowMs: number): GeneratedRecord;
  readonly fleet: readonly VesselTrack[];
  readonly counts: Readonly<Record<GeneratedKind, number>>;
}

/**
 * The same traffic as normalized messages, for benchmarks that skip decoding. Values are
 * quantized exactly as the AIS encoding would quantize them, so a normalized record equals what
 * decoding and normalizing the corresponding NMEA lines would give. Corrupt records carry values
 * that validation must refuse (position out of range, invalid MMSI, time before 1990).
 * Class B static data comes as one record (parts A and B merged), as the decoder's merger gives.
 */
export function createNormalizedGenerator(opts: TrafficGeneratorOptions): NormalizedGenerator {
  const core = new TrafficCore(opts);
  const counts: Record<GeneratedKind, number> = { good: 0, duplicate: 0, late: 0, corrupt: 0 };
  let line = 0;

  function next(nowMs: number): GeneratedRecord {
    let r = core.next(nowMs);
    // Part A of a class B pair is folded into part B's record.
    if (r.message.type === 24 && r.message.partNo === 0) r = core.next(nowMs);
    line++;
    const ts = opts.tagTimeMs === true ? r.receivedAt : r.receivedAt - (r.receivedAt % 1000);
    const origin = { file: 'generator', line };
    const m = r.message;
    let message: NormalizedMessage;
    if (m.type === 5 || m.type === 24) {
      const s = r.vessel.track.statics;
      const st: StaticReport = {
        kind: 'static',
        mmsi: m.mmsi,
        ts,
        name: s.shipName,
        callsign: s.callsign,
        imo: m.type === 5 ? m.imo : null,
        shipType: s.shipType,
        toBow: s.toBow,
        toStern: s.toStern,
        toPort: s.toPort,
        toStarboard: s.toStarboard,
        draught: m.type === 5 ? m.draught : null,
        destination: m.type === 5 ? m.destination : null,
        source: r.source,
        msgType: m.type,
        origin,
      };
      message = st;
    } else {
      const p = m as Extract<EncodableMessage, { type: 1 | 2 | 3 | 18 | 19 }>;
      const pos: PositionReport = {
        kind: 'position',
        mmsi: p.mmsi,
        ts,
        lat: p.lat as number,
        lon: p.lon as number,
        sog: p.sog,
        cog: p.cog,
        heading: p.heading,
        navStatus: p.type <= 3 ? (p as { navStatus: number }).navStatus : null,
        source: r.source,
        msgType: p.type,
        origin,
      };
      message = pos;
    }
    let expectedReason: RejectionReason | null = null;
    if (r.kind === 'corrupt') {
      if (r.corruption % 3 === 0 && message.kind === 'position') {
        message = { ...message, lat: 91 + r.corruption };
        expectedReason = 'position_out_of_range';
      } else if (r.corruption % 3 === 1) {
        message = { ...message, mmsi: 12345 };
        expectedReason = 'bad_mmsi';
      } else {
        message = { ...message, ts: Date.UTC(1985, 0, 1) };
        expectedReason = 'time_before_1990';
      }
    }
    if (r.kind === 'good') core.noteGood(r, null);
    counts[r.kind]++;
    return { message, kind: r.kind, expectedReason };
  }

  return { next, fleet: core.vessels.map((v) => v.track), counts };
}
