import { describe, expect, it } from 'vitest';
import { feedHealth, shownState, type FeedStatus } from './feed-health.js';
import type { FeedStats } from './feed-runner.js';

const STALE = 5 * 60_000;
const T0 = Date.parse('2024-06-01T08:00:00Z');

function stats(over: Partial<FeedStats> = {}): FeedStats {
  return {
    bytes: 0,
    datagrams: 0,
    lines: 0,
    messages: 0,
    rejected: 0,
    ignored: 0,
    durable: 0,
    notStored: 0,
    reconnects: 0,
    pauses: 0,
    failingPauses: 0,
    dropped: { saturated: 0, line_too_long: 0, junk: 0, connection_limit: 0, not_stored: 0, kernel: 0, failing: 0 },
    ...over,
  };
}

function feed(name: string, over: Partial<FeedStatus> = {}): FeedStatus {
  return { name, state: 'connected', detail: `detail of ${name}`, startedAtMs: T0, lastMessageAtMs: null, stats: stats(), ...over };
}

describe('feedHealth', () => {
  it('is healthy with no feeds at all, and adds no checks', () => {
    expect(feedHealth([], T0, STALE)).toEqual({ ok: true, checks: {} });
  });

  it('a feed is silent once nothing arrived for longer than the stale limit, counted from its start before the first message', () => {
    const f = feed('a');
    expect(shownState(f, T0 + STALE, STALE)).toBe('connected');
    expect(shownState(f, T0 + STALE + 1, STALE)).toBe('silent');
    const heard = feed('a', { lastMessageAtMs: T0 + 60_000, state: 'listening' });
    expect(shownState(heard, T0 + STALE + 1, STALE)).toBe('listening');
    expect(shownState(heard, T0 + 60_000 + STALE + 1, STALE)).toBe('silent');
    expect(shownState(feed('a', { state: 'reconnecting' }), T0, STALE)).toBe('reconnecting');
    expect(shownState(feed('a', { state: 'starting' }), T0, STALE)).toBe('connecting');
  });

  it('stays healthy while one feed delivers, listing each feed with its state and counts', () => {
    const now = T0 + 10 * 60_000;
    const h = feedHealth(
      [
        feed('north', {
          lastMessageAtMs: now - 2_000,
          stats: stats({
            messages: 120,
            rejected: 3,
            reconnects: 2,
            dropped: { saturated: 0, line_too_long: 1, junk: 0, connection_limit: 0, not_stored: 0, kernel: 0, failing: 0 },
          }),
        }),
        feed('south', { state: 'reconnecting' }),
      ],
      now,
      STALE,
    );
    expect(h.ok).toBe(true);
    expect(h.checks['feeds']).toEqual({ ok: true, detail: '1 of 2 feeds delivered within 5.0 min' });
    expect(h.checks['feed:north']).toEqual({
      ok: true,
      detail: 'connected: detail of north; last message 2.0 s ago; 120 messages, 3 rejected, dropped 1 line_too_long, 2 reconnects',
    });
    expect(h.checks['feed:south']?.ok).toBe(false);
    expect(h.checks['feed:south']?.detail).toMatch(/^silent: detail of south; no message yet \(started 10\.0 min ago\)/);
  });

  it('fails when every feed has been silent for longer than the limit, and says what is not stored', () => {
    const now = T0 + STALE + 1;
    const h = feedHealth([feed('a', { stats: stats({ notStored: 4 }) }), feed('b', { state: 'listening' })], now, STALE);
    expect(h.ok).toBe(false);
    expect(h.checks['feeds']?.detail).toMatch(/every feed silent for longer than 5\.0 min/);
    expect(h.checks['feed:a']?.detail).toMatch(/4 NOT STORED$/);
  });
});
