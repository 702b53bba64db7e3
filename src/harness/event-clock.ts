/**
 * Event time of `aisctl load --via udp|tcp` (feed-load-sender.ts). A feed checks tag block times
 * against its own clock, so they may not run ahead of it; vessels must still report at ITU
 * intervals, or fusion collapses their reports as duplicates. When the rate is above what the
 * fleet transmits, event time therefore starts in the past and runs faster than the wall clock,
 * never passing it: a recording replayed fast through a live feed.
 */
import type { LoadShape } from './load-shape.js';
import { reportIntervalMs, type VesselTrack } from './vessel-track.js';

/** Slack on the estimate: speeds, hence report intervals, drift during a run. */
const LEAD_MARGIN = 1.1;
const SAMPLES = 1000;

/** Reports per second the fleet sends at ITU intervals, as it is now. */
export function fleetRate(fleet: readonly VesselTrack[]): number {
  return fleet.reduce((r, t) => r + 1000 / reportIntervalMs(t), 0);
}

/**
 * How long before the wall clock event time must start for the whole shape to stay behind it,
 * each send advancing event time by one report of a fleet sending `fleetPerSecond`. Duplicate,
 * late and corrupt sends do not advance it, which only adds to the margin. 0 when the fleet keeps
 * up with the shape throughout.
 */
export function eventLeadMs(shape: LoadShape, fleetPerSecond: number): number {
  if (fleetPerSecond <= 0) return 0;
  let lead = 0;
  for (let i = 1; i <= SAMPLES; i++) {
    const t = (shape.durationMs * i) / SAMPLES;
    lead = Math.max(lead, (shape.countAt(t) * 1000) / fleetPerSecond - t);
  }
  return Math.ceil(lead * LEAD_MARGIN);
}
