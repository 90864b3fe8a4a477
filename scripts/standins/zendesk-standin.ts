/**
 * A local stand-in for the parts of the Zendesk Support API that Centralino uses: users and
 * their identities, tickets and comments, uploads, and the Talk Partner Edition Calls API. It
 * keeps everything in memory, responds with Zendesk's status codes and JSON shapes, and
 * listens on 127.0.0.1 only.
 * Every path also works with the `.json` suffix that Zendesk's own examples use.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

import { HttpError, closeServer, createJsonServer, listenOnLoopback, sendJson } from './http'
import { appRoutes, createAppsStandin, type AppsStandin } from './zendesk/apps'
import { callRoutes } from './zendesk/calls'
import { ZendeskContext, zendeskTimestamp, type Route, type RouteResponse } from './zendesk/core'
import { RATE_LIMITED_BODY, UNAUTHORIZED_BODY, invalidEndpoint } from './zendesk/errors'
import { addIdentity, identityRoutes, type NewIdentityFields } from './zendesk/identities'
import type { TicketStatus, ZendeskStandinState, ZendeskTicket, ZendeskUser, ZendeskUserIdentity } from './zendesk/model'
import { addComment, insertTicket, ticketRoutes } from './zendesk/tickets'
import { uploadRoutes } from './zendesk/uploads'
import { addUser, findUser, userRoutes } from './zendesk/users'

export type * from './zendesk/model'

export interface ZendeskStandinOptions {
  /** TCP port. The default 0 picks a free one. */
  port?: number
  host?: '127.0.0.1'
  /** Locale of the authenticated admin and default locale of new users. Default `it`. */
  locale?: string
  /** Delay in ms before a user created through the API shows up in users/search. Default 0. */
  searchLagMs?: number
  /** Lifetime of an upload token in ms. Default 60 minutes, as Zendesk documents. */
  uploadTtlMs?: number
  /**
   * Credentials that the stand-in accepts. When none are set, any well-formed
   * `Basic base64({email}/token:{token})` or `Bearer {token}` header passes.
   */
  email?: string
  apiToken?: string
  oauthToken?: string
}

export interface SeedUserFields {
  name: string
  phone: string
  locale?: string
  email?: string
  externalId?: string
}

export interface SeedTicketFields {
  requesterId: number
  subject: string
  status: TicketStatus
  updatedAt?: Date
  tags?: string[]
  externalId?: string
}

export interface RateLimitMatch {
  method: string
  /** Compared with the request path after removing any `.json` suffix from both. */
  pathPrefix: string
}

export interface ZendeskStandin {
  url: string
  state: ZendeskStandinState
  close(): Promise<void>
  /** Makes the next `times` matching requests fail with 429 and `Retry-After: retryAfterSeconds`. */
  injectRateLimit(match: RateLimitMatch, retryAfterSeconds: number, times?: number): void
  /** Adds an end user who is searchable at once, as if they existed before the test. */
  seedUser(fields: SeedUserFields): ZendeskUser
  /**
   * Adds an identity to a user, such as a second phone number. A primary email or phone
   * identity also replaces the user's `email` or `phone`. Throws when the user does not exist.
   */
  seedIdentity(userId: number, fields: NewIdentityFields): ZendeskUserIdentity
  /** Adds a ticket with one public comment from the requester. */
  seedTicket(fields: SeedTicketFields): ZendeskTicket
  /** Sets a ticket's status to closed, as Zendesk's automations do some days after a ticket is solved. */
  closeTicket(id: number): ZendeskTicket
  /** The Centralino app as installed in this account: its key pair, ids and signed-URL tokens. */
  apps: AppsStandin
}

const DEFAULT_ADMIN_EMAIL = 'admin@centralino.test'
const ONE_HOUR_MS = 60 * 60 * 1000

const ROUTES: Route[] = [...userRoutes, ...identityRoutes, ...ticketRoutes, ...uploadRoutes, ...callRoutes, ...appRoutes]

interface PendingRateLimit {
  method: string
  pathPrefix: string
  retryAfterSeconds: number
  remaining: number
}

function stripJsonSuffix(path: string): string {
  return path.replace(/\.json$/, '')
}

/**
 * Checks the Authorization header against Zendesk's two schemes. When the options configure
 * credentials, only those pass. Otherwise any well-formed header does.
 */
function isAuthorized(header: string | undefined, options: ZendeskStandinOptions): boolean {
  const configured = options.apiToken !== undefined || options.oauthToken !== undefined
  const [scheme, value] = (header ?? '').split(' ', 2)
  if (!value) {
    return false
  }

  if (scheme === 'Bearer') {
    return configured ? value === options.oauthToken : true
  }
  if (scheme !== 'Basic') {
    return false
  }
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  const separator = decoded.indexOf('/token:')
  if (separator <= 0 || separator + '/token:'.length === decoded.length) {
    return false
  }
  if (!configured) {
    return true
  }
  const email = decoded.slice(0, separator)
  const token = decoded.slice(separator + '/token:'.length)
  return options.apiToken !== undefined && email === options.email && token === options.apiToken
}

function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) {
      continue
    }
    const match = route.pattern.exec(path)
    if (match) {
      return { route, params: match.slice(1) }
    }
  }
  return undefined
}

