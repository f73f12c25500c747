/**
 * `https://host/path` without a trailing slash, or null unless the text is an absolute
 * http(s) URL with a host and no credentials, query or fragment (a toolkit's base URL
 * is shown in responses and has paths appended to it).
 */
export function toAbsoluteHttpUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return null;
  if (url.search !== '' || url.hash !== '') return null;
  return url.href.replace(/\/+$/, '');
}
