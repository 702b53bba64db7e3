/**
 * `aisctl load --via http`: the same generated traffic, posted as NMEA lines to the HTTP ingest
 * endpoint of an in-process `aisctl serve`, driven by autocannon at the given rate.
 *
 * What differs from the in-process mode, and is said in every report: autocannon times each
 * request from its socket write, on closed-loop connections, so its latency is service time and
 * not latency from the intended send time; requests it could not send on schedule appear as
 * `dropped` (intended - sent) instead of inflating the percentiles.
 */
import { runSession } from './run-session.js';
import type { ConnectionConfig } from './config.js';
import type { Gate } from '../harness/gates.js';
import type { LoadShapeSpec } from '../harness/load-shape.js';

const LINES_PER_REQUEST = 20;

export interface HttpLoadFlags {
  readonly name: string;
  readonly json?: boolean;
  readonly tui: boolean;
  readonly reportsDir: string;
  readonly conn: ConnectionConfig;
}

export interface HttpLoadPlan {
  readonly gates: Gate[];
  readonly spec: LoadShapeSpec;
  readonly warmupMs: number;
  readonly vessels: number;
  readonly sources: string[];
  readonly mix: { dupRate: number; lateRate: number; badRate: number };
  readonly seed: number;
}

export async function runHttpLoadCommand(flags: HttpLoadFlags, plan: HttpLoadPlan): Promise<number> {
  const [{ startServe }, { runHttpLoad, COORDINATED_OMISSION_NOTE }, { createTrafficGenerator }, { buildLoadShape, describeShape }] = await Promise.all([
    import('./commands/serve.js'),
    import('../harness/http-load-driver.js'),
    import('../harness/traffic-generator.js'),
    import('../harness/load-shape.js'),
  ]);
  const shape = buildLoadShape(plan.spec);
  // autocannon takes one constant rate: the shape's average over its duration.
  const msgRate = shape.durationMs > 0 ? (shape.totalSends * 1000) / shape.durationMs : 0;
  const serve = await startServe({ ...flags.conn, host: '127.0.0.1', port: 0 });
  const generator = createTrafficGenerator({
    vessels: plan.vessels,
    sources: plan.sources,
    seed: plan.seed,
    startTimeMs: Date.now(),
    ...plan.mix,
    tagTimeMs: true,
  });
  const nextLines = (count: number): string[] => {
    const out: string[] = [];
    while (out.length < count) out.push(...generator.next(Date.now()).lines);
    return out;
  };
  const requestRate = Math.max(1, msgRate / LINES_PER_REQUEST);
  const connections = Math.max(4, Math.min(64, Math.ceil(requestRate / 100)));
  try {
    return await runSession(
      {
        info: {
          command: 'load',
          name: flags.name,
          settings: {
            via: 'http',
            shape: describeShape(plan.spec),
            linesPerRequest: LINES_PER_REQUEST,
            connections,
            vessels: plan.vessels,
            sources: plan.sources.length,
          },
          plannedMs: plan.warmupMs + shape.durationMs,
        },
        gates: plan.gates,
        json: flags.json ?? false,
        tui: flags.tui,
        reportsDir: flags.reportsDir,
      },
      async (reporter) => {
        reporter.warning(COORDINATED_OMISSION_NOTE);
        // In-process load lets event time run ahead of the wall clock when the rate is above what
        // the fleet transmits; the server validates times against its own clock, so over HTTP the
        // fleet must be large enough to produce the rate at real ITU intervals (about 1 message
        // per vessel per 10 s), or vessels report early and fusion collapses them as duplicates.
        if (plan.vessels * 0.1 < msgRate) {
          reporter.warning(
            `--via http: ${plan.vessels} vessels transmit about ${Math.round(plan.vessels * 0.1)} messages/s at ITU intervals; at ${Math.round(msgRate)}/s many reports will be early duplicates (use --vessels ${Math.ceil(msgRate * 10)} for realistic traffic)`,
          );
        }
        const base = { url: serve.url, rate: requestRate, connections, linesPerRequest: LINES_PER_REQUEST, nextLines };
        if (plan.warmupMs > 0) await runHttpLoad({ ...base, durationSeconds: plan.warmupMs / 1000 });
        const r = await runHttpLoad({ ...base, durationSeconds: shape.durationMs / 1000 });
        await serve.runtime.pipeline.flush();
        const runtime = serve.runtime;
        const cache = runtime.history.cacheStats();
        const dlqSize = await runtime.dlqSize();
        const lat = r.latencyMs;
        const processed = r.linesAccepted;
        const metrics: Record<string, number> = {
          p50: lat.p50,
          p90: lat.p90,
          p99: lat.p99,
          p999: lat.p99_9,
          max: lat.max,
          mean: lat.mean,
          throughput: r.linesAccepted / Math.max(1e-9, r.durationSeconds),
          processed,
          errors: r.errors + r.non2xx,
          error_ratio: r.sent === 0 ? 0 : (r.errors + r.non2xx) / r.sent,
          dropped: Math.max(0, r.intendedRequests - r.sent),
          drop_ratio: r.intendedRequests === 0 ? 0 : Math.max(0, r.intendedRequests - r.sent) / r.intendedRequests,
          deadlocks: runtime.pipeline.counters.deadlocks,
          cache_hit_rate: cache.hitRate ?? 0,
          dlq_size: dlqSize,
          lost: runtime.pipeline.counters.notStored,
          breaker_opens: runtime.breakers.redis.stats().opens + runtime.breakers.postgres.stats().opens,
        };
        return { metrics, details: { via: 'http', autocannon: r, pipeline: { ...runtime.pipeline.counters }, latencyNote: COORDINATED_OMISSION_NOTE } };
      },
    );
  } finally {
    await serve.stop();
  }
}
