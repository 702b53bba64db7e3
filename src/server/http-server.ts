/**
 * The HTTP edge: `POST /v1/messages` (ingest), `GET /metrics` (Prometheus), `GET /healthz`.
 * node:http only. Parsing and pipeline work belong to the `ingest` callback; this file owns the
 * protocol: media types, body limits, back-pressure (503 + Retry-After), status codes, and a
 * graceful close that lets in-flight requests finish. Other `/v1/` paths go to the read API
 * (read-api.ts) when one is given, and `authorize` (a bearer token) guards all but /healthz and
 * /metrics.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { IngestBody } from './ingest-body.js';
import { IngestOverloadedError } from './ingest-overloaded-error.js';
import { errorMessage } from '../errors/error-message.js';
import { BodyReadError, discardRest, readLimitedBody, streamLimitedBody, type BodyReadFailure } from './read-limited-body.js';
import type { ReadApi } from './read-api.js';
import { UNAUTHENTICATED_PATHS } from './bearer-auth.js';

export interface IngestError {
  readonly line: number;
  readonly reason: string;
  readonly detail: string;
}

export interface IngestResult {
  /** Messages now durable: stored, or dead-lettered to Redis or the fsynced spool. */
  readonly accepted: number;
  readonly rejected: number;
  readonly errors: IngestError[];
  /** The body held nothing but whitespace. */
  readonly empty?: boolean;
  /** Reading a streamed body failed part-way; what was accepted before that stays accepted. */
  readonly bodyError?: Error | null;
  /** Messages that could be neither stored nor dead-lettered: answered 503 so the sender retries. */
  readonly notStored?: number;
  readonly notStoredReason?: string;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly checks: Record<string, { ok: boolean; detail: string }>;
}

export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port (see the returned `url`). */
  readonly port: number;
  readonly registry: Registry;
  /**
   * Parses and submits a body. `contentType` is the bare media type, lower-cased:
   * `text/plain` (NMEA lines), `application/json` (one object or an array) or
   * `application/x-ndjson` (JSON lines; `application/jsonl` and friends are mapped to it).
   * Throw IngestOverloadedError to answer 503.
   */
  readonly ingest: (body: IngestBody, contentType: string) => Promise<IngestResult>;
  readonly health: () => Promise<HealthReport>;
  /** Checked before a body is read: true answers 503 at once, so an overloaded pipeline costs no upload. */
  readonly overloaded?: () => boolean;
  /**
   * Checked before a body is read: non-null answers 503 with its Retry-After, e.g. while batches
   * cannot be stored nor dead-lettered, so nothing is taken that cannot be kept.
   */
  readonly unavailable?: () => { readonly reason: string; readonly retryAfterSeconds: number } | null;
  /** Decompressed limit of a JSON document, which is read whole. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Decompressed limit of a line body (NMEA, JSON lines, CSV), which is streamed. Default 1 GiB. */
  readonly maxStreamBytes?: number;
  /** Ingest requests handled at once before answering 503. Default 64. */
  readonly maxConcurrentIngests?: number;
  /** At most this many errors are listed in a response (all are counted). Default 100. */
  readonly maxErrorsInResponse?: number;
  /**
   * Whole-request deadline. Default 10 min: a streamed body is read only as fast as the pipeline
   * stores it, so a large upload legitimately takes minutes; slow headers are cut at 10 s.
   */
  readonly requestTimeoutMs?: number;
  /** How long close() waits for in-flight requests before cutting connections. Default 10 s. */
  readonly closeTimeoutMs?: number;
  /** Unexpected failures (a throwing health check, ingest or registry). */
  readonly onError?: (err: unknown, where: string) => void;
  /** GET routes with path parameters (read-api.ts): every `/v1/` path not in the table below goes to it. */
  readonly read?: ReadApi;
  /** The live map (map/map-routes.ts): `GET /`, its assets and endpoints; asked before the read API. */
  readonly map?: Pick<ReadApi, 'route'>;
  /**
   * Checks the `Authorization` header of every request except /healthz and /metrics; false
   * answers 401. Absent: no authentication (serve on a loopback address).
   */
  readonly authorize?: (authorization: string | undefined) => boolean;
}

export interface RunningHttpServer {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  close(): Promise<void>;
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  'text/plain': 'text/plain',
  'text/x-nmea': 'text/plain',
  'application/x-nmea': 'text/plain',
  'application/json': 'application/json',
  'application/x-ndjson': 'application/x-ndjson',
  'application/ndjson': 'application/x-ndjson',
  'application/jsonl': 'application/x-ndjson',
  'application/x-jsonlines': 'application/x-ndjson',
  'application/jsonlines': 'application/x-ndjson',
  'application/json-lines': 'application/x-ndjson',
};

