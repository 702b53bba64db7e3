import type { InputFormat } from './input-format.js';
import type { ParserOptions, RecordParser } from './record-parser.js';
import { AishubParser } from './aishub-parser.js';
import { AisstreamParser } from './aisstream-parser.js';
import { DmaCsvParser } from './dma-csv-parser.js';
import { JsonlParser } from './jsonl-parser.js';
import { NmeaParser } from './nmea-parser.js';
import { NoaaCsvParser } from './noaa-csv-parser.js';

export function createParser(format: InputFormat, opts: ParserOptions): RecordParser {
  switch (format) {
    case 'nmea':
      return new NmeaParser(opts);
    case 'jsonl':
      return new JsonlParser(opts);
    case 'aisstream':
      return new AisstreamParser(opts);
    case 'aishub':
      return new AishubParser(opts);
    case 'noaa-csv':
      return new NoaaCsvParser(opts);
    case 'dma-csv':
      return new DmaCsvParser(opts);
  }
}
