/** A word of a prompt as written, with what its spelling says about it. */
export interface PromptWord {
  text: string;
  lower: string;
  /** First word of a sentence (or of the prompt), where capitals say nothing. */
  sentenceInitial: boolean;
  /** Written like a name: a capital followed by lower-case letters (`Stripe`, `HubSpot`). */
  looksLikeName: boolean;
}

/**
 * The prompt's words (letters and digits, no further splitting: `HubSpot` stays one word),
 * in order. A word after `.`, `!`, `?`, `:` or `;` (or a line break) starts a sentence.
 */
export function promptWords(prompt: string): PromptWord[] {
  const words: PromptWord[] = [];
  let sentenceInitial = true;
  for (const match of prompt.matchAll(/[\p{L}\p{N}]+|[.!?:;\n]/gu)) {
    const text = match[0];
    if (/^[.!?:;\n]$/.test(text)) {
      sentenceInitial = true;
      continue;
    }
    words.push({
      text,
      lower: text.toLowerCase(),
      sentenceInitial,
      looksLikeName: /^\p{Lu}\p{Ll}/u.test(text) || /^\p{Ll}+\p{Lu}/u.test(text),
    });
    sentenceInitial = false;
  }
  return words;
}
