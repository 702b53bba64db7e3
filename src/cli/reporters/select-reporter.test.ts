import { describe, expect, it } from 'vitest';
import { chooseReporterKind, createReporter, useColour } from './select-reporter.js';
import { JsonReporter } from './json-reporter.js';
import { PlainReporter } from './plain-reporter.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as unknown as NodeJS.WriteStream;

describe('chooseReporterKind', () => {
  it('--json wins', () => expect(chooseReporterKind({ json: true, tui: true, stream: tty, env: {} })).toBe('json'));
  it('TUI only on a terminal', () => {
    expect(chooseReporterKind({ json: false, tui: true, stream: tty, env: {} })).toBe('tui');
    expect(chooseReporterKind({ json: false, tui: true, stream: pipe, env: {} })).toBe('plain');
  });
  it('--no-tui and TERM=dumb give plain lines', () => {
    expect(chooseReporterKind({ json: false, tui: false, stream: tty, env: {} })).toBe('plain');
    expect(chooseReporterKind({ json: false, tui: true, stream: tty, env: { TERM: 'dumb' } })).toBe('plain');
  });
});

describe('useColour', () => {
  it('on a terminal unless NO_COLOR', () => {
    expect(useColour(tty, {})).toBe(true);
    expect(useColour(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(tty, { NO_COLOR: '' })).toBe(true);
    expect(useColour(pipe, {})).toBe(false);
    expect(useColour(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColour(tty, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('createReporter', () => {
  it('builds the chosen sink', async () => {
    expect(await createReporter({ json: true, tui: true, stream: pipe, env: {} })).toBeInstanceOf(JsonReporter);
    expect(await createReporter({ json: false, tui: true, stream: pipe, env: {} })).toBeInstanceOf(PlainReporter);
    const { TuiReporter } = await import('./tui/tui-reporter.js');
    expect(await createReporter({ json: false, tui: true, stream: tty, env: {} })).toBeInstanceOf(TuiReporter);
  });

  it('does not import Ink or React statically (they load only for the TUI)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { dirname, resolve } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const seen = new Set<string>();
    const bare: string[] = [];
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = await readFile(file, 'utf8');
      // static imports only: `import ... from 'x'` / `export ... from 'x'`, not `import('x')`
      for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)) {
        const spec = m[1] ?? '';
        if (spec.startsWith('.')) await visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        else bare.push(spec);
      }
    };
    await visit(fileURLToPath(new URL('./select-reporter.ts', import.meta.url)));
    expect(seen.size).toBeGreaterThan(3);
    expect(bare.filter((b) => /^(ink|react)(\/|$)/.test(b))).toEqual([]);
  });
});
