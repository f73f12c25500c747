import { startFakeService, type FakeService } from '../support/fake-service.js';
import type { TestOAuthProvider } from '../support/oauth-provider.js';

export const CRM_CONTACTS = [
  { id: 'c_1', name: 'Ada Lovelace', email: 'ada@example.com' },
  { id: 'c_2', name: 'Grace Hopper', email: 'grace@example.com' },
];

/** The user's CRM: answers only to bearer tokens the OAuth provider issued and still honours. */
export function startCrmApi(provider: TestOAuthProvider): Promise<FakeService> {
  return startFakeService({
    'GET /contacts': (request) => {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (token === undefined || !provider.isValidAccessToken(token)) {
        return { status: 401, body: { error: 'invalid_token' } };
      }
      return { body: { contacts: CRM_CONTACTS } };
    },
  });
}

/** The CRM's OpenAPI document: one operation, OAuth 2.0 authorization code for end users. */
export function crmOpenApi(
  apiUrl: string,
  provider: { authorizationUrl: string; tokenUrl: string },
) {
  return {
    openapi: '3.0.3',
    info: { title: 'CRM', version: '1.0.0', description: 'Contacts of the user’s CRM.' },
    servers: [{ url: apiUrl }],
    components: {
      securitySchemes: {
        userAuth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: provider.authorizationUrl,
              tokenUrl: provider.tokenUrl,
              scopes: { 'contacts.read': 'Read contacts' },
            },
          },
        },
      },
    },
    security: [{ userAuth: ['contacts.read'] }],
    paths: {
      '/contacts': {
        get: {
          operationId: 'listContacts',
          summary: 'List the contacts in the CRM',
          responses: {
            '200': {
              description: 'The contacts',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      contacts: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            id: { type: 'string' },
                            name: { type: 'string' },
                            email: { type: 'string', format: 'email' },
                          },
                        },
                      },
                    },
                  },
                  example: {
                    contacts: [{ id: 'c_example', name: 'Jane Smith', email: 'jane@example.com' }],
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

export interface BrowserVisit {
  status: number;
  url: string;
  text: string;
  /** Every URL the browser went through, the link first. */
  hops: string[];
}

/** Plays the user's browser: follows real HTTP redirects one by one from the link. */
export async function visitAsBrowser(link: string, maxHops = 10): Promise<BrowserVisit> {
  const hops = [link];
  let url = link;
  for (let hop = 0; hop < maxHops; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      url = new URL(location, url).toString();
      hops.push(url);
      await response.body?.cancel();
      continue;
    }
    return { status: response.status, url, text: await response.text(), hops };
  }
  throw new Error(`too many redirects from ${link}`);
}
