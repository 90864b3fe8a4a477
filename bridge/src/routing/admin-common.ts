import type { Database } from '../db/database'
import type { ZendeskClient } from '../zendesk/client'

export interface AdminDeps {
  db: Database
  apiToken: string
  /** Reads business-hours schedules for the schedule import. */
  zendesk: ZendeskClient
}

/** SQLSTATE of a unique violation, which pg and PGlite both set as `code` on the error. */
export const UNIQUE_VIOLATION = '23505'

export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** bigint columns arrive as strings from pg and as numbers from PGlite. */
export function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}

export function toIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()
}

/** Joins quoted ids for a message: `"a", "b"`. */
export function quoteList(ids: string[]): string {
  return ids.map((id) => `"${id}"`).join(', ')
}
