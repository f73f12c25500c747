import {
  APICallError,
  RetryError,
  generateText,
  jsonSchema,
  tool,
  type LanguageModel,
  type ModelMessage,
  type Tool,
} from 'ai';
import type { CatalogSnapshot } from '../tools/index.js';
import {
  SEARCH_TOOLS_NAME,
  type ModelStepOutput,
  type RecordedToolCall,
} from './journal-payloads.js';
import { TaskFailure } from './task-failure.js';

const MODEL_TIMEOUT_MS = 120_000;

/** Model-facing tool set: the active tools, plus `search_tools` when the domain is larger. */
export function buildModelTools(
  snapshot: CatalogSnapshot,
  active: readonly string[],
  withSearch: boolean,
): Record<string, Tool> {
  const tools: Record<string, Tool> = {};
  for (const name of active) {
    const entry = snapshot.byName.get(name);
    if (entry === undefined) continue;
    tools[name] = tool({
      description: entry.tool.description,
      inputSchema: jsonSchema(entry.tool.parameters as Parameters<typeof jsonSchema>[0]),
    });
  }
  if (withSearch) {
    tools[SEARCH_TOOLS_NAME] = tool({
      description:
        'Find more tools of your domain by describing the capability you need (e.g. "export contacts to CSV"). The tools found become callable on your next turn.',
      inputSchema: jsonSchema({
        type: 'object',
        properties: { query: { type: 'string', description: 'What the tool should do.' } },
        required: ['query'],
        additionalProperties: false,
      }),
    });
  }
  return tools;
}

/** One model turn. Provider failures become TaskFailures with a code the caller can act on. */
export async function callModel(options: {
  model: LanguageModel;
  system: string;
  messages: ModelMessage[];
  tools: Record<string, Tool>;
  signal: AbortSignal;
}): Promise<ModelStepOutput> {
  try {
    const result = await generateText({
      model: options.model,
      system: options.system,
      messages: options.messages,
      tools: options.tools,
      maxRetries: 2,
      abortSignal: AbortSignal.any([options.signal, AbortSignal.timeout(MODEL_TIMEOUT_MS)]),
    });
    const toolCalls: RecordedToolCall[] = [];
    for (const part of result.content) {
      if (part.type !== 'tool-call') continue;
      const call: RecordedToolCall = {
        id: part.toolCallId,
        name: part.toolName,
        input: part.input,
      };
      if ('invalid' in part && part.invalid === true) {
        call.invalid = describeInvalidCall(
          part.toolName,
          options.tools,
          'error' in part ? part.error : undefined,
        );
      }
      toolCalls.push(call);
    }
    return {
      text: result.text,
      tool_calls: toolCalls,
      finish_reason: result.finishReason,
      usage: {
        input_tokens: result.usage.inputTokens ?? 0,
        output_tokens: result.usage.outputTokens ?? 0,
      },
    };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw toModelFailure(error);
  }
}

function describeInvalidCall(name: string, tools: Record<string, Tool>, error: unknown): string {
  if (!(name in tools)) {
    return `There is no tool named '${name}' available. Use one of: ${Object.keys(tools).join(', ')}.`;
  }
  const detail = error instanceof Error ? error.message : 'the arguments do not match the schema';
  return `The arguments for '${name}' are invalid: ${detail.slice(0, 500)}`;
}

function toModelFailure(error: unknown): TaskFailure {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(last)) {
    const status = last.statusCode;
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
    if (last.isRetryable) {
      return new TaskFailure({
        code: 'model_unavailable',
        message: `The model provider is unavailable (${status === undefined ? 'no response' : `HTTP ${status}`}) after retries.`,
        tool: 'model',
        recoverable: true,
        suggestion: 'Retry the task later; check the provider status or CADRE_MODEL_BASE_URL.',
        cause: error,
      });
    }
    return new TaskFailure({
      code: 'model_error',
      message: `The model provider refused the request (HTTP ${status ?? '?'}): ${last.message.slice(0, 300)}`,
      tool: 'model',
      recoverable: false,
      suggestion: 'Check that CADRE_MODEL names a model that supports tool calling.',
      cause: error,
    });
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new TaskFailure({
      code: 'model_unavailable',
      message: `The model did not answer within ${MODEL_TIMEOUT_MS / 1000} s.`,
      tool: 'model',
      recoverable: true,
      suggestion: 'Retry the task; if the model is slow, use a faster model.',
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
