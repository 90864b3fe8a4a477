import type { Config } from '../config'
import type { Queryable } from '../db/database'

/** A live call as its agent sees it: the legs to control and where the customer waits. */
export interface AgentCall {
  callId: string
  direction: 'inbound' | 'outbound'
  agentId: string
  agentName: string
  agentLeg: string | null
  customerLeg: string | null
  regionUrl: string | null
  /** Our Vonage number on this call, the caller id for calls the bridge places from it. */
  ourNumber: string | null
  onHold: boolean
  /** The leg the agent last muted; the agent is muted while it is their current leg. */
  mutedLeg: string | null
  language: 'it' | 'en'
  /** The named conversation the customer is in, which a consulted target joins; null for calls without one. */
  conversation: string | null
  /** The queue entry of a queue call; an outbound call has one only after a transfer to an agent or a queue. */
  queue: { queueId: string; conversationName: string; holdMusicUrl: string | null } | null
}

interface CallRow {
  direction: string
  caller_leg_id: string | null
  region_url: string | null
  from_e164: string | null
  to_e164: string | null
  agent_leg_id: string | null
  customer_leg_id: string | null
  customer_dial: string | null
  call_conversation: string | null
  on_hold: boolean
  muted_leg_id: string | null
  language: string
  agent_id: string
  agent_name: string
  offer_leg: string | null
  queue_id: string | null
  conversation_name: string | null
  hold_music_url: string | null
}

/**
 * Loads the call when this Zendesk user is its agent and it is in progress. The accepted
 * offer names the agent's leg, and for an outbound call the leg of the agent who placed it
 * does. Inbound, the caller's leg is the customer's; outbound, the leg the bridge dialled.
 * Outbound calls placed before they ran in a conversation (customer_dial is NULL) keep
 * their first leg as the agent's and find the customer's among the other legs.
 */
export async function loadAgentCall(db: Queryable, callId: string, zendeskUserId: number): Promise<AgentCall | undefined> {
  const result = await db.query<CallRow>(
    `SELECT c.direction, c.caller_leg_id, c.region_url, c.from_e164, c.to_e164, c.agent_leg_id, c.customer_leg_id, c.customer_dial,
            c.conversation_name AS call_conversation, c.on_hold, c.muted_leg_id, c.language, a.id AS agent_id, a.name AS agent_name,
            (SELECT o.agent_leg_id FROM offers o WHERE o.call_id = c.id AND o.state = 'accepted' LIMIT 1) AS offer_leg,
            e.queue_id, e.conversation_name, q.hold_music_url
     FROM calls c JOIN agents a ON a.id = c.agent_id
       LEFT JOIN queue_entries e ON e.call_id = c.id LEFT JOIN queues q ON q.id = e.queue_id
     WHERE c.id = $1 AND a.zendesk_user_id = $2 AND c.status = 'in_progress'`,
    [callId, zendeskUserId],
  )
  const row = result.rows[0]
  if (!row) return undefined
  const base = {
    callId,
    agentId: row.agent_id,
    agentName: row.agent_name,
    regionUrl: row.region_url,
    onHold: row.on_hold,
    mutedLeg: row.muted_leg_id,
    language: row.language === 'en' ? ('en' as const) : ('it' as const),
  }
  const queue = row.queue_id && row.conversation_name ? { queueId: row.queue_id, conversationName: row.conversation_name, holdMusicUrl: row.hold_music_url } : null
  if (row.direction === 'outbound' && row.customer_dial === null) {
    const legs = await db.query<{ id: string }>(`SELECT id FROM call_legs WHERE call_id = $1 AND status <> 'completed' AND id <> $2 ORDER BY id`, [callId, row.caller_leg_id ?? ''])
    return { ...base, direction: 'outbound', agentLeg: row.caller_leg_id, customerLeg: legs.rows[0]?.id ?? null, ourNumber: row.from_e164, conversation: null, queue: null }
  }
  if (row.direction === 'outbound') {
    const conversation = queue?.conversationName ?? row.call_conversation
    return { ...base, direction: 'outbound', agentLeg: row.offer_leg ?? row.agent_leg_id, customerLeg: row.customer_leg_id, ourNumber: row.from_e164, conversation, queue }
  }
  return { ...base, direction: 'inbound', agentLeg: row.offer_leg, customerLeg: row.caller_leg_id, ourNumber: row.to_e164, conversation: queue?.conversationName ?? null, queue }
}

/** Picks the hold music: the queue's own, else HOLD_MUSIC_URL. Only https URLs qualify, because Vonage fetches them. */
export function holdMusicUrl(queueMusic: string | null | undefined, config: Pick<Config, 'holdMusicUrl'>): string | undefined {
  const candidates = [queueMusic, config.holdMusicUrl]
  return candidates.find((url): url is string => typeof url === 'string' && url.startsWith('https://'))
}
