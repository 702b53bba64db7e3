/**
 * Picks the input format from the first lines of the content, and from the file name only when
 * the content is inconclusive. `--format` bypasses this.
 */
import type { InputFormat } from './input-format.js';
import { AisctlError } from '../errors/aisctl-error.js';

export class FormatDetectionError extends AisctlError {
  override readonly name = 'FormatDetectionError';
  constructor(fileName: string | undefined) {
    super(
      `cannot tell the input format of ${fileName ?? 'the input'}: no NMEA sentence, known CSV header or ` +
        `known JSON shape in its first lines; pass --format nmea|jsonl|aisstream|aishub|noaa-csv|dma-csv`,
    );
  }
}

const AIS_SENTENCE = /[!$][A-Z]{2}VD[MO],/;
const SAMPLE_LINES = 50;

const BY_EXTENSION: ReadonlyArray<readonly [RegExp, InputFormat]> = [
  [/\.(nmea|nm4|aivdm|ais|log)$/i, 'nmea'],
  [/\.(jsonl|ndjson)$/i, 'jsonl'],
];

export function detectFormat(sample: string, fileName?: string): InputFormat {
  const lines = sample
    .split(/\r?\n/, SAMPLE_LINES)
    .map((l) => l.replace(/^\uFEFF/, '').trim())
    .filter((l) => l.length > 0);
  const first = lines[0] ?? '';
  if (/^#\s*Timestamp\s*,/i.test(first) || /,\s*Type of mobile\s*,/i.test(first)) return 'dma-csv';
  if (/^"?mmsi"?\s*,/i.test(first) && /base_?date_?time/i.test(first)) return 'noaa-csv';
  if (lines.some((l) => AIS_SENTENCE.test(l))) return 'nmea';
  if (first.startsWith('{') || first.startsWith('[')) {
    const head = lines.slice(0, 10).join('\n');
    if (head.includes('"MessageType"') && head.includes('"MetaData"')) return 'aisstream';
    if (/"kind"\s*:\s*"(position|static)"/.test(head)) return 'jsonl';
    if (head.includes('"MMSI"') || head.includes('"FORMAT"') || first.startsWith('[')) return 'aishub';
  }
  if (fileName !== undefined) {
    const name = fileName.replace(/\.gz$/i, '');
    for (const [re, format] of BY_EXTENSION) if (re.test(name)) return format;
  }
  throw new FormatDetectionError(fileName);
}
