import {
  type ConnectionScope,
  createAuthConfigStore,
  createConnectionStore,
  createOAuthSessionStore,
} from '../../src/connections/index.js';
import { createSecretBox, type SealedSecret, type SecretBox } from '../../src/secrets/index.js';
import { fromJson, type Database } from '../../src/storage/index.js';
import { createToolkitStore } from '../../src/toolkits/index.js';
import { sealMcpServerTarget } from '../../src/tools/mcp/index.js';
import { openMcpServerSettings } from '../../src/tools/mcp/mcp-server-settings.js';
import type { ToolkitAuth } from '../../src/tools/index.js';
import { plotonCrmDefinition } from '../toolkits/fixtures/ploton-crm-definition.js';
import type { TestCadre } from '../support/start-test-cadre.js';
import { createScriptedClock } from '../support/scripted-clock.js';

export const KEY_A = 'a'.repeat(32) + '-first-secret-key';
export const KEY_B = 'b'.repeat(32) + '-second-secret-key';
export const KEY_C = 'c'.repeat(32) + '-key-nobody-configured';

const clock = createScriptedClock();

/** Every secret the seeding stored, in the clear, to compare with what opens afterwards. */
export interface SeededSecrets {
  /** The project and environment of the harness's live key. */
  scope: ConnectionScope;
  connections: { userId: string; apiKey: string }[];
  authConfigs: { toolkit: string; clientSecret: string }[];
  oauthSession: { id: string; codeVerifier: string };
  bearerToolkit: { name: string; token: string };
  mcpToolkit: { id: string; headerValue: string };
  webhook: { id: string; secret: string; previousSecret: string };
}

/**
 * Stores one of every kind of sealed secret under `box`: toolkits and webhook endpoints
 * through the HTTP API (which seals with the server's key), the rest through their stores.
 */
export async function seedSealedSecrets(
  api: TestCadre,
  box: SecretBox,
  count = 3,
): Promise<SeededSecrets> {
  const database = api.cadre.database;
  const principal = await api.cadre.apiKeys.authenticate(api.keys.live);
  if (principal === undefined) throw new Error('the live key does not authenticate');
  const scope = { projectId: principal.projectId, environment: principal.environment };
  const connections = createConnectionStore({ database, secretBox: box, clock });
  const authConfigs = createAuthConfigStore({ database, secretBox: box, clock });
  const sessions = createOAuthSessionStore({ database, secretBox: box, clock });
  const seeded: SeededSecrets = {
    scope,
    connections: [],
    authConfigs: [],
    oauthSession: { id: 'oas_rotation', codeVerifier: 'verifier-0123456789-abcdefghij' },
    bearerToolkit: { name: 'bearer-crm', token: 'bearer-token-fedcba9876543210' },
    mcpToolkit: { id: 'tk_mcp_rotation', headerValue: 'mcp-header-secret-42' },
    webhook: { id: '', secret: '', previousSecret: '' },
  };
  for (let index = 0; index < count; index += 1) {
    const userId = `user-${index}`;
    const apiKey = `sk_user_${index}_0123456789`;
    await connections.save(
      scope,
      { userId, toolkit: 'crm' },
      { kind: 'api_key', api_key: apiKey },
      { scopes: [], expiresAt: undefined },
    );
    seeded.connections.push({ userId, apiKey });
    const toolkit = `crm-${index}`;
    const clientSecret = `client-secret-${index}-abcdef`;
    await authConfigs.save(scope, {
      toolkit,
      clientId: `client-${index}`,
      clientSecret,
      scopes: undefined,
      authorizationUrl: undefined,
      tokenUrl: undefined,
    });
    seeded.authConfigs.push({ toolkit, clientSecret });
  }
  // An OAuth client without a secret (public client): nothing to reseal.
  await authConfigs.save(scope, {
    toolkit: 'public-client',
    clientId: 'public',
    clientSecret: undefined,
    scopes: undefined,
    authorizationUrl: undefined,
    tokenUrl: undefined,
  });
  await sessions.create(scope, {
    id: seeded.oauthSession.id,
    linkToken: 'link-token-rotation',
    taskId: null,
    userId: 'user-0',
    toolkit: 'crm',
    codeVerifier: seeded.oauthSession.codeVerifier,
    ttlMs: 600_000,
  });
  await createToolkitStore(database).insert({
    id: seeded.mcpToolkit.id,
    project_id: scope.projectId,
    environment: scope.environment,
    name: 'mcp-rotation',
    description: 'An MCP toolkit whose header is sealed inside settings.',
    source: 'mcp',
    base_url: null,
    auth: JSON.stringify({ type: 'none' }),
    tools: '[]',
    settings: JSON.stringify({
      version: null,
      auth_schemes: [],
      mcp: sealMcpServerTarget(
        {
          transport: 'streamable_http',
          url: 'https://mcp.example.com/mcp',
          headers: { 'X-Api-Key': seeded.mcpToolkit.headerValue },
        },
        box,
      ),
    }),
    created_at: clock.now(),
    updated_at: clock.now(),
  });

  const bearer = await api.request({
    method: 'POST',
    url: '/v1/toolkits',
    body: {
      ...plotonCrmDefinition,
      name: seeded.bearerToolkit.name,
      auth: { type: 'bearer', token: seeded.bearerToolkit.token },
    },
  });
  if (bearer.status !== 201) throw new Error(`toolkit: ${JSON.stringify(bearer.body)}`);
  // Without secrets: rows with nothing sealed are not counted.
  await api.request({
    method: 'POST',
    url: '/v1/toolkits',
    body: { ...plotonCrmDefinition, name: 'env-crm' },
  });
  const created = await api.request({
    method: 'POST',
    url: '/v1/webhook_endpoints',
    body: { url: 'https://hooks.example.com/rotation' },
  });
  if (created.status !== 201) throw new Error(`webhook: ${JSON.stringify(created.body)}`);
  const rotated = await api.request({
    method: 'POST',
    url: `/v1/webhook_endpoints/${created.body.id}/rotate_secret`,
  });
  seeded.webhook = {
    id: created.body.id,
    secret: rotated.body.secret,
    previousSecret: created.body.secret,
  };
  return seeded;
}

