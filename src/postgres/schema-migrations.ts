import type { Migration } from './migrations';
import { registryMigrations } from './registry-migrations';

/**
 * Every schema change Prescale ships, in order. Components own their tables; their
 * migrations are listed here so one `prescale migrate` (or the leader at start) applies all.
 */
export const schemaMigrations: readonly Migration[] = [...registryMigrations];
