import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Database } from '../db/database'
import type { Ncco } from '../vonage/ncco'
import type { VoiceControl } from '../vonage/voice-control'

/** Seconds the customer's phone rings before Vonage gives up on the leg. */
const CUSTOMER_RING_SECONDS = 45
const LEG_FAILURES = new Set(['busy', 'cancelled', 'unanswered', 'rejected', 'failed', 'timeout'])

/** Creates a name for an outbound call's conversation. Vonage joins legs by name, so names are never reused. */
export function outboundConversationName(): string {
  return `centralino-out-${randomBytes(8).toString('hex')}`
}

/** Builds the event URL of the customer's leg. It names the call, so the leg's first events find it. */
export function customerEventUrl(publicUrl: string, callId: string): string {
  return `${publicUrl}/vonage/event?step=customer&call=${encodeURIComponent(callId)}`
}

/** Builds the event URL of the conversation, where its recording arrives. It names the conversation, which leads to the call. */
export function conversationEventUrl(publicUrl: string, conversation: string): string {
  return `${publicUrl}/vonage/event?recording=call&outbound=${conversation}`
}

/** Builds the customer's NCCO: join the agent's conversation, which the agent's leg started and ends. */
export function customerNcco(conversation: string): Ncco {
  return [{ action: 'conversation', name: conversation, startOnEnter: true }]
}

interface OutboundRow {
  caller_leg_id: string | null
  agent_leg_id: string | null
  customer_leg_id: string | null
  customer_dial: string | null
  region_url: string | null
}

/**
 * Follows a status of a leg of an outbound call. When the agent's leg is answered, the
 * customer is dialled once. When the agent's leg ends first, the dial is cancelled. When the
 * customer's leg ends while the agent who placed the call is still on it, the agent is hung
 * up, as a connect action would. Returns whether the call itself is over, which is when its
 * caller leg (the agent's leg, or the customer's after a transfer) completed.
 */
export async function followOutboundLeg(db: Database, voice: VoiceControl, publicUrl: string, callId: string, legId: string | null, status: string, log: Logger): Promise<{ callEnded: boolean }> {
  const found = await db.query<OutboundRow>(
    `SELECT caller_leg_id, agent_leg_id, customer_leg_id, customer_dial, region_url FROM calls WHERE id = $1 AND direction = 'outbound'`,
    [callId],
  )
  const call = found.rows[0]
  if (call === undefined || legId === null) return { callEnded: status === 'completed' }
  const callEnded = status === 'completed' && legId === call.caller_leg_id
  if (call.customer_dial === null) return { callEnded: status === 'completed' }

  if (legId === call.agent_leg_id && status === 'answered') await dialCustomer(db, voice, publicUrl, callId, log)
  if (legId === call.agent_leg_id && (status === 'completed' || LEG_FAILURES.has(status))) {
    const cancelled = await db.query(`UPDATE calls SET customer_dial = 'cancelled' WHERE id = $1 AND customer_dial = 'waiting'`, [callId])
    if (cancelled.rowCount > 0) log.info({ callId, status }, 'agent leg ended before it was answered; the customer is not dialled')
  }
  const customerGone = legId === call.customer_leg_id && (status === 'completed' || LEG_FAILURES.has(status))
  if (customerGone && call.agent_leg_id !== null && call.agent_leg_id === call.caller_leg_id) {
    // The agent's conversation would otherwise stay open with only the agent in it.
    await voice.hangup(call.agent_leg_id, call.region_url).catch((error) => log.warn({ err: error, callId }, 'could not hang up the agent after the customer left'))
  }
  return { callEnded }
}

/**
 * Dials the customer into the agent's conversation. The conditional UPDATE lets only one
 * webhook (of duplicated or reordered answered events, on any bridge process) place the
 * call. When Vonage rejects the dial, the agent's leg is hung up and the call ends with the
 * reason stored for the ticket note.
 */
export async function dialCustomer(db: Database, voice: VoiceControl, publicUrl: string, callId: string, parentLog: Logger): Promise<void> {
  const log = parentLog.child({ callId })
  const claimed = await db.query<{ from_e164: string; to_e164: string; conversation_name: string; agent_leg_id: string; region_url: string | null }>(
    `UPDATE calls SET customer_dial = 'dialing' WHERE id = $1 AND customer_dial = 'waiting' AND status = 'in_progress'
     RETURNING from_e164, to_e164, conversation_name, agent_leg_id, region_url`,
    [callId],
  )
  const call = claimed.rows[0]
  if (call === undefined) return
  let customerLeg: string
  try {
    const created = await voice.createCall({
      to: { type: 'phone', number: call.to_e164.replace(/^\+/, '') },
      from: call.from_e164.replace(/^\+/, ''),
      ncco: customerNcco(call.conversation_name),
      eventUrl: customerEventUrl(publicUrl, callId),
      ringingTimer: CUSTOMER_RING_SECONDS,
    })
    customerLeg = created.legId
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await db.query(`UPDATE calls SET customer_dial = 'failed', customer_dial_error = $2 WHERE id = $1`, [callId, reason.slice(0, 500)])
    log.error({ err: error }, 'Vonage rejected the call to the customer; hanging up the agent')
    await voice.hangup(call.agent_leg_id, call.region_url).catch((hangupError) => log.warn({ err: hangupError }, 'could not hang up the agent after the failed dial'))
    return
  }
  await db.query(`UPDATE calls SET customer_dial = 'dialled', customer_leg_id = $2 WHERE id = $1`, [callId, customerLeg])
  log.info({ customerLeg }, 'customer dialled into the outbound conversation')
  // A leg that failed at once may have reported before its id was stored above.
  const early = await db.query<{ status: string }>(`SELECT DISTINCT status FROM call_events WHERE call_id = $1 AND leg_id = $2 AND status IS NOT NULL`, [callId, customerLeg])
  for (const row of early.rows) await followOutboundLeg(db, voice, publicUrl, callId, customerLeg, row.status, log)
}

/** Returns the outbound call that a customer leg's webhook (by call id) or its conversation's webhook (by name) names, if it exists. */
export async function outboundCallOf(db: Database, key: { callId?: string; conversation?: string }): Promise<string | undefined> {
  const value = key.callId ?? key.conversation ?? ''
  if (value.length === 0 || value.length > 200) return undefined
  const column = key.callId !== undefined ? 'id' : 'outbound_conversation'
  const result = await db.query<{ id: string }>(`SELECT id FROM calls WHERE ${column} = $1 AND direction = 'outbound' AND outbound_conversation IS NOT NULL`, [value])
  return result.rows[0]?.id
}
