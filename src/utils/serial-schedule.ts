/**
 * A periodic job that runs now and then every `everyMs`, never two runs at once (a run that
 * outlasts the interval delays the next instead of overlapping it), with each result or failure
 * handed to a callback so a failed run is reported and the next one tries again. `stop()` waits
 * for a run in progress. Serve's retention and live-state pruning both run this way.
 */
export interface SerialSchedule {
  /** Waits for a run in progress, then stops. */
  stop(): Promise<void>;
}

export function startSerialSchedule<T>(everyMs: number, run: () => Promise<T>, onResult: (result: T) => void, onError: (err: unknown) => void): SerialSchedule {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = (): void => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        onResult(await run());
      } catch (err) {
        onError(err);
      }
    });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
