/**
 * The live dashboard of a run (Ink). Stateless: it renders a RunViewState, and the reporter
 * re-renders it on every event.
 */
import { Box, Text } from 'ink';
import type { BreakerState, GateVerdict, MetricsSnapshot, RunSummary } from '../reporter.js';
import type { RunViewState } from './run-view-state.js';
import { HISTORY_TICKS } from './run-view-state.js';
import { progressBar, sparkline } from './sparkline.js';
import { formatCount, formatElapsed, formatMetric, formatMs, formatRate, formatRatio } from '../../../harness/figure-format.js';

const BREAKER_COLOURS: Readonly<Record<BreakerState, string>> = { closed: 'green', open: 'red', 'half-open': 'yellow' };

function Label({ children }: { readonly children: string }) {
  return <Text dimColor>{children.padEnd(12)}</Text>;
}

function Header({ state }: { readonly state: RunViewState }) {
  const info = state.info;
  const s = state.latest;
  const elapsed = s ? formatElapsed(s.elapsedMs) : '0.0s';
  const planned = info?.plannedMs != null ? ` / ${formatElapsed(info.plannedMs)}` : '';
  const settings = info
    ? Object.entries(info.settings)
        .map(([k, v]) => `${k} ${v}`)
        .join('  ')
    : '';
  const progress = s?.progress ?? (state.summary ? 1 : null);
  // `--name` defaults to the command's own name: "aisctl load load" says nothing twice.
  const showName = info !== null && info.name !== '' && info.name !== info.command.replace(/ /g, '-') && info.name !== info.command;
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold>aisctl {info?.command ?? ''}</Text>
        {showName && <Text color="cyan"> {info?.name}</Text>}
        <Text>
          {'  '}
          {state.summary ? 'done' : (s?.phase ?? 'starting')} {elapsed}
          {planned}
        </Text>
      </Box>
      {settings !== '' && <Text dimColor>{settings}</Text>}
      {progress !== null && (
        <Text>
          <Text color={s?.phase === 'warmup' ? 'yellow' : 'cyan'}>{progressBar(progress, 40)}</Text> {Math.round(progress * 100)}%
        </Text>
      )}
    </Box>
  );
}

interface LiveProps {
  readonly s: MetricsSnapshot;
  readonly state: RunViewState;
}

