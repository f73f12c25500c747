/** One SQL statement compiled for the configured dialect, with its bound parameters. */
export interface CompiledWrite {
  sql: string;
  parameters: readonly unknown[];
}
