/**
 * The sending side of `aisctl load --via udp|tcp`, run in a worker thread: the open-model
 * scheduler and the traffic generator on a thread of their own, so their work and their timers
 * never queue behind the pipeline they measure (and the pipeline's stalls never delay a send,
 * which would hide them). Each send is one generated message: one datagram (UDP), or its lines
 * written to one connection (TCP), every line stamped with the send number (send-number.ts).
 *
 * The schedule starts at a value of the process-wide monotonic clock the main thread chose, so
 * the main thread knows every intended send time without being told (feed-load-driver.ts).
 *
 * Tag block times are checked against the service's clock, as in production, so they cannot run
 * ahead of it the way the in-process mode lets event time run ahead. Vessels still report at ITU
 * intervals (a fleet reporting faster would be collapsed by fusion as duplicates): when the rate
 * is above what the fleet transmits, event time runs faster than the wall clock from a start far
 * enough in the past that it never passes the wall clock, like a recording replayed fast through
 * a live feed. At or below the fleet's rate it is the wall clock.
 *
 * A send completes when the socket took it: a datagram handed to the kernel, or lines flushed to
 * the connection. When the service stops reading a TCP connection, writes wait and sends stay in
 * flight; past the scheduler's limit they are dropped and counted, never queued without bound.
 */
import { createSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { errorMessage } from '../errors/error-message.js';
import { emptySentCounts, type ControlMessage, type SenderConfig, type SenderMessage, type SenderStats, type SentCounts } from './feed-load-protocol.js';
import { eventLeadMs, fleetRate } from './event-clock.js';
import { buildLoadShape } from './load-shape.js';
import { OpenModelScheduler, type SendPhase } from './open-model-scheduler.js';
import { withSendNumber } from './send-number.js';
import { createTrafficGenerator, type GeneratedKind } from './traffic-generator.js';

/** How long a closing TCP connection may take to hand over what is still buffered. */
const CLOSE_TIMEOUT_MS = 30_000;

interface Transport {
  /** Resolves once the socket took `text`; `counted` gets the bytes then. */
  send(text: string, counted: (bytes: number) => void): Promise<void>;
  readonly datagrams: boolean;
  close(): Promise<void>;
}

async function openUdp(cfg: SenderConfig, onError: (err: Error) => void): Promise<Transport> {
  const socket = createSocket(isIPv6(cfg.host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(cfg.port, cfg.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', onError);
  return {
    datagrams: true,
    send(text, counted) {
      const buf = Buffer.from(text);
      return new Promise((resolve, reject) => {
        socket.send(buf, (err) => {
          if (err) {
            reject(err);
            return;
          }
          counted(buf.length);
          resolve();
        });
      });
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

async function openTcp(cfg: SenderConfig, onError: (err: Error) => void): Promise<Transport> {
  const socket: Socket = connect({ host: cfg.host, port: cfg.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', onError);
  // Writes are batched per tick by cork/uncork below; Nagle would add its own delay on top.
  socket.setNoDelay(true);
  let corked = false;
  return {
    datagrams: false,
    send(text, counted) {
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      const data = `${text}\n`;
      return new Promise((resolve, reject) => {
        socket.write(data, (err) => {
          if (err) {
            reject(err);
            return;
          }
          counted(Buffer.byteLength(data));
          resolve();
        });
      });
    },
    close() {
      if (socket.destroyed) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.end();
      });
    },
  };
}

async function run(port: MessagePort, cfg: SenderConfig): Promise<void> {
  const post = (m: SenderMessage): void => port.postMessage(m);
  let sendErrors = 0;
  let firstSendError: string | null = null;
  const noteError = (err: unknown): void => {
    firstSendError ??= errorMessage(err);
  };
  const transport = cfg.via === 'udp' ? await openUdp(cfg, noteError) : await openTcp(cfg, noteError);

  const clock = (): number => Number(process.hrtime.bigint() - cfg.originNs);
  const shape = buildLoadShape(cfg.shape);
  // Measured on a throwaway fleet: the real one must start at the lead this decides.
  const probe = createTrafficGenerator({ ...cfg.generator, startTimeMs: cfg.wallAtOriginMs, honourIntervals: true });
  const eventClock = { fleetRate: fleetRate(probe.fleet), leadMs: 0 };
  eventClock.leadMs = eventLeadMs(shape, eventClock.fleetRate);
  const generator = createTrafficGenerator({ ...cfg.generator, startTimeMs: cfg.wallAtOriginMs - eventClock.leadMs, tagTimeMs: true, honourIntervals: true });
  const generated: Record<GeneratedKind, number> = { good: 0, duplicate: 0, late: 0, corrupt: 0 };
  const sent = emptySentCounts();
  const sentMeasured = emptySentCounts();
  const count = (c: SentCounts, lines: number, bytes: number): void => {
    c.sends++;
    c.lines += lines;
    c.bytes += bytes;
    if (transport.datagrams) c.datagrams++;
  };

  const send = (intendedNs: number, seq: number, phase: SendPhase): Promise<void> => {
    const g = generator.next(cfg.wallAtOriginMs - eventClock.leadMs + intendedNs / 1e6);
    generated[g.kind]++;
    let text = '';
    for (let i = 0; i < g.lines.length; i++) text += (i === 0 ? '' : '\n') + withSendNumber(g.lines[i] as string, seq);
    const lines = g.lines.length;
    return transport.send(text, (bytes) => {
      count(sent, lines, bytes);
      if (phase === 'measure') count(sentMeasured, lines, bytes);
    });
  };

  let scheduler: OpenModelScheduler | null = null;
  let stopped = false;
  const startAt = new Promise<number | null>((resolve) => {
    port.on('message', (m: ControlMessage) => {
      if (m.type === 'start') resolve(m.startAtNs);
      else {
        stopped = true;
        scheduler?.stop();
        resolve(null);
      }
    });
  });
  post({ type: 'ready', eventClock });
  const startAtNs = await startAt;
  scheduler = new OpenModelScheduler({
    shape,
    send,
    warmupMs: cfg.warmupMs,
    clock,
    ...(startAtNs === null ? {} : { startAtNs }),
    onError: (err) => {
      sendErrors++;
      noteError(err);
    },
  });
  const s = scheduler;
  const stats = (): SenderStats => ({
    scheduler: s.stats(),
    sent: { ...sent },
    sentMeasured: { ...sentMeasured },
    sendErrors,
    firstSendError,
    generated: { ...generated },
  });
  const progress = setInterval(() => post({ type: 'progress', stats: stats() }), cfg.progressEveryMs);
  const running = s.run();
  if (stopped) s.stop();
  const final = await running;
  clearInterval(progress);
  await transport.close();
  post({ type: 'done', stats: { ...stats(), scheduler: final } });
}

const port = parentPort;
if (port !== null) {
  run(port, workerData as SenderConfig).catch((err: unknown) => port.postMessage({ type: 'failed', error: errorMessage(err) } satisfies SenderMessage));
}
