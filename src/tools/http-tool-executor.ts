import { scopedTimeout } from '../abort/index.js';
import type { SecretBox } from '../secrets/index.js';
import { toFetchToolError } from './builtins/to-fetch-tool-error.js';
import { buildHttpToolRequest } from './http/build-http-tool-request.js';
import { fetchFollowingRedirects, type ToolFetch } from './http/fetch-following-redirects.js';
import { readHttpToolResponse } from './http/read-http-tool-response.js';
import { redactSecretsInText } from './http/redact-secrets.js';
import { resolveToolkitAuth } from './http/resolve-toolkit-auth.js';
import type { Toolkit, ToolDefinition } from './tool-definition.js';
import { isToolError, ToolError } from './tool-error.js';
import type { ToolCallContext, ToolCallResult, ToolExecutor } from './tool-executor.js';
import { lookUpUserCredential } from './look-up-user-credential.js';
import type { UserCredential, UserCredentials } from './user-credentials.js';

export interface HttpToolExecutorOptions {
  /** Cadre's SSRF-guarded fetch in production; any fetch in tests. */
  fetch: ToolFetch;
  secretBox: SecretBox;
  /** Where `env_var` credentials come from (the server's environment). */
  readEnvSecret: (name: string) => string | undefined;
  /** Bytes of a response body read at most (default 1 MiB); the rest is discarded. */
  maxResponseBytes?: number;
  /** Characters of text returned at most (default 100,000). */
  maxTextChars?: number;
  /** End users' credentials (OAuth tokens, API keys); without it only toolkit auth applies. */
  userCredentials?: UserCredentials;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs tools bound to HTTP operations (OpenAPI and custom toolkits): builds the request from
 * the binding and the arguments, adds the toolkit's credential, sends `Idempotency-Key` on
 * side-effecting calls, and maps the answer to an output or a ToolError that steers retries.
 */
export function createHttpToolExecutor(options: HttpToolExecutorOptions): ToolExecutor {
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const maxTextChars = options.maxTextChars ?? 100_000;

  return {
    async execute(
      toolkit: Toolkit,
      tool: ToolDefinition,
      input: Record<string, unknown>,
      context: ToolCallContext,
    ): Promise<ToolCallResult> {
      const { binding } = tool;
      if (binding.kind !== 'http') {
        throw new ToolError({
          code: 'tool_unavailable',
          message: `${tool.toolkit}__${tool.action} is not an HTTP tool.`,
        });
      }
      if (toolkit.baseUrl === null) {
        throw new ToolError({
          code: 'tool_unavailable',
          message: `Toolkit '${toolkit.name}' has no base URL. Register it again with base_url.`,
        });
      }
      const request = buildHttpToolRequest({
        baseUrl: toolkit.baseUrl,
        binding,
        parameters: tool.parameters,
        input,
      });
      const toolkitAuth = resolveToolkitAuth(toolkit, options);
      if (!request.headers.has('accept')) {
        request.headers.set('accept', 'application/json, text/plain;q=0.9, */*;q=0.5');
      }
      if (tool.sideEffects || !SAFE_METHODS.has(request.method)) {
        request.headers.set('idempotency-key', context.idempotencyKey);
      }
      const scope = { projectId: context.projectId, environment: context.environment };
      const forCall = await lookUpUserCredential(options.userCredentials, context, toolkit);
      let userCredential = forCall.credential;

      const send = async (credential: UserCredential | undefined): Promise<ToolCallResult> => {
        // The end user's credential wins over the toolkit's own for the same header.
        const headers = [...toolkitAuth.headers, ...(credential?.headers ?? [])];
        const secrets = [...toolkitAuth.secrets, ...(credential?.secrets ?? [])];
        const attempt = new Headers(request.headers);
        for (const [name, value] of headers) attempt.set(name, value);
        const timeout = scopedTimeout(context.signal, context.timeoutMs);
        try {
          const { response, url } = await fetchFollowingRedirects(
            options.fetch,
            { ...request, headers: attempt, signal: timeout.signal },
            headers.map(([name]) => name),
          );
          return await readHttpToolResponse(response, {
            url,
            maxResponseBytes,
            maxTextChars,
            secrets,
          });
        } catch (error) {
          const mapped = toFetchToolError(error, {
            url: request.url,
            callerSignal: context.signal,
            timedOut: timeout.timedOut,
            timeoutMs: context.timeoutMs,
          });
          throw isToolError(mapped) ? scrubbed(mapped, secrets) : mapped;
        } finally {
          timeout.dispose();
        }
      };

      try {
        return await send(userCredential);
      } catch (error) {
        // A rejected OAuth token: refresh it now and try once more.
        if (
          userCredential?.kind !== 'oauth2' ||
          options.userCredentials === undefined ||
          !isToolError(error) ||
          error.status !== 401
        ) {
          throw withSignInHint(error, forCall.hint);
        }
        userCredential = await options.userCredentials.refreshAfterUnauthorized(
          scope,
          userCredential,
        );
        return await send(userCredential);
      }
    },
  };
}

/** A 401/403 from a toolkit that declares OAuth with no client configured: say how to fix it. */
function withSignInHint(error: unknown, hint: string | undefined): unknown {
  if (hint === undefined || !isToolError(error)) return error;
  if (error.status !== 401 && error.status !== 403) return error;
  return new ToolError({
    code: error.code,
    message: `${error.message} ${hint}`,
    retryable: error.retryable,
    status: error.status,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  });
}

/** The same error, its message cleared of any credential a lower layer may have quoted. */
function scrubbed(error: ToolError, secrets: readonly string[]): ToolError {
  const message = redactSecretsInText(error.message, secrets);
  if (message === error.message) return error;
  return new ToolError({
    code: error.code,
    message,
    retryable: error.retryable,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.status === undefined ? {} : { status: error.status }),
  });
}
