/**
 * Drives `POST /v1/messages` with autocannon at a fixed request rate and reports autocannon's own
 * figures, with warnings where they do not mean what a reader would assume.
 *
 * What autocannon measures here (v8, `overallRate`), read from its source:
 * - The rate is split across connections; each connection may send its share per one-second
 *   window and is then paused until the window resets. Within a window a connection sends
 *   back to back, so load arrives in bursts at each second's start, not evenly spaced.
 * - Each connection is closed-loop (pipelining 1): it sends its next request only after the
 *   previous response. If the server slows down, requests go out later than intended, or not
 *   at all within the window, and that waiting is never counted (coordinated omission).
 * - Latency is timed from when a request is written to the socket to its last response byte, at
 *   1 ms resolution: service time seen by a connection that was free, not latency from the
 *   intended send time. autocannon records non-2xx latencies too by default (a fast 503 would
 *   flatter the percentiles); this driver sets `excludeErrorStats` so only 2xx are recorded.
 * - Its `requests.sent` over-counts in rate mode: it adds each connection's whole per-second
 *   budget at start-up to make up for the first request it cannot observe. This driver counts
 *   sent requests itself, one per generated body (a body is built only when a request goes out).
 * - Responses still in flight when the duration ends are not counted.
 * - Its built-in correction (`ignoreCoordinatedOmission: false`) back-fills with an expected
 *   interval of `ceil(1 / rate)` = 1 ms (seconds and milliseconds mixed up), adding a synthetic
 *   sample at every millisecond below each response time. That is neither service time nor
 *   intended-time latency, so this driver turns it off unless asked.
 * - autocannon runs on the caller's thread: against a server in the same process, both share one
 *   core, and the generator's cost (`nextLines`) is paid there too.
 * For latency from the intended send time, use the open-model scheduler of the load harness;
 * this driver answers "what does the HTTP edge sustain, and what is its service time".
 */
import autocannon from 'autocannon';
import { errorMessage } from '../errors/error-message.js';

export interface HttpLoadOptions {
  /** Server base URL (`http://host:port`) or the full ingest URL. */
  readonly url: string;
  /** Intended requests per second over all connections (autocannon `overallRate`). */
  readonly rate: number;
  readonly connections: number;
  readonly durationSeconds: number;
  /** NMEA lines per request body. */
  readonly linesPerRequest: number;
  /** Produces the next `count` NMEA lines; called once per request, on this thread. */
  readonly nextLines: (count: number) => readonly string[];
  /** Default `text/plain`. */
  readonly contentType?: string;
  /** Per-request timeout, seconds. Default 10. */
  readonly timeoutSeconds?: number;
  /** Keep autocannon's own coordinated-omission back-fill (see the module comment). Default false. */
  readonly autocannonCorrection?: boolean;
  /** Stops the run early; the result covers what was done. */
  readonly signal?: AbortSignal;
}

export interface HttpLoadLatency {
  /** Recorded samples (2xx responses; more than responses if autocannon's correction is on). */
  readonly samples: number;
  readonly min: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p90: number;
  readonly p97_5: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly max: number;
}

export interface HttpLoadResult {
  readonly targetRate: number;
  readonly connections: number;
  /** Seconds autocannon actually ran. */
  readonly durationSeconds: number;
  /** Requests the schedule intended: rate x duration. */
  readonly intendedRequests: number;
  /** Requests actually written (counted here: autocannon's own figure over-counts in rate mode). */
  readonly sent: number;
  /** Responses of any status. */
  readonly completed: number;
  readonly ok2xx: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** 2xx responses per second over the run. */
  readonly achievedRate: number;
  /** NMEA lines in requests answered 2xx. */
  readonly linesAccepted: number;
  /** Milliseconds, from socket write to response (see the module comment). */
  readonly latencyMs: HttpLoadLatency;
  readonly autocannonCorrection: boolean;
  readonly warnings: readonly string[];
}

/** Always part of the result: what the latency figures are and are not. */
export const COORDINATED_OMISSION_NOTE =
  'autocannon latency is timed from socket write, per closed-loop connection, with per-second bursts: ' +
  'time a request waited to be sent (a busy connection, an exhausted second) is not counted, so it is ' +
  'service time, not latency from the intended send time; use the open-model harness for that';

function ingestUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/messages';
  return u.toString();
}

function validate(o: HttpLoadOptions): void {
  const positive: Array<[string, number]> = [
    ['rate', o.rate],
    ['connections', o.connections],
    ['durationSeconds', o.durationSeconds],
    ['linesPerRequest', o.linesPerRequest],
  ];
  for (const [name, v] of positive) {
    if (!Number.isFinite(v) || v <= 0) throw new Error(`http load: ${name} must be > 0, got ${v}`);
  }
  if (!Number.isInteger(o.connections) || !Number.isInteger(o.linesPerRequest)) throw new Error('http load: connections and linesPerRequest must be integers');
}

