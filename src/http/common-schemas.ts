import { z } from 'zod';

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      param: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const PaginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export const TimestampSchema = z.string().meta({ example: '2025-06-15T10:00:00Z' });

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), has_more: z.boolean() });
}

/** The error responses every authenticated route can give. */
export const commonErrorResponses = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  429: ErrorResponseSchema,
} as const;

/** The error responses a public route (no API key, e.g. the OAuth callback) can give. */
export const publicErrorResponses = {
  400: ErrorResponseSchema,
} as const;

/** Slices one extra row to answer `has_more` exactly without a count query. */
export function toPage<T>(rows: T[], limit: number): { data: T[]; has_more: boolean } {
  return { data: rows.slice(0, limit), has_more: rows.length > limit };
}
