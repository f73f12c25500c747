import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../../support/cadre-process.js';
import { waitFor } from '../../support/wait-for.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The reference MCP server (a devDependency): `<entry> stdio` or `<entry> streamableHttp`. */
export const EVERYTHING_ENTRY = path.join(
  ROOT,
  'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
);
const EVERYTHING_STDIO = path.join(path.dirname(EVERYTHING_ENTRY), 'transports/stdio.js');

/** `mcp` for a registration: server-everything over stdio, started by this Node binary. */
export function everythingStdio(): { command: string; args: string[] } {
  return { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] };
}

export interface PidRecordingServer {
  mcp: { command: string; args: string[]; env: Record<string, string> };
  /** The pid of every server process started so far, oldest first. */
  pids(): number[];
  cleanup(): void;
}

/**
 * server-everything over stdio, each process appending its pid to a file named by the
 * `PID_FILE` environment variable the toolkit sets: tests see when Cadre starts a server
 * and can kill the one it is using.
 */
export function pidRecordingEverythingStdio(): PidRecordingServer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-mcp-'));
  const pidFile = path.join(dir, 'pids');
  const script = [
    "import fs from 'node:fs';",
    'fs.appendFileSync(process.env.PID_FILE, `${process.pid}\\n`);',
    `await import(${JSON.stringify(pathToFileURL(EVERYTHING_STDIO).href)});`,
  ].join('\n');
  return {
    mcp: {
      command: process.execPath,
      args: ['--input-type=module', '--eval', script],
      env: { PID_FILE: pidFile },
    },
    pids: () =>
      fs.existsSync(pidFile)
        ? fs
            .readFileSync(pidFile, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map(Number)
        : [],
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills a process and waits until it is gone. */
export async function killProcess(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await waitFor(() => (isProcessAlive(pid) ? undefined : true), { what: `process ${pid} to exit` });
}

export interface EverythingHttpServer {
  /** The Streamable HTTP endpoint, e.g. `http://127.0.0.1:40123/mcp`. */
  url: string;
  /** For CADRE_ALLOW_PRIVATE_HOSTS. */
  hostPort: string;
  /** Kills the server (SIGKILL): every session it held is lost. */
  kill(): Promise<void>;
  /** Starts a fresh server on the same port (after `kill`). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** server-everything in Streamable HTTP mode, as a child process on a free loopback port. */
export async function startEverythingHttpServer(): Promise<EverythingHttpServer> {
  const port = await freePort();
  let child = await spawnHttpServer(port);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    hostPort: `127.0.0.1:${port}`,
    kill: () => stop(child),
    async restart() {
      child = await spawnHttpServer(port);
    },
    close: () => stop(child),
  };
}

async function spawnHttpServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [EVERYTHING_ENTRY, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`server-everything exited:\n${stderr}`);
      return stderr.includes('listening on port') ? true : undefined;
    },
    { what: 'server-everything to listen' },
  );
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
