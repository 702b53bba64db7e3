/**
 * Pass/fail gates over a run's flat metrics, like k6 thresholds: `p99<20ms`, `deadlocks==0`,
 * `cache_hit_rate>=95%`. Gates are parsed before the run starts, so a typo fails fast (exit 1)
 * instead of after a 10-minute soak; a gate on a metric the run did not produce fails (exit 99),
 * because a CI gate that silently passes on missing data is worse than none.
 */
import type { GateVerdict, LatencySummary } from './run-events.js';
import { AisctlError, EXIT_ERROR, EXIT_GATE_FAILED, EXIT_OK } from '../errors/aisctl-error.js';

export type MetricUnit = 'ms' | 'count' | 'ratio' | 'rate';
export type GateOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface GateMetric {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly description: string;
}

/** Every metric a gate may name; RunSummary.metrics uses the same names and base units. */
export const GATE_METRICS: readonly GateMetric[] = [
  { name: 'p50', unit: 'ms', description: 'median end-to-end latency (from intended send time to durable ack)' },
  { name: 'p90', unit: 'ms', description: '90th percentile latency' },
  { name: 'p95', unit: 'ms', description: '95th percentile latency' },
  { name: 'p99', unit: 'ms', description: '99th percentile latency' },
  { name: 'p999', unit: 'ms', description: '99.9th percentile latency (also written p99.9)' },
  { name: 'max', unit: 'ms', description: 'highest latency recorded' },
  { name: 'mean', unit: 'ms', description: 'mean latency (for trends only; gate on percentiles)' },
  { name: 'throughput', unit: 'rate', description: 'completed messages per second over the measured phase' },
  { name: 'processed', unit: 'count', description: 'messages completed in the measured phase' },
  { name: 'errors', unit: 'count', description: 'sends that failed (rejected promise or exception); stress: batches that failed, deadlocks included' },
  { name: 'error_ratio', unit: 'ratio', description: 'errors / issued' },
  { name: 'dropped', unit: 'count', description: 'sends not issued because too many were in flight' },
  { name: 'drop_ratio', unit: 'ratio', description: 'dropped / intended' },
  { name: 'late', unit: 'count', description: 'sends issued later than the tolerance after their intended time' },
  { name: 'late_ratio', unit: 'ratio', description: 'late / issued' },
  { name: 'deadlocks', unit: 'count', description: 'PostgreSQL deadlocks (SQLSTATE 40P01) seen, retried or not' },
  { name: 'cache_hit_rate', unit: 'ratio', description: 'vessel-id cache hit rate' },
  { name: 'dlq_size', unit: 'count', description: 'dead-letter queue size at the end of the run' },
  { name: 'lost', unit: 'count', description: 'accepted messages neither stored nor dead-lettered' },
  { name: 'rejected', unit: 'count', description: 'invalid messages refused by decoding or validation' },
  { name: 'breaker_opens', unit: 'count', description: 'times a circuit breaker opened' },
  { name: 'missing_writes', unit: 'count', description: 'stress: expected rows not found after the run' },
  { name: 'line_rate', unit: 'rate', description: 'load --via udp|tcp: lines the feed read per second over the measured phase' },
  { name: 'udp_sent', unit: 'count', description: 'load --via udp: datagrams sent (whole run, warm-up included)' },
  { name: 'udp_received', unit: 'count', description: 'load --via udp: datagrams the feed read' },
  { name: 'udp_not_read', unit: 'count', description: 'load --via udp: datagrams sent and never read (udp_sent - udp_received)' },
  { name: 'udp_kernel_drops', unit: 'count', description: "load --via udp: of those, dropped by the kernel for a full receive buffer (Linux' /proc/net/udp)" },
  { name: 'udp_dropped', unit: 'count', description: 'load --via udp: datagrams read and dropped because the pipeline was saturated or failing' },
  {
    name: 'udp_loss',
    unit: 'count',
    description: 'load --via udp: datagrams that never reached the pipeline (udp_not_read + udp_dropped); not in errors or lost',
  },
  { name: 'udp_loss_ratio', unit: 'ratio', description: 'load --via udp: udp_loss / udp_sent' },
];

const METRIC_BY_NAME: ReadonlyMap<string, GateMetric> = new Map(GATE_METRICS.map((m) => [m.name, m]));
const ALIASES: Readonly<Record<string, string>> = { 'p99.9': 'p999', p100: 'max' };

export interface Gate {
  /** As written, trimmed. */
  readonly expression: string;
  readonly metric: string;
  readonly operator: GateOperator;
  /** In the metric's base unit: ms for times, 0..1 for ratios, msg/s for rates. */
  readonly threshold: number;
}

export class GateError extends AisctlError {
  override readonly name = 'GateError';
  constructor(
    readonly expression: string,
    readonly problem: string,
  ) {
    super(`gate "${expression}": ${problem}`);
  }
}

export function knownMetricsList(): string {
  return GATE_METRICS.map((m) => `${m.name} (${unitLabel(m.unit)})`).join(', ');
}

function unitLabel(unit: MetricUnit): string {
  switch (unit) {
    case 'ms':
      return 'time: 20ms, 1s, 500us';
    case 'ratio':
      return 'ratio: 0.95 or 95%';
    case 'rate':
      return 'msg/s';
    case 'count':
      return 'count';
  }
}

const GATE_RE = /^([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|==|!=|<|>|=)\s*(.*)$/;
const VALUE_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zµ%/]*)$/i;
const TIME_FACTORS: Readonly<Record<string, number>> = { '': 1, ms: 1, s: 1000, us: 0.001, µs: 0.001 };

