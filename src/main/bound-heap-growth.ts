import v8 from 'node:v8';

/** How far the old generation may grow past what the last full collection kept, in percent. */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Lets the JavaScript heap grow by at most what was live after the last full garbage collection
 * (it doubles), instead of V8's default of up to four times. A serving process holds thousands
 * of tasks that wait seconds on a model; each leaves its garbage in the old generation, and with
 * the default the process kept hundreds of MB of it (peak RSS 524–537 MB with 10,000 tasks in
 * flight; 433–454 MB with this). Growing by only half (tried first: 380–397 MB) made full
 * collections so frequent that their pauses set the tail of task latency (decision 9).
 * Call once at startup.
 */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
