import { gzipSync } from 'node:zlib';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type HealthReport, type HttpServerOptions, type IngestResult, type RunningHttpServer } from './http-server.js';
import { ingestBodyText, type IngestBody } from './ingest-body.js';
import { IngestOverloadedError } from './ingest-overloaded-error.js';

const NMEA = '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\n!AIVDM,1,1,,A,bad,0*00\n';

/** Counts lines and calls every line containing "bad" invalid: enough to exercise the edge. */
async function countingIngest(raw: IngestBody): Promise<IngestResult> {
  const body = await ingestBodyText(raw);
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  const errors = lines.flatMap((l, i) => (l.includes('bad') ? [{ line: i + 1, reason: 'malformed_sentence', detail: l }] : []));
  return { accepted: lines.length - errors.length, rejected: errors.length, errors };
}

const healthy = async (): Promise<HealthReport> => ({ ok: true, checks: { redis: { ok: true, detail: 'PONG' }, postgres: { ok: true, detail: 'SELECT 1' } } });

let servers: RunningHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(over: Partial<HttpServerOptions> = {}): Promise<RunningHttpServer & { calls: Array<{ body: string; type: string }> }> {
  const calls: Array<{ body: string; type: string }> = [];
  const registry = new Registry();
  new Counter({ name: 'aisctl_test_requests_total', help: 'test counter', registers: [registry] }).inc(3);
  const s = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    ingest: async (raw, type) => {
      const body = await ingestBodyText(raw);
      calls.push({ body, type });
      return countingIngest(body);
    },
    health: healthy,
    ...over,
  });
  servers.push(s);
  return Object.assign(s, { calls });
}

function post(url: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'text/plain' }): Promise<Response> {
  return fetch(`${url}/v1/messages`, { method: 'POST', body, headers });
}

