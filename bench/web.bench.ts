import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { withCognitoPreload, type ViteManifest } from '../infra/components/spa-index.js';
import { startLocalServer } from '../src/entrypoints/local/server.js';
import type { BenchResult } from './support/report.js';

const DIST = 'web/dist';
const RUNS = 7;
const GOAL_KB = 150;
/** A browser's round trip to a nearby CloudFront edge. */
const ROUND_TRIP_MS = 40;

/** The files a first visit loads: the entry script, what index.html preloads, and the CSS. */
function firstLoadFiles(html = readFileSync(join(DIST, 'index.html'), 'utf8')): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The SPA a first visit downloads (JS and CSS, gzipped as CloudFront sends them) and how soon
 * headless chromium paints it and can be used (the sign-in button in place), against a bare HTML
 * page served by the same server: the floor any page pays on this machine.
 */
export async function webBench(): Promise<BenchResult> {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'], { stdio: 'inherit' });
  const files = firstLoadFiles();
  const gzipped = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
  const sizes = files.map((file) => {
    const bytes = readFileSync(join(DIST, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const js = sizes.filter((size) => size.file.endsWith('.js'));
  const css = sizes.filter((size) => size.file.endsWith('.css'));
  const kb = (list: typeof sizes, key: 'raw' | 'gzip') => list.reduce((sum, size) => sum + size[key], 0) / 1024;

  // A bare page, copied next to the app so that the same server serves both.
  const bareDir = mkdtempSync(join(tmpdir(), 'bare-page-'));
  writeFileSync(join(bareDir, 'index.html'), '<!doctype html><title>bare</title><button>Sign in</button>');
  const app = await startLocalServer({ port: 0, env: { STORE: 'memory', LOG_LEVEL: 'SILENT' }, webDist: DIST });
  // The SPA as the stack deploys it (index.html with the Cognito chunk preloaded) in Cognito mode,
  // as every visit on AWS is; its sign-in screen needs no call to Cognito.
  const deployedDir = mkdtempSync(join(tmpdir(), 'deployed-site-'));
  cpSync(DIST, deployedDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as ViteManifest;
  const deployedHtml = withCognitoPreload(readFileSync(join(DIST, 'index.html'), 'utf8'), manifest);
  writeFileSync(join(deployedDir, 'index.html'), deployedHtml);
  const deployedKb = firstLoadFiles(deployedHtml).reduce((sum, file) => sum + gzipped(file), 0) / 1024;
  const deployed = await startLocalServer({
    port: 0,
    env: { STORE: 'memory', LOG_LEVEL: 'SILENT', AUTH_MODE: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_Bench', COGNITO_CLIENT_ID: 'bench', AWS_REGION: 'eu-west-1' },
    webDist: deployedDir,
  });
  const bare = await startLocalServer({ port: 0, env: { STORE: 'memory', LOG_LEVEL: 'SILENT' }, webDist: bareDir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  async function visit(url: string, latencyMs = 0): Promise<{ paint: number; interactive: number }> {
    const context = await browser.newContext(); // a cold cache every time
    const page = await context.newPage();
    if (latencyMs > 0) {
      // Every request waits one round trip, as from a browser to the nearest CloudFront edge:
      // what a page fetches only after its scripts ran costs one more.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: -1, uploadThroughput: -1 });
    }
    await page.goto(url, { waitUntil: 'commit' });
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const interactive = await page.evaluate(() => performance.now());
    // The paint entry is recorded a frame after the paint: wait for it rather than read too early.
    const paint = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const entry = list.getEntriesByName('first-contentful-paint')[0];
            if (entry) resolve(entry.startTime);
          }).observe({ type: 'paint' as 'mark', buffered: true }); // Node's types lack the browser's 'paint'
          setTimeout(() => resolve(Number.NaN), 5000);
        }),
    );
    await context.close();
    return { paint, interactive };
  }
  try {
    await visit(app.url); // warm the server and the browser process
    const ours = [];
    const floor = [];
    const oursFar = [];
    const floorFar = [];
    const deployedFar = [];
    await visit(deployed.url);
    for (let run = 0; run < RUNS; run++) {
      ours.push(await visit(app.url));
      floor.push(await visit(bare.url));
      oursFar.push(await visit(app.url, ROUND_TRIP_MS));
      floorFar.push(await visit(bare.url, ROUND_TRIP_MS));
      deployedFar.push(await visit(deployed.url, ROUND_TRIP_MS));
    }
    const paint = median(ours.map((visit) => visit.paint));
    const interactive = median(ours.map((visit) => visit.interactive));
    const barePaint = median(floor.map((visit) => visit.paint));
    const bareInteractive = median(floor.map((visit) => visit.interactive));
    const farInteractive = median(oursFar.map((visit) => visit.interactive));
    const bareFarInteractive = median(floorFar.map((visit) => visit.interactive));
    const deployedFarInteractive = median(deployedFar.map((visit) => visit.interactive));
    return {
      name: 'web app first load',
      description: `${files.length} files on the first visit (gzip -9); median of ${RUNS} cold visits in headless chromium on localhost, and with ${ROUND_TRIP_MS} ms added to every request; interactive = the sign-in button in place; goal: under ${GOAL_KB} KB gzipped`,
      rows: [
        { figure: 'JS (KB gzipped)', value: kb(js, 'gzip'), baseline: '', ratio: '', note: `${kb(js, 'raw').toFixed(1)} KB raw` },
        { figure: 'CSS (KB gzipped)', value: kb(css, 'gzip'), baseline: '', ratio: '', note: `${kb(css, 'raw').toFixed(1)} KB raw` },
        { figure: 'first load (KB gzipped)', value: kb(sizes, 'gzip'), baseline: GOAL_KB, ratio: kb(sizes, 'gzip') / GOAL_KB, note: 'baseline: the goal' },
        {
          figure: 'first load as deployed (KB gzipped)',
          value: deployedKb,
          baseline: GOAL_KB,
          ratio: deployedKb / GOAL_KB,
          note: 'with the Cognito chunk',
        },
        { figure: 'first paint (ms)', value: paint, baseline: barePaint, ratio: paint / barePaint, note: 'baseline: a bare HTML page' },
        { figure: 'interactive (ms)', value: interactive, baseline: bareInteractive, ratio: interactive / bareInteractive, note: 'baseline: a bare HTML page' },
        {
          figure: `interactive at ${ROUND_TRIP_MS} ms a request (ms)`,
          value: farInteractive,
          baseline: bareFarInteractive,
          ratio: farInteractive / bareFarInteractive,
          note: 'round trips: what waits on what',
        },
        {
          figure: `the same, Cognito sign-in as deployed (ms)`,
          value: deployedFarInteractive,
          baseline: bareFarInteractive,
          ratio: deployedFarInteractive / bareFarInteractive,
          note: 'index.html as the stack writes it',
        },
      ],
    };
  } finally {
    await browser.close();
    await app.close();
    await bare.close();
    await deployed.close();
    rmSync(bareDir, { recursive: true, force: true });
    rmSync(deployedDir, { recursive: true, force: true });
  }
}
