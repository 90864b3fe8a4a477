import type { Config } from '../config'
import type { Queryable } from '../db/database'
import { checkOutboundNumber } from '../outbound/outbound-call'
import { loadQueue, loadTeams, openTeams, type QueueRow } from '../routing/directory'
import { deviceToRing } from '../routing/devices'
import type { Device } from '../routing/model'
import type { CallEndpoint } from '../vonage/voice-control'
import type { AgentCall } from './agent-call'
import { transferRejected, transferTargetNotFound } from './errors'

export const TARGET_TYPES = ['agent', 'queue', 'number'] as const
export type TargetType = (typeof TARGET_TYPES)[number]

/** Transfer target the agent picked: an agent id, a queue id or a phone number. */
export interface TargetRequest {
  type: TargetType
  value: string
}

export interface TargetAgent {
  id: string
  name: string
  device: Device
  languages: string[]
}

/** A checked target, with what the call log shows for it. */
export type ResolvedTarget =
  | { type: 'agent'; id: string; label: string; agent: TargetAgent }
  | { type: 'queue'; id: string; label: string; queue: QueueRow }
  | { type: 'number'; id: string; label: string }

/** Checks a transfer target; an unknown, unavailable or self target is rejected with the reason. */
export async function resolveTarget(db: Queryable, config: Config, call: AgentCall, target: TargetRequest): Promise<ResolvedTarget> {
  if (target.type === 'number') {
    const e164 = checkOutboundNumber(target.value, config.outbound, config.vonage.defaultCountry)
    return { type: 'number', id: e164, label: e164 }
  }
  if (target.type === 'queue') {
    const queue = await loadQueue(db, target.value)
    if (queue === undefined) throw transferTargetNotFound('queue', target.value)
    return { type: 'queue', id: queue.id, label: queue.name, queue }
  }
  const agent = await loadTargetAgent(db, target.value)
  if (agent === undefined) throw transferTargetNotFound('agent', target.value)
  if (agent.id === call.agentId) throw transferRejected('you cannot transfer a call to yourself; pick another agent')
  if (agent.state !== 'available') throw transferRejected(`agent "${agent.name}" is ${agent.state.replace('_', ' ')}, not available; pick an available agent or a queue`)
  return { type: 'agent', id: agent.id, label: agent.name, agent: withDevice(agent) }
}

/**
 * Picks the longest-idle available agent of a queue's teams on shift now, with the queue's
 * skills, for a consultation with "the queue". The current agent is left out.
 */
export async function nextAgentOfQueue(db: Queryable, queue: QueueRow, excludeAgentId: string, now: Date): Promise<TargetAgent | undefined> {
  const open = openTeams(await loadTeams(db, queue.team_ids), now).map((team) => team.id)
  if (open.length === 0) return undefined
  const result = await db.query<AgentRow>(
    `SELECT id, name, state, devices, active_device, languages FROM agents
     WHERE state = 'available' AND team_id = ANY($1) AND skills @> $2 AND id <> $3
     ORDER BY state_changed_at, id LIMIT 1`,
    [open, queue.required_skills, excludeAgentId],
  )
  return result.rows[0] && withDevice(result.rows[0])
}

export function endpointOf(device: Device): CallEndpoint {
  if (device.type === 'phone') return { type: 'phone', number: device.number.replace(/^\+/, '') }
  return device
}

interface AgentRow {
  id: string
  name: string
  state: string
  devices: Device[]
  active_device: Device | null
  languages: string[]
}

async function loadTargetAgent(db: Queryable, agentId: string): Promise<AgentRow | undefined> {
  const result = await db.query<AgentRow>('SELECT id, name, state, devices, active_device, languages FROM agents WHERE id = $1', [agentId])
  return result.rows[0]
}

// The device the ACD would ring for an offer: the agent's pick, else a configured one, else the softphone.
function withDevice(agent: AgentRow): TargetAgent {
  return { id: agent.id, name: agent.name, device: deviceToRing(agent), languages: agent.languages }
}
