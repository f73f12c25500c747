import type { JsonSchema } from '../../tools/index.js';
import { clipText } from './clip-text.js';
import type { RefResolver } from './create-ref-resolver.js';
import { fieldPath } from './field-path.js';
import {
  isJsonObject,
  ownString,
  ownValue,
  setOwnValue,
  type JsonObject,
} from './is-json-object.js';
import { mergeAllOf } from './merge-all-of.js';

export interface SchemaTrimContext {
  resolver: RefResolver;
  /** Schema nodes this tool may still emit; once spent, deeper parts collapse to their type. */
  budget: { nodes: number };
  /**
   * Request schemas leave out `readOnly` properties (the server sets them), response schemas
   * `writeOnly` ones (the server never returns them).
   */
  forRequest: boolean;
  /**
   * A response schema kept to generate sample bodies from (simulated calls): small `example`s
   * are kept and descriptions dropped, the reverse of what a model reading arguments needs.
   */
  forSamples?: boolean;
  /** The `$ref`s being expanded right now, to cut recursive structures. */
  active: string[];
}

export const SCHEMA_LIMITS = {
  /** Levels kept in full, counting the tool's argument object as 0; deeper ones keep only their type. */
  maxDepth: 4,
  maxProperties: 50,
  maxEnumValues: 50,
  maxVariants: 10,
  maxDescriptionChars: 300,
  /** Serialized size of a kept `default`, `const` or `enum`. */
  maxLiteralChars: 400,
  nodesPerTool: 400,
} as const;

const JSON_TYPES: ReadonlySet<string> = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'null',
]);
const NUMERIC_KEYWORDS = [
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
] as const;

/**
 * A JSON Schema the model can read: references resolved (recursion cut), only validation
 * keywords kept (no examples, XML hints or `x-` extensions), depth, size and enums capped.
 * With `forSamples`, the schema of a sample body instead: examples kept, descriptions not.
 */
export function trimJsonSchema(
  schema: unknown,
  context: SchemaTrimContext,
  where: string,
  depth = 0,
): JsonSchema {
  const { value, refs } = context.resolver.deref(schema, where);
  // OpenAPI 3.1 lets a reference carry its own description, which wins over the target's.
  const siblingDescription =
    refs.length > 0 && isJsonObject(schema) && context.forSamples !== true
      ? ownString(schema, 'description')?.trim()
      : undefined;
  const described = (trimmed: JsonSchema) =>
    siblingDescription
      ? { ...trimmed, description: clipText(siblingDescription, SCHEMA_LIMITS.maxDescriptionChars) }
      : trimmed;
  if (refs.some((ref) => context.active.includes(ref))) {
    return described(recursivePlaceholder(value));
  }
  context.active.push(...refs);
  try {
    return described(trimResolved(value, context, where, depth));
  } finally {
    context.active.length -= refs.length;
  }
}

function trimResolved(
  value: unknown,
  context: SchemaTrimContext,
  where: string,
  depth: number,
): JsonSchema {
  if (value === false) return { not: {} };
  if (!isJsonObject(value)) return {};
  context.budget.nodes -= 1;
  const out: JsonSchema = {};
  const properties = ownValue(value, 'properties');
  const items = ownValue(value, 'items');
  const types = readTypes(value);
  if (types.length === 0 && isJsonObject(properties)) types.push('object');
  if (types.length === 0 && items !== undefined) types.push('array');
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.type = types;
  // A sample past its budget needs no more than the type (and saves the build the rest).
  if (context.forSamples === true && context.budget.nodes < 0) return out;
  const description =
    context.forSamples === true ? undefined : ownString(value, 'description')?.trim();
  if (description) out.description = clipText(description, SCHEMA_LIMITS.maxDescriptionChars);
  copyScalarKeywords(value, out);
  if (context.forSamples === true) copyExample(value, out);
  copyEnum(value, out, context.forSamples === true);
  if (depth >= SCHEMA_LIMITS.maxDepth || context.budget.nodes <= 0) return out;

  const child = (schema: unknown, key: string) =>
    trimJsonSchema(schema, context, fieldPath(where, key), depth + 1);
  if (isJsonObject(items) || typeof items === 'boolean') out.items = child(items, 'items');
  else if (Array.isArray(items) && items.length > 0) out.items = child(items[0], 'items');
  if (isJsonObject(properties)) copyProperties(value, properties, out, context, where, depth);
  const additional = ownValue(value, 'additionalProperties');
  if (typeof additional === 'boolean') out.additionalProperties = additional;
  else if (isJsonObject(additional)) {
    out.additionalProperties = child(additional, 'additionalProperties');
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const variants = ownValue(value, keyword);
    if (!Array.isArray(variants) || variants.length === 0) continue;
    // A sample body takes one shape: the first of the alternatives.
    const kept = context.forSamples === true && keyword !== 'allOf' ? 1 : SCHEMA_LIMITS.maxVariants;
    out[keyword] = variants
      .slice(0, kept)
      .map((variant, index) =>
        trimJsonSchema(variant, context, fieldPath(fieldPath(where, keyword), index), depth),
      );
  }
  return mergeAllOf(out, SCHEMA_LIMITS.maxProperties);
}

