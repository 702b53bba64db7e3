/**
 * `ws://…` / `wss://…`: an aisstream.io-compatible websocket client. On open it sends the
 * subscription (API key, bounding boxes, message types); every message is one aisstream JSON
 * record, read by the same parser as `aisctl ingest` of aisstream files. A closed, failed or
 * silent (`--feed-idle`) connection is made again after an exponential, fully jittered, capped
 * delay; a refused subscription (`{"error": …}`) is logged, and retried the same way, since the
 * service may refuse a key only for a while (rate limits).
 */
import WebSocket, { type RawData } from 'ws';
import { errorMessage } from '../errors/error-message.js';
import type { RandomSource } from '../utils/seeded-random.js';
import { subscriptionError, subscriptionMessage, type AisstreamSubscription } from './aisstream-subscription.js';
import type { FeedRunner, FeedStream, Pausable } from './feed-runner.js';
import type { FeedTransport } from './feed-transport.js';
import { ReconnectBackoff, type ReconnectBackoffOptions } from './reconnect-backoff.js';

export interface WsFeedOptions {
  readonly subscription: AisstreamSubscription;
  /** No message for this long: the connection is dropped and made again (ms). Also the handshake timeout. */
  readonly idleMs: number;
  readonly backoff: ReconnectBackoffOptions;
  readonly random?: RandomSource;
  /** Largest message accepted; a bigger one closes the connection (ws enforces it while reading). */
  readonly maxPayloadBytes: number;
}

const REPORTED_FAILURES = 3;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function startWsFeed(runner: FeedRunner, opts: WsFeedOptions): FeedTransport {
  const url = runner.spec.url;
  const backoff = new ReconnectBackoff(opts.backoff, opts.random);
  let ws: WebSocket | null = null;
  let closedSocket: Promise<void> = Promise.resolve();
  let retryTimer: NodeJS.Timeout | null = null;
  let stopping = false;
  let connectedSince: number | null = null;
  let retryAt = 0;

  const dial = (): void => {
    retryTimer = null;
    if (stopping) return;
    if (runner.state !== 'reconnecting') runner.state = 'connecting';
    const socket = new WebSocket(url, { handshakeTimeout: opts.idleMs, maxPayload: opts.maxPayloadBytes });
    ws = socket;
    let stream: FeedStream | null = null;
    let delivered = false;
    let lastError = '';
    let idle: NodeJS.Timeout | null = null;
    const armIdle = (): void => {
      if (idle !== null) clearTimeout(idle);
      idle = setTimeout(() => {
        lastError = `nothing received for ${opts.idleMs / 1000} s (--feed-idle)`;
        socket.terminate();
      }, opts.idleMs);
    };
    const disarmIdle = (): void => {
      if (idle !== null) clearTimeout(idle);
      idle = null;
    };
    const pausable: Pausable = {
      pause: () => {
        disarmIdle();
        socket.pause();
      },
      resume: () => {
        armIdle();
        socket.resume();
      },
    };
    socket.on('open', () => {
      runner.state = 'connected';
      connectedSince = runner.nowMs();
      stream = runner.openStream(url);
      socket.send(subscriptionMessage(opts.subscription));
      armIdle();
      if (backoff.attempts > 0) runner.log(`connected to ${url} again after ${backoff.attempts} attempts`);
    });
    socket.on('message', (data: RawData) => {
      armIdle();
      const buf = toBuffer(data);
      const refused = buf.length < 4096 ? subscriptionError(buf.toString('utf8')) : null;
      if (refused !== null) {
        lastError = `the service refused the subscription: ${refused}`;
        runner.logThrottled('refused', `${url} refused the subscription: ${refused} (is AISSTREAM_API_KEY right?)`);
        return;
      }
      if (!delivered) {
        delivered = true;
        backoff.reset();
      }
      stream?.pushRecord(buf);
      runner.holdIfBlocked(pausable);
    });
    socket.on('error', (err) => {
      lastError = errorMessage(err);
    });
    closedSocket = new Promise<void>((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        disarmIdle();
        runner.release(pausable);
        stream?.end();
        const wasConnected = stream !== null;
        ws = null;
        connectedSince = null;
        resolve();
        if (stopping) return;
        const why = lastError || `closed by the server (code ${code}${reason.length > 0 ? `: ${reason.toString('utf8')}` : ''})`;
        const delay = backoff.next();
        retryAt = runner.nowMs() + delay;
        runner.reconnecting();
        runner.state = 'reconnecting';
        const failures = backoff.attempts;
        if (wasConnected) runner.log(`connection to ${url} lost (${why}); reconnecting in ${(delay / 1000).toFixed(1)} s`);
        else if (failures <= REPORTED_FAILURES || failures % 10 === 0)
          runner.log(`cannot connect to ${url} (${why}), attempt ${failures}; retrying in ${(delay / 1000).toFixed(1)} s`);
        retryTimer = setTimeout(dial, delay);
      });
    });
  };

  runner.describe = () => {
    if (runner.state === 'connected' && connectedSince !== null) return `connected to ${url} for ${((runner.nowMs() - connectedSince) / 1000).toFixed(0)} s`;
    if (runner.state === 'reconnecting')
      return `reconnecting to ${url} (attempt ${backoff.attempts}, next in ${Math.max(0, (retryAt - runner.nowMs()) / 1000).toFixed(1)} s)`;
    return url;
  };
  runner.state = 'connecting';
  dial();

  let closing: Promise<void> | null = null;
  return {
    address: null,
    close() {
      closing ??= (async () => {
        stopping = true;
        if (retryTimer !== null) clearTimeout(retryTimer);
        retryTimer = null;
        // terminate, not close: a closing handshake with a peer that stopped answering could wait.
        ws?.terminate();
        await closedSocket;
        runner.state = 'closed';
      })();
      return closing;
    },
  };
}
