/**
 * The Grafana dashboard and the Prometheus alert rules in monitoring/ must keep matching the
 * metrics the code registers: a renamed metric or label would otherwise leave a panel empty and
 * an alert silent, with nothing failing. This test parses both files, extracts every metric and
 * label they use, and checks them against the registry `aisctl serve` exposes. The Prometheus
 * configuration and the Grafana provisioning files beside them must keep pointing at those two
 * files, at the port `aisctl serve` listens on and at the data source the dashboard selects.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { DEFAULT_SERVE_PORT } from '../cli/program.js';
import { LATENCY_BUCKETS_SECONDS, createPipelineMetrics } from './pipeline-metrics.js';

const run = promisify(execFile);
const ALERTS_PATH = fileURLToPath(new URL('../../monitoring/prometheus-alerts.yml', import.meta.url));
const DASHBOARD_PATH = fileURLToPath(new URL('../../monitoring/grafana-dashboard.json', import.meta.url));
const PROMETHEUS_CONFIG_PATH = fileURLToPath(new URL('../../monitoring/prometheus.yml', import.meta.url));
const GRAFANA_DATASOURCES_PATH = fileURLToPath(new URL('../../monitoring/grafana/provisioning/datasources/aisctl.yaml', import.meta.url));
const GRAFANA_DASHBOARDS_PATH = fileURLToPath(new URL('../../monitoring/grafana/provisioning/dashboards/aisctl.yaml', import.meta.url));
const SERVE_PORT = DEFAULT_SERVE_PORT;

const PROMTOOL_MISSING = 'promtool not found: install the Debian package `prometheus` (or put promtool on PATH)';

async function promtoolInstalled(): Promise<boolean> {
  return run('promtool', ['--version']).then(
    () => true,
    () => false,
  );
}

/** Series Prometheus itself adds to every target; not registered by aisctl. */
const PROMETHEUS_BUILTINS = new Set(['up']);
/** Labels added by the scrape (target labels) or by histograms. */
const SCRAPE_LABELS = new Set(['instance', 'job']);

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

function stripStrings(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

/**
 * Metric names referenced by a PromQL expression. Not a full parser, but enough for what these
 * files use: strings, label matchers, ranges/subqueries and grouping clauses are blanked first,
 * then every remaining identifier not followed by `(` (a function or aggregation) and not a
 * keyword is a metric name.
 */
function promqlMetricNames(expr: string): string[] {
  let s = stripStrings(expr);
  s = s.replace(/\{[^}]*\}/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of s.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const at = m.index;
    const prev = at > 0 ? s.charAt(at - 1) : '';
    // The tail of a number or duration (1e3, 5m) is not a name.
    if (/[0-9.]/.test(prev)) continue;
    if (PROMQL_KEYWORDS.has(m[0].toLowerCase())) continue;
    if (
      s
        .slice(at + m[0].length)
        .trimStart()
        .startsWith('(')
    )
      continue;
    names.add(m[0]);
  }
  return [...names];
}

interface Selector {
  readonly metric: string;
  readonly labels: ReadonlyArray<{ readonly name: string; readonly op: string; readonly value: string }>;
}

