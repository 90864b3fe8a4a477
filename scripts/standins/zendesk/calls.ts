import { isRecord } from '../http'
import { recordInvalid, recordNotFound } from './errors'
import {
  optionalId,
  optionalString,
  optionalStringArray,
  readObjectBody,
  readWrappedObject,
  zendeskTimestamp,
  type Route,
  type ZendeskContext,
} from './core'
import type { ZendeskCall, ZendeskTicket } from './model'
import { addComment, commentForResponse, insertTicket, requireTicket } from './tickets'
import { findUser } from './users'

/** Talk Partner Edition Calls API: call records and the voice comments that show them on tickets. */

const REQUIRED_FIELDS = ['app_id', 'from_line', 'to_line', 'call_started_at', 'direction'] as const

const READ_ONLY_FIELDS = new Set(['id', 'account_id', 'app_id', 'created_at', 'updated_at'])

/** Keys that Zendesk returns as null when the client did not set them, as in zenpy's recorded responses (2024). */
const OPTIONAL_FIELDS = [
  'ticket_id', 'end_user_id', 'organization_id', 'brand_id', 'agent_id', 'from_line_nickname', 'to_line_nickname',
  'call_ended_at', 'duration', 'call_type', 'wait_time', 'time_to_answer', 'queue_name', 'talk_time', 'hold_time',
  'completion_status', 'voicemail', 'outside_business_hours', 'call_disposition', 'recording_url', 'recording_time',
  'transcript', 'external_id',
] as const

const TIMESTAMP_FIELDS = ['call_started_at', 'call_ended_at'] as const

/** Via ids that Zendesk gives phone calls: 45 inbound, 46 outbound. */
const VIA_ID_BY_DIRECTION = { inbound: 45, outbound: 46 } as const

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === ''
}

/**
 * Checks the fields of a create or PATCH request. On create every required field must be set.
 * On PATCH only the fields present are checked.
 */
function validateCallFields(context: ZendeskContext, fields: Record<string, unknown>, creating: boolean): void {
  if (creating) {
    for (const name of REQUIRED_FIELDS) {
      if (isBlank(fields[name])) {
        throw recordInvalid(name, `${name}: cannot be blank`)
      }
    }
  }
  if (fields.direction !== undefined && fields.direction !== 'inbound' && fields.direction !== 'outbound') {
    throw recordInvalid('direction', 'direction: must be inbound or outbound')
  }
  const ticketId = optionalId(fields, 'ticket_id')
  if (ticketId !== undefined && !context.state.tickets.some((ticket) => ticket.id === ticketId)) {
    throw recordInvalid('ticket_id', 'Ticket: is invalid')
  }
}

/** Stores times that Date.parse can read in UTC, as Zendesk does. Other values are kept as sent. */
function normalizeTimestamps(fields: Record<string, unknown>): Record<string, unknown> {
  const normalized = { ...fields }
  for (const name of TIMESTAMP_FIELDS) {
    const value = normalized[name]
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
      normalized[name] = zendeskTimestamp(new Date(value))
    }
  }
  return normalized
}

function writableFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !READ_ONLY_FIELDS.has(name)))
}

/** Stores a call whose fields `validateCallFields` has accepted. */
function createCall(context: ZendeskContext, fields: Record<string, unknown>): ZendeskCall {
  const now = zendeskTimestamp()
  const defaults = Object.fromEntries(OPTIONAL_FIELDS.map((name) => [name, null]))
  const call = {
    id: context.nextId('call'),
    ...defaults,
    ...writableFields(normalizeTimestamps(fields)),
    ticket_id: optionalId(fields, 'ticket_id') ?? null,
    app_id: fields.app_id,
    created_at: now,
    updated_at: now,
  } as ZendeskCall
  context.state.calls.push(call)
  return call
}

function patchCall(context: ZendeskContext, call: ZendeskCall, fields: Record<string, unknown>): ZendeskCall {
  validateCallFields(context, fields, false)
  Object.assign(call, writableFields(normalizeTimestamps(fields)))
  if ('ticket_id' in fields) {
    call.ticket_id = optionalId(fields, 'ticket_id') ?? null
  }
  call.updated_at = zendeskTimestamp()
  return call
}

function requireCall(context: ZendeskContext, id: number): ZendeskCall {
  const call = context.state.calls.find((candidate) => candidate.id === id)
  if (!call) {
    throw recordNotFound()
  }
  return call
}

