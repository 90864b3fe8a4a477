import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Config } from '../config'
import type { Database } from '../db/database'
import { PROMPTS } from '../i18n/prompts'
import { TRANSFER_TEXTS } from '../i18n/transfer-texts'
import { fill } from '../i18n/ticket-texts'
import type { Ncco } from '../vonage/ncco'
import { VoiceApiError, type CallEndpoint, type VoiceControl } from '../vonage/voice-control'
import { holdMusicUrl } from './agent-call'
import { requireTransferableCall, type TransferRequest } from './cold-transfer'
import { controlFailed, transferRejected } from './errors'
import { insertTransfer } from './handover'
import { holdSteps } from './hold'
import { runSteps, type VoiceStep } from './steps'
import { endpointOf, nextAgentOfQueue, resolveTarget, type TargetAgent } from './targets'

/**
 * Starts a consultation, the first half of a warm transfer. The customer goes on hold with
 * music, and the bridge calls the target (an agent, the next available agent of a queue, or
 * a number) into the call's conversation, where the agent and the target talk. A row in call_transfers claims the call first, so a second click or a second bridge
 * process gets a clear 409 instead of a second target.
 */
export async function startConsult(db: Database, voice: VoiceControl, config: Config, request: TransferRequest, parentLog: Logger): Promise<{ transferId: string }> {
  const log = parentLog.child({ callId: request.callId })
  const call = await requireTransferableCall(db, request.callId, request.zendeskUserId)
  const target = await resolveTarget(db, config, call, request.target)
  // The target joins the customer's named conversation, which a call connected straight to a number lacks.
  if (call.conversation === null) throw transferRejected('this call is connected straight to a number, not through a conversation, so nobody can join it for a consultation; transfer it to a number instead')
  const conversation = call.conversation

  let agent: TargetAgent | undefined = target.type === 'agent' ? target.agent : undefined
  if (target.type === 'queue') {
    agent = await nextAgentOfQueue(db, target.queue, call.agentId, new Date())
    if (agent === undefined) throw transferRejected(`no agent of queue "${target.label}" is available now; try again later or transfer to the queue`)
  }
  const label = target.type === 'queue' ? `${agent!.name} (${target.label})` : target.label
  const transferId = await claimConsult(db, call.callId, call.agentId, { type: target.type, id: target.id, label, agentId: agent?.id ?? null, conversation })

  const endpoint: CallEndpoint = agent ? endpointOf(agent.device) : { type: 'phone', number: target.id.replace(/^\+/, '') }
  const music = holdMusicUrl(call.queue?.holdMusicUrl, config)
  const steps: VoiceStep[] = call.onHold ? [] : holdSteps(voice, call.customerLeg, call.regionUrl, music)
  let targetLeg = ''
  steps.push({
    name: 'call target',
    run: async () => {
      const eventUrl = `${config.publicUrl}/vonage/event?step=transfer&transfer=${transferId}`
      const ncco = targetNcco(conversation, eventUrl, agent ? fill(TRANSFER_TEXTS[call.language].consultWhisper, { agent: call.agentName, caller: await callerOf(db, call.callId) }) : undefined, call.language)
      const created = await voice.createCall({ to: endpoint, from: (call.ourNumber ?? '').replace(/^\+/, ''), ncco, eventUrl, ringingTimer: 30 })
      targetLeg = created.legId
    },
  })
  try {
    await runSteps(steps, log)
  } catch (error) {
    await releaseClaim(db, transferId, call.callId, agent?.id ?? null)
    if (error instanceof VoiceApiError) {
      log.warn({ err: error, transferId }, 'consultation failed')
      throw controlFailed('start a consultation on', String(error.status))
    }
    throw error
  }
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE call_transfers SET state = 'consulting', target_leg_id = $2 WHERE id = $1 AND state = 'dialing'`, [transferId, targetLeg])
    await tx.query('UPDATE calls SET on_hold = true WHERE id = $1', [call.callId])
  })
  log.info({ transferId, target: target.type, targetId: target.id, targetLeg }, 'consultation started')
  return { transferId }
}

/** The target joins the call's conversation; an agent first hears who asks and about which caller. */
function targetNcco(conversation: string, eventUrl: string, whisper: string | undefined, language: 'it' | 'en'): Ncco {
  const intro: Ncco = whisper ? [{ action: 'talk', text: whisper, language: PROMPTS[language].ttsLanguage }] : []
  return [...intro, { action: 'conversation', name: conversation, startOnEnter: true, eventUrl: [eventUrl] }]
}

/** Returns the customer's number: the caller of an inbound call, the called number of an outbound one. */
async function callerOf(db: Database, callId: string): Promise<string> {
  const result = await db.query<{ customer: string | null }>(`SELECT CASE WHEN direction = 'outbound' THEN to_e164 ELSE from_e164 END AS customer FROM calls WHERE id = $1`, [callId])
  return result.rows[0]?.customer ?? '-'
}

/** Inserts the consultation row and marks a target agent busy, in one transaction; the unique index rejects a second live one. */
async function claimConsult(
  db: Database,
  callId: string,
  fromAgentId: string,
  target: { type: string; id: string; label: string; agentId: string | null; conversation: string },
): Promise<string> {
  try {
    return await db.transaction(async (tx) => {
      const transferId = await insertTransfer(tx, {
        callId,
        kind: 'warm',
        targetType: target.type,
        targetId: target.id,
        targetLabel: target.label,
        targetAgentId: target.agentId,
        fromAgentId,
        state: 'dialing',
        conversationName: target.conversation,
      })
      if (target.agentId !== null) {
        const claimed = await tx.query(`UPDATE agents SET state = 'on_call', state_changed_at = now(), current_call_id = $2 WHERE id = $1 AND state = 'available'`, [target.agentId, callId])
        if (claimed.rowCount === 0) throw transferRejected(`agent "${target.label}" just became busy; pick another target`)
      }
      return transferId
    })
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw transferRejected('a consultation is already in progress on this call; complete it or return to the customer first')
    throw error
  }
}

/** Undoes claimConsult after Vonage refused: the row goes and the target agent is available again. */
async function releaseClaim(db: Database, transferId: string, callId: string, agentId: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM call_transfers WHERE id = $1', [transferId])
    if (agentId !== null) {
      await tx.query(`UPDATE agents SET state = 'available', state_changed_at = now(), current_call_id = NULL WHERE id = $1 AND current_call_id = $2`, [agentId, callId])
    }
  })
}
