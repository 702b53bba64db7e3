import type { NormalizedMessage } from '../../normalize/message.js';
import type { RecordWriter } from './record-writer.js';

/** aisctl JSONL: the message without `origin`, `ts` as ISO-8601 with milliseconds. */
export class JsonlWriter implements RecordWriter {
  readonly format = 'jsonl' as const;

  header(): null {
    return null;
  }

  line(m: NormalizedMessage): string {
    const { origin: _origin, ts, ...rest } = m;
    const { kind, mmsi, ...fields } = rest;
    return JSON.stringify({ kind, mmsi, ts: new Date(ts).toISOString(), ...fields });
  }
}
