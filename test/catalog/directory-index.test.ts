import { mkdtempSync, readFileSync, rmSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DirectoryIndex,
  DirectoryIndexError,
  buildDirectoryIndex,
  convertDirectorySpec,
  findDirectoryPackage,
  type DirectoryBuildProgress,
  type DirectoryBuildStats,
} from '../../src/directory/index.js';

const SPECS = ['apideck.com/crm', 'hubapi.com/auth', 'hubapi.com/crm', 'slack.com', 'stripe.com'];
const UNUSABLE = 'adyen.com/BalancePlatformConfigurationNotification-v1';
const { specRoot, version } = findDirectoryPackage();

describe('the directory index', () => {
  let folder: string;
  let file: string;
  let stats: DirectoryBuildStats;
  let progress: DirectoryBuildProgress[];
  let index: DirectoryIndex;

  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'cadre-directory-'));
    file = path.join(folder, 'catalog', 'directory.sqlite');
    progress = [];
    stats = buildDirectoryIndex({
      specRoot,
      directoryVersion: version,
      file,
      specIds: [...SPECS, UNUSABLE],
      reservedNames: new Set(['http', 'json', 'code']),
      onProgress: (step) => progress.push(step),
    });
    index = DirectoryIndex.open(file);
  });
  afterAll(() => {
    index.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reports what it built, and which specs it could not use and why', () => {
    expect(stats).toMatchObject({ directoryVersion: version, specs: 6, toolkits: 5 });
    expect(stats.skippedSpecs).toEqual([
      { specId: UNUSABLE, reason: expect.stringMatching(/no operations/) },
    ]);
    expect(stats.tools).toBe(index.toolCount);
  });

  it('reports progress spec by spec, then indexing and writing', () => {
    const reading = progress.filter((step) => step.phase === 'reading');
    expect(reading.map((step) => step.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.slice(-2).map((step) => step.phase)).toEqual(['indexing', 'writing']);
  });

  it('leaves only the finished index and its postings in the folder', () => {
    expect(readdirSync(path.dirname(file)).sort()).toEqual([
      'directory.sqlite',
      'directory.sqlite.postings',
    ]);
  });

  it('refuses postings of another build of the index', () => {
    const copy = path.join(folder, 'other.sqlite');
    copyFileSync(file, copy);
    copyFileSync(`${file}.postings`, `${copy}.postings`);
    const database = new BetterSqlite3(copy);
    database.prepare("UPDATE meta SET value = 'another-build' WHERE key = 'postings'").run();
    database.close();
    expect(() => DirectoryIndex.open(copy)).toThrow(/another build/);
  });

  it('knows every toolkit and tool name without reading a definition', () => {
    expect(index.toolkits.map((toolkit) => toolkit.name)).toEqual([
      'apideck-crm',
      'hubspot-auth',
      'hubspot-crm',
      'slack',
      'stripe',
    ]);
    const tool = index.findTool('apideck-crm__contactsAll');
    expect(tool).toBeDefined();
    expect(index.toolName(tool ?? -1)).toBe('apideck-crm__contactsAll');
    expect(index.route(tool ?? -1)).toBe('GET /crm/contacts');
    expect(index.findTool('apideck-crm__nope')).toBeUndefined();
    expect(index.findTool('nope__contactsAll')).toBeUndefined();
    expect(index.cachedDefinitions).toBe(0);
  });

  it('reads a full definition on demand, equal to the converted spec, and keeps it for the next call', () => {
    const document: unknown = JSON.parse(
      readFileSync(path.join(specRoot, 'apideck.com/crm.json'), 'utf8'),
    );
    const converted = convertDirectorySpec('apideck.com/crm', document, 'apideck-crm').tools.find(
      (tool) => tool.action === 'contactsAdd',
    );
    if (converted?.binding.kind !== 'http') throw new Error('contactsAdd is an HTTP tool');
    const { response, ...binding } = converted.binding;
    const id = index.findTool('apideck-crm__contactsAdd') ?? -1;
    expect(index.definition(id)).toEqual({ ...converted, binding });
    expect(index.cachedDefinitions).toBe(1);
    expect(index.definition(id)).toBe(index.definition(id));
    expect(index.cachedDefinitions).toBe(1);
    // The documented response is kept apart, read from the file only when asked for.
    expect(response).toMatchObject({ status: 201, schema: { type: 'object' } });
    expect(index.responseSample(id)).toEqual(response);
    expect(index.cachedDefinitions).toBe(1);
  });

  it('gives the executor a toolkit with its base URL and no credentials, and keeps the auth schemes', () => {
    const slack = index.findToolkit('slack') ?? -1;
    expect(index.toolkitObject(slack)).toMatchObject({
      id: 'tk_directory_slack',
      name: 'slack',
      source: 'directory',
      baseUrl: 'https://slack.com/api',
      auth: { type: 'none' },
      tools: [],
    });
    expect(index.authSchemes(slack)).toEqual([
      expect.objectContaining({
        type: 'oauth2',
        flows: [expect.objectContaining({ tokenUrl: expect.any(String) })],
      }),
    ]);
  });

  it('refuses an index built by another format, so it is rebuilt rather than misread', () => {
    const copy = path.join(folder, 'old.sqlite');
    copyFileSync(file, copy);
    const database = new BetterSqlite3(copy);
    database.prepare("UPDATE meta SET value = '0' WHERE key = 'format'").run();
    database.close();
    expect(() => DirectoryIndex.open(copy)).toThrow(DirectoryIndexError);
    expect(() => DirectoryIndex.open(path.join(folder, 'missing.sqlite'))).toThrow(
      DirectoryIndexError,
    );
    expect(existsSync(path.join(folder, 'missing.sqlite'))).toBe(false);
  });
});
