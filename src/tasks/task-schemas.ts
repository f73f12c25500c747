import { z } from 'zod';
import { PaginationQuerySchema, TimestampSchema } from '../http/common-schemas.js';

export const TASK_PROMPT_MAX_LENGTH = 10_000;
const METADATA_MAX_BYTES = 16_384;

export const TaskStatusSchema = z.enum([
  'pending',
  'running',
  'waiting',
  'complete',
  'failed',
  'cancelled',
]);

export const MetadataSchema = z
  .record(z.string(), z.unknown())
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= METADATA_MAX_BYTES, {
    message: `must serialize to at most ${METADATA_MAX_BYTES} bytes of JSON`,
  });

export const CreateTaskBodySchema = z.object({
  prompt: z.string().trim().min(1).max(TASK_PROMPT_MAX_LENGTH),
  sub_agent: z.string().min(1).max(200).meta({ example: 'crm-agent' }),
  user_id: z.string().min(1).max(256).nullable().optional(),
  metadata: MetadataSchema.optional(),
  mode: z.enum(['live', 'test']).optional(),
});

export const TaskParamsSchema = z.object({ task_id: z.string().min(1).max(200) });

export const ListTasksQuerySchema = PaginationQuerySchema.extend({
  status: TaskStatusSchema.optional(),
  sub_agent: z.string().min(1).max(200).optional(),
  user_id: z.string().min(1).max(256).optional(),
});

export const TaskErrorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    tool: z.string().optional(),
    recoverable: z.boolean(),
    suggestion: z.string().optional(),
  })
  .meta({ id: 'TaskError' });

export const WaitingForSchema = z.union([
  z.object({ type: z.literal('authorization'), service: z.string(), auth_url: z.string() }),
  z.object({ type: z.literal('input'), question: z.string() }),
]);

export const UsageSchema = z.object({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  total_tokens: z.number().int(),
  model_calls: z.number().int(),
});

export const TaskSchema = z
  .object({
    id: z.string().meta({ example: 'task_8xK2mP' }),
    status: TaskStatusSchema,
    sub_agent: z.string(),
    user_id: z.string().nullable(),
    mode: z.enum(['live', 'test']),
    prompt: z.string().optional(),
    created_at: TimestampSchema,
    started_at: TimestampSchema.optional(),
    completed_at: TimestampSchema.optional(),
    failed_at: TimestampSchema.optional(),
    cancelled_at: TimestampSchema.optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    error: TaskErrorSchema.optional(),
    waiting_for: WaitingForSchema.optional(),
    usage: UsageSchema.optional(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Task' });

export const CancelledTaskSchema = z.object({
  id: z.string(),
  status: z.literal('cancelled'),
  cancelled_at: TimestampSchema,
});

export type TaskObject = z.infer<typeof TaskSchema>;
export type TaskError = z.infer<typeof TaskErrorSchema>;
export type WaitingFor = z.infer<typeof WaitingForSchema>;
export type Usage = z.infer<typeof UsageSchema>;

export const TASK_ANSWER_MAX_CHARS = 20_000;

/** The end user's answer to an `ask_user` question: any JSON value except null. */
export const TaskInputBodySchema = z.object({
  answer: z
    .union([
      z.string().max(TASK_ANSWER_MAX_CHARS),
      z.number(),
      z.boolean(),
      z.array(z.unknown()),
      z.record(z.string(), z.unknown()),
    ])
    .meta({ example: 'Only the contacts created this year' }),
});
