/**
 * The request bodies and example responses of spec/ploton-rest-api.txt, verbatim, so tests
 * can replay every curl example and compare shapes.
 */
export const specExamples = {
  deploySubagent: {
    request: {
      name: 'crm-agent',
      prompt:
        'Handle CRM tasks. Connect Salesforce, HubSpot, and Pipedrive. Manage OAuth, pull contacts, sync deals, export data.',
    },
    response: {
      id: 'crm-agent',
      tools_available: 14,
      status: 'deployed',
      created_at: '2025-06-15T10:00:00Z',
    },
  },
  getSubagent: {
    response: {
      id: 'crm-agent',
      prompt:
        'Handle CRM tasks. Connect Salesforce, HubSpot, and Pipedrive. Manage OAuth, pull contacts, sync deals, export data.',
      tools_available: 14,
      status: 'deployed',
      created_at: '2025-06-15T10:00:00Z',
    },
  },
  listSubagents: {
    query: '?limit=10',
    response: {
      data: [
        {
          id: 'crm-agent',
          tools_available: 14,
          status: 'deployed',
          created_at: '2025-06-15T10:00:00Z',
        },
        {
          id: 'billing-agent',
          tools_available: 9,
          status: 'deployed',
          created_at: '2025-06-15T10:05:00Z',
        },
      ],
      has_more: false,
    },
  },
  updateSubagent: {
    request: {
      prompt:
        'Handle CRM tasks. Connect Salesforce, HubSpot, Pipedrive, and Zoho. Manage OAuth, pull contacts, sync deals, export data, manage pipelines.',
    },
    response: {
      id: 'crm-agent',
      tools_available: 16,
      status: 'deployed',
      updated_at: '2025-06-16T09:00:00Z',
    },
  },
  deleteSubagent: {
    response: { id: 'crm-agent', status: 'deleted', deleted_at: '2025-06-16T09:05:00Z' },
  },
  createTask: {
    request: {
      prompt:
        "Pull all contacts from user_123's CRM account created in the last 30 days. Return name, email, and company.",
      sub_agent: 'crm-agent',
      user_id: 'user_123',
      metadata: { source: 'lead_enrichment_pipeline' },
    },
    response: {
      id: 'task_8xK2mP',
      status: 'running',
      sub_agent: 'crm-agent',
      created_at: '2025-06-15T14:22:00Z',
      metadata: { source: 'lead_enrichment_pipeline' },
    },
  },
  getTaskComplete: {
    response: {
      id: 'task_8xK2mP',
      status: 'complete',
      sub_agent: 'crm-agent',
      created_at: '2025-06-15T14:22:00Z',
      completed_at: '2025-06-15T14:22:07Z',
      result: {
        contacts: [
          { name: 'Jane Smith', email: '[email protected]', company: 'Acme Corp' },
          { name: 'Bob Chen', email: '[email protected]', company: 'Globex Inc' },
        ],
      },
      metadata: { source: 'lead_enrichment_pipeline' },
    },
  },
  getTaskFailed: {
    response: {
      id: 'task_8xK2mP',
      status: 'failed',
      sub_agent: 'crm-agent',
      created_at: '2025-06-15T14:22:00Z',
      failed_at: '2025-06-15T14:22:04Z',
      error: {
        code: 'auth_token_expired',
        message: "The user's OAuth token has expired and automatic refresh failed.",
        recoverable: true,
        suggestion: 'Prompt the user to re-authorize access',
      },
      metadata: { source: 'lead_enrichment_pipeline' },
    },
  },
  listTasks: {
    query: '?status=complete&sub_agent=crm-agent&limit=5',
    response: {
      data: [
        {
          id: 'task_8xK2mP',
          status: 'complete',
          sub_agent: 'crm-agent',
          created_at: '2025-06-15T14:22:00Z',
          completed_at: '2025-06-15T14:22:07Z',
        },
        {
          id: 'task_3nL7pR',
          status: 'complete',
          sub_agent: 'billing-agent',
          created_at: '2025-06-15T13:10:00Z',
          completed_at: '2025-06-15T13:10:12Z',
        },
      ],
      has_more: true,
    },
  },
  cancelTask: {
    response: { id: 'task_8xK2mP', status: 'cancelled', cancelled_at: '2025-06-15T14:22:05Z' },
  },
  taskTrace: {
    response: {
      task_id: 'task_8xK2mP',
      sub_agent: 'crm-agent',
      steps: [
        { tool: 'crm', action: 'authenticate', status: 'complete', duration_ms: 120 },
        {
          tool: 'crm',
          action: 'fetch_contacts',
          status: 'complete',
          duration_ms: 890,
          note: 'Filtered to last 30 days, 47 contacts returned',
        },
        { tool: 'crm', action: 'format_response', status: 'complete', duration_ms: 15 },
      ],
      total_duration_ms: 1025,
    },
  },
} as const;
