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
