import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { errorMessage } from '../errors/error-message.js';

export type BodyReadFailure =
  | { readonly kind: 'too_large'; readonly limit: number; readonly drained: boolean }
  | { readonly kind: 'bad_encoding'; readonly detail: string }
  | { readonly kind: 'aborted'; readonly detail: string };

export type BodyReadResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly failure: BodyReadFailure };

/**
 * Reads a request body up to `limit` bytes *after* decompression (a small gzip body can expand
 * to gigabytes). Over the limit, the rest of the upload is discarded up to `drainLimit` bytes so
 * the client can still read the 413; beyond that the caller should close the connection.
 */
export function readLimitedBody(req: IncomingMessage, limit: number, drainLimit: number): Promise<BodyReadResult> {
  return new Promise((resolve) => {
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    let source: Readable = req;
    if (encoding === 'gzip' || encoding === 'x-gzip') source = req.pipe(createGunzip());
    else if (encoding === 'deflate') source = req.pipe(createInflate());
    else if (encoding !== 'identity' && encoding !== '') {
      resolve({ ok: false, failure: { kind: 'bad_encoding', detail: `unsupported content-encoding "${encoding}" (use gzip, deflate or none)` } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let rawDiscarded = 0;
    let settled = false;
    const finish = (r: BodyReadResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const overLimit = (): void => {
      chunks.length = 0;
      if (source !== req) {
        req.unpipe();
        source.destroy();
      }
      req.removeAllListeners('data');
      req.on('data', (c: Buffer) => {
        rawDiscarded += c.length;
        if (rawDiscarded > drainLimit) {
          req.pause();
          finish({ ok: false, failure: { kind: 'too_large', limit, drained: false } });
        }
      });
      // With a compressed body the upload may already be fully read when the limit trips.
      if (req.readableEnded) {
        finish({ ok: false, failure: { kind: 'too_large', limit, drained: true } });
        return;
      }
      req.on('end', () => finish({ ok: false, failure: { kind: 'too_large', limit, drained: true } }));
      req.resume();
    };
    source.on('data', (c: Buffer) => {
      if (settled || size > limit) return;
      size += c.length;
      if (size > limit) {
        overLimit();
        return;
      }
      chunks.push(c);
    });
    source.on('end', () => {
      if (size <= limit) finish({ ok: true, body: Buffer.concat(chunks, size) });
    });
    source.on('error', (err: Error) => {
      if (size > limit) return;
      const kind = source === req ? 'aborted' : 'bad_encoding';
      finish({ ok: false, failure: { kind, detail: err.message } });
    });
    req.on('close', () => {
      if (!req.complete) finish({ ok: false, failure: { kind: 'aborted', detail: 'client closed the connection before the body was complete' } });
    });
  });
}

/** Why a streamed body stopped part-way; `failure` says how to answer. */
export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  constructor(readonly failure: BodyReadFailure) {
    super(failure.kind === 'too_large' ? `body is over the ${failure.limit}-byte limit (after decompression)` : failure.detail);
  }
}

/**
 * A request body as text chunks, read only as fast as the consumer asks: a consumer that waits
 * (a saturated pipeline) stops reading, and TCP slows the sender down. Throws BodyReadError past
 * `limit` decompressed bytes, on a bad compressed stream, or when the client goes away.
 *
 * Stopping early does not destroy the request (that would take the socket, and with it the
 * answer): the caller answers, then `discardRest` lets the remaining upload drain.
 */
export async function* streamLimitedBody(req: IncomingMessage, limit: number): AsyncGenerator<string> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  let source: Readable = req;
  if (encoding === 'gzip' || encoding === 'x-gzip') source = req.pipe(createGunzip());
  else if (encoding === 'deflate') source = req.pipe(createInflate());
  else if (encoding !== 'identity' && encoding !== '') {
    throw new BodyReadError({ kind: 'bad_encoding', detail: `unsupported content-encoding "${encoding}" (use gzip, deflate or none)` });
  }
  if (source !== req) {
    // pipe() does not pass the upload's failure on: without this a client that vanishes
    // mid-body would leave the decompressor waiting for data forever.
    const inflater = source;
    req.on('error', (err) => inflater.destroy(err));
    req.on('close', () => {
      if (!req.complete) inflater.destroy(new Error('client closed the connection before the body was complete'));
    });
  }
  const decoder = new TextDecoder('utf-8');
  let size = 0;
  try {
    for await (const chunk of source.iterator({ destroyOnReturn: false })) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limit) throw new BodyReadError({ kind: 'too_large', limit, drained: false });
      const text = decoder.decode(buf, { stream: true });
      if (text !== '') yield text;
    }
  } catch (err) {
    if (err instanceof BodyReadError) throw err;
    const detail = errorMessage(err);
    if (source !== req) throw new BodyReadError({ kind: 'bad_encoding', detail: `${encoding} body cannot be decompressed: ${detail}` });
    throw new BodyReadError({ kind: 'aborted', detail });
  } finally {
    if (source !== req && !req.readableEnded) {
      req.unpipe();
      source.destroy();
    }
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** After an early answer: reads and drops the rest of the upload, cutting it off past `limit` bytes. */
export function discardRest(req: IncomingMessage, limit: number): void {
  if (req.readableEnded || req.destroyed) return;
  let discarded = 0;
  req.on('data', (c: Buffer) => {
    discarded += c.length;
    if (discarded > limit) req.destroy();
  });
  req.resume();
}
