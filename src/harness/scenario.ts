/**
 * Scenario files: the schema, its validation and where the files are found. Reading the YAML
 * (or JSON) with line numbers, and reporting each problem at its file:line:column, is
 * yaml-document.ts; this file says what a valid scenario is.
 *
 * Validation collects every problem in one pass; unknown keys are errors, because a misspelt
 * `dupRte: 0.1` silently ignored makes a CI gate lie. docs/scenarios.md documents the schema;
 * keep the two in step.
 */
import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AisctlError } from '../errors/aisctl-error.js';
import { buildLoadShape, LoadShapeError, parseRate, withWarmup, type LoadShapeSpec } from './load-shape.js';
import { GateError, parseGate, type Gate } from './gates.js';
import {
  describeFound,
  DocumentReader,
  formatIssue,
  parseYamlDocument,
  pathText,
  type DocumentIssue,
  type PathSeg,
  type YamlDocument,
} from './yaml-document.js';
import { DURATION_EXAMPLES, DurationError, parseDuration, unitHint } from '../utils/duration.js';
import {
  DEFAULT_MIX,
  DEFAULT_SOURCES,
  DEFAULT_STRESS_BATCH,
  DEFAULT_STRESS_STRATEGY,
  DEFAULT_STRESS_VESSELS,
  DEFAULT_VESSELS,
  DEFAULT_VIA,
  DEFAULT_WARMUP_MS,
  STRESS_STRATEGIES,
  VIA_MODES,
  type StressStrategy,
  type TrafficMix,
  type ViaMode,
} from './harness-defaults.js';

export const SCENARIO_KINDS = ['load', 'stress-deadlock'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];
export const SERVER_MODES = ['external', 'local'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];
export const FAULT_ACTIONS = ['stop-redis', 'stop-postgres'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];
export const SHAPE_TYPES = ['constant', 'ramp', 'steps', 'bursts', 'phases'] as const;

export interface Fault {
  /** From the start of the run, warm-up included. */
  readonly atMs: number;
  readonly action: FaultAction;
  readonly forMs: number;
}

export interface StressSettings {
  /** Concurrent writers. */
  readonly concurrency: number;
  readonly strategy: StressStrategy;
  /** Rows per writer transaction. */
  readonly batchSize: number;
}

export interface Scenario {
  /** Where it was loaded from, null when built in code. */
  readonly file: string | null;
  readonly name: string;
  readonly description: string;
  readonly kind: ScenarioKind;
  /** The measured load (warm-up not included); null for stress scenarios. */
  readonly load: LoadShapeSpec | null;
  /** Measured duration, ms (for load, the shape's length; for stress, how long writers run). */
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly vessels: number;
  /** Receivers reporting the same vessels. */
  readonly sources: number;
  /** Their names, when the scenario lists them instead of giving a count. */
  readonly sourceNames: readonly string[] | null;
  readonly mix: TrafficMix;
  readonly via: ViaMode;
  readonly servers: ServerMode;
  readonly gates: readonly Gate[];
  readonly faults: readonly Fault[];
  readonly stress: StressSettings | null;
}

/** A problem in a scenario file, with its file:line:column (see yaml-document.ts). */
export type ScenarioIssue = DocumentIssue;

export class ScenarioError extends AisctlError {
  override readonly name = 'ScenarioError';
  constructor(
    readonly file: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(
      issues.length === 1
        ? `invalid scenario ${formatIssue(issues[0] as ScenarioIssue)}`
        : `invalid scenario ${file} (${issues.length} problems):\n  ${issues.map(formatIssue).join('\n  ')}`,
    );
  }
}

/** The document reader plus the two value kinds only scenarios have: rates and durations. */
class ScenarioReader extends DocumentReader {
  rate(obj: Record<string, unknown>, key: string, path: readonly PathSeg[]): number | null {
    const v = obj[key];
    try {
      if (typeof v === 'number' || typeof v === 'string') return parseRate(v);
    } catch {
      // reported below
    }
    this.issue([...path, key], 'a rate in messages per second (e.g. 10000, 10k)', describeFound(v));
    return null;
  }

