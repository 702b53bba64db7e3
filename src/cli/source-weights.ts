import { UsageError } from './config.js';

/** `--source-weight ais-hub=0.9 --source-weight sat=0.5` -> `{ 'ais-hub': 0.9, sat: 0.5 }`. */
export function parseSourceWeights(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const eq = item.lastIndexOf('=');
    const name = eq > 0 ? item.slice(0, eq) : '';
    const weight = Number(eq > 0 ? item.slice(eq + 1) : NaN);
    if (name === '' || !Number.isFinite(weight) || weight < 0 || weight > 10) {
      throw new UsageError(`--source-weight must look like NAME=WEIGHT with a weight between 0 and 10: got '${item}'`);
    }
    out[name] = weight;
  }
  return out;
}
