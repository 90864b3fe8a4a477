import type { Database, Queryable } from '../db/database'

export interface CallerTicket {
  id: number
  subject: string | null
  status: string
  priority: string | null
  assigneeId: number | null
  groupId: number | null
  organizationTags: string[]
}

/** What the bridge knows locally about a caller; reading it never waits on Zendesk. */
export interface CallerContext {
  name?: string
  zendeskUserId?: number
  /** The caller's most recently updated new, open, pending or on-hold ticket. */
  openTicket?: CallerTicket
}

const OPEN_STATUSES = ['new', 'open', 'pending', 'hold']

export async function loadCallerContext(db: Queryable | Database, phoneE164: string | null | undefined): Promise<CallerContext> {
  if (!phoneE164) return {}
  const user = await db.query<{ zendesk_user_id: string | null; user_name: string | null }>(
    'SELECT zendesk_user_id, user_name FROM phone_index WHERE phone_e164 = $1',
    [phoneE164],
  )
  const ticket = await db.query<{
    ticket_id: string
    subject: string | null
    status: string
    priority: string | null
    assignee_id: string | null
    group_id: string | null
    organization_tags: string[]
  }>(
    `SELECT ticket_id, subject, status, priority, assignee_id, group_id, organization_tags FROM caller_tickets
     WHERE phone_e164 = $1 AND status = ANY($2) ORDER BY updated_at DESC LIMIT 1`,
    [phoneE164, OPEN_STATUSES],
  )
  const row = user.rows[0]
  const open = ticket.rows[0]
  return {
    name: row?.user_name ?? undefined,
    zendeskUserId: row?.zendesk_user_id ? Number(row.zendesk_user_id) : undefined,
    openTicket: open && {
      id: Number(open.ticket_id),
      subject: open.subject,
      status: open.status,
      priority: open.priority,
      assigneeId: open.assignee_id ? Number(open.assignee_id) : null,
      groupId: open.group_id ? Number(open.group_id) : null,
      organizationTags: open.organization_tags,
    },
  }
}