/** Long enough for a breaker to probe the failed store again, short enough to resume soon. */
const NOT_STORED_RETRY_S = 5;

const ACCEPTED_TYPES = 'text/plain (NMEA lines), application/json, application/x-ndjson';

/** The bare media type to hand to ingest, or an explanation of why it is refused. */
function mediaTypeOf(header: string | undefined): { ok: true; type: string } | { ok: false; detail: string } {
  // NMEA is the native format: a bare `curl -T file` sends no content type.
  if (header === undefined || header.trim() === '') return { ok: true, type: 'text/plain' };
  const [rawType, ...params] = header.split(';');
  const type = MEDIA_TYPES[(rawType ?? '').trim().toLowerCase()];
  if (type === undefined) return { ok: false, detail: `unsupported content-type "${header}"; send ${ACCEPTED_TYPES}` };
  for (const p of params) {
    const [k, v] = p.split('=');
    if ((k ?? '').trim().toLowerCase() !== 'charset') continue;
    const cs = (v ?? '').trim().replace(/^"|"$/g, '').toLowerCase();
    if (cs !== 'utf-8' && cs !== 'utf8' && cs !== 'us-ascii') return { ok: false, detail: `unsupported charset "${cs}"; send UTF-8` };
  }
  return { ok: true, type };
}

/** Whitespace read ahead to tell an empty body from a real one; past it, ingest decides. */
const EMPTY_PROBE_CHARS = 1024 * 1024;

/**
 * Reads a streamed body up to its first non-blank character, so an empty body is answered 400
 * without calling ingest. `body` replays what was read ahead (line numbers stay right), then the
 * rest; null when the body ended blank.
 */
async function skipToContent(chunks: AsyncGenerator<string>): Promise<{ body: AsyncIterable<string> | null; failure: BodyReadFailure | null }> {
  const ahead: string[] = [];
  let chars = 0;
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done === true) return { body: ahead.some((c) => c.trim() !== '') ? replay(ahead, chunks) : null, failure: null };
      ahead.push(next.value);
      chars += next.value.length;
      if (next.value.trim() !== '' || chars > EMPTY_PROBE_CHARS) return { body: replay(ahead, chunks), failure: null };
    }
  } catch (err) {
    if (err instanceof BodyReadError) return { body: null, failure: err.failure };
    throw err;
  }
}

async function* replay(ahead: readonly string[], rest: AsyncGenerator<string>): AsyncGenerator<string> {
  yield* ahead;
  yield* rest;
}

