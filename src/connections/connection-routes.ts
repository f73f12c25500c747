import { toIsoSeconds } from '../clock/index.js';
import type { App } from '../http/app-types.js';
import {
  ErrorResponseSchema,
  commonErrorResponses,
  listOf,
  toPage,
} from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import type { AuthConfig } from './auth-config-store.js';
import {
  AuthConfigParamsSchema,
  AuthConfigSchema,
  ConnectionParamsSchema,
  ConnectionSchema,
  CreateConnectionBodySchema,
  DeletedConnectionSchema,
  ListConnectionsQuerySchema,
  SaveAuthConfigBodySchema,
} from './connection-schemas.js';
import type { ConnectionService } from './connection-service.js';
import { toConnectionObject } from './connection-view.js';

const tags = ['Connections'];

export function registerConnectionRoutes(
  app: App,
  connections: ConnectionService,
  redirectUri: string,
): void {
  const toAuthConfigObject = (config: AuthConfig) => ({
    toolkit: config.toolkit,
    client_id: config.clientId,
    has_client_secret: config.clientSecret !== undefined,
    scopes: config.scopes ?? null,
    authorization_url: config.authorizationUrl ?? null,
    token_url: config.tokenUrl ?? null,
    redirect_uri: redirectUri,
    created_at: toIsoSeconds(config.createdAt),
    updated_at: toIsoSeconds(config.updatedAt),
  });

  app.post(
    '/v1/connections',
    {
      schema: {
        tags,
        summary: "Store an end user's API key or basic credential for a toolkit",
        body: CreateConnectionBodySchema,
        response: { 201: ConnectionSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          toConnectionObject(await connections.create(requirePrincipal(request), request.body)),
        ),
  );

  app.get(
    '/v1/connections',
    {
      schema: {
        tags,
        summary: "List end users' connections",
        querystring: ListConnectionsQuerySchema,
        response: { 200: listOf(ConnectionSchema), ...commonErrorResponses },
      },
    },
    async (request) => {
      const { limit, offset, user_id, toolkit } = request.query;
      const rows = await connections.list(
        requirePrincipal(request),
        { userId: user_id, toolkit },
        { limit: limit + 1, offset },
      );
      const page = toPage(rows, limit);
      return { data: page.data.map(toConnectionObject), has_more: page.has_more };
    },
  );

  app.get(
    '/v1/connections/:connection_id',
    {
      schema: {
        tags,
        summary: 'Get a connection',
        params: ConnectionParamsSchema,
        response: { 200: ConnectionSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request) =>
      toConnectionObject(
        await connections.get(requirePrincipal(request), request.params.connection_id),
      ),
  );

  app.delete(
    '/v1/connections/:connection_id',
    {
      schema: {
        tags,
        summary: 'Delete a connection (the user must authorize again)',
        params: ConnectionParamsSchema,
        response: {
          200: DeletedConnectionSchema,
          ...commonErrorResponses,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      await connections.remove(requirePrincipal(request), request.params.connection_id);
      return { id: request.params.connection_id, deleted: true as const };
    },
  );

  app.post(
    '/v1/toolkits/:toolkit_id/auth_config',
    {
      schema: {
        tags,
        summary: "Configure the toolkit's OAuth client (for end-user consent)",
        params: AuthConfigParamsSchema,
        body: SaveAuthConfigBodySchema,
        response: { 200: AuthConfigSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request) => {
      const { body } = request;
      const config = await connections.saveAuthConfig(requirePrincipal(request), {
        toolkit: request.params.toolkit_id,
        clientId: body.client_id,
        clientSecret: body.client_secret,
        scopes: body.scopes,
        authorizationUrl: body.authorization_url,
        tokenUrl: body.token_url,
      });
      return toAuthConfigObject(config);
    },
  );

  app.get(
    '/v1/toolkits/:toolkit_id/auth_config',
    {
      schema: {
        tags,
        summary: "Get the toolkit's OAuth client configuration (without its secret)",
        params: AuthConfigParamsSchema,
        response: { 200: AuthConfigSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request) =>
      toAuthConfigObject(
        await connections.getAuthConfig(requirePrincipal(request), request.params.toolkit_id),
      ),
  );
}