describe('GET /metrics and /healthz', () => {
  it('serves Prometheus text from the registry', async () => {
    const s = await start();
    const r = await fetch(`${s.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(await r.text()).toContain('aisctl_test_requests_total 3');
  });

  it('answers 200 with the checks when healthy, 503 when not or when the check throws', async () => {
    const ok = await start();
    const r1 = await fetch(`${ok.url}/healthz`);
    expect(r1.status).toBe(200);
    expect(await r1.json()).toMatchObject({ ok: true, checks: { redis: { ok: true } } });

    const sick = await start({ health: async () => ({ ok: false, checks: { redis: { ok: false, detail: 'ECONNREFUSED 127.0.0.1:6379' } } }) });
    const r2 = await fetch(`${sick.url}/healthz`);
    expect(r2.status).toBe(503);
    expect(await r2.json()).toMatchObject({ ok: false, checks: { redis: { detail: 'ECONNREFUSED 127.0.0.1:6379' } } });

    const errors: string[] = [];
    const broken = await start({ health: async () => Promise.reject(new Error('boom')), onError: (_e, where) => errors.push(where) });
    const r3 = await fetch(`${broken.url}/healthz`);
    expect(r3.status).toBe(503);
    expect(JSON.stringify(await r3.json())).toContain('boom');
    expect(errors).toEqual(['health']);
  });
});

describe('POST /v1/messages', () => {
  it('accepts NMEA lines with 202 and the counts', async () => {
    const s = await start();
    const r = await post(s.url, NMEA);
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ accepted: 1, rejected: 1, errors: [{ line: 2, reason: 'malformed_sentence', detail: '!AIVDM,1,1,,A,bad,0*00' }] });
    expect(s.calls).toEqual([{ body: NMEA, type: 'text/plain' }]);
  });

  it('passes JSON, JSON lines and their aliases as normalized media types', async () => {
    const s = await start();
    await post(s.url, '{"mmsi":1}', { 'content-type': 'application/json; charset=utf-8' });
    await post(s.url, '[{"mmsi":1},{"mmsi":2}]', { 'content-type': 'application/json' });
    await post(s.url, '{"mmsi":1}\n{"mmsi":2}\n', { 'content-type': 'application/jsonl' });
    await post(s.url, '{"mmsi":1}\n', { 'content-type': 'application/x-ndjson' });
    expect(s.calls.map((c) => c.type)).toEqual(['application/json', 'application/json', 'application/x-ndjson', 'application/x-ndjson']);
  });

  it('treats a missing content type as NMEA text', async () => {
    const s = await start();
    const r = await fetch(`${s.url}/v1/messages`, { method: 'POST', body: new TextEncoder().encode(NMEA) });
    expect(r.status).toBe(202);
    expect(s.calls[0]?.type).toBe('text/plain');
  });

  it('answers 400 with the errors when nothing in the body was valid, and for an empty body', async () => {
    const s = await start();
    const r = await post(s.url, 'bad one\nbad two\n');
    expect(r.status).toBe(400);
    const body = (await r.json()) as IngestResult;
    expect(body.accepted).toBe(0);
    expect(body.errors.map((e) => e.line)).toEqual([1, 2]);
    const empty = await post(s.url, '  \n');
    expect(empty.status).toBe(400);
    expect(JSON.stringify(await empty.json())).toContain('empty body');
    expect(s.calls).toHaveLength(1);
  });

  it('lists at most maxErrorsInResponse errors and says how many were left out', async () => {
    const s = await start({ maxErrorsInResponse: 2 });
    const r = await post(s.url, `${'bad\n'.repeat(5)}good\n`);
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ accepted: 1, rejected: 5, errorsTruncated: 3 });
  });

  it('answers 413 over the body limit without calling ingest', async () => {
    const s = await start({ maxBodyBytes: 1024, maxStreamBytes: 2048 });
    const r = await post(s.url, 'x'.repeat(10_000));
    expect(r.status).toBe(413);
    expect(JSON.stringify(await r.json())).toContain('2048-byte limit');
    const json = await post(s.url, `[${'1,'.repeat(1000)}1]`, { 'content-type': 'application/json' });
    expect(json.status).toBe(413);
    expect(JSON.stringify(await json.json())).toContain('1024-byte limit');
    expect(s.calls).toHaveLength(0);
  });

  it('applies the limit after decompression (gzip bomb) and accepts normal gzip bodies', async () => {
    const s = await start({ maxBodyBytes: 1024, maxStreamBytes: 1024 });
    const bomb = gzipSync(Buffer.alloc(1_000_000, 0x41));
    expect(bomb.length).toBeLessThan(1024 * 2);
    const r = await post(s.url, bomb, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
    const ok = await post(s.url, gzipSync(Buffer.from(NMEA)), { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    expect(ok.status).toBe(202);
    expect(s.calls).toEqual([{ body: NMEA, type: 'text/plain' }]);
    const bad = await post(s.url, 'x', { 'content-type': 'text/plain', 'content-encoding': 'br' });
    expect(bad.status).toBe(415);
  });

  it('answers 415 for media types and charsets it cannot read', async () => {
    const s = await start();
    const r = await post(s.url, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
    expect(JSON.stringify(await r.json())).toContain('text/plain');
    expect((await post(s.url, 'x', { 'content-type': 'text/plain; charset=latin1' })).status).toBe(415);
  });

  it('answers 503 with Retry-After when the pipeline is overloaded (back-pressure)', async () => {
    let overloaded = true;
    const s = await start({ overloaded: () => overloaded });
    const r = await post(s.url, NMEA);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(s.calls).toHaveLength(0);
    overloaded = false;
    expect((await post(s.url, NMEA)).status).toBe(202);

    const t = await start({
      ingest: async () => {
        throw new IngestOverloadedError('queue over high-water mark', 2.5);
      },
    });
    const r2 = await post(t.url, NMEA);
    expect(r2.status).toBe(503);
    expect(r2.headers.get('retry-after')).toBe('3');
  });

  it('answers 503 beyond maxConcurrentIngests', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let entered: () => void = () => {};
    const inside = new Promise<void>((r) => (entered = r));
    const s = await start({
      maxConcurrentIngests: 1,
      ingest: async (body) => {
        entered();
        await gate;
        return countingIngest(body);
      },
    });
    const first = post(s.url, NMEA);
    await inside;
    const second = await post(s.url, NMEA);
    expect(second.status).toBe(503);
    release();
    expect((await first).status).toBe(202);
  });

  it('answers 500 with the reason when ingest fails unexpectedly', async () => {
    const seen: unknown[] = [];
    const s = await start({ ingest: async () => Promise.reject(new Error('redis write failed')), onError: (e) => seen.push(e) });
    const r = await post(s.url, NMEA);
    expect(r.status).toBe(500);
    expect(JSON.stringify(await r.json())).toContain('redis write failed');
    expect(seen).toHaveLength(1);
  });
});

describe('routing and lifecycle', () => {
  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    const r = await fetch(`${s.url}/v1/messages`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    expect((await fetch(`${s.url}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(`${s.url}/healthz?verbose=1`)).status).toBe(200);
  });

  it('close() lets an in-flight ingest finish, then refuses new connections', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let entered: () => void = () => {};
    const inside = new Promise<void>((r) => (entered = r));
    const s = await start({
      ingest: async (body) => {
        entered();
        await gate;
        return countingIngest(body);
      },
    });
    const inflight = post(s.url, NMEA);
    await inside;
    let closed = false;
    const closing = s.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    await expect(fetch(`${s.url}/healthz`, { headers: { connection: 'close' } })).rejects.toThrow();
    release();
    const r = await inflight;
    expect(r.status).toBe(202);
    expect(r.headers.get('connection')).toBe('close');
    await closing;
    expect(closed).toBe(true);
  });

  it('says which address is in use when it cannot listen', async () => {
    const s = await start();
    const port = Number(new URL(s.url).port);
    await expect(startHttpServer({ host: '127.0.0.1', port, registry: new Registry(), ingest: countingIngest, health: healthy })).rejects.toThrow(
      `cannot listen on 127.0.0.1:${port}: address already in use`,
    );
  });
});
