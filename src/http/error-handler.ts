import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors/index.js';

/** Maps every error to the documented envelope; unknown errors become a logged 500. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendAppError(reply, appError);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply) =>
    sendAppError(
      reply,
      new AppError({
        code: 'route_not_found',
        message: `No route matches ${request.method} ${request.url.split('?')[0] ?? ''}.`,
      }),
    ),
  );
}

/**
 * Errors Fastify raises before routing (a malformed percent-encoding, an over-long path
 * parameter): no hook has run, so the request id and the envelope are set here.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.header('X-Request-Id', request.id);
  const appError =
    error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError({
          code: 'invalid_request',
          message: `The request path is not valid: ${error.message}`,
          cause: error,
        })
      : new AppError({
          code: 'internal_error',
          message: 'Something went wrong on our side. Retry with backoff.',
          cause: error,
        });
  if (appError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  void sendAppError(reply, appError);
}

export function sendAppError(reply: FastifyReply, error: AppError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.status(error.statusCode).send(error.toBody());
}

function toAppError(error: FastifyError): AppError {
  if (isAppError(error)) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError({
        code: 'payload_too_large',
        message: 'The request body is larger than the server accepts.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError({
        code: 'unsupported_media_type',
        message: 'Send the request body as application/json.',
      });
    default:
      break;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new AppError({ code: 'invalid_request', message: error.message, cause: error });
  }
  return new AppError({
    code: 'internal_error',
    message: 'Something went wrong on our side. Retry with backoff.',
    cause: error,
  });
}
