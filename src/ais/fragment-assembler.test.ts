import { describe, expect, it } from 'vitest';
import { FragmentAssembler, type AssembledMessage, type FragmentOffer, type FragmentRejection } from './fragment-assembler.js';

interface Rejected {
  reason: FragmentRejection;
  detail: string;
  line: number;
  fragments: number;
}

function setup(options: { maxPending?: number; timeoutMs?: number } = {}) {
  const rejected: Rejected[] = [];
  const duplicates: number[] = [];
  const asm = new FragmentAssembler(
    {
      reject: (reason, detail, line, fragments) => rejected.push({ reason, detail, line, fragments }),
      duplicate: (line) => duplicates.push(line),
    },
    options,
  );
  const done: AssembledMessage[] = [];
  let line = 0;
  const offer = (key: string, n: number, count: number, payload: string, extra: Partial<FragmentOffer> = {}) => {
    line++;
    const r = asm.offer({
      key,
      fragmentNumber: n,
      fragmentCount: count,
      payload,
      fillBits: n === count ? 2 : 0,
      line,
      nowMs: null,
      clock: '',
      station: null,
      receivedAt: null,
      group: null,
      ...extra,
    });
    if (r !== null) done.push(r);
    return r;
  };
  return { asm, rejected, duplicates, done, offer };
}

