import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DirectoryIndexError,
  DirectoryProvider,
  findDirectoryPackage,
  type DirectoryPackage,
} from '../../src/directory/index.js';
import { waitFor } from '../support/wait-for.js';

const SPECS = ['apideck.com/crm', 'hubapi.com/auth'];

/** A directory of two real specs, under a version of its own. */
function smallDirectory(folder: string): DirectoryPackage {
  const specRoot = path.join(folder, 'api');
  for (const specId of SPECS) {
    mkdirSync(path.dirname(path.join(specRoot, specId)), { recursive: true });
    copyFileSync(
      path.join(findDirectoryPackage().specRoot, `${specId}.json`),
      path.join(specRoot, `${specId}.json`),
    );
  }
  return { specRoot, version: `test-${path.basename(folder)}` };
}

describe('the directory provider', () => {
  let folder: string;
  let providers: DirectoryProvider[];

  beforeEach(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'cadre-provider-'));
    providers = [];
  });
  afterEach(async () => {
    for (const provider of providers) await provider.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function provider(options: Partial<ConstructorParameters<typeof DirectoryProvider>[0]> = {}) {
    const created = new DirectoryProvider({
      catalogDir: path.join(folder, 'catalog'),
      enabled: true,
      reservedNames: new Set(),
      directoryPackage: smallDirectory(folder),
      childExecArgv: ['--import', 'tsx'],
      pollIntervalMs: 50,
      ...options,
    });
    providers.push(created);
    return created;
  }

  it('is left out of the catalog when disabled', () => {
    const disabled = provider({ enabled: false });
    expect(disabled.openIfBuilt()).toBe(false);
    expect(disabled.status()).toEqual({ state: 'disabled' });
    expect(disabled.current()).toBeUndefined();
    expect(() => disabled.build()).toThrow(DirectoryIndexError);
  });

  it('is missing until built, then opens the index, and a second provider reuses it', () => {
    const first = provider();
    expect(first.openIfBuilt()).toBe(false);
    expect(first.status()).toMatchObject({
      state: 'missing',
      message: expect.stringContaining('cadre catalog build'),
    });
    const stats = first.build();
    expect(stats.toolkits).toBe(2);
    expect(first.status()).toEqual({ state: 'ready' });
    expect(first.current()?.toolkits.map((toolkit) => toolkit.name)).toEqual([
      'apideck-crm',
      'hubspot-auth',
    ]);

    const second = provider();
    expect(second.openIfBuilt()).toBe(true);
    expect(second.build().builtAt).toBe(stats.builtAt);
  });

  it('builds in a child process in the background, logging it, then serves the index', async () => {
    const logged: string[] = [];
    const background = provider({
      logger: { info: (message) => logged.push(message), warn: (message) => logged.push(message) },
    });
    background.startBackgroundBuild();
    expect(background.status().state).toBe('building');
    expect(background.current()).toBeUndefined();
    await waitFor(() => (background.status().state === 'ready' ? true : undefined), {
      timeoutMs: 30_000,
    });
    expect(background.current()?.toolCount).toBeGreaterThan(40);
    expect(existsSync(`${background.file}.lock`)).toBe(false);
    expect(logged[0]).toMatch(/^Building the public API directory index/);
    expect(logged.at(-1)).toMatch(/^Directory index built: 2 toolkits/);
  });

  it('waits for the index another live process is building, instead of building it too', async () => {
    const waiting = provider();
    mkdirSync(path.dirname(waiting.file), { recursive: true });
    writeFileSync(`${waiting.file}.lock`, String(process.pid));
    waiting.startBackgroundBuild();
    expect(waiting.status()).toMatchObject({
      state: 'building',
      message: expect.stringContaining('Another'),
    });
    provider().build();
    await waitFor(() => (waiting.status().state === 'ready' ? true : undefined), {
      timeoutMs: 10_000,
    });
  });

  it('takes over the build lock of a process that is gone', async () => {
    const taking = provider();
    mkdirSync(path.dirname(taking.file), { recursive: true });
    writeFileSync(`${taking.file}.lock`, '2147483646');
    taking.startBackgroundBuild();
    expect(taking.status().message).toBeUndefined();
    await waitFor(() => (taking.status().state === 'ready' ? true : undefined), {
      timeoutMs: 30_000,
    });
  });
});
