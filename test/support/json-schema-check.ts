/**
 * A small JSON Schema (2020-12 subset, as zod emits it for OpenAPI 3.1) checker, so tests can
 * hold responses to the published document without another dependency. Returns problems,
 * one string each, empty when the value conforms.
 */
export type JsonSchema = boolean | { [keyword: string]: unknown };

export function checkJsonSchema(
  value: unknown,
  schema: JsonSchema,
  root: unknown,
  path = '$',
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  const problems: string[] = [];
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = resolveRef(root, ref);
    if (target === undefined) return [`${path}: $ref ${ref} does not resolve in the document`];
    problems.push(...checkJsonSchema(value, target, root, path));
  }
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    if (!types.some((name) => hasType(value, name))) {
      return [...problems, `${path}: expected ${types.join(' | ')}, got ${describe(value)}`];
    }
  }
  if ('const' in schema && !deepEqual(value, schema.const)) {
    problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as JsonSchema[];
    if (!branches.some((branch) => checkJsonSchema(value, branch, root, path).length === 0)) {
      problems.push(`${path}: matches none of anyOf`);
    }
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as JsonSchema[]).filter(
      (branch) => checkJsonSchema(value, branch, root, path).length === 0,
    );
    if (matching.length !== 1) problems.push(`${path}: matches ${matching.length} of oneOf`);
  }
  if (Array.isArray(schema.allOf)) {
    for (const branch of schema.allOf as JsonSchema[]) {
      problems.push(...checkJsonSchema(value, branch, root, path));
    }
  }
  if (typeof value === 'string') problems.push(...checkString(value, schema, path));
  if (typeof value === 'number') problems.push(...checkNumber(value, schema, path));
  if (Array.isArray(value)) {
    const items = schema.items as JsonSchema | undefined;
    if (items !== undefined) {
      value.forEach((item, index) =>
        problems.push(...checkJsonSchema(item, items, root, `${path}[${index}]`)),
      );
    }
  } else if (value !== null && typeof value === 'object') {
    problems.push(...checkObject(value as Record<string, unknown>, schema, root, path));
  }
  return problems;
}

function checkObject(
  value: Record<string, unknown>,
  schema: { [keyword: string]: unknown },
  root: unknown,
  path: string,
): string[] {
  const problems: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) problems.push(`${path}: missing required property '${name}'`);
  }
  for (const [name, child] of Object.entries(value)) {
    const declared = properties[name];
    if (declared !== undefined) {
      problems.push(...checkJsonSchema(child, declared, root, `${path}.${name}`));
      continue;
    }
    const additional = schema.additionalProperties as JsonSchema | undefined;
    if (additional === false) problems.push(`${path}: unexpected property '${name}'`);
    else if (additional !== undefined) {
      problems.push(...checkJsonSchema(child, additional, root, `${path}.${name}`));
    }
  }
  return problems;
}

function checkString(value: string, schema: { [keyword: string]: unknown }, path: string) {
  const problems: string[] = [];
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    problems.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    problems.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push(`${path}: does not match ${schema.pattern}`);
  }
  return problems;
}

function checkNumber(value: number, schema: { [keyword: string]: unknown }, path: string) {
  const problems: string[] = [];
  if (typeof schema.minimum === 'number' && value < schema.minimum) {
    problems.push(`${path}: below ${schema.minimum}`);
  }
  if (typeof schema.maximum === 'number' && value > schema.maximum) {
    problems.push(`${path}: above ${schema.maximum}`);
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

function resolveRef(root: unknown, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node as JsonSchema;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function deepEqual(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
