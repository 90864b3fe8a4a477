import type { ZendeskClient } from './client'
import { ZendeskApiError } from './client'
import type { ZendeskComment, ZendeskTicket } from './types'

const OPEN_STATUSES = new Set(['new', 'open', 'pending', 'hold'])
const COMMENT_PAGES_CHECKED = 10

export interface NewTicket {
  subject: string
  body: string
  requesterId?: number
  tags: string[]
  externalId: string
  followUpOf?: number
  uploads?: string[]
  assigneeId?: number
  groupId?: number
}

/** Thrown when Zendesk refuses to update a ticket because it is closed. */
export class ClosedTicketError extends Error {
  constructor(readonly ticketId: number) {
    super(`Zendesk ticket ${ticketId} is closed`)
    this.name = 'ClosedTicketError'
  }
}

/** The caller's most recently updated ticket that is still open and was updated within the window. */
export async function findReusableTicket(client: ZendeskClient, requesterId: number, windowDays: number, now = new Date()): Promise<ZendeskTicket | undefined> {
  const result = await client.request<{ tickets: ZendeskTicket[] }>('GET', `/api/v2/users/${requesterId}/tickets/requested.json`, {
    query: { sort_by: 'updated_at', sort_order: 'desc', per_page: 100 },
  })
  const oldest = now.getTime() - windowDays * 24 * 3600 * 1000
  return result.tickets
    .filter((ticket) => OPEN_STATUSES.has(ticket.status) && Date.parse(ticket.updated_at) >= oldest)
    .sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at))[0]
}

/** The ticket the bridge created earlier for this external id, if a crash hid it from the database. */
export async function findTicketByExternalId(client: ZendeskClient, externalId: string): Promise<ZendeskTicket | undefined> {
  const result = await client.request<{ tickets: ZendeskTicket[] }>('GET', '/api/v2/tickets.json', { query: { external_id: externalId } })
  return result.tickets.sort((a, b) => a.id - b.id)[0]
}

export async function getTicket(client: ZendeskClient, ticketId: number): Promise<ZendeskTicket> {
  const result = await client.request<{ ticket: ZendeskTicket }>('GET', `/api/v2/tickets/${ticketId}.json`)
  return result.ticket
}

export async function createTicket(client: ZendeskClient, ticket: NewTicket): Promise<ZendeskTicket> {
  const result = await client.request<{ ticket: ZendeskTicket }>('POST', '/api/v2/tickets.json', {
    json: {
      ticket: {
        subject: ticket.subject,
        comment: { body: ticket.body, public: false, ...(ticket.uploads ? { uploads: ticket.uploads } : {}) },
        ...(ticket.requesterId !== undefined ? { requester_id: ticket.requesterId } : {}),
        tags: ticket.tags,
        external_id: ticket.externalId,
        ...(ticket.followUpOf !== undefined ? { via_followup_source_id: ticket.followUpOf } : {}),
        ...(ticket.assigneeId !== undefined ? { assignee_id: ticket.assigneeId } : {}),
        ...(ticket.groupId !== undefined ? { group_id: ticket.groupId } : {}),
      },
    },
  })
  return result.ticket
}

/** Adds an internal note; a closed ticket raises ClosedTicketError so the caller opens a follow-up. */
export async function addInternalNote(
  client: ZendeskClient,
  ticketId: number,
  note: { body: string; uploads?: string[]; tags?: string[] },
): Promise<void> {
  try {
    await client.request('PUT', `/api/v2/tickets/${ticketId}.json`, {
      json: {
        ticket: {
          comment: { body: note.body, public: false, ...(note.uploads ? { uploads: note.uploads } : {}) },
          ...(note.tags ? { additional_tags: note.tags } : {}),
        },
      },
    })
  } catch (error) {
    if (error instanceof ZendeskApiError && error.status === 422 && /closed/i.test(JSON.stringify(error.body))) {
      throw new ClosedTicketError(ticketId)
    }
    throw error
  }
}

/** The ticket's comments, newest pages included, to find what the bridge wrote before a crash. */
export async function listComments(client: ZendeskClient, ticketId: number): Promise<ZendeskComment[]> {
  const comments: ZendeskComment[] = []
  let page = 1
  for (; page <= COMMENT_PAGES_CHECKED; page += 1) {
    const result = await client.request<{ comments: ZendeskComment[]; next_page?: string | null }>(
      'GET',
      `/api/v2/tickets/${ticketId}/comments.json`,
      { query: { page, per_page: 100 } },
    )
    comments.push(...result.comments)
    if (!result.next_page) break
  }
  return comments
}
