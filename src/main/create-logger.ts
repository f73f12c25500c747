import { pino, type DestinationStream, type Logger } from 'pino';
import { createTurnBatchedOutput, type TurnBatchedOutput } from './turn-batched-output.js';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.authorization',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  'config.secretKey',
  'config.previousSecretKeys',
  'config.model.apiKey',
];

// One process has one stdout: every logger writing there shares its batch (and line order).
let stdout: TurnBatchedOutput | undefined;

/** A logger writing JSON lines to `destination`, or to stdout once per event-loop turn. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'cadre' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (destination !== undefined) return pino(options, destination);
  stdout ??= createTurnBatchedOutput(process.stdout);
  return pino(options, stdout);
}