  duration(obj: Record<string, unknown>, key: string, path: readonly PathSeg[], opts: { fallback?: number; allowZero?: boolean } = {}): number | null {
    const v = obj[key];
    if (v === undefined && opts.fallback !== undefined) return opts.fallback;
    let found = describeFound(v);
    if (typeof v === 'string' || typeof v === 'number') {
      try {
        const ms = parseDuration(v, pathText([...path, key]));
        if (ms > 0 || (opts.allowZero && ms === 0)) return ms;
      } catch (e) {
        if (!(e instanceof DurationError)) throw e;
        if (e.reason === 'ambiguous') found = `${found}, which is ambiguous: ${unitHint(e.input)}`;
      }
    }
    this.issue([...path, key], `a duration such as ${DURATION_EXAMPLES}${opts.allowZero ? '' : ' (more than 0)'}`, found);
    return null;
  }
}

const TOP_KEYS = ['name', 'description', 'kind', 'duration', 'warmup', 'load', 'vessels', 'sources', 'mix', 'via', 'servers', 'gates', 'faults', 'stress'];
const SHAPE_KEYS: Readonly<Record<(typeof SHAPE_TYPES)[number], readonly string[]>> = {
  constant: ['shape', 'rate', 'for'],
  ramp: ['shape', 'from', 'to', 'for'],
  steps: ['shape', 'steps'],
  bursts: ['shape', 'rate', 'burstRate', 'every', 'burstFor', 'for'],
  phases: ['shape', 'phases'],
};

/**
 * Reads a `load:` mapping. `durationMs` is the length the shape must fill (top-level `duration`
 * or a phase's `for`); steps and phases carry their own lengths.
 */
function readShape(r: ScenarioReader, v: unknown, path: readonly PathSeg[], durationMs: number | null, nested: boolean): LoadShapeSpec | null {
  const obj = r.object(v, path, `a load shape mapping with shape: ${SHAPE_TYPES.join(' | ')}`);
  if (!obj) return null;
  const type = r.oneOf(obj, 'shape', nested ? SHAPE_TYPES.filter((t) => t !== 'phases') : SHAPE_TYPES, path);
  if (!type) return null;
  r.keys(obj, nested || type === 'steps' || type === 'phases' ? SHAPE_KEYS[type] : SHAPE_KEYS[type].filter((k) => k !== 'for'), path);
  let length = durationMs;
  if (nested && obj['for'] !== undefined) length = r.duration(obj, 'for', path);
  const needLength = (): number | null => {
    if (length === null && nested && obj['for'] === undefined) r.issue([...path, 'for'], 'the length of this phase, e.g. for: 30s', describeFound(undefined));
    return length;
  };
  switch (type) {
    case 'constant': {
      const rate = r.rate(obj, 'rate', path);
      const d = needLength();
      return rate === null || d === null ? null : { type, rate, durationMs: d };
    }
    case 'ramp': {
      const from = r.rate(obj, 'from', path);
      const to = r.rate(obj, 'to', path);
      const d = needLength();
      return from === null || to === null || d === null ? null : { type, from, to, durationMs: d };
    }
    case 'bursts': {
      const rate = r.rate(obj, 'rate', path);
      const burstRate = r.rate(obj, 'burstRate', path);
      const every = r.duration(obj, 'every', path);
      const burstFor = r.duration(obj, 'burstFor', path);
      const d = needLength();
      if (every !== null && burstFor !== null && burstFor >= every) {
        r.issue([...path, 'burstFor'], `a burst shorter than every (${obj['every'] as string})`, describeFound(obj['burstFor']));
        return null;
      }
      return rate === null || burstRate === null || every === null || burstFor === null || d === null
        ? null
        : { type, rate, burstRate, everyMs: every, burstMs: burstFor, durationMs: d };
    }
    case 'steps': {
      const items = r.list(obj, 'steps', path, 'steps { rate, for }');
      if (!items) return null;
      if (items.length === 0) {
        r.issue([...path, 'steps'], 'at least one step { rate, for }', 'an empty list');
        return null;
      }
      const steps: { rate: number; durationMs: number }[] = [];
      items.forEach((item, i) => {
        const p = [...path, 'steps', i];
        const s = r.object(item, p, 'a step { rate, for }');
        if (!s) return;
        r.keys(s, ['rate', 'for'], p);
        const rate = r.rate(s, 'rate', p);
        const d = r.duration(s, 'for', p);
        if (rate !== null && d !== null) steps.push({ rate, durationMs: d });
      });
      return steps.length === items.length ? { type, steps } : null;
    }
    case 'phases': {
      const items = r.list(obj, 'phases', path, 'load shapes, each with its own for:');
      if (!items) return null;
      if (items.length === 0) {
        r.issue([...path, 'phases'], 'at least one phase', 'an empty list');
        return null;
      }
      const phases = items.map((item, i) => readShape(r, item, [...path, 'phases', i], null, true));
      return phases.every((p): p is LoadShapeSpec => p !== null) ? { type, phases } : null;
    }
  }
}

