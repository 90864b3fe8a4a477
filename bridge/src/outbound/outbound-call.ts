import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Config } from '../config'
import type { Database } from '../db/database'
import { BridgeError } from '../errors'
import { normalizeCaller, toVonageNumber } from '../calls/phone-number'
import { PROMPTS } from '../i18n/prompts'
import type { Ncco } from '../vonage/ncco'
import type { CallEndpoint, VoiceControl } from '../vonage/voice-control'
import type { Device } from '../routing/model'
import { findDeviceToRing } from '../routing/devices'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { conversationEventUrl, followOutboundLeg, outboundConversationName } from './customer-dial'

export const outboundNumberInvalid = (value: string, reason: string) =>
  new BridgeError('CENTRALINO_ERR_OUTBOUND_NUMBER', 400, `Cannot call "${value}": ${reason}`)

export const outboundNotAvailable = (reason: string) => new BridgeError('CENTRALINO_ERR_OUTBOUND_UNAVAILABLE', 409, `Cannot place the call: ${reason}`)

export interface OutboundRequest {
  /** The Zendesk user who clicked to call. */
  zendeskUserId: number
  number: string
  ticketId?: number
  /** The ticket's group, which picks the caller id when OUTBOUND_CALLER_IDS names it. */
  groupId?: number | null
  /** The ticket's brand, which picks the caller id when OUTBOUND_CALLER_IDS_BY_BRAND names it and the group has none. */
  brandId?: number | null
  /**
   * The Zendesk user being called. Without a ticket, the call-log job then reuses this
   * user's open ticket or creates one for them, instead of looking the number up.
   */
  requesterId?: number
}

/**
 * Checks the number before anything is dialled: it must parse, and its country must be
 * in OUTBOUND_ALLOWED_COUNTRIES. Returns the E.164 form.
 */
export function checkOutboundNumber(value: string, config: Config['outbound'], defaultCountry: string): string {
  const parsed = normalizeCaller(value, defaultCountry)
  if (parsed.kind !== 'number') throw outboundNumberInvalid(value, 'it is not a phone number; write it in E.164, such as +390212345678')
  const country = parsePhoneNumberFromString(parsed.e164)?.country
  if (!country || !config.allowedCountries.includes(country)) {
    throw outboundNumberInvalid(value, `${country ?? 'its country'} is not in OUTBOUND_ALLOWED_COUNTRIES (${config.allowedCountries.join(', ')})`)
  }
  return parsed.e164
}

/**
 * Click-to-call: rings the agent's own device first. The agent's leg joins a named
 * conversation (which ends when the agent leaves it, and is recorded), and when the agent
 * answers the bridge dials the customer into it from the caller id of the ticket's group
 * (see followOutboundLeg). The call is stored at once with the ticket it belongs to, so the
 * call-log job writes it on that ticket like any other call.
 */
