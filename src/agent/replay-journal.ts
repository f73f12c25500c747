import type { LanguageModelV3Message, LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import { fromJsonOrNull } from '../storage/index.js';
import {
  ASK_USER_ACTION,
  CADRE_TOOLKIT,
  REQUEST_JSON_ACTION,
  SEARCH_TOOLS_ACTION,
  SELECT_TOOLS_ACTION,
  type ModelStepOutput,
  type RecordedToolCall,
  type SearchToolsOutput,
  type SelectToolsOutput,
  type ToolStepError,
} from './journal-payloads.js';
import type { StepRow } from './task-journal.js';

/** The runner's state, rebuilt from the journal alone. */
export interface ReplayedState {
  /** Conversation after the task prompt. */
  messages: LanguageModelV3Message[];
  /** Tool names offered to the model, most relevant first (without search_tools). */
  activeTools: string[] | undefined;
  /** Calls of the latest model step that have no final result yet. */
  pendingCalls: RecordedToolCall[];
  /** The latest model step's text when it asked for no tools (a final answer). */
  finalText: string | undefined;
  modelSteps: number;
  jsonCorrections: number;
  usage: { input_tokens: number; output_tokens: number; model_calls: number };
  /** Attempts already journaled per call id. */
  attempts: Map<string, number>;
  /** Tool steps left `running` by a crashed worker. */
  interrupted: StepRow[];
  /** `ask_user` calls whose question waits for the user's answer. */
  openQuestions: Set<string>;
}

type FinalResult = { ok: true; output: unknown } | { ok: false; error: ToolStepError };

/**
 * Rebuilds messages, the active tool set and what is left to do. Finished tool calls come
 * back from their journaled results, so nothing that completed runs again.
 */
export function replayJournal(steps: StepRow[]): ReplayedState {
  const state: ReplayedState = {
    messages: [],
    activeTools: undefined,
    pendingCalls: [],
    finalText: undefined,
    modelSteps: 0,
    jsonCorrections: 0,
    usage: { input_tokens: 0, output_tokens: 0, model_calls: 0 },
    attempts: new Map(),
    interrupted: [],
    openQuestions: new Set(),
  };
  const results = new Map<string, FinalResult>();
  for (const step of steps) {
    if (step.kind !== 'tool' || step.call_id === null) continue;
    state.attempts.set(step.call_id, Math.max(state.attempts.get(step.call_id) ?? 0, step.attempt));
    if (step.status === 'complete') {
      results.set(step.call_id, { ok: true, output: fromJsonOrNull(step.output) });
    } else if (step.status === 'failed') {
      results.set(step.call_id, {
        ok: false,
        error: fromJsonOrNull<ToolStepError>(step.error) ?? {
          code: 'tool_failed',
          message: 'The tool failed.',
          retryable: false,
        },
      });
    } else if (step.status === 'running') {
      if (step.tool === CADRE_TOOLKIT && step.action === ASK_USER_ACTION) {
        state.openQuestions.add(step.call_id);
      } else {
        state.interrupted.push(step);
      }
    }
  }

  let openCalls: RecordedToolCall[] = [];
  const flush = () => {
    const parts: LanguageModelV3ToolResultPart[] = [];
    const pending: RecordedToolCall[] = [];
    for (const call of openCalls) {
      const result = results.get(call.id);
      if (result === undefined) {
        pending.push(call);
        continue;
      }
      parts.push({
        type: 'tool-result',
        toolCallId: call.id,
        toolName: call.name,
        output: result.ok
          ? { type: 'json', value: (result.output ?? null) as never }
          : { type: 'error-text', value: `${result.error.code}: ${result.error.message}` },
      });
    }
    if (parts.length > 0) state.messages.push({ role: 'tool', content: parts });
    state.pendingCalls = pending;
    openCalls = [];
  };

  for (const step of steps) {
    if (step.kind === 'model' && step.status === 'complete') {
      flush();
      const output = fromJsonOrNull<ModelStepOutput>(step.output);
      if (output === null) continue;
      state.modelSteps += 1;
      state.usage.input_tokens += output.usage.input_tokens;
      state.usage.output_tokens += output.usage.output_tokens;
      state.usage.model_calls += 1;
      state.messages.push({
        role: 'assistant',
        content: [
          ...(output.text === ''
            ? []
            : [
                {
                  type: 'text' as const,
                  text: output.text,
                  ...(output.text_metadata === undefined
                    ? {}
                    : { providerOptions: output.text_metadata }),
                },
              ]),
          ...output.tool_calls.map((call) => ({
            type: 'tool-call' as const,
            toolCallId: call.id,
            toolName: call.name,
            input: call.input,
            ...(call.provider_metadata === undefined
              ? {}
              : { providerOptions: call.provider_metadata }),
          })),
        ],
      });
      openCalls = output.tool_calls;
      state.finalText = output.tool_calls.length === 0 ? output.text : undefined;
    } else if (step.kind === 'model') {
      state.usage.model_calls += 1;
    } else if (step.kind === 'system' && step.action === SELECT_TOOLS_ACTION) {
      state.activeTools = fromJsonOrNull<SelectToolsOutput>(step.output)?.tools ?? [];
    } else if (step.kind === 'system' && step.action === REQUEST_JSON_ACTION) {
      flush();
      state.jsonCorrections += 1;
      state.finalText = undefined;
      const text = fromJsonOrNull<{ message: string }>(step.output)?.message ?? '';
      state.messages.push({ role: 'user', content: [{ type: 'text', text }] });
    } else if (
      step.kind === 'tool' &&
      step.action === SEARCH_TOOLS_ACTION &&
      step.status === 'complete'
    ) {
      const found = fromJsonOrNull<SearchToolsOutput>(step.output)?.tools ?? [];
      state.activeTools = mergeActive(
        found.map((tool) => tool.name),
        state.activeTools ?? [],
      );
    }
  }
  flush();
  return state;
}

/** Newly found tools go first; the set stays within the active-tool limit. */
export function mergeActive(found: string[], current: string[], limit = 16): string[] {
  return [...new Set([...found, ...current])].slice(0, limit);
}
