import type { Logger } from 'pino'
import type { Database } from '../db/database'
import type { ZendeskClient } from '../zendesk/client'
import { loadCallerContext } from './caller-context'

/**
 * Opens the caller's ticket (or, without one, their user profile) in the agent's Zendesk
 * browser through Talk Partner Edition's display endpoints, once the agent takes the call.
 */
export async function popScreen(db: Database, zendesk: ZendeskClient, callId: string, agentId: string, log: Logger): Promise<void> {
  const row = await db.query<{ zendesk_user_id: string; from_e164: string | null }>(
    'SELECT a.zendesk_user_id, c.from_e164 FROM agents a, calls c WHERE a.id = $1 AND c.id = $2',
    [agentId, callId],
  )
  if (row.rowCount === 0) return
  const agentUserId = Number(row.rows[0].zendesk_user_id)
  const caller = await loadCallerContext(db, row.rows[0].from_e164)
  if (caller.openTicket) {
    await zendesk.request('POST', `/api/v2/channels/voice/agents/${agentUserId}/tickets/${caller.openTicket.id}/display.json`)
    log.info({ ticketId: caller.openTicket.id, agentId }, 'ticket shown to the agent')
  } else if (caller.zendeskUserId) {
    await zendesk.request('POST', `/api/v2/channels/voice/agents/${agentUserId}/users/${caller.zendeskUserId}/display.json`)
    log.info({ requesterId: caller.zendeskUserId, agentId }, 'caller profile shown to the agent')
  }
}
