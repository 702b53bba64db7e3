import { AishubWriter } from './aishub-writer.js';
import { AisstreamWriter } from './aisstream-writer.js';
import { DmaCsvWriter } from './dma-csv-writer.js';
import { JsonlWriter } from './jsonl-writer.js';
import { NoaaCsvWriter } from './noaa-csv-writer.js';
import type { OutputFormat, RecordWriter } from './record-writer.js';

export function createWriter(format: OutputFormat): RecordWriter {
  switch (format) {
    case 'jsonl':
      return new JsonlWriter();
    case 'aisstream':
      return new AisstreamWriter();
    case 'aishub-0':
      return new AishubWriter(0);
    case 'aishub-1':
      return new AishubWriter(1);
    case 'noaa-csv-2023':
      return new NoaaCsvWriter(2023);
    case 'noaa-csv-2024':
      return new NoaaCsvWriter(2024);
    case 'dma-csv':
      return new DmaCsvWriter();
  }
}