function copyProperties(
  value: JsonObject,
  properties: JsonObject,
  out: JsonSchema,
  context: SchemaTrimContext,
  where: string,
  depth: number,
): void {
  const declaredRequired = ownValue(value, 'required');
  const required = new Set(
    Array.isArray(declaredRequired)
      ? declaredRequired.filter((name): name is string => typeof name === 'string')
      : [],
  );
  // The server sets `readOnly` properties and never returns `writeOnly` ones (passwords).
  const hidden = context.forRequest ? 'readOnly' : 'writeOnly';
  const names = Object.keys(properties).filter((name) => {
    const resolved = context.resolver.deref(properties[name], where).value;
    return !(isJsonObject(resolved) && ownValue(resolved, hidden) === true);
  });
  const ordered = [
    ...names.filter((name) => required.has(name)),
    ...names.filter((name) => !required.has(name)),
  ];
  const kept = ordered.slice(0, SCHEMA_LIMITS.maxProperties);
  const trimmed: JsonObject = {};
  const propertiesPath = fieldPath(where, 'properties');
  for (const name of kept) {
    setOwnValue(
      trimmed,
      name,
      trimJsonSchema(properties[name], context, fieldPath(propertiesPath, name), depth + 1),
    );
  }
  out.properties = trimmed;
  const keptRequired = kept.filter((name) => required.has(name));
  if (keptRequired.length > 0) out.required = keptRequired;
  const left = ordered.length - kept.length;
  if (left > 0 && context.forSamples !== true) {
    out.description = joinSentences(
      typeof out.description === 'string' ? out.description : '',
      `${left} more optional properties are not listed.`,
    );
  }
}

function readTypes(value: JsonObject): string[] {
  const declared = ownValue(value, 'type');
  const raw: unknown[] =
    typeof declared === 'string' ? [declared] : Array.isArray(declared) ? declared : [];
  const types: string[] = [];
  for (const type of raw) {
    const name = type === 'file' ? 'string' : type;
    if (typeof name === 'string' && JSON_TYPES.has(name) && !types.includes(name)) {
      types.push(name);
    }
  }
  if (ownValue(value, 'nullable') === true && types.length > 0 && !types.includes('null')) {
    types.push('null');
  }
  return types;
}

function copyScalarKeywords(value: JsonObject, out: JsonSchema): void {
  for (const keyword of ['format', 'pattern'] as const) {
    const text = ownString(value, keyword);
    if (text !== undefined && text.length <= 200) out[keyword] = text;
  }
  for (const keyword of NUMERIC_KEYWORDS) {
    const number = ownValue(value, keyword);
    if (typeof number === 'number' && Number.isFinite(number)) out[keyword] = number;
  }
  if (ownValue(value, 'uniqueItems') === true) out.uniqueItems = true;
  // OpenAPI 3.0 spells exclusive bounds as booleans beside minimum/maximum; 3.1 as numbers.
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const flag = ownValue(value, exclusive);
    if (typeof flag === 'number' && Number.isFinite(flag)) out[exclusive] = flag;
    else if (flag === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    }
  }
  for (const keyword of ['default', 'const'] as const) {
    if (!Object.hasOwn(value, keyword)) continue;
    const literal = value[keyword];
    if (literal !== undefined && literalSize(literal) <= SCHEMA_LIMITS.maxLiteralChars) {
      out[keyword] = literal;
    }
  }
}

function copyEnum(value: JsonObject, out: JsonSchema, forSamples: boolean): void {
  const values = ownValue(value, 'enum');
  if (!Array.isArray(values) || values.length === 0) return;
  if (
    values.length <= SCHEMA_LIMITS.maxEnumValues &&
    literalSize(values) <= SCHEMA_LIMITS.maxLiteralChars * 4
  ) {
    out.enum = [...(values as unknown[])];
    return;
  }
  if (forSamples) {
    // A sample takes the first value; the rest would only weigh.
    const first: unknown = values[0];
    if (literalSize(first) <= SCHEMA_LIMITS.maxLiteralChars) out.enum = [first];
    return;
  }
  // A partial enum would forbid valid values; name some in the description instead.
  const sample = values
    .slice(0, 10)
    .map((item) => (typeof item === 'string' ? item : literalText(item)))
    .join(', ');
  out.description = joinSentences(
    typeof out.description === 'string' ? out.description : '',
    clipText(`One of ${values.length} values, e.g. ${sample}.`, SCHEMA_LIMITS.maxDescriptionChars),
  );
}

/** The `example` (or 3.1's first `examples` entry) when small, for sample bodies. */
function copyExample(value: JsonObject, out: JsonSchema): void {
  const examples = ownValue(value, 'examples');
  const example = Object.hasOwn(value, 'example')
    ? value.example
    : Array.isArray(examples)
      ? (examples[0] as unknown)
      : undefined;
  if (example !== undefined && literalSize(example) <= SCHEMA_LIMITS.maxLiteralChars) {
    out.example = example;
  }
}

function recursivePlaceholder(value: unknown): JsonSchema {
  const type = isJsonObject(value) ? ownString(value, 'type') : undefined;
  return {
    ...(type !== undefined && JSON_TYPES.has(type) ? { type } : {}),
    description: 'Recursive: the same shape as an enclosing value.',
  };
}

function literalText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function literalSize(value: unknown): number {
  const text = literalText(value);
  return text === '' ? Number.POSITIVE_INFINITY : text.length;
}

function joinSentences(first: string, second: string): string {
  return first === '' ? second : `${first} ${second}`;
}
