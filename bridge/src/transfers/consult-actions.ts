import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Config } from '../config'
import type { Database, Queryable } from '../db/database'
import { VoiceApiError, type VoiceControl } from '../vonage/voice-control'
import { holdMusicUrl, type AgentCall } from './agent-call'
import { requireTransferableCall } from './cold-transfer'
import { consultBusy, consultNotFound, controlFailed, transferRejected } from './errors'
import { handoverConversationName, releaseFirstAgent, waitingConversation } from './handover'
import { unholdSteps } from './hold'
import { runSteps, type VoiceStep } from './steps'

export const CONSULT_ACTIONS = ['complete', 'return', 'conference', 'end'] as const
export type ConsultAction = (typeof CONSULT_ACTIONS)[number]

interface LiveConsult {
  id: string
  state: 'dialing' | 'consulting' | 'conference' | 'target_left'
  targetLeg: string | null
  targetAgentId: string | null
  targetLabel: string
}

type Call = AgentCall & { agentLeg: string; customerLeg: string }

/**
 * Finishes a consultation. complete: the customer and the target move into a new
 * conversation and the agent leaves for wrap-up. return: the target is hung up and the
 * customer comes off hold. conference: the customer comes off hold and all three talk;
 * complete then lets the agent leave. end: every leg is hung up.
 */
export async function consultAction(
  db: Database,
  voice: VoiceControl,
  config: Config,
  request: { callId: string; zendeskUserId: number; action: ConsultAction },
  parentLog: Logger,
): Promise<{ state: string }> {
  const log = parentLog.child({ callId: request.callId, action: request.action })
  const call = await requireTransferableCall(db, request.callId, request.zendeskUserId)
  const consult = await loadLiveConsult(db, call.callId)
  if (consult === undefined) throw consultNotFound(call.callId, request.action)
  await claimAction(db, consult, request.action)
  const music = holdMusicUrl(call.queue?.holdMusicUrl, config)
  try {
    const state = await ACTIONS[request.action]({ db, voice, config, call, consult, music, log })
    log.info({ transferId: consult.id, state }, 'consultation updated')
    return { state }
  } catch (error) {
    if (error instanceof VoiceApiError) {
      log.warn({ err: error, transferId: consult.id }, 'consultation action failed')
      throw controlFailed(`${request.action} the consultation on`, String(error.status))
    }
    throw error
  } finally {
    // On success the action already wrote the new state; on failure the row keeps the state it had.
    await db.query('UPDATE call_transfers SET pending_action = NULL, pending_since = NULL WHERE id = $1', [consult.id])
  }
}

/** A claim older than this belongs to a bridge process that stopped mid-action, so a new request may take over. */
const STALE_CLAIM_SECONDS = 120

/**
 * Marks the consultation as being changed by this request, if it is still in the state
 * this request read and no other request holds it. Every bridge process shares the row,
 * so a double click or a second process gets a 409 and sends nothing to Vonage.
 */
async function claimAction(db: Database, consult: LiveConsult, action: ConsultAction): Promise<void> {
  const claimed = await db.query(
    `UPDATE call_transfers SET pending_action = $3, pending_since = now()
     WHERE id = $1 AND state = $2 AND (pending_action IS NULL OR pending_since < now() - make_interval(secs => $4))`,
    [consult.id, consult.state, action, STALE_CLAIM_SECONDS],
  )
  if (claimed.rowCount > 0) return
  const current = await db.query<{ state: string; pending_action: string | null }>('SELECT state, pending_action FROM call_transfers WHERE id = $1', [consult.id])
  const row = current.rows[0]
  if (row?.pending_action) throw consultBusy(action, row.pending_action)
  throw transferRejected(`the consultation changed to "${row?.state ?? 'ended'}" meanwhile, so "${action}" was not sent; reload the call panel`)
}

interface ActionContext {
  db: Database
  voice: VoiceControl
  config: Config
  call: Call
  consult: LiveConsult
  music: string | undefined
  log: Logger
}

