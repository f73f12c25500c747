import { AppError } from '../errors/index.js';
import type { ToolDefinition } from '../tools/index.js';
import { createActionNamer } from './create-action-namer.js';
import { invalidToolkitError } from './invalid-toolkit-error.js';
import { clipText } from './openapi/clip-text.js';
import { createRefResolver } from './openapi/create-ref-resolver.js';
import { fieldPath } from './openapi/field-path.js';
import { isJsonObject, ownString, ownValue } from './openapi/is-json-object.js';
import { operationToTool } from './openapi/operation-to-tool.js';
import {
  readOpenApiAuthSchemes,
  type OpenApiAuthScheme,
} from './openapi/read-openapi-auth-schemes.js';
import { readOpenApiBaseUrl } from './openapi/read-openapi-base-url.js';

export interface ParsedOpenApiToolkit {
  tools: ToolDefinition[];
  /** Absolute base URL the document declares, or null (none, or only a relative one). */
  baseUrl: string | null;
  /** From `info.title` and `info.description`. */
  description: string;
  authSchemes: OpenApiAuthScheme[];
  /** `info.version`. */
  version: string | null;
  /** Operations left out, and why (form bodies, cookies, name clashes, the tool cap). */
  warnings: string[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
export const MAX_TOOLS_PER_TOOLKIT = 2000;
const MAX_WARNINGS = 20;
const MAX_TOOLKIT_DESCRIPTION_CHARS = 1000;

/**
 * Every operation of an OpenAPI 3.0/3.1 or Swagger 2.0 document (a parsed JSON object) as a
 * tool named `<toolkit>__<action>`. Throws `invalid_toolkit` naming the field at fault;
 * throws nothing else, whatever the input.
 */
export interface ParseOpenApiOptions {
  toolkit: string;
  /** Operations kept at most (default MAX_TOOLS_PER_TOOLKIT); later ones are skipped with a warning. */
  maxTools?: number;
  /**
   * Skip an invalid operation with a warning instead of rejecting the document (for documents
   * Cadre did not receive from the user, such as the public directory's).
   */
  skipInvalidOperations?: boolean;
}

export function parseOpenApiToolkit(
  document: unknown,
  options: ParseOpenApiOptions,
): ParsedOpenApiToolkit {
  const maxTools = options.maxTools ?? MAX_TOOLS_PER_TOOLKIT;
  if (!isJsonObject(document)) {
    throw invalidToolkitError('The OpenAPI document must be a JSON object.', 'openapi');
  }
  const isSwagger2 = detectSwagger2(document);
  const paths = ownValue(document, 'paths');
  if (!isJsonObject(paths)) {
    throw invalidToolkitError(
      paths === undefined
        ? 'The OpenAPI document has no `paths`: a toolkit needs at least one operation.'
        : 'The OpenAPI document is not valid at paths: it must be an object.',
      'openapi',
    );
  }
  const resolver = createRefResolver(document);
  const namer = createActionNamer(options.toolkit);
  const tools: ToolDefinition[] = [];
  const skipped: string[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue;
    const pathItemWhere = fieldPath('paths', path);
    if (!path.startsWith('/')) {
      throw invalidToolkitError(
        `The OpenAPI document is not valid at ${pathItemWhere}: a path must start with '/'.`,
        'openapi',
      );
    }
    const pathItem = resolver.deref(rawItem, pathItemWhere).value;
    if (!isJsonObject(pathItem)) {
      throw invalidToolkitError(
        `The OpenAPI document is not valid at ${pathItemWhere}: it must be an object.`,
        'openapi',
      );
    }
    for (const method of HTTP_METHODS) {
      const operation = ownValue(pathItem, method);
      if (operation === undefined) continue;
      const operationWhere = fieldPath(pathItemWhere, method);
      if (!isJsonObject(operation)) {
        throw invalidToolkitError(
          `The OpenAPI document is not valid at ${operationWhere}: an operation must be an object.`,
          'openapi',
        );
      }
      if (tools.length >= maxTools) {
        skipped.push(
          `${method.toUpperCase()} ${path} was skipped: the toolkit already has ${maxTools} tools.`,
        );
        continue;
      }
      const source = {
        toolkit: options.toolkit,
        method,
        path,
        pathItem,
        pathItemWhere,
        operation,
        operationWhere,
        isSwagger2,
      };
      const outcome =
        options.skipInvalidOperations === true
          ? operationToToolOrSkip(source, resolver, namer)
          : operationToTool(source, resolver, namer);
      if ('tool' in outcome) tools.push(outcome.tool);
      else skipped.push(`${method.toUpperCase()} ${path} was skipped: ${outcome.skipped}`);
    }
  }
  if (tools.length === 0) {
    throw invalidToolkitError(
      skipped.length === 0
        ? 'The OpenAPI document has no operations under `paths`: a toolkit needs at least one.'
        : `None of the document's operations can be called: ${skipped.slice(0, 3).join(' ')}`,
      'openapi',
    );
  }
  const info = ownValue(document, 'info');
  return {
    tools,
    baseUrl: readOpenApiBaseUrl(document, isSwagger2),
    description: describeDocument(info),
    authSchemes: readOpenApiAuthSchemes(document, isSwagger2),
    version: isJsonObject(info) ? (ownString(info, 'version') ?? null) : null,
    warnings: summarizeSkipped(skipped),
  };
}

function operationToToolOrSkip(
  ...args: Parameters<typeof operationToTool>
): ReturnType<typeof operationToTool> {
  try {
    return operationToTool(...args);
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_toolkit') {
      return {
        skipped: error.message.replace(/^The OpenAPI document is not valid at /, 'invalid at '),
      };
    }
    throw error;
  }
}

function detectSwagger2(document: Record<string, unknown>): boolean {
  const openapi = ownValue(document, 'openapi');
  const swagger = ownValue(document, 'swagger');
  if (typeof openapi === 'string' && /^3\.\d+(\.\d+)?(-[\w.]+)?$/.test(openapi.trim()))
    return false;
  if (swagger === '2.0' || swagger === 2) return true;
  const declared =
    typeof openapi === 'string'
      ? `openapi '${openapi.slice(0, 40)}'`
      : typeof swagger === 'string'
        ? `swagger '${swagger.slice(0, 40)}'`
        : undefined;
  throw invalidToolkitError(
    declared === undefined
      ? "The document declares neither `openapi: '3.x'` nor `swagger: '2.0'`: is it an OpenAPI document?"
      : `The document declares ${declared}: Cadre reads OpenAPI 3.0, 3.1 and Swagger 2.0.`,
    'openapi',
  );
}

function describeDocument(info: unknown): string {
  if (!isJsonObject(info)) return '';
  const title = ownString(info, 'title')?.trim() ?? '';
  const description = ownString(info, 'description')?.trim() ?? '';
  const text = [title, description].filter((part) => part !== '').join(': ');
  return clipText(text, MAX_TOOLKIT_DESCRIPTION_CHARS);
}

function summarizeSkipped(skipped: string[]): string[] {
  const listed = skipped.slice(0, MAX_WARNINGS);
  if (skipped.length > MAX_WARNINGS) {
    listed.push(`${skipped.length - MAX_WARNINGS} more operations were skipped.`);
  }
  return listed;
}
