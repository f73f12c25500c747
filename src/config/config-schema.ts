import { z } from 'zod';

const integer = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const MIN_SECRET_KEY_LENGTH = 32;
const SECRET_KEY_TOO_SHORT = 'must be at least 32 characters (e.g. `openssl rand -hex 32`)';

const modelSpec = z
  .string()
  .trim()
  .regex(
    /^(openai|anthropic|openai-compatible):\S+$/,
    'expected openai:<model>, anthropic:<model> or openai-compatible:<model>',
  );

/** Every environment variable Cadre reads, parsed once at boot. */
export const EnvSchema = z.object({
  CADRE_HOST: z.string().default('127.0.0.1'),
  CADRE_PORT: integer(8080, 0, 65535),
  CADRE_DATA_DIR: z.string().default('./.cadre'),
  CADRE_DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(postgres(ql)?:\/\/|sqlite:|file:)/, 'expected postgres://… or sqlite:<path>')
      .optional(),
  ),
  CADRE_REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'expected redis://…')
      .optional(),
  ),
  CADRE_MODEL: optionalString.pipe(modelSpec.optional()),
  CADRE_MODEL_BASE_URL: optionalString.pipe(z.url().optional()),
  CADRE_MODEL_API_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  CADRE_PUBLIC_URL: optionalString.pipe(z.url().optional()),
  CADRE_SECRET_KEY: optionalString.pipe(
    z.string().min(MIN_SECRET_KEY_LENGTH, SECRET_KEY_TOO_SHORT).optional(),
  ),
  CADRE_PREVIOUS_SECRET_KEYS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== ''),
    )
    .superRefine((keys, context) => {
      // The position, never the key: configuration errors are printed.
      keys.forEach((key, index) => {
        if (key.length < MIN_SECRET_KEY_LENGTH) {
          context.addIssue({
            code: 'custom',
            message: `key ${index + 1}: ${SECRET_KEY_TOO_SHORT}`,
          });
        }
      });
    }),
  CADRE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  CADRE_RATE_LIMIT_RPS: integer(100, 0),
  CADRE_RATE_LIMIT_BURST: integer(200, 1),
  CADRE_BODY_LIMIT_BYTES: integer(1_048_576, 1024),
  CADRE_WORKER_CONCURRENCY: integer(64, 1, 100_000),
  CADRE_TASK_LEASE_MS: integer(30_000, 1_000),
  CADRE_TOOL_TIMEOUT_MS: integer(30_000, 100),
  CADRE_MAX_STEPS: integer(25, 1, 1_000),
  CADRE_TASK_DEADLINE_MS: integer(900_000, 1_000),
  CADRE_ALLOW_PRIVATE_HOSTS: z.string().default(''),
  CADRE_TOOLKIT_ENV_VARS: z.string().default(''),
  CADRE_MCP_STDIO_COMMANDS: z.string().default(''),
  CADRE_SUBAGENT_TOOL_CAP: integer(64, 1, 1_000),
  CADRE_CATALOG_DIR: optionalString,
  CADRE_DIRECTORY: z.enum(['on', 'off']).default('on'),
  CADRE_EMBEDDING_MODEL: optionalString.pipe(
    z
      .string()
      .regex(
        /^(openai|openai-compatible):\S+$/,
        'expected openai:<model> or openai-compatible:<model>',
      )
      .optional(),
  ),
  CADRE_EMBEDDING_BASE_URL: optionalString.pipe(z.url().optional()),
  CADRE_EMBEDDING_API_KEY: optionalString,
  CADRE_WEBHOOK_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  ),
  CADRE_WEBHOOK_SECRET: optionalString,
  CADRE_WEBHOOK_TIMEOUT_MS: integer(30_000, 100, 300_000),
  CADRE_WEBHOOK_RETRY_DELAYS: z.string().trim().default('1m,20m,4h,18h'),
  CADRE_WEBHOOK_DISABLE_AFTER_MS: integer(3 * 24 * 60 * 60 * 1000, 1_000),
  CADRE_WEBHOOK_CONCURRENCY: integer(32, 1, 1_000),
  CADRE_WEBHOOK_PROGRESS_INTERVAL_MS: integer(1_000, 0, 3_600_000),
});

export type Env = z.infer<typeof EnvSchema>;
