import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Config } from '../config'
import type { Database } from '../db/database'
import { BridgeError } from '../errors'
import { checkOutboundNumber } from './outbound-call'
import { VoiceApiError, type VoiceControl } from '../vonage/voice-control'

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

const callNotLive = (callId: string) => new BridgeError('CENTRALINO_ERR_CALL_NOT_LIVE', 409, `Call "${callId}" is not in progress with you as its agent`)
const controlFailed = (action: string, reason: string) =>
  new BridgeError('CENTRALINO_ERR_CALL_CONTROL', 502, `Vonage did not ${action} the call (${reason}); the call is as it was, try again`)
const controlInvalid = (reason: string) => new BridgeError('CENTRALINO_ERR_CALL_CONTROL_INPUT', 400, reason)

interface LiveCall {
  agentLeg: string | null
  customerLeg: string | null
  regionUrl: string | null
  /** Our Vonage number on this call, the caller id for a transfer. */
  ourNumber: string | null
}

/**
 * Controls a live call for the agent on it. Each action goes to the call's region:
 * mute silences the agent's leg; hold stops both sides hearing each other (the customer's
 * leg is earmuffed and the agent's muted); dtmf plays tones to the customer's side; a
 * cold transfer moves the customer to another number; hangup ends the agent's leg. A
 * refusal from Vonage leaves the call as it was and is returned as a clear error.
 */
export async function controlCall(db: Database, voice: VoiceControl, config: Config, request: ControlRequest, log: Logger): Promise<void> {
  const call = await loadLiveCall(db, request.callId, request.zendeskUserId)
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
        break
      case 'hold':
        await voice.control(needCustomer(), regionUrl, 'earmuff')
        await voice.control(agentLeg, regionUrl, 'mute')
        break
      case 'unhold':
        await voice.control(needCustomer(), regionUrl, 'unearmuff')
        await voice.control(agentLeg, regionUrl, 'unmute')
        break
      case 'dtmf':
        if (!request.digits || !/^[0-9*#p]{1,32}$/.test(request.digits)) throw controlInvalid(`digits "${request.digits ?? ''}" must be 1 to 32 of 0-9, *, # and p (a pause)`)
        await voice.sendDtmf(needCustomer(), regionUrl, request.digits)
        break
      case 'transfer': {
        const target = checkOutboundNumber(request.to ?? '', config.outbound, config.vonage.defaultCountry)
        const from = (call.ourNumber ?? '').replace(/^\+/, '')
        await voice.transfer(needCustomer(), regionUrl, [{ action: 'connect', from, endpoint: [{ type: 'phone', number: target.replace(/^\+/, '') }] }])
        break
      }
      case 'hangup':
        await voice.control(agentLeg, regionUrl, 'hangup')
        break
    }
  } catch (error) {
    if (error instanceof VoiceApiError) {
      log.warn({ err: error, callId: request.callId, action: request.action }, 'call control failed')
      throw controlFailed(request.action, `${error.status}`)
    }
    throw error
  }
  log.info({ callId: request.callId, action: request.action }, 'call control sent')
}

/**
 * The legs of a call whose agent is this Zendesk user: the agent's leg and the customer's
 * leg, from the call's stored legs (outbound: the first leg is the agent's; inbound: the
 * caller's leg is the customer's and the accepted offer names the agent's).
 */
async function loadLiveCall(db: Database, callId: string, zendeskUserId: number): Promise<LiveCall | undefined> {
  const result = await db.query<{ direction: string; caller_leg_id: string | null; region_url: string | null; from_e164: string | null; to_e164: string | null; status: string; offer_leg: string | null }>(
    `SELECT c.direction, c.caller_leg_id, c.region_url, c.from_e164, c.to_e164, c.status,
            (SELECT o.agent_leg_id FROM offers o WHERE o.call_id = c.id AND o.state = 'accepted' LIMIT 1) AS offer_leg
     FROM calls c JOIN agents a ON a.id = c.agent_id
     WHERE c.id = $1 AND a.zendesk_user_id = $2`,
    [callId, zendeskUserId],
  )
  const row = result.rows[0]
  if (!row || row.status !== 'in_progress') return undefined
  const legs = await db.query<{ id: string; status: string }>(`SELECT id, status FROM call_legs WHERE call_id = $1 AND status NOT IN ('completed')`, [callId])
  if (row.direction === 'outbound') {
    const customer = legs.rows.find((leg) => leg.id !== row.caller_leg_id)
    return { agentLeg: row.caller_leg_id, customerLeg: customer?.id ?? null, regionUrl: row.region_url, ourNumber: row.from_e164 }
  }
  return { agentLeg: row.offer_leg, customerLeg: row.caller_leg_id, regionUrl: row.region_url, ourNumber: row.to_e164 }
}
