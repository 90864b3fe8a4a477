import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Logger as PinoLogger } from 'pino'
import type { Config } from '../config'
import type { Database, Queryable } from '../db/database'
import { languageFromLocale } from '../i18n/language'
import { ringAgent, type Offer } from '../routing/dispatcher'
import { VoiceApiError, type VoiceControl } from '../vonage/voice-control'
import { holdMusicUrl, loadAgentCall, type AgentCall } from './agent-call'
import { callNotLive, controlFailed, controlInvalid, transferRejected } from './errors'
import { handoverConversationName, insertTransfer, releaseFirstAgent, waitingConversation } from './handover'
import { unholdSteps } from './hold'
import { runSteps, type VoiceStep } from './steps'
import { resolveTarget, type ResolvedTarget, type TargetRequest } from './targets'

export interface TransferRequest {
  callId: string
  zendeskUserId: number
  target: TargetRequest
}

/** Loads the agent's call for a transfer or consultation, with both legs present. */
export async function requireTransferableCall(db: Queryable, callId: string, zendeskUserId: number): Promise<AgentCall & { agentLeg: string; customerLeg: string }> {
  const call = await loadAgentCall(db, callId, zendeskUserId)
  if (call === undefined || call.agentLeg === null) throw callNotLive(callId)
  if (call.customerLeg === null) throw controlInvalid('the customer is not connected yet, so the call cannot be transferred')
  return { ...call, agentLeg: call.agentLeg, customerLeg: call.customerLeg }
}

/** Agents and queues take over a customer who waits in a named conversation, which calls connected straight to a number lack. */
export function requireConversation(call: AgentCall, target: ResolvedTarget): void {
  if (target.type !== 'number' && call.conversation === null) {
    throw transferRejected('this call is connected straight to a number, not through a conversation, so an agent or a queue cannot take it over; transfer it to a number instead')
  }
}

/**
 * The queue a customer without a queue entry (an outbound call) waits in for an agent
 * target: the first queue, by id, that the agent's team serves. The ACD offers the call
 * from there to the next agent when the target does not answer.
 */
async function queueForAgentTarget(db: Queryable, call: AgentCall, target: ResolvedTarget): Promise<string | undefined> {
  if (target.type === 'queue') return target.id
  if (target.type !== 'agent' || call.queue !== null) return call.queue?.queueId
  const result = await db.query<{ id: string }>(
    'SELECT q.id FROM queues q JOIN agents a ON a.team_id = ANY(q.team_ids) WHERE a.id = $1 ORDER BY q.id LIMIT 1',
    [target.id],
  )
  const queueId = result.rows[0]?.id
  if (queueId === undefined) throw transferRejected(`the team of "${target.label}" serves no queue, so the customer would have nowhere to wait if they do not answer; transfer to a queue instead`)
  return queueId
}

/**
 * Cold transfer: the customer leaves the agent at once. To a number, the customer's leg is
 * connected to it. To an agent or a queue, the customer moves into a new conversation with
 * hold music and the first agent goes to wrap-up. The ACD's offers then ring the target
 * agent, or the queue's next agent while the caller keeps their original place in line.
 */
export async function coldTransfer(db: Database, voice: VoiceControl, config: Config, request: TransferRequest, parentLog: Logger): Promise<{ transferId: string }> {
  const log = parentLog.child({ callId: request.callId })
  const call = await requireTransferableCall(db, request.callId, request.zendeskUserId)
  const target = await resolveTarget(db, config, call, request.target)
  requireConversation(call, target)
  const waitingQueue = target.type === 'number' ? undefined : await queueForAgentTarget(db, call, target)
  const live = await db.query(`SELECT 1 FROM call_transfers WHERE call_id = $1 AND state IN ('dialing', 'consulting', 'conference', 'target_left')`, [call.callId])
  if (live.rowCount > 0) throw transferRejected('a consultation is in progress; complete it or return to the customer first')

  const conversation = target.type === 'number' ? null : handoverConversationName(call.callId)
  const music = holdMusicUrl(target.type === 'queue' ? (target.queue.hold_music_url ?? call.queue?.holdMusicUrl) : call.queue?.holdMusicUrl, config)
  const steps: VoiceStep[] = call.onHold ? unholdSteps(voice, call.customerLeg, call.regionUrl, holdMusicUrl(call.queue?.holdMusicUrl, config)) : []
  const ncco =
    conversation === null
      ? [{ action: 'connect', from: (call.ourNumber ?? '').replace(/^\+/, ''), endpoint: [{ type: 'phone', number: target.id.replace(/^\+/, '') }] }]
      : waitingConversation(conversation, music, config.publicUrl)
  steps.push({ name: 'move customer', run: () => voice.transfer(call.customerLeg, call.regionUrl, ncco) })
  try {
    await runSteps(steps, log)
  } catch (error) {
    if (error instanceof VoiceApiError) {
      log.warn({ err: error, target: target.type }, 'cold transfer failed')
      throw controlFailed('transfer', String(error.status))
    }
    throw error
  }
  // The customer has left; the first agent's leg is hung up, and a failure only leaves them in silence.
  await voice.control(call.agentLeg, call.regionUrl, 'hangup').catch((error) => log.warn({ err: error }, 'could not hang up the first agent after a transfer'))

  const { transferId, offer } = await db.transaction(async (tx) => {
    await releaseFirstAgent(tx, call.callId, call.agentId)
    await tx.query('UPDATE calls SET on_hold = false WHERE id = $1', [call.callId])
    const offer = await requeue(tx, call, target, conversation, waitingQueue)
    const transferId = await insertTransfer(tx, {
      callId: call.callId,
      kind: 'cold',
      targetType: target.type,
      targetId: target.id,
      targetLabel: target.label,
      targetAgentId: target.type === 'agent' ? target.id : null,
      fromAgentId: call.agentId,
      state: 'completed',
      conversationName: conversation,
    })
    return { transferId, offer }
  })
  if (offer !== undefined) await ringAgent(db, voice, offer, config.publicUrl, log as unknown as PinoLogger)
  log.info({ transferId, target: target.type, targetId: target.id, ringing: offer !== undefined }, 'call transferred')
  return { transferId }
}