const ACTIONS: Record<ConsultAction, (context: ActionContext) => Promise<string>> = {
  async return({ db, voice, call, consult, music, log }) {
    const steps: VoiceStep[] = []
    if (consult.state !== 'target_left' && consult.targetLeg !== null) {
      steps.push({ name: 'hang up target', run: () => voice.control(consult.targetLeg!, call.regionUrl, 'hangup') })
    }
    if (call.onHold) steps.push(...unholdSteps(voice, call.customerLeg, call.regionUrl, music))
    await runSteps(steps, log)
    await db.transaction(async (tx) => {
      await finish(tx, consult, 'returned')
      await releaseTargetAgent(tx, consult, call.callId, 'available')
      await tx.query('UPDATE calls SET on_hold = false WHERE id = $1', [call.callId])
    })
    return 'returned'
  },

  async conference({ db, voice, call, consult, music, log }) {
    requireTarget(consult, 'conference')
    if (consult.state === 'consulting' || consult.state === 'dialing') await runSteps(unholdSteps(voice, call.customerLeg, call.regionUrl, music), log)
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE call_transfers SET state = 'conference' WHERE id = $1`, [consult.id])
      await tx.query('UPDATE calls SET on_hold = false WHERE id = $1', [call.callId])
    })
    return 'conference'
  },

  async complete({ db, voice, config, call, consult, music, log }) {
    const targetLeg = requireTarget(consult, 'complete')
    const conversation = handoverConversationName(call.callId)
    const oldConversation = call.conversation!
    await runSteps(
      [
        {
          name: 'move customer',
          run: () => voice.transfer(call.customerLeg, call.regionUrl, waitingConversation(conversation, music, config.publicUrl)),
          undo: () => voice.transfer(call.customerLeg, call.regionUrl, [{ action: 'conversation', name: oldConversation, startOnEnter: true }]),
        },
        { name: 'move target', run: () => voice.transfer(targetLeg, call.regionUrl, [{ action: 'conversation', name: conversation, startOnEnter: true, endOnExit: true }]) },
      ],
      log,
    )
    // Both have left the old conversation; what follows cannot be undone, so failures are logged only.
    if (call.onHold) {
      for (const step of unholdSteps(voice, call.customerLeg, call.regionUrl, music)) {
        await step.run().catch((error) => log.warn({ err: error, step: step.name }, 'could not take the customer off hold after the handover'))
      }
    }
    await voice.control(call.agentLeg, call.regionUrl, 'hangup').catch((error) => log.warn({ err: error }, 'could not hang up the first agent after the handover'))
    await db.transaction(async (tx) => handOver(tx, call, consult, targetLeg, conversation))
    return 'completed'
  },

  async end({ db, voice, call, consult, log }) {
    await voice.control(call.customerLeg, call.regionUrl, 'hangup')
    for (const leg of [consult.state === 'target_left' ? null : consult.targetLeg, call.agentLeg]) {
      if (leg) await voice.control(leg, call.regionUrl, 'hangup').catch((error) => log.warn({ err: error, legId: leg }, 'could not hang up a leg at the end of the call'))
    }
    await db.transaction(async (tx) => {
      await finish(tx, consult, 'ended')
      await releaseTargetAgent(tx, consult, call.callId, 'wrap_up')
    })
    return 'ended'
  },
}

function requireTarget(consult: LiveConsult, action: string): string {
  if (consult.state === 'target_left' || consult.targetLeg === null) {
    throw transferRejected(`${consult.targetLabel} is no longer on the line, so you cannot ${action}; use Return to take the customer back`)
  }
  return consult.targetLeg
}

/** Writes the database side of complete: an agent target becomes the call's agent, and the first agent wraps up. */
async function handOver(tx: Queryable, call: Call, consult: LiveConsult, targetLeg: string, conversation: string): Promise<void> {
  await tx.query(`UPDATE call_transfers SET state = 'completed', ended_at = now(), conversation_name = $2 WHERE id = $1`, [consult.id, conversation])
  await releaseFirstAgent(tx, call.callId, call.agentId)
  await tx.query('UPDATE calls SET on_hold = false WHERE id = $1', [call.callId])
  await tx.query('UPDATE queue_entries SET conversation_name = $2, updated_at = now() WHERE call_id = $1', [call.callId, conversation])
  await tx.query(`UPDATE calls SET conversation_name = $2 WHERE id = $1 AND direction = 'outbound'`, [call.callId, conversation])
  if (consult.targetAgentId === null) return
  // An accepted offer with the target's leg lets the new agent control and log the call like one the ACD gave them.
  await tx.query(`INSERT INTO offers (call_id, agent_id, state, agent_leg_id, expires_at) VALUES ($1, $2, 'accepted', $3, now())`, [call.callId, consult.targetAgentId, targetLeg])
  await tx.query(`UPDATE calls SET agent_id = $2, destination = (SELECT name FROM agents WHERE id = $2) WHERE id = $1`, [call.callId, consult.targetAgentId])
}

async function finish(tx: Queryable, consult: LiveConsult, state: 'returned' | 'ended'): Promise<void> {
  await tx.query('UPDATE call_transfers SET state = $2, ended_at = now() WHERE id = $1', [consult.id, state])
}

/** Frees a consulted agent who does not take the call over. */
export async function releaseTargetAgent(tx: Queryable, consult: { targetAgentId: string | null }, callId: string, state: 'available' | 'wrap_up'): Promise<void> {
  if (consult.targetAgentId === null) return
  await tx.query(`UPDATE agents SET state = $3, state_changed_at = now(), current_call_id = NULL WHERE id = $1 AND current_call_id = $2`, [consult.targetAgentId, callId, state])
}

export async function loadLiveConsult(db: Queryable, callId: string): Promise<LiveConsult | undefined> {
  const result = await db.query<{ id: string; state: LiveConsult['state']; target_leg_id: string | null; target_agent_id: string | null; target_label: string }>(
    `SELECT id, state, target_leg_id, target_agent_id, target_label FROM call_transfers
     WHERE call_id = $1 AND state IN ('dialing', 'consulting', 'conference', 'target_left')`,
    [callId],
  )
  const row = result.rows[0]
  return row && { id: String(row.id), state: row.state, targetLeg: row.target_leg_id, targetAgentId: row.target_agent_id, targetLabel: row.target_label }
}
