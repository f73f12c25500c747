/** What a connection's sealed secret holds, by kind. Never leaves the server. */
export type ConnectionSecret =
  | { kind: 'oauth2'; access_token: string; refresh_token?: string; token_type: string }
  | { kind: 'api_key'; api_key: string; header?: string; prefix?: string }
  | { kind: 'basic'; username: string; password: string };