function fieldLabel(name: string): string {
  const words = name.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * Builds the comment body from the title and a "Summary" block with one line per `call_fields` entry.
 * NOTE: the layout copies one recorded Zendesk response, and the labels of other fields are a guess.
 */
function voiceCommentBody(title: string, call: ZendeskCall, callFields: string[]): string {
  if (callFields.length === 0) {
    return title
  }
  const lines = callFields.map((name) => `${fieldLabel(name)}: ${String(call[name] ?? '')}`)
  return `${title}\n\nSummary\n${lines.join('\n')}`
}

interface VoiceCommentRequest {
  title?: string
  callFields: string[]
  authorId?: number
}

/** Validates the unwrapped body of POST /calls/{id}/comments, or the `comment` of POST /calls. */
function parseVoiceCommentRequest(context: ZendeskContext, fields: Record<string, unknown>): VoiceCommentRequest {
  const authorId = optionalId(fields, 'author_id')
  if (authorId !== undefined && !findUser(context, authorId)) {
    throw recordInvalid('author_id', 'Author: is invalid')
  }
  return {
    title: optionalString(fields, 'title'),
    callFields: optionalStringArray(fields, 'call_fields') ?? [],
    authorId,
  }
}

function rejectClosedTicket(context: ZendeskContext, ticketId: number | null | undefined): void {
  if (ticketId === null || ticketId === undefined) {
    return
  }
  if (requireTicket(context, ticketId).status === 'closed') {
    throw recordInvalid('status', 'Status: closed prevents ticket update')
  }
}

/**
 * Returns the call's ticket. A call without one gets a new ticket, because a recorded Zendesk
 * response shows a comment (with an audit) created for a call whose ticket_id was null.
 * NOTE: the subject and requester that Zendesk gives that ticket are unverified.
 */
function ticketForCall(context: ZendeskContext, call: ZendeskCall, title: string): ZendeskTicket {
  if (call.ticket_id !== null) {
    return requireTicket(context, call.ticket_id)
  }
  const endUser = typeof call.end_user_id === 'number' ? findUser(context, call.end_user_id) : undefined
  const ticket = insertTicket(context, { subject: title, requesterId: endUser?.id ?? context.currentUser.id })
  call.ticket_id = ticket.id
  return ticket
}

/** Adds a private TpeVoiceComment for the call to its ticket, and returns it as the API does. */
function addVoiceComment(context: ZendeskContext, call: ZendeskCall, request: VoiceCommentRequest) {
  const title = request.title ?? `${fieldLabel(call.direction)} call`
  const ticket = ticketForCall(context, call, title)
  const comment = addComment(context, ticket, {
    type: 'TpeVoiceComment',
    authorId: request.authorId ?? context.currentUser.id,
    body: voiceCommentBody(title, call, request.callFields),
    public: false,
    data: {
      app_id: call.app_id,
      author_id: request.authorId ?? null,
      call_id: call.id,
      direction: call.direction,
      external_id: call.external_id,
      title,
      via_id: VIA_ID_BY_DIRECTION[call.direction],
      recording_url: call.recording_url ?? '',
    },
  })
  return {
    ...commentForResponse(comment),
    formatted_from: call.from_line,
    formatted_to: call.to_line,
    transcription_visible: false,
    trusted: true,
    title,
  }
}

/** Handles POST /calls. Checks the call and its optional comment before storing either. */
function createCallFromRequest(context: ZendeskContext, body: Record<string, unknown>): ZendeskCall {
  const fields = isRecord(body.call) ? body.call : {}
  validateCallFields(context, fields, true)
  const commentRequest = isRecord(body.comment) ? parseVoiceCommentRequest(context, body.comment) : undefined
  if (commentRequest) {
    rejectClosedTicket(context, optionalId(fields, 'ticket_id'))
  }

  const call = createCall(context, fields)
  if (commentRequest) {
    addVoiceComment(context, call, commentRequest)
  }
  return call
}

export const callRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/v2\/calls$/,
    handle: async (context, { req }) => {
      const body = await readObjectBody(req)
      return { status: 201, body: { call: createCallFromRequest(context, body) } }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/calls\/(\d+)$/,
    handle: (context, { params }) => ({ status: 200, body: { call: requireCall(context, Number(params[0])) } }),
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/v2\/calls\/(\d+)$/,
    handle: async (context, { req, params }) => {
      const fields = await readWrappedObject(req, 'call')
      const call = requireCall(context, Number(params[0]))
      return { status: 200, body: { call: patchCall(context, call, fields) } }
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/v2\/calls\/(\d+)\/comments$/,
    handle: async (context, { req, params }) => {
      const fields = await readObjectBody(req)
      const call = requireCall(context, Number(params[0]))
      const request = parseVoiceCommentRequest(context, fields)
      rejectClosedTicket(context, call.ticket_id)
      return { status: 201, body: addVoiceComment(context, call, request) }
    },
  },
]
