import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { waitFor } from './wait-for.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = ['--import', 'tsx', path.join(ROOT, 'src/main/cli.ts')];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

/** Runs the real `cadre` CLI to completion and returns its output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

export interface CadreProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `cadre serve` as a child process and waits until /healthz answers. */
export async function startCadreProcess(
  env: Record<string, string>,
  port: number,
): Promise<CadreProcess> {
  let output = '';
  const child = spawn(process.execPath, [...CLI, 'serve'], {
    cwd: ROOT,
    // Without the public directory unless a test asks for it: a fresh data dir would build
    // its index in the background, which costs a core for half a minute.
    env: {
      ...process.env,
      CADRE_PORT: String(port),
      CADRE_HOST: '127.0.0.1',
      CADRE_DIRECTORY: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`cadre exited early:\n${output}`);
      try {
        const response = await fetch(`${baseUrl}/healthz`);
        return response.ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    { timeoutMs: 20_000, intervalMs: 100, what: 'cadre to listen' },
  );
  return {
    child,
    baseUrl,
    output: () => output,
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A small JSON client for a Cadre process. */
export function apiClient(baseUrl: string, key: string) {
  return async (
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };
}
