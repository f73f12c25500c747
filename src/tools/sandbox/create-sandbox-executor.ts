import { buildHttpToolRequest } from '../http/build-http-tool-request.js';
import type { HttpBinding, ResponseSample, Toolkit } from '../tool-definition.js';
import type { ToolCallContext, ToolCallResult, ToolExecutor } from '../tool-executor.js';
import { exampleFromSchema } from './example-from-schema.js';
import type { ResponseSamples } from './response-samples.js';

export interface SandboxExecutorOptions {
  /** Runs every call that is not simulated: all calls with live keys, built-in and MCP tools. */
  live: ToolExecutor;
  /** Documented responses that tool definitions do not carry (the public directory's). */
  responseSamples?: ResponseSamples;
  /**
   * Runs before a call is simulated, as the live call would: the end user's authorization
   * (granted at once for test keys, but a task without user_id still fails as it would live).
   */
  authorize?: (toolkit: Toolkit, context: ToolCallContext) => Promise<void>;
}

/** How a simulated call's trace note starts. */
export const SIMULATED_NOTE_PREFIX = 'Simulated (test key): ';

// The arguments are checked by building the request the live call would send, against a base
// URL that cannot resolve; nothing is ever sent.
const UNREACHABLE_BASE_URL = 'https://sandbox.invalid';
const NO_CONTENT_STATUSES: ReadonlySet<number> = new Set([204, 205]);

/**
 * Test keys are a sandbox: with a `test` environment, an HTTP tool call never leaves the
 * process. Its arguments are checked as the live call would check them (`invalid_arguments`),
 * and it answers like the live executor (`{status, body}`, plus `simulated: true`) with the
 * operation's documented example, else a body generated from its documented schema, else a
 * plain success that says it is simulated. Live keys, built-in and MCP tools go to `live`.
 */
export function createSandboxExecutor(options: SandboxExecutorOptions): ToolExecutor {
  return {
    async execute(toolkit, tool, input, context) {
      const { binding } = tool;
      if (context.environment !== 'test' || binding.kind !== 'http') {
        return options.live.execute(toolkit, tool, input, context);
      }
      if (context.signal.aborted) throw context.signal.reason;
      buildHttpToolRequest({
        baseUrl: UNREACHABLE_BASE_URL,
        binding,
        parameters: tool.parameters,
        input,
      });
      await options.authorize?.(toolkit, context);
      const sample = binding.response ?? (await options.responseSamples?.sampleFor(toolkit, tool));
      return simulatedResult(binding, sample);
    },
  };
}

function simulatedResult(binding: HttpBinding, sample: ResponseSample | undefined): ToolCallResult {
  const route = `${binding.method.toUpperCase()} ${binding.path}`;
  if (sample !== undefined && 'example' in sample) {
    return simulated(
      sample.status,
      structuredClone(sample.example),
      `${sample.status} from the response example of ${route}`,
    );
  }
  if (sample?.schema !== undefined) {
    return simulated(
      sample.status,
      exampleFromSchema(sample.schema),
      `${sample.status} from the response schema of ${route}`,
    );
  }
  const status = sample?.status ?? 200;
  if (NO_CONTENT_STATUSES.has(status) || binding.method.toUpperCase() === 'HEAD') {
    return simulated(status, null, `${status}, no content, for ${route}`);
  }
  // Many documents describe a success in words only; the real body is unknown.
  return simulated(
    status,
    {
      ok: true,
      message: `Simulated with a test key: nothing was sent, and ${route} documents no response body, so this stands in for a success.`,
    },
    `${status}, no response body documented for ${route}`,
  );
}

function simulated(status: number, body: unknown, note: string): ToolCallResult {
  return { output: { status, body, simulated: true }, note: `${SIMULATED_NOTE_PREFIX}${note}` };
}
