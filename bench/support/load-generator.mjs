// A closed-loop HTTP load generator, run as its own process so that it does not take CPU from the
// server under test in the event loop it measures. Prints one JSON line: requests, errors,
// requests per second and latency percentiles (ms).
// Writes `measuring` to stderr as the measured phase begins.
// Usage: node load-generator.mjs '<json: {url, method, headers, body, connections, warmUpMs, durationMs}>'
import http from 'node:http';

const spec = JSON.parse(process.argv[2]);
const target = new URL(spec.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
const headers = { ...spec.headers, ...(body && { 'Content-Length': body.length }) };

function once() {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: spec.method, headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ok: res.statusCode >= 200 && res.statusCode < 300, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ ok: false, ms: performance.now() - started }));
    req.end(body);
  });
}

async function phase(durationMs) {
  const latencies = [];
  let errors = 0;
  const ends = performance.now() + durationMs;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (performance.now() < ends) {
        const { ok, ms } = await once();
        if (ok) latencies.push(ms);
        else errors++;
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - began) / 1000 };
}

await phase(spec.warmUpMs);
// The server under test may measure its own CPU from here.
process.stderr.write('measuring\n');
const { latencies, errors, seconds } = await phase(spec.durationMs);
latencies.sort((a, b) => a - b);
const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
console.log(JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) }));
agent.destroy();