/** `metric{label op "value", ...}` selectors of an expression. */
function promqlSelectors(expr: string): Selector[] {
  const out: Selector[] = [];
  for (const m of expr.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*\{([^}]*)\}/g)) {
    const labels = [...(m[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((l) => ({
      name: l[1] as string,
      op: l[2] as string,
      value: l[3] as string,
    }));
    out.push({ metric: m[1] as string, labels });
  }
  return out;
}

/** Labels named in `by (...)` / `without (...)` clauses. */
function groupingLabels(expr: string): string[] {
  const out: string[] = [];
  for (const m of stripStrings(expr).matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const l of (m[1] ?? '').split(',')) if (l.trim() !== '') out.push(l.trim());
  }
  return out;
}

interface RegisteredSeries {
  /** The registered metric a series name belongs to. */
  readonly metric: string;
  readonly type: string;
  readonly labels: ReadonlySet<string>;
}

/** Every series name the registry can expose (histograms as _bucket/_sum/_count). */
async function registeredSeries(): Promise<Map<string, RegisteredSeries>> {
  // As `aisctl serve` creates it: pipeline metrics plus the process/Node.js defaults.
  const m = createPipelineMetrics({ defaultMetrics: true });
  const series = new Map<string, RegisteredSeries>();
  for (const j of await m.registry.getMetricsAsJSON()) {
    const metric = m.registry.getSingleMetric(j.name) as unknown as { labelNames?: unknown } | undefined;
    const names = metric?.labelNames;
    if (!Array.isArray(names)) throw new Error(`prom-client no longer exposes labelNames on ${j.name}; update this test`);
    const labels = new Set<string>([...names.map(String), ...SCRAPE_LABELS]);
    const type = String(j.type);
    const add = (name: string, extra: readonly string[] = []): void => {
      series.set(name, { metric: j.name, type, labels: new Set([...labels, ...extra]) });
    };
    if (type === 'histogram') {
      add(`${j.name}_bucket`, ['le']);
      add(`${j.name}_sum`);
      add(`${j.name}_count`);
    } else if (type === 'summary') {
      add(j.name, ['quantile']);
      add(`${j.name}_sum`);
      add(`${j.name}_count`);
    } else add(j.name);
  }
  return series;
}

interface AlertRule {
  alert?: unknown;
  record?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: { severity?: unknown } & Record<string, unknown>;
  annotations?: { summary?: unknown; description?: unknown } & Record<string, unknown>;
}

interface RuleFile {
  groups?: Array<{ name?: unknown; rules?: AlertRule[] }>;
}

interface DashboardTarget {
  expr?: unknown;
  datasource?: { uid?: unknown };
}

interface DashboardPanel {
  id?: unknown;
  type?: unknown;
  title?: unknown;
  datasource?: { uid?: unknown };
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}

interface Dashboard {
  schemaVersion?: unknown;
  uid?: unknown;
  title?: unknown;
  __inputs?: Array<{ name?: unknown; pluginId?: unknown }>;
  panels?: DashboardPanel[];
  templating?: {
    list?: Array<{ name?: unknown; type?: unknown; definition?: unknown; query?: unknown; current?: { text?: unknown; value?: unknown } }>;
  };
}

interface PrometheusConfig {
  global?: { scrape_interval?: unknown };
  rule_files?: unknown[];
  scrape_configs?: Array<{ job_name?: unknown; metrics_path?: unknown; static_configs?: Array<{ targets?: unknown[] }> }>;
}

interface GrafanaDatasources {
  apiVersion?: unknown;
  datasources?: Array<{ name?: unknown; uid?: unknown; type?: unknown; url?: unknown; jsonData?: { timeInterval?: unknown } }>;
}

interface GrafanaDashboardProviders {
  apiVersion?: unknown;
  providers?: Array<{ name?: unknown; type?: unknown; options?: { path?: unknown } }>;
}

function allPanels(panels: readonly DashboardPanel[]): DashboardPanel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

let series: Map<string, RegisteredSeries>;
let rules: AlertRule[];
let dashboard: Dashboard;
let panels: DashboardPanel[];

beforeAll(async () => {
  series = await registeredSeries();
  const ruleFile = parseYaml(await readFile(ALERTS_PATH, 'utf8')) as RuleFile;
  rules = (ruleFile.groups ?? []).flatMap((g) => g.rules ?? []);
  dashboard = JSON.parse(await readFile(DASHBOARD_PATH, 'utf8')) as Dashboard;
  panels = allPanels(dashboard.panels ?? []);
});

/** Every problem with the metrics and labels of one expression, as readable lines. */
function checkExpression(where: string, expr: string): string[] {
  const problems: string[] = [];
  const names = promqlMetricNames(expr);
  if (names.length === 0) problems.push(`${where}: no metric found in ${JSON.stringify(expr)}`);
  for (const name of names) {
    if (!series.has(name) && !PROMETHEUS_BUILTINS.has(name)) problems.push(`${where}: metric ${name} is not registered by createPipelineMetrics()`);
  }
  const usable = new Set<string>(['le', ...SCRAPE_LABELS]);
  for (const name of names) for (const l of series.get(name)?.labels ?? []) usable.add(l);
  for (const sel of promqlSelectors(expr)) {
    const s = series.get(sel.metric);
    if (!s) continue;
    for (const l of sel.labels) {
      if (!s.labels.has(l.name)) problems.push(`${where}: ${sel.metric} has no label ${l.name}`);
    }
  }
  for (const l of groupingLabels(expr)) {
    if (!usable.has(l)) problems.push(`${where}: grouping by ${l}, which none of ${names.join(', ')} carries`);
  }
  return problems;
}

/**
 * Renders the alert-template subset these rules use ({{ $labels.x }}, {{ $value }} with printf
 * "%.Nf"), as Prometheus would, for promtool's expected annotations.
 */
function renderTemplate(text: string, labels: Record<string, string>, value: number): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, body: string) => {
    const label = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(body);
    if (label) return labels[label[1] as string] ?? '';
    const fixed = /^\$value\s*\|\s*printf\s*"%\.(\d)f"$/.exec(body);
    if (fixed) return value.toFixed(Number(fixed[1]));
    throw new Error(`renderTemplate: ${whole} is not supported; extend it for the alert under test`);
  });
}

