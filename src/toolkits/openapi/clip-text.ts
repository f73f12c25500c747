/** The text cut to `maxChars` characters, an ellipsis marking the cut. */
export function clipText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}
