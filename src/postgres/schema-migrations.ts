import { historyMigrations } from '../store/postgres-history-migrations';
import type { Migration } from './migrations';
import { registryMigrations } from './registry-migrations';

/**
 * Every schema change Prescale ships, in order. Components own their tables; their
 * migrations are listed here so one `prescale migrate` (or any replica at start) applies all.
 * Ids: history `0001_…`, model registry `0100_…`.
 */
export const schemaMigrations: readonly Migration[] = [...historyMigrations, ...registryMigrations];
