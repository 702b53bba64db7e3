/**
 * The generating side of `aisctl load` (in-process), run in a worker thread: the open-model
 * scheduler and the traffic generator on a thread of their own, as k6 and wrk2 keep load
 * generation apart from the system under test, so their work and timers never queue behind the
 * pipeline they measure and the pipeline's stalls never delay a send (which would hide them).
 *
 * Each burst of due sends goes to the main thread as one message (load-generator-protocol.ts);
 * a send stays in flight here until the main thread reports all its messages durable, so the
 * scheduler's in-flight limit, drops and drain still describe the pipeline.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { errorMessage } from '../errors/error-message.js';
import type { GeneratorConfig, GeneratorControl, GeneratorMessage, GeneratorStats } from './load-generator-protocol.js';
import { buildLoadShape } from './load-shape.js';
import { OpenModelScheduler, PENDING } from './open-model-scheduler.js';
import { threadCpuMs } from './thread-cpu.js';
import { createTrafficGenerator, type GeneratedKind } from './traffic-generator.js';

async function run(port: MessagePort, cfg: GeneratorConfig): Promise<void> {
  const post = (m: GeneratorMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const clock = (): number => Number(process.hrtime.bigint() - cfg.originNs);
  const shape = buildLoadShape(cfg.shape);
  const generator = createTrafficGenerator({
    ...cfg.generator,
    startTimeMs: cfg.wallAtOriginMs,
    // At thousands of messages per second whole-second tag times would make most reports of
    // one vessel collide; receivers that log milliseconds exist, and the parser takes both.
    tagTimeMs: true,
    // The rate may be far above what the fleet would transmit; event time then runs faster than
    // the wall clock rather than vessels reporting every few hundred milliseconds.
    honourIntervals: true,
  });
  const generated: Record<GeneratedKind, number> = { good: 0, duplicate: 0, late: 0, corrupt: 0 };

  // The burst being collected; posted once the scheduler yields.
  let seqs: number[] = [];
  let receive: number[] = [];
  let counts: number[] = [];
  let lines: string[] = [];
  let flushArmed = false;
  const flush = (): void => {
    flushArmed = false;
    const batch = {
      type: 'sends' as const,
      seqs: Float64Array.from(seqs),
      receiveMs: Float64Array.from(receive),
      lineCounts: Uint16Array.from(counts),
      text: lines.join('\n'),
    };
    seqs = [];
    receive = [];
    counts = [];
    lines = [];
    post(batch, [batch.seqs.buffer as ArrayBuffer, batch.receiveMs.buffer as ArrayBuffer, batch.lineCounts.buffer as ArrayBuffer]);
  };
  // In flight until the main thread reports the send's messages durable (scheduler.complete).
  const send = (intendedNs: number, seq: number): typeof PENDING => {
    const simNow = cfg.wallAtOriginMs + intendedNs / 1e6;
    const g = generator.next(simNow);
    generated[g.kind]++;
    seqs.push(seq);
    // The receive clock the parser validates against is the generator's event time.
    receive.push(Math.max(simNow, generator.eventTimeMs));
    counts.push(g.lines.length);
    for (const l of g.lines) lines.push(l);
    if (!flushArmed) {
      flushArmed = true;
      setImmediate(flush);
    }
    return PENDING;
  };

  let scheduler: OpenModelScheduler | null = null;
  let stopped = false;
  const startAt = new Promise<number | null>((resolve) => {
    port.on('message', (m: GeneratorControl) => {
      if (m.type === 'completed') {
        if (scheduler !== null) for (const seq of m.seqs) scheduler.complete(seq);
      } else if (m.type === 'start') resolve(m.startAtNs);
      else {
        stopped = true;
        scheduler?.stop();
        resolve(null);
      }
    });
  });
  post({ type: 'ready' });
  const startAtNs = await startAt;
  scheduler = new OpenModelScheduler({ shape, send, warmupMs: cfg.warmupMs, clock, ...(startAtNs === null ? {} : { startAtNs }) });
  const s = scheduler;
  const stats = (): GeneratorStats => ({ scheduler: s.stats(), generated: { ...generated }, cpuMs: threadCpuMs() });
  const progress = setInterval(() => post({ type: 'progress', stats: stats() }), cfg.progressEveryMs);
  const running = s.run();
  if (stopped) s.stop();
  const final = await running;
  clearInterval(progress);
  post({ type: 'done', stats: { ...stats(), scheduler: final } });
}

const port = parentPort;
if (port !== null) {
  run(port, workerData as GeneratorConfig).catch((err: unknown) => port.postMessage({ type: 'failed', error: errorMessage(err) } satisfies GeneratorMessage));
}
