import { invalidToolkitError } from '../invalid-toolkit-error.js';
import { isJsonObject, ownValue } from './is-json-object.js';

export interface Dereferenced {
  value: unknown;
  /** The `$ref`s followed to reach `value`, in order (empty when it was not a reference). */
  refs: string[];
}

export interface RefResolver {
  /** Follows `$ref` chains inside the document; throws `invalid_toolkit` when one cannot resolve. */
  deref(value: unknown, where: string): Dereferenced;
}

const MAX_REF_HOPS = 32;

/** What the errors call the document, and the request field they point at. */
export interface RefSource {
  label: string;
  param: string;
}

const OPENAPI_SOURCE: RefSource = { label: 'The OpenAPI document', param: 'openapi' };

/** Resolves the document's internal references (`#/components/…`, `#/definitions/…`, `#/$defs/…`). */
export function createRefResolver(
  document: unknown,
  source: RefSource = OPENAPI_SOURCE,
): RefResolver {
  // A large document refers to the same few components thousands of times.
  const resolved = new Map<string, unknown>();

  function lookup(ref: string, where: string): unknown {
    const known = resolved.get(ref);
    if (known !== undefined) return known;
    const value = walk(ref, where);
    resolved.set(ref, value);
    return value;
  }

  function walk(ref: string, where: string): unknown {
    if (!ref.startsWith('#')) {
      throw invalidToolkitError(
        `${source.label} refers to another file at ${where} ($ref '${short(ref)}'). Only references inside the document are supported: bundle the document into one file first.`,
        source.param,
      );
    }
    const pointer = ref.slice(1);
    if (pointer !== '' && !pointer.startsWith('/')) {
      throw unresolved(ref, where, source);
    }
    let current: unknown = document;
    for (const rawSegment of pointer === '' ? [] : pointer.slice(1).split('/')) {
      const segment = decodeSegment(rawSegment, ref, where, source);
      if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(segment)) {
        current = current[Number(segment)];
      } else if (isJsonObject(current)) {
        current = ownValue(current, segment);
      } else {
        current = undefined;
      }
      if (current === undefined) throw unresolved(ref, where, source);
    }
    return current;
  }

  return {
    deref(value, where) {
      const refs: string[] = [];
      let current = value;
      while (isJsonObject(current) && Object.hasOwn(current, '$ref')) {
        const ref = current.$ref;
        if (typeof ref !== 'string') {
          throw invalidToolkitError(
            `${source.label} has a $ref that is not a string at ${where}.`,
            source.param,
          );
        }
        if (refs.includes(ref) || refs.length >= MAX_REF_HOPS) {
          throw invalidToolkitError(
            `${source.label} has a $ref loop at ${where}: ${refs.map(short).join(' -> ')} -> ${short(ref)}.`,
            source.param,
          );
        }
        refs.push(ref);
        current = lookup(ref, where);
      }
      return { value: current, refs };
    },
  };
}

function decodeSegment(segment: string, ref: string, where: string, source: RefSource): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw unresolved(ref, where, source);
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

function unresolved(ref: string, where: string, source: RefSource) {
  return invalidToolkitError(
    `${source.label} has a $ref at ${where} that does not resolve: '${short(ref)}'.`,
    source.param,
  );
}

function short(ref: string): string {
  return ref.length > 200 ? `${ref.slice(0, 197)}...` : ref;
}
