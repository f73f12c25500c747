import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { ModelConfig } from '../config/index.js';
import { assertNever } from '../errors/index.js';

/** The AI SDK model for `CADRE_MODEL`; the composition root calls this once. */
export function createLanguageModel(config: ModelConfig): LanguageModelV3 {
  const apiKey = config.apiKey;
  const baseURL = config.baseUrl;
  switch (config.provider) {
    case 'openai':
      return createOpenAI({ ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}) })(
        config.modelId,
      );
    case 'anthropic':
      return createAnthropic({ ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}) })(
        config.modelId,
      );
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: baseURL ?? 'http://127.0.0.1:11434/v1',
        ...(apiKey ? { apiKey } : {}),
      })(config.modelId);
    default:
      return assertNever(config.provider, 'model provider');
  }
}
