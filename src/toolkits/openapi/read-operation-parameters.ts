import { invalidToolkitError } from '../invalid-toolkit-error.js';
import type { RefResolver } from './create-ref-resolver.js';
import { fieldPath } from './field-path.js';
import { isJsonObject, ownString, ownValue, type JsonObject } from './is-json-object.js';

export type RawParameterLocation = 'path' | 'query' | 'header' | 'cookie' | 'body' | 'formData';

/** One declared parameter, references resolved, not yet turned into a tool argument. */
export interface RawParameter {
  name: string;
  in: RawParameterLocation;
  required: boolean;
  deprecated: boolean;
  description: string | undefined;
  /** What to read the JSON Schema from, and where it sits in the document. */
  schema: unknown;
  schemaWhere: string;
}

const LOCATIONS: ReadonlySet<string> = new Set([
  'path',
  'query',
  'header',
  'cookie',
  'body',
  'formData',
]);

/**
 * The operation's parameters merged over its path item's (an operation's own parameter
 * replaces a path-level one with the same name and location, as OpenAPI specifies).
 */
export function readOperationParameters(options: {
  pathItem: JsonObject;
  pathItemWhere: string;
  operation: JsonObject;
  operationWhere: string;
  resolver: RefResolver;
  isSwagger2: boolean;
}): RawParameter[] {
  const merged = new Map<string, RawParameter>();
  for (const [owner, where] of [
    [options.pathItem, options.pathItemWhere],
    [options.operation, options.operationWhere],
  ] as const) {
    const list = ownValue(owner, 'parameters');
    if (list === undefined) continue;
    const listWhere = fieldPath(where, 'parameters');
    if (!Array.isArray(list)) {
      throw invalidToolkitError(
        `The OpenAPI document is not valid at ${listWhere}: it must be an array.`,
        'openapi',
      );
    }
    list.forEach((entry, index) => {
      const parameter = readParameter(entry, fieldPath(listWhere, index), options);
      const key =
        parameter.in === 'header'
          ? `header:${parameter.name.toLowerCase()}`
          : `${parameter.in}:${parameter.name}`;
      merged.delete(key);
      merged.set(key, parameter);
    });
  }
  return [...merged.values()];
}

function readParameter(
  entry: unknown,
  where: string,
  options: { resolver: RefResolver; isSwagger2: boolean },
): RawParameter {
  const { value } = options.resolver.deref(entry, where);
  if (!isJsonObject(value)) {
    throw invalidToolkitError(
      `The OpenAPI document is not valid at ${where}: a parameter must be an object.`,
      'openapi',
    );
  }
  const name = ownString(value, 'name');
  const location = ownString(value, 'in');
  if (name === undefined || name === '') {
    throw invalidToolkitError(
      `The OpenAPI document is not valid at ${where}: a parameter needs a non-empty string \`name\`.`,
      'openapi',
    );
  }
  if (location === undefined || !LOCATIONS.has(location)) {
    throw invalidToolkitError(
      `The OpenAPI document is not valid at ${where}: parameter '${name}' needs \`in\` to be one of path, query, header, cookie${options.isSwagger2 ? ', body, formData' : ''}.`,
      'openapi',
    );
  }
  const description = ownString(value, 'description')?.trim();
  return {
    name,
    in: location as RawParameterLocation,
    required: location === 'path' || ownValue(value, 'required') === true,
    deprecated: ownValue(value, 'deprecated') === true,
    description: description === '' ? undefined : description,
    ...schemaSource(value, where, options.isSwagger2 || location === 'formData'),
  };
}

/** OpenAPI 3 nests the schema (`schema` or `content`); Swagger 2 puts it on the parameter. */
function schemaSource(
  parameter: JsonObject,
  where: string,
  inline: boolean,
): { schema: unknown; schemaWhere: string } {
  const schema = ownValue(parameter, 'schema');
  if (schema !== undefined) return { schema, schemaWhere: fieldPath(where, 'schema') };
  const content = ownValue(parameter, 'content');
  if (isJsonObject(content)) {
    for (const [mediaType, media] of Object.entries(content)) {
      if (isJsonObject(media) && ownValue(media, 'schema') !== undefined) {
        return {
          schema: ownValue(media, 'schema'),
          schemaWhere: fieldPath(fieldPath(fieldPath(where, 'content'), mediaType), 'schema'),
        };
      }
    }
  }
  if (inline) {
    // The parameter object itself carries type/format/items/enum/default; the schema
    // trimmer keeps only those keywords.
    return { schema: parameter, schemaWhere: where };
  }
  return { schema: {}, schemaWhere: where };
}
