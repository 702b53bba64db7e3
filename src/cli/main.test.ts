/**
 * The entry point as a user or CI job runs it: what the process exits with when commander
 * refuses the command line, and that a `--gate` before the scenario leaves the scenario alone
 * (the failure is then about the file, not a missing argument). No servers are needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE } from '../errors/aisctl-error.js';
import { describeResult, ensureBuilt, runCli } from '../testing/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

describe('aisctl entry point', () => {
  it('`run --gate EXPR FILE` reads FILE as the scenario', async () => {
    const r = await runCli(['run', '--gate', 'p99<20ms', 'no-such-scenario.yaml']);
    expect(r.code, describeResult(r)).toBe(EXIT_ERROR);
    expect(r.stderr).toContain('invalid scenario no-such-scenario.yaml');
    expect(r.stderr).toContain('found no such file');
    expect(r.stderr).not.toContain('missing required argument');
  });

  it('an unknown option exits 2, --version and --help exit 0', async () => {
    const [unknown, version, help] = await Promise.all([runCli(['load', '--no-such-flag']), runCli(['--version']), runCli(['load', '--help'])]);
    expect(unknown.code, describeResult(unknown)).toBe(EXIT_USAGE);
    expect(unknown.stderr).toContain("unknown option '--no-such-flag'");
    expect(version.code, describeResult(version)).toBe(EXIT_OK);
    expect(help.code, describeResult(help)).toBe(EXIT_OK);
    expect(help.stdout).toContain('Exit codes:');
  });
});
