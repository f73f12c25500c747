import { z } from 'zod';
import { TASK_EVENT_TYPES } from '../events/index.js';
import { PaginationQuerySchema, TimestampSchema } from '../http/common-schemas.js';

export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_GRACE_PERIOD_SECONDS = 24 * 60 * 60;

export const WebhookEventTypeSchema = z.enum(TASK_EVENT_TYPES);

const EventsSchema = z
  .array(WebhookEventTypeSchema)
  .min(1)
  .max(TASK_EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, {
    message: 'must not name an event twice',
  });

export const CreateWebhookEndpointBodySchema = z.object({
  url: z.string().min(1).max(2048).meta({ example: 'https://example.com/ploton/webhook' }),
  events: EventsSchema.optional().meta({
    description:
      'Event types to deliver; default: task.complete, task.failed, task.progress, task.waiting and task.cancelled (task.running only when listed).',
  }),
  description: z.string().max(500).optional(),
});

export const UpdateWebhookEndpointBodySchema = z
  .object({
    url: z.string().min(1).max(2048).optional(),
    events: EventsSchema.optional(),
    description: z.string().max(500).nullable().optional(),
    status: z.enum(['enabled', 'disabled']).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'name at least one of url, events, description or status',
  });

export const RotateWebhookSecretBodySchema = z
  .object({
    grace_period_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_PERIOD_SECONDS)
      .default(DEFAULT_GRACE_PERIOD_SECONDS)
      .meta({ description: 'How long the old secret keeps signing too (default 24 h).' }),
  })
  // No body at all is fine: the default grace period applies.
  .nullish();

export const WebhookEndpointParamsSchema = z.object({ endpoint_id: z.string().min(1).max(200) });

export const WebhookDeliveryParamsSchema = WebhookEndpointParamsSchema.extend({
  delivery_id: z.string().min(1).max(200),
});

export const WebhookDeliveryStatusSchema = z.enum([
  'pending',
  'sending',
  'succeeded',
  'failed',
  'coalesced',
]);

export const ListWebhookDeliveriesQuerySchema = PaginationQuerySchema.extend({
  status: WebhookDeliveryStatusSchema.optional(),
  event_type: WebhookEventTypeSchema.optional(),
});

export const WebhookEndpointSchema = z
  .object({
    id: z.string().meta({ example: 'we_0001abcdEFGH12345678' }),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(WebhookEventTypeSchema),
    status: z.enum(['enabled', 'disabled']),
    disabled_reason: z.string().optional(),
    disabled_at: TimestampSchema.optional(),
    /** `config`: set by CADRE_WEBHOOK_URL, read-only through the API. */
    source: z.enum(['api', 'config']),
    /** Only in the answers to create and rotate: store it now, it is not shown again. */
    secret: z.string().optional(),
    previous_secret_expires_at: TimestampSchema.optional(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'WebhookEndpoint' });

export const DeletedWebhookEndpointSchema = z.object({
  id: z.string(),
  status: z.literal('deleted'),
  deleted_at: TimestampSchema,
});

export const WebhookAttemptSchema = z
  .object({
    attempt: z.number().int(),
    trigger: z.enum(['automatic', 'manual']),
    attempted_at: TimestampSchema,
    duration_ms: z.number().int(),
    response_status: z.number().int().nullable(),
    error: z.string().nullable(),
    response_body: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: WebhookEventTypeSchema,
    task_id: z.string(),
    status: WebhookDeliveryStatusSchema,
    attempt_count: z.number().int(),
    next_attempt_at: TimestampSchema.optional(),
    last_attempt_at: TimestampSchema.optional(),
    last_response_status: z.number().int().optional(),
    last_error: z.string().optional(),
    delivered_at: TimestampSchema.optional(),
    coalesced_into: z.string().optional(),
    created_at: TimestampSchema,
    /** On GET one: every attempt, oldest first. */
    attempts: z.array(WebhookAttemptSchema).optional(),
  })
  .meta({ id: 'WebhookDelivery' });

export type WebhookEndpointObject = z.infer<typeof WebhookEndpointSchema>;
export type WebhookDeliveryObject = z.infer<typeof WebhookDeliverySchema>;
export type CreateWebhookEndpointBody = z.infer<typeof CreateWebhookEndpointBodySchema>;
export type UpdateWebhookEndpointBody = z.infer<typeof UpdateWebhookEndpointBodySchema>;
