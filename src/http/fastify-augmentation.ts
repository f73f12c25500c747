import type { Principal } from '../api-keys/index.js';
import type { HotReads } from './hot-reads.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The GET routes also answered before Fastify (see `registerHotGet`). */
    hotReads: HotReads;
  }
  interface FastifyRequest {
    /** Set by the auth hook on every authenticated route. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Routes that answer without an API key (health, OpenAPI document). */
    isPublic?: boolean;
  }
}
