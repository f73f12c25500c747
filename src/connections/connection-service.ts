import { AppError } from '../errors/index.js';
import type { AuthConfig, AuthConfigStore } from './auth-config-store.js';
import type { ConnectionRow, ConnectionScope, ConnectionStore } from './connection-store.js';

/**
 * A toolkit's name from its id or name (built-in, directory or registered), or undefined when
 * the scope has no such toolkit; implemented by the catalog in the composition root.
 */
export type FindToolkitName = (
  scope: ConnectionScope,
  idOrName: string,
) => Promise<string | undefined>;

export type StaticCredentialInput =
  | {
      type: 'api_key';
      user_id: string;
      toolkit: string;
      api_key: string;
      header?: string | undefined;
      prefix?: string | undefined;
    }
  | { type: 'basic'; user_id: string; toolkit: string; username: string; password: string };

/** The connections API: list, read and remove users' credentials; add API-key and basic ones. */
export function createConnectionService(options: {
  connections: ConnectionStore;
  authConfigs: AuthConfigStore;
  findToolkitName: FindToolkitName;
}) {
  const { connections, authConfigs } = options;

  async function requireToolkit(
    scope: ConnectionScope,
    idOrName: string,
    param: string,
  ): Promise<string> {
    const name = await options.findToolkitName(scope, idOrName);
    if (name === undefined) {
      throw new AppError({
        code: 'toolkit_not_found',
        message: `No toolkit '${idOrName}' exists in this project and environment. List them with GET /v1/toolkits.`,
        param,
      });
    }
    return name;
  }

  async function get(scope: ConnectionScope, id: string): Promise<ConnectionRow> {
    const row = await connections.get(scope, id);
    if (row === undefined) {
      throw new AppError({
        code: 'connection_not_found',
        message: `No connection with id '${id}' exists.`,
        param: 'connection_id',
      });
    }
    return row;
  }

  return {
    async create(scope: ConnectionScope, input: StaticCredentialInput): Promise<ConnectionRow> {
      const toolkit = await requireToolkit(scope, input.toolkit, 'toolkit');
      const owner = { userId: input.user_id, toolkit };
      const details = { scopes: [], expiresAt: undefined };
      return input.type === 'api_key'
        ? connections.save(
            scope,
            owner,
            {
              kind: 'api_key',
              api_key: input.api_key,
              ...(input.header === undefined ? {} : { header: input.header }),
              ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
            },
            details,
          )
        : connections.save(
            scope,
            owner,
            { kind: 'basic', username: input.username, password: input.password },
            details,
          );
    },

    /** One page; `toolkit` filters by the toolkit's id or name (an unknown one matches nothing). */
    async list(
      scope: ConnectionScope,
      filter: { userId?: string | undefined; toolkit?: string | undefined },
      page: { limit: number; offset: number },
    ): Promise<ConnectionRow[]> {
      const toolkit =
        filter.toolkit === undefined
          ? undefined
          : ((await options.findToolkitName(scope, filter.toolkit)) ?? filter.toolkit);
      return connections.list(scope, { userId: filter.userId, toolkit }, page);
    },

    get,

    async remove(scope: ConnectionScope, id: string): Promise<void> {
      await get(scope, id);
      await connections.remove(scope, id);
    },

    async saveAuthConfig(
      scope: ConnectionScope,
      config: Omit<AuthConfig, 'createdAt' | 'updatedAt'>,
    ): Promise<AuthConfig> {
      const toolkit = await requireToolkit(scope, config.toolkit, 'toolkit_id');
      return authConfigs.save(scope, { ...config, toolkit });
    },

    async getAuthConfig(scope: ConnectionScope, idOrName: string): Promise<AuthConfig> {
      const toolkit = await requireToolkit(scope, idOrName, 'toolkit_id');
      const config = await authConfigs.find(scope, toolkit);
      if (config === undefined) {
        throw new AppError({
          code: 'auth_config_not_found',
          message: `No OAuth client is configured for '${toolkit}'. Set one with POST /v1/toolkits/${toolkit}/auth_config.`,
          param: 'toolkit_id',
        });
      }
      return config;
    },
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
