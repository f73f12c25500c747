/**
 * How people frame a request to an assistant, as opposed to what they ask for: greetings and
 * thanks, "can you help me …", "tell me", "I'm interested in", "would you be able to",
 * "specifically". Matched as phrases, so "help" in "help desk" or "provide" in "provide a
 * refund" stay. Not derived from any evaluation set.
 */
const REQUEST_FRAMING: readonly RegExp[] = [
  /\b(?:hi|hello|hey|thanks|thank you|kindly|sure)\b/giu,
  /\b(?:help|assist|tell|give|show|provide)\s+(?:me|us)\b(?:\s+with\b)?/giu,
  /\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:help|assist|provide|tell|give)\b/giu,
  /\b(?:let\s+(?:me|us)|want\s+to|like\s+to|need\s+to|do\s+you)\s+know\b/giu,
  /\b(?:be|are\s+you|is\s+it|is\s+there\s+a\s+way)\s+(?:able|possible)\s+to\b/giu,
  /\b(?:interested\s+in|curious\s+about|looking\s+for|wondering\s+(?:if|whether|about))\b/giu,
  /\b(?:some|your|any)\s+(?:help|assistance|advice)\b/giu,
  /\b(?:specifically|particularly|possibly|perhaps|really|actually|basically)\b/giu,
];

/** The request with its framing blanked out (what is left is what to search for). */
export function stripRequestFraming(text: string): string {
  let stripped = text;
  for (const pattern of REQUEST_FRAMING) stripped = stripped.replace(pattern, ' ');
  return stripped;
}
