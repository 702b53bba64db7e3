/**
 * ensureStream's error mapping, with a stand-in for the two JetStream management calls it makes
 * (streams.info and streams.add): what a late answer and a refusal turn into. The real server
 * paths are in publish.int.test.ts and the cluster test.
 */
import { describe, expect, it } from 'vitest';
import type { JetStreamManager, StreamInfo } from 'nats';
import { ensureStream } from './jetstream-stream.js';
import { untilJetStreamAnswers } from './jetstream-retry.js';
import { logNames } from './log-names.js';

const names = logNames('unit');
const settings = { partitions: 4, replicas: 3, dedupWindowMs: 120_000 };
const notFound = (): Error => Object.assign(new Error('stream not found'), { code: '404', api_error: { code: 404, err_code: 10059 } });
const timeout = (): Error => Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' });

/** streams.info finds the stream once `created` is true; streams.add runs `add`. */
function manager(add: () => Promise<void>, state: { created: boolean }): JetStreamManager {
  const info = (): Promise<StreamInfo> =>
    state.created
      ? Promise.resolve({ config: { subjects: Array.from({ length: settings.partitions }, (_, k) => names.subject(k)) } } as unknown as StreamInfo)
      : Promise.reject(notFound());
  return { streams: { info, add } } as unknown as JetStreamManager;
}

describe('ensureStream', () => {
  it('passes a late answer on as it is, so the caller can ask again, and then finds the stream', async () => {
    const state = { created: false };
    let adds = 0;
    const jsm = manager(() => {
      adds++;
      return Promise.reject(timeout());
    }, state);
    await expect(ensureStream(jsm, names, settings, true)).rejects.toMatchObject({ code: 'TIMEOUT' });
    // The server went on to create it after the client stopped waiting.
    state.created = true;
    const clock = { now: () => 0, sleep: () => Promise.resolve() };
    await expect(untilJetStreamAnswers('stream', 's', () => ensureStream(jsm, names, settings, true), { clock })).resolves.toBe(4);
    expect(adds).toBe(1);
  });

  it('turns a refusal into one line naming the stream', async () => {
    const refused = Object.assign(new Error('insufficient resources'), { code: '500', api_error: { code: 500, err_code: 10023 } });
    const jsm = manager(() => Promise.reject(refused), { created: false });
    await expect(ensureStream(jsm, names, settings, true)).rejects.toThrow(`cannot create stream ${names.stream}: insufficient resources`);
  });
});
