import { recordInvalid, recordNotFound } from './errors'
import { optionalString, readWrappedObject, zendeskTimestamp, type Route, type ZendeskContext } from './core'
import { IDENTITY_TYPES, type IdentityType, type ZendeskUser, type ZendeskUserIdentity } from './model'
import { requireUser } from './users'

export interface NewIdentityFields {
  type: IdentityType
  value: string
  primary?: boolean
}

/** The user fields that hold the value of the primary identity of each type, as in Zendesk. */
const PRIMARY_FIELDS = { email: 'email', phone_number: 'phone' } as const

function isIdentityType(value: string): value is IdentityType {
  return (IDENTITY_TYPES as readonly string[]).includes(value)
}

function newIdentity(context: ZendeskContext, user: ZendeskUser, fields: NewIdentityFields): ZendeskUserIdentity {
  const id = context.nextId('identity')
  const now = zendeskTimestamp()
  return {
    id,
    url: context.apiUrl(`users/${user.id}/identities/${id}`),
    user_id: user.id,
    type: fields.type,
    value: fields.value,
    verified: false,
    primary: fields.primary ?? false,
    undeliverable_count: 0,
    created_at: now,
    updated_at: now,
  }
}

/**
 * Makes the stored primary email and phone identities match the user's `email` and `phone`
 * fields, which create_or_update may have changed since the last read.
 */
function syncPrimaryIdentities(context: ZendeskContext, user: ZendeskUser): void {
  for (const [type, field] of Object.entries(PRIMARY_FIELDS) as Array<[IdentityType, 'email' | 'phone']>) {
    const value = user[field]
    const index = context.state.identities.findIndex((identity) => identity.user_id === user.id && identity.type === type && identity.primary)
    const stored = index === -1 ? undefined : context.state.identities[index]

    if (value === null || value.trim() === '') {
      if (stored) {
        context.state.identities.splice(index, 1)
      }
    } else if (!stored) {
      context.state.identities.push(newIdentity(context, user, { type, value, primary: true }))
    } else if (stored.value !== value) {
      stored.value = value
      stored.updated_at = zendeskTimestamp()
    }
  }
}

/** Returns the user's identities, primary ones first, then in creation order. */
export function listIdentities(context: ZendeskContext, user: ZendeskUser): ZendeskUserIdentity[] {
  syncPrimaryIdentities(context, user)
  const identities = context.state.identities.filter((identity) => identity.user_id === user.id)
  return identities.sort((a, b) => Number(b.primary) - Number(a.primary) || a.id - b.id)
}

/**
 * Adds an identity to the user. A primary email or phone identity also becomes the user's
 * `email` or `phone`, and the previous primary of that type stays as a secondary identity.
 * Throws 422 when the user already has the same type and value.
 */
export function addIdentity(context: ZendeskContext, user: ZendeskUser, fields: NewIdentityFields): ZendeskUserIdentity {
  const existing = listIdentities(context, user)
  if (existing.some((identity) => identity.type === fields.type && identity.value === fields.value)) {
    // NOTE: Zendesk's exact message for a repeated identity is unverified.
    throw recordInvalid('value', `Value: ${fields.value} has already been taken`)
  }

  const identity = newIdentity(context, user, fields)
  if (identity.primary) {
    for (const other of existing.filter((candidate) => candidate.type === identity.type && candidate.primary)) {
      other.primary = false
      other.updated_at = identity.updated_at
    }
    if (identity.type === 'email' || identity.type === 'phone_number') {
      user[PRIMARY_FIELDS[identity.type]] = identity.value
      user.updated_at = identity.updated_at
    }
  }
  context.state.identities.push(identity)
  return identity
}

function readIdentityFields(fields: Record<string, unknown>): NewIdentityFields {
  const type = optionalString(fields, 'type')
  if (type === undefined || !isIdentityType(type)) {
    throw recordInvalid('type', `Type: must be one of ${IDENTITY_TYPES.join(', ')}`)
  }
  const value = optionalString(fields, 'value')
  if (value === undefined || value.trim() === '') {
    throw recordInvalid('value', 'Value: cannot be blank')
  }
  const primary = fields.primary
  if (primary !== undefined && typeof primary !== 'boolean') {
    throw recordInvalid('primary', 'primary: must be a boolean')
  }
  return { type, value, primary }
}

export const identityRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/v2\/users\/(\d+)\/identities$/,
    handle: (context, { params, query }) => {
      const user = requireUser(context, Number(params[0]))
      const types = query.getAll('type[]')
      const identities = listIdentities(context, user).filter((identity) => types.length === 0 || types.includes(identity.type))
      return { status: 200, body: { identities, next_page: null, previous_page: null, count: identities.length } }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v2\/users\/(\d+)\/identities\/(\d+)$/,
    handle: (context, { params }) => {
      const user = requireUser(context, Number(params[0]))
      const identity = listIdentities(context, user).find((candidate) => candidate.id === Number(params[1]))
      if (!identity) {
        throw recordNotFound()
      }
      return { status: 200, body: { identity } }
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/v2\/users\/(\d+)\/identities$/,
    handle: async (context, { req, params }) => {
      const user = requireUser(context, Number(params[0]))
      const fields = readIdentityFields(await readWrappedObject(req, 'identity'))
      return { status: 201, body: { identity: addIdentity(context, user, fields) } }
    },
  },
]