function shapeLength(spec: LoadShapeSpec): number {
  try {
    return buildLoadShape(spec).durationMs;
  } catch (e) {
    if (e instanceof LoadShapeError) return Number.NaN;
    throw e;
  }
}

/** Validates parsed data (from YAML or JSON) into a Scenario; throws ScenarioError listing every problem. */
export function validateScenario(data: unknown, file = '<scenario>', document: YamlDocument | null = null): Scenario {
  const r = new ScenarioReader(file, document);
  const top = r.object(data, [], 'a mapping with name, kind, ... at the top level');
  if (!top) throw new ScenarioError(file, r.issues);
  r.keys(top, TOP_KEYS, []);

  const name = r.string(top, 'name', []);
  if (name !== null && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    r.issue(['name'], 'letters, digits, ".", "_" or "-" (it names the report files)', describeFound(name));
  }
  const description = r.string(top, 'description', [], '') ?? '';
  const kind = r.oneOf(top, 'kind', SCENARIO_KINDS, []);
  // Defaults match the `aisctl load` / `aisctl stress deadlock` flags, so a scenario and the
  // equivalent command line measure the same thing.
  const warmupMs = r.duration(top, 'warmup', [], { fallback: kind === 'load' ? DEFAULT_WARMUP_MS : 0, allowZero: true }) ?? 0;
  const topDuration = top['duration'] === undefined ? null : r.duration(top, 'duration', []);

  let load: LoadShapeSpec | null = null;
  let durationMs: number | null = topDuration;
  const shapeObj = top['load'];
  const selfTimed =
    kind === 'load' &&
    typeof shapeObj === 'object' &&
    shapeObj !== null &&
    ['steps', 'phases'].includes(String((shapeObj as Record<string, unknown>)['shape']));
  if (top['duration'] === undefined && !selfTimed && kind !== null) {
    r.issue(
      ['duration'],
      kind === 'load' ? 'the measured duration, e.g. duration: 60s' : 'how long the writers run, e.g. duration: 20s',
      describeFound(undefined),
    );
  }
  if (kind === 'load') {
    if (top['stress'] !== undefined) r.issue(['stress'], 'no stress settings in a kind: load scenario', describeFound(top['stress']), true);
    if (shapeObj === undefined) {
      r.issue(['load'], `a load shape (shape: ${SHAPE_TYPES.join(' | ')})`, describeFound(undefined));
    } else {
      load = readShape(r, shapeObj, ['load'], topDuration, false);
      if (load && selfTimed) {
        const len = shapeLength(load);
        if (topDuration !== null && Math.abs(len - topDuration) > 1e-6) {
          r.issue(['duration'], `${len} ms, the total of the ${load.type} (or leave duration out)`, describeFound(top['duration']));
        }
        durationMs = len;
      }
    }
  } else if (kind === 'stress-deadlock') {
    if (shapeObj !== undefined) r.issue(['load'], 'no load shape in a kind: stress-deadlock scenario (use stress:)', describeFound(shapeObj), true);
  }

  let stress: StressSettings | null = null;
  if (kind === 'stress-deadlock') {
    if (top['stress'] === undefined) r.issue(['stress'], 'stress settings { concurrency, strategy, batchSize }', describeFound(undefined));
    const s = top['stress'] === undefined ? null : r.object(top['stress'], ['stress'], 'a mapping { concurrency, strategy, batchSize }');
    if (s) {
      r.keys(s, ['concurrency', 'strategy', 'batchSize'], ['stress']);
      const concurrency = r.number(s, 'concurrency', ['stress'], { min: 1, integer: true });
      const strategy = r.oneOf(s, 'strategy', STRESS_STRATEGIES, ['stress'], DEFAULT_STRESS_STRATEGY);
      const batchSize = r.number(s, 'batchSize', ['stress'], { min: 1, integer: true, fallback: DEFAULT_STRESS_BATCH });
      if (concurrency !== null && strategy !== null && batchSize !== null) stress = { concurrency, strategy, batchSize };
    }
  }

  const vessels = r.number(top, 'vessels', [], { min: 1, integer: true, fallback: kind === 'load' ? DEFAULT_VESSELS : DEFAULT_STRESS_VESSELS }) ?? 1;
  let sources = DEFAULT_SOURCES;
  let sourceNames: string[] | null = null;
  const rawSources = top['sources'];
  if (typeof rawSources === 'number') {
    sources = r.number(top, 'sources', [], { min: 1, integer: true, what: 'a count of receivers >= 1, or a list of source names' }) ?? 1;
  } else if (rawSources !== undefined) {
    const srcList = r.list(top, 'sources', [], 'source names (or a count)');
    if (srcList) {
      if (srcList.length === 0) r.issue(['sources'], 'at least one source name', 'an empty list');
      const names: string[] = [];
      srcList.forEach((v, i) => {
        if (typeof v !== 'string' || v.trim() === '') r.issue(['sources', i], 'a source name', describeFound(v));
        else if (names.includes(v)) r.issue(['sources', i], 'distinct source names', `"${v}" twice`);
        else names.push(v);
      });
      sourceNames = names;
      sources = names.length;
    }
  }

  let mix: TrafficMix = DEFAULT_MIX;
  if (top['mix'] !== undefined) {
    const m = r.object(top['mix'], ['mix'], 'a mapping { dupRate, lateRate, badRate }');
    if (m) {
      r.keys(m, ['dupRate', 'lateRate', 'badRate'], ['mix']);
      const ratio = (fallback: number) => ({ min: 0, max: 1, fallback, what: 'a share from 0 to 1 (e.g. 0.05 for 5%)' });
      mix = {
        dupRate: r.number(m, 'dupRate', ['mix'], ratio(DEFAULT_MIX.dupRate)) ?? 0,
        lateRate: r.number(m, 'lateRate', ['mix'], ratio(DEFAULT_MIX.lateRate)) ?? 0,
        badRate: r.number(m, 'badRate', ['mix'], ratio(DEFAULT_MIX.badRate)) ?? 0,
      };
    }
  }

  const via = r.oneOf(top, 'via', VIA_MODES, [], DEFAULT_VIA) ?? DEFAULT_VIA;
  const servers = r.oneOf(top, 'servers', SERVER_MODES, [], 'external') ?? 'external';

  const gates: Gate[] = [];
  const gateList = r.list(top, 'gates', [], 'gate expressions such as "p99<20ms"');
  gateList?.forEach((g, i) => {
    if (typeof g !== 'string') {
      r.issue(['gates', i], 'a gate expression string such as "p99<20ms" (quote it in YAML)', describeFound(g));
      return;
    }
    try {
      gates.push(parseGate(g));
    } catch (e) {
      if (!(e instanceof GateError)) throw e;
      r.issue(['gates', i], `a valid gate (${e.problem})`, JSON.stringify(g));
    }
  });

  const faults: Fault[] = [];
  const faultList = r.list(top, 'faults', [], 'faults { at, action, for }');
  const runMs = warmupMs + (durationMs ?? Number.POSITIVE_INFINITY);
  faultList?.forEach((f, i) => {
    const p = ['faults', i];
    const o = r.object(f, p, 'a fault { at, action, for }');
    if (!o) return;
    r.keys(o, ['at', 'action', 'for'], p);
    const atMs = r.duration(o, 'at', p, { allowZero: true });
    const action = r.oneOf(o, 'action', FAULT_ACTIONS, p);
    const forMs = r.duration(o, 'for', p);
    if (atMs === null || action === null || forMs === null) return;
    if (atMs + forMs > runMs) {
      r.issue([...p, 'for'], `the fault to end within the run (warm-up + duration = ${runMs} ms)`, `it ends at ${atMs + forMs} ms`);
      return;
    }
    faults.push({ atMs, action, forMs });
  });
  if (faultList && faultList.length > 0 && servers !== 'local') {
    r.issue(
      ['servers'],
      'servers: local (faults stop and restart servers the run starts itself; the shared ones are never touched)',
      describeFound(top['servers'] ?? undefined),
    );
  }

  if (faultList && faultList.length > 0 && via !== 'inprocess') {
    // Faults are injected by the in-process run's clock; elsewhere they would be silently skipped.
    r.issue(['via'], 'via: inprocess (faults are injected only in the in-process run)', describeFound(top['via'] ?? undefined));
  }

  if (r.issues.length > 0 || name === null || kind === null || durationMs === null) throw new ScenarioError(file, r.issues);
  return {
    file: document ? file : null,
    name,
    description,
    kind,
    load,
    durationMs,
    warmupMs,
    vessels,
    sources,
    sourceNames,
    mix,
    via,
    servers,
    gates,
    faults,
    stress,
  };
}

