/**
 * The closed table of API error codes and the HTTP status each one answers with.
 * Adding a code without a status does not compile.
 */
export const errorStatus = {
  invalid_request: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  prebuilt_subagent_readonly: 403,
  builtin_toolkit_readonly: 403,
  route_not_found: 404,
  subagent_not_found: 404,
  task_not_found: 404,
  toolkit_not_found: 404,
  webhook_endpoint_not_found: 404,
  webhook_delivery_not_found: 404,
  webhook_endpoint_readonly: 403,
  webhook_endpoint_disabled: 409,
  webhook_delivery_in_progress: 409,
  connection_not_found: 404,
  auth_config_not_found: 404,
  subagent_exists: 409,
  toolkit_exists: 409,
  task_already_complete: 409,
  task_not_waiting: 409,
  idempotency_key_in_use: 409,
  authorization_link_gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  prompt_too_long: 422,
  idempotency_key_reused: 422,
  invalid_toolkit: 422,
  rate_limit_exceeded: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;
