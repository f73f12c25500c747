export { resolveSecretKey, deriveSubkey } from './secret-key.js';
export { createSecretBox, type SecretBox, type SealedSecret } from './secret-box.js';
