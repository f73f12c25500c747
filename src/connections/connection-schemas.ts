import { z } from 'zod';
import { PaginationQuerySchema, TimestampSchema } from '../http/common-schemas.js';

const UserIdSchema = z.string().min(1).max(256);
const ToolkitNameSchema = z.string().min(1).max(200);
const SecretSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !/[\r\n]/.test(value), 'must not contain line breaks');

export const CreateConnectionBodySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('api_key'),
    user_id: UserIdSchema,
    toolkit: ToolkitNameSchema,
    api_key: SecretSchema.meta({ description: 'Stored encrypted; never returned.' }),
    header: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name')
      .optional()
      .meta({ description: 'Header to send the key in (default: Authorization: Bearer <key>).' }),
    prefix: z.string().max(50).optional(),
  }),
  z.object({
    type: z.literal('basic'),
    user_id: UserIdSchema,
    toolkit: ToolkitNameSchema,
    username: z.string().min(1).max(512),
    password: SecretSchema.meta({ description: 'Stored encrypted; never returned.' }),
  }),
]);

export const ListConnectionsQuerySchema = PaginationQuerySchema.extend({
  user_id: UserIdSchema.optional(),
  toolkit: ToolkitNameSchema.optional().meta({ description: "The toolkit's id or name." }),
});

export const ConnectionParamsSchema = z.object({ connection_id: z.string().min(1).max(200) });

export const ConnectionSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    toolkit: z.string(),
    type: z.enum(['oauth2', 'api_key', 'basic']),
    status: z.enum(['active', 'revoked']),
    scopes: z.array(z.string()),
    expires_at: TimestampSchema.nullable(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Connection' });

export const DeletedConnectionSchema = z.object({ id: z.string(), deleted: z.literal(true) });

export const AuthConfigParamsSchema = z.object({ toolkit_id: z.string().min(1).max(200) });

const HttpUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .meta({ example: 'https://provider.example.com/oauth/authorize' });

export const SaveAuthConfigBodySchema = z.object({
  client_id: z.string().min(1).max(512),
  client_secret: SecretSchema.optional().meta({ description: 'Stored encrypted; never returned.' }),
  scopes: z.array(z.string().min(1).max(200)).max(100).optional(),
  authorization_url: HttpUrlSchema.optional(),
  token_url: HttpUrlSchema.optional(),
});

export const AuthConfigSchema = z
  .object({
    toolkit: z.string(),
    client_id: z.string(),
    has_client_secret: z.boolean(),
    scopes: z.array(z.string()).nullable(),
    authorization_url: z.string().nullable(),
    token_url: z.string().nullable(),
    redirect_uri: z.string().meta({ description: 'Register this callback URL with the provider.' }),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'AuthConfig' });

export const AuthorizeParamsSchema = z.object({ link_token: z.string().min(1).max(200) });
