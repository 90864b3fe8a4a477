import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { endOffer } from '../routing/dispatcher'
import { RetryableJobError } from '../errors'
import { openRecording, RecordingTooLargeError } from '../vonage/recording-download'
import { VoiceApiError, VoiceControl } from '../vonage/voice-control'
import { CONTROL_ACTIONS, controlCall, type ControlAction } from '../outbound/call-control'
import { startOutboundCall } from '../outbound/outbound-call'
import { callForbidden, offerNotFound, outboundFailed, recordingNotFound, recordingUnavailable } from './app-errors'
import type { AppContext } from './app-routes'
import { AppCall, AppCallLogQuery, callLogPage, callsForTicket, findCall, toCsv } from './call-queries'
import type { AppUser } from './session'

const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() })
const CSV_MAX_ROWS = 5000

/** Calls, recordings, offers and the event stream of the app API. */
export async function appCallRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const { db, directory, tokens } = context

  app.get<{ Params: { ticketId: number } }>(
    '/app/api/tickets/:ticketId/calls',
    {
      schema: {
        params: Type.Object({ ticketId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ ticket_id: Type.Integer(), requester_id: Type.Integer(), calls: Type.Array(Type.Intersect([AppCall, Type.Object({ can_play: Type.Boolean() })])) }), 401: ErrorReply, 403: ErrorReply },
      },
    },
    async (request) => {
      const user = context.authenticate(request)
      const ticket = await directory.requireTicket(user, request.params.ticketId)
      const calls = await callsForTicket(db, ticket.ticketId, ticket.requesterId)
      const withAccess = await Promise.all(calls.map(async (call) => ({ ...call, can_play: await canSeeCall(context, user, call.ticket_id, call.agent?.zendesk_user_id ?? null) })))
      return { ticket_id: ticket.ticketId, requester_id: ticket.requesterId, calls: withAccess }
    },
  )

  const CallLog = Type.Object({ calls: Type.Array(AppCall), page: Type.Integer(), per_page: Type.Integer(), total: Type.Integer() })
  app.get<{ Querystring: AppCallLogQuery }>('/app/api/calls', { schema: { querystring: AppCallLogQuery, response: { 200: CallLog, 400: ErrorReply, 401: ErrorReply } } }, async (request) => {
    const user = context.authenticate(request)
    const page = await callLogPage(db, user, request.query)
    return { ...page, page: request.query.page, per_page: request.query.per_page }
  })

  app.get<{ Querystring: AppCallLogQuery }>('/app/api/calls.csv', { schema: { querystring: AppCallLogQuery } }, async (request, reply) => {
    const user = context.authenticate(request)
    const { calls, total } = await callLogPage(db, user, request.query, CSV_MAX_ROWS)
    request.log.info({ zendeskUserId: user.zendeskUserId, rows: calls.length, total }, 'call log exported')
    return reply
      .header('Content-Disposition', 'attachment; filename="centralino-calls.csv"')
      .header('X-Total-Count', String(total))
      .type('text/csv; charset=utf-8')
      .send(toCsv(calls))
  })

  app.post<{ Params: { id: string } }>(
    '/app/api/recordings/:id/link',
    {
      schema: {
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ url: Type.String(), expires_at: Type.String() }), 401: ErrorReply, 403: ErrorReply, 404: ErrorReply },
      },
    },
    async (request) => {
      const user = context.authenticate(request)
      const recording = await db.query<{ call_id: string }>('SELECT call_id FROM recordings WHERE id = $1', [request.params.id])
      if (recording.rowCount === 0) throw recordingNotFound(request.params.id)
      const call = await findCall(db, recording.rows[0].call_id)
      if (!call || !(await canSeeCall(context, user, call.ticketId, call.agentZendeskUserId))) throw callForbidden(recording.rows[0].call_id)
      const playbackId = randomUUID()
      const link = tokens.issueRecordingLink(request.params.id, playbackId, user.zendeskUserId)
      await db.query(
        'INSERT INTO app_playbacks (id, recording_id, call_id, zendesk_user_id, user_name, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [playbackId, request.params.id, call.id, user.zendeskUserId, user.name, link.expiresAt],
      )
      request.log.info({ recordingId: request.params.id, callId: call.id, zendeskUserId: user.zendeskUserId, playbackId }, 'recording link issued')
      return { url: `/app/recordings/${encodeURIComponent(request.params.id)}?link=${link.token}`, expires_at: link.expiresAt }
    },
  )

  // The link is the credential, so this route does not write the usual request log line with its URL.
  app.get<{ Params: { id: string }; Querystring: { link: string } }>(
    '/app/recordings/:id',
    {
      logLevel: 'warn',
      schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }), querystring: Type.Object({ link: Type.String({ minLength: 10, maxLength: 2000 }) }) },
    },
    async (request, reply) => {
      const { playbackId } = tokens.verifyRecordingLink(request.query.link, request.params.id)
      const recording = await db.query<{ url: string | null }>('SELECT url FROM recordings WHERE id = $1', [request.params.id])
      if (recording.rowCount === 0) throw recordingNotFound(request.params.id)
      const url = recording.rows[0].url
      if (!url) throw recordingUnavailable(request.params.id, 'Vonage gave no URL for it')
      await db.query(
        'UPDATE app_playbacks SET plays = plays + 1, first_played_at = coalesce(first_played_at, now()), last_played_at = now() WHERE id = $1',
        [playbackId],
      )
      // NOTE: the file comes from Vonage, which deletes recordings after about 30 days; older
      // recordings stay playable from the attachment on their Zendesk ticket only.
      try {
        const stream = await openRecording(url, context.config.vonage, context.config.recordingMaxBytes)
        if (stream.contentLength !== undefined) reply.header('Content-Length', String(stream.contentLength))
        return reply.header('Cache-Control', 'private, no-store').type(stream.contentType).send(Readable.fromWeb(stream.body as never))
      } catch (error) {
        const reason = error instanceof RetryableJobError || error instanceof RecordingTooLargeError || error instanceof Error ? error.message : String(error)
        context.log.warn({ recordingId: request.params.id, reason }, 'recording playback failed')
        throw recordingUnavailable(request.params.id, reason)
      }
    },
  )

  const voice = new VoiceControl(context.config.vonage)
  app.post<{ Body: { number: string; ticket_id?: number } }>('/app/api/calls/outbound', {
    schema: {
      body: Type.Object({ number: Type.String({ minLength: 1, maxLength: 40 }), ticket_id: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ call_id: Type.String() }), 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 409: ErrorReply, 502: ErrorReply },
    },
  }, async (request, reply) => {
    const user = context.authenticate(request)
    const ticketId = request.body.ticket_id
    const ticket = ticketId !== undefined ? await context.directory.requireTicket(user, ticketId) : undefined
    const started = await startOutboundCall(context.db, voice, context.config, { zendeskUserId: user.zendeskUserId, number: request.body.number, ticketId, groupId: ticket?.groupId, brandId: ticket?.brandId }, request.log).catch((error) => {
      if (error instanceof VoiceApiError) throw outboundFailed(error.status)
      throw error
    })
    return reply.code(201).send({ call_id: started.callId })
  })

  app.post<{ Params: { id: string }; Body: { action: ControlAction; digits?: string; to?: string } }>('/app/api/calls/:id/control', {
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
      body: Type.Object(
        { action: Type.Union(CONTROL_ACTIONS.map((action) => Type.Literal(action))), digits: Type.Optional(Type.String({ maxLength: 32 })), to: Type.Optional(Type.String({ maxLength: 40 })) },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null(), 400: ErrorReply, 401: ErrorReply, 409: ErrorReply, 502: ErrorReply },
    },
  }, async (request, reply) => {
    const user = context.authenticate(request)
    await controlCall(context.db, voice, context.config, { callId: request.params.id, zendeskUserId: user.zendeskUserId, ...request.body }, request.log)
    return reply.code(204).send()
  })

  registerOfferRoutes(app, context)
  registerEventStream(app, context)
}

