import type { FastifySchema } from 'fastify';
import type { z } from 'zod';
import type { Principal } from '../api-keys/index.js';
import type { App } from './app-types.js';
import { requirePrincipal } from './require-principal.js';

export interface HotGetRoute<Params extends z.ZodType, Query extends z.ZodType> {
  url: string;
  schema: Omit<FastifySchema, 'params' | 'querystring'> & { params?: Params; querystring?: Query };
  /** The 200 body; errors (AppError) answer as on any route. */
  read(
    principal: Principal,
    input: { params: z.output<Params>; query: z.output<Query> },
  ): Promise<unknown>;
}

/**
 * Registers a GET route with Fastify and with the hot-read path in front of it, from one
 * definition: both answer with the same schemas and the same `read`.
 */
export function registerHotGet<
  Params extends z.ZodType = z.ZodType<undefined>,
  Query extends z.ZodType = z.ZodType<undefined>,
>(app: App, route: HotGetRoute<Params, Query>): void {
  app.get(route.url, { schema: route.schema }, (request) =>
    route.read(requirePrincipal(request), {
      params: request.params as z.output<Params>,
      query: request.query as z.output<Query>,
    }),
  );
  app.hotReads.add({
    url: route.url,
    params: route.schema.params,
    querystring: route.schema.querystring,
    read: (principal, params, query) =>
      route.read(principal, {
        params: params as z.output<Params>,
        query: query as z.output<Query>,
      }),
  });
}
