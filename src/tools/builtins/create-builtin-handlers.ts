import type { GuardedFetch } from '../../outbound/index.js';
import type { BuiltinHandler } from './builtin-handler.js';
import { createHttpFetchHandler } from './http-fetch-handler.js';
import { createJmespathHandler } from './jmespath-handler.js';
import { createJsonataHandler } from './jsonata-handler.js';
import { createRunJavaScriptHandler } from './run-javascript-handler.js';

export interface BuiltinHandlerOptions {
  /** The SSRF-guarded fetch; `http.fetch` never touches the network any other way. */
  fetch: GuardedFetch;
  /** Bytes of a response body read at most (default 2 MiB); the rest is discarded. */
  maxResponseBytes?: number;
  /** Characters of text (HTML as text, plain text) returned at most (default 100,000). */
  maxTextChars?: number;
  /** QuickJS heap limit per snippet run (default 32 MiB). */
  codeMemoryLimitBytes?: number;
  /** CPU time per snippet run (default 5 s, lowered to the call's timeout). */
  codeTimeLimitMs?: number;
}

/** The handlers behind `builtin` tool bindings, keyed by `BuiltinBinding.handler`. */
export function createBuiltinHandlers(
  options: BuiltinHandlerOptions,
): Record<string, BuiltinHandler> {
  return {
    'http.fetch': createHttpFetchHandler({
      fetch: options.fetch,
      maxResponseBytes: options.maxResponseBytes ?? 2 * 1024 * 1024,
      maxTextChars: options.maxTextChars ?? 100_000,
    }),
    'json.jsonata': createJsonataHandler(),
    'json.jmespath': createJmespathHandler(),
    'code.run_javascript': createRunJavaScriptHandler({
      memoryLimitBytes: options.codeMemoryLimitBytes ?? 32 * 1024 * 1024,
      timeLimitMs: options.codeTimeLimitMs ?? 5000,
    }),
  };
}