export function parseGate(input: string): Gate {
  const expression = input.trim();
  const m = GATE_RE.exec(expression);
  if (!m) {
    throw new GateError(input, 'malformed; expected <metric><operator><value>, e.g. p99<20ms, errors==0, cache_hit_rate>=95%');
  }
  const rawName = m[1] ?? '';
  const op = m[2] ?? '';
  const rawValue = (m[3] ?? '').trim();
  const metricName = ALIASES[rawName.toLowerCase()] ?? rawName.toLowerCase();
  const metric = METRIC_BY_NAME.get(metricName);
  if (!metric) throw new GateError(expression, `unknown metric "${rawName}"; known metrics: ${knownMetricsList()}`);
  if (op === '=') throw new GateError(expression, 'use == for equality (a single = is not an operator)');
  if (rawValue === '') throw new GateError(expression, `missing value after "${op}"`);
  const v = VALUE_RE.exec(rawValue);
  if (!v) throw new GateError(expression, `malformed value "${rawValue}"; expected a number${unitHint(metric)}`);
  const num = Number(v[1]);
  const suffix = (v[2] ?? '').toLowerCase();
  const threshold = convert(expression, metric, num, suffix);
  return { expression, metric: metric.name, operator: op as GateOperator, threshold };
}

function unitHint(metric: GateMetric): string {
  switch (metric.unit) {
    case 'ms':
      return ' with an optional unit ms, s or us (bare numbers are ms)';
    case 'ratio':
      return ' between 0 and 1, or a percentage such as 95%';
    case 'rate':
      return ' of messages per second, optionally with k or /s';
    case 'count':
      return ' without a unit';
  }
}

function convert(expression: string, metric: GateMetric, num: number, suffix: string): number {
  const bad = (): never => {
    throw new GateError(expression, `"${metric.name}" does not take the unit "${suffix}"; expected a number${unitHint(metric)}`);
  };
  if (!Number.isFinite(num)) throw new GateError(expression, `value is not a finite number`);
  switch (metric.unit) {
    case 'ms': {
      const f = TIME_FACTORS[suffix];
      return f === undefined ? bad() : num * f;
    }
    case 'ratio': {
      if (suffix === '%') {
        if (num < 0 || num > 100) throw new GateError(expression, `percentage must be within 0%..100%, found ${num}%`);
        return num / 100;
      }
      if (suffix !== '') return bad();
      if (num < 0 || num > 1) {
        throw new GateError(expression, `ratio must be within 0..1 (or write a percentage such as ${num}%), found ${num}`);
      }
      return num;
    }
    case 'rate': {
      if (suffix === '' || suffix === '/s') return num;
      if (suffix === 'k' || suffix === 'k/s') return num * 1000;
      return bad();
    }
    case 'count':
      return suffix === '' ? num : bad();
  }
}

/** Parses all gates, reporting every bad one at once (one per line) rather than the first only. */
export function parseGates(inputs: readonly string[]): Gate[] {
  const gates: Gate[] = [];
  const problems: GateError[] = [];
  for (const input of inputs) {
    try {
      gates.push(parseGate(input));
    } catch (e) {
      if (e instanceof GateError) problems.push(e);
      else throw e;
    }
  }
  const [first] = problems;
  if (first && problems.length === 1) throw first;
  if (problems.length > 1) {
    const err = new GateError(inputs.join(', '), `${problems.length} gates are invalid`);
    err.message = `${problems.length} gates are invalid:\n  ${problems.map((p) => p.message).join('\n  ')}`;
    throw err;
  }
  return gates;
}

function compare(actual: number, op: GateOperator, threshold: number): boolean {
  switch (op) {
    case '<':
      return actual < threshold;
    case '<=':
      return actual <= threshold;
    case '>':
      return actual > threshold;
    case '>=':
      return actual >= threshold;
    case '==':
      return actual === threshold;
    case '!=':
      return actual !== threshold;
  }
}

export function evaluateGates(gates: readonly Gate[], metrics: Readonly<Record<string, number>>): GateVerdict[] {
  return gates.map((g) => {
    const v = metrics[g.metric];
    const actual = typeof v === 'number' && !Number.isNaN(v) ? v : null;
    return { expression: g.expression, metric: g.metric, actual, passed: actual !== null && compare(actual, g.operator, g.threshold) };
  });
}

export type ExitCode = typeof EXIT_OK | typeof EXIT_ERROR | typeof EXIT_GATE_FAILED;

/** 0 when every gate passed (or there are none), 99 when any failed. */
export function exitCodeForVerdicts(verdicts: readonly GateVerdict[]): ExitCode {
  return verdicts.every((v) => v.passed) ? EXIT_OK : EXIT_GATE_FAILED;
}

/** 1 for an error (bad gate, bad scenario, crash), else the gates' verdict. */
export function exitCodeFor(outcome: { readonly error?: unknown; readonly verdicts?: readonly GateVerdict[] }): ExitCode {
  if (outcome.error !== undefined) return EXIT_ERROR;
  return exitCodeForVerdicts(outcome.verdicts ?? []);
}

/** The latency part of RunSummary.metrics, under the gate names. */
export function latencyMetrics(l: LatencySummary): Record<string, number> {
  return { p50: l.p50, p95: l.p95, p99: l.p99, p999: l.p999, max: l.max, mean: l.mean };
}

/** Human form of a threshold in the metric's unit, e.g. for "expected < 20 ms". */
export function describeThreshold(gate: Gate): string {
  const unit = METRIC_BY_NAME.get(gate.metric)?.unit;
  if (unit === 'ms') return `${gate.threshold} ms`;
  if (unit === 'ratio') return `${+(gate.threshold * 100).toFixed(4)}%`;
  if (unit === 'rate') return `${gate.threshold} msg/s`;
  return String(gate.threshold);
}

export function metricUnit(name: string): MetricUnit | undefined {
  return METRIC_BY_NAME.get(name)?.unit;
}
