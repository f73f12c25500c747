/** `512 B`, `12.3 kB`, `2.1 MB` (decimal units, as browsers' network panels show). */
export function formatByteSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
