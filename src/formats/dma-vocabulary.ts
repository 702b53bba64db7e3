/**
 * The Danish Maritime Authority CSV spells navigational status and ship type as text. These
 * tables map that text to the AIS codes and back. DMA ship types are categories, so a code
 * within a category (71..79 are all "Cargo") comes back as the category's first code.
 */
export const DMA_NAV_STATUS: readonly string[] = [
  'Under way using engine',
  'At anchor',
  'Not under command',
  'Restricted manoeuverability',
  'Constrained by her draught',
  'Moored',
  'Aground',
  'Engaged in fishing',
  'Under way sailing',
  'Reserved for future amendment [HSC]',
  'Reserved for future amendment [WIG]',
  'Power-driven vessel towing astern',
  'Power-driven vessel pushing ahead or towing alongside',
  'Reserved for future use',
  'AIS-SART is active',
  'Unknown value',
];

const NAV_BY_TEXT = new Map<string, number>(DMA_NAV_STATUS.map((t, i) => [t.toLowerCase(), i]));
NAV_BY_TEXT.set('restricted maneuverability', 3);
NAV_BY_TEXT.set('restricted manoeuvrability', 3);

/** Code 0..14, or null for "Unknown value", empty or unrecognised text. */
export function dmaNavStatus(text: string | null): number | null {
  if (text === null) return null;
  const code = NAV_BY_TEXT.get(text.trim().toLowerCase());
  return code === undefined || code === 15 ? null : code;
}

const SHIP_TYPES: ReadonlyArray<readonly [string, number, number]> = [
  // text, first code, last code
  ['WIG', 20, 29],
  ['Fishing', 30, 30],
  ['Towing', 31, 31],
  ['Towing long/wide', 32, 32],
  ['Dredging', 33, 33],
  ['Diving', 34, 34],
  ['Military', 35, 35],
  ['Sailing', 36, 36],
  ['Pleasure', 37, 37],
  ['Reserved', 38, 39],
  ['HSC', 40, 49],
  ['Pilot', 50, 50],
  ['SAR', 51, 51],
  ['Tug', 52, 52],
  ['Port tender', 53, 53],
  ['Anti-pollution', 54, 54],
  ['Law enforcement', 55, 55],
  ['Spare 1', 56, 56],
  ['Spare 2', 57, 57],
  ['Medical', 58, 58],
  ['Not party to conflict', 59, 59],
  ['Passenger', 60, 69],
  ['Cargo', 70, 79],
  ['Tanker', 80, 89],
  ['Other', 90, 99],
];

const TYPE_BY_TEXT = new Map<string, number>(SHIP_TYPES.map(([t, first]) => [t.toLowerCase(), first]));

/** AIS ship type code for a DMA category; null for Undefined, Reserved, Spare or unknown text. */
export function dmaShipType(text: string | null): number | null {
  if (text === null) return null;
  const key = text.trim().toLowerCase();
  if (key === 'reserved' || key.startsWith('spare')) return null;
  return TYPE_BY_TEXT.get(key) ?? null;
}

export function dmaShipTypeText(code: number | null): string {
  if (code === null) return 'Undefined';
  for (const [text, first, last] of SHIP_TYPES) if (code >= first && code <= last) return text;
  return 'Undefined';
}

/** "Type of mobile" values that are not vessels: skipped as ignored. */
export const DMA_NON_VESSEL_MOBILES: ReadonlyMap<string, string> = new Map([
  ['base station', 'dma:base_station'],
  ['aton', 'dma:aton'],
]);
