import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ChildServer {
  child: ChildProcess;
  baseUrl: string;
  stop(): Promise<void>;
}

/** What a failed start reports of the server's output: its last lines. */
const OUTPUT_TAIL_CHARS = 64 * 1024;

export interface ChildServerOptions {
  readyPath?: string;
  /**
   * Writes the server's stdout and stderr to this file instead of a pipe to this process: a
   * server logging every request at full load would otherwise make the load generator (this
   * process) read and buffer its log.
   */
  logFile?: string;
}

/** Starts a Node script as a separate process (so load generator and server don't share a loop). */
export async function startChildServer(
  args: string[],
  env: Record<string, string>,
  port: number,
  { readyPath = '/healthz', logFile }: ChildServerOptions = {},
): Promise<ChildServer> {
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  const logFd = logFile === undefined ? undefined : fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  });
  if (logFd !== undefined) fs.closeSync(logFd);
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const readOutput = () =>
    logFile === undefined ? output : fs.readFileSync(logFile, 'utf8').slice(-OUTPUT_TAIL_CHARS);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${readOutput()}`);
    try {
      if ((await fetch(baseUrl + readyPath)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${readOutput()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    baseUrl,
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
