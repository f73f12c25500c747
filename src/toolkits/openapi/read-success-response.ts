import { isAppError } from '../../errors/index.js';
import type { JsonSchema, ResponseSample } from '../../tools/index.js';
import type { RefResolver } from './create-ref-resolver.js';
import { fieldPath } from './field-path.js';
import { isJsonObject, ownValue, type JsonObject } from './is-json-object.js';
import { trimJsonSchema } from './trim-json-schema.js';

/** Schema nodes a response schema may keep: enough for a plausible body, small to store. */
const RESPONSE_SCHEMA_NODES = 150;
/** Serialized size of a document's example body kept at most; a larger one is left out. */
const MAX_RESPONSE_EXAMPLE_CHARS = 8_000;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;
const SUCCESS_CODE = /^2(?:\d\d|XX)$/i;

/**
 * The operation's documented success response, for simulated calls: the first 2xx response
 * (the `default` one only when there is no 2xx) with a JSON body gives its schema and example;
 * without a JSON body, just the status. Undefined when the operation documents no success. A
 * response the document gets wrong (a broken `$ref`) is left out rather than failing the
 * operation, which never depended on it.
 */
export function readSuccessResponse(options: {
  operation: JsonObject;
  operationWhere: string;
  resolver: RefResolver;
  isSwagger2: boolean;
}): ResponseSample | undefined {
  const where = fieldPath(options.operationWhere, 'responses');
  const responses = attempt(
    () => options.resolver.deref(ownValue(options.operation, 'responses'), where).value,
  );
  if (!isJsonObject(responses)) return undefined;
  const codes = successCodes(Object.keys(responses));
  for (const code of codes) {
    const sample = attempt(() =>
      readResponse(
        ownValue(responses, code),
        statusOf(code),
        fieldPath(where, code),
        options.resolver,
        options.isSwagger2,
      ),
    );
    if (sample !== undefined) return sample;
  }
  const first = codes[0];
  return first === undefined ? undefined : { status: statusOf(first) };
}

/** 2xx codes in order (`2XX` after the exact ones), or `default` when there is none. */
function successCodes(codes: string[]): string[] {
  const success = codes
    .filter((code) => SUCCESS_CODE.test(code))
    .sort((left, right) => rank(left) - rank(right));
  if (success.length > 0) return success;
  return codes.includes('default') ? ['default'] : [];
}

/** Exact codes by number, the `2XX` range after them. */
function rank(code: string): number {
  return /^\d{3}$/.test(code) ? Number(code) : 300;
}

function statusOf(code: string): number {
  return /^\d{3}$/.test(code) ? Number(code) : 200;
}

/** The response's JSON body as a sample, or undefined when it documents no JSON body. */
function readResponse(
  raw: unknown,
  status: number,
  where: string,
  resolver: RefResolver,
  isSwagger2: boolean,
): ResponseSample | undefined {
  const response = resolver.deref(raw, where).value;
  if (!isJsonObject(response)) return undefined;
  if (isSwagger2) {
    const examples = ownValue(response, 'examples');
    const jsonExample = isJsonObject(examples)
      ? Object.keys(examples).find((type) => JSON_MEDIA_TYPE.test(type))
      : undefined;
    const schema = ownValue(response, 'schema');
    if (schema === undefined && jsonExample === undefined) return undefined;
    return sample(status, {
      rawSchema: schema,
      schemaWhere: fieldPath(where, 'schema'),
      resolver,
      ...(isJsonObject(examples) && jsonExample !== undefined
        ? { example: { value: ownValue(examples, jsonExample) } }
        : {}),
    });
  }
  const content = ownValue(response, 'content');
  if (!isJsonObject(content)) return undefined;
  const types = Object.keys(content);
  const jsonType =
    types.find((type) => JSON_MEDIA_TYPE.test(type)) ??
    types.find((type) => type === '*/*' || type === 'application/*');
  if (jsonType === undefined) return undefined;
  const media = ownValue(content, jsonType);
  const mediaWhere = fieldPath(fieldPath(where, 'content'), jsonType);
  if (!isJsonObject(media)) return { status };
  return sample(status, {
    rawSchema: ownValue(media, 'schema'),
    schemaWhere: fieldPath(mediaWhere, 'schema'),
    resolver,
    ...mediaExample(media, fieldPath(mediaWhere, 'examples'), resolver),
  });
}

