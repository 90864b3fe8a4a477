import type { ZendeskClient } from '../zendesk/client'
import { ZendeskApiError } from '../zendesk/client'
import { ticketForbidden, zendeskUserRejected } from './app-errors'
import type { AppUser } from './session'
import type { SignedIdentity } from './zendesk-token'

interface ZendeskUserRecord {
  id: number
  name: string
  role: 'end-user' | 'agent' | 'admin'
  custom_role_id?: number | null
  active?: boolean
  suspended?: boolean
  ticket_restriction?: string | null
  organization_id?: number | null
}

interface ZendeskTicketRecord {
  id: number
  requester_id: number
  assignee_id?: number | null
  group_id?: number | null
  brand_id?: number | null
  organization_id?: number | null
}

export interface TicketAccess {
  ticketId: number
  requesterId: number
  groupId: number | null
  brandId: number | null
}

const ACCESS_CACHE_MS = 60_000

/**
 * Looks up who a verified Zendesk user is (role, restriction) and which tickets they can
 * open, with the bridge's own Zendesk credentials: the role never comes from the browser.
 */
export class ZendeskDirectory {
  private readonly access = new Map<string, { at: number; result: TicketAccess | undefined }>()

  constructor(
    private readonly zendesk: ZendeskClient,
    private readonly leadRoleIds: number[],
  ) {}

  async resolveUser(identity: Pick<SignedIdentity, 'zendeskUserId' | 'account'>): Promise<AppUser> {
    const id = identity.zendeskUserId
    let record: ZendeskUserRecord
    try {
      record = (await this.zendesk.request<{ user: ZendeskUserRecord }>('GET', `/api/v2/users/${id}`)).user
    } catch (error) {
      if (error instanceof ZendeskApiError && error.status === 404) throw zendeskUserRejected(id, 'the user does not exist in Zendesk')
      throw error
    }
    if (record.role !== 'agent' && record.role !== 'admin') throw zendeskUserRejected(id, `the role is ${record.role}, expected agent or admin`)
    if (record.active === false || record.suspended === true) throw zendeskUserRejected(id, 'the user is suspended or deleted')
    return {
      zendeskUserId: id,
      name: record.name,
      isLead: record.role === 'admin' || (record.custom_role_id != null && this.leadRoleIds.includes(record.custom_role_id)),
      isAdmin: record.role === 'admin',
      // Zendesk sends null for agents who can open every ticket.
      ticketRestriction: record.ticket_restriction ?? null,
      organizationId: record.organization_id ?? null,
      account: identity.account,
    }
  }

  /** Returns the ticket's requester when `user` can open the ticket, or throws 403. */
  async requireTicket(user: AppUser, ticketId: number): Promise<TicketAccess> {
    const result = await this.ticketAccess(user, ticketId)
    if (!result) throw ticketForbidden(ticketId)
    return result
  }

  async ticketAccess(user: AppUser, ticketId: number): Promise<TicketAccess | undefined> {
    const key = `${user.zendeskUserId}:${ticketId}`
    const cached = this.access.get(key)
    if (cached && Date.now() - cached.at < ACCESS_CACHE_MS) return cached.result
    const result = await this.checkTicket(user, ticketId)
    if (this.access.size > 10_000) this.access.clear()
    this.access.set(key, { at: Date.now(), result })
    return result
  }

  private async checkTicket(user: AppUser, ticketId: number): Promise<TicketAccess | undefined> {
    let ticket: ZendeskTicketRecord
    try {
      ticket = (await this.zendesk.request<{ ticket: ZendeskTicketRecord }>('GET', `/api/v2/tickets/${ticketId}`)).ticket
    } catch (error) {
      if (error instanceof ZendeskApiError && error.status === 404) return undefined
      throw error
    }
    const result = { ticketId, requesterId: ticket.requester_id, groupId: ticket.group_id ?? null, brandId: ticket.brand_id ?? null }
    if (user.isLead || user.ticketRestriction === null) return result
    const me = user.zendeskUserId
    switch (user.ticketRestriction) {
      case 'assigned':
        return ticket.assignee_id === me ? result : undefined
      case 'requested':
        return ticket.requester_id === me ? result : undefined
      case 'organization':
        return user.organizationId !== null && ticket.organization_id === user.organizationId ? result : undefined
      case 'groups':
        return ticket.group_id != null && (await this.groupIds(me)).includes(ticket.group_id) ? result : undefined
      default:
        return undefined
    }
  }

  private async groupIds(userId: number): Promise<number[]> {
    const body = await this.zendesk.request<{ group_memberships: Array<{ group_id: number }> }>('GET', `/api/v2/users/${userId}/group_memberships`)
    return body.group_memberships.map((membership) => membership.group_id)
  }
}
