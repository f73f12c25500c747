/** A redirect the guarded fetch would not follow: too many hops, a bad target or a lost body. */
export class OutboundRedirectError extends Error {
  /** The URL whose response redirected. */
  readonly url: string;

  constructor(options: { url: string; message: string }) {
    super(options.message);
    this.name = 'OutboundRedirectError';
    this.url = options.url;
  }
}

export function isOutboundRedirectError(value: unknown): value is OutboundRedirectError {
  return value instanceof OutboundRedirectError;
}
