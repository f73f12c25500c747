export {
  createApiKeyStore,
  type ApiKeyStore,
  type ApiKeySummary,
  type Principal,
} from './api-key-store.js';
export { generateApiKey, parseApiKey, API_KEY_PATTERN } from './api-key-format.js';
