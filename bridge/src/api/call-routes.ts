import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../db/database'
import { callNotFound } from '../errors'
import { requireApiToken } from './auth'
import { CallDetail, CallList, CallListQuery, ErrorReply } from './call-schemas'

type Row = Record<string, unknown>

/** The read API for ops and the Zendesk app: calls with their Zendesk and recording state. */
export async function callRoutes(app: FastifyInstance, deps: { db: Database; apiToken: string }): Promise<void> {
  app.addHook('onRequest', requireApiToken(deps.apiToken))

  app.get<{ Querystring: CallListQuery }>(
    '/api/calls',
    { schema: { querystring: CallListQuery, response: { 200: CallList, 400: ErrorReply, 401: ErrorReply } } },
    async (request) => {
      const { where, params } = buildFilter(request.query)
      const { page, per_page: perPage } = request.query
      const total = await deps.db.query<{ count: string }>(`SELECT count(*) AS count FROM calls ${where}`, params)
      const rows = await deps.db.query<Row>(
        `SELECT * FROM calls ${where} ORDER BY started_at DESC NULLS LAST, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, perPage, (page - 1) * perPage],
      )
      return { calls: rows.rows.map(toSummary), page, per_page: perPage, total: Number(total.rows[0].count) }
    },
  )

  app.get<{ Params: { id: string } }>(
    '/api/calls/:id',
    { schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }), response: { 200: CallDetail, 401: ErrorReply, 404: ErrorReply } } },
    async (request) => {
      const id = request.params.id
      const call = await deps.db.query<Row>('SELECT * FROM calls WHERE id = $1', [id])
      if (call.rowCount === 0) throw callNotFound(id)
      const [legs, recordings, events] = await Promise.all([
        deps.db.query<Row>('SELECT * FROM call_legs WHERE call_id = $1 ORDER BY started_at NULLS LAST, id', [id]),
        deps.db.query<Row>('SELECT * FROM recordings WHERE call_id = $1 ORDER BY created_at, id', [id]),
        deps.db.query<Row>('SELECT id, kind, status, leg_id, occurred_at, received_at, payload FROM call_events WHERE call_id = $1 ORDER BY id', [id]),
      ])
      return {
        ...toSummary(call.rows[0]),
        legs: legs.rows,
        recordings: recordings.rows.map((row) => ({ ...row, size_bytes: toNumber(row.size_bytes), ticket_id: toNumber(row.ticket_id) })),
        events: events.rows.map((row) => ({ ...row, id: Number(row.id), payload: redactPayload(row.payload as Row) })),
      }
    },
  )
}

function buildFilter(query: CallListQuery): { where: string; params: unknown[] } {
  const conditions: string[] = []
  const params: unknown[] = []
  const add = (sql: string, value: unknown) => {
    params.push(value)
    conditions.push(sql.replace('?', `$${params.length}`))
  }
  if (query.from) add('started_at >= ?', query.from)
  if (query.to) add('started_at < ?', query.to)
  if (query.outcome) add('outcome = ?', query.outcome)
  if (query.direction) add('direction = ?', query.direction)
  if (query.status) add('status = ?', query.status)
  if (query.zendesk_state) add('zendesk_state = ?', query.zendesk_state)
  if (query.phone) add('from_e164 = ?', query.phone)
  if (query.ticket_id) add('ticket_id = ?', query.ticket_id)
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params }
}

function toSummary(row: Row) {
  return {
    id: row.id as string,
    direction: row.direction as string,
    from: (row.from_e164 ?? row.from_raw ?? null) as string | null,
    to: (row.to_e164 ?? row.to_raw ?? null) as string | null,
    caller_withheld: row.caller_withheld as boolean,
    language: row.language as string,
    destination: row.destination as string | null,
    status: row.status as string,
    outcome: row.outcome as string | null,
    started_at: row.started_at as string | null,
    answered_at: row.answered_at as string | null,
    ended_at: row.ended_at as string | null,
    duration_seconds: row.duration_seconds as number | null,
    talk_seconds: row.talk_seconds as number | null,
    zendesk: {
      state: row.zendesk_state as string,
      error: row.zendesk_error as string | null,
      ticket_id: toNumber(row.ticket_id),
      ticket_reused: row.ticket_reused as boolean | null,
      requester_id: toNumber(row.requester_id),
      call_id: toNumber(row.zendesk_call_id),
    },
  }
}

function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}

/** Recording URLs are kept in the database but not handed out: they only work with the app's token. */
function redactPayload(payload: Row): Row {
  return 'recording_url' in payload ? { ...payload, recording_url: '[redacted]' } : payload
}
