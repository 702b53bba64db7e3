/**
 * The subscription message an aisstream.io-compatible websocket expects right after it opens:
 * `{"APIKey": "...", "BoundingBoxes": [[[lat1, lon1], [lat2, lon2]]], "FilterMessageTypes": [...]}`.
 * Pure: parsing of `--bbox` and `--ws-types`, and the message itself.
 */
import { AisctlError } from '../errors/aisctl-error.js';

export type LatLon = readonly [number, number];
export type BoundingBox = readonly [LatLon, LatLon];

/** The whole world: what a subscription without `--bbox` asks for. */
export const WORLD: BoundingBox = [
  [-90, -180],
  [90, 180],
];

export interface AisstreamSubscription {
  readonly apiKey: string;
  readonly boxes: readonly BoundingBox[];
  /** aisstream message types (PositionReport, ShipStaticData, …); empty for all of them. */
  readonly messageTypes: readonly string[];
}

export class SubscriptionConfigError extends AisctlError {
  override readonly name = 'SubscriptionConfigError';
}

/** `lat1,lon1,lat2,lon2`: two opposite corners. */
export function parseBbox(text: string): BoundingBox {
  const parts = text.split(',').map((p) => p.trim());
  const n = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || n.some((x) => !Number.isFinite(x))) {
    throw new SubscriptionConfigError(`--bbox must be lat1,lon1,lat2,lon2 (two opposite corners, degrees): got '${text}'`);
  }
  const [lat1, lon1, lat2, lon2] = n as [number, number, number, number];
  for (const lat of [lat1, lat2]) if (lat < -90 || lat > 90) throw new SubscriptionConfigError(`--bbox latitude ${lat} is outside -90..90`);
  for (const lon of [lon1, lon2]) if (lon < -180 || lon > 180) throw new SubscriptionConfigError(`--bbox longitude ${lon} is outside -180..180`);
  return [
    [lat1, lon1],
    [lat2, lon2],
  ];
}

/** `PositionReport,ShipStaticData`: names only, checked for shape (the service knows its types). */
export function parseMessageTypes(text: string): string[] {
  const types = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const bad = types.find((t) => !/^[A-Za-z][A-Za-z0-9]*$/.test(t));
  if (bad !== undefined || types.length === 0) {
    throw new SubscriptionConfigError(`--ws-types must be aisstream message types separated by commas (PositionReport,ShipStaticData): got '${text}'`);
  }
  return types;
}

export function subscriptionMessage(sub: AisstreamSubscription): string {
  const msg: Record<string, unknown> = {
    APIKey: sub.apiKey,
    BoundingBoxes: (sub.boxes.length === 0 ? [WORLD] : sub.boxes).map((b) => [[...b[0]], [...b[1]]]),
  };
  if (sub.messageTypes.length > 0) msg['FilterMessageTypes'] = [...sub.messageTypes];
  return JSON.stringify(msg);
}

/**
 * aisstream answers a bad subscription with `{"error": "…"}` and closes: the reason, or null for
 * anything else (a data message).
 */
export function subscriptionError(text: string): string | null {
  if (!text.startsWith('{"error"') && !/^\s*\{\s*"error"\s*:/.test(text.slice(0, 64))) return null;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const e = (v as Record<string, unknown>)['error'];
      if (typeof e === 'string') return e;
    }
  } catch {
    // not JSON: the parser rejects it as a malformed record
  }
  return null;
}