/** Every sealed value of the seeded rows opened with `box` alone, as the app reads them. */
export async function openSeededSecrets(
  database: Database,
  box: SecretBox,
  seeded: SeededSecrets,
): Promise<SeededSecrets> {
  const connections = createConnectionStore({ database, secretBox: box, clock });
  const authConfigs = createAuthConfigStore({ database, secretBox: box, clock });
  const sessions = createOAuthSessionStore({ database, secretBox: box, clock });
  const toolkits = createToolkitStore(database);
  const { scope } = seeded;
  const opened: SeededSecrets = structuredClone(seeded);
  opened.connections = [];
  for (const { userId } of seeded.connections) {
    const found = await connections.findActive(scope, { userId, toolkit: 'crm' });
    const secret = found?.secret;
    opened.connections.push({ userId, apiKey: secret?.kind === 'api_key' ? secret.api_key : '' });
  }
  opened.authConfigs = [];
  for (const { toolkit } of seeded.authConfigs) {
    const config = await authConfigs.find(scope, toolkit);
    opened.authConfigs.push({ toolkit, clientSecret: config?.clientSecret ?? '' });
  }
  const session = await sessions.findById(seeded.oauthSession.id);
  opened.oauthSession.codeVerifier = session === undefined ? '' : sessions.codeVerifierOf(session);
  const bearer = await toolkits.findByIdOrName(scope, seeded.bearerToolkit.name);
  const auth = fromJson<ToolkitAuth>(bearer?.auth ?? '{"type":"none"}');
  opened.bearerToolkit.token =
    auth.type === 'bearer' && auth.token !== undefined ? box.open(auth.token) : '';
  const mcp = await toolkits.readMcpServerSettings(seeded.mcpToolkit.id);
  const target = mcp === undefined ? undefined : openMcpServerSettings(mcp, box);
  opened.mcpToolkit.headerValue =
    target?.transport === 'streamable_http' ? (target.headers['X-Api-Key'] ?? '') : '';
  const endpoint = await database.db
    .selectFrom('webhook_endpoints')
    .select(['secret', 'previous_secret'])
    .where('id', '=', seeded.webhook.id)
    .executeTakeFirstOrThrow();
  opened.webhook.secret = box.open(fromJson<SealedSecret>(endpoint.secret));
  opened.webhook.previousSecret = box.open(
    fromJson<SealedSecret>(endpoint.previous_secret ?? 'null'),
  );
  return opened;
}

export const keyIdOf = (secretKey: string) => createSecretBox(secretKey).currentKeyId;
