// API core benchmarks: GET /v1/tasks/:id and GET /v1/subagents against a bare Fastify route,
// and POST /v1/tasks with the worker off. Server and load generator run as separate processes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import { describeMachine } from './support/machine.js';
import { ROOT, freePort, startChildServer } from './support/child-server.js';
import { compileProject } from './support/compile-project.js';
import { processCpuSeconds } from './support/process-cpu.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
// Each route's time is split into rounds that take turns with the bare route, so a machine
// busy with other work slows both sides of a ratio alike instead of one route's whole run.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CONNECTIONS = 50;
// Polled in turn by one row, each request a different task: more than the 1,000 bodies a
// server keeps while the database is unchanged, so every one of those requests reads.
const DISTINCT_TASKS = 10_000;

interface Round {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU the server process used during the round (all its threads); undefined without /proc. */
  serverCpuSeconds: number | undefined;
}

interface Target {
  name: string;
  /** The process answering this target. */
  serverPid: number | undefined;
  options: autocannon.Options;
  rounds: Round[];
}

async function load(target: Target, seconds: number): Promise<Round> {
  const cpuBefore = processCpuSeconds(target.serverPid);
  const result = await autocannon({
    connections: CONNECTIONS,
    ...target.options,
    duration: seconds,
  });
  const cpuAfter = processCpuSeconds(target.serverPid);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    serverCpuSeconds:
      cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const throughput = (round: Round) => round.requests / round.seconds;

/** The server's CPU (all threads) per answered request over all rounds, in µs. */
function cpuPerRequest(rounds: readonly Round[]): string {
  let cpuSeconds = 0;
  let requests = 0;
  for (const round of rounds) {
    if (round.serverCpuSeconds === undefined) return 'n/a';
    cpuSeconds += round.serverCpuSeconds;
    requests += round.requests;
  }
  return requests === 0 ? 'n/a' : String(Math.round((cpuSeconds / requests) * 1e6));
}

// The server runs compiled, as `npm start` runs it (tsx's loader thread costs CPU and memory
// that a user's server does not pay); BENCH_TSX=1 runs it from source instead.
const FROM_SOURCE = process.env.BENCH_TSX === '1';
const CLI = FROM_SOURCE ? ['--import', 'tsx', 'src/main/cli.ts'] : ['dist/main/cli.js'];

function cli(args: string[], env: Record<string, string>): string {
  const run = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim().split('\n').at(-1) ?? '';
}

async function main(): Promise<void> {
  if (!FROM_SOURCE) compileProject('tsconfig.build.json');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-bench-'));
  // The normal configuration: the default log level (info, a line per request) and rate
  // limiting on, with a limit high enough that it never refuses. The public directory stays
  // out: these routes never read it, and its first-start background build would take the CPU.
  const env = {
    CADRE_DATA_DIR: dataDir,
    CADRE_RATE_LIMIT_RPS: '1000000',
    CADRE_RATE_LIMIT_BURST: '1000000',
    CADRE_DIRECTORY: 'off',
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
  // The request log goes to a file, as in production, not through this process.
  const cadre = await startChildServer(
    [...CLI, 'serve', '--role', 'api'],
    { ...env, CADRE_PORT: String(port) },
    port,
    { logFile: path.join(dataDir, 'server.log') },
  );
  let targets: Target[] = [];
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
    const createTask = async (index: number) => {
      const response = await fetch(`${cadre.baseUrl}/v1/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          prompt: `Pull contacts of account ${index}`,
          sub_agent: 'crm-agent',
          metadata: { source: 'bench', index },
        }),
      });
      if (response.status !== 201) throw new Error(await response.text());
      return ((await response.json()) as { id: string }).id;
    };
    const polledTask = await createTask(0);
    const taskIds: string[] = [];
    while (taskIds.length < DISTINCT_TASKS) {
      const batch = Array.from({ length: CONNECTIONS }, (_, offset) => taskIds.length + offset + 1);
      taskIds.push(...(await Promise.all(batch.map(createTask))));
    }
    let nextTask = 0;

    const target = (
      name: string,
      options: autocannon.Options,
      serverPid = cadre.child.pid,
    ): Target => ({ name, serverPid, options, rounds: [] });
    targets = [
      target('bare fastify route', { url: `${bare.baseUrl}/bare` }, bare.child.pid),
      target('GET /v1/tasks/:id', { url: `${cadre.baseUrl}/v1/tasks/${polledTask}`, headers }),
      target(`GET /v1/tasks/:id, ${DISTINCT_TASKS} in turn`, {
        url: cadre.baseUrl,
        headers,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => {
              nextTask = (nextTask + 1) % taskIds.length;
              return { ...request, path: `/v1/tasks/${taskIds[nextTask]}` };
            },
          },
        ],
      }),
      target('GET /v1/subagents', { url: `${cadre.baseUrl}/v1/subagents`, headers }),
      target('POST /v1/tasks (worker off)', {
        url: `${cadre.baseUrl}/v1/tasks`,
        method: 'POST',
        headers,
        body: JSON.stringify({
          prompt: 'Pull contacts created this week',
          sub_agent: 'crm-agent',
          user_id: 'user_1',
        }),
      }),
    ];

    // Warm up every route before measuring.
    for (const target of targets) await load(target, 2);
    const roundSeconds = Math.max(1, Math.round(DURATION_S / ROUNDS));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of targets) target.rounds.push(await load(target, roundSeconds));
    }
  } finally {
    await cadre.stop();
    await bare.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const bareRounds = targets[0]?.rounds ?? [];
  console.log(`\nAPI benchmark · ${describeMachine()}`);
  console.log(
    `autocannon: ${CONNECTIONS} connections, ${DURATION_S} s per route in ${ROUNDS} rounds taking turns, embedded SQLite, log level info, rate limiting on, server ${FROM_SOURCE ? 'from source (tsx)' : 'compiled (dist)'}`,
  );
  console.log(
    'req/s over all rounds; p50, p99 and the ratio to the bare route of the same round: medians of the rounds\n',
  );
  console.log(
    'route'.padEnd(30),
    'req/s'.padStart(8),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'vs bare'.padStart(8),
    'errors'.padStart(7),
    'server CPU µs/req'.padStart(18),
  );
  for (const { name, rounds } of targets) {
    const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
    const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
    const ratios = rounds.map((round, index) => {
      const bareRound = bareRounds[index];
      return bareRound === undefined ? 0 : throughput(round) / throughput(bareRound);
    });
    console.log(
      name.padEnd(30),
      String(Math.round(requests / Math.max(seconds, 1))).padStart(8),
      String(median(rounds.map((round) => round.p50))).padStart(8),
      String(median(rounds.map((round) => round.p99))).padStart(8),
      `${Math.round(median(ratios) * 100)}%`.padStart(8),
      String(rounds.reduce((sum, round) => sum + round.errors, 0)).padStart(7),
      cpuPerRequest(rounds).padStart(18),
    );
  }
  console.log(
    `\nGET /v1/tasks/:id polls one task: nothing commits meanwhile, so its body is reused (decision 10). "${DISTINCT_TASKS} in turn" polls ${DISTINCT_TASKS} tasks one after another, more than the 1,000 bodies a server keeps, so every request reads its task.`,
  );
  console.log(
    'Server CPU per request counts every thread of the server process (user and system time from /proc): the load generator, which shares the machine, moves it much less than it moves throughput.',
  );
  console.log(
    'Targets: GET routes ≥ 50 % of bare and p99 < 10 ms; POST /v1/tasks ≥ 3,000/s and p99 < 20 ms.',
  );
}

await main();
