export type JsonObject = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: keys such as `__proto__` or `constructor` never reach the prototype. */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own property, even for `__proto__`, which plain assignment would treat specially. */
export function setOwnValue(object: JsonObject, key: string, value: unknown): void {
  // Only `__proto__` is an accessor on Object.prototype; any other key is assigned as an own
  // property, and plain assignment is several times faster (the directory build sets millions).
  if (key !== '__proto__') {
    object[key] = value;
    return;
  }
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

export function ownString(object: JsonObject, key: string): string | undefined {
  const value = ownValue(object, key);
  return typeof value === 'string' ? value : undefined;
}
