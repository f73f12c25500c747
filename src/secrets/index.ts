export { resolveSecretKey, deriveSubkey } from './secret-key.js';
export { createSecretBox, type SecretBox, type SealedSecret } from './secret-box.js';
export { resealSecrets, type ResealOptions, type TableResealReport } from './reseal-secrets.js';
export { countSealedSecrets, type TableKeyCounts } from './count-sealed-secrets.js';
export { SEALED_TABLES, type SealedTable } from './sealed-columns.js';
