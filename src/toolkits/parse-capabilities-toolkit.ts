import type { JsonSchema, ParameterLocation, ToolDefinition } from '../tools/index.js';
import {
  CapabilitiesDefinitionSchema,
  type Capability,
  type CapabilityParameter,
} from './capability-definition-schema.js';
import { createActionNamer } from './create-action-namer.js';
import { invalidToolkitError } from './invalid-toolkit-error.js';
import { setOwnValue } from './openapi/is-json-object.js';
import { pathPlaceholders } from './openapi/operation-to-tool.js';
import { toAbsoluteHttpUrl } from './to-absolute-http-url.js';

export interface ParsedCapabilitiesToolkit {
  name: string;
  tools: ToolDefinition[];
  baseUrl: string;
  description: string;
  version: string | null;
}

// Methods whose arguments travel in the query string rather than a JSON body.
const QUERY_METHODS: ReadonlySet<string> = new Set(['GET', 'DELETE']);

/**
 * Ploton's custom tool definition (`{name, description, version, base_url, auth,
 * capabilities}`) as tools. Ploton does not say how a capability maps to HTTP; here each may
 * give `method` and `path`, and defaults to `POST <base_url>/<capability name>` with its
 * arguments as a JSON body (query string for GET and DELETE). Throws `invalid_toolkit`.
 */
export function parseCapabilitiesToolkit(definition: unknown): ParsedCapabilitiesToolkit {
  const parsed = CapabilitiesDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join('.') ?? '';
    throw invalidToolkitError(
      param === ''
        ? 'The custom toolkit definition must be a JSON object with name, description, base_url and capabilities.'
        : `The custom toolkit definition is not valid at \`${param}\`: ${issue?.message ?? 'invalid value'}.`,
      param === '' ? 'capabilities' : param,
    );
  }
  const { name, description, version, capabilities } = parsed.data;
  const namer = createActionNamer(name);
  const seen = new Set<string>();
  const tools = capabilities.map((capability, index) => {
    const where = `capabilities.${index}.name`;
    if (capability.name.length > namer.maxLength) {
      throw invalidToolkitError(
        `The capability name '${capability.name}' is too long: with the toolkit name '${name}' it may have at most ${namer.maxLength} characters.`,
        where,
      );
    }
    if (seen.has(capability.name.toLowerCase())) {
      throw invalidToolkitError(`Two capabilities are named '${capability.name}'.`, where);
    }
    seen.add(capability.name.toLowerCase());
    return capabilityToTool(name, capability, index);
  });
  return {
    name,
    tools,
    baseUrl: toAbsoluteHttpUrl(parsed.data.base_url) ?? parsed.data.base_url,
    description,
    version: version ?? null,
  };
}

function capabilityToTool(toolkit: string, capability: Capability, index: number): ToolDefinition {
  const method = (capability.method ?? 'POST').toUpperCase();
  const path = capability.path ?? `/${capability.name}`;
  const specs = Object.entries(capability.parameters ?? {});
  const declared = new Set(specs.map(([argument]) => argument));
  const placeholders = pathPlaceholders(path);
  const missing = placeholders.find((placeholder) => !declared.has(placeholder));
  if (missing !== undefined) {
    throw invalidToolkitError(
      `The path '${path}' uses {${missing}}, which is not among the capability's parameters.`,
      `capabilities.${index}.path`,
    );
  }
  const properties: Record<string, unknown> = {};
  const locations: Record<string, ParameterLocation> = {};
  const required: string[] = [];
  for (const [argument, spec] of specs) {
    const location: ParameterLocation = placeholders.includes(argument)
      ? 'path'
      : QUERY_METHODS.has(method)
        ? 'query'
        : 'body';
    setOwnValue(properties, argument, toJsonSchema(spec));
    setOwnValue(locations, argument, location);
    if (spec.required === true || location === 'path') required.push(argument);
  }
  const description = capability.description?.trim();
  return {
    toolkit,
    action: capability.name,
    description: description || `${method} ${path}`,
    parameters: {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    },
    binding: { kind: 'http', method, path, locations },
    sideEffects: method !== 'GET',
  };
}

function toJsonSchema(spec: CapabilityParameter): JsonSchema {
  const schema: JsonSchema = {};
  if (spec.type !== undefined) schema.type = spec.type;
  if (spec.description !== undefined && spec.description.trim() !== '') {
    schema.description = spec.description.trim();
  }
  if (spec.enum !== undefined) schema.enum = spec.enum;
  if (spec.items !== undefined) schema.items = { type: spec.items.type };
  if (spec.default !== undefined) schema.default = spec.default;
  return schema;
}
