import { Type, type Static } from '@sinclair/typebox'
import { csvCell } from '../csv'
import type { Database } from '../db/database'
import type { AppUser } from './session'

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(schema: T) => Type.Union([schema, Type.Null()])

export const AppCallLogQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'calls started at or after this time (ISO 8601)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'calls started before this time (ISO 8601)' })),
    agent_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    queue_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    direction: Type.Optional(Type.Union([Type.Literal('inbound'), Type.Literal('outbound')])),
    outcome: Type.Optional(Type.Union(['answered', 'missed', 'voicemail', 'abandoned'].map((value) => Type.Literal(value)))),
    status: Type.Optional(Type.Union([Type.Literal('in_progress'), Type.Literal('completed')])),
    page: Type.Integer({ minimum: 1, default: 1 }),
    per_page: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
  },
  { additionalProperties: false },
)
export type AppCallLogQuery = Static<typeof AppCallLogQuery>

export const AppRecording = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  state: Type.String(),
  duration_seconds: Nullable(Type.Integer()),
})

export const AppCall = Type.Object({
  id: Type.String(),
  direction: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  caller_withheld: Type.Boolean(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  started_at: Nullable(Type.String({ format: 'date-time' })),
  ended_at: Nullable(Type.String({ format: 'date-time' })),
  duration_seconds: Nullable(Type.Integer()),
  talk_seconds: Nullable(Type.Integer()),
  ticket_id: Nullable(Type.Integer()),
  requester_id: Nullable(Type.Integer()),
  agent: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), zendesk_user_id: Type.Integer() }), Type.Null()]),
  queue_id: Nullable(Type.String()),
  recordings: Type.Array(AppRecording),
})
export type AppCall = Static<typeof AppCall>

type Row = Record<string, unknown>

const CALL_COLUMNS = `c.id, c.direction, c.from_e164, c.from_raw, c.to_e164, c.to_raw, c.caller_withheld, c.status, c.outcome,
  c.started_at, c.ended_at, c.duration_seconds, c.talk_seconds, c.ticket_id, c.requester_id, c.queue_id,
  a.id AS agent_id, a.name AS agent_name, a.zendesk_user_id AS agent_zendesk_user_id`

/** Calls of a ticket and of its requester, newest first. */
export async function callsForTicket(db: Database, ticketId: number, requesterId: number, limit = 50): Promise<AppCall[]> {
  const rows = await db.query<Row>(
    `SELECT ${CALL_COLUMNS} FROM calls c LEFT JOIN agents a ON a.id = c.agent_id
     WHERE c.ticket_id = $1 OR c.requester_id = $2
     ORDER BY c.started_at DESC NULLS LAST, c.id LIMIT $3`,
    [ticketId, requesterId, limit],
  )
  return withRecordings(db, rows.rows)
}

/**
 * Returns one page of the call log. Leads get every call; an agent gets the calls routing
 * connected to them (calls.agent_id), because checking each ticket with Zendesk per row
 * would not scale to a log.
 */
