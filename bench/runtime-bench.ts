// Task runtime benchmarks on the embedded default (SQLite), server in its own process:
// 1. throughput: tasks created over HTTP, a scripted model that answers at once and calls one
//    built-in tool; completed tasks/s and Cadre's own overhead per task;
// 2. many in flight: 10,000 tasks queued, then run at once by one server with a model that takes
//    2 s per call; peak RSS and the RSS curve against tasks in flight.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createDatabase } from '../src/storage/index.js';
import { describeMachine } from './support/machine.js';
import { ROOT, freePort, startChildServer, type ChildServer } from './support/child-server.js';
import { compileProject } from './support/compile-project.js';

// The server runs compiled, as `npm start` runs Cadre: under tsx its loader thread alone adds
// about 50 MB of resident memory. BENCH_TSX=1 runs it from source instead.
const FROM_SOURCE = process.env.BENCH_TSX === '1';
const BUILD_DIR = path.join(ROOT, '.bench', 'build');

/** Compiles the scripted server (and the sources it imports) into .bench/build. */
function compileServer(): void {
  compileProject('bench/tsconfig.servers.json');
  // Assets are found beside src/, as they are for dist/.
  const assets = path.join(BUILD_DIR, 'assets');
  if (!fs.existsSync(assets)) fs.symlinkSync(path.join(ROOT, 'assets'), assets);
}

const THROUGHPUT_TASKS = Number(process.env.BENCH_TASKS ?? 5_000);
const IN_FLIGHT_TASKS = Number(process.env.BENCH_IN_FLIGHT ?? 10_000);
const CREATE_CONCURRENCY = 32;
const OVERHEAD_TASKS = 2_000;
const OVERHEAD_RATE = 500;
/** Two seconds of the paced load before the measured tasks: a server that has been running. */
const OVERHEAD_WARM_UP_TASKS = 1_000;

interface Stats {
  rss: number;
  heap: number;
  inFlight: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function startServer(
  env: Record<string, string>,
  existingDataDir?: string,
): Promise<{
  server: ChildServer;
  key: string;
  dataDir: string;
  stats: Stats[];
}> {
  const dataDir = existingDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-runtime-bench-'));
  const baseEnv = {
    CADRE_DATA_DIR: dataDir,
    CADRE_LOG_LEVEL: 'warn',
    CADRE_RATE_LIMIT_RPS: '0',
    ...env,
  };
  const created = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/main/cli.ts', 'keys', 'create'],
    {
      cwd: ROOT,
      env: { ...process.env, ...baseEnv },
      encoding: 'utf8',
    },
  );
  const key = created.stdout.trim().split('\n').at(-1) ?? '';
  const port = await freePort();
  const server = await startChildServer(
    [
      ...(process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : []),
      ...(FROM_SOURCE
        ? ['--import', 'tsx', 'bench/servers/scripted-cadre.ts']
        : [path.join(BUILD_DIR, 'bench', 'servers', 'scripted-cadre.js')]),
    ],
    { ...baseEnv, CADRE_PORT: String(port) },
    port,
  );
  const stats: Stats[] = [];
  let buffer = '';
  server.child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('{')) stats.push(JSON.parse(line) as Stats);
      newline = buffer.indexOf('\n');
    }
  });
  return { server, key, dataDir, stats };
}

async function createTasks(
  baseUrl: string,
  key: string,
  count: number,
  ratePerSecond?: number,
): Promise<void> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const deploy = await fetch(`${baseUrl}/v1/subagents`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'data-agent',
      prompt: 'Transform data: query JSON with JMESPath.',
    }),
  });
  if (deploy.status !== 201) throw new Error(await deploy.text());
  let next = 0;
  const body = JSON.stringify({ prompt: 'Sum the items', sub_agent: 'data-agent' });
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        if (ratePerSecond !== undefined) {
          // Paced arrivals: task n is sent at n / rate seconds.
          const dueMs = (next / ratePerSecond) * 1000 - (performance.now() - startedAt);
          if (dueMs > 0) await new Promise((resolve) => setTimeout(resolve, dueMs));
        }
        const response = await fetch(`${baseUrl}/v1/tasks`, { method: 'POST', headers, body });
        if (response.status !== 201) throw new Error(await response.text());
        await response.arrayBuffer();
      }
    }),
  );
}

async function waitUntilDone(
  baseUrl: string,
  key: string,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(
      `${baseUrl}/v1/tasks?status=complete&limit=1&offset=${count - 1}`,
      {
        headers: { authorization: `Bearer ${key}` },
      },
    );
    const page = (await response.json()) as { data: unknown[] };
    if (page.data.length === 1) return;
    if (Date.now() > deadline) throw new Error('tasks did not complete in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function readTimings(dataDir: string) {
  const database = await createDatabase({ kind: 'sqlite', file: path.join(dataDir, 'cadre.db') });
  try {
    const tasks = await database.db
      .selectFrom('tasks')
      .select(['id', 'status', 'created_at', 'started_at', 'completed_at'])
      .execute();
    const steps = await database.db
      .selectFrom('task_steps')
      .select(['task_id', 'kind', 'duration_ms'])
      .where('kind', 'in', ['model', 'tool'])
      .execute();
    const external = new Map<string, number>();
    for (const step of steps) {
      external.set(step.task_id, (external.get(step.task_id) ?? 0) + (step.duration_ms ?? 0));
    }
    return { tasks, external };
  } finally {
    await database.close();
  }
}

async function runBatch(count: number, ratePerSecond?: number, warmUp = 0) {
  const { server, key, dataDir } = await startServer({ CADRE_WORKER_CONCURRENCY: '64' });
  try {
    // Tasks of the warm-up run first, at the same pace, and are left out of the figures.
    await createTasks(server.baseUrl, key, warmUp + count, ratePerSecond);
    await waitUntilDone(server.baseUrl, key, warmUp + count, 300_000);
  } finally {
    await server.stop();
  }
  const timings = await readTimings(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
  // The warm-up tasks are the first ones created (ids sort by creation within a millisecond).
  const measured = [...timings.tasks]
    .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1))
    .slice(warmUp);
  return { tasks: measured, external: timings.external, all: timings.tasks };
}

