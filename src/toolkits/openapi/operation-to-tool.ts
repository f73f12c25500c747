import type { JsonSchema, ParameterLocation, ToolDefinition } from '../../tools/index.js';
import type { ActionNamer } from '../create-action-namer.js';
import { clipText } from './clip-text.js';
import type { RefResolver } from './create-ref-resolver.js';
import {
  isJsonObject,
  ownString,
  ownValue,
  setOwnValue,
  type JsonObject,
} from './is-json-object.js';
import { readOperationParameters, type RawParameter } from './read-operation-parameters.js';
import { readRequestBody } from './read-request-body.js';
import { readSuccessResponse } from './read-success-response.js';
import { SCHEMA_LIMITS, trimJsonSchema, type SchemaTrimContext } from './trim-json-schema.js';

export interface OperationSource {
  toolkit: string;
  /** Lower-case HTTP method, as the document spells it. */
  method: string;
  path: string;
  pathItem: JsonObject;
  pathItemWhere: string;
  operation: JsonObject;
  operationWhere: string;
  isSwagger2: boolean;
}

/** `skipped` completes the sentence "<METHOD> <path> was skipped: …". */
export type OperationOutcome = { tool: ToolDefinition } | { skipped: string };

export const MAX_TOOL_DESCRIPTION_CHARS = 1000;
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
// Set by the toolkit's auth or by Cadre itself; OpenAPI says to ignore them as parameters.
const IGNORED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'content-type', 'accept']);
const BODY_ARGUMENT_NAMES = ['body', 'request_body', 'payload'];

interface Arguments {
  properties: JsonObject;
  required: string[];
  locations: Record<string, ParameterLocation>;
}

/** One OpenAPI operation as a tool, or why it was left out. */
export function operationToTool(
  source: OperationSource,
  resolver: RefResolver,
  namer: ActionNamer,
): OperationOutcome {
  const method = source.method.toUpperCase();
  const label = `${method} ${source.path}`;
  const parameters = readOperationParameters({ ...source, resolver });
  const context: SchemaTrimContext = {
    resolver,
    budget: { nodes: SCHEMA_LIMITS.nodesPerTool },
    forRequest: true,
    active: [],
  };
  const args: Arguments = { properties: {}, required: [], locations: {} };
  const placeholders = pathPlaceholders(source.path);

  for (const parameter of parameters) {
    if (parameter.in === 'cookie' || parameter.in === 'formData' || parameter.in === 'body') {
      if (parameter.in === 'cookie' && parameter.required) {
        return { skipped: `it needs the cookie '${parameter.name}', which Cadre does not send.` };
      }
      continue;
    }
    if (parameter.in === 'header' && IGNORED_HEADERS.has(parameter.name.toLowerCase())) continue;
    if (parameter.in === 'path' && !placeholders.includes(parameter.name)) continue;
    if (Object.hasOwn(args.locations, parameter.name)) {
      const clash = args.locations[parameter.name] ?? 'another location';
      return {
        skipped: `it has two parameters named '${parameter.name}' (in ${clash} and ${parameter.in}).`,
      };
    }
    addArgument(
      args,
      parameter.name,
      parameter.in,
      parameter.required,
      parameterSchema(parameter, context),
    );
  }
  // Documents sometimes forget to declare a path parameter; the URL still needs it.
  for (const name of placeholders) {
    if (!Object.hasOwn(args.locations, name))
      addArgument(args, name, 'path', true, { type: 'string' });
  }

  const body = readRequestBody({ ...source, parameters, resolver });
  let bodyArgument: string | undefined;
  if (body.kind === 'unsupported') {
    if (body.required) {
      return {
        skipped: `it needs a ${body.mediaTypes.join(' or ')} request body, which Cadre cannot send yet.`,
      };
    }
  } else if (body.kind === 'json') {
    const schema = trimJsonSchema(body.schema, context, body.schemaWhere, 0);
    const properties = isJsonObject(schema.properties) ? schema.properties : undefined;
    const names = properties === undefined ? [] : Object.keys(properties);
    const flatten =
      properties !== undefined &&
      names.length > 0 &&
      (schema.type === undefined || schema.type === 'object') &&
      names.every((name) => !Object.hasOwn(args.locations, name));
    if (flatten) {
      const required = Array.isArray(schema.required) ? schema.required : [];
      for (const name of names) {
        addArgument(
          args,
          name,
          'body',
          body.required && required.includes(name),
          properties[name] as JsonSchema,
        );
      }
    } else {
      bodyArgument = BODY_ARGUMENT_NAMES.find((name) => !Object.hasOwn(args.locations, name));
      if (bodyArgument === undefined) {
        return {
          skipped: `its parameters take every name for its body (${BODY_ARGUMENT_NAMES.join(', ')}).`,
        };
      }
      const described =
        body.description === undefined
          ? schema
          : {
              ...schema,
              description: clipText(body.description, SCHEMA_LIMITS.maxDescriptionChars),
            };
      addArgument(args, bodyArgument, 'body', body.required, described);
    }
  }

  const response = readSuccessResponse({ ...source, resolver });
  const operationId = ownString(source.operation, 'operationId')?.trim();
  const parametersSchema: JsonSchema = {
    type: 'object',
    properties: args.properties,
    ...(args.required.length > 0 ? { required: args.required } : {}),
    additionalProperties: false,
  };
  return {
    tool: {
      toolkit: source.toolkit,
      action: namer.allocate(operationId || `${source.method}_${source.path}`),
      description: describeOperation(source.operation, label),
      parameters: parametersSchema,
      binding: {
        kind: 'http',
        method,
        path: source.path,
        locations: args.locations,
        ...(bodyArgument === undefined ? {} : { bodyArgument }),
        ...(response === undefined ? {} : { response }),
      },
      sideEffects: !SAFE_METHODS.has(method),
    },
  };
}

function addArgument(
  args: Arguments,
  name: string,
  location: ParameterLocation,
  required: boolean,
  schema: JsonSchema,
): void {
  setOwnValue(args.properties, name, schema);
  setOwnValue(args.locations, name, location);
  if (required) args.required.push(name);
}

function parameterSchema(parameter: RawParameter, context: SchemaTrimContext): JsonSchema {
  const schema = trimJsonSchema(parameter.schema, context, parameter.schemaWhere, 1);
  const description = [
    parameter.deprecated ? 'Deprecated.' : '',
    parameter.description ?? (typeof schema.description === 'string' ? schema.description : ''),
  ]
    .filter((part) => part !== '')
    .join(' ');
  if (description !== '')
    schema.description = clipText(description, SCHEMA_LIMITS.maxDescriptionChars);
  return schema;
}

function describeOperation(operation: JsonObject, label: string): string {
  const summary = ownString(operation, 'summary')?.trim() ?? '';
  const details = ownString(operation, 'description')?.trim() ?? '';
  const text =
    [summary, details === summary ? '' : details].filter((part) => part !== '').join('\n\n') ||
    label;
  const deprecated = ownValue(operation, 'deprecated') === true;
  return clipText(deprecated ? `Deprecated. ${text}` : text, MAX_TOOL_DESCRIPTION_CHARS);
}

/** `{id}` names in a path template, in order. */
export function pathPlaceholders(path: string): string[] {
  const names: string[] = [];
  for (const match of path.matchAll(/\{([^{}/]+)\}/g)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}
