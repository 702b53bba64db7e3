import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../formats/read-messages.js';
import { createPipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import type { MessageDone } from '../pipeline/pipeline.js';
import { createIngestHandler, type IngestTarget } from './ingest-handler.js';
import { IngestOverloadedError } from './ingest-overloaded-error.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const fixture = (name: string): string => readFileSync(FIXTURES + name, 'utf8');
/** An hour after the fixtures' traffic: none of it is "in the future". */
const NOW = Date.parse('2024-06-01T09:00:00.000Z');
const MAX_FUTURE = 5 * 60_000;

/** Acknowledges every message as durable on the next turn, unless told to hold or fail them. */
class RecordingPipeline implements IngestTarget {
  readonly submitted: { msg: NormalizedMessage; startMs: number }[] = [];
  readonly held: MessageDone[] = [];
  hold = false;
  saturatedFor = 0;
  drains = 0;
  get saturated(): boolean {
    return this.saturatedFor > 0;
  }
  submit(msg: NormalizedMessage, startMs: number, done: MessageDone): void {
    this.submitted.push({ msg, startMs });
    if (this.hold) this.held.push(done);
    else queueMicrotask(() => done(true));
  }
  drained(): Promise<void> {
    this.drains++;
    this.saturatedFor = 0;
    return Promise.resolve();
  }
}

function handlerFor(pipeline: IngestTarget, metrics = createPipelineMetrics()) {
  return {
    metrics,
    ingest: createIngestHandler({ pipeline, metrics, nowMs: () => NOW, clockMs: () => 42, maxFutureMs: MAX_FUTURE }),
  };
}

/** What `aisctl ingest` makes of the same file: the HTTP path must agree with it. */
async function readReference(name: string): Promise<{ messages: number; rejections: Rejection[] }> {
  const rejections: Rejection[] = [];
  let messages = 0;
  for await (const batch of readMessages(FIXTURES + name, { nowMs: () => NOW, maxFutureMs: MAX_FUTURE, onRejection: (r) => rejections.push(r) })) {
    messages += batch.length;
  }
  return { messages, rejections };
}

async function counter(metrics: ReturnType<typeof createPipelineMetrics>, name: string, label: string, value: string): Promise<number> {
  const m = await metrics.registry.getSingleMetric(name)?.get();
  return m?.values.find((v) => v.labels[label] === value)?.value ?? 0;
}

describe('ingest handler', () => {
  it('reads an NMEA body like file ingest does: same messages, same rejections with line numbers', async () => {
    const p = new RecordingPipeline();
    const { ingest, metrics } = handlerFor(p);
    const ref = await readReference('mixed.nmea');
    const r = await ingest(fixture('mixed.nmea'), 'text/plain');
    expect(r.formats).toEqual(['nmea']);
    expect(r.accepted).toBe(ref.messages);
    expect(r.accepted).toBeGreaterThan(200);
    expect(r.rejected).toBe(8);
    expect(r.errors.map((e) => `${e.line}:${e.reason}`)).toEqual(ref.rejections.map((x) => `${x.origin.line}:${x.reason}`));
    expect(p.submitted).toHaveLength(r.accepted);
    expect(p.submitted.every((s) => s.startMs === 42)).toBe(true);
    expect(p.submitted.every((s) => s.msg.origin.file === 'http')).toBe(true);
    expect(await counter(metrics, 'aisctl_rejections_total', 'reason', 'bad_checksum')).toBe(3);
    expect(await counter(metrics, 'aisctl_messages_total', 'outcome', 'rejected')).toBe(8);
  });

  it('names the source after the tag block station, else `http`', async () => {
    const p = new RecordingPipeline();
    await handlerFor(p).ingest(fixture('tagblock.nm4'), 'text/plain');
    const sources = new Set(p.submitted.map((s) => s.msg.source));
    expect(sources.size).toBeGreaterThan(1);
    expect(sources.has('http')).toBe(false);
    const q = new RecordingPipeline();
    await handlerFor(q).ingest(fixture('harbour.nmea'), 'text/plain');
    expect(new Set(q.submitted.map((s) => s.msg.source))).toEqual(new Set(['http']));
  });

  it('counts ignored records (base stations, aids to navigation) apart from rejections', async () => {
    const p = new RecordingPipeline();
    const { ingest, metrics } = handlerFor(p);
    const r = await ingest(fixture('harbour.nmea'), 'text/plain');
    const ref = await readReference('harbour.nmea');
    expect(r.accepted).toBe(ref.messages);
    expect(r.rejected).toBe(0);
    expect(r.ignored).toBeGreaterThan(0);
    expect(await counter(metrics, 'aisctl_messages_total', 'outcome', 'ignored')).toBe(r.ignored);
  });

  it.each([
    ['harbour.jsonl', 'jsonl'],
    ['harbour.aisstream.jsonl', 'aisstream'],
  ])('reads %s as application/x-ndjson', async (name, format) => {
    const p = new RecordingPipeline();
    const r = await handlerFor(p).ingest(fixture(name), 'application/x-ndjson');
    expect(r.formats).toEqual([format]);
    expect(r.accepted).toBe(240);
    expect(r.errors.map((e) => e.reason).sort()).toEqual(['bad_mmsi', 'malformed_record', 'position_out_of_range']);
  });

  it('sniffs JSON lines sent as text/plain', async () => {
    const p = new RecordingPipeline();
    const r = await handlerFor(p).ingest(fixture('harbour.jsonl'), 'text/plain');
    expect(r.formats).toEqual(['jsonl']);
    expect(r.accepted).toBe(240);
  });

  it('reads application/json: one object, an array mixing aisctl JSONL and aisstream, errors by array position', async () => {
    const jsonl = fixture('harbour.jsonl')
      .split('\n')
      .filter((l) => l.startsWith('{"kind"'));
    const stream = fixture('harbour.aisstream.jsonl')
      .split('\n')
      .filter((l) => l.includes('"MessageType":"PositionReport"'));
    const one = new RecordingPipeline();
    const r1 = await handlerFor(one).ingest(jsonl[0] ?? '', 'application/json');
    expect(r1).toMatchObject({ accepted: 1, rejected: 0 });

    const p = new RecordingPipeline();
    const body = `[${jsonl[0]},${stream[0]},42,${jsonl[1]}]`;
    const r = await handlerFor(p).ingest(body, 'application/json');
    expect(r.accepted).toBe(3);
    expect(r.rejected).toBe(1);
    expect(r.errors).toEqual([{ line: 3, reason: 'malformed_record', detail: 'expected a JSON object, got number' }]);
    expect(new Set(r.formats)).toEqual(new Set(['jsonl', 'aisstream']));
  });

  it('reads an AISHub web-service document as application/json', async () => {
    const p = new RecordingPipeline();
    const r = await handlerFor(p).ingest(fixture('harbour.aishub-0.json'), 'application/json');
    expect(r.formats).toEqual(['aishub']);
    expect(r.accepted).toBeGreaterThanOrEqual(212);
    expect(r.errors.map((e) => e.reason).sort()).toEqual(['bad_mmsi', 'position_out_of_range']);
  });

  it('answers invalid JSON with a reason instead of throwing', async () => {
    const p = new RecordingPipeline();
    const r = await handlerFor(p).ingest('{"kind":"position", oops', 'application/json');
    expect(r.accepted).toBe(0);
    expect(r.rejected).toBe(1);
    expect(r.errors[0]?.reason).toBe('malformed_record');
    expect(r.errors[0]?.detail).toMatch(/^invalid JSON/);
  });

  it('refuses the whole body with IngestOverloadedError when the pipeline is already saturated', async () => {
    const p = new RecordingPipeline();
    p.saturatedFor = 1;
    await expect(handlerFor(p).ingest(fixture('harbour.nmea'), 'text/plain')).rejects.toBeInstanceOf(IngestOverloadedError);
    expect(p.submitted).toHaveLength(0);
  });

  it('waits for the pipeline to drain when it fills up mid-body, then submits the rest', async () => {
    let submittedBeforeSaturation = 0;
    const p = new RecordingPipeline();
    const origSubmit = p.submit.bind(p);
    p.submit = (msg, start, done) => {
      origSubmit(msg, start, done);
      if (p.submitted.length === 100) {
        submittedBeforeSaturation = p.submitted.length;
        p.saturatedFor = 1;
      }
    };
    const r = await handlerFor(p).ingest(fixture('harbour.jsonl'), 'application/x-ndjson');
    expect(submittedBeforeSaturation).toBe(100);
    expect(p.drains).toBe(1);
    expect(p.submitted).toHaveLength(r.accepted);
  });

  it('keeps at most maxErrors errors but counts every rejection', async () => {
    const p = new RecordingPipeline();
    const ingest = createIngestHandler({ pipeline: p, nowMs: () => NOW, clockMs: () => 0, maxFutureMs: MAX_FUTURE, maxErrors: 2 });
    // Valid sentences with a wrong checksum: each is one bad_checksum rejection.
    const bad = [
      '!AIVDM,1,1,,A,13=??l002V0CLq>NL=>FemH00VbI,0*00',
      '!AIVDM,1,1,,B,17m03b1002PDqMjMm5=`po821qi5,0*00',
      '!AIVDM,1,1,,A,15MIeaP03f0G:D:MuacivAV40eOi,0*00',
    ];
    const r = await ingest(bad.join('\n'), 'text/plain');
    expect(r.rejected).toBe(3);
    expect(r.errors).toHaveLength(2);
  });

  it('never throws on arbitrary bodies, and accounts for every submitted message', async () => {
    const types = ['text/plain', 'application/json', 'application/x-ndjson'];
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), fc.constantFrom(...types), async (body, type) => {
        const p = new RecordingPipeline();
        const r = await handlerFor(p).ingest(body, type);
        expect(r.accepted).toBe(p.submitted.length);
        expect(r.errors.length).toBeLessThanOrEqual(r.rejected);
      }),
      { numRuns: 300 },
    );
  });
  it('answers only once every message is durable: nothing is acknowledged while a write is pending', async () => {
    const p = new RecordingPipeline();
    p.hold = true;
    let settled = false;
    const pending = handlerFor(p)
      .ingest(fixture('harbour.jsonl'), 'application/x-ndjson')
      .then((r) => {
        settled = true;
        return r;
      });
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    expect(p.held.length).toBeGreaterThan(10);
    expect(settled).toBe(false);
    const last = p.held.pop();
    for (const d of p.held) d(true);
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
    expect(settled).toBe(false);
    last?.(true);
    const r = await pending;
    expect(r.accepted).toBe(p.submitted.length);
    expect(r.notStored).toBeUndefined();
  });

  it('reports messages that could not be stored, with the reason, and stops reading the body', async () => {
    const p = new RecordingPipeline();
    p.hold = true;
    let chunksRead = 0;
    const lines = fixture('harbour.jsonl')
      .split('\n')
      .filter((l) => l !== '');
    async function* body(): AsyncGenerator<string> {
      for (const l of lines) {
        chunksRead++;
        yield `${l}\n`;
        // Fail what was submitted so far once the parser has started.
        if (chunksRead === 60) for (const d of p.held.splice(0)) d(false);
      }
    }
    const ingest = createIngestHandler({
      pipeline: p,
      nowMs: () => NOW,
      clockMs: () => 0,
      maxFutureMs: MAX_FUTURE,
      failureReason: () => 'could not write the redis part of a batch nor dead-letter it (ENOSPC)',
    });
    const pending = ingest(body(), 'application/x-ndjson');
    // Whatever was submitted after the failure is acknowledged as durable.
    const release = setInterval(() => {
      for (const d of p.held.splice(0)) d(true);
    }, 1);
    const r = await pending;
    clearInterval(release);
    expect(r.notStored).toBeGreaterThan(0);
    expect(r.notStoredReason).toContain('ENOSPC');
    expect(r.accepted + (r.notStored ?? 0)).toBe(p.submitted.length);
    expect(chunksRead).toBeLessThan(lines.length);
  });

  it('streams a line body: stops pulling chunks while the pipeline is saturated', async () => {
    const p = new RecordingPipeline();
    const lines = fixture('harbour.jsonl')
      .split('\n')
      .filter((l) => l !== '');
    let pulled = 0;
    let release: () => void = () => {};
    p.drained = () => {
      p.drains++;
      return new Promise<void>(
        (resolve) =>
          (release = () => {
            p.saturatedFor = 0;
            resolve();
          }),
      );
    };
    async function* body(): AsyncGenerator<string> {
      for (const l of lines) {
        pulled++;
        yield `${l}\n`;
      }
    }
    const origSubmit = p.submit.bind(p);
    p.submit = (msg, start, done) => {
      origSubmit(msg, start, done);
      if (p.submitted.length === 80) p.saturatedFor = 1;
    };
    const pending = handlerFor(p).ingest(body(), 'application/x-ndjson');
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    const pulledWhileSaturated = pulled;
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    expect(p.drains).toBe(1);
    expect(pulled).toBe(pulledWhileSaturated);
    expect(pulled).toBeLessThan(lines.length);
    release();
    const r = await pending;
    expect(pulled).toBe(lines.length);
    expect(r.accepted).toBe(p.submitted.length);
  });

  it('rejects a deeply nested JSON document as malformed_record instead of overflowing the stack', async () => {
    const p = new RecordingPipeline();
    const d = 100_000;
    const r = await handlerFor(p).ingest(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`, 'application/json');
    expect(r.accepted).toBe(0);
    expect(r.errors).toEqual([{ line: 1, reason: 'malformed_record', detail: 'JSON nested deeper than 64 levels' }]);
  });

  it('rejects an over-long line as line_too_long with its line number and reads on', async () => {
    const p = new RecordingPipeline();
    const ingest = createIngestHandler({ pipeline: p, nowMs: () => NOW, clockMs: () => 0, maxFutureMs: MAX_FUTURE, maxLineLength: 1000 });
    const lines = fixture('harbour.nmea')
      .split('\n')
      .filter((l) => l !== '');
    const body = [lines[0], 'x'.repeat(5000), ...lines.slice(1)].join('\n');
    const r = await ingest(body, 'text/plain');
    expect(r.errors.filter((e) => e.reason === 'line_too_long')).toEqual([
      { line: 2, reason: 'line_too_long', detail: 'line of 5000 characters is over the 1000-character limit' },
    ]);
    const ref = await handlerFor(new RecordingPipeline()).ingest(lines.join('\n'), 'text/plain');
    expect(r.accepted).toBe(ref.accepted);
  });
});
