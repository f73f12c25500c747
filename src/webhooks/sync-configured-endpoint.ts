import type { Clock } from '../clock/index.js';
import { DEFAULT_WEBHOOK_EVENT_TYPES } from '../events/index.js';
import {
  assertHostPermitted,
  effectivePort,
  isOutboundBlockedError,
  type HostAllowlist,
} from '../outbound/index.js';
import type { SealedSecret, SecretBox } from '../secrets/index.js';
import { fromJson, toJson } from '../storage/index.js';
import { CONFIG_ENDPOINT_ID, type WebhookEndpointStore } from './webhook-endpoint-store.js';

/** When CADRE_WEBHOOK_SECRET changes, the old secret keeps signing this long. */
const SECRET_CHANGE_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Makes the stored configured endpoint match CADRE_WEBHOOK_URL / CADRE_WEBHOOK_SECRET, as
 * Ploton's dashboard setting would: one endpoint for every project and environment. Every
 * process runs it at boot; a restart with the variables set enables it again, and unsetting
 * them disables it (its delivery log stays readable).
 */
export async function syncConfiguredEndpoint(options: {
  endpoints: WebhookEndpointStore;
  secretBox: SecretBox;
  allowlist: HostAllowlist;
  clock: Clock;
  endpoint: { url: string; secret: string } | undefined;
}): Promise<void> {
  const { endpoints, secretBox, clock } = options;
  const existing = await endpoints.findConfigured();
  const now = clock.now();
  if (options.endpoint === undefined) {
    if (existing?.status === 'enabled') {
      await endpoints.update(CONFIG_ENDPOINT_ID, {
        status: 'disabled',
        disabled_reason: 'CADRE_WEBHOOK_URL is no longer set.',
        disabled_at: now,
        updated_at: now,
      });
    }
    return;
  }
  const url = new URL(options.endpoint.url);
  try {
    assertHostPermitted(url.hostname, effectivePort(url), options.allowlist);
  } catch (error) {
    if (isOutboundBlockedError(error)) {
      throw new Error(`CADRE_WEBHOOK_URL: ${error.message}`, { cause: error });
    }
    throw error;
  }
  const { secret } = options.endpoint;
  const storedSecret =
    existing === undefined ? undefined : openOrUndefined(secretBox, existing.secret);
  const secretChanged = storedSecret !== secret;
  if (existing?.status === 'enabled' && existing.url === url.href && !secretChanged) return;
  const keepPrevious = existing !== undefined && secretChanged && storedSecret !== undefined;
  await endpoints.upsertConfigured({
    id: CONFIG_ENDPOINT_ID,
    project_id: '*',
    environment: '*',
    url: url.href,
    description: 'Set by CADRE_WEBHOOK_URL; receives the events of every project.',
    events: toJson(DEFAULT_WEBHOOK_EVENT_TYPES),
    status: 'enabled',
    disabled_reason: null,
    disabled_at: null,
    failing_since: null,
    secret: toJson(secretBox.seal(secret)),
    previous_secret: keepPrevious ? existing.secret : (existing?.previous_secret ?? null),
    previous_secret_expires_at: keepPrevious
      ? now + SECRET_CHANGE_GRACE_MS
      : (existing?.previous_secret_expires_at ?? null),
    source: 'config',
    created_at: existing?.created_at ?? now,
    updated_at: now,
  });
}

/** A secret sealed under a key that is no longer configured counts as changed. */
function openOrUndefined(secretBox: SecretBox, sealed: string): string | undefined {
  try {
    return secretBox.open(fromJson<SealedSecret>(sealed));
  } catch {
    return undefined;
  }
}