/**
 * Puts the caller's queue entry where the target needs it: offered to the target agent when
 * they are still available (else waiting for the ACD), or waiting in the target queue. The
 * entry keeps its enqueued_at, so the caller goes ahead of callers who arrived later. The
 * customer of an outbound call has no entry yet and joins the queue like a new caller.
 */
async function requeue(tx: Queryable, call: AgentCall, target: ResolvedTarget, conversation: string | null, waitingQueue: string | undefined): Promise<Offer | undefined> {
  if (conversation === null || waitingQueue === undefined) return undefined
  if (call.queue === null) await enterQueue(tx, call, waitingQueue, conversation)
  if (target.type === 'queue') {
    await tx.query(
      `UPDATE queue_entries SET queue_id = $2, state = 'waiting', conversation_name = $3, preferred_agent_id = NULL, preferred_until = NULL, updated_at = now() WHERE call_id = $1`,
      [call.callId, target.id, conversation],
    )
    await tx.query('UPDATE calls SET queue_id = $2 WHERE id = $1', [call.callId, target.id])
    return undefined
  }
  await tx.query(`UPDATE queue_entries SET state = 'waiting', conversation_name = $2, updated_at = now() WHERE call_id = $1`, [call.callId, conversation])
  if (target.type !== 'agent') return undefined
  const claimed = await tx.query(`UPDATE agents SET state = 'offered', state_changed_at = now(), current_call_id = $2 WHERE id = $1 AND state = 'available'`, [target.id, call.callId])
  // The target took another call meanwhile: the caller waits and the ACD finds the next agent.
  if (claimed.rowCount === 0) return undefined
  await tx.query(`UPDATE queue_entries SET state = 'offering', updated_at = now() WHERE call_id = $1`, [call.callId])
  const details = await tx.query<{ ring_seconds: number; name: string; from_e164: string | null }>(
    `SELECT q.ring_seconds, q.name, CASE WHEN c.direction = 'outbound' THEN c.to_e164 ELSE c.from_e164 END AS from_e164 FROM queues q, calls c WHERE q.id = $1 AND c.id = $2`,
    [waitingQueue, call.callId],
  )
  const { ring_seconds: ringSeconds, name: queueName, from_e164: callerNumber } = details.rows[0]
  const inserted = await tx.query<{ id: string }>(`INSERT INTO offers (call_id, agent_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING id`, [
    call.callId,
    target.id,
    ringSeconds,
  ])
  return {
    offerId: String(inserted.rows[0].id),
    callId: call.callId,
    agentId: target.id,
    agentName: target.label,
    device: target.agent.device,
    agentLanguage: languageFromLocale(target.agent.languages.includes(call.language) || target.agent.languages.length === 0 ? call.language : target.agent.languages[0]),
    callerNumber,
    calledNumber: call.ourNumber,
    queueName,
    ringSeconds,
    conversationName: conversation,
    callbackNumber: null,
  }
}

/** Adds the queue entry of an outbound call's customer, who waits in `conversation` from now on. */
async function enterQueue(tx: Queryable, call: AgentCall & { customerLeg: string | null }, queueId: string, conversation: string): Promise<void> {
  await tx.query(
    `INSERT INTO queue_entries (call_id, queue_id, language, caller_leg_id, region_url, conversation_name)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (call_id) DO UPDATE SET queue_id = $2, state = 'waiting', caller_leg_id = $4, conversation_name = $6, enqueued_at = now(), updated_at = now()`,
    [call.callId, queueId, call.language, call.customerLeg, call.regionUrl, conversation],
  )
  await tx.query('UPDATE calls SET queue_id = $2 WHERE id = $1', [call.callId, queueId])
}
