import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import TestPlacesReporter from './test/support/test-places-reporter.js';

// Servers under test log nothing unless a test asks for it.
const env = { LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // After vitest's summary, where the tests that ran live (src/, examples/, test/, web/src/). A
    // `--reporter` on the command line replaces these: .ci/run names this one again.
    reporters: ['default', new TestPlacesReporter()],
    projects: [
      // Tests of the server wherever a team keeps them: test/, beside the code in src/ (an adapter's own
      // tests), and examples/ (the README's "Bring your own model" module passes the contract suite there).
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'examples/**/*.test.ts'], exclude: ['test/load/**', 'test/corpus/**', 'test/e2e/**'], env },
      },
      {
        // The HTTP suites once more, with the server on dynalite and s3rver instead of in-memory stores.
        extends: true,
        test: { name: 'http-on-embedded-stores', include: ['test/http/**/*.test.ts'], env: { ...env, HTTP_TEST_STORE: 'embedded' } },
      },
      // The SPA's component and store tests, beside the code, in a simulated DOM.
      // Absolute asset URLs (`/favicon.svg`, served from web/public) stay URLs rather than imports.
      { plugins: [vue({ template: { transformAssetUrls: { includeAbsolute: false } } })], define: { global: 'globalThis' }, test: { name: 'web', include: ['web/src/**/*.test.ts'], environment: 'happy-dom', setupFiles: ['web/src/i18n/test-setup.ts'], env } },
      // `npm run test:e2e`: the SPA in Debian's chromium against `npm start` (needs chromium installed).
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 90_000, env } },
      // `npm run test:load`: minutes, not seconds, so not part of `npm test`.
      { extends: true, test: { name: 'load', include: ['test/load/**/*.test.ts'], env } },
      // `npm run test:corpus`: real documents from ../shared/corpus (or CORPUS_DIR), outside the repository.
      { extends: true, test: { name: 'corpus', include: ['test/corpus/**/*.test.ts'], env } },
    ],
  },
});
