/** A signal that aborts with the parent, or with a TimeoutError after `timeoutMs`. */
export interface ScopedTimeout {
  signal: AbortSignal;
  /** True when the timer (not the parent) aborted it. */
  readonly timedOut: boolean;
  /** Stops the timer and detaches from the parent; call when the guarded work ends. */
  dispose(): void;
}

/**
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])` keeps its timer and listeners alive
 * until the timeout fires, even after the work is done: thousands of calls in flight then
 * hold memory for minutes. This version releases everything on `dispose()`.
 */
export function scopedTimeout(parent: AbortSignal, timeoutMs: number): ScopedTimeout {
  const controller = new AbortController();
  let timedOut = false;
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  timer.unref();
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
