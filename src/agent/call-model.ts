import {
  APICallError,
  type LanguageModelV3,
  type LanguageModelV3FunctionTool,
  type LanguageModelV3Message,
  type SharedV3ProviderMetadata,
} from '@ai-sdk/provider';
import type { CatalogEntry } from '../tools/index.js';
import { scopedTimeout } from '../abort/index.js';
import { sleep } from './abort-reason.js';
import {
  ASK_USER_NAME,
  SEARCH_TOOLS_NAME,
  type ModelStepOutput,
  type RecordedToolCall,
} from './journal-payloads.js';
import { TaskFailure } from './task-failure.js';

const MODEL_TIMEOUT_MS = 120_000;
const MODEL_ATTEMPTS = 3;
const MODEL_RETRY_BASE_MS = 1_000;
const MODEL_RETRY_MAX_MS = 20_000;

const SEARCH_TOOLS_TOOL: LanguageModelV3FunctionTool = {
  type: 'function',
  name: SEARCH_TOOLS_NAME,
  description:
    'Find more tools of your domain by describing the capability you need (e.g. "export contacts to CSV"). The tools found become callable on your next turn.',
  inputSchema: {
    type: 'object',
    properties: { query: { type: 'string', description: 'What the tool should do.' } },
    required: ['query'],
    additionalProperties: false,
  },
};

const ASK_USER_TOOL: LanguageModelV3FunctionTool = {
  type: 'function',
  name: ASK_USER_NAME,
  description:
    'Ask the end user one question when the task cannot go on without information or a decision only they have. The task pauses until they answer; the answer is the result of this call.',
  inputSchema: {
    type: 'object',
    properties: {
      question: { type: 'string', description: 'One clear, self-contained question.' },
    },
    required: ['question'],
    additionalProperties: false,
  },
};

/**
 * Model-facing tool set: the active tools, `search_tools` when the domain is larger, and
 * `ask_user`.
 */
export function buildModelTools(
  resolved: ReadonlyMap<string, CatalogEntry>,
  active: readonly string[],
  withSearch: boolean,
): LanguageModelV3FunctionTool[] {
  const tools: LanguageModelV3FunctionTool[] = [];
  for (const name of active) {
    const entry = resolved.get(name);
    if (entry === undefined) continue;
    tools.push({
      type: 'function',
      name,
      description: entry.tool.description,
      inputSchema: entry.tool.parameters,
    });
  }
  if (withSearch) tools.push(SEARCH_TOOLS_TOOL);
  tools.push(ASK_USER_TOOL);
  return tools;
}

/**
 * One model turn through the AI SDK provider interface (LanguageModelV3), so every provider
 * and the SDK's mock model work the same. Transient provider errors are retried with backoff
 * (honouring Retry-After); the rest become TaskFailures with a code the caller can act on.
 */
export async function callModel(options: {
  model: LanguageModelV3;
  system: string;
  messages: LanguageModelV3Message[];
  tools: LanguageModelV3FunctionTool[];
  signal: AbortSignal;
}): Promise<ModelStepOutput> {
  const prompt: LanguageModelV3Message[] = [
    { role: 'system', content: options.system },
    ...options.messages,
  ];
  for (let attempt = 1; ; attempt += 1) {
    const timeout = scopedTimeout(options.signal, MODEL_TIMEOUT_MS);
    try {
      const result = await options.model.doGenerate({
        prompt,
        tools: options.tools,
        toolChoice: { type: 'auto' },
        abortSignal: timeout.signal,
      });
      return toStepOutput(result, options.tools);
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      const delayMs = retryDelay(error, attempt);
      if (delayMs === undefined) throw toModelFailure(error, attempt);
      await sleep(delayMs, options.signal);
    } finally {
      timeout.dispose();
    }
  }
}

