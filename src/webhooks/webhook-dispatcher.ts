import type { Logger } from 'pino';
import { toIsoSeconds, type Clock } from '../clock/index.js';
import type { WebhookConfig } from '../config/index.js';
import { assertNever } from '../errors/index.js';
import { toTaskEventEnvelope, type EventBus } from '../events/index.js';
import { newId } from '../ids/index.js';
import type { GuardedFetch } from '../outbound/index.js';
import type { SealedSecret, SecretBox } from '../secrets/index.js';
import { fromJson } from '../storage/index.js';
import { nextAttemptDelay } from './next-attempt-delay.js';
import { sendWebhook, type WebhookResponse } from './send-webhook.js';
import { signWebhook } from './sign-webhook.js';
import type { AttemptRecord, ClaimedDelivery } from './claimed-delivery.js';
import type { WebhookDeliveryStore } from './webhook-delivery-store.js';

export interface WebhookDispatcherOptions {
  store: WebhookDeliveryStore;
  secretBox: SecretBox;
  fetch: GuardedFetch;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  config: Pick<WebhookConfig, 'timeoutMs' | 'retryDelaysMs' | 'disableAfterMs' | 'concurrency'>;
  userAgent: string;
  /** How often to look for due deliveries when no wake-up arrives (retries, other processes). */
  pollIntervalMs?: number;
  /** Jitter source; tests may pin it. */
  random?: () => number;
}

/** Beyond the request timeout, the time a claim allows for signing and recording. */
const LEASE_MARGIN_MS = 5_000;
const SECRET_CACHE_LIMIT = 1_000;

/**
 * Sends webhook deliveries: claims due ones (several processes may run one each), signs and
 * POSTs them, records every attempt, schedules retries with backoff and jitter (honouring
 * Retry-After), and disables endpoints that answer 410 or fail for too long. Woken when a
 * delivery due now is queued in this process; polls for retries, for progress (due one
 * interval later) and for work other processes queued.
 */
