import type { WebhookDeliveryStatus } from '../storage/index.js';

/** A delivery this process now owns, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  leaseToken: number;
  /** The attempt about to be made (1-based). */
  attempt: number;
  attemptLimit: number;
  endpointId: string;
  url: string;
  /** Sealed secrets: the current one, then the previous one while it still signs. */
  sealedSecrets: string[];
  failingSince: number | null;
  eventId: string;
  eventType: string;
  eventSeq: number;
  taskId: string;
  eventCreatedAt: number;
  /** The event's `data` as stored, or the frozen coalesced payload. */
  data: string;
  /** True when `data` was frozen by an earlier attempt (coalesced progress). */
  isFrozen: boolean;
}

/** How an attempt ended and what follows, as the dispatcher decided it. */
export interface AttemptRecord {
  attemptedAt: number;
  durationMs: number;
  responseStatus: number | null;
  error: string | null;
  responseBody: string | null;
  status: Extract<WebhookDeliveryStatus, 'pending' | 'succeeded' | 'failed'>;
  nextAttemptAt: number | null;
  /** What the attempt says about the endpoint. */
  health: 'healthy' | 'failing' | 'gone';
  /** Disable the endpoint when it has been failing since before this time (failing only). */
  disableIfFailingSince: number;
  disableReason: string;
}
