const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Problems where `actual` lacks a field the spec example shows, or has it with another JSON
 * type. Timestamps must be ISO 8601 UTC, integers integers, `task_…` ids `task_…`. Keys in
 * `freeForm` (e.g. `result`) are only checked to be objects: their content is the task's.
 */
export function exampleShapeProblems(
  actual: unknown,
  example: unknown,
  freeForm: readonly string[] = ['result'],
  path = '$',
): string[] {
  if (example === null) return actual === null ? [] : [`${path}: expected null`];
  if (Array.isArray(example)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    const first = example[0] as unknown;
    if (first === undefined) return [];
    return actual.flatMap((item, index) =>
      exampleShapeProblems(item, first, freeForm, `${path}[${index}]`),
    );
  }
  switch (typeof example) {
    case 'string':
      if (typeof actual !== 'string') return [`${path}: expected a string, got ${typeof actual}`];
      if (ISO_SECONDS.test(example) && !ISO_SECONDS.test(actual)) {
        return [`${path}: expected an ISO 8601 UTC timestamp, got ${actual}`];
      }
      if (example.startsWith('task_') && !actual.startsWith('task_')) {
        return [`${path}: expected a task_ id, got ${actual}`];
      }
      return [];
    case 'number':
      if (typeof actual !== 'number') return [`${path}: expected a number, got ${typeof actual}`];
      if (Number.isInteger(example) && !Number.isInteger(actual)) {
        return [`${path}: expected an integer, got ${actual}`];
      }
      return [];
    case 'boolean':
      return typeof actual === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'object': {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        return [`${path}: expected an object`];
      }
      const record = actual as Record<string, unknown>;
      return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) => {
        if (!(key in record)) return [`${path}: missing '${key}'`];
        if (freeForm.includes(key)) {
          const child = record[key];
          return child !== null && typeof child === 'object' && !Array.isArray(child)
            ? []
            : [`${path}.${key}: expected an object`];
        }
        return exampleShapeProblems(record[key], value, freeForm, `${path}.${key}`);
      });
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return [`${path}: unsupported example value`];
  }
  return [`${path}: unsupported example value`];
}
