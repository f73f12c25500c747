import type { ToolCallContext } from '../../../src/tools/tool-executor.js';

/** A tool call context for handler tests; pass only what the test is about. */
export function createToolCallContext(overrides: Partial<ToolCallContext> = {}): ToolCallContext {
  return {
    taskId: 'task_test',
    idempotencyKey: 'idem_task_test_step_1',
    projectId: 'proj_test',
    environment: 'test',
    userId: null,
    signal: new AbortController().signal,
    timeoutMs: 10_000,
    ...overrides,
  };
}