describe('promqlMetricNames', () => {
  it('finds metrics and skips functions, keywords, labels, ranges and numbers', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.99, sum by (instance, le) (rate(aisctl_a_bucket{instance=~"$instance",x="y"}[5m]))) > 0.05 and on() sum(aisctl_b) * 1e3 offset 5m',
      ).sort(),
    ).toEqual(['aisctl_a_bucket', 'aisctl_b']);
    expect(promqlMetricNames('max_over_time(sum(rate(aisctl_c_total[5m]))[6h:1m]) >= 1000')).toEqual(['aisctl_c_total']);
    expect(promqlMetricNames('up{job="aisctl"} == 0')).toEqual(['up']);
  });

  it('extracts selectors with their label matchers', () => {
    expect(promqlSelectors('rate(aisctl_m_total{outcome="accepted", instance=~"$i"}[5m])')).toEqual([
      {
        metric: 'aisctl_m_total',
        labels: [
          { name: 'outcome', op: '=', value: 'accepted' },
          { name: 'instance', op: '=~', value: '$i' },
        ],
      },
    ]);
  });
});

describe('monitoring/prometheus-alerts.yml', () => {
  it('has the seed alerts plus breaker-open, each with expr, for, severity, summary and description', () => {
    const names = rules.map((r) => r.alert);
    for (const required of [
      'AisctlDeadlocks',
      'AisctlLatencyP99High',
      'AisctlThroughputLow',
      'AisctlVesselCacheHitRateLow',
      'AisctlDeadLetterQueueLarge',
      'AisctlCircuitBreakerOpen',
      'AisctlFeedSilent',
    ]) {
      expect(names, `alert ${required}`).toContain(required);
    }
    const problems: string[] = [];
    for (const [i, r] of rules.entries()) {
      const where = typeof r.alert === 'string' ? r.alert : `rule #${i + 1}`;
      if (typeof r.alert !== 'string' || r.alert === '') problems.push(`${where}: no alert name (recording rules belong in another file)`);
      if (typeof r.expr !== 'string' || r.expr.trim() === '') problems.push(`${where}: no expr`);
      if (typeof r.for !== 'string' || !/^\d+[smhd]$/.test(r.for)) problems.push(`${where}: for must be a duration such as 5m`);
      if (r.labels?.severity !== 'critical' && r.labels?.severity !== 'warning') problems.push(`${where}: labels.severity must be critical or warning`);
      if (typeof r.annotations?.summary !== 'string' || r.annotations.summary === '') problems.push(`${where}: no annotations.summary`);
      if (typeof r.annotations?.description !== 'string' || r.annotations.description === '') problems.push(`${where}: no annotations.description`);
    }
    expect(problems).toEqual([]);
  });

  it('has unique alert names', () => {
    const names = rules.map((r) => String(r.alert));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('uses only metrics and labels the code registers', () => {
    const problems = rules.flatMap((r) => checkExpression(`alert ${String(r.alert)}`, String(r.expr)));
    expect(problems).toEqual([]);
  });

  it('puts the latency threshold on a histogram bucket boundary, so the p99 estimate is exact there', () => {
    const expr = String(rules.find((r) => r.alert === 'AisctlLatencyP99High')?.expr);
    const threshold = /aisctl_end_to_end_latency_seconds_bucket[^>]*>\s*([0-9.]+)/.exec(expr)?.[1];
    expect(threshold, 'latency threshold').toBeDefined();
    expect(LATENCY_BUCKETS_SECONDS).toContain(Number(threshold));
  });

  it('passes promtool check rules and its unit tests (skipped when promtool is not installed)', async (ctx) => {
    if (!(await promtoolInstalled())) {
      ctx.skip(`${PROMTOOL_MISSING} to check the rule file`);
      return;
    }
    const checked = await run('promtool', ['check', 'rules', ALERTS_PATH]);
    expect(checked.stdout).toMatch(/SUCCESS/);

    // Rule unit tests: synthetic series in, which alerts fire (and which stay quiet) out.
    // promtool compares annotations too, so the expected ones are rendered from the rule file.
    const expected = (alert: string, labels: Record<string, string>, value: number) => {
      const rule = rules.find((r) => r.alert === alert);
      const annotations = Object.fromEntries(Object.entries(rule?.annotations ?? {}).map(([k, v]) => [k, renderTemplate(String(v).trim(), labels, value)]));
      return { exp_labels: { severity: String(rule?.labels?.severity), ...labels }, exp_annotations: annotations };
    };
    const dir = await mkdtemp(join(tmpdir(), 'aisctl-promtool-'));
    try {
      const at = { job: 'aisctl', instance: 'a:9464' };
      const sel = (metric: string, labels: Record<string, string> = {}): string =>
        `${metric}{${Object.entries({ ...at, ...labels })
          .map(([k, v]) => `${k}="${v}"`)
          .join(',')}}`;
      const tests = {
        rule_files: [ALERTS_PATH],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              // 2 deadlocks a minute for 20 minutes.
              { series: sel('aisctl_deadlocks_total'), values: '0+2x20' },
              { series: sel('aisctl_dlq_entries', { state: 'pending' }), values: '150x20' },
              { series: sel('aisctl_dlq_entries', { state: 'parked' }), values: '0x20' },
              { series: sel('aisctl_breaker_state', { dependency: 'postgres', state: 'open' }), values: '1x20' },
              { series: sel('aisctl_breaker_state', { dependency: 'redis', state: 'open' }), values: '0x20' },
              { series: sel('up'), values: '1x20' },
            ],
            alert_rule_test: [
              {
                eval_time: '15m',
                alertname: 'AisctlDeadlocks',
                exp_alerts: [expected('AisctlDeadlocks', { instance: at.instance }, 2)],
              },
              {
                eval_time: '15m',
                alertname: 'AisctlDeadLetterQueueLarge',
                exp_alerts: [expected('AisctlDeadLetterQueueLarge', { instance: at.instance }, 150)],
              },
              {
                eval_time: '15m',
                alertname: 'AisctlCircuitBreakerOpen',
                exp_alerts: [expected('AisctlCircuitBreakerOpen', { instance: at.instance, dependency: 'postgres' }, 1)],
              },
              { eval_time: '15m', alertname: 'AisctlDown', exp_alerts: [] },
            ],
          },
          {
            interval: '1m',
            input_series: [
              // 5,000 accepted msg/s for an hour, then 100/s: a stalled feed.
              { series: sel('aisctl_messages_total', { outcome: 'accepted' }), values: '0+300000x60 18000000+6000x60' },
              // An idle staging instance that never carried traffic stays quiet.
              { series: sel('aisctl_messages_total', { outcome: 'accepted', instance: 'idle:9464' }), values: '0+60x120' },
            ],
            alert_rule_test: [
              { eval_time: '50m', alertname: 'AisctlThroughputLow', exp_alerts: [] },
              {
                eval_time: '90m',
                alertname: 'AisctlThroughputLow',
                exp_alerts: [expected('AisctlThroughputLow', { instance: at.instance }, 100)],
              },
            ],
          },
          {
            interval: '1m',
            input_series: [
              // Feed north goes silent at 0 (its age grows a minute per minute); south keeps delivering.
              { series: sel('aisctl_feed_last_message_age_seconds', { feed: 'north' }), values: '0+60x20' },
              { series: sel('aisctl_feed_last_message_age_seconds', { feed: 'south' }), values: '3x20' },
            ],
            alert_rule_test: [
              // 300 s of silence is the limit itself, not over it.
              { eval_time: '5m', alertname: 'AisctlFeedSilent', exp_alerts: [] },
              // Over the limit from 6 min, for 2 min: firing at 8 min, and only for north.
              { eval_time: '7m', alertname: 'AisctlFeedSilent', exp_alerts: [] },
              {
                eval_time: '15m',
                alertname: 'AisctlFeedSilent',
                exp_alerts: [expected('AisctlFeedSilent', { instance: at.instance, feed: 'north' }, 900)],
              },
            ],
          },
        ],
      };
      const file = join(dir, 'alerts.test.yml');
      await writeFile(file, stringifyYaml(tests));
      const tested = await run('promtool', ['test', 'rules', file]).catch((err: { stdout?: string; stderr?: string }) => {
        throw new Error(`promtool test rules failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      });
      expect(tested.stdout).toMatch(/SUCCESS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('monitoring/grafana-dashboard.json', () => {
  it('is an importable dashboard with a DS_PROMETHEUS datasource input', () => {
    expect(typeof dashboard.schemaVersion).toBe('number');
    expect(dashboard.schemaVersion as number).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toBe('aisctl-ingest');
    expect(dashboard.__inputs).toContainEqual(expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' }));
    const ids = panels.map((p) => p.id);
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      'duplicate panel ids',
    ).toEqual([]);
    const unbound = panels
      .filter((p) => p.type !== 'row')
      .flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)].map((d) => ({ title: p.title, uid: d?.uid })))
      .filter((d) => d.uid !== '${DS_PROMETHEUS}');
    expect(unbound, 'panels and targets must use ${DS_PROMETHEUS}').toEqual([]);
  });

  it('uses only metrics and labels the code registers', () => {
    const problems: string[] = [];
    for (const p of panels) {
      for (const t of p.targets ?? []) problems.push(...checkExpression(`panel "${String(p.title)}"`, String(t.expr)));
    }
    for (const v of dashboard.templating?.list ?? []) {
      if (v.type !== 'query') continue;
      const q = /label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/.exec(String(v.definition));
      if (!q) {
        problems.push(`variable ${String(v.name)}: expected label_values(metric, label)`);
        continue;
      }
      const s = series.get(q[1] as string);
      if (!s) problems.push(`variable ${String(v.name)}: metric ${q[1]} is not registered`);
      else if (!s.labels.has(q[2] as string)) problems.push(`variable ${String(v.name)}: ${q[1]} has no label ${q[2]}`);
    }
    expect(problems).toEqual([]);
  });

  it('shows throughput, latency, per-store batch latency, deadlocks, cache, errors, DLQ, breakers, source quality and queue', () => {
    const used = new Set(panels.flatMap((p) => (p.targets ?? []).flatMap((t) => promqlMetricNames(String(t.expr)))));
    for (const m of [
      'aisctl_messages_total',
      'aisctl_end_to_end_latency_seconds_bucket',
      'aisctl_batch_write_duration_seconds_bucket',
      'aisctl_deadlocks_total',
      'aisctl_vessel_cache_lookups_total',
      'aisctl_rejections_total',
      'aisctl_dlq_entries',
      'aisctl_breaker_state',
      'aisctl_source_quality_ratio',
      'aisctl_pipeline_queued_messages',
      'aisctl_feed_messages_total',
      'aisctl_feed_last_message_age_seconds',
      'aisctl_feed_dropped_total',
    ]) {
      expect(used, m).toContain(m);
    }
  });
});

describe('monitoring/prometheus.yml', () => {
  let config: PrometheusConfig;
  beforeAll(async () => {
    config = parseYaml(await readFile(PROMETHEUS_CONFIG_PATH, 'utf8')) as PrometheusConfig;
  });

  it('scrapes aisctl serve on its port as the job AisctlDown selects, and loads the alert rules', () => {
    const jobs = config.scrape_configs ?? [];
    expect(jobs.map((j) => j.job_name)).toEqual(['aisctl']);
    const job = jobs[0];
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    const targets = (job?.static_configs ?? []).flatMap((c) => c.targets ?? []).map(String);
    expect(targets.length).toBeGreaterThan(0);
    expect(
      targets.filter((t) => !t.endsWith(`:${SERVE_PORT}`)),
      `targets on port ${SERVE_PORT}`,
    ).toEqual([]);
    expect(String(rules.find((r) => r.alert === 'AisctlDown')?.expr)).toContain(`job="${String(job?.job_name)}"`);
    // Prometheus resolves rule_files against the directory of the configuration file.
    expect((config.rule_files ?? []).map((f) => resolve(dirname(PROMETHEUS_CONFIG_PATH), String(f)))).toEqual([ALERTS_PATH]);
  });

  it('passes promtool check config, which also checks the rule file (skipped when promtool is not installed)', async (ctx) => {
    if (!(await promtoolInstalled())) {
      ctx.skip(`${PROMTOOL_MISSING} to check the Prometheus configuration`);
      return;
    }
    const checked = await run('promtool', ['check', 'config', PROMETHEUS_CONFIG_PATH]).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`promtool check config failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
    expect(checked.stdout).toMatch(/SUCCESS: 1 rule files found/);
  });
});

describe('monitoring/grafana/provisioning', () => {
  let datasources: GrafanaDatasources;
  let providers: GrafanaDashboardProviders;
  let prometheus: PrometheusConfig;
  beforeAll(async () => {
    datasources = parseYaml(await readFile(GRAFANA_DATASOURCES_PATH, 'utf8')) as GrafanaDatasources;
    providers = parseYaml(await readFile(GRAFANA_DASHBOARDS_PATH, 'utf8')) as GrafanaDashboardProviders;
    prometheus = parseYaml(await readFile(PROMETHEUS_CONFIG_PATH, 'utf8')) as PrometheusConfig;
  });

  it('provisions the Prometheus data source the dashboard selects when it is provisioned', () => {
    expect(datasources.apiVersion).toBe(1);
    // Provisioning does not fill __inputs, so the panels' ${DS_PROMETHEUS} must resolve through a
    // data source variable of that name, whose current value is the provisioned uid.
    const variable = (dashboard.templating?.list ?? []).find((v) => v.name === 'DS_PROMETHEUS');
    expect(variable, 'templating variable DS_PROMETHEUS').toMatchObject({ type: 'datasource', query: 'prometheus' });
    const list = datasources.datasources ?? [];
    expect(list).toHaveLength(1);
    const ds = list[0];
    expect(ds?.type).toBe('prometheus');
    expect(typeof ds?.url).toBe('string');
    expect(ds?.uid).toBe(variable?.current?.value);
    expect(ds?.name).toBe(variable?.current?.text);
    expect(ds?.jsonData?.timeInterval, 'timeInterval = scrape_interval of monitoring/prometheus.yml').toBe(prometheus.global?.scrape_interval);
  });

  it('provisions monitoring/grafana-dashboard.json through a file provider', () => {
    expect(providers.apiVersion).toBe(1);
    const files = (providers.providers ?? []).filter((p) => p.type === 'file');
    expect(files).toHaveLength(1);
    expect(basename(String(files[0]?.options?.path))).toBe(basename(DASHBOARD_PATH));
  });
});