/** Parses YAML or JSON text; pure (no I/O). */
export function parseScenario(text: string, file = '<scenario>'): Scenario {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) throw new ScenarioError(file, parsed.issues);
  return validateScenario(parsed.document.data, file, parsed.document);
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new ScenarioError(path, [{ file: path, path: '', line: null, column: null, expected: 'a readable scenario file', found: code }]);
  }
  return parseScenario(text, path);
}

/** The scenarios/ folder shipped with aisctl (same relative place from src/ and dist/). */
export const BUNDLED_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** A path to a file, or a bare name looked up in `dir` (e.g. `ci-smoke` -> scenarios/ci-smoke.yaml). */
export async function findScenario(nameOrPath: string, dir = BUNDLED_SCENARIOS_DIR): Promise<Scenario> {
  if (existsSync(nameOrPath)) return loadScenarioFile(nameOrPath);
  for (const ext of SCENARIO_EXTENSIONS) {
    const candidate = join(dir, `${nameOrPath}${ext}`);
    if (existsSync(candidate)) return loadScenarioFile(candidate);
  }
  const known = await listScenarioFiles(dir).catch(() => []);
  throw new ScenarioError(nameOrPath, [
    {
      file: nameOrPath,
      path: '',
      line: null,
      column: null,
      expected: `a scenario file, or one of the names in ${resolve(dir)}: ${known.map((f) => basename(f, extname(f))).join(', ') || '(none)'}`,
      found: 'no such file',
    },
  ]);
}

