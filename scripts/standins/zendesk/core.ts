import type { IncomingMessage } from 'node:http'

import { isRecord, readJsonBody } from '../http'
import { INVALID_JSON_BODY, recordInvalid } from './errors'
import type { ZendeskStandinState, ZendeskUser } from './model'

export interface ResolvedZendeskOptions {
  locale: string
  searchLagMs: number
  uploadTtlMs: number
}

type IdKind = 'user' | 'ticket' | 'comment' | 'attachment' | 'audit' | 'call' | 'identity'

/** State shared by the route handlers: the records, the id counters, the options and the base URL. */
export class ZendeskContext {
  readonly state: ZendeskStandinState = {
    users: [],
    tickets: [],
    comments: [],
    uploads: [],
    calls: [],
    requests: [],
    identities: [],
  }

  /** Time in epoch ms from which each user shows up in users/search, keyed by user id. */
  readonly searchableFrom = new Map<number, number>()

  /** Base URL of the running server, set once it listens, because `url` fields need it. */
  baseUrl = ''

  /** The user that every valid credential authenticates as (`/users/me`). Set right after construction. */
  currentUser!: ZendeskUser

  // Each kind has its own id range, so a user id sent as a ticket id finds nothing instead of another record.
  private readonly lastIds: Record<IdKind, number> = {
    user: 360_000_000,
    ticket: 0,
    comment: 500_000,
    attachment: 700_000,
    audit: 300_000,
    call: 900_000,
    identity: 800_000,
  }

  constructor(readonly options: ResolvedZendeskOptions) {}

  nextId(kind: IdKind): number {
    this.lastIds[kind] += 1
    return this.lastIds[kind]
  }

  apiUrl(path: string): string {
    return `${this.baseUrl}/api/v2/${path}.json`
  }
}

/** Formats a time as Zendesk does: UTC ISO 8601 without milliseconds. */
export function zendeskTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface RouteRequest {
  req: IncomingMessage
  /** Capture groups of the route pattern, such as the ticket id. */
  params: string[]
  query: URLSearchParams
}

export interface RouteResponse {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Matched against the path without its `.json` suffix. */
  pattern: RegExp
  handle(context: ZendeskContext, request: RouteRequest): Promise<RouteResponse> | RouteResponse
}

/**
 * Reads a JSON body and returns the object under `key`, such as `ticket` in `{"ticket": {...}}`.
 * A missing wrapper yields `{}`, so the record validation reports the missing fields.
 */
export async function readWrappedObject(req: IncomingMessage, key: string): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req, INVALID_JSON_BODY)
  if (!isRecord(body)) {
    return {}
  }
  const wrapped = body[key]
  return isRecord(wrapped) ? wrapped : {}
}

export async function readObjectBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req, INVALID_JSON_BODY)
  return isRecord(body) ? body : {}
}

/** Returns `fields[name]` when it is a string, undefined when absent, and throws 422 otherwise. */
export function optionalString(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name]
  if (value === undefined || value === null) {
    return undefined
  }
  if (typeof value !== 'string') {
    throw recordInvalid(name, `${name}: must be a string`)
  }
  return value
}

/** Returns `fields[name]` as a positive integer id. Numeric strings are accepted too. */
export function optionalId(fields: Record<string, unknown>, name: string): number | undefined {
  const value = fields[name]
  if (value === undefined || value === null) {
    return undefined
  }
  const id = typeof value === 'string' ? Number(value) : value
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw recordInvalid(name, `${name}: is invalid`)
  }
  return id
}

export function optionalStringArray(fields: Record<string, unknown>, name: string): string[] | undefined {
  const value = fields[name]
  if (value === undefined || value === null) {
    return undefined
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw recordInvalid(name, `${name}: must be an array of strings`)
  }
  return value as string[]
}