/** OpenAPI 3's `example`, or the value of the first of its named `examples`. */
function mediaExample(
  media: JsonObject,
  where: string,
  resolver: RefResolver,
): { example?: { value: unknown } } {
  if (Object.hasOwn(media, 'example')) return { example: { value: media.example } };
  const examples = ownValue(media, 'examples');
  if (!isJsonObject(examples)) return {};
  for (const name of Object.keys(examples)) {
    const example = attempt(() => resolver.deref(ownValue(examples, name), where).value);
    if (isJsonObject(example) && Object.hasOwn(example, 'value')) {
      return { example: { value: example.value } };
    }
  }
  return {};
}

function sample(
  status: number,
  body: {
    rawSchema: unknown;
    schemaWhere: string;
    resolver: RefResolver;
    example?: { value: unknown };
  },
): ResponseSample {
  const resolved = attempt(() => body.resolver.deref(body.rawSchema, body.schemaWhere).value);
  const schema =
    body.rawSchema === undefined
      ? undefined
      : trimResponseSchema(body.rawSchema, body.schemaWhere, body.resolver);
  // A whole-body example on the schema itself is too big for the schema's own example limit.
  const example =
    keptExample(body.example?.value) ??
    (isJsonObject(resolved) && Object.hasOwn(resolved, 'example')
      ? keptExample(resolved.example)
      : undefined);
  return {
    status,
    ...(schema === undefined || Object.keys(schema).length === 0 ? {} : { schema }),
    ...(example === undefined ? {} : { example: example.value }),
  };
}

// Trimmed schemas by reference, per document: most responses of a large API refer to a few
// shared schemas (`#/components/schemas/User`, an array of them), trimmed once each.
const trimmedByRef = new WeakMap<RefResolver, Map<string, JsonSchema | undefined>>();

function trimResponseSchema(
  raw: unknown,
  where: string,
  resolver: RefResolver,
): JsonSchema | undefined {
  const trim = () =>
    attempt(() =>
      trimJsonSchema(
        raw,
        {
          resolver,
          budget: { nodes: RESPONSE_SCHEMA_NODES },
          forRequest: false,
          forSamples: true,
          active: [],
        },
        where,
      ),
    );
  const key = refKey(raw);
  if (key === undefined) return trim();
  let cache = trimmedByRef.get(resolver);
  if (cache === undefined) {
    cache = new Map();
    trimmedByRef.set(resolver, cache);
  }
  if (!cache.has(key)) cache.set(key, trim());
  return cache.get(key);
}

/**
 * What a schema that is only a reference, or an array of one, trims the same as wherever it
 * appears (a sample schema keeps nothing else a `$ref` may carry beside it): its key.
 */
function refKey(schema: unknown): string | undefined {
  if (!isJsonObject(schema)) return undefined;
  const ref = ownValue(schema, '$ref');
  if (typeof ref === 'string') return ref;
  const items = ownValue(schema, 'items');
  const keys = Object.keys(schema);
  if (ownValue(schema, 'type') !== 'array' || keys.length !== 2 || !isJsonObject(items)) {
    return undefined;
  }
  const itemRef = ownValue(items, '$ref');
  return typeof itemRef === 'string' && Object.keys(items).length === 1
    ? `[]${itemRef}`
    : undefined;
}

/** The example when it is JSON of a sane size (a JSON text is parsed), else undefined. */
function keptExample(value: unknown): { value: unknown } | undefined {
  if (value === undefined) return undefined;
  let example: unknown = value;
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      example = JSON.parse(value) as unknown;
    } catch {
      // A string example after all.
    }
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(example);
  } catch {
    return undefined;
  }
  return text !== undefined && text.length <= MAX_RESPONSE_EXAMPLE_CHARS
    ? { value: example }
    : undefined;
}

/** The value, or undefined when the document is wrong there (`invalid_toolkit`). */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_toolkit') return undefined;
    throw error;
  }
}
