import type { Logger } from 'pino'
import type { Database, Queryable } from '../db/database'
import { languageFromLocale, type Language } from '../i18n/language'
import { PROMPTS } from '../i18n/prompts'
import { PRIORITY_WORDS, ROUTING_PROMPTS } from '../i18n/routing-prompts'
import { ticketTexts } from '../i18n/ticket-texts'
import type { Ncco } from '../vonage/ncco'
import type { CallEndpoint, VoiceControl } from '../vonage/voice-control'
import { loadCallerContext } from './caller-context'
import { openTeams, type QueueRow, type TeamRow } from './directory'
import type { Device } from './model'
import { deviceToRing } from './devices'

/** Vonage accepts about 3 new calls a second per account (REST and NCCO connect together). */
export const NEW_CALLS_PER_SECOND = 3
// Any constant works; every bridge instance takes the same lock around assignment.
const DISPATCH_LOCK_KEY = 7_310_402_002
const ENTRIES_PER_ROUND = 50

export interface Offer {
  offerId: string
  callId: string
  agentId: string
  agentName: string
  device: Device
  agentLanguage: Language
  callerNumber: string | null
  calledNumber: string | null
  queueName: string
  ringSeconds: number
  conversationName: string
  callbackNumber: string | null
}

interface EntryRow {
  call_id: string
  queue_id: string
  state: string
  language: string
  preferred_agent_id: string | null
  preferred_until: Date | null
  conversation_name: string
  callback_number: string | null
  from_e164: string | null
  to_e164: string | null
  queue: QueueRow
}

/**
 * Automatic call distribution: offers each waiting caller, highest priority first, to the
 * longest-idle available agent of a team on shift with the queue's skills and the caller's
 * language. Assignment runs in one transaction under an advisory lock, and partial unique
 * indexes back it up, so each call goes to one agent and each agent gets one call even
 * with several bridge instances on one database.
 */
export async function assignCalls(db: Database, now: Date, newCallsPerSecond = NEW_CALLS_PER_SECOND): Promise<Offer[]> {
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [DISPATCH_LOCK_KEY])
    // Offers are counted in the database, so the budget applies across bridge instances.
    const recent = await tx.query<{ count: string }>(`SELECT count(*) AS count FROM offers WHERE created_at > $1 AND created_at <= $2`, [
      new Date(now.getTime() - 1000),
      now,
    ])
    let budget = newCallsPerSecond - Number(recent.rows[0].count)
    if (budget <= 0) return []

    const entries = await waitingEntries(tx)
    const teams = await tx.query<TeamRow>('SELECT * FROM teams')
    const openTeamIds = new Set(openTeams(teams.rows, now).map((team) => team.id))
    const offers: Offer[] = []
    for (const entry of entries) {
      if (budget <= 0) break
      const servingTeams = entry.queue.team_ids.filter((id) => openTeamIds.has(id))
      if (servingTeams.length === 0) continue
      const agent = await pickAgent(tx, entry, servingTeams, now)
      if (agent === undefined) continue
      offers.push(await createOffer(tx, entry, agent, now))
      budget -= 1
    }
    return offers
  })
}

async function waitingEntries(tx: Queryable): Promise<EntryRow[]> {
  const result = await tx.query<Omit<EntryRow, 'queue'> & { queue: QueueRow }>(
    `SELECT e.call_id, e.queue_id, e.state, e.language, e.preferred_agent_id, e.preferred_until, e.conversation_name,
            e.callback_number, to_jsonb(q.*) AS queue,
            -- The agent hears the customer's number: for an outbound call transferred to a queue, the number the call went to.
            CASE WHEN c.direction = 'outbound' THEN c.to_e164 ELSE c.from_e164 END AS from_e164,
            CASE WHEN c.direction = 'outbound' THEN c.from_e164 ELSE c.to_e164 END AS to_e164
     FROM queue_entries e JOIN queues q ON q.id = e.queue_id JOIN calls c ON c.id = e.call_id
     WHERE e.state IN ('waiting', 'callback')
     ORDER BY e.priority DESC, e.enqueued_at, e.call_id
     LIMIT $1 FOR UPDATE OF e SKIP LOCKED`,
    [ENTRIES_PER_ROUND],
  )
  return result.rows
}

