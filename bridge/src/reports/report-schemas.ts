import { Type, type Static } from '@sinclair/typebox'

export const ReportQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'calls started at or after this time (ISO 8601 with offset)' }),
    to: Type.String({ format: 'date-time', description: 'calls started before this time (ISO 8601 with offset)' }),
    time_zone: Type.String({ default: 'UTC', maxLength: 64, description: 'IANA zone for hours of day, such as Europe/Rome' }),
    // A plain enum, so that a wrong value yields one error that lists the allowed values.
    group_by: Type.Unsafe<'queue' | 'team' | 'agent' | 'hour'>({ type: 'string', enum: ['queue', 'team', 'agent', 'hour'], default: 'queue' }),
    short_abandon_seconds: Type.Integer({ minimum: 0, maximum: 3600, default: 5, description: 'abandons shorter than this many seconds count as short abandons' }),
    service_level_seconds: Type.Integer({ minimum: 1, maximum: 3600, default: 20, description: 'answer time within which a call meets the service level' }),
  },
  { additionalProperties: false },
)
export type ReportQuery = Static<typeof ReportQuery>

const NullableNumber = Type.Union([Type.Number(), Type.Null()])

export const ReportMetricsSchema = Type.Object({
  offered: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer(),
  short_abandoned: Type.Integer(),
  voicemails: Type.Integer(),
  callbacks_requested: Type.Integer(),
  callbacks_completed: Type.Integer(),
  average_speed_of_answer_seconds: NullableNumber,
  average_handle_seconds: NullableNumber,
  service_level_percent: NullableNumber,
  occupancy_percent: NullableNumber,
})

export const ReportReply = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  time_zone: Type.String(),
  group_by: Type.String(),
  short_abandon_seconds: Type.Integer(),
  service_level_seconds: Type.Integer(),
  rows: Type.Array(
    Type.Intersect([Type.Object({ key: Type.Union([Type.String(), Type.Null()]), label: Type.String() }), ReportMetricsSchema]),
  ),
  total: ReportMetricsSchema,
})
