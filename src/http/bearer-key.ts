const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Whether the request carries any credentials at all (a non-blank `Authorization`). */
export function hasAuthorization(header: string | undefined): header is string {
  return header !== undefined && header.trim() !== '';
}

/** The API key of an `Authorization: Bearer <api_key>` header; undefined for anything else. */
export function bearerKey(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}
