import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../server/http-server.js';
import { ingestBodyText } from '../server/ingest-body.js';
import { COORDINATED_OMISSION_NOTE, runHttpLoad } from './http-load-driver.js';

interface Tiny {
  readonly url: string;
  readonly bodies: string[];
  close(): Promise<void>;
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A tiny server recording bodies; answers `status` after `delayMs`. */
async function tiny(status = 202, delayMs = 0): Promise<Tiny> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end('{}');
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const t: Tiny = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  open.push(t);
  return t;
}

function lineGenerator(): { next: (n: number) => string[]; produced: () => number } {
  let i = 0;
  return {
    next: (n) => Array.from({ length: n }, () => `!AIVDM,1,1,,A,line${i++},0*00`),
    produced: () => i,
  };
}

describe('runHttpLoad', () => {
  it('posts generated NMEA bodies at the rate and reports counts and percentiles', async () => {
    const s = await tiny();
    const gen = lineGenerator();
    const r = await runHttpLoad({ url: s.url, rate: 40, connections: 2, durationSeconds: 1, linesPerRequest: 5, nextLines: gen.next });
    expect(r.ok2xx).toBeGreaterThan(0);
    expect(r.ok2xx).toBe(r.completed);
    expect(s.bodies.length).toBeGreaterThanOrEqual(r.ok2xx);
    expect(r.sent).toBeGreaterThanOrEqual(s.bodies.length);
    expect(r.sent).toBeLessThanOrEqual(gen.produced() / 5);
    for (const b of s.bodies) expect(b.trimEnd().split('\n')).toHaveLength(5);
    // every request had fresh lines from the generator
    expect(new Set(s.bodies).size).toBe(s.bodies.length);
    expect(gen.produced()).toBeGreaterThanOrEqual(s.bodies.length * 5);
    expect(r.linesAccepted).toBe(r.ok2xx * 5);
    expect(r.byStatus['202']).toBe(r.ok2xx);
    expect(r.latencyMs.samples).toBe(r.ok2xx);
    for (const v of Object.values(r.latencyMs)) expect(Number.isFinite(v)).toBe(true);
    expect(r.warnings[0]).toBe(COORDINATED_OMISSION_NOTE);
    expect(r.autocannonCorrection).toBe(false);
  });

  it('warns when the server cannot keep the intended rate (omitted waits)', async () => {
    const s = await tiny(202, 200);
    const gen = lineGenerator();
    // 2 closed-loop connections at 200 ms each can send at most ~10 req/s of the 50 intended.
    const r = await runHttpLoad({ url: s.url, rate: 50, connections: 2, durationSeconds: 1, linesPerRequest: 1, nextLines: gen.next });
    expect(r.sent).toBeLessThan(r.intendedRequests);
    expect(r.warnings.some((w) => w.includes('intended requests'))).toBe(true);
    expect(r.warnings.some((w) => w.includes('raise --connections'))).toBe(true);
  });

  it("shows autocannon's own correction back-filling synthetic samples", async () => {
    const s = await tiny(202, 20);
    const gen = lineGenerator();
    const r = await runHttpLoad({
      url: s.url,
      rate: 20,
      connections: 2,
      durationSeconds: 1,
      linesPerRequest: 1,
      nextLines: gen.next,
      autocannonCorrection: true,
    });
    expect(r.ok2xx).toBeGreaterThan(0);
    expect(r.latencyMs.samples).toBeGreaterThan(r.ok2xx * 5);
    expect(r.warnings.some((w) => w.includes('back-fills'))).toBe(true);
  });

  it('counts non-2xx responses and keeps them out of the percentiles', async () => {
    const s = await tiny(503);
    const gen = lineGenerator();
    const r = await runHttpLoad({ url: s.url, rate: 20, connections: 1, durationSeconds: 1, linesPerRequest: 1, nextLines: gen.next });
    expect(r.ok2xx).toBe(0);
    expect(r.non2xx).toBeGreaterThan(0);
    expect(r.byStatus['503']).toBe(r.non2xx);
    expect(r.latencyMs.samples).toBe(0);
    expect(r.warnings.some((w) => w.includes('non-2xx'))).toBe(true);
  });

  it('drives the real HTTP edge end to end', async () => {
    let lines = 0;
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      registry: new Registry(),
      ingest: async (body) => {
        const n = (await ingestBodyText(body)).split('\n').filter((l) => l !== '').length;
        lines += n;
        return { accepted: n, rejected: 0, errors: [] };
      },
      health: async () => ({ ok: true, checks: {} }),
    });
    open.push(server);
    const gen = lineGenerator();
    const r = await runHttpLoad({ url: server.url, rate: 30, connections: 2, durationSeconds: 1, linesPerRequest: 10, nextLines: gen.next });
    expect(r.byStatus['202']).toBe(r.ok2xx);
    expect(lines).toBeGreaterThanOrEqual(r.linesAccepted);
  });

  it('stops early on abort and refuses nonsense options', async () => {
    const s = await tiny();
    const gen = lineGenerator();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await runHttpLoad({ url: s.url, rate: 20, connections: 1, durationSeconds: 30, linesPerRequest: 1, nextLines: gen.next, signal: ac.signal });
    expect(r.durationSeconds).toBeLessThan(30);
    expect(() => runHttpLoad({ url: s.url, rate: 0, connections: 1, durationSeconds: 1, linesPerRequest: 1, nextLines: gen.next })).toThrow(/rate/);
  });
});
