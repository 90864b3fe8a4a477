import type { FastifyBaseLogger as Logger } from 'fastify'
import type { Config } from '../config'
import type { Database, Queryable } from '../db/database'
import { BridgeError } from '../errors'
import type { Device } from '../routing/model'
import type { Ncco } from '../vonage/ncco'
import { VoiceApiError, type CallEndpoint, type VoiceControl } from '../vonage/voice-control'

export const MONITOR_MODES = ['listen', 'whisper', 'barge', 'take_over'] as const
export type MonitorMode = (typeof MONITOR_MODES)[number]

const notLead = () => new BridgeError('CENTRALINO_ERR_MONITOR_FORBIDDEN', 403, 'Only team leads and admins may monitor calls')
const notMonitorable = (callId: string) =>
  new BridgeError('CENTRALINO_ERR_MONITOR_CALL', 409, `Call "${callId}" is not a live queue call with an agent on it, so it cannot be monitored`)
const noDevice = () => new BridgeError('CENTRALINO_ERR_MONITOR_DEVICE', 409, 'Your agent profile has no phone or SIP device for the bridge to call you on')
const sessionNotFound = (id: string) => new BridgeError('CENTRALINO_ERR_MONITOR_SESSION', 404, `Monitoring session "${id}" is not live for you`)
export const switchRefused = (from: MonitorMode, to: MonitorMode) =>
  new BridgeError(
    'CENTRALINO_ERR_MONITOR_SWITCH',
    409,
    `Cannot switch from ${from} to ${to} during the call: Vonage sets who hears a whisper only when the lead joins. End this session and start a ${to} session`,
  )
const monitorFailed = (status: number) => new BridgeError('CENTRALINO_ERR_MONITOR_FAILED', 502, `Vonage did not call your device (${status}); try again`)

interface LiveLegs {
  conversationName: string
  callerLeg: string
  agentLeg: string
  regionUrl: string | null
  ourNumber: string | null
}

/**
 * The lead's place in the call's conversation for each mode, with Vonage's selective
 * audio controls. Listen joins muted (hears both, heard by nobody), so unmuting the leg
 * later turns it into a barge. Whisper hears both and speaks only to the agent. Barge
 * and take over hear and speak to everyone.
 */
export function leadConversation(mode: MonitorMode, legs: Pick<LiveLegs, 'conversationName' | 'callerLeg' | 'agentLeg'>, eventUrl: string): Record<string, unknown> {
  const base = { action: 'conversation', name: legs.conversationName, startOnEnter: true, eventUrl: [eventUrl] }
  if (mode === 'listen') return { ...base, mute: true }
  if (mode === 'whisper') return { ...base, canHear: [legs.callerLeg, legs.agentLeg], canSpeak: [legs.agentLeg] }
  return base
}

/**
 * Calls the lead's device and joins them to a live queue call in the chosen mode. Every
 * start is written to the audit in the same transaction as the session.
 */
export async function startMonitoring(
  db: Database,
  voice: VoiceControl,
  config: Config,
  request: { callId: string; leadZendeskUserId: number; isLead: boolean; mode: MonitorMode },
  log: Logger,
): Promise<{ sessionId: string }> {
  if (!request.isLead) throw notLead()
  const legs = await liveLegs(db, request.callId)
  if (legs === undefined) throw notMonitorable(request.callId)
  const device = await leadDevice(db, request.leadZendeskUserId)
  const session = await db.transaction(async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      'INSERT INTO monitor_sessions (call_id, lead_zendesk_user_id, mode) VALUES ($1, $2, $3) RETURNING id',
      [request.callId, request.leadZendeskUserId, request.mode],
    )
    const id = String(inserted.rows[0].id)
    await audit(tx, id, request.callId, request.leadZendeskUserId, 'start', request.mode)
    return id
  })
  const eventUrl = `${config.publicUrl}/vonage/event?step=monitor&session=${session}`
  const ncco: Ncco = [leadConversation(request.mode, legs, eventUrl)]
  try {
    const { legId } = await voice.createCall({ to: device, from: (legs.ourNumber ?? '').replace(/^\+/, ''), ncco, eventUrl, ringingTimer: 30 })
    await db.query(`UPDATE monitor_sessions SET lead_leg_id = $2, state = 'live' WHERE id = $1`, [session, legId])
    if (request.mode === 'take_over') {
      // NOTE: the agent leaves as the lead's call is placed, before the lead has answered;
      // the caller stays in the conversation, which keeps running without the agent.
      await voice.control(legs.agentLeg, legs.regionUrl, 'hangup')
    }
  } catch (error) {
    await db.query(`UPDATE monitor_sessions SET state = 'failed', ended_at = now() WHERE id = $1`, [session])
    if (error instanceof VoiceApiError) {
      log.warn({ err: error, callId: request.callId }, 'could not start monitoring')
      throw monitorFailed(error.status)
    }
    throw error
  }
  log.info({ callId: request.callId, sessionId: session, mode: request.mode, leadZendeskUserId: request.leadZendeskUserId }, 'monitoring started')
  return { sessionId: session }
}

