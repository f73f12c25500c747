import type { Principal } from '../api-keys/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every authenticated route. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Routes that answer without an API key (health, OpenAPI document). */
    isPublic?: boolean;
  }
}
