import type { Database } from '../db/database'

/** The states an agent can be in. Routing sets offered, on_call and wrap_up; the agent sets the rest. */
export const AGENT_STATES = ['available', 'offered', 'on_call', 'wrap_up', 'away', 'offline'] as const
export type AgentState = (typeof AGENT_STATES)[number]

/** States an agent may choose for themselves in the app. */
export const SELF_SERVICE_STATES = ['available', 'away', 'offline'] as const
export type SelfServiceState = (typeof SELF_SERVICE_STATES)[number]

export interface AgentStatus {
  agentId: string
  zendeskUserId: number
  name: string
  state: AgentState
  stateChangedAt: Date
}

interface AgentRow {
  id: string
  zendesk_user_id: string
  name: string
  state: AgentState
  state_changed_at: Date
}

function toStatus(row: AgentRow): AgentStatus {
  return {
    agentId: row.id,
    zendeskUserId: Number(row.zendesk_user_id),
    name: row.name,
    state: row.state,
    stateChangedAt: new Date(row.state_changed_at),
  }
}

/** The agent linked to a Zendesk user, or undefined when that user is not an agent of the call center. */
export async function getAgentState(db: Database, zendeskUserId: number): Promise<AgentStatus | undefined> {
  const result = await db.query<AgentRow>('SELECT id, zendesk_user_id, name, state, state_changed_at FROM agents WHERE zendesk_user_id = $1', [zendeskUserId])
  return result.rows[0] ? toStatus(result.rows[0]) : undefined
}

/**
 * Sets the state an agent chose. An agent who is offered a call or on a call keeps that
 * state (routing ends it), so the change is refused and the current state returned.
 */
export async function setAgentState(
  db: Database,
  zendeskUserId: number,
  state: SelfServiceState,
): Promise<{ changed: boolean; status: AgentStatus } | undefined> {
  const updated = await db.query<AgentRow>(
    `UPDATE agents SET state = $2, state_changed_at = now(), missed_offers = 0
     WHERE zendesk_user_id = $1 AND state NOT IN ('offered', 'on_call') AND state <> $2
     RETURNING id, zendesk_user_id, name, state, state_changed_at`,
    [zendeskUserId, state],
  )
  if (updated.rows[0]) return { changed: true, status: toStatus(updated.rows[0]) }
  const current = await getAgentState(db, zendeskUserId)
  return current ? { changed: false, status: current } : undefined
}
