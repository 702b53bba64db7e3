/**
 * One live feed's path into the pipeline: bytes -> lines (LineSplitter, with its length cap) ->
 * the parser (NMEA, or aisstream JSON for websockets) -> `submit`, with the feed's counters and
 * the pipeline's back-pressure. The transports (udp-feed.ts, tcp-listen-feed.ts, …) own the
 * sockets; this owns everything that happens to what they read, so each transport is only I/O.
 *
 * Fragment reassembly state lives in the parser, and each `FeedStream` has its own parser: one
 * per connection for TCP (a sender's half-finished multi-sentence message must not be completed by
 * another sender's sentences), one per feed for UDP (datagrams from one receiver continue each
 * other).
 *
 * Source: NMEA records take the tag block station (`s:`) when there is one, else the feed name,
 * which the NMEA reader uses as the default for a "file" of that name. aisstream messages carry
 * no station, so a websocket feed's messages are all the feed's.
 *
 * Feeds have no acknowledgement channel: every message is still submitted with a `done`
 * callback, so messages that could be neither stored nor dead-lettered are counted per feed
 * (`aisctl_feed_dropped_total{reason="not_stored"}`) instead of vanishing.
 *
 * While batches can be neither stored nor dead-lettered (`target.failing`), reading more would
 * only turn more input into `not_stored`: TCP and websocket input is paused, UDP datagrams are
 * dropped unread (`reason="failing"`). Nothing but a batch going through can end that state, so
 * one read per source (one datagram per UDP feed) is let through every `FAILING_PROBE_EVERY_MS`
 * as a probe, the way `serve` lets one HTTP request through (docs/resilience.md).
 */
import { StringDecoder } from 'node:string_decoder';
import { createParser } from '../formats/create-parser.js';
import { LineSplitter, lineTooLongDetail, type SplitLine } from '../formats/line-splitter.js';
import { NmeaParser } from '../formats/nmea-parser.js';
import type { RecordParser } from '../formats/record-parser.js';
import type { DecodeStats } from '../ais/decode-stats.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import type { MessageDone } from '../pipeline/pipeline.js';
import { createReceiptClock } from '../pipeline/receipt-clock.js';
import type { FeedSpec } from './feed-url.js';

/** What a feed needs of the pipeline (Pipeline satisfies it). */
export interface FeedTarget {
  submit(msg: NormalizedMessage, startMs: number, done: MessageDone): void;
  readonly saturated: boolean;
  drained(): Promise<void>;
  /** The last batch to finish could be neither stored nor dead-lettered. */
  readonly failing: boolean;
  /** Resolves once a batch is accepted again (at once when not failing). */
  recovered(): Promise<void>;
}

/**
 * Where a line's latency starts, given the time its bytes arrived (the default). Load tests map a
 * send number the line carries back to its intended send time.
 */
export type LineStartFn = (line: string, receivedMs: number) => number;

/** Same period as serve's refusal of HTTP ingest after a failed batch. */
export const FAILING_PROBE_EVERY_MS = 5_000;

export type FeedState = 'starting' | 'listening' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * `junk`: lines that are not NMEA at all (binary noise, free text). A file may carry such lines on
 * purpose and the reader skips them quietly; on a live feed they mean a misconfigured or hostile
 * sender, so they are counted. `kernel`: datagrams the kernel dropped before aisctl could read
 * them (a full receive buffer), as Linux counts them for the socket. `failing`: datagrams dropped
 * unread while batches could be neither stored nor dead-lettered.
 */
export type DropReason = 'saturated' | 'line_too_long' | 'junk' | 'connection_limit' | 'not_stored' | 'kernel' | 'failing';

export interface FeedStats {
  bytes: number;
  /** UDP only, dropped ones included. */
  datagrams: number;
  lines: number;
  /** Normalized messages handed to the pipeline. */
  messages: number;
  rejected: number;
  /** Valid records aisctl does not track (base stations, aids to navigation, …). */
  ignored: number;
  durable: number;
  notStored: number;
  reconnects: number;
  /** Times the feed's input was paused because the pipeline was saturated. */
  pauses: number;
  /** Times the feed's input was paused because batches could not be kept (see FeedTarget.failing). */
  failingPauses: number;
  readonly dropped: Record<DropReason, number>;
}

/** Something that can stop and restart delivering input: a socket, a websocket. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

export interface FeedRunnerOptions {
  readonly spec: FeedSpec;
  readonly target: FeedTarget;
  readonly metrics?: PipelineMetrics | null;
  /** Wall clock (ms since epoch): receive times, the future check, health ages. */
  readonly nowMs: () => number;
  /** The pipeline's latency clock (performance.now): a message's start time. */
  readonly clockMs: () => number;
  readonly maxFutureMs: number;
  readonly maxLineLength: number;
  readonly log?: (line: string) => void;
  readonly lineStartMs?: LineStartFn;
  /** Default FAILING_PROBE_EVERY_MS. */
  readonly failingProbeEveryMs?: number;
}

