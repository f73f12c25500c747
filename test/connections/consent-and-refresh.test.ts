import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuthConfigStore,
  createConnectionStore,
  createConsentService,
  createOAuthClient,
  createOAuthProviderResolver,
  createOAuthSessionStore,
  createUserCredentialService,
  type ConsentOutcome,
} from '../../src/connections/index.js';
import { createGuardedFetch } from '../../src/outbound/index.js';
import { createSecretBox } from '../../src/secrets/index.js';
import { createDatabase, type Database } from '../../src/storage/index.js';
import { isUserAuthorizationError } from '../../src/tools/user-credentials.js';
import { startOAuthProvider, type TestOAuthProvider } from '../support/oauth-provider.js';
import { createScriptedClock } from '../support/scripted-clock.js';

const scope = { projectId: 'proj_1', environment: 'live' as const };
const PUBLIC_URL = 'http://cadre.test';

describe('OAuth consent and token refresh against a real OAuth server', () => {
  let dir: string;
  let database: Database;
  let provider: TestOAuthProvider;
  let clock: ReturnType<typeof createScriptedClock>;
  let outcomes: ConsentOutcome[];

  function build() {
    const secretBox = createSecretBox('k'.repeat(64));
    const connections = createConnectionStore({ database, secretBox, clock });
    const authConfigs = createAuthConfigStore({ database, secretBox, clock });
    const oauth = createOAuthClient({
      fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [provider.hostPort] }),
      clock,
      isPlainHttpAllowed: (url) => url.host === provider.hostPort,
    });
    const resolveProvider = createOAuthProviderResolver({
      authConfigs,
      declaredSchemes: (_scope, toolkit) =>
        Promise.resolve(
          toolkit === 'crm'
            ? {
                authorizationUrl: provider.authorizationUrl,
                tokenUrl: provider.tokenUrl,
                scopes: ['contacts.read'],
              }
            : undefined,
        ),
    });
    const consent = createConsentService({
      sessions: createOAuthSessionStore({ database, secretBox, clock }),
      connections,
      resolveProvider,
      oauth,
      clock,
      publicUrl: PUBLIC_URL,
      onOutcome: (outcome) => {
        outcomes.push(outcome);
        return Promise.resolve();
      },
    });
    const credentials = createUserCredentialService({ connections, resolveProvider, oauth, clock });
    return { connections, authConfigs, consent, credentials };
  }

  /** Plays the browser: Cadre's link → provider → back to Cadre's callback. */
  async function consentAs(consent: ReturnType<typeof build>['consent'], authUrl: string) {
    const link = await consent.openLink(authUrl.split('/').at(-1)!);
    if (link.kind !== 'redirect') throw new Error(link.message);
    const atProvider = await fetch(link.location, { redirect: 'manual' });
    const callback = new URL(atProvider.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${PUBLIC_URL}/v1/oauth/callback`);
    return consent.completeCallback(callback);
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-oauth-'));
    database = await createDatabase({ kind: 'sqlite', file: path.join(dir, 'cadre.db') });
    provider = await startOAuthProvider();
    clock = createScriptedClock(Date.parse('2026-01-01T00:00:00Z'));
    outcomes = [];
  });
  afterEach(async () => {
    await provider.close();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks for user_id, then for consent, when a toolkit signs users in with OAuth', async () => {
    const { credentials, authConfigs } = build();
    await authConfigs.save(scope, {
      toolkit: 'crm',
      clientId: 'cadre-client',
      clientSecret: 'client-secret',
      scopes: undefined,
      authorizationUrl: undefined,
      tokenUrl: undefined,
    });
    expect(await credentials.lookup(scope, null, 'crm')).toEqual({
      kind: 'authorization_required',
      reason: 'user_id_required',
    });
    expect(await credentials.lookup(scope, 'user_1', 'crm')).toEqual({
      kind: 'authorization_required',
      reason: 'consent',
    });
    expect(await credentials.lookup(scope, 'user_1', 'weather')).toEqual({ kind: 'none' });
  });

  it('lets the call go out, with a hint on how to set up sign-in, when no OAuth client is configured', async () => {
    const { credentials } = build();
    for (const user of ['user_1', null]) {
      const lookup = await credentials.lookup(scope, user, 'crm');
      expect(lookup.kind).toBe('none');
      expect(JSON.stringify(lookup)).toContain('/v1/toolkits/crm/auth_config');
    }
  });

  it('runs the consent flow with PKCE and stores the tokens for the user', async () => {
    const { consent, credentials, authConfigs } = build();
    await authConfigs.save(scope, {
      toolkit: 'crm',
      clientId: 'cadre-client',
      clientSecret: 'client-secret',
      scopes: undefined,
      authorizationUrl: undefined,
      tokenUrl: undefined,
    });
    const { authUrl } = await consent.start(scope, {
      taskId: 'task_1',
      userId: 'user_1',
      toolkit: 'crm',
    });
    expect(authUrl.startsWith(`${PUBLIC_URL}/v1/oauth/authorize/`)).toBe(true);

    const link = await consent.openLink(authUrl.split('/').at(-1)!);
    expect(link.kind).toBe('redirect');
    const location = new URL((link as { location: string }).location);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('scope')).toBe('contacts.read');
    // The link works once.
    expect((await consent.openLink(authUrl.split('/').at(-1)!)).kind).toBe('gone');

    const atProvider = await fetch(location, { redirect: 'manual' });
    const outcome = await consent.completeCallback(new URL(atProvider.headers.get('location')!));
    expect(outcome).toMatchObject({ kind: 'authorized', taskId: 'task_1', toolkit: 'crm' });
    expect(outcomes).toHaveLength(1);
    expect(provider.tokenRequests.authorization_code).toBe(1);

    const lookup = await credentials.lookup(scope, 'user_1', 'crm');
    expect(lookup.kind).toBe('credential');
    const token = (lookup as any).credential.headers[0][1].replace('Bearer ', '');
    expect(provider.isValidAccessToken(token)).toBe(true);
  });

  it('refuses an expired link and reports a denied consent once', async () => {
    const { consent, authConfigs } = build();
    await authConfigs.save(scope, {
      toolkit: 'crm',
      clientId: 'cadre-client',
      clientSecret: undefined,
      scopes: ['contacts.read'],
      authorizationUrl: undefined,
      tokenUrl: undefined,
    });
    const stale = await consent.start(scope, {
      taskId: 'task_1',
      userId: 'user_1',
      toolkit: 'crm',
    });
    clock.advance(2 * 60 * 60 * 1000);
    expect(await consent.openLink(stale.authUrl.split('/').at(-1)!)).toMatchObject({
      kind: 'gone',
    });

    const fresh = await consent.start(scope, {
      taskId: 'task_2',
      userId: 'user_1',
      toolkit: 'crm',
    });
    provider.denyNextAuthorization();
    const outcome = await consentAs(consent, fresh.authUrl);
    expect(outcome).toMatchObject({ kind: 'denied', taskId: 'task_2' });
    expect(outcomes.map((entry) => entry.kind)).toEqual(['denied']);
  });

  it('refreshes an expiring token once for many concurrent callers, across two processes, rotating the refresh token', async () => {
    const first = build();
    await first.authConfigs.save(scope, {
      toolkit: 'crm',
      clientId: 'cadre-client',
      clientSecret: 'client-secret',
      scopes: undefined,
      authorizationUrl: undefined,
      tokenUrl: undefined,
    });
    const { authUrl } = await first.consent.start(scope, {
      taskId: null,
      userId: 'user_1',
      toolkit: 'crm',
    });
    await consentAs(first.consent, authUrl);
    // A second "process": its own services on the same database.
    const second = build();

    clock.advance(3_600_000);
    const lookups = await Promise.all([
      ...Array.from({ length: 5 }, () => first.credentials.lookup(scope, 'user_1', 'crm')),
      ...Array.from({ length: 5 }, () => second.credentials.lookup(scope, 'user_1', 'crm')),
    ]);
    expect(provider.tokenRequests.refresh_token).toBe(1);
    const tokens = new Set(lookups.map((lookup: any) => lookup.credential.headers[0][1]));
    expect(tokens.size).toBe(1);
    expect(provider.isValidAccessToken([...tokens][0]!.replace('Bearer ', ''))).toBe(true);

    // After a 401 the token is refreshed now, with the rotated refresh token.
    provider.expireAccessTokens();
    const current = (lookups[0] as any).credential;
    const renewed = await first.credentials.refreshAfterUnauthorized(scope, current);
    expect(provider.tokenRequests.refresh_token).toBe(2);
    expect(provider.isValidAccessToken(renewed.headers[0]![1].replace('Bearer ', ''))).toBe(true);
  });

  it('reports token_expired when the provider refuses the refresh (access revoked)', async () => {
    const { consent, credentials, authConfigs } = build();
    await authConfigs.save(scope, {
      toolkit: 'crm',
      clientId: 'cadre-client',
      clientSecret: 'client-secret',
      scopes: undefined,
      authorizationUrl: undefined,
      tokenUrl: undefined,
    });
    const { authUrl } = await consent.start(scope, {
      taskId: null,
      userId: 'user_1',
      toolkit: 'crm',
    });
    await consentAs(consent, authUrl);
    provider.revokeRefreshTokens();
    clock.advance(3_600_000);
    const failure = await credentials
      .lookup(scope, 'user_1', 'crm')
      .catch((error: unknown) => error);
    expect(isUserAuthorizationError(failure)).toBe(true);
    expect(failure).toMatchObject({ reason: 'token_expired', toolkit: 'crm' });
  });

  it('never stores a credential in clear text', async () => {
    const { connections } = build();
    await connections.save(
      scope,
      { userId: 'user_1', toolkit: 'crm' },
      { kind: 'api_key', api_key: 'sk_canary_never_in_db' },
      { scopes: [], expiresAt: undefined },
    );
    await database.close();
    const bytes = Buffer.concat(
      fs.readdirSync(dir).map((file) => fs.readFileSync(path.join(dir, file))),
    );
    expect(bytes.includes(Buffer.from('sk_canary_never_in_db'))).toBe(false);
    database = await createDatabase({ kind: 'sqlite', file: path.join(dir, 'cadre.db') });
  });
});
