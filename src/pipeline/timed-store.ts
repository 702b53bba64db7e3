import type { HistoryStore, HotStateStore } from '../store/store-types.js';

/**
 * Wraps a store so each batch write's duration is observed (success or failure), without the
 * stores or the resilient sink knowing about metrics.
 */
export function timedStore<S extends HistoryStore | HotStateStore>(store: S, observe: (seconds: number) => void): S {
  const write = store.writeBatch.bind(store) as S['writeBatch'];
  const timed = async (...args: Parameters<S['writeBatch']>): Promise<Awaited<ReturnType<S['writeBatch']>>> => {
    const t0 = performance.now();
    try {
      return (await (write as (...a: Parameters<S['writeBatch']>) => ReturnType<S['writeBatch']>)(...args)) as Awaited<ReturnType<S['writeBatch']>>;
    } finally {
      observe((performance.now() - t0) / 1000);
    }
  };
  return Object.assign(Object.create(store) as S, { writeBatch: timed });
}