function toStepOutput(
  result: Awaited<ReturnType<LanguageModelV3['doGenerate']>>,
  tools: LanguageModelV3FunctionTool[],
): ModelStepOutput {
  const names = new Set(tools.map((tool) => tool.name));
  let text = '';
  let textMetadata: SharedV3ProviderMetadata | undefined;
  const toolCalls: RecordedToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') {
      text += part.text;
      textMetadata ??= part.providerMetadata;
    } else if (part.type === 'tool-call' && part.providerExecuted !== true) {
      const call: RecordedToolCall = { id: part.toolCallId, name: part.toolName, input: {} };
      if (part.providerMetadata !== undefined) call.provider_metadata = part.providerMetadata;
      const parsed = parseInput(part.input);
      if (parsed === undefined) {
        call.input = part.input;
        call.invalid = `The arguments for '${part.toolName}' are not a JSON object.`;
      } else {
        call.input = parsed;
      }
      if (!names.has(part.toolName)) {
        call.invalid = `There is no tool named '${part.toolName}' available. Use one of: ${[...names].join(', ')}.`;
      }
      toolCalls.push(call);
    }
  }
  const output: ModelStepOutput = {
    text,
    tool_calls: toolCalls,
    finish_reason: result.finishReason.unified,
    usage: {
      input_tokens: result.usage.inputTokens.total ?? 0,
      output_tokens: result.usage.outputTokens.total ?? 0,
    },
  };
  if (textMetadata !== undefined) output.text_metadata = textMetadata;
  return output;
}

function parseInput(input: string): Record<string, unknown> | undefined {
  if (input.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(input);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function retryDelay(error: unknown, attempt: number): number | undefined {
  if (attempt >= MODEL_ATTEMPTS) return undefined;
  const retryable =
    (APICallError.isInstance(error) && error.isRetryable) ||
    (error instanceof Error && (error.name === 'TimeoutError' || isNetworkError(error)));
  if (!retryable) return undefined;
  const backoff = MODEL_RETRY_BASE_MS * 2 ** (attempt - 1);
  const header = APICallError.isInstance(error)
    ? error.responseHeaders?.['retry-after']
    : undefined;
  const retryAfterMs = header === undefined ? NaN : Number(header) * 1000;
  return Math.min(
    MODEL_RETRY_MAX_MS,
    Number.isFinite(retryAfterMs) ? Math.max(retryAfterMs, backoff) : backoff,
  );
}

function isNetworkError(error: Error): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return error.name === 'TypeError' && typeof cause?.code === 'string';
}

function toModelFailure(error: unknown, attempts: number): TaskFailure {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 401 || status === 403) {
      return new TaskFailure({
        code: 'model_auth_failed',
        message: `The model provider rejected Cadre's credentials (HTTP ${status}).`,
        tool: 'model',
        recoverable: true,
        suggestion:
          'Check CADRE_MODEL_API_KEY (or OPENAI_API_KEY / ANTHROPIC_API_KEY), then retry the task.',
        cause: error,
      });
    }
    if (error.isRetryable) {
      return new TaskFailure({
        code: 'model_unavailable',
        message: `The model provider is unavailable (${status === undefined ? 'no response' : `HTTP ${status}`})${tries}.`,
        tool: 'model',
        recoverable: true,
        suggestion: 'Retry the task later; check the provider status or CADRE_MODEL_BASE_URL.',
        cause: error,
      });
    }
    return new TaskFailure({
      code: 'model_error',
      message: `The model provider refused the request (HTTP ${status ?? '?'}): ${error.message.slice(0, 300)}`,
      tool: 'model',
      recoverable: false,
      suggestion: 'Check that CADRE_MODEL names a model that supports tool calling.',
      cause: error,
    });
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || isNetworkError(error))) {
    return new TaskFailure({
      code: 'model_unavailable',
      message:
        error.name === 'TimeoutError'
          ? `The model did not answer within ${MODEL_TIMEOUT_MS / 1000} s${tries}.`
          : `The model provider could not be reached (${error.message})${tries}.`,
      tool: 'model',
      recoverable: true,
      suggestion: 'Retry the task; check that the model server is up (CADRE_MODEL_BASE_URL).',
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TaskFailure({
    code: 'model_error',
    message: `The model provider's response could not be used: ${message.slice(0, 300)}`,
    tool: 'model',
    recoverable: true,
    suggestion:
      'Retry the task; if it keeps failing, check the model server (CADRE_MODEL_BASE_URL).',
    cause: error,
  });
}
