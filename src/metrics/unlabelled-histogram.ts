/**
 * A Prometheus histogram without labels whose `observe` allocates nothing: for the end-to-end
 * latency, observed once per message.
 *
 * prom-client's own `observe` builds a closure, a labels object, a label/value pair and the
 * bucket key (a number turned into a string) on every call. Under bulk ingest that was 235 bytes
 * and ~110 ns per message (allocation sampling of `npm run bench:ingest`, Pipeline.complete;
 * 2 M calls in a loop), the largest allocation on the write path after the rows themselves. Here
 * an observation is a bucket search over a Float64Array and three additions.
 *
 * It is a prom-client Histogram, so it registers, resets and exposes (text format and `get()`)
 * like one: the exposition is the same, line for line, as prom-client's for the same
 * observations (unlabelled-histogram.test.ts).
 */
import { Histogram, type LabelValues, type Registry } from 'prom-client';

export interface UnlabelledHistogramConfiguration {
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  readonly registers?: Registry[];
}

type Values = Awaited<ReturnType<Histogram['get']>>['values'];

export class UnlabelledHistogram extends Histogram {
  private readonly bounds: Float64Array;
  /** Per bucket (not cumulative), the last slot for values above every bound. */
  private counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(config: UnlabelledHistogramConfiguration) {
    const bounds = [...new Set(config.buckets)].sort((a, b) => a - b);
    super({ name: config.name, help: config.help, buckets: bounds, registers: config.registers });
    this.bounds = Float64Array.from(bounds);
    this.counts = new Float64Array(bounds.length + 1);
    // prom-client's constructor sets `observe` on the instance, which would hide the override.
    this.observe = UnlabelledHistogram.prototype.observe;
  }

  /** One value in the histogram's unit; a labels object is refused (this histogram has none). */
  override observe(value: number | LabelValues<string> | object, labelledValue?: number): void {
    if (typeof value !== 'number' || labelledValue !== undefined) throw new TypeError('this histogram has no labels: observe(value)');
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${String(value)}`);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count++;
  }

  override startTimer(): () => number {
    const start = process.hrtime.bigint();
    return () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.observe(seconds);
      return seconds;
    };
  }

  override reset(): void {
    // Also called by prom-client's constructor, before this one has set its fields.
    if (this.bounds === undefined) return;
    this.counts = new Float64Array(this.bounds.length + 1);
    this.sum = 0;
    this.count = 0;
  }

  override async get(): ReturnType<Histogram['get']> {
    await Promise.resolve();
    // Name, help, type and aggregator as prom-client's constructor set them; the values are ours.
    const { name, help, type, aggregator, collect } = this as unknown as Omit<Awaited<ReturnType<Histogram['get']>>, 'values'>;
    return { name, help, type, aggregator, collect, values: this.values(name) };
  }

  /** What the registry reads when it writes the text format (prom-client's calls `get` its own way). */
  getForPromString(): ReturnType<Histogram['get']> {
    return this.get();
  }

  private values(name: string): Values {
    const bucket = `${name}_bucket`;
    const out: Values = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i] as number;
      out.push({ labels: { le: this.bounds[i] as number }, value: cumulative, metricName: bucket });
    }
    out.push({ labels: { le: '+Inf' }, value: this.count, metricName: bucket });
    out.push({ labels: {}, value: this.sum, metricName: `${name}_sum` });
    out.push({ labels: {}, value: this.count, metricName: `${name}_count` });
    return out;
  }
}
