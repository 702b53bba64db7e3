/**
 * Every duration flag reads the one grammar (utils/duration.ts): the same text gives the same
 * answer whichever command it is given to. These fail before any connection is opened, so no
 * servers are needed; the URLs point at a closed port in case a flag were accepted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, ensureBuilt, runCli } from '../testing/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

const NOWHERE = ['--redis-url', 'redis://127.0.0.1:1', '--database-url', 'postgres://127.0.0.1:1/none'];

describe('duration flags', () => {
  it('`load --duration 60` and `ingest --lateness 60` give the same answer: 60 is ambiguous', async () => {
    const [load, ingest, stress] = await Promise.all([
      runCli(['load', '--duration', '60', ...NOWHERE]),
      runCli(['ingest', '--lateness', '60', ...NOWHERE, 'none.nmea']),
      runCli(['stress', 'deadlock', '--duration', '60', ...NOWHERE]),
    ]);
    expect(load.code, describeResult(load)).toBe(1);
    expect(ingest.code, describeResult(ingest)).toBe(1);
    expect(stress.code, describeResult(stress)).toBe(1);
    expect(load.stderr.trim()).toBe('aisctl: --duration: 60 is ambiguous: write 60s');
    expect(ingest.stderr.trim()).toBe('aisctl: --lateness: 60 is ambiguous: write 60s');
    expect(stress.stderr.trim()).toBe('aisctl: --duration: 60 is ambiguous: write 60s');
  });

  it('compounds are accepted everywhere: `ingest --lateness 1m30s` gets as far as connecting', async () => {
    const ingest = await runCli(['ingest', '--lateness', '1m30s', '--max-future', '1h30m', ...NOWHERE, 'none.nmea']);
    expect(ingest.code, describeResult(ingest)).toBe(1);
    expect(ingest.stderr).toMatch(/cannot reach (Redis|PostgreSQL)/);
  });

  it('a malformed duration names the flag and shows the grammar', async () => {
    const r = await runCli(['load', '--warmup', '30s1m', ...NOWHERE]);
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr.trim()).toBe("aisctl: --warmup: expected a duration such as 500ms, 30s, 5m, 1h, 1d or 1m30s, found '30s1m'");
  });
});
