import type { ResponseSample, Toolkit, ToolDefinition } from '../tool-definition.js';

/**
 * Documented responses kept apart from tool definitions: the public directory's, read from its
 * index one tool at a time so that 124k response schemas never sit in memory.
 */
export interface ResponseSamples {
  /** The tool's documented success response, or undefined when there is none (or not here). */
  sampleFor(toolkit: Toolkit, tool: ToolDefinition): Promise<ResponseSample | undefined>;
}
