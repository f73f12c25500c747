import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../clock/index.js';
import { randomBase62 } from '../ids/index.js';
import { ToolError } from '../tools/tool-error.js';
import {
  UserAuthorizationError,
  type UserCredential,
  type UserCredentials,
} from '../tools/user-credentials.js';
import type { ConnectionSecret } from './connection-secret.js';
import type { ConnectionScope, ConnectionStore, UnsealedConnection } from './connection-store.js';
import { OAuthFailure, type OAuthClient, type OAuthProvider } from './oauth/oauth-client.js';
import type { OAuthProviderResolver } from './oauth/oauth-provider-resolver.js';

/** Refresh this long before the provider's expiry, so a token never expires mid-call. */
const REFRESH_AHEAD_MS = 60_000;
/** How long one refresher may hold the credential before another may take over. */
const REFRESH_LOCK_MS = 30_000;
const REFRESH_POLL_MS = 100;

/**
 * End-user credentials for tool calls. OAuth tokens are refreshed ahead of expiry or after a
 * 401, single-flight: one refresh per credential at a time across tasks (in this process) and
 * across processes (a lock column plus compare-and-swap on the credential's version), so a
 * rotating refresh token is used exactly once.
 */
export function createUserCredentialService(options: {
  connections: ConnectionStore;
  resolveProvider: OAuthProviderResolver;
  oauth: OAuthClient;
  clock: Clock;
}): UserCredentials {
  const { connections, clock } = options;
  const inFlight = new Map<string, Promise<UnsealedConnection>>();

  function toCredential(connection: UnsealedConnection): UserCredential {
    const { secret, row } = connection;
    return { connectionId: row.id, kind: secret.kind, ...headersOf(secret) };
  }

  async function provider(scope: ConnectionScope, toolkit: string): Promise<OAuthProvider> {
    const resolution = await options.resolveProvider(scope, toolkit);
    if (resolution.kind === 'provider') return resolution.provider;
    throw new UserAuthorizationError(
      'not_configured',
      toolkit,
      resolution.kind === 'not_configured'
        ? resolution.message
        : `The ${toolkit} toolkit has no OAuth configuration to refresh the user's token with.`,
    );
  }

  function refresh(
    scope: ConnectionScope,
    connection: UnsealedConnection,
  ): Promise<UnsealedConnection> {
    const key = connection.row.id;
    const running = inFlight.get(key);
    if (running !== undefined) return running;
    const work = refreshAcrossProcesses(scope, connection).finally(() => inFlight.delete(key));
    inFlight.set(key, work);
    return work;
  }

  async function refreshAcrossProcesses(
    scope: ConnectionScope,
    start: UnsealedConnection,
  ): Promise<UnsealedConnection> {
    const toolkit = start.row.toolkit;
    const expired = (message: string) =>
      new UserAuthorizationError('token_expired', toolkit, message);
    let current = start;
    for (;;) {
      if (current.secret.kind !== 'oauth2' || current.secret.refresh_token === undefined) {
        throw expired(`The user's ${toolkit} token has expired and there is no refresh token.`);
      }
      if (await connections.tryLockRefresh(current.row, REFRESH_LOCK_MS)) {
        let tokens;
        try {
          tokens = await options.oauth.refresh(
            await provider(scope, toolkit),
            current.secret.refresh_token,
          );
        } catch (error) {
          if (!(error instanceof OAuthFailure)) {
            await connections.releaseRefreshLock(current.row);
            throw error;
          }
          if (error.kind === 'unreachable') {
            await connections.releaseRefreshLock(current.row);
            throw new ToolError({
              code: 'auth_provider_unreachable',
              message: `${error.message} The user's ${toolkit} token could not be refreshed yet.`,
              retryable: true,
            });
          }
          // The grant is dead (revoked, or a rotated refresh token replayed): the next task
          // asks the user to authorize again instead of failing on it.
          if (error.kind === 'invalid_grant') await connections.markRevoked(current.row);
          else await connections.releaseRefreshLock(current.row);
          throw expired(error.message);
        }
        const secret: ConnectionSecret = {
          kind: 'oauth2',
          access_token: tokens.accessToken,
          token_type: tokens.tokenType,
          ...(tokens.refreshToken === undefined ? {} : { refresh_token: tokens.refreshToken }),
        };
        await connections.storeRefreshed(current.row, secret, {
          scopes: tokens.scopes,
          expiresAt: tokens.expiresAt,
        });
        const stored = await connections.reload(current.row.id);
        if (stored === undefined) throw expired(`The user's ${toolkit} connection was removed.`);
        return stored;
      }
      // Someone else is refreshing this credential: wait for their result.
      await delay(REFRESH_POLL_MS);
      const latest = await connections.reload(current.row.id);
      if (latest === undefined) throw expired(`The user's ${toolkit} connection was removed.`);
      if (latest.row.version !== current.row.version && !isExpiring(latest)) return latest;
      current = latest;
    }
  }

  function isExpiring(connection: UnsealedConnection): boolean {
    const expiresAt = connection.row.expires_at;
    return expiresAt !== null && expiresAt - REFRESH_AHEAD_MS <= clock.now();
  }

  return {
    async lookup(scope, userId, toolkit) {
      const resolution = await options.resolveProvider(scope, toolkit);
      // Declared OAuth without a configured client: the call goes out as it is (many APIs
      // answer some calls anonymously), and a 401 says how to set sign-in up.
      const none =
        resolution.kind === 'not_configured'
          ? { kind: 'none' as const, hint: resolution.message }
          : { kind: 'none' as const };
      if (userId === null) {
        return resolution.kind === 'provider'
          ? { kind: 'authorization_required', reason: 'user_id_required' }
          : none;
      }
      let connection = await connections.findActive(scope, { userId, toolkit });
      if (connection === undefined && resolution.kind !== 'none' && scope.environment === 'test') {
        // Test keys are a sandbox: consent is granted at once, with a credential that only
        // the sandbox's simulated calls ever see.
        await connections.save(
          scope,
          { userId, toolkit },
          { kind: 'oauth2', access_token: `test_${randomBase62(24)}`, token_type: 'bearer' },
          { scopes: [], expiresAt: undefined },
        );
        connection = await connections.findActive(scope, { userId, toolkit });
      }
      if (connection === undefined) {
        return resolution.kind === 'provider'
          ? { kind: 'authorization_required', reason: 'consent' }
          : none;
      }
      if (connection.secret.kind === 'oauth2' && isExpiring(connection)) {
        connection = await refresh(scope, connection);
      }
      return { kind: 'credential', credential: toCredential(connection) };
    },

    async refreshAfterUnauthorized(scope, credential) {
      const connection = await connections.reload(credential.connectionId);
      if (connection === undefined || connection.secret.kind !== 'oauth2') {
        throw new UserAuthorizationError(
          'token_expired',
          connection?.row.toolkit ?? 'unknown',
          'The user credential was rejected and cannot be refreshed.',
        );
      }
      // Another call may have refreshed it already since this one started.
      if (connection.secret.access_token !== credential.secrets[0]) return toCredential(connection);
      return toCredential(await refresh(scope, connection));
    },
  };
}

function headersOf(secret: ConnectionSecret): { headers: [string, string][]; secrets: string[] } {
  switch (secret.kind) {
    case 'oauth2':
      return {
        headers: [['authorization', `Bearer ${secret.access_token}`]],
        secrets: [secret.access_token],
      };
    case 'api_key':
      return {
        headers: [
          [
            secret.header ?? 'authorization',
            `${secret.prefix ?? (secret.header === undefined ? 'Bearer ' : '')}${secret.api_key}`,
          ],
        ],
        secrets: [secret.api_key],
      };
    case 'basic': {
      const encoded = Buffer.from(`${secret.username}:${secret.password}`).toString('base64');
      return {
        headers: [['authorization', `Basic ${encoded}`]],
        secrets: [secret.password, encoded],
      };
    }
  }
}
