import { randomBytes } from 'node:crypto'
import type { Queryable } from '../db/database'
import { conversationName } from '../routing/router'
import type { Ncco } from '../vonage/ncco'

/**
 * Returns a new conversation name for a customer who changes hands. The old conversation
 * ends when the first agent leaves it (their leg joined with endOnExit), so the customer must
 * be in another one by then. Vonage joins legs by name, so a name is never used twice.
 */
export function handoverConversationName(callId: string): string {
  return `${conversationName(callId)}-${randomBytes(4).toString('hex')}`
}

/** Builds the NCCO of a customer who waits alone in a new conversation, hearing the music until someone joins with startOnEnter. */
export function waitingConversation(name: string, musicUrl: string | undefined, publicUrl: string): Ncco {
  return [
    {
      action: 'conversation',
      name,
      startOnEnter: false,
      ...(musicUrl ? { musicOnHoldUrl: [musicUrl] } : {}),
      eventUrl: [`${publicUrl}/vonage/event?step=conversation`],
    },
  ]
}

/**
 * Releases the agent who hands the call over: their accepted offer ends and they go to
 * wrap-up, as when they hang up. Their leg's own completed event then finds nothing to do.
 * On an outbound call the customer's leg becomes the caller leg, so the call goes on until
 * the customer leaves instead of ending with the first agent's leg.
 */
export async function releaseFirstAgent(tx: Queryable, callId: string, agentId: string): Promise<void> {
  await tx.query(
    `UPDATE calls SET caller_leg_id = customer_leg_id, agent_leg_id = NULL WHERE id = $1 AND direction = 'outbound' AND customer_leg_id IS NOT NULL`,
    [callId],
  )
  await tx.query(`UPDATE offers SET state = 'ended', ended_at = now() WHERE call_id = $1 AND agent_id = $2 AND state = 'accepted'`, [callId, agentId])
  await tx.query(`UPDATE agents SET state = 'wrap_up', state_changed_at = now(), current_call_id = NULL WHERE id = $1 AND current_call_id = $2`, [agentId, callId])
}

export interface TransferRow {
  callId: string
  kind: 'cold' | 'warm'
  targetType: string
  targetId: string
  targetLabel: string
  targetAgentId: string | null
  fromAgentId: string
  state: string
  conversationName: string | null
}

export async function insertTransfer(tx: Queryable, row: TransferRow): Promise<string> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO call_transfers (call_id, kind, target_type, target_id, target_label, target_agent_id, from_agent_id, state, conversation_name, ended_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $8 IN ('completed', 'failed') THEN now() END) RETURNING id`,
    [row.callId, row.kind, row.targetType, row.targetId, row.targetLabel, row.targetAgentId, row.fromAgentId, row.state, row.conversationName],
  )
  return String(inserted.rows[0].id)
}
