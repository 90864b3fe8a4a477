import { badRequest, recordInvalid, recordNotFound } from './errors'
import { optionalString, readWrappedObject, zendeskTimestamp, type Route, type ZendeskContext } from './core'
import type { ZendeskUser } from './model'

export interface NewUserFields {
  name: string
  email?: string | null
  phone?: string | null
  externalId?: string | null
  role?: ZendeskUser['role']
  locale?: string
}

/** Stores a new user. users/search returns the user once the clock reaches `searchableFrom` (epoch ms). */
export function addUser(context: ZendeskContext, fields: NewUserFields, searchableFrom: number): ZendeskUser {
  const id = context.nextId('user')
  const now = zendeskTimestamp()
  const user: ZendeskUser = {
    id,
    url: context.apiUrl(`users/${id}`),
    name: fields.name,
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    external_id: fields.externalId ?? null,
    role: fields.role ?? 'end-user',
    locale: fields.locale ?? context.options.locale,
    created_at: now,
    updated_at: now,
  }
  context.state.users.push(user)
  context.searchableFrom.set(id, searchableFrom)
  return user
}

export function findUser(context: ZendeskContext, id: number): ZendeskUser | undefined {
  return context.state.users.find((user) => user.id === id)
}

export function requireUser(context: ZendeskContext, id: number): ZendeskUser {
  const user = findUser(context, id)
  if (!user) {
    throw recordNotFound()
  }
  return user
}

/**
 * Extracts the phone number from a users/search query: `phone:+39021234567`, `"+39021234567"`
 * and `+39021234567` all return `+39021234567`.
 */
export function phoneFromSearchQuery(query: string): string {
  let value = query.trim()
  if (value.startsWith('phone:')) {
    value = value.slice('phone:'.length).trim()
  }
  return value.replace(/^"(.*)"$/, '$1')
}

function isSearchable(context: ZendeskContext, user: ZendeskUser): boolean {
  const searchableFrom = context.searchableFrom.get(user.id) ?? 0
  return Date.now() >= searchableFrom
}

/**
 * Returns the users whose phone equals the query exactly, with no E.164 normalisation.
 * The query string is form-decoded, so a client that leaves the `+` of `+39…` unencoded
 * sends a space and matches no user.
 */
function searchUsers(context: ZendeskContext, query: URLSearchParams): ZendeskUser[] {
  const rawQuery = query.get('query')
  const externalId = query.get('external_id')
  if (rawQuery === null && externalId === null) {
    // NOTE: the status and body that Zendesk returns for a search without parameters are unverified.
    throw badRequest('Parameter query or external_id is required')
  }
  const phone = rawQuery === null ? null : phoneFromSearchQuery(rawQuery)
  return context.state.users.filter(
    (user) =>
      isSearchable(context, user) &&
      (phone === null || user.phone === phone) &&
      (externalId === null || user.external_id === externalId),
  )
}

function findExistingUser(context: ZendeskContext, externalId?: string, email?: string): ZendeskUser | undefined {
  const users = context.state.users
  if (externalId !== undefined) {
    const byExternalId = users.find((user) => user.external_id === externalId)
    if (byExternalId) {
      return byExternalId
    }
  }
  if (email !== undefined) {
    const lowerEmail = email.toLowerCase()
    return users.find((user) => user.email?.toLowerCase() === lowerEmail)
  }
  return undefined
}

/**
 * Updates the user that has the same `external_id` (or else email) as `fields`, or creates one.
 * Phone is not a match key, as in Zendesk. The resulting user must have a non-empty name.
 */
function createOrUpdateUser(
  context: ZendeskContext,
  fields: Record<string, unknown>,
): { user: ZendeskUser; created: boolean } {
  const name = optionalString(fields, 'name')
  const email = optionalString(fields, 'email')
  const phone = optionalString(fields, 'phone')
  const externalId = optionalString(fields, 'external_id')
  const locale = optionalString(fields, 'locale')

  const existing = findExistingUser(context, externalId, email)
  const resultingName = name ?? existing?.name ?? ''
  if (resultingName.trim() === '') {
    throw recordInvalid('name', 'Name: is too short')
  }

  if (!existing) {
    const searchableFrom = Date.now() + context.options.searchLagMs
    const user = addUser(context, { name: resultingName, email, phone, externalId, locale }, searchableFrom)
    return { user, created: true }
  }

  existing.name = resultingName
  existing.email = email ?? existing.email
  existing.phone = phone ?? existing.phone
  existing.external_id = externalId ?? existing.external_id
  existing.locale = locale ?? existing.locale
  existing.updated_at = zendeskTimestamp()
  return { user: existing, created: false }
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/v2\/users\/me$/,
    handle: (context) => ({ status: 200, body: { user: context.currentUser } }),
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/users\/search$/,
    handle: (context, { query }) => {
      const users = searchUsers(context, query)
      return { status: 200, body: { users, next_page: null, previous_page: null, count: users.length } }
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/v2\/users\/create_or_update$/,
    handle: async (context, { req }) => {
      const fields = await readWrappedObject(req, 'user')
      const { user, created } = createOrUpdateUser(context, fields)
      return { status: created ? 201 : 200, body: { user } }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/users\/(\d+)$/,
    handle: (context, { params }) => ({ status: 200, body: { user: requireUser(context, Number(params[0])) } }),
  },
]
