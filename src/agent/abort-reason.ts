/** Why a running task's signal was aborted; decides what the runner writes afterwards. */
export type StopKind = 'cancelled' | 'deadline' | 'lease_lost' | 'shutdown';

export class StopReason extends Error {
  constructor(readonly kind: StopKind) {
    super(`task stopped: ${kind}`);
    this.name = 'StopReason';
  }
}

export function stopKindOf(signal: AbortSignal): StopKind | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof StopReason ? reason.kind : 'cancelled';
}

/** Resolves after `ms`, or rejects at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
