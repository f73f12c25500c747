import { errorStatus, type ErrorCode } from './error-codes.js';

export interface AppErrorOptions {
  code: ErrorCode;
  message: string;
  param?: string;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error type every module throws for a client-visible failure. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly param: string | undefined;
  readonly statusCode: number;
  readonly headers: Record<string, string>;

  constructor(options: AppErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = options.code;
    this.param = options.param;
    this.statusCode = errorStatus[options.code];
    this.headers = options.headers ?? {};
  }

  toBody(): { error: { code: ErrorCode; message: string; param?: string } } {
    const error: { code: ErrorCode; message: string; param?: string } = {
      code: this.code,
      message: this.message,
    };
    if (this.param !== undefined) error.param = this.param;
    return { error };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
