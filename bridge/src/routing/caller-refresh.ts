import type { Logger } from 'pino'
import type { Database } from '../db/database'
import type { ZendeskClient } from '../zendesk/client'
import { searchByPhone } from '../zendesk/users'

interface RequestedTicket {
  id: number
  subject?: string
  status: string
  priority?: string | null
  assignee_id?: number | null
  group_id?: number | null
  organization_id?: number | null
  updated_at: string
}

const OPEN_STATUSES = new Set(['new', 'open', 'pending', 'hold'])

/**
 * Refreshes the local copy of a caller's open tickets (with their organization's tags),
 * which the IVR and the routing rules read while the caller waits. Runs as a job when a
 * call starts and after a call is logged; it never creates a Zendesk user.
 */
export async function refreshCallerTickets(db: Database, zendesk: ZendeskClient, phone: string, defaultCountry: string, log: Logger): Promise<number> {
  const userId = await knownUser(db, zendesk, phone, defaultCountry)
  if (userId === undefined) return 0
  const result = await zendesk.request<{ tickets: RequestedTicket[] }>('GET', `/api/v2/users/${userId}/tickets/requested.json`, {
    query: { sort_by: 'updated_at', sort_order: 'desc', per_page: 100 },
  })
  const open = result.tickets.filter((ticket) => OPEN_STATUSES.has(ticket.status))
  const tags = new Map<number, string[]>()
  for (const ticket of open) {
    if (ticket.organization_id && !tags.has(ticket.organization_id)) {
      const organization = await zendesk.request<{ organization: { tags?: string[] } }>('GET', `/api/v2/organizations/${ticket.organization_id}.json`)
      tags.set(ticket.organization_id, organization.organization.tags ?? [])
    }
  }
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM caller_tickets WHERE phone_e164 = $1', [phone])
    for (const ticket of open) {
      await tx.query(
        `INSERT INTO caller_tickets (phone_e164, ticket_id, subject, status, priority, assignee_id, group_id, organization_tags, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [phone, ticket.id, ticket.subject ?? null, ticket.status, ticket.priority ?? null, ticket.assignee_id ?? null, ticket.group_id ?? null,
          ticket.organization_id ? (tags.get(ticket.organization_id) ?? []) : [], ticket.updated_at],
      )
    }
  })
  log.info({ openTickets: open.length }, 'caller tickets refreshed')
  return open.length
}

async function knownUser(db: Database, zendesk: ZendeskClient, phone: string, defaultCountry: string): Promise<number | undefined> {
  const indexed = await db.query<{ zendesk_user_id: string | null }>('SELECT zendesk_user_id FROM phone_index WHERE phone_e164 = $1', [phone])
  if (indexed.rows[0]?.zendesk_user_id) return Number(indexed.rows[0].zendesk_user_id)
  const user = await searchByPhone(zendesk, phone, defaultCountry)
  if (user === undefined) return undefined
  await db.query(
    `INSERT INTO phone_index (phone_e164, zendesk_user_id, user_name) VALUES ($1, $2, $3)
     ON CONFLICT (phone_e164) DO UPDATE SET zendesk_user_id = COALESCE(phone_index.zendesk_user_id, EXCLUDED.zendesk_user_id),
       user_name = COALESCE(phone_index.user_name, EXCLUDED.user_name), updated_at = now()`,
    [phone, user.id, user.name],
  )
  return user.id
}