function sendRouteResponse(res: ServerResponse, response: RouteResponse): void {
  if (response.status === 204) {
    res.writeHead(204, response.headers)
    res.end()
    return
  }
  sendJson(res, response.status, response.body, response.headers)
}

class ZendeskStandinServer {
  private readonly rateLimits: PendingRateLimit[] = []

  constructor(
    readonly context: ZendeskContext,
    private readonly options: ZendeskStandinOptions,
  ) {}

  injectRateLimit(match: RateLimitMatch, retryAfterSeconds: number, times: number): void {
    this.rateLimits.push({
      method: match.method.toUpperCase(),
      pathPrefix: stripJsonSuffix(match.pathPrefix),
      retryAfterSeconds,
      remaining: times,
    })
  }

  /** Consumes one pending 429 that matches the request, if any. */
  private takeRateLimit(method: string, path: string): PendingRateLimit | undefined {
    const limit = this.rateLimits.find(
      (candidate) => candidate.remaining > 0 && candidate.method === method && path.startsWith(candidate.pathPrefix),
    )
    if (limit) {
      limit.remaining -= 1
    }
    return limit
  }

  /** Authenticates, applies injected rate limits, then runs the matching route. */
  private async respond(req: IncomingMessage, method: string, path: string, query: URLSearchParams) {
    if (!isAuthorized(req.headers.authorization, this.options)) {
      throw new HttpError(401, UNAUTHORIZED_BODY)
    }
    const limit = this.takeRateLimit(method, path)
    if (limit) {
      throw new HttpError(429, RATE_LIMITED_BODY, { 'Retry-After': String(limit.retryAfterSeconds) })
    }
    const found = findRoute(method, path)
    if (!found) {
      throw invalidEndpoint()
    }
    return found.route.handle(this.context, { req, params: found.params, query })
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = stripJsonSuffix(url.pathname)

    let response: RouteResponse
    try {
      response = await this.respond(req, method, path, url.searchParams)
    } catch (error) {
      if (!(error instanceof HttpError)) {
        throw error
      }
      response = { status: error.status, body: error.body, headers: error.headers }
    }

    // The entry is written before the response, so a client that has the response also finds it in the log.
    this.context.state.requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      status: response.status,
      at: new Date().toISOString(),
    })
    sendRouteResponse(res, response)
  }
}

function seedTicket(context: ZendeskContext, fields: SeedTicketFields): ZendeskTicket {
  const ticket = insertTicket(context, {
    subject: fields.subject,
    requesterId: fields.requesterId,
    status: fields.status,
    tags: fields.tags,
    externalId: fields.externalId,
    createdAt: fields.updatedAt,
  })
  const comment = addComment(context, ticket, {
    type: 'Comment',
    authorId: fields.requesterId,
    body: fields.subject,
    public: true,
  })
  // addComment moves updated_at to now, but a seeded ticket keeps the time the test asked for.
  if (fields.updatedAt) {
    ticket.updated_at = zendeskTimestamp(fields.updatedAt)
    comment.created_at = ticket.updated_at
  }
  return ticket
}

function closeTicket(context: ZendeskContext, id: number): ZendeskTicket {
  const ticket = context.state.tickets.find((candidate) => candidate.id === id)
  if (!ticket) {
    throw new Error(`closeTicket: ticket ${id} does not exist in the Zendesk stand-in`)
  }
  ticket.status = 'closed'
  ticket.updated_at = zendeskTimestamp()
  return ticket
}

function seedIdentity(context: ZendeskContext, userId: number, fields: NewIdentityFields): ZendeskUserIdentity {
  const user = findUser(context, userId)
  if (!user) {
    throw new Error(`seedIdentity: user ${userId} does not exist in the Zendesk stand-in`)
  }
  return addIdentity(context, user, fields)
}

/** Starts the stand-in on 127.0.0.1 and resolves once it accepts requests. */
export async function startZendeskStandin(options: ZendeskStandinOptions = {}): Promise<ZendeskStandin> {
  const context = new ZendeskContext({
    locale: options.locale ?? 'it',
    searchLagMs: options.searchLagMs ?? 0,
    uploadTtlMs: options.uploadTtlMs ?? ONE_HOUR_MS,
  })
  const standinServer = new ZendeskStandinServer(context, options)
  const server = createJsonServer((req, res) => standinServer.handle(req, res))
  context.baseUrl = await listenOnLoopback(server, options.port ?? 0)

  context.currentUser = addUser(
    context,
    { name: 'Centralino Admin', email: options.email ?? DEFAULT_ADMIN_EMAIL, role: 'admin' },
    0,
  )

  return {
    url: context.baseUrl,
    state: context.state,
    close: () => closeServer(server),
    injectRateLimit: (match, retryAfterSeconds, times = 1) =>
      standinServer.injectRateLimit(match, retryAfterSeconds, times),
    seedUser: (fields) =>
      addUser(
        context,
        { name: fields.name, phone: fields.phone, locale: fields.locale, email: fields.email, externalId: fields.externalId },
        0,
      ),
    seedIdentity: (userId, fields) => seedIdentity(context, userId, fields),
    seedTicket: (fields) => seedTicket(context, fields),
    closeTicket: (id) => closeTicket(context, id),
    apps: createAppsStandin(context),
  }
}