/** Leads may play every call; an agent may play the calls routed to them and the calls of tickets they can open. */
async function canSeeCall(context: AppContext, user: AppUser, ticketId: number | null, agentZendeskUserId: number | null): Promise<boolean> {
  if (user.isLead || agentZendeskUserId === user.zendeskUserId) return true
  if (ticketId === null) return false
  return (await context.directory.ticketAccess(user, ticketId)) !== undefined
}

function registerOfferRoutes(app: FastifyInstance, context: AppContext): void {
  const voice = new VoiceControl(context.config.vonage)
  const OfferParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }), action: Type.Union([Type.Literal('accept'), Type.Literal('decline')]) })
  app.post<{ Params: { id: string; action: 'accept' | 'decline' } }>(
    '/app/api/offers/:id/:action',
    { schema: { params: OfferParams, response: { 200: Type.Object({ call_id: Type.String(), ticket_id: Type.Union([Type.Integer(), Type.Null()]) }), 401: ErrorReply, 404: ErrorReply } } },
    async (request) => {
      const user = context.authenticate(request)
      const offer = await context.db.query<{ call_id: string; agent_leg_id: string | null; region_url: string | null; ticket_id: string | null }>(
        `SELECT o.call_id, o.agent_leg_id, c.region_url, c.ticket_id FROM offers o JOIN agents a ON a.id = o.agent_id JOIN calls c ON c.id = o.call_id
         WHERE o.id = $1 AND a.zendesk_user_id = $2 AND o.state = 'ringing'`,
        [request.params.id, user.zendeskUserId],
      )
      const row = offer.rows[0]
      if (!row) throw offerNotFound(request.params.id)
      const action = request.params.action === 'accept' ? 'accepted' : 'declined'
      await context.db.query('INSERT INTO app_offer_actions (offer_id, call_id, zendesk_user_id, action) VALUES ($1, $2, $3, $4)', [request.params.id, row.call_id, user.zendeskUserId, action])
      if (action === 'declined') {
        await endOffer(context.db, request.params.id, 'missed', 'declined in the Zendesk app', context.config.maxMissedOffers)
        if (row.agent_leg_id) {
          await voice.hangup(row.agent_leg_id, row.region_url).catch((error) => request.log.warn({ err: error, offerId: request.params.id }, 'could not hang up the declined agent leg'))
        }
      }
      // NOTE: accepting in the app only opens the ticket; routing takes the offer when the agent picks up their device.
      request.log.info({ offerId: request.params.id, callId: row.call_id, zendeskUserId: user.zendeskUserId, action }, 'offer handled in the app')
      return { call_id: row.call_id, ticket_id: row.ticket_id === null ? null : Number(row.ticket_id) }
    },
  )
}

function registerEventStream(app: FastifyInstance, context: AppContext): void {
  app.get<{ Querystring: { ticket_id?: number } }>(
    '/app/api/events',
    { schema: { querystring: Type.Object({ ticket_id: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const user = context.authenticate(request)
      const ticketId = request.query.ticket_id
      if (ticketId !== undefined) await context.directory.requireTicket(user, ticketId)
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' })
      raw.write('retry: 5000\n\n')
      const unsubscribe = context.hub.subscribe({ user, ticketId, reply: raw })
      const agent = await context.db.query<{ state: string; state_changed_at: Date; current_call_id: string | null }>(
        'SELECT state, state_changed_at, current_call_id FROM agents WHERE zendesk_user_id = $1',
        [user.zendeskUserId],
      )
      if (agent.rows[0]) {
        const row = agent.rows[0]
        raw.write(`event: agent_state\ndata: ${JSON.stringify({ state: row.state, changed_at: new Date(row.state_changed_at).toISOString(), current_call_id: row.current_call_id })}\n\n`)
      }
      request.raw.on('close', unsubscribe)
    },
  )
}