interface AgentPick {
  id: string
  name: string
  devices: Device[]
  active_device: Device | null
  languages: string[]
}

/**
 * Picks the ticket's assignee while their wait lasts, else the longest-idle eligible
 * agent who has not already missed this call.
 */
async function pickAgent(tx: Queryable, entry: EntryRow, teamIds: string[], now: Date): Promise<AgentPick | undefined> {
  const preferred = entry.preferred_agent_id !== null && entry.preferred_until !== null && new Date(entry.preferred_until) > now
  const result = await tx.query<AgentPick>(
    `SELECT a.id, a.name, a.devices, a.active_device, a.languages FROM agents a
     WHERE a.state = 'available' AND a.team_id = ANY($1) AND a.skills @> $2
       AND (cardinality(a.languages) = 0 OR $3 = ANY(a.languages))
       AND ($4::text IS NULL OR a.id = $4)
       AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.call_id = $5 AND o.agent_id = a.id AND o.state IN ('missed', 'failed'))
     ORDER BY a.state_changed_at, a.id
     LIMIT 1 FOR UPDATE OF a SKIP LOCKED`,
    [teamIds, entry.queue.required_skills, entry.language, preferred ? entry.preferred_agent_id : null, entry.call_id],
  )
  return result.rows[0]
}

async function createOffer(tx: Queryable, entry: EntryRow, agent: AgentPick, now: Date): Promise<Offer> {
  const expiresAt = new Date(now.getTime() + entry.queue.ring_seconds * 1000)
  await tx.query(`UPDATE agents SET state = 'offered', state_changed_at = $2, current_call_id = $3 WHERE id = $1`, [agent.id, now, entry.call_id])
  await tx.query(`UPDATE queue_entries SET state = CASE WHEN state = 'callback' THEN 'calling_back' ELSE 'offering' END, updated_at = now() WHERE call_id = $1`, [entry.call_id])
  const inserted = await tx.query<{ id: string }>(
    'INSERT INTO offers (call_id, agent_id, expires_at, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [entry.call_id, agent.id, expiresAt, now],
  )
  return {
    offerId: String(inserted.rows[0].id),
    callId: entry.call_id,
    agentId: agent.id,
    agentName: agent.name,
    device: deviceToRing(agent),
    agentLanguage: agentLanguage(agent.languages, entry.language),
    callerNumber: entry.from_e164,
    calledNumber: entry.to_e164,
    queueName: entry.queue.name,
    ringSeconds: entry.queue.ring_seconds,
    conversationName: entry.conversation_name,
    callbackNumber: entry.callback_number,
  }
}

/** Chooses the caller's language when the agent speaks it, else the agent's first language. */
function agentLanguage(languages: string[], callerLanguage: string): Language {
  const chosen = languages.includes(callerLanguage) || languages.length === 0 ? callerLanguage : languages[0]
  return languageFromLocale(chosen)
}

/**
 * Rings the agent's device. When the agent answers they hear who is calling and why
 * (caller, ticket, priority), then join the caller's conversation, or for a callback
 * the bridge dials the caller.
 */
