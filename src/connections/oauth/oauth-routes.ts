import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/index.js';
import type { App } from '../../http/app-types.js';
import { ErrorResponseSchema, publicErrorResponses } from '../../http/common-schemas.js';
import { AuthorizeParamsSchema } from '../connection-schemas.js';
import type { ConsentService } from './consent-service.js';
import { consentPage } from './consent-page.js';

const tags = ['Connections'];

/** A page for the user's browser (Accept: text/html), or the error envelope for API clients. */
const pageOrError = (description: string) => ({
  description,
  content: {
    'text/html': { schema: z.string() },
    'application/json': { schema: ErrorResponseSchema },
  },
});

/**
 * The end user's side of consent: `auth_url` (single use, expiring) redirects to the provider,
 * and the provider redirects back to the callback. Both are public: the link token and the
 * OAuth `state` are the credentials. Browsers get a page; API clients the error envelope.
 */
export function registerOAuthRoutes(app: App, consent: ConsentService): void {
  const answer = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    title: string,
    message: string,
  ) => {
    if (status >= 400 && !(request.headers.accept ?? '').includes('text/html')) {
      throw new AppError({ code: 'authorization_link_gone', message });
    }
    return reply.status(status).type('text/html; charset=utf-8').send(consentPage(title, message));
  };

  app.get(
    '/v1/oauth/authorize/:link_token',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: "An end user's authorization link (auth_url): redirects to the provider",
        params: AuthorizeParamsSchema,
        security: [],
        response: {
          ...publicErrorResponses,
          410: pageOrError('The link is unknown, expired or already used'),
        },
      },
    },
    async (request, reply) => {
      const result = await consent.openLink(request.params.link_token);
      if (result.kind === 'redirect') return reply.redirect(result.location, 302);
      return answer(request, reply, 410, 'Link not available', result.message);
    },
  );

  app.get(
    '/v1/oauth/callback',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'OAuth 2.0 redirect URI: completes the consent and resumes the waiting task',
        security: [],
        response: {
          ...publicErrorResponses,
          200: {
            description: 'A page telling the user the outcome',
            content: { 'text/html': { schema: z.string() } },
          },
          410: pageOrError('Nothing to complete: already completed, or not a valid state'),
        },
      },
    },
    async (request, reply) => {
      const url = new URL(request.url, 'http://callback.invalid');
      const outcome = await consent.completeCallback(url);
      if (outcome === undefined) {
        return answer(
          request,
          reply,
          410,
          'Nothing to complete',
          'This sign-in was already completed or is not valid.',
        );
      }
      switch (outcome.kind) {
        case 'authorized':
          return answer(
            request,
            reply,
            200,
            'Connected',
            `Your ${outcome.toolkit} account is connected. You can close this window.`,
          );
        case 'denied':
          return answer(
            request,
            reply,
            200,
            'Access denied',
            `Access to ${outcome.toolkit} was denied. You can close this window.`,
          );
        case 'failed':
          return answer(request, reply, 200, 'Connection failed', outcome.message);
      }
    },
  );
}