export class WebhookDispatcher {
  readonly owner = newId('whk', 12);
  private readonly inFlight = new Map<string, AbortController>();
  private readonly done = new Set<Promise<void>>();
  private readonly secrets = new Map<string, string>();
  private readonly leaseMs: number;
  private readonly expiredCheckIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastExpiredCheck = -Infinity;
  private polling = false;
  private pollAgain = false;
  private wakeScheduled = false;
  private stopped = false;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.leaseMs = options.config.timeoutMs + LEASE_MARGIN_MS;
    this.expiredCheckIntervalMs = Math.max(1_000, Math.floor(this.leaseMs / 4));
  }

  start(): void {
    this.unsubscribe = this.options.bus.subscribe('webhook.due', () => this.wake());
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs ?? 250);
    this.timer.unref();
    this.wake();
  }

  /** Deliveries being sent right now. */
  get sending(): number {
    return this.inFlight.size;
  }

  /** Looks for due deliveries soon; a burst of wake-ups costs one look. */
  wake(): void {
    if (this.wakeScheduled || this.stopped) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      void this.poll();
    });
  }

  /** Stops claiming; deliveries in flight are aborted and handed back unrecorded. */
  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    for (const controller of this.inFlight.values()) controller.abort();
    await Promise.allSettled([...this.done]);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        const free = this.options.config.concurrency - this.inFlight.size;
        if (free <= 0) break;
        const now = this.options.clock.now();
        const includeExpired = now - this.lastExpiredCheck >= this.expiredCheckIntervalMs;
        if (includeExpired) this.lastExpiredCheck = now;
        const claims = await this.options.store.claim(this.owner, free, {
          now,
          leaseMs: this.leaseMs,
          includeExpired,
        });
        for (const [lead, absorbed] of groupProgress(claims)) this.launch(lead, absorbed);
        if (claims.length === free) this.pollAgain = true;
      } while (this.pollAgain && !this.stopped);
    } catch (error) {
      this.options.logger.error({ err: error }, 'claiming webhook deliveries failed');
    } finally {
      this.polling = false;
    }
  }

  private launch(delivery: ClaimedDelivery, absorbed: readonly ClaimedDelivery[]): void {
    const controller = new AbortController();
    this.inFlight.set(delivery.id, controller);
    const done: Promise<void> = this.deliver(delivery, absorbed, controller.signal)
      .catch((error: unknown) => {
        this.options.logger.error(
          { err: error, deliveryId: delivery.id },
          'webhook delivery failed unexpectedly',
        );
      })
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.done.delete(done);
        this.wake();
      });
    this.done.add(done);
  }

  private async deliver(
    delivery: ClaimedDelivery,
    absorbed: readonly ClaimedDelivery[],
    signal: AbortSignal,
  ): Promise<void> {
    const { clock } = this.options;
    const now = clock.now();
    const data =
      delivery.eventType === 'task.progress'
        ? await this.options.store.coalesceProgress(delivery, absorbed, now)
        : delivery.data;
    const body = JSON.stringify(
      toTaskEventEnvelope({
        type: delivery.eventType,
        task_id: delivery.taskId,
        created_at: delivery.eventCreatedAt,
        data,
      }),
    );
    const headers = {
      'content-type': 'application/json',
      'user-agent': this.options.userAgent,
      ...signWebhook({
        id: delivery.eventId,
        timestampSeconds: Math.floor(now / 1000),
        body,
        secrets: delivery.sealedSecrets.map((sealed) => this.openSecret(sealed)),
      }),
    };
    const response = await sendWebhook({
      fetch: this.options.fetch,
      url: delivery.url,
      headers,
      body,
      timeoutMs: this.options.config.timeoutMs,
      signal,
      now,
    });
    if (signal.aborted) {
      // Shutting down: the attempt was cut short by us, not by the receiver.
      await this.options.store.release(delivery, clock.now());
      return;
    }
    const recorded = await this.options.store.record(
      delivery,
      this.decide(delivery, response, clock.now()),
    );
    if (!recorded) {
      this.options.logger.warn(
        { deliveryId: delivery.id },
        'webhook delivery lease was lost; the attempt was not recorded',
      );
    }
  }

  private decide(delivery: ClaimedDelivery, response: WebhookResponse, now: number): AttemptRecord {
    const { config } = this.options;
    const base = {
      attemptedAt: now,
      durationMs: response.durationMs,
      responseStatus: response.responseStatus,
      error: response.error,
      responseBody: response.responseBody,
      disableIfFailingSince: now - config.disableAfterMs,
    };
    switch (response.outcome) {
      case 'succeeded':
        return {
          ...base,
          status: 'succeeded',
          nextAttemptAt: null,
          health: 'healthy',
          disableReason: '',
        };
      case 'gone':
        return {
          ...base,
          status: 'failed',
          nextAttemptAt: null,
          health: 'gone',
          disableReason: `The endpoint answered 410 Gone on ${toIsoSeconds(now)}, so Cadre stopped sending to it. Re-enable it with PATCH /v1/webhook_endpoints/${delivery.endpointId} {"status": "enabled"}.`,
        };
      case 'failed': {
        const delayMs = nextAttemptDelay({
          attempt: delivery.attempt,
          attemptLimit: delivery.attemptLimit,
          retryDelaysMs: config.retryDelaysMs,
          retryAfterMs: response.retryAfterMs,
          random: this.options.random ?? Math.random,
        });
        return {
          ...base,
          status: delayMs === undefined ? 'failed' : 'pending',
          nextAttemptAt: delayMs === undefined ? null : now + delayMs,
          health: 'failing',
          disableReason: `Every delivery since ${toIsoSeconds(delivery.failingSince ?? now)} failed (the last one: ${response.error ?? 'no response'}), so Cadre stopped sending to it. Fix the receiver, then re-enable it with PATCH /v1/webhook_endpoints/${delivery.endpointId} {"status": "enabled"}.`,
        };
      }
      default:
        return assertNever(response.outcome, 'webhook outcome');
    }
  }

  private openSecret(sealed: string): string {
    let secret = this.secrets.get(sealed);
    if (secret === undefined) {
      secret = this.options.secretBox.open(fromJson<SealedSecret>(sealed));
      if (this.secrets.size >= SECRET_CACHE_LIMIT) this.secrets.clear();
      this.secrets.set(sealed, secret);
    }
    return secret;
  }
}

/**
 * Pairs each claimed delivery with the later first-attempt progress deliveries of the same
 * endpoint and task claimed in the same batch, which it will carry: a backlog of progress
 * claimed at once still goes out as one webhook per task.
 */
function groupProgress(claims: readonly ClaimedDelivery[]): [ClaimedDelivery, ClaimedDelivery[]][] {
  const groups: [ClaimedDelivery, ClaimedDelivery[]][] = [];
  const progress = new Map<string, ClaimedDelivery[]>();
  for (const delivery of claims) {
    if (delivery.eventType !== 'task.progress' || delivery.attempt > 1 || delivery.isFrozen) {
      groups.push([delivery, []]);
      continue;
    }
    const key = `${delivery.endpointId} ${delivery.taskId}`;
    const group = progress.get(key) ?? [];
    group.push(delivery);
    progress.set(key, group);
  }
  for (const group of progress.values()) {
    const [lead, ...rest] = group.sort((left, right) => left.eventSeq - right.eventSeq);
    if (lead !== undefined) groups.push([lead, rest]);
  }
  return groups;
}
