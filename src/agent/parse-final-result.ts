/**
 * The model's final answer as a JSON object: the whole reply, a fenced block, or the outermost
 * `{…}` inside prose. Undefined when none parses to an object.
 */
export function parseFinalResult(text: string): Record<string, unknown> | undefined {
  const candidates: string[] = [text.trim()];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced?.[1] !== undefined) candidates.push(fenced[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first !== -1 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
      if (Array.isArray(value)) return { items: value };
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}
