/**
 * The layer rules of DESIGN.md section 2, checked in `npm test`:
 * the domain is pure (ports and plain TypeScript), adapters never reach the entrypoints.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-stays-inside',
      severity: 'error',
      comment: 'src/domain imports only itself: no adapters, no entrypoints.',
      from: { path: '^src/domain' },
      to: { path: '^src/(adapters|entrypoints)' },
    },
    {
      name: 'domain-has-no-io',
      severity: 'error',
      comment: 'src/domain uses no npm package and no Node module: no SDK, no DI container, no I/O.',
      from: { path: '^src/domain' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'] },
    },
    {
      name: 'adapters-do-not-wire',
      severity: 'error',
      comment: 'Adapters implement ports; only entrypoints compose them.',
      from: { path: '^src/adapters' },
      to: { path: '^src/entrypoints' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