export async function listScenarioFiles(dir = BUNDLED_SCENARIOS_DIR): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => SCENARIO_EXTENSIONS.includes(extname(n)))
    .sort()
    .map((n) => join(dir, n));
}

/** Settings for headers and reports. */
export function scenarioSettings(s: Scenario): Record<string, string | number> {
  const out: Record<string, string | number> = { scenario: s.name, kind: s.kind };
  out['duration'] = `${s.durationMs / 1000}s`;
  if (s.warmupMs > 0) out['warmup'] = `${s.warmupMs / 1000}s`;
  if (s.kind === 'load') {
    out['vessels'] = s.vessels;
    out['sources'] = s.sourceNames ? s.sourceNames.join(',') : s.sources;
    out['via'] = s.via;
  }
  if (s.stress) {
    out['concurrency'] = s.stress.concurrency;
    out['strategy'] = s.stress.strategy;
    out['batchSize'] = s.stress.batchSize;
    out['vessels'] = s.vessels;
  }
  if (s.faults.length > 0) out['faults'] = s.faults.map((f) => `${f.action}@${f.atMs / 1000}s/${f.forMs / 1000}s`).join(',');
  return out;
}

/** The shape to hand the scheduler: warm-up (at the opening rate) followed by the measured load. */
export function scenarioScheduleShape(s: Scenario): LoadShapeSpec | null {
  return s.load ? withWarmup(s.load, s.warmupMs) : null;
}
