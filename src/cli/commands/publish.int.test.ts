/**
 * The edge side of scale-out on the real NATS server: `serve --publish` puts what it receives on
 * the stream instead of the stores, and `publish` exits 3 when the stream refuses messages.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscardPolicy, RetentionPolicy, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, ensureBuilt, runCli, startCli } from '../../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { connectTestNats, deleteLogOf, TEST_NATS_URL, watchOutput } from '../../testing/nats.js';
import { writeVesselTracks } from '../../testing/vessel-tracks-file.js';

let db: TestDatabase;
let redis: TestRedis;
let nc: NatsConnection;
let dir: string;
const envs: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('publish');
  redis = await createTestRedis('publish');
  nc = await connectTestNats();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-publish-'));
}, 120_000);

afterAll(async () => {
  for (const env of envs) await deleteLogOf(nc, env);
  await nc.close();
  await redis.cleanup();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('publishing to the log', () => {
  it('serve --publish puts what POST /v1/messages accepts on the stream, not in the stores', async () => {
    const env = `${redis.prefix}_serve`;
    envs.push(env);
    const file = join(dir, 'serve.jsonl');
    const { positions } = writeVesselTracks(file, 5, 10);
    const serve = startCli(['serve', '--port', '0', '--env', env, '--database-url', db.url, '--redis-url', redis.url, '--publish', TEST_NATS_URL]);
    const out = watchOutput(serve);
    try {
      const url = (await out.waitFor(/listening on (http:\/\/\S+)/))[1] ?? '';
      const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: readFileSync(file) });
      expect(res.status, await res.clone().text()).toBe(202);
      const info = await (await nc.jetstreamManager()).streams.info(`AIS_${env}`);
      // 202 is answered only once the stream acknowledged every message.
      expect(info.state.messages).toBe(positions);
    } finally {
      serve.child.kill('SIGTERM');
      const done = await serve.result;
      expect(done.code, describeResult(done)).toBe(0);
    }
  }, 60_000);

  it('publish exits 3 and says how many were not published when the stream refuses messages', async () => {
    const env = `${redis.prefix}_full`;
    envs.push(env);
    // The layout publish expects (one subject per partition), but full after 10 messages.
    await (
      await nc.jetstreamManager()
    ).streams.add({
      name: `AIS_${env}`,
      subjects: [`${env}.ais.p.0`, `${env}.ais.p.1`],
      retention: RetentionPolicy.Limits,
      max_msgs: 10,
      discard: DiscardPolicy.New,
    });
    const file = join(dir, 'full.jsonl');
    const { positions } = writeVesselTracks(file, 4, 5);
    const r = await runCli(['publish', '--env', env, '--nats', TEST_NATS_URL, '--json', '--max-in-flight', '4', file]);
    expect(r.code, describeResult(r)).toBe(3);
    const s = JSON.parse(r.stdout) as { messages: number; appended: number; duplicates: number; notPublished: number };
    expect(s.appended).toBe(10);
    expect(s.notPublished).toBe(positions - 10);
    expect(s.appended + s.duplicates + s.notPublished).toBe(s.messages);
  }, 120_000);
});
