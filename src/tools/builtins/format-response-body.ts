import { TextDecoder } from 'node:util';
import { htmlToReadableText } from './html-to-readable-text.js';

export type BodyKind = 'json' | 'html' | 'text' | 'binary' | 'empty';

export interface FormattedBody {
  kind: BodyKind;
  /** Parsed JSON, readable text, or null for binary and empty bodies. */
  body: unknown;
  title?: string;
  /** Text was cut at `maxTextChars`. */
  textTruncated: boolean;
  /** Why the body looks the way it does, when that is not obvious to the model. */
  note?: string;
}

const TEXT_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/graphql',
  'application/sql',
  'application/csv',
]);

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Decodes a (possibly byte-truncated) body into what the model should see: parsed JSON,
 * readable text for HTML, plain text, or nothing for binary content.
 */
export function formatResponseBody(options: {
  bytes: Uint8Array;
  contentType: string | null;
  url: URL;
  bytesTruncated: boolean;
  maxTextChars: number;
}): FormattedBody {
  const { bytes, contentType, url, bytesTruncated, maxTextChars } = options;
  if (bytes.byteLength === 0) return { kind: 'empty', body: null, textTruncated: false };
  const mediaType = mediaTypeOf(contentType);
  const kind = kindOf(mediaType, bytes);
  if (kind === 'binary') {
    return {
      kind,
      body: null,
      textTruncated: false,
      note: `Binary content (${mediaType || 'unknown type'}) is not shown.`,
    };
  }
  const text = decode(bytes, contentType);
  if (kind === 'html') {
    const readable = htmlToReadableText(text, url);
    return { kind, ...cut(readable.text, maxTextChars), ...optionalTitle(readable.title) };
  }
  if (kind === 'json' && !bytesTruncated && text.length <= maxTextChars) {
    try {
      return { kind, body: JSON.parse(text) as unknown, textTruncated: false };
    } catch {
      return {
        kind: 'text',
        ...cut(text, maxTextChars),
        note: 'Declared as JSON but did not parse.',
      };
    }
  }
  if (kind === 'json') {
    return {
      kind: 'text',
      ...cut(text, maxTextChars),
      note: 'The JSON was too large to parse whole; its beginning is shown as text.',
    };
  }
  return { kind, ...cut(text, maxTextChars) };
}

function kindOf(mediaType: string, bytes: Uint8Array): Exclude<BodyKind, 'empty'> {
  if (
    mediaType === 'application/json' ||
    mediaType === 'text/json' ||
    mediaType.endsWith('+json')
  ) {
    return 'json';
  }
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (
    mediaType.startsWith('text/') ||
    mediaType.endsWith('+xml') ||
    TEXT_MEDIA_TYPES.has(mediaType)
  ) {
    return 'text';
  }
  if (mediaType === '' || mediaType === 'application/octet-stream') return sniff(bytes);
  return 'binary';
}

/** Servers that omit or genericise the Content-Type often still send text or JSON. */
function sniff(bytes: Uint8Array): Exclude<BodyKind, 'empty'> {
  const head = bytes.subarray(0, 1024);
  if (head.includes(0)) return 'binary';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return 'binary';
  }
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (/^<(!doctype html|html|head|body)/i.test(start)) return 'html';
  return 'text';
}

function decode(bytes: Uint8Array, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

function cut(text: string, maxChars: number): { body: string; textTruncated: boolean } {
  if (text.length <= maxChars) return { body: text, textTruncated: false };
  return { body: text.slice(0, maxChars), textTruncated: true };
}

function optionalTitle(title: string | undefined): { title?: string } {
  return title === undefined ? {} : { title };
}
