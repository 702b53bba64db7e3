/**
 * A real kill -9: a child process appends to the spool as fast as it can and prints the id of
 * every entry whose append resolved (= accepted). It is SIGKILLed mid-stream; a new spool in
 * this process must then read back every acknowledged entry, skipping at most a torn tail.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDeadLetterSpool } from './dead-letter-spool.js';

let dir: string;
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('spool under kill -9', () => {
  it('every acknowledged entry survives; a torn last line is skipped, not fatal', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aisctl-crash-'));
    const spoolModule = fileURLToPath(new URL('./dead-letter-spool.ts', import.meta.url));
    const rowsModule = fileURLToPath(new URL('../../testing/test-rows.ts', import.meta.url));
    const child = join(dir, 'child.mts');
    writeFileSync(
      child,
      `import { openDeadLetterSpool } from ${JSON.stringify(spoolModule)};
import { positionRow } from ${JSON.stringify(rowsModule)};
const spool = openDeadLetterSpool({ dir: ${JSON.stringify(join(dir, 'spool'))} });
const positions = Array.from({ length: 200 }, (_, i) => positionRow(244000000 + i, 1700000000000 + i));
let n = 0;
for (;;) {
  const batch = Array.from({ length: 4 }, () => ({ id: 'e' + n++, target: 'postgres', positions, statics: [], attempts: 0, firstFailedAt: 1, nextAttemptAt: 1, lastError: 'x' }));
  await Promise.all(batch.map((e) => spool.append([e])));
  process.stdout.write(batch.map((e) => e.id).join('\\n') + '\\n');
}
`,
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<void>((res) => proc.once('exit', () => res()));
    const deadline = Date.now() + 30_000;
    while (out.split('\n').length < 200 && Date.now() < deadline && proc.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    proc.kill('SIGKILL');
    await exited;
    expect(err).toBe('');
    const acked = out.split('\n').filter((l) => /^e\d+$/.test(l));
    expect(acked.length).toBeGreaterThan(100);

    const spool = openDeadLetterSpool({ dir: join(dir, 'spool') });
    const got = new Set<string>();
    const r = await spool.drain(async (es) => {
      for (const e of es) got.add(e.id);
    });
    expect(acked.filter((id) => !got.has(id))).toEqual([]);
    expect(r.corrupt).toBeLessThanOrEqual(1);
    await spool.close();
  });
});
