import { z } from 'zod';

export const TraceStepSchema = z
  .object({
    tool: z.string(),
    action: z.string(),
    status: z.enum(['running', 'complete', 'failed', 'retrying', 'skipped']),
    duration_ms: z.number().int().nullable(),
    note: z.string().optional(),
    started_at: z.string(),
    attempt: z.number().int().optional(),
    input: z.unknown().optional(),
    output: z.unknown().optional(),
    error: z.unknown().optional(),
  })
  .meta({ id: 'TraceStep' });

export const TraceSchema = z
  .object({
    task_id: z.string(),
    sub_agent: z.string(),
    status: z.string(),
    steps: z.array(TraceStepSchema),
    total_duration_ms: z.number().int(),
  })
  .meta({ id: 'Trace' });

export type TraceStep = z.infer<typeof TraceStepSchema>;
export type Trace = z.infer<typeof TraceSchema>;