export function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const maxStream = opts.maxStreamBytes ?? 1024 * 1024 * 1024;
  const maxConcurrent = opts.maxConcurrentIngests ?? 64;
  const maxErrors = opts.maxErrorsInResponse ?? 100;
  // Past the limit the rest of an upload is read and discarded up to this much, so the client can
  // read the 413 instead of seeing a reset connection; bigger uploads are cut off.
  const drainLimit = Math.max(4 * maxBody, 8 * 1024 * 1024);
  const onError = opts.onError ?? (() => {});
  let ingesting = 0;
  let closing = false;

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    // During shutdown, finish the request but do not keep its connection alive.
    if (closing) headers = { ...headers, connection: 'close' };
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(text);
  }

  function sendTooLarge(res: ServerResponse, limit: number, extra: object = {}): void {
    res.setHeader('connection', 'close');
    sendJson(res, 413, { ...extra, error: `body is over the ${limit}-byte limit (after decompression); split it into smaller requests` });
  }

  function sendEmptyBody(res: ServerResponse): void {
    sendJson(res, 400, { accepted: 0, rejected: 0, errors: [], error: 'empty body: send at least one message' });
  }

  /** Answers a body that could not be read; false for a client that went away (nobody to answer). */
  function sendBodyFailure(res: ServerResponse, f: BodyReadFailure): boolean {
    if (f.kind === 'too_large') sendTooLarge(res, f.limit);
    else if (f.kind === 'bad_encoding') sendJson(res, 415, { error: f.detail });
    else return false;
    return true;
  }

  async function handleIngest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const media = mediaTypeOf(req.headers['content-type']);
    if (!media.ok) {
      sendJson(res, 415, { error: media.detail });
      req.resume();
      return;
    }
    const down = opts.unavailable?.() ?? null;
    if (down !== null) {
      const retry = String(Math.max(1, Math.ceil(down.retryAfterSeconds)));
      res.setHeader('connection', 'close');
      sendJson(res, 503, { error: `${down.reason}: retry later`, retryAfterSeconds: Number(retry) }, { 'retry-after': retry });
      req.resume();
      return;
    }
    if (opts.overloaded?.() === true || ingesting >= maxConcurrent) {
      res.setHeader('connection', 'close');
      sendJson(res, 503, { error: 'pipeline overloaded: retry later', retryAfterSeconds: 1 }, { 'retry-after': '1' });
      req.resume();
      return;
    }
    // A JSON document has to be parsed whole; lines are streamed through with back-pressure.
    const streamed = media.type !== 'application/json';
    const limit = streamed ? maxStream : maxBody;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > Math.max(drainLimit, limit)) {
      sendTooLarge(res, limit);
      return;
    }
    ingesting++;
    try {
      let body: IngestBody;
      if (streamed && !(Number.isFinite(declared) && declared > limit)) {
        const stream = await skipToContent(streamLimitedBody(req, limit));
        if (stream.failure !== null) {
          if (!sendBodyFailure(res, stream.failure)) res.destroy();
          return;
        }
        if (stream.body === null) {
          sendEmptyBody(res);
          return;
        }
        body = stream.body;
      } else {
        const read = await readLimitedBody(req, limit, drainLimit);
        if (!read.ok) {
          const f = read.failure;
          if (!sendBodyFailure(res, f) && f.kind === 'aborted' && !res.headersSent && !res.destroyed) sendJson(res, 400, { error: f.detail });
          return;
        }
        body = read.body.toString('utf8');
        if (body.trim() === '') {
          sendEmptyBody(res);
          return;
        }
      }
      let result: IngestResult;
      try {
        result = await opts.ingest(body, media.type);
      } catch (err) {
        discardRest(req, drainLimit);
        if (err instanceof IngestOverloadedError) {
          const retry = String(Math.max(1, Math.ceil(err.retryAfterSeconds)));
          sendJson(res, 503, { error: `${err.message}: retry later`, retryAfterSeconds: Number(retry) }, { 'retry-after': retry });
          return;
        }
        if (err instanceof BodyReadError) {
          if (!sendBodyFailure(res, err.failure)) res.destroy();
          return;
        }
        onError(err, 'ingest');
        sendJson(res, 500, { error: `ingest failed: ${errorMessage(err)}` });
        return;
      }
      const errors = result.errors.slice(0, maxErrors);
      const payload = {
        accepted: result.accepted,
        rejected: result.rejected,
        errors,
        ...(result.errors.length > errors.length ? { errorsTruncated: result.errors.length - errors.length } : {}),
      };
      const notStored = result.notStored ?? 0;
      const bodyError = result.bodyError ?? null;
      if (notStored > 0 || bodyError !== null) {
        // Ingest stopped before the end of the body: what was not read is not wanted.
        res.setHeader('connection', 'close');
        discardRest(req, drainLimit);
      }
      if (notStored > 0) {
        // Not acknowledged: the sender must retry. Whatever of it was accepted is stored, and
        // storage is idempotent for messages that carry their time, so a retry adds nothing twice.
        const why = result.notStoredReason ?? 'the stores and the dead-letter queue are unavailable';
        sendJson(
          res,
          503,
          {
            ...payload,
            notStored,
            error: `${notStored} messages could be neither stored nor dead-lettered (${why}): retry later`,
            retryAfterSeconds: NOT_STORED_RETRY_S,
          },
          { 'retry-after': String(NOT_STORED_RETRY_S) },
        );
        return;
      }
      if (bodyError !== null) {
        const f = bodyError instanceof BodyReadError ? bodyError.failure : ({ kind: 'aborted', detail: bodyError.message } as const);
        if (f.kind === 'aborted') {
          // Nobody is left to read an answer; what was accepted before the cut stays accepted.
          res.destroy();
          return;
        }
        const partial = { ...payload, ...(result.accepted > 0 ? { note: `the first ${result.accepted} messages were accepted before the body failed` } : {}) };
        if (f.kind === 'too_large') sendTooLarge(res, f.limit, partial);
        else sendJson(res, 415, { ...partial, error: f.detail });
        return;
      }
      if (result.empty === true) {
        sendEmptyBody(res);
        return;
      }
      // A body in which nothing was usable is the client's mistake: say so with the reasons.
      sendJson(res, result.accepted === 0 ? 400 : 202, payload);
    } finally {
      ingesting--;
    }
  }

  async function handleMetrics(res: ServerResponse): Promise<void> {
    try {
      const text = await opts.registry.metrics();
      res.writeHead(200, { 'content-type': opts.registry.contentType, 'cache-control': 'no-store', ...(closing ? { connection: 'close' } : {}) });
      res.end(text);
    } catch (err) {
      onError(err, 'metrics');
      sendJson(res, 500, { error: `metrics failed: ${errorMessage(err)}` });
    }
  }

  async function handleHealth(res: ServerResponse): Promise<void> {
    let report: HealthReport;
    try {
      report = await opts.health();
    } catch (err) {
      onError(err, 'health');
      report = { ok: false, checks: { health: { ok: false, detail: `health check threw: ${errorMessage(err)}` } } };
    }
    const ok = report.ok && !closing;
    const checks = closing ? { ...report.checks, server: { ok: false, detail: 'shutting down' } } : report.checks;
    sendJson(res, ok ? 200 : 503, { ok, checks });
  }

  const routes: Record<string, { methods: string[]; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> }> = {
    '/v1/messages': { methods: ['POST'], handle: handleIngest },
    '/metrics': { methods: ['GET', 'HEAD'], handle: (_req, res) => handleMetrics(res) },
    '/healthz': { methods: ['GET', 'HEAD'], handle: (_req, res) => handleHealth(res) },
  };

  async function handleRead(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    req.resume();
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    let r = (await opts.map?.route(req.method ?? '', path, query)) ?? null;
    if (r === null && opts.read !== undefined && path.startsWith('/v1/')) r = await opts.read.route(req.method ?? '', path, query);
    if (r === null) {
      sendJson(res, 404, {
        error: path.startsWith('/v1/')
          ? `no route ${path}; try GET /v1/vessels/{mmsi}, /v1/vessels/{mmsi}/track, /v1/near, /v1/search`
          : `no route ${path}; try GET / (the live map), POST /v1/messages, GET /metrics, GET /healthz`,
      });
      return;
    }
    res.writeHead(r.status, {
      'content-type': r.contentType,
      'content-length': String(Buffer.byteLength(r.body)),
      'cache-control': 'no-store',
      ...r.headers,
      ...(closing ? { connection: 'close' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : r.body);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (opts.authorize !== undefined && !UNAUTHENTICATED_PATHS.has(path) && !opts.authorize(req.headers.authorization)) {
      // Nothing of an unauthenticated upload is read: close the connection after the answer.
      res.setHeader('connection', 'close');
      sendJson(
        res,
        401,
        { error: 'missing or wrong bearer token: send Authorization: Bearer <token> (the --token-file of aisctl serve)' },
        { 'www-authenticate': 'Bearer realm="aisctl"' },
      );
      req.resume();
      return;
    }
    const route = routes[path];
    if (route === undefined && (opts.map !== undefined || (opts.read !== undefined && path.startsWith('/v1/')))) {
      handleRead(req, res, path).catch((err: unknown) => {
        onError(err, path);
        if (!res.headersSent) sendJson(res, 500, { error: errorMessage(err) });
        else res.destroy();
      });
      return;
    }
    if (route === undefined) {
      sendJson(res, 404, { error: `no route ${path}; try POST /v1/messages, GET /metrics, GET /healthz` });
      req.resume();
      return;
    }
    if (!route.methods.includes(req.method ?? '')) {
      sendJson(res, 405, { error: `${req.method ?? '?'} not allowed on ${path}` }, { allow: route.methods.join(', ') });
      req.resume();
      return;
    }
    route.handle(req, res).catch((err: unknown) => {
      onError(err, path);
      if (!res.headersSent) sendJson(res, 500, { error: errorMessage(err) });
      else res.destroy();
    });
  });
  server.requestTimeout = opts.requestTimeoutMs ?? 600_000;
  server.headersTimeout = Math.min(server.requestTimeout, 10_000);
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
    void err;
  });

  return new Promise((resolve, reject) => {
    const onListenError = (err: NodeJS.ErrnoException): void => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'address already in use; pick another port'
          : err.code === 'EACCES'
            ? 'permission denied; use a port above 1023'
            : err.message;
      reject(new Error(`cannot listen on ${opts.host}:${opts.port}: ${why}`));
    };
    server.once('error', onListenError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onListenError);
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
      let closed: Promise<void> | null = null;
      resolve({
        url: `http://${host}:${addr.port}`,
        close() {
          closed ??= new Promise<void>((done) => {
            closing = true;
            const timer = setTimeout(() => server.closeAllConnections(), opts.closeTimeoutMs ?? 10_000);
            timer.unref();
            // close() stops accepting and resolves once every connection has ended; idle
            // keep-alive connections are closed now, busy ones after their response.
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          });
          return closed;
        },
      });
    });
  });
}