describe('FragmentAssembler', () => {
  it('joins fragments in order and reports the first line, last line and fill bits', () => {
    const { asm, done, offer } = setup();
    expect(offer('A seq 1', 1, 3, 'aa')).toBeNull();
    expect(offer('A seq 1', 2, 3, 'bb')).toBeNull();
    expect(offer('A seq 1', 3, 3, 'cc')).toMatchObject({ payload: 'aabbcc', fillBits: 2, firstLine: 1, line: 3, sentenceCount: 3 });
    expect(done).toHaveLength(1);
    expect(asm.pendingMessages).toBe(0);
    expect(asm.pendingFragments).toBe(0);
  });

  it('keeps interleaved messages with different sequential ids on one channel apart', () => {
    const { done, rejected, offer } = setup();
    offer('A seq 1', 1, 2, 'x1');
    offer('A seq 2', 1, 2, 'y1');
    offer('A seq 1', 2, 2, 'x2');
    offer('A seq 2', 2, 2, 'y2');
    expect(done.map((d) => d.payload)).toEqual(['x1x2', 'y1y2']);
    expect(rejected).toEqual([]);
  });

  it('keeps the same sequential id on different channels apart', () => {
    const { done, offer } = setup();
    offer('A seq 3', 1, 2, 'a1');
    offer('B seq 3', 1, 2, 'b1');
    offer('B seq 3', 2, 2, 'b2');
    offer('A seq 3', 2, 2, 'a2');
    expect(done.map((d) => d.payload)).toEqual(['b1b2', 'a1a2']);
  });

  it('with empty sequential ids, a new fragment 1 ends the previous message instead of splicing into it', () => {
    const { done, rejected, offer } = setup();
    offer('A seq -', 1, 2, 'p1');
    offer('A seq -', 1, 2, 'q1');
    offer('A seq -', 2, 2, 'q2');
    expect(done.map((d) => d.payload)).toEqual(['q1q2']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ reason: 'bad_fragment_sequence', line: 1, fragments: 1 });
    expect(rejected[0]?.detail).toContain('new fragment 1 at line 2');
  });

  it('ignores an exact duplicate of a held fragment', () => {
    const { done, duplicates, rejected, offer } = setup();
    offer('k', 1, 3, 'a');
    offer('k', 1, 3, 'a');
    offer('k', 2, 3, 'b');
    offer('k', 2, 3, 'b');
    offer('k', 3, 3, 'c');
    expect(done.map((d) => d.payload)).toEqual(['abc']);
    expect(duplicates).toEqual([2, 4]);
    expect(rejected).toEqual([]);
  });

  it('rejects a fragment without its predecessors', () => {
    const { done, rejected, asm, offer } = setup();
    offer('k', 2, 2, 'b');
    expect(done).toEqual([]);
    expect(rejected).toMatchObject([{ reason: 'bad_fragment_sequence', line: 1, fragments: 1 }]);
    expect(asm.pendingMessages).toBe(0);
  });

  it('rejects shuffled fragments: a gap drops the held message and the fragment', () => {
    const { done, rejected, asm, offer } = setup();
    offer('k', 1, 3, 'a');
    offer('k', 3, 3, 'c');
    offer('k', 2, 3, 'b');
    expect(done).toEqual([]);
    expect(rejected.map((r) => [r.reason, r.line, r.fragments])).toEqual([
      ['bad_fragment_sequence', 2, 2],
      ['bad_fragment_sequence', 3, 1],
    ]);
    expect(asm.pendingFragments).toBe(0);
  });

  it('rejects a repeated fragment number with a different payload', () => {
    const { rejected, done, offer } = setup();
    offer('k', 1, 3, 'a');
    offer('k', 2, 3, 'b');
    offer('k', 2, 3, 'B');
    offer('k', 3, 3, 'c');
    expect(done).toEqual([]);
    expect(rejected.map((r) => r.fragments)).toEqual([3, 1]);
  });

  it('evicts the oldest pending message beyond the cap', () => {
    const { rejected, asm, offer, done } = setup({ maxPending: 2 });
    offer('k1', 1, 2, 'a');
    offer('k2', 1, 2, 'b');
    offer('k3', 1, 2, 'c');
    expect(asm.pendingMessages).toBe(2);
    expect(rejected).toMatchObject([{ reason: 'fragment_evicted', line: 1, fragments: 1 }]);
    expect(rejected[0]?.detail).toContain('more than 2');
    offer('k2', 2, 2, 'B');
    offer('k1', 2, 2, 'A');
    expect(done.map((d) => d.payload)).toEqual(['bB']);
    expect(rejected).toHaveLength(2);
  });

  it('evicts messages older than the timeout in input time', () => {
    const { rejected, asm, offer, done } = setup({ timeoutMs: 1000 });
    offer('old', 1, 2, 'a', { nowMs: 10_000 });
    offer('young', 1, 2, 'b', { nowMs: 10_500 });
    asm.expire(11_000); // exactly the timeout: kept
    expect(rejected).toEqual([]);
    asm.expire(11_001);
    expect(rejected).toMatchObject([{ reason: 'fragment_evicted', line: 1, fragments: 1 }]);
    expect(rejected[0]?.detail).toContain('timed out');
    offer('young', 2, 2, 'B', { nowMs: 11_200 });
    expect(done.map((d) => d.payload)).toEqual(['bB']);
    offer('old', 2, 2, 'A', { nowMs: 11_300 });
    expect(rejected).toHaveLength(2);
    expect(rejected[1]?.reason).toBe('bad_fragment_sequence');
  });

  it('copes with input time going backwards', () => {
    const { rejected, asm, offer } = setup({ timeoutMs: 1000 });
    offer('late', 1, 2, 'a', { nowMs: 20_000 });
    offer('early', 1, 2, 'b', { nowMs: 5_000 });
    asm.expire(6_500);
    expect(rejected.map((r) => r.line)).toEqual([2]);
    asm.expire(21_500);
    expect(rejected.map((r) => r.line)).toEqual([2, 1]);
    expect(asm.pendingMessages).toBe(0);
  });

  it('times each message by the clock it started on', () => {
    const { rejected, asm, offer, done } = setup({ timeoutMs: 1000 });
    offer('sat', 1, 2, 'a', { nowMs: 1_000, clock: 'orbcomm' });
    asm.expire(500_000, 'shore'); // a much later reading from another receiver: no effect
    expect(rejected).toEqual([]);
    offer('sat', 2, 2, 'b', { nowMs: 1_000, clock: 'orbcomm' });
    expect(done.map((d) => d.payload)).toEqual(['ab']);
    offer('sat', 1, 2, 'c', { nowMs: 2_000, clock: 'orbcomm' });
    asm.expire(3_001, 'orbcomm');
    expect(rejected).toMatchObject([{ reason: 'fragment_evicted', line: 3 }]);
  });

  it('keeps messages without a time until the cap or the end of input', () => {
    const { rejected, asm, offer } = setup({ timeoutMs: 1 });
    offer('k', 1, 2, 'a');
    asm.expire(Number.MAX_SAFE_INTEGER);
    expect(rejected).toEqual([]);
    asm.flush();
    expect(rejected).toMatchObject([{ reason: 'bad_fragment_sequence', line: 1, fragments: 1 }]);
    expect(rejected[0]?.detail).toContain('end of input');
  });

  it('takes station and time from the first fragment that has them', () => {
    const { done, offer } = setup();
    offer('g', 1, 2, 'a', { group: '27300', station: 'b003669710', receivedAt: 1 });
    offer('g', 2, 2, 'b', { group: '27300' });
    expect(done[0]).toMatchObject({ station: 'b003669710', receivedAt: 1, group: '27300' });
    offer('h', 1, 2, 'a');
    offer('h', 2, 2, 'b', { station: 'b003660465' });
    expect(done[1]?.station).toBe('b003660465');
  });

  it('stays bounded under a flood of orphan first fragments', () => {
    const { asm, rejected, offer } = setup({ maxPending: 16 });
    for (let i = 0; i < 10_000; i++) offer(`k${i}`, 1, 2, 'x');
    expect(asm.pendingMessages).toBe(16);
    expect(asm.pendingFragments).toBe(16);
    expect(rejected).toHaveLength(10_000 - 16);
  });
});
