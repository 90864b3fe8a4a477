import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Config } from '../config'
import type { Database } from '../db/database'
import { VoiceApiError, type VoiceControl } from '../vonage/voice-control'
import { holdMusicUrl, loadAgentCall } from '../transfers/agent-call'
import { callNotLive, controlFailed, controlInvalid, unholdDuringConsult } from '../transfers/errors'
import { holdSteps, unholdSteps } from '../transfers/hold'
import { coldTransfer } from '../transfers/cold-transfer'
import { runSteps } from '../transfers/steps'

export const CONTROL_ACTIONS = ['mute', 'unmute', 'hold', 'unhold', 'dtmf', 'transfer', 'hangup'] as const
export type ControlAction = (typeof CONTROL_ACTIONS)[number]

export interface ControlRequest {
  callId: string
  zendeskUserId: number
  action: ControlAction
  digits?: string
  /** Number for a cold transfer. */
  to?: string
}

/**
 * Controls a live call for the agent on it. Each action goes to the call's region.
 * Mute silences the agent's leg. Hold earmuffs and mutes the customer's leg and plays the
 * hold music to it (see holdSteps). DTMF plays tones to the customer's side. A cold
 * transfer connects the customer to another number (see coldTransfer). Hangup ends the agent's leg. A
 * refusal from Vonage leaves the call as it was and is returned as a clear error.
 */
export async function controlCall(db: Database, voice: VoiceControl, config: Config, request: ControlRequest, parentLog: Logger): Promise<void> {
  const log = parentLog.child({ callId: request.callId })
  const call = await loadAgentCall(db, request.callId, request.zendeskUserId)
  if (call === undefined || call.agentLeg === null) throw callNotLive(request.callId)
  const { agentLeg, customerLeg, regionUrl } = call
  const needCustomer = (): string => {
    if (customerLeg === null) throw controlInvalid(`the customer is not connected yet, so "${request.action}" cannot be sent`)
    return customerLeg
  }
  try {
    switch (request.action) {
      case 'mute':
      case 'unmute':
        await voice.control(agentLeg, regionUrl, request.action)
        await db.query('UPDATE calls SET muted_leg_id = $2 WHERE id = $1', [request.callId, request.action === 'mute' ? agentLeg : null])
        break
      case 'hold':
      case 'unhold': {
        const customer = needCustomer()
        if (call.onHold === (request.action === 'hold')) break
        if (request.action === 'unhold' && (await consultInProgress(db, request.callId))) {
          throw unholdDuringConsult()
        }
        const music = holdMusicUrl(call.queue?.holdMusicUrl, config)
        const steps = request.action === 'hold' ? holdSteps(voice, customer, regionUrl, music) : unholdSteps(voice, customer, regionUrl, music)
        await runSteps(steps, log)
        await db.query('UPDATE calls SET on_hold = $2 WHERE id = $1', [request.callId, request.action === 'hold'])
        break
      }
      case 'dtmf':
        if (!request.digits || !/^[0-9*#p]{1,32}$/.test(request.digits)) throw controlInvalid(`digits "${request.digits ?? ''}" must be 1 to 32 of 0-9, *, # and p (a pause)`)
        await voice.sendDtmf(needCustomer(), regionUrl, request.digits)
        break
      case 'transfer':
        // The same cold transfer as the transfer route, so the call log names the number and the agent is released.
        needCustomer()
        await coldTransfer(db, voice, config, { callId: request.callId, zendeskUserId: request.zendeskUserId, target: { type: 'number', value: request.to ?? '' } }, parentLog)
        break
      case 'hangup':
        await voice.control(agentLeg, regionUrl, 'hangup')
        break
    }
  } catch (error) {
    if (error instanceof VoiceApiError) {
      log.warn({ err: error, action: request.action }, 'call control failed')
      throw controlFailed(request.action, `${error.status}`)
    }
    throw error
  }
  log.info({ action: request.action }, 'call control sent')
}

async function consultInProgress(db: Database, callId: string): Promise<boolean> {
  const result = await db.query(`SELECT 1 FROM call_transfers WHERE call_id = $1 AND state IN ('dialing', 'consulting')`, [callId])
  return result.rowCount > 0
}
