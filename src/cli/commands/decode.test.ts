/**
 * `aisctl decode` as users run it: the built binary, real corpus files, exit codes. The
 * field-by-field comparison with gpsd lives in src/ais/gpsd-conformance.test.ts; this proves the
 * command prints exactly gpsd's lines except for the differences docs/gpsd-differences.md lists.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusAvailable, corpusPath, CORPUS_MISSING } from '../../testing/corpus.js';
import { ensureBuilt, runCli } from '../../testing/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

describe.skipIf(!corpusAvailable())('aisctl decode on the gpsd sample', () => {
  it('prints gpsd\'s scaled JSON for all 97 messages; only the documented type 26 fields differ', async () => {
    const r = await runCli(['decode', corpusPath('gpsd/sample.aivdm'), '--format', 'gpsd']);
    expect(r.code).toBe(0);
    const ours = r.stdout.trim().split('\n');
    const gpsd = readFileSync(corpusPath('gpsd/sample.aivdm.js.chk'), 'utf8').trim().split(/\r?\n/);
    expect(ours).toHaveLength(97);
    expect(gpsd).toHaveLength(97);
    const differing: string[] = [];
    for (let i = 0; i < gpsd.length; i++) {
      if (ours[i] === gpsd[i]) continue;
      const a = JSON.parse(ours[i] as string) as Record<string, unknown>;
      const b = JSON.parse(gpsd[i] as string) as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
      differing.push(`${String(b.type)}:${keys.sort().join(',')}`);
    }
    // docs/gpsd-differences.md: type 26 radio (gpsd prints 0) and the padding bits of data.
    expect(differing.every((d) => /^26:(data,)?radio$/.test(d))).toBe(true);
    expect(differing).toHaveLength(5);
    // The summary on stderr counts the one line gpsd's own test marks invalid.
    expect(r.stderr).toContain('"messages":97');
    expect(r.stderr).toContain('sample.aivdm:978: malformed_sentence');
  });

  it('--format count prints only the summary, on stdout', async () => {
    const r = await runCli(['decode', corpusPath('gpsd/sample.aivdm'), '--format', 'count']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ messages: 97, sentences: 118 });
  });
});

describe('aisctl decode on the project fixtures', () => {
  it('reads gzip and stdin alike, one JSON object per message', async () => {
    const gz = await runCli(['decode', 'fixtures/harbour.nmea.gz', '--quiet']);
    const plain = await runCli(['decode', '-', '--quiet'], { input: readFileSync('fixtures/harbour.nmea', 'utf8') });
    expect(gz.code).toBe(0);
    expect(plain.code).toBe(0);
    const strip = (s: string) => s.trim().split('\n').map((l) => { const o = JSON.parse(l) as { meta: { file: string } }; o.meta.file = ''; return JSON.stringify(o); });
    expect(strip(gz.stdout)).toEqual(strip(plain.stdout));
    expect(strip(gz.stdout).length).toBeGreaterThan(300);
  });

  it('a missing file is a clear error with exit 1, and the other files are still decoded', async () => {
    const r = await runCli(['decode', 'fixtures/does-not-exist.nmea', 'fixtures/ownship.nmea', '--format', 'count']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('fixtures/does-not-exist.nmea');
    expect(r.stdout).toContain('"summary":"fixtures/ownship.nmea"');
  });
});

it.skipIf(corpusAvailable())(CORPUS_MISSING, () => undefined);
