import { z } from 'zod';
import { PaginationQuerySchema, TimestampSchema } from '../http/common-schemas.js';

export const PROMPT_MAX_LENGTH = 10_000;

export const SubagentNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const DeploySubagentBodySchema = z.object({
  name: SubagentNameSchema.meta({ example: 'crm-agent' }),
  prompt: z.string().trim().min(1).max(PROMPT_MAX_LENGTH),
});

export const UpdateSubagentBodySchema = z.object({
  prompt: z.string().trim().min(1).max(PROMPT_MAX_LENGTH),
});

export const SubagentParamsSchema = z.object({ subagent_id: z.string().min(1).max(200) });

export const ListSubagentsQuerySchema = PaginationQuerySchema.extend({
  type: z.enum(['custom', 'prebuilt']).optional(),
});

export const SelectedToolSchema = z
  .object({
    name: z.string(),
    toolkit: z.string(),
    action: z.string(),
    score: z.number(),
    matched: z.array(z.string()),
  })
  .meta({ id: 'SelectedTool' });

export const SubagentSchema = z
  .object({
    id: z.string(),
    type: z.enum(['custom', 'prebuilt']),
    prompt: z.string().optional(),
    tools_available: z.number().int(),
    tools: z.array(z.string()).optional(),
    status: z.enum(['deployed', 'deleted']),
    warnings: z.array(z.string()).optional(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Subagent' });

export const DeletedSubagentSchema = z.object({
  id: z.string(),
  status: z.literal('deleted'),
  deleted_at: TimestampSchema,
});

export type SubagentObject = z.infer<typeof SubagentSchema>;
