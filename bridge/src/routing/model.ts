import { Type, type Static } from '@sinclair/typebox'
import { WEEKDAYS } from '../schedules/schedule'

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', description: 'lowercase letters, digits, - and _' })
const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM' })
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
const Language = Type.Union([Type.Literal('it'), Type.Literal('en')])
const E164 = Type.String({ pattern: '^\\+[1-9]\\d{5,14}$', description: 'E.164 number such as +390240708090' })

export const TeamInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    time_zone: Type.String({ minLength: 1, description: 'IANA zone such as Europe/Rome' }),
    wrap_up_seconds: Type.Integer({ minimum: 0, maximum: 3600, default: 30 }),
    zendesk_group_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    shifts: Type.Array(
      Type.Object({ days: Type.Array(Type.Union(WEEKDAYS.map((day) => Type.Literal(day))), { uniqueItems: true }), start: Clock, end: Clock }, { additionalProperties: false }),
      { default: [] },
    ),
    holidays: Type.Array(
      Type.Object(
        { name: Type.String({ minLength: 1 }), from: IsoDate, to: Type.Optional(IsoDate), start: Type.Optional(Clock), end: Type.Optional(Clock) },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
  },
  { additionalProperties: false },
)
export type TeamInput = Static<typeof TeamInput>

export const Device = Type.Union([
  Type.Object({ type: Type.Literal('phone'), number: E164 }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('sip'), uri: Type.String({ pattern: '^sips?:[^@\\s]+@[^@\\s]+$' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('app'), user: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
])
export type Device = Static<typeof Device>

export const AgentInput = Type.Object(
  {
    zendesk_user_id: Type.Integer({ minimum: 1 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    team_id: Slug,
    languages: Type.Array(Language, { uniqueItems: true, default: [] }),
    skills: Type.Array(Slug, { uniqueItems: true, default: [] }),
    devices: Type.Array(Device, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type AgentInput = Static<typeof AgentInput>

export const Overflow = Type.Union([
  Type.Object({ type: Type.Literal('voicemail') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('callback') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('queue'), queue_id: Slug }, { additionalProperties: false }),
])
export type Overflow = Static<typeof Overflow>

export const QueueInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    team_ids: Type.Array(Slug, { minItems: 1, uniqueItems: true }),
    zendesk_group_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    max_wait_seconds: Type.Integer({ minimum: 10, maximum: 7200, default: 300 }),
    overflow: Type.Optional(Overflow),
    hold_music_url: Type.Optional(Type.Union([Type.String({ pattern: '^https://' }), Type.Null()])),
    announce_every_seconds: Type.Integer({ minimum: 0, maximum: 3600, default: 60 }),
    ring_seconds: Type.Integer({ minimum: 5, maximum: 120, default: 20 }),
    required_skills: Type.Array(Slug, { uniqueItems: true, default: [] }),
    callback_key: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9*#]$', description: 'key a waiting caller presses to be called back' }), Type.Null()])),
  },
  { additionalProperties: false },
)
export type QueueInput = Static<typeof QueueInput>

/** A prompt in both languages the bridge speaks. */
const Prompt = Type.Object({ it: Type.String({ minLength: 1, maxLength: 1500 }), en: Type.String({ minLength: 1, maxLength: 1500 }) }, { additionalProperties: false })
const NodeId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })
const Digit = '^[0-9*#]$'

export const IvrNode = Type.Union([
  Type.Object({ type: Type.Literal('say'), text: Prompt, known_caller_text: Type.Optional(Prompt), next: NodeId }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('menu'),
      prompt: Prompt,
      options: Type.Record(Type.String({ pattern: Digit }), NodeId, { minProperties: 1, additionalProperties: false }),
      no_input: NodeId,
      timeout_seconds: Type.Integer({ minimum: 1, maximum: 10, default: 5 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('language'), prompt: Prompt, options: Type.Record(Type.String({ pattern: Digit }), Language, { minProperties: 1, additionalProperties: false }), next: NodeId },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('business_hours'), queue_id: Slug, open: NodeId, closed: NodeId }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('open_ticket'), prompt: Prompt, accept_digit: Type.String({ pattern: Digit }), has_ticket: NodeId, no_ticket: NodeId }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('queue'), queue_id: Slug }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('voicemail'), prompt: Type.Optional(Prompt) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('callback'), queue_id: Slug, prompt: Type.Optional(Prompt) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('hangup'), text: Type.Optional(Prompt) }, { additionalProperties: false }),
])
export type IvrNode = Static<typeof IvrNode>

export const IvrFlow = Type.Object({ start: NodeId, nodes: Type.Record(NodeId, IvrNode, { minProperties: 1, additionalProperties: false }) }, { additionalProperties: false })
export type IvrFlow = Static<typeof IvrFlow>

export const PhoneNumberInput = Type.Object({ language: Language, flow_id: Type.Union([Slug, Type.Null()]) }, { additionalProperties: false })
export type PhoneNumberInput = Static<typeof PhoneNumberInput>

/** Routing rules, applied in order when a caller reaches a queue node. */
export const RoutingRule = Type.Union([
  Type.Object({ type: Type.Literal('ticket_assignee'), wait_seconds: Type.Integer({ minimum: 0, maximum: 600, default: 20 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('ticket_group') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('priority_boost'), ticket_priorities: Type.Array(Type.Union(['urgent', 'high', 'normal', 'low'].map((value) => Type.Literal(value))), { minItems: 1 }), boost: Type.Integer({ minimum: 1, maximum: 1000 }) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('organization_tag_boost'), tag: Type.String({ minLength: 1 }), boost: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false }),
])
export type RoutingRule = Static<typeof RoutingRule>
export const RoutingRules = Type.Array(RoutingRule)

export const DEFAULT_RULES: RoutingRule[] = [
  { type: 'ticket_assignee', wait_seconds: 20 },
  { type: 'ticket_group' },
  { type: 'priority_boost', ticket_priorities: ['urgent', 'high'], boost: 100 },
  { type: 'organization_tag_boost', tag: 'vip', boost: 200 },
]
