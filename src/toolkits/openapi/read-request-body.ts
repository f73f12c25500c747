import type { RefResolver } from './create-ref-resolver.js';
import { fieldPath } from './field-path.js';
import { isJsonObject, ownValue, type JsonObject } from './is-json-object.js';
import type { RawParameter } from './read-operation-parameters.js';

export type RequestBody =
  | { kind: 'none' }
  | {
      kind: 'json';
      schema: unknown;
      schemaWhere: string;
      required: boolean;
      description: string | undefined;
    }
  /** A body Cadre cannot send (form data, multipart, binary). */
  | { kind: 'unsupported'; mediaTypes: string[]; required: boolean };

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/** The operation's JSON request body: OpenAPI 3 `requestBody` or Swagger 2 `in: body`. */
export function readRequestBody(options: {
  operation: JsonObject;
  operationWhere: string;
  parameters: RawParameter[];
  resolver: RefResolver;
  isSwagger2: boolean;
}): RequestBody {
  if (options.isSwagger2) return swaggerBody(options.parameters);
  const where = fieldPath(options.operationWhere, 'requestBody');
  const raw = ownValue(options.operation, 'requestBody');
  if (raw === undefined) return { kind: 'none' };
  const { value } = options.resolver.deref(raw, where);
  if (!isJsonObject(value)) return { kind: 'none' };
  const required = ownValue(value, 'required') === true;
  const content = ownValue(value, 'content');
  if (!isJsonObject(content)) return { kind: 'none' };
  const mediaTypes = Object.keys(content);
  const jsonType =
    mediaTypes.find((type) => JSON_MEDIA_TYPE.test(type)) ??
    mediaTypes.find((type) => type === '*/*' || type === 'application/*');
  if (jsonType === undefined) {
    return mediaTypes.length === 0
      ? { kind: 'none' }
      : { kind: 'unsupported', mediaTypes, required };
  }
  const media = ownValue(content, jsonType);
  const description = ownValue(value, 'description');
  return {
    kind: 'json',
    schema: isJsonObject(media) ? (ownValue(media, 'schema') ?? {}) : {},
    schemaWhere: fieldPath(fieldPath(fieldPath(where, 'content'), jsonType), 'schema'),
    required,
    description:
      typeof description === 'string' && description.trim() !== '' ? description.trim() : undefined,
  };
}

function swaggerBody(parameters: RawParameter[]): RequestBody {
  const body = parameters.find((parameter) => parameter.in === 'body');
  if (body !== undefined) {
    return {
      kind: 'json',
      schema: body.schema,
      schemaWhere: body.schemaWhere,
      required: body.required,
      description: body.description,
    };
  }
  const form = parameters.filter((parameter) => parameter.in === 'formData');
  if (form.length === 0) return { kind: 'none' };
  return {
    kind: 'unsupported',
    mediaTypes: ['form data'],
    required: form.some((parameter) => parameter.required),
  };
}