export async function callLogPage(db: Database, user: AppUser, query: AppCallLogQuery, limit?: number): Promise<{ calls: AppCall[]; total: number }> {
  const { where, params } = logFilter(user, query)
  const perPage = limit ?? query.per_page
  const offset = limit === undefined ? (query.page - 1) * query.per_page : 0
  const total = await db.query<{ count: string }>(`SELECT count(*) AS count FROM calls c ${where}`, params)
  const rows = await db.query<Row>(
    `SELECT ${CALL_COLUMNS} FROM calls c LEFT JOIN agents a ON a.id = c.agent_id ${where}
     ORDER BY c.started_at DESC NULLS LAST, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, perPage, offset],
  )
  return { calls: await withRecordings(db, rows.rows), total: Number(total.rows[0].count) }
}

function logFilter(user: AppUser, query: AppCallLogQuery): { where: string; params: unknown[] } {
  const conditions: string[] = []
  const params: unknown[] = []
  const add = (sql: string, value: unknown) => {
    params.push(value)
    conditions.push(sql.replace('?', `$${params.length}`))
  }
  if (!user.isLead) add('c.agent_id = (SELECT id FROM agents WHERE zendesk_user_id = ?)', user.zendeskUserId)
  if (query.from) add('c.started_at >= ?', query.from)
  if (query.to) add('c.started_at < ?', query.to)
  if (query.agent_id) add('c.agent_id = ?', query.agent_id)
  if (query.queue_id) add('c.queue_id = ?', query.queue_id)
  if (query.direction) add('c.direction = ?', query.direction)
  if (query.outcome) add('c.outcome = ?', query.outcome)
  if (query.status) add('c.status = ?', query.status)
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params }
}

/** Finds one call with the fields that decide who may see it. */
export async function findCall(db: Database, callId: string): Promise<{ id: string; ticketId: number | null; agentZendeskUserId: number | null } | undefined> {
  const result = await db.query<Row>(
    'SELECT c.id, c.ticket_id, a.zendesk_user_id FROM calls c LEFT JOIN agents a ON a.id = c.agent_id WHERE c.id = $1',
    [callId],
  )
  const row = result.rows[0]
  if (!row) return undefined
  return { id: String(row.id), ticketId: toNumber(row.ticket_id), agentZendeskUserId: toNumber(row.zendesk_user_id) }
}

async function withRecordings(db: Database, rows: Row[]): Promise<AppCall[]> {
  const ids = rows.map((row) => String(row.id))
  const recordings = ids.length === 0 ? { rows: [] as Row[] } : await db.query<Row>(
    `SELECT id, call_id, kind, state, started_at, ended_at FROM recordings WHERE call_id = ANY($1::text[]) ORDER BY created_at, id`,
    [ids],
  )
  return rows.map((row) => ({
    id: String(row.id),
    direction: String(row.direction),
    from: (row.from_e164 ?? row.from_raw ?? null) as string | null,
    to: (row.to_e164 ?? row.to_raw ?? null) as string | null,
    caller_withheld: Boolean(row.caller_withheld),
    status: String(row.status),
    outcome: (row.outcome ?? null) as string | null,
    started_at: toIso(row.started_at),
    ended_at: toIso(row.ended_at),
    duration_seconds: toNumber(row.duration_seconds),
    talk_seconds: toNumber(row.talk_seconds),
    ticket_id: toNumber(row.ticket_id),
    requester_id: toNumber(row.requester_id),
    agent: row.agent_id ? { id: String(row.agent_id), name: String(row.agent_name), zendesk_user_id: Number(row.agent_zendesk_user_id) } : null,
    queue_id: (row.queue_id ?? null) as string | null,
    recordings: recordings.rows
      .filter((recording) => recording.call_id === row.id)
      .map((recording) => ({
        id: String(recording.id),
        kind: String(recording.kind),
        state: String(recording.state),
        duration_seconds: secondsBetween(recording.started_at, recording.ended_at),
      })),
  }))
}

function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}

function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null
  return new Date(value as string).toISOString()
}

function secondsBetween(start: unknown, end: unknown): number | null {
  if (!start || !end) return null
  return Math.max(0, Math.round((new Date(end as string).getTime() - new Date(start as string).getTime()) / 1000))
}

const CSV_COLUMNS = ['id', 'started_at', 'ended_at', 'direction', 'from', 'to', 'outcome', 'duration_seconds', 'talk_seconds', 'agent', 'queue_id', 'ticket_id', 'recordings'] as const

/** Formats calls as CSV (RFC 4180) and prefixes with an apostrophe every cell that starts like a formula. */
export function toCsv(calls: AppCall[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const call of calls) {
    const cells = [
      call.id, call.started_at, call.ended_at, call.direction, call.from, call.to, call.outcome, call.duration_seconds,
      call.talk_seconds, call.agent?.name ?? null, call.queue_id, call.ticket_id, call.recordings.length,
    ]
    lines.push(cells.map(csvCell).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

