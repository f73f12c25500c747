import { toIsoSeconds } from '../clock/index.js';
import { fromJson } from '../storage/index.js';
import type { WebhookAttemptRow, WebhookDeliveryRow } from './webhook-delivery-store.js';
import type { WebhookEndpointRow } from './webhook-endpoint-store.js';
import type { WebhookDeliveryObject, WebhookEndpointObject } from './webhook-schemas.js';

/** The endpoint as the API shows it; `secret` only when it was just created or rotated. */
export function toWebhookEndpointObject(
  row: WebhookEndpointRow,
  now: number,
  secret?: string,
): WebhookEndpointObject {
  const object: WebhookEndpointObject = {
    id: row.id,
    url: row.url,
    description: row.description,
    events: fromJson<WebhookEndpointObject['events']>(row.events),
    status: row.status,
    source: row.source,
    created_at: toIsoSeconds(row.created_at),
    updated_at: toIsoSeconds(row.updated_at),
  };
  if (row.status === 'disabled') {
    if (row.disabled_reason !== null) object.disabled_reason = row.disabled_reason;
    if (row.disabled_at !== null) object.disabled_at = toIsoSeconds(row.disabled_at);
  }
  if (row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now) {
    object.previous_secret_expires_at = toIsoSeconds(row.previous_secret_expires_at);
  }
  if (secret !== undefined) object.secret = secret;
  return object;
}

export function toWebhookDeliveryObject(
  row: WebhookDeliveryRow,
  attempts?: WebhookAttemptRow[],
): WebhookDeliveryObject {
  const object: WebhookDeliveryObject = {
    id: row.id,
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type as WebhookDeliveryObject['event_type'],
    task_id: row.task_id,
    status: row.status,
    attempt_count: row.attempt_count,
    created_at: toIsoSeconds(row.created_at),
  };
  if (row.next_attempt_at !== null && row.status === 'pending') {
    object.next_attempt_at = toIsoSeconds(row.next_attempt_at);
  }
  if (row.last_attempt_at !== null) object.last_attempt_at = toIsoSeconds(row.last_attempt_at);
  if (row.last_response_status !== null) object.last_response_status = row.last_response_status;
  if (row.last_error !== null) object.last_error = row.last_error;
  if (row.delivered_at !== null) object.delivered_at = toIsoSeconds(row.delivered_at);
  if (row.coalesced_into !== null && row.status === 'coalesced') {
    object.coalesced_into = row.coalesced_into;
  }
  if (attempts !== undefined) {
    object.attempts = attempts.map((attempt) => ({
      attempt: attempt.attempt,
      trigger: attempt.trigger,
      attempted_at: toIsoSeconds(attempt.attempted_at),
      duration_ms: attempt.duration_ms,
      response_status: attempt.response_status,
      error: attempt.error,
      response_body: attempt.response_body,
    }));
  }
  return object;
}
