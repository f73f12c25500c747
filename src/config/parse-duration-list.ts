const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const MAX_DURATION_MS = 30 * UNIT_MS.d;

/**
 * Parses `1m,20m,4h,18h` (units ms, s, m, h, d; a bare number is milliseconds) into
 * milliseconds; `none` is the empty list. Throws an Error saying what is wrong.
 */
export function parseDurationList(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === 'none') return [];
  return trimmed.split(',').map((entry) => {
    const match = DURATION_PATTERN.exec(entry.trim());
    if (match === null) {
      throw new Error(
        `"${entry.trim()}" is not a duration: use a number with ms, s, m, h or d (e.g. 1m,20m,4h,18h), or none`,
      );
    }
    const unit = (match[2] ?? 'ms') as keyof typeof UNIT_MS;
    const ms = Math.round(Number(match[1]) * UNIT_MS[unit]);
    if (ms > MAX_DURATION_MS) throw new Error(`"${entry.trim()}" is longer than 30 days`);
    return ms;
  });
}
