import type { FastifyInstance } from 'fastify'
import { phoneNumberNotFound, routingInputInvalid } from '../errors'
import { toIso, type AdminDeps } from './admin-common'
import { deleteReplies, ErrorReply, NumberList, NumberParams, NumberReply, readReplies, writeReplies } from './admin-schemas'
import { PhoneNumberInput } from './model'

interface NumberRow {
  e164: string
  language: 'it' | 'en'
  flow_id: string | null
  updated_at: Date
  created?: boolean
}

/**
 * Registers the routes of the Vonage numbers: the language and IVR flow of each. The path
 * parameter is the E.164 number with its "+", URL-encoded as %2B or not.
 */
export async function adminNumberRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.put<{ Params: NumberParams; Body: PhoneNumberInput }>(
    '/api/admin/numbers/:e164',
    { schema: { params: NumberParams, body: PhoneNumberInput, response: writeReplies(NumberReply) } },
    async (request, reply) => {
      const { e164 } = request.params
      const { language, flow_id: flowId } = request.body
      const row = await db.transaction(async (tx) => {
        if (flowId !== null) {
          const flow = await tx.query('SELECT id FROM ivr_flows WHERE id = $1 LIMIT 1', [flowId])
          if (flow.rowCount === 0) {
            throw routingInputInvalid([`body/flow_id "${flowId}" is not an IVR flow: create it with POST /api/admin/ivr-flows/${flowId}/versions first`])
          }
        }
        const result = await tx.query<NumberRow>(
          `INSERT INTO phone_numbers (e164, language, flow_id) VALUES ($1, $2, $3)
           ON CONFLICT (e164) DO UPDATE SET language = EXCLUDED.language, flow_id = EXCLUDED.flow_id, updated_at = now()
           RETURNING *, (xmax = 0) AS created`,
          [e164, language, flowId],
        )
        return result.rows[0]
      })
      return reply.code(row.created ? 201 : 200).send(toNumberReply(row))
    },
  )

  app.get('/api/admin/numbers', { schema: { response: { 200: NumberList, 401: ErrorReply } } }, async () => {
    const result = await db.query<NumberRow>('SELECT * FROM phone_numbers ORDER BY e164')
    return { numbers: result.rows.map(toNumberReply) }
  })

  app.get<{ Params: NumberParams }>('/api/admin/numbers/:e164', { schema: { params: NumberParams, response: readReplies(NumberReply) } }, async (request) => {
    const result = await db.query<NumberRow>('SELECT * FROM phone_numbers WHERE e164 = $1', [request.params.e164])
    if (result.rowCount === 0) throw phoneNumberNotFound(request.params.e164)
    return toNumberReply(result.rows[0])
  })

  app.delete<{ Params: NumberParams }>('/api/admin/numbers/:e164', { schema: { params: NumberParams, response: deleteReplies } }, async (request, reply) => {
    const result = await db.query('DELETE FROM phone_numbers WHERE e164 = $1', [request.params.e164])
    if (result.rowCount === 0) throw phoneNumberNotFound(request.params.e164)
    return reply.code(204).send()
  })
}

function toNumberReply(row: NumberRow) {
  return { e164: row.e164, language: row.language, flow_id: row.flow_id, updated_at: toIso(row.updated_at) }
}
