import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { BridgeError } from '../errors'
import { startOutboundCall } from '../outbound/outbound-call'
import { VoiceApiError, VoiceControl } from '../vonage/voice-control'
import { ZendeskApiError, ZendeskClient } from '../zendesk/client'
import type { ZendeskTicket, ZendeskUser } from '../zendesk/types'
import { outboundFailed } from './app-errors'
import type { AppContext } from './app-routes'
import { AppCall, callsForTicket } from './call-queries'
import type { AppUser } from './session'

const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() })
const UserParams = Type.Object({ userId: Type.Integer({ minimum: 1 }) })
const OpenTicket = Type.Union([Type.Object({ id: Type.Integer(), subject: Type.String(), status: Type.String() }), Type.Null()])

const OPEN_STATUSES = new Set(['new', 'open', 'pending', 'hold'])
/** How many of the user's open tickets are checked for access, newest first, before the sidebar offers a new ticket. */
const OPEN_TICKETS_CHECKED = 5
/** Zendesk ticket ids start at 1, so this id matches no ticket and only the user's own calls are listed. */
const NO_TICKET = 0

export const zendeskUserNotFound = (userId: number) =>
  new BridgeError('CENTRALINO_ERR_APP_USER_NOT_FOUND', 404, `Zendesk user ${userId} not found: reopen the user's profile in Zendesk`)

export const ticketOfAnotherUser = (ticketId: number, requesterId: number, userId: number) =>
  new BridgeError(
    'CENTRALINO_ERR_APP_TICKET_REQUESTER',
    400,
    `Ticket ${ticketId} belongs to requester ${requesterId}, not to user ${userId}: call from that ticket's sidebar, or leave ticket_id out`,
  )

/**
 * The user sidebar's routes: a Zendesk user's calls with the ticket an outbound call will
 * be logged on, and click-to-call to that user. Every route reads the user with the bridge's
 * own Zendesk credentials and checks ticket access like the ticket sidebar's routes.
 */
export async function appUserRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const zendesk = new ZendeskClient(context.config.zendesk, context.log)
  const voice = new VoiceControl(context.config.vonage)

  app.get<{ Params: { userId: number } }>(
    '/app/api/users/:userId/calls',
    {
      schema: {
        params: UserParams,
        response: {
          200: Type.Object({ user_id: Type.Integer(), open_ticket: OpenTicket, calls: Type.Array(Type.Intersect([AppCall, Type.Object({ can_play: Type.Boolean() })])) }),
          401: ErrorReply,
          404: ErrorReply,
        },
      },
    },
    async (request) => {
      const user = context.authenticate(request)
      const customer = await requireZendeskUser(zendesk, request.params.userId)
      const openTicket = await findOpenTicket(zendesk, context, user, customer.id)
      const calls = await callsForTicket(context.db, openTicket?.id ?? NO_TICKET, customer.id)
      const withAccess = await Promise.all(calls.map(async (call) => ({ ...call, can_play: await mayPlay(context, user, call) })))
      return { user_id: customer.id, open_ticket: openTicket, calls: withAccess }
    },
  )

  app.post<{ Params: { userId: number }; Body: { number: string; ticket_id?: number } }>(
    '/app/api/users/:userId/calls',
    {
      schema: {
        params: UserParams,
        body: Type.Object({ number: Type.String({ minLength: 1, maxLength: 40 }), ticket_id: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ call_id: Type.String(), ticket_id: Type.Union([Type.Integer(), Type.Null()]) }), 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 502: ErrorReply },
      },
    },
    async (request, reply) => {
      const user = context.authenticate(request)
      const customer = await requireZendeskUser(zendesk, request.params.userId)
      const ticketId = request.body.ticket_id
      const ticket = ticketId === undefined ? undefined : await context.directory.requireTicket(user, ticketId)
      if (ticket && ticket.requesterId !== customer.id) throw ticketOfAnotherUser(ticket.ticketId, ticket.requesterId, customer.id)
      const outbound = { zendeskUserId: user.zendeskUserId, number: request.body.number, ticketId, groupId: ticket?.groupId, brandId: ticket?.brandId, requesterId: customer.id }
      const started = await startOutboundCall(context.db, voice, context.config, outbound, request.log).catch((error) => {
        if (error instanceof VoiceApiError) throw outboundFailed(error.status)
        throw error
      })
      request.log.info({ callId: started.callId, requesterId: customer.id, ticketId }, 'outbound call placed from the user sidebar')
      return reply.code(201).send({ call_id: started.callId, ticket_id: ticketId ?? null })
    },
  )
}

async function requireZendeskUser(zendesk: ZendeskClient, userId: number): Promise<ZendeskUser> {
  try {
    return (await zendesk.request<{ user: ZendeskUser }>('GET', `/api/v2/users/${userId}.json`)).user
  } catch (error) {
    if (error instanceof ZendeskApiError && error.status === 404) throw zendeskUserNotFound(userId)
    throw error
  }
}

/**
 * Finds the user's most recently updated open ticket that the signed-in agent can open.
 * Without one, an outbound call is stored without a ticket and the call-log job creates one.
 * NOTE: in the ticket mode "reuse", that job may still reuse a recent open ticket that this
 * agent cannot open, because it checks tickets with the bridge's own credentials.
 */
async function findOpenTicket(zendesk: ZendeskClient, context: AppContext, user: AppUser, userId: number) {
  const result = await zendesk.request<{ tickets: ZendeskTicket[] }>('GET', `/api/v2/users/${userId}/tickets/requested.json`, {
    query: { sort_by: 'updated_at', sort_order: 'desc', per_page: 100 },
  })
  const open = result.tickets
    .filter((ticket) => OPEN_STATUSES.has(ticket.status))
    .sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at))
    .slice(0, OPEN_TICKETS_CHECKED)
  for (const ticket of open) {
    if ((await context.directory.ticketAccess(user, ticket.id)) !== undefined) return { id: ticket.id, subject: ticket.subject ?? '', status: ticket.status }
  }
  return null
}

/** Leads may play every call; an agent may play their own calls and the calls of tickets they can open. */
async function mayPlay(context: AppContext, user: AppUser, call: AppCall): Promise<boolean> {
  if (user.isLead || call.agent?.zendesk_user_id === user.zendeskUserId) return true
  if (call.ticket_id === null) return false
  return (await context.directory.ticketAccess(user, call.ticket_id)) !== undefined
}
