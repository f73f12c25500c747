import { toIsoSeconds } from '../clock/index.js';
import type { App } from '../http/app-types.js';
import {
  ErrorResponseSchema,
  PaginationQuerySchema,
  commonErrorResponses,
  listOf,
  toPage,
} from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import {
  DEFAULT_GRACE_PERIOD_SECONDS,
  CreateWebhookEndpointBodySchema,
  DeletedWebhookEndpointSchema,
  ListWebhookDeliveriesQuerySchema,
  RotateWebhookSecretBodySchema,
  UpdateWebhookEndpointBodySchema,
  WebhookDeliveryParamsSchema,
  WebhookDeliverySchema,
  WebhookEndpointParamsSchema,
  WebhookEndpointSchema,
} from './webhook-schemas.js';
import type { WebhookEndpointService } from './webhook-endpoint-service.js';
import { toWebhookDeliveryObject, toWebhookEndpointObject } from './webhook-view.js';

const tags = ['Webhooks'];

export function registerWebhookRoutes(app: App, webhooks: WebhookEndpointService): void {
  app.post(
    '/v1/webhook_endpoints',
    {
      schema: {
        tags,
        summary: 'Create a webhook endpoint (the answer carries its signing secret, once)',
        body: CreateWebhookEndpointBodySchema,
        response: { 201: WebhookEndpointSchema, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const { row, secret } = await webhooks.create(requirePrincipal(request), request.body);
      return reply.status(201).send(toWebhookEndpointObject(row, webhooks.now(), secret));
    },
  );

  app.get(
    '/v1/webhook_endpoints',
    {
      schema: {
        tags,
        summary: 'List webhook endpoints',
        querystring: PaginationQuerySchema,
        response: { 200: listOf(WebhookEndpointSchema), ...commonErrorResponses },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const rows = await webhooks.list(requirePrincipal(request), limit + 1, offset);
      const page = toPage(rows, limit);
      const now = webhooks.now();
      return {
        data: page.data.map((row) => toWebhookEndpointObject(row, now)),
        has_more: page.has_more,
      };
    },
  );

  app.get(
    '/v1/webhook_endpoints/:endpoint_id',
    {
      schema: {
        tags,
        summary: 'Get a webhook endpoint',
        params: WebhookEndpointParamsSchema,
        response: { 200: WebhookEndpointSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request) =>
      toWebhookEndpointObject(
        await webhooks.get(requirePrincipal(request), request.params.endpoint_id),
        webhooks.now(),
      ),
  );

  app.patch(
    '/v1/webhook_endpoints/:endpoint_id',
    {
      schema: {
        tags,
        summary: "Update a webhook endpoint's URL, events, description or status",
        params: WebhookEndpointParamsSchema,
        body: UpdateWebhookEndpointBodySchema,
        response: {
          200: WebhookEndpointSchema,
          ...commonErrorResponses,
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) =>
      toWebhookEndpointObject(
        await webhooks.update(requirePrincipal(request), request.params.endpoint_id, request.body),
        webhooks.now(),
      ),
  );

  app.delete(
    '/v1/webhook_endpoints/:endpoint_id',
    {
      schema: {
        tags,
        summary: 'Delete a webhook endpoint and its delivery log',
        params: WebhookEndpointParamsSchema,
        response: {
          200: DeletedWebhookEndpointSchema,
          ...commonErrorResponses,
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const { id, deletedAt } = await webhooks.remove(
        requirePrincipal(request),
        request.params.endpoint_id,
      );
      return { id, status: 'deleted' as const, deleted_at: toIsoSeconds(deletedAt) };
    },
  );

  app.post(
    '/v1/webhook_endpoints/:endpoint_id/rotate_secret',
    {
      schema: {
        tags,
        summary:
          'Rotate the signing secret (the answer carries the new one, once; the old one keeps signing during the grace period)',
        params: WebhookEndpointParamsSchema,
        body: RotateWebhookSecretBodySchema,
        response: {
          200: WebhookEndpointSchema,
          ...commonErrorResponses,
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const { row, secret } = await webhooks.rotateSecret(
        requirePrincipal(request),
        request.params.endpoint_id,
        request.body?.grace_period_seconds ?? DEFAULT_GRACE_PERIOD_SECONDS,
      );
      return toWebhookEndpointObject(row, webhooks.now(), secret);
    },
  );

  app.get(
    '/v1/webhook_endpoints/:endpoint_id/deliveries',
    {
      schema: {
        tags,
        summary: "List an endpoint's deliveries, newest event first",
        params: WebhookEndpointParamsSchema,
        querystring: ListWebhookDeliveriesQuerySchema,
        response: {
          200: listOf(WebhookDeliverySchema),
          ...commonErrorResponses,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const { limit, offset, status, event_type } = request.query;
      const rows = await webhooks.listDeliveries(
        requirePrincipal(request),
        request.params.endpoint_id,
        { status, eventType: event_type },
        limit + 1,
        offset,
      );
      const page = toPage(rows, limit);
      return {
        data: page.data.map((row) => toWebhookDeliveryObject(row)),
        has_more: page.has_more,
      };
    },
  );

  app.get(
    '/v1/webhook_endpoints/:endpoint_id/deliveries/:delivery_id',
    {
      schema: {
        tags,
        summary: 'Get a delivery with every attempt',
        params: WebhookDeliveryParamsSchema,
        response: {
          200: WebhookDeliverySchema,
          ...commonErrorResponses,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const { row, attempts } = await webhooks.getDelivery(
        requirePrincipal(request),
        request.params.endpoint_id,
        request.params.delivery_id,
      );
      return toWebhookDeliveryObject(row, attempts);
    },
  );

  app.post(
    '/v1/webhook_endpoints/:endpoint_id/deliveries/:delivery_id/redeliver',
    {
      schema: {
        tags,
        summary:
          'Send a delivery again now (same event id and body; one attempt, or the rest of its schedule if still pending)',
        params: WebhookDeliveryParamsSchema,
        response: {
          202: WebhookDeliverySchema,
          ...commonErrorResponses,
          404: ErrorResponseSchema,
          409: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const row = await webhooks.redeliver(
        requirePrincipal(request),
        request.params.endpoint_id,
        request.params.delivery_id,
      );
      return reply.status(202).send(toWebhookDeliveryObject(row));
    },
  );
}