/**
 * Switches a live session between listen and barge by muting or unmuting the lead's leg.
 * Whisper routes audio by leg when the lead joins, so moves into or out of it are refused
 * and the refusal is audited too.
 */
export async function switchMonitoring(
  db: Database,
  voice: VoiceControl,
  request: { sessionId: string; leadZendeskUserId: number; mode: MonitorMode },
  log: Logger,
): Promise<void> {
  const found = await db.query<{ call_id: string; mode: MonitorMode; lead_leg_id: string | null; region_url: string | null }>(
    `SELECT s.call_id, s.mode, s.lead_leg_id, c.region_url FROM monitor_sessions s JOIN calls c ON c.id = s.call_id
     WHERE s.id = $1 AND s.lead_zendesk_user_id = $2 AND s.state = 'live'`,
    [request.sessionId, request.leadZendeskUserId],
  )
  const session = found.rows[0]
  if (!session || !session.lead_leg_id) throw sessionNotFound(request.sessionId)
  if (session.mode === request.mode) return
  const switchable = (mode: MonitorMode) => mode === 'listen' || mode === 'barge'
  if (!switchable(session.mode) || !switchable(request.mode)) {
    await audit(db, request.sessionId, session.call_id, request.leadZendeskUserId, 'refused_switch', request.mode, `from ${session.mode}`)
    throw switchRefused(session.mode, request.mode)
  }
  // Listen and barge both join without per-leg audio limits, so muting switches between them.
  await voice.control(session.lead_leg_id, session.region_url, request.mode === 'listen' ? 'mute' : 'unmute')
  await db.transaction(async (tx) => {
    await tx.query('UPDATE monitor_sessions SET mode = $2 WHERE id = $1', [request.sessionId, request.mode])
    await audit(tx, request.sessionId, session.call_id, request.leadZendeskUserId, 'switch', request.mode, `from ${session.mode}`)
  })
  log.info({ sessionId: request.sessionId, mode: request.mode }, 'monitoring mode switched')
}

async function liveLegs(db: Database, callId: string): Promise<LiveLegs | undefined> {
  const result = await db.query<{ conversation_name: string; caller_leg_id: string | null; agent_leg_id: string | null; region_url: string | null; to_e164: string | null }>(
    `SELECT e.conversation_name, c.caller_leg_id, o.agent_leg_id, c.region_url, c.to_e164
     FROM calls c JOIN queue_entries e ON e.call_id = c.id JOIN offers o ON o.call_id = c.id AND o.state = 'accepted'
     WHERE c.id = $1 AND c.status = 'in_progress'`,
    [callId],
  )
  const row = result.rows[0]
  if (!row || !row.caller_leg_id || !row.agent_leg_id) return undefined
  return { conversationName: row.conversation_name, callerLeg: row.caller_leg_id, agentLeg: row.agent_leg_id, regionUrl: row.region_url, ourNumber: row.to_e164 }
}

async function leadDevice(db: Database, zendeskUserId: number): Promise<CallEndpoint> {
  const result = await db.query<{ devices: Device[] }>('SELECT devices FROM agents WHERE zendesk_user_id = $1', [zendeskUserId])
  const device = result.rows[0]?.devices.find((item) => item.type !== 'app')
  if (!device) throw noDevice()
  return device.type === 'phone' ? { type: 'phone', number: device.number.replace(/^\+/, '') } : device
}

async function audit(tx: Queryable, sessionId: string, callId: string, lead: number, action: string, mode: MonitorMode, detail?: string): Promise<void> {
  await tx.query('INSERT INTO monitor_audit (session_id, call_id, lead_zendesk_user_id, action, mode, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    sessionId,
    callId,
    lead,
    action,
    mode,
    detail ?? null,
  ])
}

const LEG_ENDINGS = new Set(['completed', 'busy', 'cancelled', 'unanswered', 'rejected', 'failed', 'timeout'])

/** Ends a monitoring session when the lead's leg ends, and writes the end to the audit. */
export async function endMonitoringOnStatus(db: Database, sessionId: string, status: string): Promise<void> {
  if (!LEG_ENDINGS.has(status) || !/^\d{1,18}$/.test(sessionId)) return
  await db.transaction(async (tx) => {
    const ended = await tx.query<{ call_id: string; lead_zendesk_user_id: string; mode: MonitorMode }>(
      `UPDATE monitor_sessions SET state = 'ended', ended_at = now() WHERE id = $1 AND state IN ('ringing', 'live')
       RETURNING call_id, lead_zendesk_user_id, mode`,
      [sessionId],
    )
    const row = ended.rows[0]
    if (row) await audit(tx, sessionId, row.call_id, Number(row.lead_zendesk_user_id), 'end', row.mode, `lead leg ${status}`)
  })
}
