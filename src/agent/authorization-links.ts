import type { Environment } from '../storage/index.js';

/**
 * Consent links for the end user (implemented by the connections feature): a single-use,
 * expiring `auth_url` whose completion resumes the task.
 */
export interface AuthorizationLinks {
  start(
    scope: { projectId: string; environment: Environment },
    request: { taskId: string; userId: string; toolkit: string },
  ): Promise<{ authUrl: string }>;
}