type Child = { inc(value?: number): void };

const LOG_EVERY_MS = 10_000;

export class FeedRunner {
  readonly spec: FeedSpec;
  readonly stats: FeedStats = {
    bytes: 0,
    datagrams: 0,
    lines: 0,
    messages: 0,
    rejected: 0,
    ignored: 0,
    durable: 0,
    notStored: 0,
    reconnects: 0,
    pauses: 0,
    failingPauses: 0,
    dropped: { saturated: 0, line_too_long: 0, junk: 0, connection_limit: 0, not_stored: 0, kernel: 0, failing: 0 },
  };
  readonly startedAtMs: number;
  state: FeedState = 'starting';
  /** Wall time of the last AIS record (message or ignored record); null before the first. */
  lastMessageAtMs: number | null = null;
  /** The transport's current situation in words (`connected to …`, `3 connections`). */
  describe: () => string = () => '';

  private readonly opts: FeedRunnerOptions;
  private readonly receipt: () => number;
  private readonly done: MessageDone;
  private readonly counters: {
    messages: Child;
    bytes: Child;
    datagrams: Child;
    reconnects: Child;
    dropped: Map<DropReason, Child>;
    droppedFor: (reason: DropReason) => Child;
  } | null;
  /** Held sources, with the probe timer of those held because the pipeline is failing. */
  private readonly held = new Map<Pausable, NodeJS.Timeout | null>();
  private readonly probeEveryMs: number;
  private lastDatagramProbeMs = Number.NEGATIVE_INFINITY;
  private kernelDropsSeen = 0;
  private readonly throttled = new Map<string, { at: number; suppressed: number }>();
  private sealed = false;

  constructor(opts: FeedRunnerOptions) {
    this.opts = opts;
    this.spec = opts.spec;
    this.startedAtMs = opts.nowMs();
    this.receipt = createReceiptClock(opts.nowMs);
    this.probeEveryMs = opts.failingProbeEveryMs ?? FAILING_PROBE_EVERY_MS;
    const m = opts.metrics?.feeds;
    const feed = opts.spec.name;
    // Children resolved once: a labelled inc hashes its label object on every call.
    this.counters =
      m === undefined
        ? null
        : {
            messages: m.messages.labels({ feed }),
            bytes: m.bytes.labels({ feed }),
            datagrams: m.datagrams.labels({ feed }),
            reconnects: m.reconnects.labels({ feed }),
            dropped: new Map(),
            droppedFor: (reason) => m.dropped.labels({ feed, reason }),
          };
    // Series at 0 from the start, so rate() and alerts see a feed that never delivered anything.
    for (const c of [this.counters?.messages, this.counters?.bytes, this.counters?.reconnects]) c?.inc(0);
    this.done = (durable) => {
      if (durable) {
        this.stats.durable++;
        return;
      }
      this.stats.notStored++;
      this.drop('not_stored');
    };
  }

  get format(): 'nmea' | 'aisstream' {
    return this.spec.kind === 'ws' ? 'aisstream' : 'nmea';
  }

  get maxLineLength(): number {
    return this.opts.maxLineLength;
  }

  get saturated(): boolean {
    return this.opts.target.saturated;
  }

  /** True while some input of this feed is paused for back-pressure. */
  get paused(): boolean {
    return this.held.size > 0;
  }

  get sealedForInput(): boolean {
    return this.sealed;
  }

  log(line: string): void {
    this.opts.log?.(`feed ${this.spec.name}: ${line}`);
  }

  /**
   * At most one line per `key` per interval, with the count of the ones left out: a peer that
   * floods connections or a feed that keeps failing must not flood the service's log.
   */
  logThrottled(key: string, line: string, everyMs = LOG_EVERY_MS): void {
    const now = this.opts.nowMs();
    const last = this.throttled.get(key);
    if (last !== undefined && now - last.at < everyMs) {
      last.suppressed++;
      return;
    }
    const more = last !== undefined && last.suppressed > 0 ? ` (${last.suppressed} more like it since the last report)` : '';
    this.throttled.set(key, { at: now, suppressed: 0 });
    this.log(line + more);
  }

  /** A new reader with its own line splitter and parser (fragment state): one per connection. */
  openStream(label = ''): FeedStream {
    return new FeedStream(
      this,
      createParser(this.format, {
        file: this.spec.name,
        source: this.format === 'aisstream' ? this.spec.name : undefined,
        maxFutureMs: this.opts.maxFutureMs,
      }),
      label,
    );
  }

