/**
 * `/healthz`'s view of the live feeds. Pure: the feed set hands in each feed's state and times,
 * and the current time.
 *
 * A feed is silent when no AIS record arrived for longer than the stale limit (`--feed-stale`),
 * counting from its start before the first one. One silent feed is shown, not failed: a
 * receiver can be off for maintenance while others carry the traffic. Only when every feed is
 * silent does the instance report unhealthy, since it then ingests nothing.
 */
import type { DropReason, FeedState, FeedStats } from './feed-runner.js';

export interface FeedStatus {
  readonly name: string;
  readonly state: FeedState;
  /** The transport's own words: `connected to tcp 10.0.0.5:2000 for 40 s`, connections, … */
  readonly detail: string;
  readonly startedAtMs: number;
  readonly lastMessageAtMs: number | null;
  readonly stats: Readonly<FeedStats>;
}

export type ShownState = Exclude<FeedState, 'starting' | 'closed'> | 'silent' | 'closed';

export interface FeedCheck {
  readonly ok: boolean;
  readonly detail: string;
}

export interface FeedHealth {
  /** False only when there are feeds and every one of them is silent. */
  readonly ok: boolean;
  /** `feeds` (the verdict) and `feed:NAME` for each feed (informational). */
  readonly checks: Record<string, FeedCheck>;
}

export function silentForMs(s: FeedStatus, nowMs: number): number {
  return Math.max(0, nowMs - (s.lastMessageAtMs ?? s.startedAtMs));
}

export function isSilent(s: FeedStatus, nowMs: number, staleMs: number): boolean {
  return silentForMs(s, nowMs) > staleMs;
}

export function shownState(s: FeedStatus, nowMs: number, staleMs: number): ShownState {
  if (s.state === 'closed') return 'closed';
  if (isSilent(s, nowMs, staleMs)) return 'silent';
  return s.state === 'starting' ? 'connecting' : s.state;
}

export function formatAge(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function describeDrops(dropped: Readonly<Record<DropReason, number>>): string {
  const parts = Object.entries(dropped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`);
  return parts.length === 0 ? '' : `, dropped ${parts.join(', ')}`;
}

function feedCheck(s: FeedStatus, nowMs: number, staleMs: number): FeedCheck {
  const state = shownState(s, nowMs, staleMs);
  const age = silentForMs(s, nowMs);
  const last = s.lastMessageAtMs === null ? `no message yet (started ${formatAge(age)} ago)` : `last message ${formatAge(age)} ago`;
  const st = s.stats;
  const reconnects = st.reconnects > 0 ? `, ${st.reconnects} reconnects` : '';
  const notStored = st.notStored > 0 ? `, ${st.notStored} NOT STORED` : '';
  return {
    ok: state !== 'silent' && state !== 'closed',
    detail: `${state}: ${s.detail}; ${last}; ${st.messages} messages, ${st.rejected} rejected${describeDrops(st.dropped)}${reconnects}${notStored}`,
  };
}

export function feedHealth(statuses: readonly FeedStatus[], nowMs: number, staleMs: number): FeedHealth {
  const checks: Record<string, FeedCheck> = {};
  if (statuses.length === 0) return { ok: true, checks };
  const delivering = statuses.filter((s) => !isSilent(s, nowMs, staleMs)).length;
  const ok = delivering > 0;
  checks['feeds'] = {
    ok,
    detail: ok
      ? `${delivering} of ${statuses.length} feeds delivered within ${formatAge(staleMs)}`
      : `every feed silent for longer than ${formatAge(staleMs)} (--feed-stale): nothing is being ingested from them`,
  };
  for (const s of statuses) checks[`feed:${s.name}`] = feedCheck(s, nowMs, staleMs);
  return { ok, checks };
}
