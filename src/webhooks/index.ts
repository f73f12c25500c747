export { registerWebhookRoutes } from './webhook-routes.js';
export {
  createWebhookEndpointService,
  type WebhookEndpointService,
} from './webhook-endpoint-service.js';
export {
  createWebhookEndpointStore,
  CONFIG_ENDPOINT_ID,
  type WebhookEndpointStore,
  type WebhookEndpointRow,
  type WebhookScope,
} from './webhook-endpoint-store.js';
export {
  createWebhookDeliveryStore,
  type WebhookDeliveryStore,
  type WebhookDeliveryRow,
} from './webhook-delivery-store.js';
export type { ClaimedDelivery, AttemptRecord } from './claimed-delivery.js';
export { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.js';
export { syncConfiguredEndpoint } from './sync-configured-endpoint.js';
export { signWebhook, type WebhookToSign } from './sign-webhook.js';
export { generateWebhookSecret, standardWebhooksKey } from './webhook-secret.js';
