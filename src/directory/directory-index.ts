import { inflateRawSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import type { OpenApiAuthScheme } from '../toolkits/index.js';
import type {
  CatalogDirectory,
  DirectoryToolkitInfo,
  ResponseSample,
  Toolkit,
  ToolBinding,
  ToolDefinition,
} from '../tools/index.js';
import { createPackedTermLookup } from '../tools/ranking/packed-postings.js';
import type { TermLookup } from '../tools/ranking/index.js';
import {
  DIRECTORY_INDEX_FORMAT,
  postingsOf,
  type DirectoryBuildStats,
  type StoredDefinition,
} from './directory-index-format.js';
import { PostingsFileError, readPostingsFile, type TextList } from './postings-file.js';
import { scoringFingerprint } from './scoring-fingerprint.js';

export class DirectoryIndexError extends Error {
  override name = 'DirectoryIndexError';
}

interface ToolkitRow {
  id: number;
  slug: string;
  spec_id: string;
  vendor: string;
  title: string;
  description: string;
  categories: string;
  base_url: string | null;
  servers: string;
  version: string | null;
  first_tool: number;
  tool_count: number;
}

/** Definitions decompressed recently; a busy subagent's tools stay warm. */
const DEFINITION_CACHE_SIZE = 2_000;

/**
 * The built directory, opened read-only: toolkit summaries, tool actions and the packed
 * postings of both rankings stay in memory (tens of MB); a tool's full definition (its JSON
 * schema) is read and inflated from the file only when asked for by id.
 */
export class DirectoryIndex implements CatalogDirectory {
  readonly stats: DirectoryBuildStats;
  readonly toolkits: readonly DirectoryToolkitInfo[];
  readonly toolCount: number;
  readonly toolLookup: TermLookup;
  readonly toolAverageLengths: readonly number[];
  readonly toolkitLookup: TermLookup;
  readonly toolkitAverageLengths: readonly number[];
  private readonly actions: TextList;
  private readonly routes: TextList;
  private readonly toolkitOfTool: Int32Array;
  private readonly bySlug: Map<string, number>;
  private readonly readDefinition: BetterSqlite3.Statement<[number], { definition: Buffer }>;
  private readonly readAuthSchemes: BetterSqlite3.Statement<[number], { auth_schemes: string }>;
  private readonly readToolId: BetterSqlite3.Statement<[number, string], { id: number }>;
  private readonly readResponse: BetterSqlite3.Statement<[number], { response: Buffer }>;
  private readonly definitions = new Map<number, ToolDefinition>();

  private constructor(
    private readonly database: BetterSqlite3.Database,
    file: string,
  ) {
    const meta = (key: string): Buffer => {
      const row = database.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
        { value: Buffer | string } | undefined;
      if (row === undefined) throw new DirectoryIndexError(`The index has no '${key}'.`);
      return Buffer.isBuffer(row.value) ? row.value : Buffer.from(row.value);
    };
    const format = meta('format').toString();
    if (
      format !== String(DIRECTORY_INDEX_FORMAT) ||
      meta('scoring').toString() !== scoringFingerprint()
    ) {
      throw new DirectoryIndexError(
        `The index was built by another version of Cadre (format ${format}); rebuild it with \`cadre catalog build --force\`.`,
      );
    }
    this.stats = JSON.parse(meta('stats').toString()) as DirectoryBuildStats;

    const rows = database
      .prepare(
        `SELECT id, slug, spec_id, vendor, title, description, categories, base_url, servers,
                version, first_tool, tool_count FROM toolkits ORDER BY id`,
      )
      .all() as ToolkitRow[];
    this.toolkits = rows.map(toToolkitInfo);
    this.bySlug = new Map(rows.map((row) => [row.slug, row.id]));
    const postings = readPostingsFile(postingsOf(file), meta('postings').toString());
    this.actions = postings.columns.actions;
    this.routes = postings.columns.routes;
    this.toolkitOfTool = postings.columns.toolkitOf;
    this.toolCount = this.actions.length;
    const { tools: toolPostings, toolkits: toolkitPostings } = postings.indexes;
    if (toolPostings === undefined || toolkitPostings === undefined) {
      throw new DirectoryIndexError('The postings file lacks an index.');
    }
    this.toolLookup = createPackedTermLookup(toolPostings);
    this.toolAverageLengths = JSON.parse(meta('tools.average_lengths').toString()) as number[];
    this.toolkitLookup = createPackedTermLookup(toolkitPostings);
    this.toolkitAverageLengths = JSON.parse(
      meta('toolkits.average_lengths').toString(),
    ) as number[];

    this.readDefinition = database.prepare('SELECT definition FROM tools WHERE id = ?');
    this.readAuthSchemes = database.prepare('SELECT auth_schemes FROM toolkits WHERE id = ?');
    this.readToolId = database.prepare('SELECT id FROM tools WHERE toolkit_id = ? AND action = ?');
    this.readResponse = database.prepare('SELECT response FROM tool_responses WHERE id = ?');
  }

  /** Opens an index file; throws DirectoryIndexError when it is not a usable index. */
  static open(file: string): DirectoryIndex {
    let database: BetterSqlite3.Database;
    try {
      database = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new DirectoryIndexError(
        `Cannot open the directory index ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    try {
      return new DirectoryIndex(database, file);
    } catch (error) {
      database.close();
      if (error instanceof DirectoryIndexError) throw error;
      if (error instanceof PostingsFileError) throw new DirectoryIndexError(error.message);
      throw new DirectoryIndexError(
        `The directory index ${file} is unreadable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  get generation(): string {
    return `${this.stats.directoryVersion}@${this.stats.builtAt}`;
  }

  toolkitOf(tool: number): number {
    return this.toolkitOfTool[tool] ?? -1;
  }

  action(tool: number): string {
    return tool >= 0 && tool < this.toolCount ? this.actions.get(tool) : '';
  }

  /** `METHOD /path` of an HTTP tool. */
  route(tool: number): string {
    return tool >= 0 && tool < this.toolCount ? this.routes.get(tool) : '';
  }

  toolName(tool: number): string {
    return `${this.toolkits[this.toolkitOf(tool)]?.name ?? ''}__${this.action(tool)}`;
  }

  findToolkit(name: string): number | undefined {
    return this.bySlug.get(name);
  }

  findTool(name: string): number | undefined {
    const separator = name.indexOf('__');
    if (separator <= 0) return undefined;
    const toolkit = this.bySlug.get(name.slice(0, separator));
    if (toolkit === undefined) return undefined;
    return this.readToolId.get(toolkit, name.slice(separator + 2))?.id;
  }

  definition(tool: number): ToolDefinition {
    const cached = this.definitions.get(tool);
    if (cached !== undefined) return cached;
    const row = this.readDefinition.get(tool);
    if (row === undefined) throw new DirectoryIndexError(`No tool ${tool} in the directory index.`);
    const stored = JSON.parse(inflateRawSync(row.definition).toString()) as StoredDefinition;
    const definition: ToolDefinition = {
      toolkit: this.toolkits[this.toolkitOf(tool)]?.name ?? '',
      action: this.action(tool),
      description: stored.description,
      parameters: stored.parameters,
      binding: stored.binding as ToolBinding,
      sideEffects: stored.sideEffects,
    };
    if (this.definitions.size >= DEFINITION_CACHE_SIZE) {
      const oldest = this.definitions.keys().next().value;
      if (oldest !== undefined) this.definitions.delete(oldest);
    }
    this.definitions.set(tool, definition);
    return definition;
  }

  /**
   * The tool's documented success response, read from the file at each call (not cached: only
   * simulated calls ask), or undefined when its operation documents none.
   */
  responseSample(tool: number): ResponseSample | undefined {
    const row = this.readResponse.get(tool);
    return row === undefined
      ? undefined
      : (JSON.parse(inflateRawSync(row.response).toString()) as ResponseSample);
  }

  /** Full definitions held in memory now (read on demand, kept for the most recent few). */
  get cachedDefinitions(): number {
    return this.definitions.size;
  }

  authSchemes(toolkit: number): OpenApiAuthScheme[] {
    const row = this.readAuthSchemes.get(toolkit);
    return row === undefined ? [] : (JSON.parse(row.auth_schemes) as OpenApiAuthScheme[]);
  }

  /** The toolkit as the executor needs it, with the given tools (not all of them). */
  toolkitObject(toolkit: number, tools: ToolDefinition[] = []): Toolkit {
    const info = this.toolkits[toolkit];
    if (info === undefined) throw new DirectoryIndexError(`No toolkit ${toolkit} in the index.`);
    return {
      id: info.id,
      name: info.name,
      description: info.description,
      source: 'directory',
      baseUrl: info.baseUrl,
      auth: { type: 'none' },
      tools,
    };
  }

  close(): void {
    this.database.close();
  }
}

function toToolkitInfo(row: ToolkitRow): DirectoryToolkitInfo {
  return {
    index: row.id,
    id: `tk_directory_${row.slug}`,
    name: row.slug,
    specId: row.spec_id,
    vendor: row.vendor,
    title: row.title,
    description: row.description,
    categories: JSON.parse(row.categories) as string[],
    baseUrl: row.base_url,
    servers: JSON.parse(row.servers) as string[],
    selfHosted: (JSON.parse(row.servers) as string[]).some((url) => url.includes('{')),
    version: row.version,
    firstTool: row.first_tool,
    toolCount: row.tool_count,
  };
}
