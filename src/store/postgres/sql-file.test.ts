import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSql } from './sql-file.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function files(entries: Record<string, string>): (name: string) => URL {
  dir = mkdtempSync(join(tmpdir(), 'aisctl-sql-'));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  const d = dir;
  return (name) => pathToFileURL(join(d, name));
}

describe('loadSql', () => {
  it('replaces `-- @include` lines with the named file, recursively, and keeps everything else', () => {
    const url = files({
      'main.sql': 'WITH\n-- @include ctes.sql\nSELECT * FROM b\n-- a plain comment stays\n',
      'ctes.sql': 'a AS (SELECT 1),\n--   @include   inner.sql  \n',
      'inner.sql': 'b AS (SELECT 2)\n\n',
    });
    expect(loadSql(url('main.sql'), 'stmt')).toEqual({
      name: 'stmt',
      text: 'WITH\na AS (SELECT 1),\nb AS (SELECT 2)\nSELECT * FROM b\n-- a plain comment stays\n',
    });
  });

  it('refuses an include cycle instead of recursing forever', () => {
    const url = files({ 'a.sql': '-- @include b.sql\n', 'b.sql': '-- @include a.sql\n' });
    expect(() => loadSql(url('a.sql'), 'x')).toThrow(/SQL include cycle: .*a\.sql -> .*b\.sql -> .*a\.sql/);
  });

  it('names a missing include', () => {
    const url = files({ 'a.sql': 'SELECT 1\n-- @include nowhere.sql\n' });
    expect(() => loadSql(url('a.sql'), 'x')).toThrow(/nowhere\.sql/);
  });
});
