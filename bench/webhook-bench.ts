// Webhook benchmarks on the embedded default (SQLite), Cadre in its own processes and a local
// receiver (plain node:http, answering 200 at once) in this one:
// 1. deliveries/s: a backlog of task.complete deliveries (test-mode tasks created while only
//    the API runs), then a worker starts and drains it; rate between first and last arrival;
// 2. event-to-delivery latency: live tasks (scripted model, one tool call) at a steady rate;
//    from the task.complete event's commit time (task_events.created_at) to its arrival.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createDatabase } from '../src/storage/index.js';
import { describeMachine } from './support/machine.js';
import { ROOT, freePort, startChildServer, type ChildServer } from './support/child-server.js';

const BACKLOG = Number(process.env.BENCH_WEBHOOK_BACKLOG ?? 10_000);
const LATENCY_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 200);
const LATENCY_SECONDS = Number(process.env.BENCH_DURATION_S ?? 10);
const CREATE_CONCURRENCY = 32;

interface Receiver {
  url: string;
  hostPort: string;
  /** Arrival time (epoch ms) of the first request per webhook id. */
  arrivals: Map<string, number>;
  requests: () => number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const arrivals = new Map<string, number>();
  let requests = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      const id = String(request.headers['webhook-id']);
      if (!arrivals.has(id)) arrivals.set(id, Date.now());
      response.writeHead(200);
      response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hostPort: `127.0.0.1:${port}`,
    arrivals,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function cli(args: string[], env: Record<string, string>): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim().split('\n').at(-1) ?? '';
}

async function startCadre(script: string[], env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  return startChildServer(
    ['--import', 'tsx', ...script],
    { ...env, CADRE_PORT: String(port) },
    port,
  );
}

/** `cadre serve --role worker`: no HTTP to poll for readiness; its webhooks show it runs. */
function startWorker(env: Record<string, string>): { stop(): Promise<void> } {
  let output = '';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/cli.ts', 'serve', '--role', 'worker'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`worker exited with ${code}:\n${output}`);
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function api(baseUrl: string, key: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as { id: string };
}

async function createTasks(
  baseUrl: string,
  key: string,
  count: number,
  body: Record<string, unknown>,
  ratePerSecond?: number,
): Promise<void> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const payload = JSON.stringify(body);
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        if (ratePerSecond !== undefined) {
          const dueMs = (next / ratePerSecond) * 1000 - (performance.now() - startedAt);
          if (dueMs > 0) await new Promise((resolve) => setTimeout(resolve, dueMs));
        }
        const response = await fetch(`${baseUrl}/v1/tasks`, {
          method: 'POST',
          headers,
          body: payload,
        });
        if (response.status !== 201) throw new Error(await response.text());
        await response.arrayBuffer();
      }
    }),
  );
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function setUp(receiver: Receiver) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-webhook-bench-'));
  const env = {
    CADRE_DATA_DIR: dataDir,
    CADRE_LOG_LEVEL: 'warn',
    CADRE_RATE_LIMIT_RPS: '0',
    CADRE_ALLOW_PRIVATE_HOSTS: receiver.hostPort,
  };
  return { dataDir, env, key: cli(['keys', 'create'], env) };
}

async function prepare(baseUrl: string, key: string, receiver: Receiver): Promise<void> {
  await api(baseUrl, key, 'POST', '/v1/webhook_endpoints', {
    url: receiver.url,
    events: ['task.complete'],
  });
  await api(baseUrl, key, 'POST', '/v1/subagents', {
    name: 'data-agent',
    prompt: 'Transform data: query JSON with JMESPath.',
  });
}

async function deliveriesPerSecond(): Promise<{ rate: number; seconds: number; sent: number }> {
  const receiver = await startReceiver();
  const { dataDir, env, key } = setUp(receiver);
  try {
    const apiServer = await startCadre(['src/main/cli.ts', 'serve', '--role', 'api'], env);
    try {
      await prepare(apiServer.baseUrl, key, receiver);
      await createTasks(apiServer.baseUrl, key, BACKLOG, {
        prompt: 'Sum the items',
        sub_agent: 'data-agent',
        mode: 'test',
      });
    } finally {
      await apiServer.stop();
    }
    const worker = startWorker(env);
    try {
      await waitFor(() => receiver.arrivals.size >= BACKLOG, 300_000, 'the backlog to drain');
    } finally {
      await worker.stop();
    }
    const times = [...receiver.arrivals.values()];
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    return { rate: Math.round(BACKLOG / seconds), seconds, sent: receiver.requests() };
  } finally {
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function latency(): Promise<{ p50: number; p99: number; max: number; count: number }> {
  const receiver = await startReceiver();
  const { dataDir, env, key } = setUp(receiver);
  const count = LATENCY_RATE * LATENCY_SECONDS;
  try {
    const server = await startCadre(['bench/servers/scripted-cadre.ts'], env);
    try {
      await prepare(server.baseUrl, key, receiver);
      await createTasks(
        server.baseUrl,
        key,
        count,
        { prompt: 'Sum the items', sub_agent: 'data-agent' },
        LATENCY_RATE,
      );
      await waitFor(() => receiver.arrivals.size >= count, 120_000, 'every task.complete webhook');
    } finally {
      await server.stop();
    }
    const database = await createDatabase({ kind: 'sqlite', file: path.join(dataDir, 'cadre.db') });
    try {
      const events = await database.db
        .selectFrom('task_events')
        .select(['id', 'created_at'])
        .where('type', '=', 'task.complete')
        .execute();
      const latencies = events
        .map((event) => (receiver.arrivals.get(event.id) ?? NaN) - event.created_at)
        .filter((value) => !Number.isNaN(value))
        .sort((left, right) => left - right);
      return {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? NaN,
        count: latencies.length,
      };
    } finally {
      await database.close();
    }
  } finally {
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`\nWebhook benchmark · ${describeMachine()}`);
  console.log(
    'Embedded SQLite; Cadre in child processes; receiver in this process (200 at once)\n',
  );
  const throughput = await deliveriesPerSecond();
  console.log(
    `1. Deliveries/s: a backlog of ${BACKLOG} task.complete webhooks drained by one worker`,
  );
  console.log(
    `   ${throughput.rate} deliveries/s (${throughput.sent} requests in ${throughput.seconds.toFixed(2)} s; target ≥ 500/s)`,
  );
  const figures = await latency();
  console.log(
    `\n2. Event-to-delivery latency: ${LATENCY_RATE} live tasks/s for ${LATENCY_SECONDS} s (scripted model, one tool call)`,
  );
  console.log(
    `   task.complete committed → received: p50 ${figures.p50} ms · p99 ${figures.p99} ms · max ${figures.max} ms over ${figures.count} webhooks (targets: p50 ≤ 50 ms, p99 ≤ 250 ms)`,
  );
}

await main();