function Live({ s, state }: LiveProps) {
  const breakers = Object.entries(s.breakers);
  const sources = Object.entries(s.sourceQuality);
  const extra = Object.entries(s.extra);
  // Once the run is over, the figure to show is the run's rate (as in the summary), not the
  // rate of the last tick, which is a partial second of draining.
  const runRate = state.summary?.metrics.throughput;
  const latency = s.intervalLatency ?? s.latency;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Box>
        <Label>Throughput</Label>
        <Text bold>{formatRate(runRate ?? s.throughput).padEnd(12)}</Text>
        <Text color="cyan">{sparkline(state.throughputHistory, HISTORY_TICKS)}</Text>
        {runRate !== undefined && <Text dimColor>{`  run average`}</Text>}
      </Box>
      <Box>
        <Label>p99 / tick</Label>
        <Text bold>{(latency.count > 0 ? formatMs(latency.p99) : '–').padEnd(12)}</Text>
        <Text color="magenta">{sparkline(state.p99History, HISTORY_TICKS)}</Text>
      </Box>
      <Box>
        <Label>Latency</Label>
        <Text>
          {`p50 ${formatMs(s.latency.p50)}  p95 ${formatMs(s.latency.p95)}  p99 `}
          <Text bold>{formatMs(s.latency.p99)}</Text>
          {`  p99.9 ${formatMs(s.latency.p999)}  max ${formatMs(s.latency.max)}`}
        </Text>
      </Box>
      <Box>
        <Label>Processed</Label>
        <Text>{formatCount(s.processed)}</Text>
      </Box>
      <Box>
        <Label>Deadlocks</Label>
        <Text color={s.deadlocks > 0 ? 'red' : 'green'}>{formatCount(s.deadlocks)}</Text>
        <Text dimColor>{'   '}Cache hit </Text>
        <Text>{formatRatio(s.cacheHitRate)}</Text>
        <Text dimColor>{'   '}DLQ </Text>
        <Text color={s.dlqSize > 0 ? 'yellow' : undefined}>{formatCount(s.dlqSize)}</Text>
        <Text dimColor>{'   '}Queued </Text>
        <Text>{formatCount(s.queued)}</Text>
      </Box>
      {breakers.length > 0 && (
        <Box>
          <Label>Breakers</Label>
          {breakers.map(([name, state]) => (
            <Text key={name}>
              {name} <Text color={BREAKER_COLOURS[state]}>● {state}</Text>
              {'  '}
            </Text>
          ))}
        </Box>
      )}
      <Box>
        <Label>Open model</Label>
        <Text color={s.late > 0 ? 'yellow' : undefined}>late {formatCount(s.late)}</Text>
        <Text color={s.dropped > 0 ? 'yellow' : undefined}>
          {'  '}dropped {formatCount(s.dropped)}
        </Text>
        <Text color={s.errors > 0 ? 'red' : undefined}>
          {'  '}errors {formatCount(s.errors)}
        </Text>
      </Box>
      {sources.length > 0 && (
        <Box>
          <Label>Sources</Label>
          <Text>{sources.map(([name, q]) => `${name} ${q.toFixed(2)}`).join('  ')}</Text>
        </Box>
      )}
      {extra.length > 0 && (
        <Box>
          <Label>Details</Label>
          <Text>{extra.map(([k, v]) => `${k} ${typeof v === 'number' ? formatCount(v) : v}`).join('  ')}</Text>
        </Box>
      )}
    </Box>
  );
}

function GateLine({ g }: { readonly g: GateVerdict }) {
  return (
    <Text>
      {'  '}
      <Text color={g.passed ? 'green' : 'red'} bold>
        {g.passed ? 'PASS' : 'FAIL'}
      </Text>{' '}
      {g.expression} <Text dimColor>(actual {formatMetric(g.metric, g.actual)})</Text>
    </Text>
  );
}

function Summary({ summary }: { readonly summary: RunSummary }) {
  const entries = Object.entries(summary.metrics);
  const width = entries.reduce((w, [k]) => Math.max(w, k.length), 0);
  const failed = summary.gates.filter((g) => !g.passed).length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>Summary ({formatElapsed(summary.durationMs)})</Text>
      {entries.map(([k, v]) => (
        <Text key={k}>
          {'  '}
          {`${k.padEnd(width)}  ${formatMetric(k, v)}`}
        </Text>
      ))}
      {summary.gates.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Gates</Text>
          {summary.gates.map((g) => (
            <GateLine key={g.expression} g={g} />
          ))}
          <Text color={failed === 0 ? 'green' : 'red'} bold>
            {failed === 0 ? `PASS (${summary.gates.length} gates)` : `FAIL (${failed} of ${summary.gates.length} gates failed)`}
          </Text>
        </Box>
      )}
      {summary.reportFiles.length > 0 && <Text dimColor>reports: {summary.reportFiles.join(', ')}</Text>}
    </Box>
  );
}

export function RunView({ state }: { readonly state: RunViewState }) {
  return (
    <Box flexDirection="column">
      <Header state={state} />
      {state.latest && <Live s={state.latest} state={state} />}
      {state.warnings.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          {state.warnings.map((w, i) => (
            <Text key={`${state.warningCount}-${i}`} color="yellow">
              warning: {w}
            </Text>
          ))}
          {state.warningCount > state.warnings.length && <Text dimColor>({state.warningCount - state.warnings.length} earlier warnings not shown)</Text>}
        </Box>
      )}
      {state.summary && <Summary summary={state.summary} />}
    </Box>
  );
}
