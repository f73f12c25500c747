/**
 * Sentence ends (a period only when followed by a space or the end, so "3.5" and "v2.1" stay
 * whole) and the connectives that chain requests ("…, and then …", "Also, …").
 */
const CLAUSE_BOUNDARY =
  /[.?!;]+(?=\s|$)|,\s*(?:and|but|then|also)\b|\b(?:also|additionally|afterwards|finally|then|as well as)\b/gi;

/** Prompts are rarely longer than this many requests; more would only add latency. */
const MAX_CLAUSES = 8;

/**
 * Splits a multi-request prompt ("Get the weather in Paris. Also book a table for two.") into
 * its requests, so each can find its own tool. Fragments under two words are dropped; a prompt
 * with one request returns one clause.
 */
export function splitClauses(text: string): string[] {
  const clauses = text
    .split(CLAUSE_BOUNDARY)
    .map((clause) => clause.replace(/^[\s,:]+|[\s,:]+$/g, ''))
    .filter((clause) => clause.split(/\s+/).length >= 2);
  return clauses.slice(0, MAX_CLAUSES);
}
