import type { FastifyInstance } from 'fastify'
import type { Queryable } from '../db/database'
import { agentBusy, agentInUse, agentNotFound, concurrentChange, routingInputInvalid, zendeskUserTaken } from '../errors'
import { sqlStateOf, toIso, toNumber, UNIQUE_VIOLATION, type AdminDeps } from './admin-common'
import {
  AgentBusyReply,
  AgentList,
  AgentListQuery,
  AgentReply,
  AgentStateBody,
  AgentStateReply,
  deleteReplies,
  ErrorReply,
  IdParams,
  readReplies,
  writeReplies,
} from './admin-schemas'
import { setAgentState, type AgentState } from './agent-state'
import { AgentInput, type Device } from './model'

interface AgentRow {
  id: string
  zendesk_user_id: string | number
  name: string
  team_id: string | null
  languages: Array<'it' | 'en'>
  skills: string[]
  devices: Device[]
  state: AgentState
  state_changed_at: Date
  missed_offers: number
  current_call_id: string | null
  created_at: Date
  updated_at: Date
  created?: boolean
}

/** States in which routing owns the agent: an offer is ringing or a call is connected. */
const BUSY_STATES: readonly AgentState[] = ['offered', 'on_call']

/** Registers the agent routes: team, languages, skills and devices, and the state an admin may set. */
export async function adminAgentRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.put<{ Params: IdParams; Body: AgentInput }>(
    '/api/admin/agents/:id',
    { schema: { params: IdParams, body: AgentInput, response: writeReplies(AgentReply) } },
    async (request, reply) => {
      const { id } = request.params
      const agent = request.body
      const row = await db
        .transaction(async (tx) => {
          // FOR SHARE keeps the team from being deleted until this agent is stored.
          const team = await tx.query('SELECT id FROM teams WHERE id = $1 FOR SHARE', [agent.team_id])
          if (team.rowCount === 0) {
            throw routingInputInvalid([`body/team_id "${agent.team_id}" is not a team: create it with PUT /api/admin/teams/${agent.team_id} first`])
          }
          const owner = await tx.query<{ id: string }>('SELECT id FROM agents WHERE zendesk_user_id = $1 AND id <> $2', [agent.zendesk_user_id, id])
          if (owner.rowCount > 0) throw zendeskUserTaken(agent.zendesk_user_id, owner.rows[0].id)
          const result = await tx.query<AgentRow>(
            `INSERT INTO agents (id, zendesk_user_id, name, team_id, languages, skills, devices)
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
             ON CONFLICT (id) DO UPDATE SET zendesk_user_id = EXCLUDED.zendesk_user_id, name = EXCLUDED.name,
               team_id = EXCLUDED.team_id, languages = EXCLUDED.languages, skills = EXCLUDED.skills,
               devices = EXCLUDED.devices, updated_at = now()
             RETURNING *, (xmax = 0) AS created`,
            [id, agent.zendesk_user_id, agent.name, agent.team_id, agent.languages, agent.skills, JSON.stringify(agent.devices)],
          )
          return result.rows[0]
        })
        .catch((error: unknown) => {
          // Another request stored an agent with this Zendesk user after the check above.
          if (sqlStateOf(error) === UNIQUE_VIOLATION) throw concurrentChange(`Zendesk user ${agent.zendesk_user_id}`)
          throw error
        })
      return reply.code(row.created ? 201 : 200).send(toAgentReply(row))
    },
  )

  app.get<{ Querystring: AgentListQuery }>(
    '/api/admin/agents',
    { schema: { querystring: AgentListQuery, response: { 200: AgentList, 400: ErrorReply, 401: ErrorReply } } },
    async (request) => {
      const conditions: string[] = []
      const params: unknown[] = []
      if (request.query.team_id !== undefined) {
        params.push(request.query.team_id)
        conditions.push(`team_id = $${params.length}`)
      }
      if (request.query.state !== undefined) {
        params.push(request.query.state)
        conditions.push(`state = $${params.length}`)
      }
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
      const result = await db.query<AgentRow>(`SELECT * FROM agents ${where} ORDER BY id`, params)
      return { agents: result.rows.map(toAgentReply) }
    },
  )

  app.get<{ Params: IdParams }>('/api/admin/agents/:id', { schema: { params: IdParams, response: readReplies(AgentReply) } }, async (request) => {
    return toAgentReply(await findAgent(db, request.params.id))
  })

  app.delete<{ Params: IdParams }>('/api/admin/agents/:id', { schema: { params: IdParams, response: deleteReplies } }, async (request, reply) => {
    const { id } = request.params
    await db.transaction(async (tx) => {
      const agent = await findAgent(tx, id, 'FOR UPDATE')
      if (BUSY_STATES.includes(agent.state)) throw agentInUse(id, `it is ${agent.state}: delete it after the call`)
      const offers = await tx.query<{ count: string | number }>('SELECT count(*) AS count FROM offers WHERE agent_id = $1', [id])
      const offerCount = Number(offers.rows[0].count)
      // NOTE: offers.agent_id references agents without ON DELETE, so an agent who was ever
      // offered a call cannot be deleted. Setting the agent offline keeps it out of routing.
      if (offerCount > 0) {
        throw agentInUse(id, `${offerCount} call offers in the history refer to it: set its state to offline with PUT /api/admin/agents/${id}/state instead`)
      }
      await tx.query('DELETE FROM agents WHERE id = $1', [id])
    })
    return reply.code(204).send()
  })

  app.put<{ Params: IdParams; Body: AgentStateBody }>(
    '/api/admin/agents/:id/state',
    { schema: { params: IdParams, body: AgentStateBody, response: { ...readReplies(AgentStateReply), 409: AgentBusyReply } } },
    async (request, reply) => {
      const { id } = request.params
      const agent = await findAgent(db, id)
      const result = await setAgentState(db, Number(agent.zendesk_user_id), request.body.state)
      if (result === undefined) throw agentNotFound(id)
      const { status } = result
      if (!result.changed && BUSY_STATES.includes(status.state)) {
        const error = agentBusy(id, status.state)
        request.log.warn({ code: error.code, agentId: id, state: status.state }, 'request rejected')
        return reply.code(error.statusCode).send({ code: error.code, message: error.message, state: status.state })
      }
      return { id, state: status.state, state_changed_at: status.stateChangedAt.toISOString(), changed: result.changed }
    },
  )
}

async function findAgent(db: Queryable, id: string, lock: '' | 'FOR UPDATE' = ''): Promise<AgentRow> {
  const result = await db.query<AgentRow>(`SELECT * FROM agents WHERE id = $1 ${lock}`, [id])
  if (result.rowCount === 0) throw agentNotFound(id)
  return result.rows[0]
}

function toAgentReply(row: AgentRow) {
  return {
    id: row.id,
    zendesk_user_id: Number(row.zendesk_user_id),
    name: row.name,
    team_id: row.team_id,
    languages: row.languages,
    skills: row.skills,
    devices: row.devices,
    state: row.state,
    state_changed_at: toIso(row.state_changed_at),
    missed_offers: toNumber(row.missed_offers) ?? 0,
    current_call_id: row.current_call_id,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  }
}
