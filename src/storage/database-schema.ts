import type { Generated } from 'kysely';

/**
 * Tables as Kysely sees them. Portable types only: text ids made by the app, epoch-ms
 * integers for time, JSON as text (serialized by the app on both dialects).
 */
export interface DatabaseSchema {
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  subagents: SubagentsTable;
  tasks: TasksTable;
  task_steps: TaskStepsTable;
  toolkits: ToolkitsTable;
  idempotency_keys: IdempotencyKeysTable;
  connections: ConnectionsTable;
  toolkit_auth_configs: ToolkitAuthConfigsTable;
  oauth_sessions: OAuthSessionsTable;
  task_events: TaskEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type Environment = 'live' | 'test';

export interface ProjectsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  project_id: string;
  environment: Environment;
  name: string | null;
  key_hash: string;
  hint: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SubagentsTable {
  id: string;
  project_id: string;
  environment: Environment;
  name: string;
  prompt: string;
  type: 'custom' | 'prebuilt';
  status: 'deployed' | 'deleted';
  /** JSON: SelectedTool[] */
  tools: string;
  tools_available: number;
  /** JSON: string[] */
  warnings: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export type TaskStatus = 'pending' | 'running' | 'waiting' | 'complete' | 'failed' | 'cancelled';

export interface TasksTable {
  id: string;
  project_id: string;
  environment: Environment;
  subagent_id: string;
  sub_agent: string;
  prompt: string;
  user_id: string | null;
  /** JSON object */
  metadata: string;
  mode: 'live' | 'test';
  status: TaskStatus;
  /** JSON object or null */
  result: string | null;
  /** JSON TaskError or null */
  error: string | null;
  /** JSON or null */
  waiting_for: string | null;
  /** JSON usage or null */
  usage: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  cancelled_at: number | null;
  run_at: number;
  deadline_at: number | null;
  lease_owner: string | null;
  lease_token: number;
  lease_expires_at: number | null;
  attempts: number;
}

export interface TaskStepsTable {
  task_id: string;
  seq: number;
  kind: 'model' | 'tool' | 'system';
  tool: string;
  action: string;
  call_id: string | null;
  status: 'running' | 'complete' | 'failed' | 'retrying' | 'skipped';
  /** JSON or null */
  input: string | null;
  /** JSON or null */
  output: string | null;
  /** JSON or null */
  error: string | null;
  note: string | null;
  started_at: number;
  duration_ms: number | null;
  attempt: number;
}

export interface ToolkitsTable {
  id: string;
  project_id: string;
  environment: Environment;
  name: string;
  description: string;
  source: 'openapi' | 'capabilities' | 'mcp';
  base_url: string | null;
  /** JSON ToolkitAuth with encrypted secrets, or null */
  auth: string | null;
  /** JSON ToolDefinition[] */
  tools: string;
  /** JSON source-specific settings (e.g. MCP transport) */
  settings: string | null;
  created_at: number;
  updated_at: number;
}

export interface IdempotencyKeysTable {
  project_id: string;
  environment: Environment;
  key: string;
  fingerprint: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: string | null;
  created_at: number;
  locked_at: number;
}

/** An end user's credential for one toolkit. `secret` is a sealed JSON credential. */
export interface ConnectionsTable {
  id: string;
  project_id: string;
  environment: Environment;
  user_id: string;
  toolkit: string;
  kind: 'oauth2' | 'api_key' | 'basic';
  status: 'active' | 'revoked';
  /** JSON SealedSecret of the credential */
  secret: string;
  secret_kid: string;
  /** JSON string[] */
  scopes: string;
  expires_at: number | null;
  /** While a refresh runs somewhere, other refreshers wait until this time. */
  refresh_lock_until: number | null;
  /** Bumped on every credential change (compare-and-swap). */
  version: number;
  created_at: number;
  updated_at: number;
}

/** The operator's OAuth client for one toolkit. */
export interface ToolkitAuthConfigsTable {
  project_id: string;
  environment: Environment;
  toolkit: string;
  client_id: string;
  /** JSON SealedSecret or null */
  client_secret: string | null;
  secret_kid: string | null;
  /** JSON string[] */
  scopes: string;
  authorization_url: string | null;
  token_url: string | null;
  created_at: number;
  updated_at: number;
}

/** One consent flow: the single-use link, PKCE verifier and the task waiting on it. */
export interface OAuthSessionsTable {
  /** Also the OAuth `state`. */
  id: string;
  link_token_hash: string;
  project_id: string;
  environment: Environment;
  task_id: string | null;
  user_id: string;
  toolkit: string;
  /** JSON SealedSecret of the PKCE code verifier */
  code_verifier: string;
  status: 'pending' | 'redirected' | 'completed' | 'failed';
  error: string | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

/**
 * The append-only log of what happened to tasks: the source of SSE streams and the outbox of
 * webhooks. Each row is written in the same transaction as the state change it reports.
 */
export interface TaskEventsTable {
  /** Global commit order (auto-increment): the cursor of streams. */
  seq: Generated<number>;
  /** `evt_…`: stable across every delivery attempt (`webhook-id`, SSE `id`). */
  id: string;
  task_id: string;
  project_id: string;
  environment: Environment;
  type: string;
  /** JSON: the envelope's `data` */
  data: string;
  /** Unique per task: the same transition can never be recorded twice. */
  dedupe_key: string;
  created_at: number;
}

export type WebhookEndpointStatus = 'enabled' | 'disabled';

export interface WebhookEndpointsTable {
  /** `we_…`; the endpoint configured by CADRE_WEBHOOK_URL is `we_config`. */
  id: string;
  /** `*` for the configured endpoint, which receives the events of every project. */
  project_id: string;
  environment: Environment | '*';
  url: string;
  description: string | null;
  /** JSON string[]: the event types delivered */
  events: string;
  status: WebhookEndpointStatus;
  disabled_reason: string | null;
  disabled_at: number | null;
  /** Since when every attempt has failed (null after a success). */
  failing_since: number | null;
  /** JSON SealedSecret of the `whsec_…` secret */
  secret: string;
  /** JSON SealedSecret of the secret before the last rotation, while it still signs. */
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  source: 'api' | 'config';
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed' | 'coalesced';

/** One event owed to one endpoint; claimed with a lease and a fencing token, like tasks. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_seq: number;
  task_id: string;
  project_id: string;
  environment: Environment;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempt_count: number;
  /** Attempts allowed before the delivery fails for good. */
  attempt_limit: number;
  /** Who asked for the next attempt: the schedule, or a manual redelivery. */
  next_trigger: 'automatic' | 'manual';
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_token: number;
  lease_expires_at: number | null;
  last_attempt_at: number | null;
  last_response_status: number | null;
  last_error: string | null;
  /** JSON `data` frozen when progress events were coalesced into this delivery. */
  payload: string | null;
  /** The delivery whose webhook carried this one's progress step. */
  coalesced_into: string | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  trigger: 'automatic' | 'manual';
  attempted_at: number;
  duration_ms: number;
  response_status: number | null;
  error: string | null;
  /** The first KiB of the response body, for the delivery log. */
  response_body: string | null;
}
