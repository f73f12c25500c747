export const REDACTED = '[redacted]';
// Shorter values would blank out ordinary words; credentials are longer than this.
const MIN_SECRET_LENGTH = 4;

/** The forms a secret takes in a response: as is, JSON-escaped, with `/` escaped. */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const escaped = JSON.stringify(secret).slice(1, -1);
    for (const form of [secret, escaped, escaped.replace(/\//g, '\\/')]) forms.add(form);
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The text with every occurrence of the secrets replaced by `[redacted]`. */
export function redactSecretsInText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const form of secretForms(secrets)) result = result.split(form).join(REDACTED);
  return result;
}

/**
 * The same on raw body bytes, before they are decoded or parsed, so an upstream that echoes a
 * credential never puts it into a trace. Works for UTF-8 and other ASCII-compatible bodies.
 */
export function redactSecretsInBytes(
  bytes: Uint8Array,
  secrets: readonly string[],
  options: { truncated: boolean } = { truncated: false },
): Uint8Array {
  let current = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const replacement = Buffer.from(REDACTED, 'utf8');
  for (const form of secretForms(secrets)) {
    const needle = Buffer.from(form, 'utf8');
    if (current.indexOf(needle) === -1) continue;
    const parts: Buffer[] = [];
    let start = 0;
    for (let at = current.indexOf(needle); at !== -1; at = current.indexOf(needle, start)) {
      parts.push(current.subarray(start, at), replacement);
      start = at + needle.length;
    }
    parts.push(current.subarray(start));
    current = Buffer.concat(parts);
  }
  return options.truncated ? dropSecretPrefixAtEnd(current, secretForms(secrets)) : current;
}

/** A body cut at the size limit may end in the first characters of a secret: drop them. */
function dropSecretPrefixAtEnd(bytes: Buffer, forms: readonly string[]): Buffer {
  let end = bytes.length;
  for (const form of forms) {
    const needle = Buffer.from(form, 'utf8');
    for (let length = Math.min(needle.length - 1, end); length >= MIN_SECRET_LENGTH; length -= 1) {
      if (bytes.subarray(end - length, end).equals(needle.subarray(0, length))) {
        end -= length;
        break;
      }
    }
  }
  return bytes.subarray(0, end);
}
