import { isRecord } from '../http'
import { recordInvalid, recordNotFound } from './errors'
import {
  optionalId,
  optionalString,
  optionalStringArray,
  readWrappedObject,
  zendeskTimestamp,
  type Route,
  type ZendeskContext,
} from './core'
import {
  TICKET_STATUSES,
  type CommentType,
  type TicketStatus,
  type ZendeskComment,
  type ZendeskTicket,
  type ZendeskUpload,
} from './model'
import { markUploadsUsed, requireUsableUploads } from './uploads'
import { findUser, requireUser } from './users'

export interface NewTicketFields {
  subject: string
  requesterId: number
  status?: TicketStatus
  priority?: string | null
  tags?: string[]
  externalId?: string | null
  viaFollowupSourceId?: number | null
  createdAt?: Date
  updatedAt?: Date
}

/** Stores a ticket without any comment. Callers add the first comment, which becomes the description. */
export function insertTicket(context: ZendeskContext, fields: NewTicketFields): ZendeskTicket {
  const id = context.nextId('ticket')
  const createdAt = zendeskTimestamp(fields.createdAt)
  const ticket: ZendeskTicket = {
    id,
    url: context.apiUrl(`tickets/${id}`),
    subject: fields.subject,
    description: '',
    status: fields.status ?? 'new',
    priority: fields.priority ?? null,
    requester_id: fields.requesterId,
    submitter_id: context.currentUser.id,
    assignee_id: null,
    tags: normalizeTags(fields.tags ?? []),
    external_id: fields.externalId ?? null,
    via_followup_source_id: fields.viaFollowupSourceId ?? null,
    created_at: createdAt,
    updated_at: fields.updatedAt ? zendeskTimestamp(fields.updatedAt) : createdAt,
  }
  context.state.tickets.push(ticket)
  return ticket
}

export function requireTicket(context: ZendeskContext, id: number): ZendeskTicket {
  const ticket = context.state.tickets.find((candidate) => candidate.id === id)
  if (!ticket) {
    throw recordNotFound()
  }
  return ticket
}

/**
 * Lower-cases tags and splits a tag that contains spaces into several, as Zendesk's agent UI does.
 * NOTE: that the API normalises tags the same way is unverified.
 */