  drop(reason: DropReason, n = 1): void {
    this.stats.dropped[reason] += n;
    const c = this.counters;
    if (c === null) return;
    let child = c.dropped.get(reason);
    if (child === undefined) {
      child = c.droppedFor(reason);
      c.dropped.set(reason, child);
    }
    child.inc(n);
  }

  reconnecting(): void {
    this.stats.reconnects++;
    this.counters?.reconnects.inc();
  }

  /**
   * Pauses `source` while the pipeline is saturated (until it drains) or failing (until a batch is
   * accepted again, or for one probe period). The reader then reads no further, so a TCP sender is
   * slowed down by its own window instead of by our memory, and nothing is read that could only be
   * lost.
   */
  holdIfBlocked(source: Pausable): void {
    const target = this.opts.target;
    if (this.held.has(source)) return;
    if (target.saturated) {
      this.held.set(source, null);
      this.stats.pauses++;
      source.pause();
      void target.drained().then(() => this.resume(source));
      return;
    }
    if (!target.failing) return;
    this.stats.failingPauses++;
    this.logThrottled(
      'failing',
      `batches can be neither stored nor dead-lettered: input paused, one read let through every ${this.probeEveryMs / 1000} s until a batch is kept`,
    );
    source.pause();
    // Unref'd: a shutdown must not wait for a probe that no longer matters.
    const timer = setTimeout(() => this.resume(source), this.probeEveryMs).unref();
    this.held.set(source, timer);
    void target.recovered().then(() => this.resume(source));
  }

  /**
   * Whether a datagram that just arrived goes on into the pipeline; counts it as dropped if not.
   * UDP cannot be paused, so this is its form of `holdIfBlocked`.
   */
  admitDatagram(): boolean {
    const target = this.opts.target;
    if (target.saturated) {
      this.drop('saturated');
      return false;
    }
    if (!target.failing) return true;
    const now = this.opts.clockMs();
    if (now - this.lastDatagramProbeMs >= this.probeEveryMs) {
      this.lastDatagramProbeMs = now;
      return true;
    }
    this.drop('failing');
    this.logThrottled('failing', 'batches can be neither stored nor dead-lettered: datagrams dropped unread until a batch is kept');
    return false;
  }

  private resume(source: Pausable): void {
    if (!this.held.has(source)) return;
    const timer = this.held.get(source);
    if (timer != null) clearTimeout(timer);
    this.held.delete(source);
    source.resume();
  }

  /** A closed source must not be resumed later. */
  release(source: Pausable): void {
    const timer = this.held.get(source);
    if (timer != null) clearTimeout(timer);
    this.held.delete(source);
  }

  /** After the transport closed: input still arriving (a late event) is ignored, never submitted. */
  seal(): void {
    this.sealed = true;
    for (const timer of this.held.values()) if (timer !== null) clearTimeout(timer);
    this.held.clear();
  }

  /**
   * The kernel's running count of datagrams it dropped for this feed's socket; the increase since
   * the last call is counted as `kernel` drops.
   */
  noteKernelDrops(total: number): void {
    if (total > this.kernelDropsSeen) this.drop('kernel', total - this.kernelDropsSeen);
    this.kernelDropsSeen = Math.max(this.kernelDropsSeen, total);
  }

  countDatagram(): void {
    this.stats.datagrams++;
    this.counters?.datagrams.inc();
  }

  /** @internal FeedStream's way in. */
  countBytes(n: number): void {
    this.stats.bytes += n;
    this.counters?.bytes.inc(n);
  }

  /** @internal */
  receiveTime(): number {
    return this.receipt();
  }

  /** @internal */
  nowMs(): number {
    return this.opts.nowMs();
  }

  /** @internal */
  clockMs(): number {
    return this.opts.clockMs();
  }

  /** @internal */
  get lineStart(): LineStartFn | undefined {
    return this.opts.lineStartMs;
  }

  /** @internal */
  submit(msg: NormalizedMessage, startMs: number): void {
    this.stats.messages++;
    this.counters?.messages.inc();
    this.opts.target.submit(msg, startMs, this.done);
  }

  /** @internal */
  reject(r: Rejection): void {
    this.stats.rejected++;
    const m = this.opts.metrics;
    if (m == null) return;
    m.rejections.inc({ reason: r.reason });
    m.messages.inc({ outcome: 'rejected' });
  }

  /** @internal */
  ignored(): void {
    this.stats.ignored++;
    this.opts.metrics?.messages.inc({ outcome: 'ignored' });
  }
}

