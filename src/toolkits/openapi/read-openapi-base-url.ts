import { toAbsoluteHttpUrl } from '../to-absolute-http-url.js';
import { isJsonObject, ownString, ownValue, type JsonObject } from './is-json-object.js';

/**
 * The absolute base URL the document declares: OpenAPI 3 `servers[0].url` with its variables
 * set to their defaults, or Swagger 2 `schemes`/`host`/`basePath`. Null when it declares
 * none, or only a relative one (the caller must then give `base_url`).
 */
export function readOpenApiBaseUrl(document: JsonObject, isSwagger2: boolean): string | null {
  const candidate = isSwagger2 ? swaggerBaseUrl(document) : firstServerUrl(document);
  return candidate === undefined ? null : toAbsoluteHttpUrl(candidate);
}

function firstServerUrl(document: JsonObject): string | undefined {
  const servers = ownValue(document, 'servers');
  const server: unknown = Array.isArray(servers) ? servers[0] : undefined;
  if (!isJsonObject(server)) return undefined;
  const template = ownString(server, 'url');
  if (template === undefined) return undefined;
  const variables = ownValue(server, 'variables');
  const resolved = template.replace(/\{([^{}]*)\}/g, (placeholder, name: string) => {
    const variable = isJsonObject(variables) ? ownValue(variables, name) : undefined;
    const fallback = isJsonObject(variable) ? ownValue(variable, 'default') : undefined;
    return typeof fallback === 'string' || typeof fallback === 'number'
      ? String(fallback)
      : placeholder;
  });
  // A variable without a default leaves the URL unknown: the caller must give base_url.
  return /[{}]/.test(resolved) ? undefined : resolved;
}

function swaggerBaseUrl(document: JsonObject): string | undefined {
  const host = ownString(document, 'host');
  if (host === undefined || host === '') return undefined;
  const schemes = ownValue(document, 'schemes');
  const listed = Array.isArray(schemes) ? schemes.filter((s) => typeof s === 'string') : [];
  const scheme = listed.includes('https') ? 'https' : listed.includes('http') ? 'http' : 'https';
  const basePath = ownString(document, 'basePath') ?? '';
  const path = basePath === '' || basePath.startsWith('/') ? basePath : `/${basePath}`;
  return `${scheme}://${host}${path}`;
}
