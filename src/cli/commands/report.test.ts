import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRunReports } from '../../harness/report-writer.js';
import { UsageError } from '../config.js';
import { defaultHtmlPath, run } from './report.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aisctl-report-cmd-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const written = () =>
  writeRunReports(
    {
      info: { command: 'stress deadlock', name: 'nightly', settings: { strategy: 'safe' }, plannedMs: 1000 },
      summary: {
        command: 'stress deadlock',
        name: 'nightly',
        startedAt: '2025-06-01T00:00:00.000Z',
        durationMs: 1000,
        metrics: { deadlocks: 0 },
        gates: [{ expression: 'deadlocks==0', metric: 'deadlocks', actual: 0, passed: true }],
        details: {},
        reportFiles: [],
      },
      snapshots: [],
    },
    dir,
  );

describe('aisctl report', () => {
  it('re-renders the page the run wrote, next to the JSON or at --output', async () => {
    const out = await written();
    const original = await readFile(out.htmlPath, 'utf8');
    await rm(out.htmlPath);
    expect(await run(out.jsonPath, {})).toBe(0);
    expect(await readFile(out.htmlPath, 'utf8')).toBe(original);
    const elsewhere = join(dir, 'index.html');
    expect(await run(out.jsonPath, { output: elsewhere })).toBe(0);
    expect(await readFile(elsewhere, 'utf8')).toBe(original);
  });

  it('explains a missing file or one that is not a run report', async () => {
    await expect(run(join(dir, 'missing.json'), {})).rejects.toThrow(UsageError);
    const other = join(dir, 'package.json');
    await writeFile(other, '{"name":"x"}');
    await expect(run(other, {})).rejects.toThrow(/not an aisctl run report/);
    await writeFile(other, '{');
    await expect(run(other, {})).rejects.toThrow(UsageError);
  });

  it('never overwrites its input', () => {
    expect(defaultHtmlPath('reports/a.json')).toBe('reports/a.html');
    expect(defaultHtmlPath('reports/a.JSON')).toBe('reports/a.html');
    expect(defaultHtmlPath('summary')).toBe('summary.html');
  });
});