function normalizeTags(tags: string[]): string[] {
  const words = tags.flatMap((tag) => tag.toLowerCase().split(/\s+/)).filter((word) => word !== '')
  return [...new Set(words)]
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Renders a plain-text body the way Zendesk's `html_body` looks: one paragraph per blank-line block. */
function renderHtmlBody(body: string): string {
  const paragraphs = body
    .split(/\n{2,}/)
    .map((paragraph) => `<p dir="auto">${escapeHtml(paragraph).split('\n').join('<br>\n')}</p>`)
  return `<div class="zd-comment" dir="auto">${paragraphs.join('\n')}</div>`
}

export interface NewCommentFields {
  type: CommentType
  authorId: number
  body: string
  public: boolean
  uploads?: ZendeskUpload[]
  data?: Record<string, unknown>
}

/**
 * Appends a comment to the ticket, attaches the files of `uploads` and marks those tokens used.
 * Moves the ticket's `updated_at`. The first comment of a ticket becomes its description.
 */
export function addComment(context: ZendeskContext, ticket: ZendeskTicket, fields: NewCommentFields): ZendeskComment {
  const now = zendeskTimestamp()
  const uploads = fields.uploads ?? []
  const comment: ZendeskComment = {
    id: context.nextId('comment'),
    ticket_id: ticket.id,
    type: fields.type,
    author_id: fields.authorId,
    body: fields.body,
    html_body: renderHtmlBody(fields.body),
    plain_body: fields.body,
    public: fields.public,
    attachments: uploads.flatMap((upload) => upload.attachments),
    ...(fields.data ? { data: fields.data } : {}),
    created_at: now,
  }
  markUploadsUsed(uploads, comment.id)

  if (!context.state.comments.some((existing) => existing.ticket_id === ticket.id)) {
    ticket.description = comment.body
  }
  context.state.comments.push(comment)
  ticket.updated_at = now
  return comment
}

/** Returns the comment without its internal `ticket_id`, as the API shows it. */
export function commentForResponse(comment: ZendeskComment): Omit<ZendeskComment, 'ticket_id'> {
  const { ticket_id, ...publicFields } = comment
  return publicFields
}

interface CommentRequest {
  body: string
  public: boolean
  authorId?: number
  uploadTokens: string[]
}

/** Validates `ticket.comment` of a request. `fieldName` names the field in the 422 details. */
function parseCommentRequest(value: unknown, fieldName: string, label: string): CommentRequest {
  const fields = isRecord(value) ? value : {}
  const body = optionalString(fields, 'body') ?? optionalString(fields, 'html_body')
  if (body === undefined || body.trim() === '') {
    throw recordInvalid(fieldName, `${label}: cannot be blank`)
  }
  const isPublic = fields.public
  if (isPublic !== undefined && typeof isPublic !== 'boolean') {
    throw recordInvalid('public', 'public: must be true or false')
  }
  return {
    body,
    public: isPublic ?? true,
    authorId: optionalId(fields, 'author_id'),
    uploadTokens: optionalStringArray(fields, 'uploads') ?? [],
  }
}

function parseStatus(fields: Record<string, unknown>): TicketStatus | undefined {
  const status = optionalString(fields, 'status')
  if (status === undefined) {
    return undefined
  }
  if (!(TICKET_STATUSES as readonly string[]).includes(status)) {
    throw recordInvalid('status', `Status: ${status} is not a valid status`)
  }
  return status as TicketStatus
}

function requireAuthor(context: ZendeskContext, authorId: number): number {
  if (!findUser(context, authorId)) {
    throw recordInvalid('author_id', 'Author: is invalid')
  }
  return authorId
}

/**
 * Returns `sourceId` when it names a closed ticket and throws 422 otherwise, because
 * Zendesk accepts `via_followup_source_id` for closed tickets only.
 */
function requireClosedSource(context: ZendeskContext, sourceId: number | undefined): number | undefined {
  if (sourceId === undefined) {
    return undefined
  }
  const source = context.state.tickets.find((ticket) => ticket.id === sourceId)
  if (!source || source.status !== 'closed') {
    throw recordInvalid('via_followup_source_id', 'Via followup source: must be a closed ticket')
  }
  return sourceId
}

interface AuditEvent {
  id: number
  type: 'Comment' | 'Change'
  [field: string]: unknown
}

function buildAudit(context: ZendeskContext, ticket: ZendeskTicket, authorId: number, events: AuditEvent[]) {
  return {
    id: context.nextId('audit'),
    ticket_id: ticket.id,
    created_at: ticket.updated_at,
    author_id: authorId,
    events,
  }
}

function commentEvent(comment: ZendeskComment): AuditEvent {
  return {
    id: comment.id,
    type: 'Comment',
    author_id: comment.author_id,
    body: comment.body,
    html_body: comment.html_body,
    public: comment.public,
    attachments: comment.attachments,
  }
}

function changeEvent(context: ZendeskContext, fieldName: string, value: unknown, previousValue: unknown): AuditEvent {
  return { id: context.nextId('audit'), type: 'Change', field_name: fieldName, value, previous_value: previousValue }
}

function defaultSubject(body: string): string {
  const firstLine = body.trim().split('\n')[0] ?? ''
  return firstLine.slice(0, 80)
}

/**
 * Validates a create request in full before storing anything, so a 422 leaves no trace.
 * The first comment's author defaults to the requester.
 */
function createTicketFromRequest(context: ZendeskContext, fields: Record<string, unknown>) {
  const comment = parseCommentRequest(fields.comment, 'description', 'Description')
  const requesterId = optionalId(fields, 'requester_id') ?? context.currentUser.id
  if (!findUser(context, requesterId)) {
    throw recordInvalid('requester_id', 'Requester: is invalid')
  }
  const authorId = requireAuthor(context, comment.authorId ?? requesterId)
  const viaFollowupSourceId = requireClosedSource(context, optionalId(fields, 'via_followup_source_id'))
  const status = parseStatus(fields) ?? 'new'
  const uploads = requireUsableUploads(context, comment.uploadTokens)

  const ticket = insertTicket(context, {
    subject: optionalString(fields, 'subject') ?? defaultSubject(comment.body),
    requesterId,
    status,
    priority: optionalString(fields, 'priority'),
    tags: optionalStringArray(fields, 'tags'),
    externalId: optionalString(fields, 'external_id'),
    viaFollowupSourceId,
  })
  const added = addComment(context, ticket, {
    type: 'Comment',
    authorId,
    body: comment.body,
    public: comment.public,
    uploads,
  })
  return { ticket, audit: buildAudit(context, ticket, context.currentUser.id, [commentEvent(added)]) }
}

function updatedTags(current: string[], fields: Record<string, unknown>): string[] {
  const replacement = optionalStringArray(fields, 'tags')
  const additional = optionalStringArray(fields, 'additional_tags') ?? []
  const removed = new Set(normalizeTags(optionalStringArray(fields, 'remove_tags') ?? []))
  const base = replacement ?? current
  return normalizeTags([...base, ...additional]).filter((tag) => !removed.has(tag))
}

/** Applies a PUT /tickets/{id} request. Validates everything first, so a 422 changes nothing. */
function updateTicketFromRequest(context: ZendeskContext, ticket: ZendeskTicket, fields: Record<string, unknown>) {
  if (ticket.status === 'closed') {
    throw recordInvalid('status', 'Status: closed prevents ticket update')
  }
  const comment =
    fields.comment === undefined ? undefined : parseCommentRequest(fields.comment, 'comment', 'Comment')
  const authorId = requireAuthor(context, comment?.authorId ?? context.currentUser.id)
  const status = parseStatus(fields)
  const tags = updatedTags(ticket.tags, fields)
  const uploads = comment ? requireUsableUploads(context, comment.uploadTokens) : []

  const events: AuditEvent[] = []
  if (comment) {
    const added = addComment(context, ticket, {
      type: 'Comment',
      authorId,
      body: comment.body,
      public: comment.public,
      uploads,
    })
    events.push(commentEvent(added))
  }
  if (status !== undefined && status !== ticket.status) {
    events.push(changeEvent(context, 'status', status, ticket.status))
    ticket.status = status
  }
  if (tags.join(' ') !== ticket.tags.join(' ')) {
    events.push(changeEvent(context, 'tags', tags, ticket.tags))
    ticket.tags = tags
  }
  if (events.length > 0) {
    ticket.updated_at = zendeskTimestamp()
  }
  return { ticket, audit: buildAudit(context, ticket, context.currentUser.id, events) }
}

type SortableField = 'id' | 'created_at' | 'updated_at' | 'status' | 'subject'

const SORTABLE_FIELDS: readonly SortableField[] = ['id', 'created_at', 'updated_at', 'status', 'subject']

function compareValues(left: string | number, right: string | number): number {
  if (left === right) {
    return 0
  }
  return left < right ? -1 : 1
}

/** Sorts by `sort_by` (default `id`) and `sort_order` (default `asc`). Equal values fall back to id order. */
function sortTickets(tickets: ZendeskTicket[], query: URLSearchParams): ZendeskTicket[] {
  const requested = query.get('sort_by') ?? 'id'
  const sortBy: SortableField = (SORTABLE_FIELDS as readonly string[]).includes(requested)
    ? (requested as SortableField)
    : 'id'
  const direction = query.get('sort_order') === 'desc' ? -1 : 1
  return [...tickets].sort((a, b) => {
    const byField = compareValues(a[sortBy], b[sortBy])
    return direction * (byField !== 0 ? byField : a.id - b.id)
  })
}

function ticketList(tickets: ZendeskTicket[]) {
  return { tickets, next_page: null, previous_page: null, count: tickets.length }
}

export const ticketRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/v2\/tickets$/,
    handle: async (context, { req }) => {
      const fields = await readWrappedObject(req, 'ticket')
      const result = createTicketFromRequest(context, fields)
      return { status: 201, body: result, headers: { Location: result.ticket.url } }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/tickets$/,
    handle: (context, { query }) => {
      const externalId = query.get('external_id')
      const tickets = context.state.tickets.filter(
        (ticket) => externalId === null || ticket.external_id === externalId,
      )
      return { status: 200, body: ticketList(sortTickets(tickets, query)) }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/tickets\/(\d+)$/,
    handle: (context, { params }) => ({ status: 200, body: { ticket: requireTicket(context, Number(params[0])) } }),
  },
  {
    method: 'PUT',
    pattern: /^\/api\/v2\/tickets\/(\d+)$/,
    handle: async (context, { req, params }) => {
      const fields = await readWrappedObject(req, 'ticket')
      const ticket = requireTicket(context, Number(params[0]))
      return { status: 200, body: updateTicketFromRequest(context, ticket, fields) }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/tickets\/(\d+)\/comments$/,
    handle: (context, { params, query }) => {
      const ticket = requireTicket(context, Number(params[0]))
      const comments = context.state.comments.filter((comment) => comment.ticket_id === ticket.id)
      if (query.get('sort_order') === 'desc') {
        comments.reverse()
      }
      const body = { comments: comments.map(commentForResponse), next_page: null, previous_page: null, count: comments.length }
      return { status: 200, body }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/users\/(\d+)\/tickets\/requested$/,
    handle: (context, { params, query }) => {
      const user = requireUser(context, Number(params[0]))
      const tickets = context.state.tickets.filter((ticket) => ticket.requester_id === user.id)
      return { status: 200, body: ticketList(sortTickets(tickets, query)) }
    },
  },
]
