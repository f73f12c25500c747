import type { LanguageModelV3CallOptions, LanguageModelV3Content } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';

export type MockTurn =
  { text: string } | { toolCalls: { name: string; input: unknown }[] } | { error: Error };

/**
 * The AI SDK's mock model driven by a script: each call gets the prompt Cadre sent and
 * returns text or tool calls, as a provider would.
 */
export function scriptedMockModel(
  script: (options: LanguageModelV3CallOptions, index: number) => MockTurn | Promise<MockTurn>,
): MockLanguageModelV3 {
  let calls = 0;
  return new MockLanguageModelV3({
    doGenerate: async (options) => {
      const turn = await script(options, calls++);
      if ('error' in turn) throw turn.error;
      const content: LanguageModelV3Content[] =
        'text' in turn
          ? [{ type: 'text', text: turn.text }]
          : turn.toolCalls.map((call, index) => ({
              type: 'tool-call',
              toolCallId: `call_${calls}_${index}`,
              toolName: call.name,
              input: JSON.stringify(call.input),
            }));
      return {
        content,
        finishReason: { unified: 'text' in turn ? 'stop' : 'tool-calls', raw: undefined },
        usage: {
          inputTokens: { total: 50, noCache: 50, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 10, text: 10, reasoning: 0 },
        },
        warnings: [],
      };
    },
  });
}