function overheadOf(
  tasks: Awaited<ReturnType<typeof readTimings>>['tasks'],
  external: Map<string, number>,
) {
  return tasks
    .filter((task) => task.status === 'complete')
    .map((task) => (task.completed_at ?? 0) - (task.started_at ?? 0) - (external.get(task.id) ?? 0))
    .sort((a, b) => a - b);
}

async function throughput(): Promise<void> {
  const { tasks, external } = await runBatch(THROUGHPUT_TASKS);
  const complete = tasks.filter((task) => task.status === 'complete');
  const first = Math.min(...tasks.map((task) => task.created_at));
  const last = Math.max(...complete.map((task) => task.completed_at ?? 0));
  const saturated = overheadOf(tasks, external);
  const queueWait = complete
    .map((task) => (task.started_at ?? 0) - task.created_at)
    .sort((a, b) => a - b);
  console.log(
    `\n1. Throughput: ${THROUGHPUT_TASKS} tasks over HTTP, model answers at once, one json tool call`,
  );
  console.log(
    `   completed: ${complete.length}/${tasks.length} in ${((last - first) / 1000).toFixed(2)} s`,
  );
  console.log(
    `   throughput: ${Math.round(complete.length / ((last - first) / 1000))} tasks/s (target ≥ 1,000)`,
  );
  console.log(
    `   at saturation, run time minus model and tool time: p50 ${percentile(saturated, 50)} ms, p99 ${percentile(saturated, 99)} ms (includes waiting for the CPU behind other tasks)`,
  );
  console.log(
    `   queue wait (created → claimed): p50 ${percentile(queueWait, 50)} ms, p99 ${percentile(queueWait, 99)} ms`,
  );

  const paced = await runBatch(OVERHEAD_TASKS, OVERHEAD_RATE, OVERHEAD_WARM_UP_TASKS);
  const overhead = overheadOf(paced.tasks, paced.external);
  const cold = overheadOf(paced.all, paced.external);
  console.log(
    `   Cadre overhead per task at ${OVERHEAD_RATE} tasks/s offered (run time minus model and tool time), ${OVERHEAD_TASKS} tasks after ${OVERHEAD_WARM_UP_TASKS} warm-up tasks: p50 ${percentile(overhead, 50)} ms, p99 ${percentile(overhead, 99)} ms (targets < 2 / < 10)`,
  );
  console.log(
    `   the same run with the warm-up tasks counted (a server's first ${(OVERHEAD_WARM_UP_TASKS / OVERHEAD_RATE).toFixed(0)} s, while V8 compiles the hot code): p50 ${percentile(cold, 50)} ms, p99 ${percentile(cold, 99)} ms`,
  );
}

async function manyInFlight(): Promise<void> {
  // Tasks are queued first by the API alone, then one server (API and worker) starts with all
  // of them pending: every task is in flight at once, instead of the first ones finishing
  // while the last are still being created.
  const queued = await startServer({ BENCH_ROLE: 'api' });
  try {
    await createTasks(queued.server.baseUrl, queued.key, IN_FLIGHT_TASKS);
  } finally {
    await queued.server.stop();
  }
  const { server, key, dataDir, stats } = await startServer(
    {
      CADRE_WORKER_CONCURRENCY: String(IN_FLIGHT_TASKS),
      BENCH_MODEL_DELAY_MS: '2000',
      STATS_INTERVAL_MS: '250',
    },
    queued.dataDir,
  );
  try {
    await waitUntilDone(server.baseUrl, key, IN_FLIGHT_TASKS, 600_000);
  } finally {
    await server.stop();
  }
  const { tasks } = await readTimings(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const complete = tasks.filter((task) => task.status === 'complete').length;
  const peakRss = Math.max(...stats.map((sample) => sample.rss));
  const peakInFlight = Math.max(...stats.map((sample) => sample.inFlight));
  console.log(
    `\n2. ${IN_FLIGHT_TASKS} tasks queued, then all in flight at once; model takes 2 s per call (two calls per task)`,
  );
  console.log(`   completed: ${complete}/${tasks.length}; peak in flight ${peakInFlight}`);
  console.log(`   peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MB (target < 512 MB)`);
  console.log('   RSS against tasks in flight (sampled every 250 ms):');
  console.log('     in flight   RSS MB   heap MB');
  const step = Math.max(1, Math.floor(stats.length / 24));
  for (let index = 0; index < stats.length; index += step) {
    const sample = stats[index];
    if (sample === undefined) continue;
    console.log(
      `     ${String(sample.inFlight).padStart(9)}   ${(sample.rss / 2 ** 20).toFixed(0).padStart(6)}   ${(sample.heap / 2 ** 20).toFixed(0).padStart(7)}`,
    );
  }
}

if (!FROM_SOURCE) compileServer();
console.log(
  `Task runtime benchmark · ${describeMachine()} · server ${FROM_SOURCE ? 'from source (tsx)' : 'compiled'}`,
);
// BENCH_ONLY=throughput or BENCH_ONLY=in-flight runs one of the two parts.
const only = process.env.BENCH_ONLY;
if (only === undefined || only === 'throughput') await throughput();
if (only === undefined || only === 'in-flight') await manyInFlight();
