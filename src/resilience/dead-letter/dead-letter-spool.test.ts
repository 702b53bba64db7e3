import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeadLetterEntry } from './dead-letter-queue.js';
import { decodeSpoolLine, encodeSpoolLine, openDeadLetterSpool, readSpoolSegment } from './dead-letter-spool.js';
import { positionRow, staticRow } from '../../testing/test-rows.js';

function entry(id: string, firstFailedAt = 1_000): DeadLetterEntry {
  return {
    id,
    target: 'postgres',
    positions: [positionRow(244_000_001, 1_700_000_000_000, { lat: 51.123456789, source: 'src "quoted" \n' }), positionRow(244_000_002, 1_700_000_001_000)],
    statics: [staticRow(244_000_001, 1_700_000_000_000, { name: 'ÆGIR ✓' })],
    attempts: 0,
    firstFailedAt,
    nextAttemptAt: firstFailedAt + 1_000,
    lastError: 'Error: connect ECONNREFUSED',
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aisctl-spool-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const segments = () => readdirSync(dir).filter((f) => f.endsWith('.jsonl'));

describe('dead-letter spool', () => {
  it('round-trips entries exactly through a line', () => {
    const e = entry('a');
    const line = encodeSpoolLine(e);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(decodeSpoolLine(line.slice(0, -1))).toEqual({ ok: true, entry: e });
  });

  it('appends durably, reports stats, and drains to a handler then deletes the segment', async () => {
    const spool = openDeadLetterSpool({ dir });
    await Promise.all([spool.append([entry('a', 500)]), spool.append([entry('b', 700), entry('c', 900)])]);
    expect(await spool.stats()).toMatchObject({ spooled: 3, oldestFirstFailedAt: 500, segments: 1 });
    expect(segments()).toHaveLength(1);

    const got: string[] = [];
    const r = await spool.drain(async (es) => {
      got.push(...es.map((e) => e.id));
    });
    expect(r).toEqual({ handedOff: 3, corrupt: 0, segments: 1 });
    expect(got.sort()).toEqual(['a', 'b', 'c']);
    expect(segments()).toHaveLength(0);
    expect((await spool.stats()).spooled).toBe(0);

    // appends after a drain go to a fresh segment
    await spool.append([entry('d')]);
    expect(segments()).toHaveLength(1);
    await spool.close();
  });

  it('a failing hand-off keeps the segment for the next drain', async () => {
    const spool = openDeadLetterSpool({ dir });
    await spool.append([entry('a'), entry('b')]);
    await expect(spool.drain(() => Promise.reject(new Error('redis still down')))).rejects.toThrow('redis still down');
    expect(segments()).toHaveLength(1);
    const got: string[] = [];
    await spool.drain(async (es) => void got.push(...es.map((e) => e.id)));
    expect(got).toEqual(['a', 'b']);
    await spool.close();
  });

  it('skips a line torn by a crash mid-write (and a damaged one), counts them, never throws', async () => {
    const first = openDeadLetterSpool({ dir, pid: 999_999, isProcessAlive: () => false });
    await first.append([entry('a'), entry('b')]);
    await first.close();
    const [seg] = segments();
    const path = join(dir, seg ?? '');
    // a kill -9 in the middle of a write leaves a prefix of the next line
    const torn = encodeSpoolLine(entry('c'));
    appendFileSync(path, torn.slice(0, Math.floor(torn.length / 2)));
    // bit rot in a complete line: still valid JSON, wrong checksum
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').replace('ROTTERDAM', 'ROTTERDAN');
    writeFileSync(path, lines.join('\n'));

    const contents = await readSpoolSegment(path);
    expect(contents.entries.map((e) => e.id)).toEqual(['a']);
    expect(contents.corrupt.map((c) => c.reason)).toEqual(['checksum mismatch', expect.stringContaining('no trailing newline')]);

    // a later process picks up the dead writer's segment
    const reported: string[] = [];
    const second = openDeadLetterSpool({ dir, onCorruptLine: (_f, line, reason) => reported.push(`${line}:${reason}`) });
    const got: string[] = [];
    const r = await second.drain(async (es) => void got.push(...es.map((e) => e.id)));
    expect(got).toEqual(['a']);
    expect(r.corrupt).toBe(2);
    expect(reported).toHaveLength(2);
    expect((await second.stats()).corruptLines).toBe(2);
    expect(segments()).toHaveLength(0);
    await second.close();
  });

  it("leaves a live process's segment alone", async () => {
    const other = openDeadLetterSpool({ dir, pid: 4242 });
    await other.append([entry('theirs')]);
    const mine = openDeadLetterSpool({ dir, isProcessAlive: (pid) => pid === 4242 });
    await mine.append([entry('mine')]);
    const got: string[] = [];
    await mine.drain(async (es) => void got.push(...es.map((e) => e.id)));
    expect(got).toEqual(['mine']);
    expect(segments()).toHaveLength(1);
    await other.close();
    await mine.close();
  });

  it('rotates segments at the size limit, drains oldest first, and purges', async () => {
    const spool = openDeadLetterSpool({ dir, maxSegmentBytes: 1 });
    for (const id of ['a', 'b', 'c']) await spool.append([entry(id)]);
    expect(segments()).toHaveLength(3);
    const got: string[] = [];
    await spool.drain(async (es) => void got.push(...es.map((e) => e.id)));
    expect(got).toEqual(['a', 'b', 'c']);
    await spool.append([entry('x'), entry('y')]);
    expect(await spool.purge()).toBe(2);
    expect(segments()).toHaveLength(0);
    await spool.close();
  });

  it('rejects the append (not accepted) when the spool cannot be written', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const spool = openDeadLetterSpool({ dir: join(file, 'spool') });
    await expect(spool.append([entry('a')])).rejects.toThrow();
  });
});
