/**
 * The layer table of docs/architecture.md ("Which folder imports which"), checked on every
 * `npm run lint`. Type-only imports count: a type import is still a dependency of the design.
 */
const SHIPPED = '^src/(?!testing/)(?!.*\\.test\\.tsx?$)';
/** Tests may reach across layers (a decoder test reads the corpus through src/testing). */
const TEST = '\\.test\\.tsx?$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles make load order matter and layers blur', from: {}, to: { circular: true } },
    {
      name: 'ais-imports-nothing-of-ours',
      severity: 'error',
      comment: 'src/ais is the pure decoding core at the bottom',
      from: { path: '^src/ais/', pathNot: TEST },
      to: { path: '^src/(?!ais/)' },
    },
    { name: 'normalize-imports-only-ais', severity: 'error', from: { path: '^src/normalize/', pathNot: TEST }, to: { path: '^src/(?!normalize/|ais/)' } },
    { name: 'fusion-imports-only-normalize', severity: 'error', from: { path: '^src/fusion/', pathNot: TEST }, to: { path: '^src/(?!fusion/|normalize/)' } },
    {
      name: 'utils-imports-only-errors',
      severity: 'error',
      comment: 'the bottom layer every folder may use',
      from: { path: '^src/utils/', pathNot: TEST },
      to: { path: '^src/(?!utils/|errors/)' },
    },
    { name: 'errors-import-nothing', severity: 'error', from: { path: '^src/errors/', pathNot: TEST }, to: { path: '^src/(?!errors/)' } },
    {
      name: 'log-imports-only-normalize-utils-errors',
      severity: 'error',
      comment: 'src/log is the partitioned log between the edge and the workers: the message model in, bytes on NATS out',
      from: { path: '^src/log/', pathNot: TEST },
      to: { path: '^src/(?!log/|normalize/|utils/|errors/)' },
    },
    { name: 'only-cli-imports-cli', severity: 'error', from: { path: '^src/(?!cli/)', pathNot: TEST }, to: { path: '^src/cli/' } },
    { name: 'shipped-code-imports-no-test-support', severity: 'error', from: { path: SHIPPED }, to: { path: ['^src/testing/', '\\.test\\.tsx?$'] } },
    {
      name: 'shipped-code-imports-no-dev-dependency',
      severity: 'error',
      comment: 'npm install --omit=dev would break it',
      from: { path: SHIPPED },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    { name: 'no-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
