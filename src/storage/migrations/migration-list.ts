import type { Migration } from 'kysely';
import { initialMigration } from './0001-initial.js';
import { taskEventsAndWebhooksMigration } from './0002-task-events-and-webhooks.js';
import { connectionsMigration } from './0003-connections.js';

/** Ordered by name; never rename or edit a migration that has shipped. */
export const migrationList: Record<string, Migration> = {
  '0001-initial': initialMigration,
  '0002-task-events-and-webhooks': taskEventsAndWebhooksMigration,
  '0003-connections': connectionsMigration,
};
