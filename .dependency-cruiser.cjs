/**
 * The layer rules of the hexagon, checked in `npm test` (docs/architecture.md draws it):
 * - the domain is pure (ports and plain TypeScript): it can be read, tested and reused without
 *   AWS, a container or a network, and no SDK upgrade can change a business rule;
 * - adapters implement ports and never reach the entrypoints: which adapter serves a port is
 *   decided in one place, the composition (src/entrypoints/container.ts and modules/);
 * - no cycles, nothing unresolvable, and no orphans: a module that nothing imports and that
 *   imports nothing is dead code, unless something outside the import graph loads it;
 * - everything in src/ is reachable from where the code starts (ROOTS): code only tests or
 *   benchmarks import belongs in test/support or bench/, not in what ships.
 */


/** Where the code starts: everything else in src/ must be imported, directly or not, from one of these. */
const ROOTS = [
  // What Lambda starts (infra/build bundles each of these) and what `npm start` runs.
  '^src/entrypoints/lambda/[^/]+[.]ts$',
  '^src/entrypoints/local/main[.]ts$',
  // Started as a worker thread by its URL (worker-readers.ts), not imported.
  '^src/adapters/text-extractor/readers/extraction-worker[.]mjs$',
  // The SPA, which bundles the wire contract (src/contract).
  '^web/src/main[.]ts$',
];

/**
 * Tests kept beside the code they test (`<name>.test.ts` under src/, run by vitest like test/): nothing
 * imports them and they import vitest and test/ helpers, which shipped code never may.
 */
const TESTS = '[.]test[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-stays-inside',
      severity: 'error',
      comment: 'src/domain imports only itself: no adapters, no entrypoints.',
      from: { path: '^src/domain', pathNot: TESTS },
      to: { path: '^src/(adapters|entrypoints)' },
    },
    {
      name: 'domain-has-no-io',
      severity: 'error',
      comment: 'src/domain uses no npm package and no Node module: no SDK, no DI container, no I/O.',
      from: { path: '^src/domain', pathNot: TESTS },
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
      name: 'contract-is-pure',
      severity: 'error',
      comment: 'src/contract is the wire contract the SPA bundles too: zod and itself, no Node, no server code.',
      from: { path: '^src/contract' },
      to: { pathNot: ['^src/contract/', '^node_modules/zod/'] },
    },
    {
      name: 'spa-speaks-only-the-contract',
      severity: 'error',
      comment: 'The SPA knows the server only by its wire contract (src/contract), never its code.',
      from: { path: '^web/src' },
      to: { path: '^src/', pathNot: '^src/contract/' },
    },
    {
      name: 'spa-takes-schemas-as-types',
      severity: 'error',
      comment:
        'The SPA imports the contract type-only, so that no zod reaches its bundle; file-types.ts alone holds plain values it may import.',
      from: { path: '^web/src' },
      to: { path: '^src/contract/', pathNot: '^src/contract/file-types[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ships-no-tests',
      severity: 'error',
      comment: 'What ships (src/, the SPA) never imports a test or test/ helpers: vitest and fakes would end up in a bundle.',
      from: { path: '^(src|web/src)/', pathNot: TESTS },
      to: { path: ['^test/', TESTS] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing: remove it, or import it where it is used.',
      from: {
        orphan: true,
        // Type declarations (the compiler reads them, nothing imports them), and where the code starts.
        pathNot: ['[.]d[.]m?ts$', ...ROOTS],
      },
      to: {},
    },
    {
      name: 'no-unreachable-from-entries',
      severity: 'error',
      comment:
        'Server code that no function, nor `npm start`, can reach: dead, or test code that belongs in test/support. The SPA is a root too, for the contract.',
      from: { path: ROOTS },
      to: { path: '^src/', pathNot: [...ROOTS, '[.]d[.]m?ts$', TESTS], reachable: false },
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