/** Per-connection (or per-feed, for UDP) counters, for health details and close logs. */
export interface StreamStats {
  bytes: number;
  lines: number;
  messages: number;
  rejected: number;
}

/** One reader of a feed: a TCP connection, the UDP socket, a websocket connection. */
export class FeedStream {
  readonly stats: StreamStats = { bytes: 0, lines: 0, messages: 0, rejected: 0 };
  private readonly splitter: LineSplitter;
  private readonly decoder = new StringDecoder('utf8');
  private datagramLines = 0;
  /** When the bytes being read arrived. */
  private startMs = 0;
  /** Where the latency of the messages the current line completes starts. */
  private messageStartMs = 0;
  private ended = false;
  private readonly emit = (o: NormalizeOutcome): void => this.outcome(o);
  private readonly decodeStats: DecodeStats | null;

  constructor(
    private readonly runner: FeedRunner,
    private readonly parser: RecordParser,
    readonly label: string,
  ) {
    this.splitter = new LineSplitter(runner.maxLineLength);
    this.decodeStats = parser instanceof NmeaParser ? parser.decodeStats : null;
  }

  /** Stream bytes (TCP): a line may be spread over many chunks. */
  pushChunk(chunk: Buffer): void {
    if (!this.accept(chunk.length)) return;
    this.lines(this.splitter.push(this.decoder.write(chunk)));
  }

  /** One datagram: complete lines (CR/LF or LF separated); the last needs no line end. */
  pushDatagram(datagram: Buffer): void {
    if (!this.accept(datagram.length)) return;
    const text = datagram.toString('utf8');
    const max = this.runner.maxLineLength;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const lineNo = ++this.datagramLines;
      const n = stop - start;
      this.line(n > max ? { line: '', lineNo, tooLong: n } : { line: text.slice(start, stop), lineNo });
      start = end + 1;
    }
  }

  /** One whole record (a websocket message): never joined with the next. */
  pushRecord(data: Buffer): void {
    if (!this.accept(data.length)) return;
    const text = data.toString('utf8');
    const lineNo = ++this.datagramLines;
    // Raw line breaks cannot occur inside JSON strings, so a pretty-printed object is one record.
    this.line(text.length > this.runner.maxLineLength ? { line: '', lineNo, tooLong: text.length } : { line: text.replace(/\r?\n/g, ' '), lineNo });
  }

  /**
   * The connection is gone: its unterminated last line is read as a line (a half sentence is
   * rejected by its checksum, like a file's truncated last line), and the parser gives up the
   * fragments it still held (counted as rejections).
   */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.runner.sealedForInput) return;
    this.startMs = this.runner.clockMs();
    this.messageStartMs = this.startMs;
    const tail = this.decoder.end();
    this.lines([...(tail === '' ? [] : this.splitter.push(tail)), ...this.splitter.end()]);
    this.parser.finish(this.runner.nowMs(), this.emit);
  }

  private accept(bytes: number): boolean {
    if (this.ended || this.runner.sealedForInput) return false;
    this.stats.bytes += bytes;
    this.runner.countBytes(bytes);
    this.startMs = this.runner.clockMs();
    this.messageStartMs = this.startMs;
    return true;
  }

  private lines(lines: readonly SplitLine[]): void {
    for (const l of lines) this.line(l);
  }

  private line(l: SplitLine): void {
    this.stats.lines++;
    this.runner.stats.lines++;
    if (l.tooLong !== undefined) {
      this.runner.drop('line_too_long');
      this.rejected({
        reason: 'line_too_long',
        detail: lineTooLongDetail(l.tooLong, this.runner.maxLineLength),
        origin: { file: this.runner.spec.name, line: l.lineNo },
      });
      return;
    }
    if (l.line.trim() === '') return;
    const lineStart = this.runner.lineStart;
    this.messageStartMs = lineStart === undefined ? this.startMs : lineStart(l.line, this.startMs);
    const ds = this.decodeStats;
    const junkBefore = ds === null ? 0 : ds.junkLines;
    this.parser.parseLine(l.line, l.lineNo, this.runner.receiveTime(), this.emit);
    if (ds !== null && ds.junkLines > junkBefore) this.runner.drop('junk');
  }

  private rejected(r: Rejection): void {
    this.stats.rejected++;
    this.runner.reject(r);
  }

  private outcome(o: NormalizeOutcome): void {
    if (o.messages.length > 0 || o.ignored) this.runner.lastMessageAtMs = this.runner.nowMs();
    for (const m of o.messages) {
      this.stats.messages++;
      this.runner.submit(m, this.messageStartMs);
    }
    if (o.rejection !== null) this.rejected(o.rejection);
    if (o.ignored) this.runner.ignored();
  }
}
