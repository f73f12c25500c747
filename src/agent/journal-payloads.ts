import type { SharedV3ProviderMetadata } from '@ai-sdk/provider';

/** What a model step records: enough to rebuild the conversation after a crash. */
export interface ModelStepOutput {
  text: string;
  /** Provider data to send back with the text (kept for providers that need it). */
  text_metadata?: SharedV3ProviderMetadata;
  tool_calls: RecordedToolCall[];
  finish_reason: string;
  usage: { input_tokens: number; output_tokens: number };
}

export interface RecordedToolCall {
  id: string;
  name: string;
  input: unknown;
  /** Why the call cannot run (unknown tool, arguments that are not a JSON object). */
  invalid?: string;
  provider_metadata?: SharedV3ProviderMetadata;
}

export interface ToolStepError {
  code: string;
  message: string;
  retryable: boolean;
  status?: number;
}

export interface SelectToolsOutput {
  tools: string[];
}

export interface SearchToolsOutput {
  tools: { name: string; description: string }[];
}

/** Names of Cadre's own steps in the journal. */
export const CADRE_TOOLKIT = 'cadre';
export const SELECT_TOOLS_ACTION = 'select_tools';
export const SEARCH_TOOLS_ACTION = 'search_tools';
export const REQUEST_JSON_ACTION = 'request_json';
export const SEARCH_TOOLS_NAME = 'search_tools';
export const ASK_USER_ACTION = 'ask_user';
export const ASK_USER_NAME = 'ask_user';
