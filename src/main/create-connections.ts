import type { Logger } from 'pino';
import type { AuthorizationLinks } from '../agent/authorization-links.js';
import type { WaitingTasks } from '../agent/waiting-tasks.js';
import { DIRECTORY_ID_PREFIX } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import {
  createAuthConfigStore,
  createConnectionService,
  createConnectionStore,
  createConsentService,
  createOAuthClient,
  createOAuthProviderResolver,
  createOAuthSessionStore,
  createUserCredentialService,
  declaredOAuthScheme,
  registerConnectionRoutes,
  registerOAuthRoutes,
  type ConsentOutcome,
  type ConnectionScope,
} from '../connections/index.js';
import { isAppError } from '../errors/index.js';
import type { App } from '../http/app-types.js';
import { createGuardedFetch, createHostAllowlist } from '../outbound/index.js';
import type { SecretBox } from '../secrets/index.js';
import type { Database } from '../storage/index.js';
import type { ToolkitService, ToolkitStore } from '../toolkits/index.js';
import type { DirectorySource } from '../tools/index.js';
import type { UserCredentials } from '../tools/user-credentials.js';

/** End-user connections, wired: credentials for tools, consent links, and their routes. */
export interface Connections {
  credentials: UserCredentials;
  authorizations: AuthorizationLinks;
  registerRoutes(app: App, toolkits: ToolkitService): void;
}

export function createConnections(options: {
  database: Database;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  dangerouslyAllowPrivateHosts: string[];
  toolkitStore: ToolkitStore;
  directory: DirectorySource;
  waitingTasks: WaitingTasks;
}): Connections {
  const { database, secretBox, clock } = options;
  const connections = createConnectionStore({ database, secretBox, clock });
  const authConfigs = createAuthConfigStore({ database, secretBox, clock });
  const privateHosts = createHostAllowlist(options.dangerouslyAllowPrivateHosts);
  const oauth = createOAuthClient({
    fetch: createGuardedFetch({
      dangerouslyAllowPrivateHosts: options.dangerouslyAllowPrivateHosts,
    }),
    clock,
    // Plain HTTP only to a provider the operator runs on a private network (tests, dev).
    isPlainHttpAllowed: (url) =>
      privateHosts.allows(url.hostname, Number(url.port || (url.protocol === 'https:' ? 443 : 80))),
  });

  /** The OAuth scheme a toolkit declares, unless the operator gave it its own credential. */
  async function declaredSchemes(scope: ConnectionScope, toolkit: string) {
    const registered = await options.toolkitStore.readAuthSettings(scope, toolkit);
    if (registered !== undefined) {
      return registered.auth.type === 'none'
        ? declaredOAuthScheme(registered.authSchemes)
        : undefined;
    }
    const directory = options.directory.current();
    const index = directory?.findToolkit(toolkit);
    if (directory === undefined || index === undefined) return undefined;
    return declaredOAuthScheme(directory.authSchemes(index));
  }

  const resolveProvider = createOAuthProviderResolver({ authConfigs, declaredSchemes });
  const onOutcome = async (outcome: ConsentOutcome): Promise<void> => {
    if (outcome.taskId === null) return;
    if (outcome.kind === 'authorized') {
      await options.waitingTasks.resumeAfterConsent(outcome.taskId, outcome.toolkit);
      return;
    }
    const denied = outcome.kind === 'denied';
    await options.waitingTasks.fail(outcome.taskId, {
      code: denied ? 'authorization_denied' : 'authorization_failed',
      message: denied
        ? `The user denied access to ${outcome.toolkit}.`
        : `Connecting the user's ${outcome.toolkit} account failed: ${outcome.message}`,
      tool: outcome.toolkit,
      recoverable: true,
      suggestion: denied
        ? 'Ask the user to approve access, then run the task again.'
        : 'Check the OAuth client configuration (POST /v1/toolkits/:id/auth_config), then run the task again.',
    });
  };
  const consent = createConsentService({
    sessions: createOAuthSessionStore({ database, secretBox, clock }),
    connections,
    resolveProvider,
    oauth,
    clock,
    publicUrl: options.publicUrl,
    onOutcome: (outcome) =>
      onOutcome(outcome).catch((error: unknown) => {
        options.logger.error(
          { err: error, taskId: outcome.taskId },
          'resuming after consent failed',
        );
      }),
  });

  return {
    credentials: createUserCredentialService({ connections, resolveProvider, oauth, clock }),
    authorizations: {
      start: (scope, request) => consent.start(scope, request),
    },
    registerRoutes(app, toolkits) {
      const findToolkitName = async (scope: ConnectionScope, idOrName: string) => {
        try {
          return (await toolkits.get(scope, idOrName)).toolkit.name;
        } catch (error) {
          if (!isAppError(error) || error.code !== 'toolkit_not_found') throw error;
        }
        const name = idOrName.startsWith(DIRECTORY_ID_PREFIX)
          ? idOrName.slice(DIRECTORY_ID_PREFIX.length)
          : idOrName;
        return options.directory.current()?.findToolkit(name) === undefined ? undefined : name;
      };
      registerConnectionRoutes(
        app,
        createConnectionService({ connections, authConfigs, findToolkitName }),
        consent.redirectUri,
      );
      registerOAuthRoutes(app, consent);
    },
  };
}
