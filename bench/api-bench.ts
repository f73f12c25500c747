// API core benchmarks: GET /v1/tasks/:id and GET /v1/subagents against a bare Fastify route,
// and POST /v1/tasks with the worker off. Server and load generator run as separate processes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import { describeMachine } from './support/machine.js';
import { ROOT, freePort, startChildServer } from './support/child-server.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 50;

interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
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

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-bench-'));
  const env = {
    CADRE_DATA_DIR: dataDir,
    CADRE_LOG_LEVEL: 'warn',
    CADRE_RATE_LIMIT_RPS: '0',
  };
  const key = cli(['keys', 'create'], env);
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

  const barePort = await freePort();
  const bare = await startChildServer(
    ['--import', 'tsx', 'bench/servers/bare-fastify.ts'],
    { PORT: String(barePort) },
    barePort,
  );
  const port = await freePort();
  const cadre = await startChildServer(
    ['--import', 'tsx', 'src/main/cli.ts', 'serve', '--role', 'api'],
    { ...env, CADRE_PORT: String(port) },
    port,
  );
  const results: Figures[] = [];
  try {
    const deploy = await fetch(`${cadre.baseUrl}/v1/subagents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'crm-agent',
        prompt: 'Handle CRM tasks: pull contacts, sync deals.',
      }),
    });
    if (deploy.status !== 201) throw new Error(await deploy.text());
    const created = (await (
      await fetch(`${cadre.baseUrl}/v1/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          prompt: 'Pull contacts',
          sub_agent: 'crm-agent',
          metadata: { source: 'bench' },
        }),
      })
    ).json()) as { id: string };

    // Warm up both servers before measuring.
    await load('warm-up', { url: `${bare.baseUrl}/bare`, duration: 2 });
    await load('warm-up', { url: `${cadre.baseUrl}/v1/tasks/${created.id}`, headers, duration: 2 });

    results.push(await load('bare fastify route', { url: `${bare.baseUrl}/bare` }));
    results.push(
      await load('GET /v1/tasks/:id', { url: `${cadre.baseUrl}/v1/tasks/${created.id}`, headers }),
    );
    results.push(
      await load('GET /v1/subagents', { url: `${cadre.baseUrl}/v1/subagents`, headers }),
    );
    results.push(
      await load('POST /v1/tasks (worker off)', {
        url: `${cadre.baseUrl}/v1/tasks`,
        method: 'POST',
        headers,
        body: JSON.stringify({
          prompt: 'Pull contacts created this week',
          sub_agent: 'crm-agent',
          user_id: 'user_1',
        }),
      }),
    );
  } finally {
    await cadre.stop();
    await bare.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const bareRps = results[0]?.requestsPerSecond ?? 1;
  console.log(`\nAPI benchmark · ${describeMachine()}`);
  console.log(
    `autocannon: ${CONNECTIONS} connections, ${DURATION_S} s per route, embedded SQLite\n`,
  );
  console.log(
    'route'.padEnd(30),
    'req/s'.padStart(8),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'vs bare'.padStart(8),
    'errors'.padStart(7),
  );
  for (const row of results) {
    console.log(
      row.name.padEnd(30),
      String(row.requestsPerSecond).padStart(8),
      String(row.p50).padStart(8),
      String(row.p99).padStart(8),
      `${Math.round((row.requestsPerSecond / bareRps) * 100)}%`.padStart(8),
      String(row.non2xx).padStart(7),
    );
  }
  console.log(
    '\nTargets: GET routes ≥ 50 % of bare and p99 < 10 ms; POST /v1/tasks ≥ 3,000/s and p99 < 20 ms.',
  );
}

await main();
