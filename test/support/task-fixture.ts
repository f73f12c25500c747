import type { TasksTable } from '../../src/storage/index.js';

/**
 * A complete `tasks` row for storage-level tests: a pending live task created at `at`, with
 * the given columns changed.
 */
export function taskFixture(
  fields: Pick<TasksTable, 'id'> & Partial<TasksTable>,
  at: number,
): TasksTable {
  return {
    project_id: 'proj_1',
    environment: 'live',
    subagent_id: 'sa_1',
    sub_agent: 'crm-agent',
    prompt: 'Pull contacts',
    user_id: null,
    metadata: '{}',
    mode: 'live',
    status: 'pending',
    result: null,
    error: null,
    waiting_for: null,
    usage: null,
    created_at: at,
    updated_at: at,
    started_at: null,
    completed_at: null,
    failed_at: null,
    cancelled_at: null,
    run_at: at,
    deadline_at: null,
    lease_owner: null,
    lease_token: 0,
    lease_expires_at: null,
    attempts: 0,
    ...fields,
  };
}
