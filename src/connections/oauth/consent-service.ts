import type { Clock } from '../../clock/index.js';
import { newId, randomBase62 } from '../../ids/index.js';
import type { ConnectionScope, ConnectionStore } from '../connection-store.js';
import { OAuthFailure, type OAuthClient } from './oauth-client.js';
import type { OAuthProviderResolver } from './oauth-provider-resolver.js';
import type { OAuthSessionStore } from './oauth-session-store.js';

const LINK_TTL_MS = 60 * 60 * 1000;

/** What happened to a consent flow, for the task that waits on it. */
export type ConsentOutcome =
  | { kind: 'authorized'; taskId: string | null; toolkit: string }
  | { kind: 'denied' | 'failed'; taskId: string | null; toolkit: string; message: string };

export type LinkResult = { kind: 'redirect'; location: string } | { kind: 'gone'; message: string };

/**
 * The consent flow: a single-use, expiring Cadre link (`auth_url`) that redirects to the
 * provider with PKCE and `state`, and the callback that exchanges the code, stores the tokens
 * and reports the outcome so the waiting task resumes (or fails) on its own.
 */
export function createConsentService(options: {
  sessions: OAuthSessionStore;
  connections: ConnectionStore;
  resolveProvider: OAuthProviderResolver;
  oauth: OAuthClient;
  clock: Clock;
  publicUrl: string;
  onOutcome: (outcome: ConsentOutcome) => Promise<void>;
}) {
  const { sessions, clock } = options;
  const redirectUri = `${options.publicUrl}/v1/oauth/callback`;

  return {
    redirectUri,

    /** A new consent link for a user and toolkit (and the task that will resume). */
    async start(
      scope: ConnectionScope,
      request: { taskId: string | null; userId: string; toolkit: string },
    ): Promise<{ authUrl: string; expiresAt: number }> {
      const linkToken = randomBase62(32);
      await sessions.create(scope, {
        id: newId('oas', 24),
        linkToken,
        taskId: request.taskId,
        userId: request.userId,
        toolkit: request.toolkit,
        codeVerifier: options.oauth.newCodeVerifier(),
        ttlMs: LINK_TTL_MS,
      });
      return {
        authUrl: `${options.publicUrl}/v1/oauth/authorize/${linkToken}`,
        expiresAt: clock.now() + LINK_TTL_MS,
      };
    },

    /** The user opened `auth_url`: send them to the provider, once. */
    async openLink(linkToken: string): Promise<LinkResult> {
      const session = await sessions.findByLinkToken(linkToken);
      if (session === undefined)
        return { kind: 'gone', message: 'This authorization link is not valid.' };
      if (session.expires_at < clock.now()) {
        return { kind: 'gone', message: 'This authorization link has expired. Ask for a new one.' };
      }
      const scope = { projectId: session.project_id, environment: session.environment };
      const resolution = await options.resolveProvider(scope, session.toolkit);
      if (resolution.kind !== 'provider') {
        return { kind: 'gone', message: 'This service is no longer set up for sign-in.' };
      }
      if (!(await sessions.markRedirected(session.id))) {
        return { kind: 'gone', message: 'This authorization link was already used.' };
      }
      const location = await options.oauth.authorizationUrl(resolution.provider, {
        redirectUri,
        state: session.id,
        codeVerifier: sessions.codeVerifierOf(session),
      });
      return { kind: 'redirect', location: location.toString() };
    },

    /** The provider sent the user back. */
    async completeCallback(callbackUrl: URL): Promise<ConsentOutcome | undefined> {
      const state = callbackUrl.searchParams.get('state');
      const session = state === null ? undefined : await sessions.findById(state);
      if (session?.status !== 'redirected') return undefined;
      // Claim the session first: a second callback for the same state (a reload, a replay)
      // must not exchange the code again or report a second outcome.
      if (!(await sessions.markCompleted(session.id))) return undefined;
      const scope = { projectId: session.project_id, environment: session.environment };
      const base = { taskId: session.task_id, toolkit: session.toolkit };
      let outcome: ConsentOutcome;
      const resolution = await options.resolveProvider(scope, session.toolkit);
      if (resolution.kind !== 'provider') {
        outcome = {
          ...base,
          kind: 'failed',
          message: 'The service is no longer set up for sign-in.',
        };
      } else {
        try {
          const tokens = await options.oauth.exchangeCode(resolution.provider, {
            callbackUrl,
            state: session.id,
            codeVerifier: sessions.codeVerifierOf(session),
            redirectUri,
          });
          await options.connections.save(
            scope,
            { userId: session.user_id, toolkit: session.toolkit },
            {
              kind: 'oauth2',
              access_token: tokens.accessToken,
              token_type: tokens.tokenType,
              ...(tokens.refreshToken === undefined ? {} : { refresh_token: tokens.refreshToken }),
            },
            { scopes: tokens.scopes, expiresAt: tokens.expiresAt },
          );
          outcome = { ...base, kind: 'authorized' };
        } catch (error) {
          if (!(error instanceof OAuthFailure)) throw error;
          outcome = {
            ...base,
            kind: error.kind === 'access_denied' ? 'denied' : 'failed',
            message: error.message,
          };
        }
      }
      if (outcome.kind !== 'authorized') await sessions.markFailed(session.id, outcome.message);
      await options.onOutcome(outcome);
      return outcome;
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
