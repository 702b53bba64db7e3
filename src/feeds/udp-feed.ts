/**
 * `udp://HOST:PORT`: binds and reads datagrams, each holding one or more sentences. UDP cannot be
 * paused, so while the pipeline is saturated datagrams are dropped and counted
 * (`aisctl_feed_dropped_total{reason="saturated"}`) rather than queued without bound, and so are
 * datagrams arriving while batches cannot be kept (`reason="failing"`, see feed-runner.ts); the
 * kernel's receive buffer (`--feed-rcvbuf`) absorbs bursts before that. What overflows that
 * buffer never reaches us: on Linux the kernel's own count is read when asked (`reason="kernel"`).
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { errorMessage } from '../errors/error-message.js';
import type { FeedRunner } from './feed-runner.js';
import { listenError, type FeedTransport } from './feed-transport.js';
import { readUdpSocketDrops, type UdpSocketDrops } from './udp-socket-drops.js';

export interface UdpFeedOptions {
  /** SO_RCVBUF in bytes; the system default when absent (Linux caps it at net.core.rmem_max). */
  readonly rcvbufBytes?: number | undefined;
  /** The kernel's view of the bound socket; tests hand in their own. */
  readonly socketDrops?: (host: string, port: number) => UdpSocketDrops | null;
}

function bind(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error): void => reject(err);
    socket.once('error', failed);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', failed);
      resolve();
    });
  });
}

export async function startUdpFeed(runner: FeedRunner, opts: UdpFeedOptions = {}): Promise<FeedTransport> {
  const { host, port, where } = runner.spec;
  const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  try {
    await bind(socket, host, port);
    if (opts.rcvbufBytes !== undefined) socket.setRecvBufferSize(opts.rcvbufBytes);
  } catch (err) {
    socket.close();
    throw listenError(where, err);
  }
  const bound = socket.address();
  const address = { host: bound.address, port: bound.port };
  const hostPort = isIPv6(address.host) ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  const rcvbuf = socket.getRecvBufferSize();
  const stream = runner.openStream(hostPort);
  const socketDrops = opts.socketDrops ?? readUdpSocketDrops;
  let datagrams = 0;
  let kernel: UdpSocketDrops | null = null;
  socket.on('message', (datagram) => {
    datagrams++;
    runner.countDatagram();
    if (!runner.admitDatagram()) return;
    stream.pushDatagram(datagram);
  });
  socket.on('error', (err) => runner.log(`udp socket error: ${errorMessage(err)}`));
  runner.state = 'listening';
  runner.describe = () => {
    const k = kernel === null ? '' : `; kernel: ${kernel.drops} dropped, ${kernel.rxQueueBytes} bytes queued`;
    return `udp ${hostPort} (SO_RCVBUF ${rcvbuf} bytes), ${datagrams} datagrams${k}`;
  };
  let closing: Promise<void> | null = null;
  const refreshCounters = (): void => {
    // A closed socket's row is gone; its last count was taken on the way out.
    if (closing !== null) return;
    kernel = socketDrops(address.host, address.port);
    if (kernel !== null) runner.noteKernelDrops(kernel.drops);
  };
  return {
    address,
    refreshCounters,
    close() {
      refreshCounters();
      closing ??= new Promise<void>((resolve) => socket.close(() => resolve())).then(() => {
        stream.end();
        runner.state = 'closed';
      });
      return closing;
    },
  };
}
