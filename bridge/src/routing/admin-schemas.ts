import { Type, type Static } from '@sinclair/typebox'
import { ErrorReply } from '../api/call-schemas'
import { AGENT_STATES, SELF_SERVICE_STATES } from './agent-state'
import { AgentInput, IvrFlow, Overflow, PhoneNumberInput, RoutingRules, TeamInput } from './model'

export { ErrorReply }

/** The id pattern of teams, agents, queues and flows (the model's slug). */
const Slug = AgentInput.properties.team_id
const E164 = Type.String({ pattern: '^\\+[1-9]\\d{5,14}$', description: 'E.164 number such as +390240708090' })
const Timestamp = Type.String({ format: 'date-time' })
const NullableInteger = Type.Union([Type.Integer(), Type.Null()])

export const IdParams = Type.Object({ id: Slug })
export type IdParams = Static<typeof IdParams>
export const NumberParams = Type.Object({ e164: E164 })
export type NumberParams = Static<typeof NumberParams>
export const VersionParams = Type.Object({ id: Slug, version: Type.Integer({ minimum: 1 }) })
export type VersionParams = Static<typeof VersionParams>

/** Replies of a create-or-replace PUT: 201 when it created the record, 200 when it replaced it. */
export const writeReplies = <T extends object>(record: T) => ({ 200: record, 201: record, 400: ErrorReply, 401: ErrorReply, 409: ErrorReply })
export const readReplies = <T extends object>(record: T) => ({ 200: record, 400: ErrorReply, 401: ErrorReply, 404: ErrorReply })
export const deleteReplies = { 204: Type.Null(), 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 409: ErrorReply }

export const TeamReply = Type.Object({
  id: Type.String(),
  name: Type.String(),
  time_zone: Type.String(),
  wrap_up_seconds: Type.Integer(),
  zendesk_group_id: NullableInteger,
  shifts: TeamInput.properties.shifts,
  holidays: TeamInput.properties.holidays,
  open_now: Type.Boolean({ description: 'whether a shift is open now, holidays included' }),
  next_opening: Type.Union([Timestamp, Type.Null()], { description: 'now when open, else the next opening within 21 days, else null' }),
  created_at: Timestamp,
  updated_at: Timestamp,
})
export const TeamList = Type.Object({ teams: Type.Array(TeamReply) })
export const ImportScheduleBody = Type.Object({ schedule_id: Type.Integer({ minimum: 1, description: 'id of a Zendesk business-hours schedule' }) }, { additionalProperties: false })
export type ImportScheduleBody = Static<typeof ImportScheduleBody>

export const AgentReply = Type.Object({
  id: Type.String(),
  zendesk_user_id: Type.Integer(),
  name: Type.String(),
  team_id: Type.Union([Type.String(), Type.Null()]),
  languages: AgentInput.properties.languages,
  skills: AgentInput.properties.skills,
  devices: AgentInput.properties.devices,
  state: Type.Union(AGENT_STATES.map((state) => Type.Literal(state))),
  state_changed_at: Timestamp,
  missed_offers: Type.Integer(),
  current_call_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
})
export const AgentList = Type.Object({ agents: Type.Array(AgentReply) })
export const AgentListQuery = Type.Object(
  { team_id: Type.Optional(Slug), state: Type.Optional(Type.Union(AGENT_STATES.map((state) => Type.Literal(state)))) },
  { additionalProperties: false },
)
export type AgentListQuery = Static<typeof AgentListQuery>
export const AgentStateBody = Type.Object({ state: Type.Union(SELF_SERVICE_STATES.map((state) => Type.Literal(state))) }, { additionalProperties: false })
export type AgentStateBody = Static<typeof AgentStateBody>
export const AgentStateReply = Type.Object({
  id: Type.String(),
  state: Type.String(),
  state_changed_at: Timestamp,
  changed: Type.Boolean({ description: 'false when the agent already had that state' }),
})
export const AgentBusyReply = Type.Object({ code: Type.String(), message: Type.String(), state: Type.String() })

export const QueueReply = Type.Object({
  id: Type.String(),
  name: Type.String(),
  team_ids: Type.Array(Type.String()),
  zendesk_group_id: NullableInteger,
  max_wait_seconds: Type.Integer(),
  overflow: Overflow,
  hold_music_url: Type.Union([Type.String(), Type.Null()]),
  announce_every_seconds: Type.Integer(),
  ring_seconds: Type.Integer(),
  required_skills: Type.Array(Type.String()),
  callback_key: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
})
export const QueueList = Type.Object({ queues: Type.Array(QueueReply) })

export const FlowVersionCreated = Type.Object({ id: Type.String(), version: Type.Integer() })
export const FlowVersionReply = Type.Object({ id: Type.String(), version: Type.Integer(), created_at: Timestamp, definition: IvrFlow })
export const FlowList = Type.Object({ flows: Type.Array(FlowVersionReply) })
export const FlowDetail = Type.Intersect([
  FlowVersionReply,
  Type.Object({
    versions: Type.Array(Type.Object({ version: Type.Integer(), created_at: Timestamp })),
    numbers: Type.Array(Type.String(), { description: 'numbers whose calls start in this flow' }),
  }),
])
export const RollbackBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })
export type RollbackBody = Static<typeof RollbackBody>

export const NumberReply = Type.Object({
  e164: Type.String(),
  language: PhoneNumberInput.properties.language,
  flow_id: Type.Union([Type.String(), Type.Null()]),
  updated_at: Timestamp,
})
export const NumberList = Type.Object({ numbers: Type.Array(NumberReply) })

export { RoutingRules }
