import { isJsonObject, ownString, ownValue, type JsonObject } from './is-json-object.js';

export type OAuthFlowKind = 'authorizationCode' | 'clientCredentials' | 'implicit' | 'password';

export interface OAuthFlow {
  flow: OAuthFlowKind;
  authorizationUrl?: string;
  tokenUrl?: string;
  refreshUrl?: string;
  /** Scope name → description. */
  scopes: Record<string, string>;
}

/** How the service authenticates callers, as its document declares (kept for connections). */
export type OpenApiAuthScheme =
  | { name: string; type: 'apiKey'; in: 'header' | 'query' | 'cookie'; parameter: string }
  | { name: string; type: 'http'; scheme: string; bearerFormat?: string }
  | { name: string; type: 'oauth2'; flows: OAuthFlow[] }
  | { name: string; type: 'openIdConnect'; openIdConnectUrl: string };

const MAX_SCHEMES = 20;
const MAX_SCOPES = 200;
const SWAGGER_FLOWS: ReadonlyMap<string, OAuthFlowKind> = new Map([
  ['accessCode', 'authorizationCode'],
  ['application', 'clientCredentials'],
  ['implicit', 'implicit'],
  ['password', 'password'],
]);
const OAS3_FLOWS: readonly OAuthFlowKind[] = [
  'authorizationCode',
  'clientCredentials',
  'implicit',
  'password',
];

/**
 * `components.securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2). Malformed
 * entries are skipped: they describe the service, and the tools work without them.
 */
export function readOpenApiAuthSchemes(
  document: JsonObject,
  isSwagger2: boolean,
): OpenApiAuthScheme[] {
  const components = ownValue(document, 'components');
  const definitions = isSwagger2
    ? ownValue(document, 'securityDefinitions')
    : isJsonObject(components)
      ? ownValue(components, 'securitySchemes')
      : undefined;
  if (!isJsonObject(definitions)) return [];
  const schemes: OpenApiAuthScheme[] = [];
  for (const [name, definition] of Object.entries(definitions).slice(0, MAX_SCHEMES)) {
    if (!isJsonObject(definition)) continue;
    const scheme = readScheme(name, definition, isSwagger2);
    if (scheme !== undefined) schemes.push(scheme);
  }
  return schemes;
}

function readScheme(
  name: string,
  definition: JsonObject,
  isSwagger2: boolean,
): OpenApiAuthScheme | undefined {
  switch (ownString(definition, 'type') ?? '') {
    case 'apiKey': {
      const location = ownString(definition, 'in');
      const parameter = ownString(definition, 'name');
      if (parameter === undefined) return undefined;
      if (location !== 'header' && location !== 'query' && location !== 'cookie') return undefined;
      return { name, type: 'apiKey', in: location, parameter };
    }
    case 'basic':
      return { name, type: 'http', scheme: 'basic' };
    case 'http': {
      const scheme = ownString(definition, 'scheme')?.toLowerCase();
      if (scheme === undefined) return undefined;
      const bearerFormat = ownString(definition, 'bearerFormat');
      return {
        name,
        type: 'http',
        scheme,
        ...(bearerFormat === undefined ? {} : { bearerFormat }),
      };
    }
    case 'oauth2':
      return {
        name,
        type: 'oauth2',
        flows: isSwagger2 ? swaggerFlows(definition) : oas3Flows(definition),
      };
    case 'openIdConnect': {
      const openIdConnectUrl = ownString(definition, 'openIdConnectUrl');
      return openIdConnectUrl === undefined
        ? undefined
        : { name, type: 'openIdConnect', openIdConnectUrl };
    }
    default:
      return undefined;
  }
}

function swaggerFlows(definition: JsonObject): OAuthFlow[] {
  const kind = SWAGGER_FLOWS.get(ownString(definition, 'flow') ?? '');
  return kind === undefined ? [] : [readFlow(kind, definition)];
}

function oas3Flows(definition: JsonObject): OAuthFlow[] {
  const flows = ownValue(definition, 'flows');
  if (!isJsonObject(flows)) return [];
  const result: OAuthFlow[] = [];
  for (const kind of OAS3_FLOWS) {
    const flow = ownValue(flows, kind);
    if (isJsonObject(flow)) result.push(readFlow(kind, flow));
  }
  return result;
}

function readFlow(kind: OAuthFlowKind, flow: JsonObject): OAuthFlow {
  const result: OAuthFlow = { flow: kind, scopes: readScopes(ownValue(flow, 'scopes')) };
  for (const key of ['authorizationUrl', 'tokenUrl', 'refreshUrl'] as const) {
    const url = ownString(flow, key);
    if (url !== undefined && url.length <= 2000) result[key] = url;
  }
  return result;
}

function readScopes(scopes: unknown): Record<string, string> {
  if (!isJsonObject(scopes)) return {};
  return Object.fromEntries(
    Object.entries(scopes)
      .slice(0, MAX_SCOPES)
      .map(([scope, description]) => [
        scope,
        typeof description === 'string' ? description.slice(0, 300) : '',
      ]),
  );
}
