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
  it("prints gpsd's scaled JSON for all 97 messages; only the documented type 26 fields differ", async () => {
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

  it('decodes the application messages gpsd decodes that sample.aivdm lacks', async () => {
    // Inland ETA (type 6 DAC 200 FID 21) and IMO236 air draught (type 8 DAC 1 FID 15) print as gpsd
    // prints them; the inland water level differs only by its documented sign-and-magnitude levels.
    // src/ais/application/application-decoders.test.ts covers every DAC/FID field by field.
    const input = [
      '!AIVDM,1,1,,A,63`l7@4jCVjt<QD@DADW337;=C33373OOO1W9N9nh0,4*62',
      '!AIVDM,1,1,,B,83`l7@00Cj0P,0*1C',
      '!AIVDM,1,1,,A,83`l7@0j60E00Pv`0PO@0H000000,0*1E',
    ].join('\n');
    const r = await runCli(['decode', '-', '--format', 'gpsd', '--quiet'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      '{"class":"AIS","device":"stdin","type":6,"repeat":0,"mmsi":244123456,"scaled":true,"seqno":1,"dest_mmsi":211000111,"retransmit":false,' +
        '"dac":200,"fid":21,"country":"DE","locode":"DUI","section":"00123","terminal":"T0001","hectometre":"07770","eta":"6-14T9:30","tugs":1,"airdraught":950}',
      '{"class":"AIS","device":"stdin","type":8,"repeat":0,"mmsi":244123456,"scaled":true,"dac":1,"fid":15,"airdraught":257}',
      '{"class":"AIS","device":"stdin","type":8,"repeat":0,"mmsi":244123456,"scaled":true,"dac":200,"fid":24,"country":"AT",' +
        '"gauges":[{"id":1,"level":250},{"id":2,"level":-250},{"id":3,"level":0},{"id":0,"level":0}]}',
    ]);
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
    const strip = (s: string) =>
      s
        .trim()
        .split('\n')
        .map((l) => {
          const o = JSON.parse(l) as { meta: { file: string } };
          o.meta.file = '';
          return JSON.stringify(o);
        });
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