export function runHttpLoad(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  validate(opts);
  const url = ingestUrl(opts.url);
  const correction = opts.autocannonCorrection ?? false;
  const rate = Math.max(1, Math.round(opts.rate));
  // autocannon lowers connections to the rate when the rate is smaller; mirror it for reporting.
  const connections = Math.min(opts.connections, rate);
  const contentType = opts.contentType ?? 'text/plain';
  let bodyError: unknown = null;
  let bodiesBuilt = 0;

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections,
        overallRate: rate,
        duration: opts.durationSeconds,
        timeout: opts.timeoutSeconds ?? 10,
        pipelining: 1,
        ignoreCoordinatedOmission: !correction,
        excludeErrorStats: true,
        headers: { 'content-type': contentType },
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              let body = '';
              bodiesBuilt++;
              try {
                const lines = opts.nextLines(opts.linesPerRequest);
                body = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
              } catch (err) {
                bodyError ??= err;
              }
              return { ...req, body };
            },
          },
        ],
      },
      (err: unknown, result: autocannon.Result) => {
        opts.signal?.removeEventListener('abort', stop);
        if (err !== null && err !== undefined) {
          reject(new Error(`http load against ${url} failed: ${errorMessage(err)}`));
          return;
        }
        resolve(summarize(result, { rate, connections, correction, linesPerRequest: opts.linesPerRequest, bodyError, sent: bodiesBuilt }));
      },
    );
    const stop = (): void => instance.stop();
    if (opts.signal?.aborted === true) stop();
    else opts.signal?.addEventListener('abort', stop, { once: true });
  });
}

interface SummaryContext {
  readonly rate: number;
  readonly connections: number;
  readonly correction: boolean;
  readonly linesPerRequest: number;
  readonly bodyError: unknown;
  readonly sent: number;
}

function summarize(r: autocannon.Result, ctx: SummaryContext): HttpLoadResult {
  const duration = r.duration > 0 ? r.duration : 1;
  const byStatus: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) byStatus[code] = s.count ?? 0;
  const completed = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const ok2xx = r['2xx'];
  const intended = Math.round(ctx.rate * duration);
  const lat = r.latency as autocannon.Histogram & { totalCount?: number };
  const latencyMs: HttpLoadLatency = {
    samples: lat.totalCount ?? 0,
    min: lat.min,
    mean: lat.mean,
    stddev: lat.stddev,
    p50: lat.p50,
    p90: lat.p90,
    p97_5: lat.p97_5,
    p99: lat.p99,
    p99_9: lat.p99_9,
    max: lat.max,
  };

  const warnings: string[] = [COORDINATED_OMISSION_NOTE];
  if (ctx.sent < 0.95 * intended) {
    warnings.push(
      `sent ${ctx.sent} of ${intended} intended requests (${((100 * ctx.sent) / intended).toFixed(1)}%): ` +
        'the server or the connection count could not keep the rate; the latency figures omit the wait of every request that went out late or never',
    );
  }
  if (latencyMs.p50 > 0 && (ctx.connections * 1000) / latencyMs.p50 < ctx.rate) {
    warnings.push(
      `${ctx.connections} connections at p50 ${latencyMs.p50} ms fit about ${Math.floor((ctx.connections * 1000) / latencyMs.p50)} req/s, ` +
        `under the ${ctx.rate} req/s target: raise --connections`,
    );
  }
  if (ctx.correction) {
    warnings.push(
      `autocannon correction on: ${latencyMs.samples} latency samples for ${ok2xx} 2xx responses (it back-fills at 1 ms steps); percentiles are not service times`,
    );
  }
  if (r.non2xx > 0) warnings.push(`${r.non2xx} non-2xx responses (${JSON.stringify(byStatus)}); their latency is not in the percentiles`);
  if (ctx.sent > completed + r.errors) {
    warnings.push(`${ctx.sent - completed - r.errors} requests were still in flight when the run ended and are not counted`);
  }
  if (r.errors > 0) warnings.push(`${r.errors} connection errors (${r.timeouts} timeouts)`);
  if (ctx.bodyError !== null) {
    const msg = errorMessage(ctx.bodyError);
    warnings.push(`the line generator threw (${msg}); those requests were sent with an empty body`);
  }

  return {
    targetRate: ctx.rate,
    connections: ctx.connections,
    durationSeconds: r.duration,
    intendedRequests: intended,
    sent: ctx.sent,
    completed,
    ok2xx,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    byStatus,
    achievedRate: ok2xx / duration,
    linesAccepted: ok2xx * ctx.linesPerRequest,
    latencyMs,
    autocannonCorrection: ctx.correction,
    warnings,
  };
}
