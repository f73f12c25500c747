import type { Clock } from '../clock/index.js';
import { AppError } from '../errors/index.js';
import { DEFAULT_WEBHOOK_EVENT_TYPES } from '../events/index.js';
import {
  assertHostPermitted,
  effectivePort,
  isOutboundBlockedError,
  type HostAllowlist,
} from '../outbound/index.js';
import type { SecretBox } from '../secrets/index.js';
import { newSortableId, toJson } from '../storage/index.js';
import type {
  DeliveryFilter,
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookDeliveryStore,
} from './webhook-delivery-store.js';
import type {
  WebhookEndpointRow,
  WebhookEndpointStore,
  WebhookScope,
} from './webhook-endpoint-store.js';
import type { CreateWebhookEndpointBody, UpdateWebhookEndpointBody } from './webhook-schemas.js';
import { generateWebhookSecret } from './webhook-secret.js';

export interface WebhookEndpointService {
  create(
    scope: WebhookScope,
    input: CreateWebhookEndpointBody,
  ): Promise<{ row: WebhookEndpointRow; secret: string }>;
  list(scope: WebhookScope, limit: number, offset: number): Promise<WebhookEndpointRow[]>;
  get(scope: WebhookScope, id: string): Promise<WebhookEndpointRow>;
  update(
    scope: WebhookScope,
    id: string,
    input: UpdateWebhookEndpointBody,
  ): Promise<WebhookEndpointRow>;
  remove(scope: WebhookScope, id: string): Promise<{ id: string; deletedAt: number }>;
  rotateSecret(
    scope: WebhookScope,
    id: string,
    gracePeriodSeconds: number,
  ): Promise<{ row: WebhookEndpointRow; secret: string }>;
  listDeliveries(
    scope: WebhookScope,
    endpointId: string,
    filter: DeliveryFilter,
    limit: number,
    offset: number,
  ): Promise<WebhookDeliveryRow[]>;
  getDelivery(
    scope: WebhookScope,
    endpointId: string,
    deliveryId: string,
  ): Promise<{ row: WebhookDeliveryRow; attempts: WebhookAttemptRow[] }>;
  redeliver(
    scope: WebhookScope,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryRow>;
  /** The time the service reads, for views that compare against it. */
  now(): number;
}

/**
 * Webhook endpoints through the API: URLs must pass the outbound guard, secrets are made
 * here, sealed at rest and shown once, and the configured endpoint (CADRE_WEBHOOK_URL) is
 * read-only.
 */
export function createWebhookEndpointService(options: {
  endpoints: WebhookEndpointStore;
  deliveries: WebhookDeliveryStore;
  secretBox: SecretBox;
  allowlist: HostAllowlist;
  clock: Clock;
  /** Wakes the dispatcher after a manual redelivery. */
  onRedeliver: () => void;
}): WebhookEndpointService {
  const { endpoints, deliveries, secretBox, clock } = options;

  async function get(scope: WebhookScope, id: string): Promise<WebhookEndpointRow> {
    const row = await endpoints.get(scope, id);
    if (row === undefined) {
      throw new AppError({
        code: 'webhook_endpoint_not_found',
        message: `No webhook endpoint with id '${id}' exists. List them with GET /v1/webhook_endpoints.`,
        param: 'endpoint_id',
      });
    }
    return row;
  }

  async function getWritable(scope: WebhookScope, id: string): Promise<WebhookEndpointRow> {
    const row = await get(scope, id);
    if (row.source === 'config') {
      throw new AppError({
        code: 'webhook_endpoint_readonly',
        message:
          'This endpoint is set by CADRE_WEBHOOK_URL and CADRE_WEBHOOK_SECRET; change those and restart Cadre, or create an endpoint through the API.',
        param: 'endpoint_id',
      });
    }
    return row;
  }

  async function getDeliveryRow(
    scope: WebhookScope,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryRow> {
    await get(scope, endpointId);
    const row = await deliveries.get(scope, endpointId, deliveryId);
    if (row === undefined) {
      throw new AppError({
        code: 'webhook_delivery_not_found',
        message: `No delivery with id '${deliveryId}' exists for endpoint '${endpointId}'.`,
        param: 'delivery_id',
      });
    }
    return row;
  }

  function checkUrl(text: string): string {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalidUrl('url must be an absolute http:// or https:// URL.');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw invalidUrl(`url must use http:// or https://, not ${url.protocol}//.`);
    }
    if (url.username !== '' || url.password !== '') {
      throw invalidUrl(
        'url must not carry credentials; verify requests with the signing secret instead.',
      );
    }
    try {
      assertHostPermitted(url.hostname, effectivePort(url), options.allowlist);
    } catch (error) {
      if (isOutboundBlockedError(error)) throw invalidUrl(error.message);
      throw error;
    }
    return url.href;
  }

  function seal(secret: string): string {
    return toJson(secretBox.seal(secret));
  }

  return {
    async create(scope, input) {
      const url = checkUrl(input.url);
      const now = clock.now();
      const secret = generateWebhookSecret();
      const row: WebhookEndpointRow = {
        id: newSortableId('we'),
        project_id: scope.projectId,
        environment: scope.environment,
        url,
        description: input.description ?? null,
        events: toJson(input.events ?? DEFAULT_WEBHOOK_EVENT_TYPES),
        status: 'enabled',
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        secret: seal(secret),
        previous_secret: null,
        previous_secret_expires_at: null,
        source: 'api',
        created_at: now,
        updated_at: now,
      };
      await endpoints.insert(row);
      return { row, secret };
    },

    list: (scope, limit, offset) => endpoints.list(scope, limit, offset),

    get,

    async update(scope, id, input) {
      const row = await getWritable(scope, id);
      const now = clock.now();
      const changes: Partial<WebhookEndpointRow> = { updated_at: now };
      if (input.url !== undefined) changes.url = checkUrl(input.url);
      if (input.events !== undefined) changes.events = toJson(input.events);
      if (input.description !== undefined) changes.description = input.description;
      if (input.status === 'enabled' && row.status !== 'enabled') {
        // A fresh start: the failure streak that disabled it no longer counts.
        Object.assign(changes, {
          status: 'enabled',
          disabled_reason: null,
          disabled_at: null,
          failing_since: null,
        });
      } else if (input.status === 'disabled' && row.status !== 'disabled') {
        Object.assign(changes, {
          status: 'disabled',
          disabled_reason: 'Disabled through the API.',
          disabled_at: now,
        });
      }
      await endpoints.update(id, changes);
      return { ...row, ...changes };
    },

    async remove(scope, id) {
      await getWritable(scope, id);
      await endpoints.remove(id);
      return { id, deletedAt: clock.now() };
    },

    async rotateSecret(scope, id, gracePeriodSeconds) {
      const row = await getWritable(scope, id);
      const now = clock.now();
      const secret = generateWebhookSecret();
      const changes = {
        secret: seal(secret),
        previous_secret: gracePeriodSeconds > 0 ? row.secret : null,
        previous_secret_expires_at: gracePeriodSeconds > 0 ? now + gracePeriodSeconds * 1000 : null,
        updated_at: now,
      };
      await endpoints.update(id, changes);
      return { row: { ...row, ...changes }, secret };
    },

    async listDeliveries(scope, endpointId, filter, limit, offset) {
      await get(scope, endpointId);
      return deliveries.list(scope, endpointId, filter, limit, offset);
    },

    async getDelivery(scope, endpointId, deliveryId) {
      const row = await getDeliveryRow(scope, endpointId, deliveryId);
      return { row, attempts: await deliveries.attempts(row.id) };
    },

    async redeliver(scope, endpointId, deliveryId) {
      const endpoint = await get(scope, endpointId);
      if (endpoint.status !== 'enabled') {
        throw new AppError({
          code: 'webhook_endpoint_disabled',
          message: `Endpoint '${endpointId}' is disabled${endpoint.disabled_reason === null ? '' : ` (${endpoint.disabled_reason})`}; enable it with PATCH /v1/webhook_endpoints/${endpointId} {"status": "enabled"} first.`,
          param: 'endpoint_id',
        });
      }
      await getDeliveryRow(scope, endpointId, deliveryId);
      if (!(await deliveries.redeliver(deliveryId, clock.now()))) {
        throw new AppError({
          code: 'webhook_delivery_in_progress',
          message: `Delivery '${deliveryId}' is being sent right now; check its attempts in a moment.`,
          param: 'delivery_id',
        });
      }
      options.onRedeliver();
      return getDeliveryRow(scope, endpointId, deliveryId);
    },

    now: () => clock.now(),
  };
}

function invalidUrl(message: string): AppError {
  return new AppError({ code: 'invalid_request', message, param: 'url' });
}