export async function startOutboundCall(db: Database, voice: VoiceControl, config: Config, request: OutboundRequest, log: Logger): Promise<{ callId: string; legId: string }> {
  const customer = checkOutboundNumber(request.number, config.outbound, config.vonage.defaultCountry)
  const agent = await db.query<{ id: string; name: string; devices: Device[]; active_device: Device | null; languages: string[]; state: string }>('SELECT id, name, devices, active_device, languages, state FROM agents WHERE zendesk_user_id = $1', [
    request.zendeskUserId,
  ])
  const row = agent.rows[0]
  if (!row) throw outboundNotAvailable('you are not set up as an agent of the call center; ask an admin to add you')
  if (row.state === 'offered' || row.state === 'on_call') throw outboundNotAvailable('you are already on a call or being offered one')
  const device = findDeviceToRing(row)
  if (!device) throw outboundNotAvailable('your agent profile has no phone or SIP device to ring first; pick Browser (softphone) under Ring me on in the top bar, or ask an admin to add your phone')
  const callerId = pickCallerId(config.outbound, request.groupId, request.brandId)
  if (!callerId) throw outboundNotAvailable('no caller id is configured: set OUTBOUND_CALLER_ID')

  const language = row.languages[0] === 'en' ? 'en' : 'it'
  const conversation = outboundConversationName()
  const created = await voice.createCall({
    to: endpointOf(device),
    from: toVonageNumber(callerId),
    ncco: agentNcco(conversation, customer, language, config.publicUrl),
    eventUrl: `${config.publicUrl}/vonage/event`,
    ringingTimer: 30,
  })
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO calls (id, direction, caller_leg_id, from_e164, to_e164, language, destination, agent_id, ticket_id, ticket_reused, status, requester_id,
                          outbound_conversation, conversation_name, agent_leg_id, customer_dial)
       VALUES ($1, 'outbound', $2, $3, $4, $5, $6, $7, $8, $9, 'in_progress', $10, $11, $11, $2, 'waiting')
       ON CONFLICT (id) DO UPDATE SET direction = 'outbound', caller_leg_id = $2, from_e164 = $3, to_e164 = $4, language = $5,
         destination = $6, agent_id = $7, ticket_id = COALESCE(calls.ticket_id, $8), ticket_reused = $9, requester_id = COALESCE(calls.requester_id, $10),
         outbound_conversation = $11, conversation_name = $11, agent_leg_id = $2, customer_dial = 'waiting'`,
      [created.conversationId, created.legId, callerId, customer, language, row.name, row.id, request.ticketId ?? null, false, request.requesterId ?? null, conversation],
    )
    await tx.query('INSERT INTO call_conversations (conversation_id, call_id) VALUES ($1, $1) ON CONFLICT DO NOTHING', [created.conversationId])
    // The agent is busy from now on, so the ACD offers them no inbound call meanwhile.
    await tx.query(`UPDATE agents SET state = 'on_call', state_changed_at = now(), current_call_id = $2 WHERE id = $1`, [row.id, created.conversationId])
  })
  const callLog = log.child({ callId: created.conversationId })
  callLog.info({ agentId: row.id, ticketId: request.ticketId, conversation }, 'outbound call started')
  await replayEarlyLegEvents(db, voice, config.publicUrl, created.conversationId, created.legId, callLog)
  return { callId: created.conversationId, legId: created.legId }
}

/** Builds the agent's NCCO: a spoken line with the number called, then the conversation where the customer will join. */
function agentNcco(conversation: string, customer: string, language: 'it' | 'en', publicUrl: string): Ncco {
  return [
    { action: 'talk', text: language === 'it' ? `Chiamata verso ${customer}.` : `Calling ${customer}.`, language: PROMPTS[language].ttsLanguage },
    { action: 'conversation', name: conversation, startOnEnter: true, endOnExit: true, record: true, eventUrl: [conversationEventUrl(publicUrl, conversation)] },
  ]
}

/**
 * Follows the agent leg's events that arrived before the call was stored (the leg can
 * ring, answer or hang up while the row is written), so they still dial or cancel.
 */
async function replayEarlyLegEvents(db: Database, voice: VoiceControl, publicUrl: string, callId: string, legId: string, log: Logger): Promise<void> {
  const early = await db.query<{ status: string }>(`SELECT DISTINCT status FROM call_events WHERE call_id = $1 AND leg_id = $2 AND status IS NOT NULL`, [callId, legId])
  for (const status of ['answered', 'completed', 'failed', 'rejected', 'busy', 'timeout', 'unanswered', 'cancelled']) {
    if (early.rows.some((row) => row.status === status)) await followOutboundLeg(db, voice, publicUrl, callId, legId, status, log)
  }
}

/** Returns the caller id of the ticket's group, else of its brand, else OUTBOUND_CALLER_ID. */
export function pickCallerId(config: Config['outbound'], groupId: number | null | undefined, brandId: number | null | undefined): string | undefined {
  if (groupId != null && config.callerIdsByGroup.has(groupId)) return config.callerIdsByGroup.get(groupId)
  if (brandId != null && config.callerIdsByBrand.has(brandId)) return config.callerIdsByBrand.get(brandId)
  return config.defaultCallerId
}

function endpointOf(device: Device): CallEndpoint {
  if (device.type === 'phone') return { type: 'phone', number: toVonageNumber(device.number) }
  return device
}
