import type { JsonSchema } from '../tool-definition.js';

const MAX_DEPTH = 6;
const FORMAT_EXAMPLES: Record<string, string> = {
  email: 'jane.smith@example.com',
  'date-time': '2025-06-15T14:22:00Z',
  date: '2025-06-15',
  time: '14:22:00Z',
  uri: 'https://example.com/resource',
  url: 'https://example.com/resource',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  ipv4: '192.0.2.1',
  hostname: 'example.com',
};

/**
 * A plausible JSON value for a schema: the schema's own example or default when it has one,
 * otherwise a value shaped by type, format and enum. Deterministic, so a simulated call gives
 * the same answer every time.
 */
export function exampleFromSchema(schema: unknown, depth = 0): unknown {
  if (schema === null || typeof schema !== 'object' || depth > MAX_DEPTH) return null;
  const node = schema as JsonSchema;
  if ('example' in node) return node.example;
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  if ('const' in node) return node.const;
  if ('default' in node) return node.default;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = node[key];
    if (Array.isArray(options) && options.length > 0)
      return exampleFromSchema(options[0], depth + 1);
  }
  if (Array.isArray(node.allOf)) {
    return Object.assign(
      {},
      ...node.allOf.map((part) => exampleFromSchema(part, depth + 1) ?? {}),
    ) as unknown;
  }
  const type = Array.isArray(node.type)
    ? (node.type.find((entry) => entry !== 'null') as unknown)
    : node.type;
  switch (type) {
    case 'string':
      return typeof node.format === 'string'
        ? (FORMAT_EXAMPLES[node.format] ?? 'string')
        : 'string';
    case 'integer':
      return typeof node.minimum === 'number' ? Math.ceil(node.minimum) : 1;
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 1.5;
    case 'boolean':
      return true;
    case 'array':
      return [exampleFromSchema(node.items, depth + 1)];
    case 'object':
    case undefined: {
      const properties = node.properties;
      if (properties === null || typeof properties !== 'object')
        return type === 'object' ? {} : null;
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties as Record<string, unknown>)) {
        value[name] = exampleFromSchema(property, depth + 1);
      }
      return value;
    }
    default:
      return null;
  }
}
