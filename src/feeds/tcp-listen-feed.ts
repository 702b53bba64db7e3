/**
 * `tcp-listen://HOST:PORT`: receivers connect and push lines, several at once. Each connection has
 * its own line splitter and parser (fragments never mix between senders), its own counters, a
 * keep-alive, and an idle timeout that frees the slot of a sender that went quiet. Connections
 * over the cap are closed at once and counted (`reason="connection_limit"`), so a flood of
 * connections costs a counter, not memory. While the pipeline is saturated (or failing, see
 * feed-runner.ts) a connection stops being read, which slows its sender down through TCP.
 */
import { createServer, isIPv6, type Socket } from 'node:net';
import { errorMessage } from '../errors/error-message.js';
import type { FeedRunner, FeedStream, Pausable } from './feed-runner.js';
import { listenError, type FeedTransport } from './feed-transport.js';

export interface TcpListenFeedOptions {
  /** Connections served at once; more are refused. */
  readonly maxConnections: number;
  /** A connection that sends nothing for this long is closed (ms). */
  readonly idleMs: number;
  /** Delay of the first keep-alive probe on a silent connection (ms). */
  readonly keepAliveMs?: number;
}

/** Connections listed in the health detail; the rest are counted. */
const LISTED_CONNECTIONS = 8;

export const DEFAULT_KEEPALIVE_MS = 15_000;

interface Connection {
  readonly socket: Socket;
  readonly stream: FeedStream;
  readonly pausable: Pausable;
  readonly closed: Promise<void>;
}

export async function startTcpListenFeed(runner: FeedRunner, opts: TcpListenFeedOptions): Promise<FeedTransport> {
  const { host, port, where } = runner.spec;
  const connections = new Set<Connection>();
  let accepted = 0;
  let stopping = false;

  const server = createServer((socket) => {
    if (stopping) {
      socket.destroy();
      return;
    }
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (connections.size >= opts.maxConnections) {
      runner.drop('connection_limit');
      runner.logThrottled('connection_limit', `refused a connection from ${peer}: ${opts.maxConnections} connections already (--feed-max-connections)`);
      socket.destroy();
      return;
    }
    accepted++;
    const stream = runner.openStream(peer);
    socket.setKeepAlive(true, opts.keepAliveMs ?? DEFAULT_KEEPALIVE_MS);
    socket.setTimeout(opts.idleMs);
    // A paused connection sends nothing by our choice: the idle clock must not run meanwhile.
    const pausable: Pausable = {
      pause: () => {
        socket.setTimeout(0);
        socket.pause();
      },
      resume: () => {
        socket.setTimeout(opts.idleMs);
        socket.resume();
      },
    };
    const closed = new Promise<void>((resolve) => {
      socket.once('close', () => {
        runner.release(pausable);
        connections.delete(conn);
        stream.end();
        resolve();
      });
    });
    const conn: Connection = { socket, stream, pausable, closed };
    connections.add(conn);
    socket.on('data', (chunk: Buffer) => {
      stream.pushChunk(chunk);
      runner.holdIfBlocked(pausable);
    });
    socket.on('timeout', () => {
      runner.logThrottled('idle', `closed the connection from ${peer}: nothing received for ${opts.idleMs / 1000} s (--feed-idle)`);
      socket.destroy();
    });
    socket.on('error', (err) => runner.logThrottled('socket_error', `connection from ${peer}: ${errorMessage(err)}`));
  });
  server.on('error', (err) => runner.log(`listener error: ${errorMessage(err)}`));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    server.close();
    throw listenError(where, err);
  }
  const bound = server.address();
  const address = typeof bound === 'object' && bound !== null ? { host: bound.address, port: bound.port } : { host, port };
  const hostPort = isIPv6(address.host) ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  runner.state = 'listening';
  runner.describe = () => {
    const list = [...connections].slice(0, LISTED_CONNECTIONS).map((c) => {
      const s = c.stream.stats;
      return `${c.stream.label} (${s.lines} lines, ${s.bytes} bytes, ${s.messages} messages, ${s.rejected} rejected)`;
    });
    const more = connections.size > LISTED_CONNECTIONS ? `, and ${connections.size - LISTED_CONNECTIONS} more` : '';
    return `tcp ${hostPort}, ${connections.size}/${opts.maxConnections} connections${list.length > 0 ? `: ${list.join(', ')}${more}` : ''}; ${accepted} accepted since start`;
  };

  let closing: Promise<void> | null = null;
  return {
    address,
    close() {
      closing ??= (async () => {
        stopping = true;
        const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        const open = [...connections];
        // Whatever a sender still has in flight is not ours yet; what we read is handed on by 'close'.
        for (const c of open) c.socket.destroy();
        await Promise.all(open.map((c) => c.closed));
        await listenerClosed;
        runner.state = 'closed';
      })();
      return closing;
    },
  };
}
