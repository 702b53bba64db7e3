/**
 * `tcp://HOST:PORT`: connects to a receiver or an aggregator and reads its lines. The connection is
 * always wanted: a refused or lost connection, or one that sends nothing for the idle timeout
 * (`--feed-idle`; a half-open connection whose peer vanished looks exactly like that), is retried
 * after an exponential, fully jittered, capped delay. Keep-alive probes notice a dead peer on a
 * quiet link. Each connection gets a fresh line splitter and parser: a line or a multi-sentence
 * message cut by the disconnect is not glued to what the next connection sends.
 */
import { connect, type Socket } from 'node:net';
import { errorMessage } from '../errors/error-message.js';
import type { RandomSource } from '../utils/seeded-random.js';
import type { FeedRunner, FeedStream, Pausable } from './feed-runner.js';
import type { FeedTransport } from './feed-transport.js';
import { ReconnectBackoff, type ReconnectBackoffOptions } from './reconnect-backoff.js';
import { DEFAULT_KEEPALIVE_MS } from './tcp-listen-feed.js';

export interface TcpClientFeedOptions {
  /** No bytes for this long: the connection is dropped and made again (ms). Also the connect timeout. */
  readonly idleMs: number;
  readonly backoff: ReconnectBackoffOptions;
  readonly random?: RandomSource;
  readonly keepAliveMs?: number;
}

/** Failed attempts in a row reported individually; after that every tenth. */
const REPORTED_FAILURES = 3;

export function startTcpClientFeed(runner: FeedRunner, opts: TcpClientFeedOptions): FeedTransport {
  const { host, port } = runner.spec;
  const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const backoff = new ReconnectBackoff(opts.backoff, opts.random);
  let socket: Socket | null = null;
  let closedSocket: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  let connectedSince: number | null = null;
  let lastError = '';
  let retryAt = 0;

  const dial = (): void => {
    timer = null;
    if (stopping) return;
    if (runner.state !== 'reconnecting') runner.state = 'connecting';
    const s = connect({ host, port });
    socket = s;
    let stream: FeedStream | null = null;
    let delivered = false;
    s.setKeepAlive(true, opts.keepAliveMs ?? DEFAULT_KEEPALIVE_MS);
    s.setTimeout(opts.idleMs);
    const pausable: Pausable = {
      pause: () => {
        s.setTimeout(0);
        s.pause();
      },
      resume: () => {
        s.setTimeout(opts.idleMs);
        s.resume();
      },
    };
    s.once('connect', () => {
      runner.state = 'connected';
      connectedSince = runner.nowMs();
      stream = runner.openStream(target);
      if (backoff.attempts > 0) runner.log(`connected to ${target} again after ${backoff.attempts} attempts`);
    });
    s.on('data', (chunk: Buffer) => {
      if (!delivered) {
        delivered = true;
        backoff.reset();
      }
      stream?.pushChunk(chunk);
      runner.holdIfBlocked(pausable);
    });
    s.on('timeout', () => {
      lastError = stream === null ? `no connection within ${opts.idleMs / 1000} s` : `nothing received for ${opts.idleMs / 1000} s (--feed-idle)`;
      s.destroy();
    });
    s.on('error', (err) => {
      lastError = errorMessage(err);
    });
    closedSocket = new Promise<void>((resolve) => {
      s.once('close', () => {
        runner.release(pausable);
        stream?.end();
        const wasConnected = stream !== null;
        socket = null;
        connectedSince = null;
        resolve();
        if (stopping) return;
        const why = lastError || 'closed by the peer';
        lastError = '';
        const delay = backoff.next();
        retryAt = runner.nowMs() + delay;
        runner.reconnecting();
        runner.state = 'reconnecting';
        const failures = backoff.attempts;
        if (wasConnected) runner.log(`connection to ${target} lost (${why}); reconnecting in ${(delay / 1000).toFixed(1)} s`);
        else if (failures <= REPORTED_FAILURES || failures % 10 === 0)
          runner.log(`cannot connect to ${target} (${why}), attempt ${failures}; retrying in ${(delay / 1000).toFixed(1)} s`);
        timer = setTimeout(dial, delay);
      });
    });
  };

  runner.describe = () => {
    if (runner.state === 'connected' && connectedSince !== null)
      return `connected to tcp ${target} for ${((runner.nowMs() - connectedSince) / 1000).toFixed(0)} s`;
    if (runner.state === 'reconnecting')
      return `reconnecting to tcp ${target} (attempt ${backoff.attempts}, next in ${Math.max(0, (retryAt - runner.nowMs()) / 1000).toFixed(1)} s)`;
    return `tcp ${target}`;
  };
  runner.state = 'connecting';
  dial();

  let closing: Promise<void> | null = null;
  return {
    address: null,
    close() {
      closing ??= (async () => {
        stopping = true;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        socket?.destroy();
        await closedSocket;
        runner.state = 'closed';
      })();
      return closing;
    },
  };
}
