import { checkJsonSchema, type JsonSchema } from './json-schema-check.js';

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface OperationObject {
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  security?: unknown[];
}

export interface DocumentedOperation {
  path: string;
  method: string;
  operation: OperationObject;
}

/** Finds the documented operation a request hits, preferring static segments, as Fastify does. */
export function findOperation(
  document: OpenApiDocument,
  method: string,
  url: string,
): DocumentedOperation | undefined {
  // Resolve dot segments as the injected request's URL does before it reaches the router.
  const pathname = new URL(url, 'http://localhost').pathname.replace(/(.)\/+$/, '$1');
  const candidates = Object.keys(document.paths)
    .filter((template) => templateToRegExp(template).test(pathname))
    .sort((left, right) => paramCount(left) - paramCount(right));
  const path = candidates[0];
  if (path === undefined) return undefined;
  const operation = document.paths[path]?.[method.toLowerCase()];
  return operation === undefined ? undefined : { path, method: method.toLowerCase(), operation };
}

/**
 * Problems with a response to a documented operation: an undocumented status, or a body that
 * does not validate against the documented schema for its status.
 */
export function checkDocumentedResponse(
  document: OpenApiDocument,
  documented: DocumentedOperation,
  status: number,
  body: unknown,
): string[] {
  const where = `${documented.method.toUpperCase()} ${documented.path} → ${status}`;
  const response = documented.operation.responses?.[String(status)];
  if (response === undefined) return [`${where}: status ${status} is not documented`];
  const schema = response.content?.['application/json']?.schema;
  if (schema === undefined) return [`${where}: no application/json schema is documented`];
  return checkJsonSchema(body, schema, document).map((problem) => `${where}: ${problem}`);
}

function templateToRegExp(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${pattern}$`);
}

function paramCount(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}
