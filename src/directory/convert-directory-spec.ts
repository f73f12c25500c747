import type { ToolDefinition } from '../tools/index.js';
import { parseOpenApiToolkit, type OpenApiAuthScheme } from '../toolkits/index.js';
import { nameSpec } from './directory-slug.js';

/** One directory spec as a toolkit, before it is stored. */
export interface DirectoryToolkitDraft {
  slug: string;
  specId: string;
  vendor: string;
  title: string;
  description: string;
  /** The directory's categories (`x-apisguru-categories`): `payment`, `messaging`… */
  categories: string[];
  /** Where calls go: the first absolute server URL, or null when the spec gives none. */
  baseUrl: string | null;
  /** Every server URL the spec lists (at most a few). */
  servers: string[];
  version: string | null;
  /** Security schemes, OAuth2 authorization/token URLs and scopes included (for connections). */
  authSchemes: OpenApiAuthScheme[];
  tools: ToolDefinition[];
  /** Operations left out, and why. */
  warnings: string[];
}

const MAX_SERVERS = 5;
const MAX_CATEGORIES = 10;

/**
 * A directory document as a toolkit named `slug`. Unlike a registration, an operation the
 * parser cannot turn into a tool is skipped rather than failing the whole spec, and there is no
 * cap on tools (Microsoft Graph has over 20,000 operations). Throws `invalid_toolkit` when no
 * operation at all can be used.
 */
export function convertDirectorySpec(
  specId: string,
  document: unknown,
  slug: string,
): DirectoryToolkitDraft {
  const parsed = parseOpenApiToolkit(document, {
    toolkit: slug,
    maxTools: Number.POSITIVE_INFINITY,
    skipInvalidOperations: true,
  });
  const info = readObject(readObject(document).info);
  const title = typeof info.title === 'string' ? info.title.trim() : '';
  return {
    slug,
    specId,
    vendor: nameSpec(specId).vendor,
    title: title === '' ? specId : title.slice(0, 200),
    description: parsed.description,
    categories: readStrings(info['x-apisguru-categories']).slice(0, MAX_CATEGORIES),
    baseUrl: parsed.baseUrl,
    servers: readServers(document),
    version: parsed.version,
    authSchemes: parsed.authSchemes,
    tools: parsed.tools,
    warnings: parsed.warnings,
  };
}

function readServers(document: unknown): string[] {
  const servers = readObject(document).servers;
  if (!Array.isArray(servers)) return [];
  return servers
    .map((server) => readObject(server).url)
    .filter((url): url is string => typeof url === 'string' && url.length <= 500)
    .slice(0, MAX_SERVERS);
}

function readObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function readStrings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string' && item.length <= 50)
    : [];
}
