import type { SealedSecret } from './secret-box.js';

const SEALED_FIELDS = ['data', 'iv', 'kid', 'tag'];

/** True for an object shaped exactly like a SealedSecret (no other fields). */
export function isSealedSecret(value: unknown): value is SealedSecret {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length === SEALED_FIELDS.length &&
    entries.every(([name, field]) => SEALED_FIELDS.includes(name) && typeof field === 'string')
  );
}

/**
 * A copy of a parsed JSON value with every SealedSecret in it, at any depth, replaced by
 * `map(secret)`; everything else (and the order of keys) stays as it was.
 */
export function mapSealedSecrets(
  value: unknown,
  map: (secret: SealedSecret) => SealedSecret,
): unknown {
  if (isSealedSecret(value)) return map(value);
  if (Array.isArray(value)) return value.map((item) => mapSealedSecrets(item, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, field]) => [name, mapSealedSecrets(field, map)]),
    );
  }
  return value;
}

/** Every SealedSecret in a parsed JSON value. */
export function listSealedSecrets(value: unknown): SealedSecret[] {
  const found: SealedSecret[] = [];
  mapSealedSecrets(value, (secret) => {
    found.push(secret);
    return secret;
  });
  return found;
}
