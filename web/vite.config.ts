import tailwindcss from '@tailwindcss/vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The SPA: built into web/dist, which `npm start` and CloudFront serve. `npm run dev:web` serves it
 * with hot reload and sends API calls to the local server on port 3000.
 */
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
// `^/admin/`: the API's admin routes, not the SPA's own /admin page.
const apiPaths = ['/chat', '/conversations', '/files', '/health', '/usage', '^/admin/', '/config.json', '/local-auth', '/local-uploads'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), tailwindcss()],
  // amazon-cognito-identity-js (Cognito mode only) expects Node's `global`.
  define: { global: 'globalThis' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
    // dist/.vite/manifest.json: which file each module became. The stack reads it to preload the
    // Cognito chunk, which every visit on AWS loads (infra/components/spa-index.ts).
    manifest: true,
    // Fonts stay files (KaTeX's small ones would become data: URIs): the CSP's font-src is 'self'.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
  },
  server: {
    host: '127.0.0.1',
    // changeOrigin: the local server answers requests addressed to itself only (DNS rebinding guard).
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: api, changeOrigin: true }])),
  },
});
