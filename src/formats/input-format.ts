/** The input formats aisctl reads. `--format` takes one of these; otherwise detectFormat picks. */
export const INPUT_FORMATS = ['nmea', 'jsonl', 'aisstream', 'aishub', 'noaa-csv', 'dma-csv'] as const;

export type InputFormat = (typeof INPUT_FORMATS)[number];

export function isInputFormat(v: string): v is InputFormat {
  return (INPUT_FORMATS as readonly string[]).includes(v);
}
