import { Type, type Static } from '@sinclair/typebox'

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])
const NullableInteger = Type.Union([Type.Integer(), Type.Null()])
const Timestamp = Nullable(Type.String({ format: 'date-time' }))

export const Outcome = Type.Union(['answered', 'missed', 'voicemail', 'abandoned'].map((value) => Type.Literal(value)))

export const CallListQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'calls started at or after this time (ISO 8601)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'calls started before this time (ISO 8601)' })),
    outcome: Type.Optional(Outcome),
    direction: Type.Optional(Type.Union([Type.Literal('inbound'), Type.Literal('outbound')])),
    status: Type.Optional(Type.Union([Type.Literal('in_progress'), Type.Literal('completed')])),
    zendesk_state: Type.Optional(Type.Union(['waiting', 'queued', 'logged', 'failed'].map((value) => Type.Literal(value)))),
    phone: Type.Optional(Type.String({ pattern: '^\\+[1-9]\\d{5,14}$', description: 'caller number in E.164' })),
    ticket_id: Type.Optional(Type.Integer({ minimum: 1 })),
    page: Type.Integer({ minimum: 1, default: 1 }),
    per_page: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
  },
  { additionalProperties: false },
)
export type CallListQuery = Static<typeof CallListQuery>

export const CallSummary = Type.Object({
  id: Type.String(),
  direction: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  caller_withheld: Type.Boolean(),
  language: Type.String(),
  destination: Nullable(Type.String()),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  started_at: Timestamp,
  answered_at: Timestamp,
  ended_at: Timestamp,
  duration_seconds: NullableInteger,
  talk_seconds: NullableInteger,
  zendesk: Type.Object({
    state: Type.String(),
    error: Nullable(Type.String()),
    ticket_id: NullableInteger,
    ticket_reused: Type.Union([Type.Boolean(), Type.Null()]),
    requester_id: NullableInteger,
    call_id: NullableInteger,
  }),
})

export const Recording = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  state: Type.String({ description: 'pending until attached; failed carries the reason' }),
  reason: Nullable(Type.String()),
  size_bytes: NullableInteger,
  ticket_id: NullableInteger,
  attempts: Type.Integer(),
  updated_at: Timestamp,
})

export const CallDetail = Type.Intersect([
  CallSummary,
  Type.Object({
    legs: Type.Array(
      Type.Object({
        id: Type.String(),
        direction: Nullable(Type.String()),
        status: Type.String(),
        detail: Nullable(Type.String()),
        started_at: Timestamp,
        answered_at: Timestamp,
        ended_at: Timestamp,
        duration_seconds: NullableInteger,
      }),
    ),
    recordings: Type.Array(Recording),
    events: Type.Array(
      Type.Object({
        id: Type.Integer(),
        kind: Type.String(),
        status: Nullable(Type.String()),
        leg_id: Nullable(Type.String()),
        occurred_at: Timestamp,
        received_at: Type.String({ format: 'date-time' }),
        payload: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
  }),
])

export const CallList = Type.Object({
  calls: Type.Array(CallSummary),
  page: Type.Integer(),
  per_page: Type.Integer(),
  total: Type.Integer(),
})

export const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() })
