/**
 * RFC 4180 field splitting for one CSV record: quoted fields may hold commas, doubled quotes and
 * line breaks. Input comes line by line, so a record whose quotes are still open at the end of a
 * line is incomplete and the caller appends the next line (with its `\n`) and splits again.
 */
export interface CsvSplit {
  readonly fields: string[];
  /** False when a quoted field is still open at the end of the text. */
  readonly complete: boolean;
}

export function splitCsvRecord(text: string): CsvSplit {
  // Fast path: most AIS CSV rows have no quotes at all.
  if (text.indexOf('"') < 0) return { fields: text.split(','), complete: true };
  const fields: string[] = [];
  const len = text.length;
  let i = 0;
  for (;;) {
    if (i < len && text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let start = i + 1;
      let j = start;
      let closed = false;
      while (j < len) {
        const q = text.indexOf('"', j);
        if (q < 0) break;
        if (q + 1 < len && text.charCodeAt(q + 1) === 34) {
          value += text.slice(start, q + 1);
          j = q + 2;
          start = j;
          continue;
        }
        value += text.slice(start, q);
        j = q + 1;
        closed = true;
        break;
      }
      if (!closed) return { fields, complete: false };
      // Characters between the closing quote and the next comma are kept, as lenient readers do.
      const comma = text.indexOf(',', j);
      const end = comma < 0 ? len : comma;
      value += text.slice(j, end);
      fields.push(value);
      if (comma < 0) break;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        fields.push(text.slice(i));
        break;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
  return { fields, complete: true };
}

/** One field for writing: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  if (!/[",\r\n]/.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}
