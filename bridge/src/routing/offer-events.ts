import type { Logger } from 'pino'
import type { Database } from '../db/database'
import type { VoiceControl } from '../vonage/voice-control'
import { endOffer } from './dispatcher'

/** Agent leg statuses, by what they mean for the offer. */
const OFFER_ENDINGS: Record<string, 'missed' | 'failed' | 'cancelled'> = {
  timeout: 'missed',
  unanswered: 'missed',
  busy: 'missed',
  failed: 'failed',
  rejected: 'failed',
  cancelled: 'cancelled',
}

export interface OfferUpdate {
  accepted?: { callId: string; agentId: string }
  ended: boolean
}

/**
 * Moves an offer on from a status of the agent's leg: answered means the agent took the
 * call, a ring failure sends the caller back to the queue, and the end of an accepted
 * call starts the agent's wrap-up.
 */
export async function onOfferStatus(db: Database, offerId: string, status: string, maxMissed: number, log: Logger): Promise<OfferUpdate> {
  if (status === 'answered') return { accepted: await acceptOffer(db, offerId), ended: false }
  const ending = OFFER_ENDINGS[status]
  if (ending !== undefined) {
    await endOffer(db, offerId, ending, `agent leg ${status}`, maxMissed)
    log.info({ offerId, status }, 'offer not taken; caller goes back to the queue')
    return { ended: true }
  }
  if (status === 'completed') {
    const wrapped = await startWrapUp(db, offerId)
    if (!wrapped) await endOffer(db, offerId, 'missed', 'agent leg completed without answering', maxMissed)
    return { ended: true }
  }
  return { ended: false }
}

async function acceptOffer(db: Database, offerId: string): Promise<{ callId: string; agentId: string } | undefined> {
  return db.transaction(async (tx) => {
    const offer = await tx.query<{ call_id: string; agent_id: string }>(
      `UPDATE offers SET state = 'accepted' WHERE id = $1 AND state = 'ringing' RETURNING call_id, agent_id`,
      [offerId],
    )
    if (offer.rowCount === 0) return undefined
    const { call_id: callId, agent_id: agentId } = offer.rows[0]
    await tx.query(`UPDATE agents SET state = 'on_call', state_changed_at = now(), missed_offers = 0 WHERE id = $1`, [agentId])
    await tx.query(`UPDATE queue_entries SET state = 'connected', updated_at = now() WHERE call_id = $1`, [callId])
    await tx.query(`UPDATE calls SET agent_id = $2, destination = (SELECT name FROM agents WHERE id = $2) WHERE id = $1`, [callId, agentId])
    return { callId, agentId }
  })
}

async function startWrapUp(db: Database, offerId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const offer = await tx.query<{ agent_id: string; call_id: string }>(
      `UPDATE offers SET state = 'ended', ended_at = now() WHERE id = $1 AND state = 'accepted' RETURNING agent_id, call_id`,
      [offerId],
    )
    if (offer.rowCount === 0) return false
    await tx.query(
      `UPDATE agents SET state = 'wrap_up', state_changed_at = now(), current_call_id = NULL WHERE id = $1 AND current_call_id = $2`,
      [offer.rows[0].agent_id, offer.rows[0].call_id],
    )
    return true
  })
}

/**
 * Handles a caller who hung up while waiting or while an agent was being rung: the queue
 * entry is abandoned and a ringing agent leg is hung up. A caller who booked a callback
 * keeps their place.
 */
export async function onCallerGone(db: Database, voice: VoiceControl, callId: string, log: Logger): Promise<void> {
  const ringing = await db.transaction(async (tx) => {
    await tx.query(`UPDATE queue_entries SET state = 'abandoned', updated_at = now() WHERE call_id = $1 AND state IN ('waiting', 'offering')`, [callId])
    // An agent still on this call (an outbound call, or the far end hung up first) starts wrap-up.
    await tx.query(`UPDATE agents SET state = 'wrap_up', state_changed_at = now(), current_call_id = NULL WHERE current_call_id = $1 AND state = 'on_call'`, [callId])
    const offers = await tx.query<{ id: string; agent_leg_id: string | null; region_url: string | null }>(
      `SELECT o.id, o.agent_leg_id, c.region_url FROM offers o JOIN calls c ON c.id = o.call_id
       WHERE o.call_id = $1 AND o.state = 'ringing'`,
      [callId],
    )
    return offers.rows
  })
  for (const offer of ringing) {
    await endOffer(db, offer.id, 'cancelled', 'caller hung up')
    if (offer.agent_leg_id) {
      await voice.hangup(offer.agent_leg_id, null).catch((error) => log.warn({ err: error, callId, offerId: offer.id }, 'could not hang up the agent leg'))
    }
  }
}
