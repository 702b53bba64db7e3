import { describe, expect, it } from 'vitest';
import { EXIT_ERROR, EXIT_GATE_FAILED, EXIT_OK } from '../errors/aisctl-error.js';
import { GATE_METRICS, GateError, describeThreshold, evaluateGates, exitCodeFor, exitCodeForVerdicts, latencyMetrics, parseGate, parseGates } from './gates.js';

describe('parseGate', () => {
  it.each([
    ['p99<20ms', 'p99', '<', 20],
    ['p95<=15ms', 'p95', '<=', 15],
    ['p99 < 20ms', 'p99', '<', 20],
    ['p99<20', 'p99', '<', 20],
    ['p99<0.5s', 'p99', '<', 500],
    ['p50<500us', 'p50', '<', 0.5],
    ['p50<500µs', 'p50', '<', 0.5],
    ['max<1s', 'max', '<', 1000],
    ['p99.9<50ms', 'p999', '<', 50],
    ['P99<20MS', 'p99', '<', 20],
    ['mean<5ms', 'mean', '<', 5],
    ['deadlocks==0', 'deadlocks', '==', 0],
    ['errors==0', 'errors', '==', 0],
    ['dropped<=10', 'dropped', '<=', 10],
    ['dlq_size==0', 'dlq_size', '==', 0],
    ['lost==0', 'lost', '==', 0],
    ['errors!=3', 'errors', '!=', 3],
    ['throughput>=9500', 'throughput', '>=', 9500],
    ['throughput>=9500/s', 'throughput', '>=', 9500],
    ['throughput>9.5k', 'throughput', '>', 9500],
    ['cache_hit_rate>=95%', 'cache_hit_rate', '>=', 0.95],
    ['cache_hit_rate>=0.95', 'cache_hit_rate', '>=', 0.95],
    ['late_ratio<0.01', 'late_ratio', '<', 0.01],
    ['late_ratio<1%', 'late_ratio', '<', 0.01],
    ['  errors == 0  ', 'errors', '==', 0],
  ] as const)('%s', (expr, metric, operator, threshold) => {
    const g = parseGate(expr);
    expect(g.metric).toBe(metric);
    expect(g.operator).toBe(operator);
    expect(g.threshold).toBeCloseTo(threshold, 12);
    expect(g.expression).toBe(expr.trim());
  });

  it('an unknown metric names the gate and lists every known metric', () => {
    let err: unknown;
    try {
      parseGate('p98<20ms');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GateError);
    const message = (err as Error).message;
    expect(message).toContain('gate "p98<20ms": unknown metric "p98"');
    for (const m of GATE_METRICS) expect(message).toContain(m.name);
  });

  it.each([
    ['p99', /malformed; expected <metric><operator><value>/],
    ['', /malformed/],
    ['<20ms', /malformed/],
    ['p99<', /missing value after "<"/],
    ['errors=0', /use == for equality/],
    ['p99<fast', /malformed value "fast"/],
    ['p99<20 ms x', /malformed value/],
    ['p99=<20ms', /malformed value|use ==/],
    ['p99<20min', /does not take the unit "min"/],
    ['p99<20%', /does not take the unit "%"/],
    ['errors==0ms', /"errors" does not take the unit "ms"/],
    ['deadlocks<1k', /does not take the unit "k"/],
    ['cache_hit_rate>=95', /ratio must be within 0..1 \(or write a percentage such as 95%\)/],
    ['cache_hit_rate>=120%', /percentage must be within 0%..100%/],
    ['cache_hit_rate>=0.9ms', /does not take the unit "ms"/],
    ['throughput>=10m', /does not take the unit "m"/],
    ['p99<1e999', /not a finite number/],
  ])('%j is an error: %s', (expr, pattern) => {
    expect(() => parseGate(expr)).toThrow(GateError);
    expect(() => parseGate(expr)).toThrow(pattern);
  });

  it('describes thresholds in their unit', () => {
    expect(describeThreshold(parseGate('p99<0.02s'))).toBe('20 ms');
    expect(describeThreshold(parseGate('cache_hit_rate>=0.95'))).toBe('95%');
    expect(describeThreshold(parseGate('throughput>=9.5k'))).toBe('9500 msg/s');
    expect(describeThreshold(parseGate('errors==0'))).toBe('0');
  });
});

describe('parseGates', () => {
  it('parses a list', () => {
    expect(parseGates(['p99<20ms', 'deadlocks==0']).map((g) => g.metric)).toEqual(['p99', 'deadlocks']);
  });
  it('one bad gate: its own error', () => {
    expect(() => parseGates(['p99<20ms', 'p98<1'])).toThrow('gate "p98<1": unknown metric "p98"');
  });
  it('several bad gates: all reported at once', () => {
    expect(() => parseGates(['p98<1', 'errors=0', 'p99<20ms'])).toThrow(/2 gates are invalid:\n {2}gate "p98<1".*\n {2}gate "errors=0"/s);
  });
});

describe('evaluateGates', () => {
  const metrics = { p99: 18.2, deadlocks: 0, throughput: 9600, cache_hit_rate: 0.97, errors: 2, max: 1000 };

  it('compares with every operator', () => {
    const gates = parseGates(['p99<20ms', 'p99<=18.2', 'p99>18', 'p99>=19', 'deadlocks==0', 'errors!=2', 'throughput>=9500', 'cache_hit_rate>=95%', 'max<1s']);
    expect(evaluateGates(gates, metrics).map((v) => v.passed)).toEqual([true, true, true, false, true, false, true, true, false]);
  });

  it('reports the actual value and the expression as written', () => {
    const [v] = evaluateGates(parseGates(['p99 < 20ms']), metrics);
    expect(v).toEqual({ expression: 'p99 < 20ms', metric: 'p99', actual: 18.2, passed: true });
  });

  it('a metric the run did not produce fails with actual null', () => {
    const [v] = evaluateGates(parseGates(['dlq_size==0']), metrics);
    expect(v).toEqual({ expression: 'dlq_size==0', metric: 'dlq_size', actual: null, passed: false });
    expect(evaluateGates(parseGates(['p99<1']), { p99: Number.NaN })[0]?.actual).toBeNull();
  });

  it('latencyMetrics maps a LatencySummary to gate names', () => {
    expect(latencyMetrics({ count: 3, p50: 1, p95: 2, p99: 3, p999: 4, max: 5, mean: 1.5 })).toEqual({ p50: 1, p95: 2, p99: 3, p999: 4, max: 5, mean: 1.5 });
  });
});

describe('exit codes', () => {
  const pass = { expression: 'a', metric: 'errors', actual: 0, passed: true };
  const fail = { expression: 'b', metric: 'errors', actual: 1, passed: false };
  it('0 when all gates pass or there are none, 99 when one fails', () => {
    expect(exitCodeForVerdicts([])).toBe(EXIT_OK);
    expect(exitCodeForVerdicts([pass, pass])).toBe(0);
    expect(exitCodeForVerdicts([pass, fail])).toBe(EXIT_GATE_FAILED);
    expect(EXIT_GATE_FAILED).toBe(99);
  });
  it('1 on error whatever the gates say', () => {
    expect(exitCodeFor({ error: new Error('x'), verdicts: [pass] })).toBe(EXIT_ERROR);
    expect(exitCodeFor({ verdicts: [fail] })).toBe(99);
    expect(exitCodeFor({})).toBe(0);
  });
});
