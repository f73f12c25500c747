/**
 * Environment variables a toolkit may not read its credential from: Cadre's own settings
 * (`CADRE_SECRET_KEY`, `CADRE_DATABASE_URL`, the model key…). Without this rule anyone with
 * an API key could register a toolkit that sends those values to a server of their choice.
 */
export function isReservedEnvVarName(name: string): boolean {
  return name.toUpperCase().startsWith('CADRE_');
}
