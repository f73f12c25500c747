import type { JsonSchema } from '../../tools/index.js';
import { isJsonObject, setOwnValue, type JsonObject } from './is-json-object.js';

const MERGEABLE_KEYS: ReadonlySet<string> = new Set([
  'type',
  'properties',
  'required',
  'description',
  'additionalProperties',
]);

/**
 * Folds `allOf` of plain object schemas (the usual "base + extension" pattern) into one
 * object, so a model sees every property in one place and request bodies can be flattened.
 * Anything richer is left as `allOf`.
 */
export function mergeAllOf(schema: JsonSchema, maxProperties: number): JsonSchema {
  const members = schema.allOf;
  if (!Array.isArray(members) || !members.every(isPlainObjectSchema)) return schema;
  if (schema.type !== undefined && schema.type !== 'object') return schema;
  const properties: JsonObject = {};
  const required: string[] = [];
  let description: unknown = schema.description;
  for (const member of [...(members as unknown[]), schema] as JsonSchema[]) {
    if (isJsonObject(member.properties)) {
      for (const [name, property] of Object.entries(member.properties)) {
        if (Object.hasOwn(properties, name) || Object.keys(properties).length < maxProperties) {
          setOwnValue(properties, name, property);
        }
      }
    }
    if (Array.isArray(member.required)) {
      for (const name of member.required) {
        if (typeof name === 'string' && !required.includes(name)) required.push(name);
      }
    }
    description ??= member.description;
  }
  const merged: JsonSchema = { ...schema, type: 'object', properties };
  delete merged.allOf;
  const keptRequired = required.filter((name) => Object.hasOwn(properties, name));
  if (keptRequired.length > 0) merged.required = keptRequired;
  else delete merged.required;
  if (typeof description === 'string') merged.description = description;
  return merged;
}

function isPlainObjectSchema(member: unknown): boolean {
  if (!isJsonObject(member)) return false;
  if (member.type !== undefined && member.type !== 'object') return false;
  return Object.keys(member).every((key) => MERGEABLE_KEYS.has(key));
}
