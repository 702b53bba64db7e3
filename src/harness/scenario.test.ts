import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildLoadShape } from './load-shape.js';
import {
  BUNDLED_SCENARIOS_DIR,
  ScenarioError,
  findScenario,
  listScenarioFiles,
  loadScenarioFile,
  parseScenario,
  scenarioScheduleShape,
  scenarioSettings,
  validateScenario,
} from './scenario.js';

function issuesOf(text: string, file = 'bad.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const MINIMAL = `name: t
kind: load
duration: 10s
load: { shape: constant, rate: 100 }
`;

describe('shipped scenarios', () => {
  it('every file in scenarios/ validates', async () => {
    const files = await listScenarioFiles();
    expect(files.map((f) => basename(f)).sort()).toEqual(
      expect.arrayContaining(['ci-smoke.yaml', 'deadlock-stress.yaml', 'redis-outage.yaml', 'sprint-targets.yaml']),
    );
    for (const f of files) {
      const s = await loadScenarioFile(f);
      expect(s.name).toBe(basename(f, '.yaml'));
    }
  });

  it('ci-smoke is short, modest and conservatively gated', async () => {
    const s = await findScenario('ci-smoke');
    expect(s.kind).toBe('load');
    expect(s.warmupMs + s.durationMs).toBeGreaterThanOrEqual(15_000);
    expect(s.warmupMs + s.durationMs).toBeLessThanOrEqual(20_000);
    expect(s.load).toEqual({ type: 'constant', rate: 1500, durationMs: 15_000 });
    expect(s.gates.map((g) => g.expression)).toEqual(['p99<250ms', 'errors==0', 'deadlocks==0', 'dropped==0']);
  });

  it('sprint-targets holds the sprint goals', async () => {
    const s = await findScenario('sprint-targets');
    expect(s.load).toEqual({ type: 'constant', rate: 10_000, durationMs: 60_000 });
    expect(s.gates.map((g) => g.expression)).toEqual(expect.arrayContaining(['p99<20ms', 'deadlocks==0', 'cache_hit_rate>=95%', 'throughput>=9500']));
  });

  it('deadlock-stress is a stress run with 1000 safe writers', async () => {
    const s = await findScenario('deadlock-stress');
    expect(s.kind).toBe('stress-deadlock');
    expect(s.load).toBeNull();
    expect(s.stress).toEqual({ concurrency: 1000, strategy: 'safe', batchSize: 50 });
    expect(s.gates.map((g) => g.expression)).toContain('deadlocks==0');
    expect(scenarioScheduleShape(s)).toBeNull();
  });

  it('redis-outage stops its own Redis at 30 s for 10 s', async () => {
    const s = await findScenario('redis-outage');
    expect(s.servers).toBe('local');
    expect(s.faults).toEqual([{ atMs: 30_000, action: 'stop-redis', forMs: 10_000 }]);
    expect(s.gates.map((g) => g.expression)).toEqual(['errors==0', 'lost==0']);
  });
});

describe('parseScenario', () => {
  it('applies documented defaults', () => {
    const s = parseScenario(MINIMAL, 'min.yaml');
    expect(s).toMatchObject({
      file: 'min.yaml',
      name: 't',
      description: '',
      warmupMs: 5000,
      vessels: 10_000,
      sources: 3,
      sourceNames: null,
      mix: { dupRate: 0.1, lateRate: 0.01, badRate: 0.001 },
      via: 'inprocess',
      servers: 'external',
      gates: [],
      faults: [],
      stress: null,
      durationMs: 10_000,
    });
  });

  it('schedule shape = warm-up then the load', () => {
    const s = parseScenario(MINIMAL);
    const shape = buildLoadShape(scenarioScheduleShape(s) ?? { type: 'constant', rate: 0, durationMs: 1 });
    expect(shape.durationMs).toBe(15_000);
    expect(shape.totalSends).toBe(1500);
  });

  it('reads every load shape', () => {
    const ramp = parseScenario(`${MINIMAL.replace('load: { shape: constant, rate: 100 }', 'load: { shape: ramp, from: 0, to: 10k }')}`);
    expect(ramp.load).toEqual({ type: 'ramp', from: 0, to: 10_000, durationMs: 10_000 });
    const bursts = parseScenario(
      MINIMAL.replace('load: { shape: constant, rate: 100 }', 'load: { shape: bursts, rate: 100, burstRate: 1000, every: 5s, burstFor: 1s }'),
    );
    expect(bursts.load).toEqual({ type: 'bursts', rate: 100, burstRate: 1000, everyMs: 5000, burstMs: 1000, durationMs: 10_000 });
    const steps = parseScenario(`name: s
kind: load
load:
  shape: steps
  steps:
    - { rate: 100, for: 5s }
    - { rate: 200, for: 5s }
`);
    expect(steps.durationMs).toBe(10_000);
    const phases = parseScenario(`name: p
kind: load
duration: 30s
load:
  shape: phases
  phases:
    - { shape: ramp, from: 0, to: 1000, for: 10s }
    - { shape: constant, rate: 1000, for: 20s }
`);
    expect(phases.load?.type).toBe('phases');
    expect(phases.durationMs).toBe(30_000);
  });

  it('accepts JSON and source names', () => {
    const s = parseScenario(
      JSON.stringify({
        name: 'j',
        kind: 'load',
        duration: '1m',
        load: { shape: 'constant', rate: 5 },
        sources: ['terrestrial', 'satellite'],
        servers: 'local',
        faults: [{ at: '10s', action: 'stop-postgres', for: '5s' }],
      }),
      'j.json',
    );
    expect(s.sources).toBe(2);
    expect(s.sourceNames).toEqual(['terrestrial', 'satellite']);
    expect(s.faults).toEqual([{ atMs: 10_000, action: 'stop-postgres', forMs: 5000 }]);
    expect(scenarioSettings(s)).toMatchObject({ scenario: 'j', duration: '60s', sources: 'terrestrial,satellite', faults: 'stop-postgres@10s/5s' });
  });

  it('validateScenario works on plain objects (no positions)', () => {
    expect(() => validateScenario({ name: 'x', kind: 'load', duration: '1s', load: { shape: 'constant', rate: 'x' } }, 'obj')).toThrow(
      'invalid scenario obj: load.rate: expected a rate in messages per second (e.g. 10000, 10k), found "x"',
    );
  });
});

describe('broken scenarios give file:line:col, field path, expected and found', () => {
  it('unknown key, with a suggestion', () => {
    const [msg] = issuesOf(`${MINIMAL}mix: { dupRte: 0.1 }\n`);
    expect(msg).toBe(
      'invalid scenario bad.yaml:5:8: mix.dupRte: expected one of the keys dupRate, lateRate, badRate (did you mean "dupRate"?), found unknown key "dupRte"',
    );
  });

  it('unknown top-level key', () => {
    expect(issuesOf(`${MINIMAL}rate: 5\n`)[0]).toMatch(
      /^invalid scenario bad\.yaml:5:1: rate: expected one of the keys name, description, kind, .*found unknown key "rate"$/,
    );
  });

  it('wrong kind', () => {
    expect(issuesOf(MINIMAL.replace('kind: load', 'kind: soak'))[0]).toBe(
      'invalid scenario bad.yaml:2:7: kind: expected one of load | stress-deadlock, found "soak"',
    );
  });

  it('duration without a unit, as a number or as text', () => {
    expect(issuesOf(MINIMAL.replace('duration: 10s', 'duration: 60'))[0]).toBe(
      'invalid scenario bad.yaml:3:11: duration: expected a duration such as 500ms, 30s, 5m, 1h, 1d or 1m30s (more than 0), found 60, which is ambiguous: write 60s',
    );
    expect(issuesOf(MINIMAL.replace('duration: 10s', 'duration: "60"'))[0]).toBe(
      'invalid scenario bad.yaml:3:11: duration: expected a duration such as 500ms, 30s, 5m, 1h, 1d or 1m30s (more than 0), found "60", which is ambiguous: write 60s',
    );
  });

  it('durations use the one grammar: compounds and days are fine, units out of order are not', () => {
    expect(parseScenario(MINIMAL.replace('duration: 10s', 'duration: 1m30s')).durationMs).toBe(90_000);
    expect(parseScenario(MINIMAL.replace('duration: 10s', 'duration: 1d')).durationMs).toBe(86_400_000);
    expect(issuesOf(MINIMAL.replace('duration: 10s', 'duration: 30s1m'))[0]).toContain(
      'duration: expected a duration such as 500ms, 30s, 5m, 1h, 1d or 1m30s (more than 0), found "30s1m"',
    );
  });

  it('missing fields are reported at the parent', () => {
    const lines = issuesOf('name: x\nkind: load\n');
    expect(lines[0]).toBe('invalid scenario bad.yaml (2 problems):');
    expect(lines).toContain('  bad.yaml:1:1: duration: expected the measured duration, e.g. duration: 60s, found nothing (the field is missing)');
    expect(lines).toContain(
      '  bad.yaml:1:1: load: expected a load shape (shape: constant | ramp | steps | bursts | phases), found nothing (the field is missing)',
    );
  });

  it('a bad gate names the gate and the problem', () => {
    const [msg] = issuesOf(`${MINIMAL}gates: ["p98<20ms"]\n`);
    expect(msg).toMatch(
      /^invalid scenario bad\.yaml:5:9: gates\[0\]: expected a valid gate \(unknown metric "p98"; known metrics: p50 .*\), found "p98<20ms"$/,
    );
  });

  it('an unquoted gate that YAML read as something else', () => {
    expect(issuesOf(`${MINIMAL}gates:\n  - errors: 0\n`)[0]).toContain(
      'gates[0]: expected a gate expression string such as "p99<20ms" (quote it in YAML), found a mapping',
    );
  });

  it('faults need servers: local and must end within the run', () => {
    const lines = issuesOf(`${MINIMAL}faults:\n  - { at: 14s, action: stop-redis, for: 2s }\n  - { at: 1s, action: reboot, for: 1s }\n`);
    expect(lines).toContain(
      '  bad.yaml:6:41: faults[0].for: expected the fault to end within the run (warm-up + duration = 15000 ms), found it ends at 16000 ms',
    );
    expect(lines).toContain('  bad.yaml:7:23: faults[1].action: expected one of stop-redis | stop-postgres, found "reboot"');
    expect(lines.some((l) => l.includes('servers: expected servers: local'))).toBe(true);
  });

  it('faults need via: inprocess (the other paths would skip them silently)', () => {
    const lines = issuesOf(`${MINIMAL}via: udp\nservers: local\nfaults:\n  - { at: 1s, action: stop-redis, for: 2s }\n`);
    expect(lines.some((l) => l.includes('via: expected via: inprocess (faults are injected only in the in-process run), found "udp"'))).toBe(true);
  });

  it('via takes the live feed modes of aisctl load', () => {
    for (const via of ['inprocess', 'http', 'udp', 'tcp']) expect(parseScenario(`${MINIMAL}via: ${via}\n`, 'v.yaml').via).toBe(via);
    expect(issuesOf(`${MINIMAL}via: carrier-pigeon\n`)[0]).toContain('via: expected one of inprocess | http | udp | tcp');
  });

  it('mix shares must be 0..1', () => {
    expect(issuesOf(`${MINIMAL}mix: { badRate: 5 }\n`)[0]).toContain('mix.badRate: expected a share from 0 to 1 (e.g. 0.05 for 5%), found 5');
  });

  it('stress scenarios need stress settings and refuse a load shape', () => {
    const lines = issuesOf('name: s\nkind: stress-deadlock\nduration: 5s\nload: { shape: constant, rate: 1 }\n');
    expect(lines.some((l) => l.includes('load: expected no load shape in a kind: stress-deadlock scenario'))).toBe(true);
    expect(lines.some((l) => l.includes('stress: expected stress settings { concurrency, strategy, batchSize }'))).toBe(true);
    expect(issuesOf('name: s\nkind: stress-deadlock\nduration: 5s\nstress: { concurrency: 0, strategy: yolo }\n').join('\n')).toMatch(
      /stress\.concurrency: expected an integer >= 1, found 0[\s\S]*stress\.strategy: expected one of safe \| naive, found "yolo"/,
    );
  });

  it('steps/phases duration must agree with a given duration; phases need for:', () => {
    expect(issuesOf('name: s\nkind: load\nduration: 5s\nload: { shape: steps, steps: [{ rate: 1, for: 2s }] }\n')[0]).toContain(
      'duration: expected 2000 ms, the total of the steps (or leave duration out), found "5s"',
    );
    expect(issuesOf('name: s\nkind: load\nload: { shape: phases, phases: [{ shape: constant, rate: 1 }] }\n')[0]).toContain(
      'load.phases[0].for: expected the length of this phase, e.g. for: 30s',
    );
  });

  it('bursts must be shorter than their period', () => {
    expect(issuesOf(MINIMAL.replace('{ shape: constant, rate: 100 }', '{ shape: bursts, rate: 1, burstRate: 2, every: 1s, burstFor: 2s }'))[0]).toContain(
      'load.burstFor: expected a burst shorter than every (1s), found "2s"',
    );
  });

  it('a name unfit for file names', () => {
    expect(issuesOf(MINIMAL.replace('name: t', 'name: "a/b"'))[0]).toContain('name: expected letters, digits');
  });

  it('YAML syntax errors carry their position', () => {
    expect(issuesOf('name: [unclosed\nkind: load\n')[0]).toMatch(/^invalid scenario bad\.yaml:\d+:\d+: expected valid YAML or JSON, found /);
    expect(issuesOf('name: a\nname: b\n')[0]).toMatch(/expected valid YAML or JSON, found Map keys must be unique/);
  });

  it('a list where a mapping belongs', () => {
    expect(issuesOf('- 1\n- 2\n')[0]).toBe('invalid scenario bad.yaml:1:1: expected a mapping with name, kind, ... at the top level, found a list of 2');
  });
});

describe('finding scenario files', () => {
  it('by path or by name, and a clear error listing the known names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aisctl-scen-'));
    try {
      const p = join(dir, 'mine.yml');
      await writeFile(p, MINIMAL.replace('name: t', 'name: mine'));
      expect((await findScenario(p)).name).toBe('mine');
      expect((await findScenario('mine', dir)).name).toBe('mine');
      await expect(findScenario('nope', dir)).rejects.toThrow(/expected a scenario file, or one of the names in .*: mine, found no such file/);
      await expect(loadScenarioFile(join(dir, 'missing.yaml'))).rejects.toThrow(/found ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the bundled folder is the project scenarios/', () => {
    expect(BUNDLED_SCENARIOS_DIR.replace(/\/$/, '')).toMatch(/scenarios$/);
  });
});