export async function ringAgent(db: Database, voice: VoiceControl, offer: Offer, publicUrl: string, log: Logger): Promise<void> {
  const caller = await loadCallerContext(db, offer.callerNumber)
  const ncco = agentNcco(offer, caller.name, caller.openTicket, publicUrl)
  try {
    const { legId } = await voice.createCall({
      to: endpointOf(offer.device),
      from: (offer.calledNumber ?? '').replace(/^\+/, ''),
      ncco,
      eventUrl: `${publicUrl}/vonage/event?step=offer&offer=${offer.offerId}`,
      ringingTimer: offer.ringSeconds,
    })
    await db.query('UPDATE offers SET agent_leg_id = $2 WHERE id = $1', [offer.offerId, legId])
    log.info({ callId: offer.callId, agentId: offer.agentId, offerId: offer.offerId, legId }, 'ringing agent')
  } catch (error) {
    log.error({ err: error, callId: offer.callId, agentId: offer.agentId }, 'could not ring the agent; the caller waits for the next one')
    await endOffer(db, offer.offerId, 'failed', error instanceof Error ? error.message : String(error))
  }
}

function agentNcco(offer: Offer, callerName: string | undefined, ticket: { id: number; priority: string | null } | undefined, publicUrl: string): Ncco {
  const prompts = ROUTING_PROMPTS[offer.agentLanguage]
  const tts = PROMPTS[offer.agentLanguage].ttsLanguage
  const who = callerName ?? offer.callerNumber ?? ticketTexts(offer.agentLanguage).withheld
  if (offer.callbackNumber) {
    const text = prompts.whisperCallback.replace('{caller}', who).replace('{queue}', offer.queueName)
    return [
      { action: 'talk', text, language: tts },
      {
        action: 'connect',
        from: (offer.calledNumber ?? '').replace(/^\+/, ''),
        endpoint: [{ type: 'phone', number: offer.callbackNumber.replace(/^\+/, '') }],
        eventUrl: [`${publicUrl}/vonage/event?step=callback&offer=${offer.offerId}`],
      },
    ]
  }
  let text = prompts.whisper.replace('{caller}', who).replace('{queue}', offer.queueName)
  if (ticket) {
    const priority = PRIORITY_WORDS[offer.agentLanguage][ticket.priority ?? 'normal'] ?? ticket.priority ?? ''
    text += ` ${prompts.whisperTicket.replace('{ticket}', String(ticket.id)).replace('{priority}', priority)}`
  }
  return [
    { action: 'talk', text, language: tts },
    { action: 'conversation', name: offer.conversationName, startOnEnter: true, endOnExit: true },
  ]
}

function endpointOf(device: Device): CallEndpoint {
  if (device.type === 'phone') return { type: 'phone', number: device.number.replace(/^\+/, '') }
  return device
}

/**
 * Closes a ringing offer that did not turn into a conversation. The caller goes back to
 * waiting (keeping their place), and the agent becomes available again, or away after
 * `maxMissed` missed offers in a row.
 */
export async function endOffer(db: Database, offerId: string, outcome: 'missed' | 'failed' | 'cancelled', reason: string, maxMissed = 3): Promise<void> {
  await db.transaction(async (tx) => {
    const offer = await tx.query<{ call_id: string; agent_id: string }>(
      `UPDATE offers SET state = $2, reason = $3, ended_at = now() WHERE id = $1 AND state = 'ringing' RETURNING call_id, agent_id`,
      [offerId, outcome, reason],
    )
    if (offer.rowCount === 0) return
    const { call_id: callId, agent_id: agentId } = offer.rows[0]
    const missed = outcome === 'missed' ? 1 : 0
    await tx.query(
      `UPDATE agents SET missed_offers = missed_offers + $2,
         state = CASE WHEN missed_offers + $2 >= $3 THEN 'away' ELSE 'available' END,
         state_changed_at = now(), current_call_id = NULL
       WHERE id = $1 AND current_call_id = $4`,
      [agentId, missed, maxMissed, callId],
    )
    await tx.query(
      `UPDATE queue_entries SET state = CASE WHEN state = 'calling_back' THEN 'callback' ELSE 'waiting' END, updated_at = now()
       WHERE call_id = $1 AND state IN ('offering', 'calling_back')`,
      [callId],
    )
  })
}
