import { createHash } from 'node:crypto'

import { startZendeskStandin, type ZendeskStandin } from '../standins/zendesk-standin'

const API_TOKEN_AUTH = `Basic ${Buffer.from('agent@example.test/token:secret-token').toString('base64')}`

interface ApiResponse {
  status: number
  headers: Headers
  // Tests read fields of many shapes, so the parsed body stays loosely typed.
  body: any
}

async function api(
  standin: ZendeskStandin,
  method: string,
  path: string,
  options: { json?: unknown; raw?: RequestInit['body']; contentType?: string; authorization?: string | null } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {}
  const authorization = options.authorization === undefined ? API_TOKEN_AUTH : options.authorization
  if (authorization !== null) {
    headers.Authorization = authorization
  }
  let body: RequestInit['body'] = options.raw
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['Content-Type'] = 'application/json'
  }
  if (options.contentType) {
    headers['Content-Type'] = options.contentType
  }
  const response = await fetch(`${standin.url}${path}`, { method, headers, body })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) }
}

async function uploadFile(standin: ZendeskStandin, fileName: string, bytes: Buffer): Promise<ApiResponse> {
  return api(standin, 'POST', `/api/v2/uploads.json?filename=${fileName}`, {
    raw: bytes,
    contentType: 'audio/mpeg',
  })
}

describe('Zendesk stand-in', () => {
  let standin: ZendeskStandin

  beforeEach(async () => {
    standin = await startZendeskStandin({ port: 0, host: '127.0.0.1' })
  })

  afterEach(async () => {
    await standin.close()
  })

  describe('authentication', () => {
    it('rejects a request without Authorization', async () => {
      const response = await api(standin, 'GET', '/api/v2/users/me.json', { authorization: null })

      expect(response.status).toBe(401)
      expect(response.body).toEqual({ error: "Couldn't authenticate you" })
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    })

    it('rejects Basic credentials without /token:', async () => {
      const authorization = `Basic ${Buffer.from('agent@example.test:password').toString('base64')}`

      const response = await api(standin, 'GET', '/api/v2/users/me', { authorization })

      expect(response.status).toBe(401)
    })

    it('accepts an API token and a Bearer token', async () => {
      const withApiToken = await api(standin, 'GET', '/api/v2/users/me.json')
      const withBearer = await api(standin, 'GET', '/api/v2/users/me', { authorization: 'Bearer oauth-token' })

      expect(withApiToken.status).toBe(200)
      expect(withApiToken.body.user).toMatchObject({ role: 'admin', locale: 'it' })
      expect(withBearer.status).toBe(200)
    })

    it('rejects a wrong token when credentials are configured', async () => {
      const strict = await startZendeskStandin({ email: 'agent@example.test', apiToken: 'right-token' })
      try {
        const wrong = await api(strict, 'GET', '/api/v2/users/me')
        const right = await api(strict, 'GET', '/api/v2/users/me', {
          authorization: `Basic ${Buffer.from('agent@example.test/token:right-token').toString('base64')}`,
        })

        expect(wrong.status).toBe(401)
        expect(right.status).toBe(200)
      } finally {
        await strict.close()
      }
    })

    it('keeps headers out of the request log', async () => {
      await api(standin, 'GET', '/api/v2/users/me.json?include=roles')

      expect(standin.state.requests).toEqual([
        { method: 'GET', path: '/api/v2/users/me', query: { include: 'roles' }, status: 200, at: expect.any(String) },
      ])
    })
  })

  describe('users', () => {
    it('create_or_update is idempotent by external_id', async () => {
      const user = { name: 'Mario Rossi', phone: '+393471234567', external_id: 'caller-1' }

      const first = await api(standin, 'POST', '/api/v2/users/create_or_update.json', { json: { user } })
      const second = await api(standin, 'POST', '/api/v2/users/create_or_update', {
        json: { user: { ...user, name: 'Mario R.' } },
      })

      expect(first.status).toBe(201)
      expect(second.status).toBe(200)
      expect(second.body.user.id).toBe(first.body.user.id)
      expect(second.body.user.name).toBe('Mario R.')
      expect(standin.state.users.filter((stored) => stored.external_id === 'caller-1')).toHaveLength(1)
    })

    it('create_or_update without a name is 422', async () => {
      const response = await api(standin, 'POST', '/api/v2/users/create_or_update', {
        json: { user: { phone: '+393471234567' } },
      })

      expect(response.status).toBe(422)
      expect(response.body).toEqual({
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: { name: [{ description: 'Name: is too short' }] },
      })
    })

    it('search matches the exact phone of a seeded user', async () => {
      const user = standin.seedUser({ name: 'Anna', phone: '+390612345678' })
      const query = encodeURIComponent('phone:"+390612345678"')

      const found = await api(standin, 'GET', `/api/v2/users/search.json?query=${query}`)
      const otherFormat = await api(standin, 'GET', `/api/v2/users/search?query=${encodeURIComponent('0612345678')}`)

      expect(found.body).toEqual({ users: [user], next_page: null, previous_page: null, count: 1 })
      expect(otherFormat.body.count).toBe(0)
    })

    it('search misses new users during the index lag', async () => {
      const lagging = await startZendeskStandin({ searchLagMs: 300 })
      try {
        await api(lagging, 'POST', '/api/v2/users/create_or_update', {
          json: { user: { name: 'Luca', phone: '+390298765432', external_id: 'caller-2' } },
        })
        const searchPath = `/api/v2/users/search?query=${encodeURIComponent('phone:+390298765432')}`

        const during = await api(lagging, 'GET', searchPath)
        await new Promise((resolve) => setTimeout(resolve, 350))
        const after = await api(lagging, 'GET', searchPath)

        expect(during.body.count).toBe(0)
        expect(after.body.count).toBe(1)
      } finally {
        await lagging.close()
      }
    })
  })

  describe('user identities', () => {
    it('lists the primary email and phone of a user', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222', email: 'giulia@example.com' })

      const response = await api(standin, 'GET', `/api/v2/users/${user.id}/identities.json`)

      expect(response.status).toBe(200)
      expect(response.body.count).toBe(2)
      expect(response.body.next_page).toBeNull()
      expect(response.body.identities.map((identity: { type: string; value: string; primary: boolean }) => [identity.type, identity.value, identity.primary])).toEqual([
        ['email', 'giulia@example.com', true],
        ['phone_number', '+393331112222', true],
      ])
      expect(response.body.identities[0]).toMatchObject({ user_id: user.id, verified: false, undeliverable_count: 0 })
      expect(response.body.identities[0].url).toBe(`${standin.url}/api/v2/users/${user.id}/identities/${response.body.identities[0].id}.json`)
    })

    it('keeps identity ids across reads', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222' })

      const first = await api(standin, 'GET', `/api/v2/users/${user.id}/identities`)
      const second = await api(standin, 'GET', `/api/v2/users/${user.id}/identities`)
      const shown = await api(standin, 'GET', `/api/v2/users/${user.id}/identities/${first.body.identities[0].id}.json`)

      expect(second.body.identities).toEqual(first.body.identities)
      expect(shown.status).toBe(200)
      expect(shown.body.identity).toEqual(first.body.identities[0])
    })

    it('creates a second phone number', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222' })

      const created = await api(standin, 'POST', `/api/v2/users/${user.id}/identities.json`, {
        json: { identity: { type: 'phone_number', value: '+390612345678' } },
      })
      const phones = await api(standin, 'GET', `/api/v2/users/${user.id}/identities?${encodeURIComponent('type[]')}=phone_number`)

      expect(created.status).toBe(201)
      expect(created.body.identity).toMatchObject({ user_id: user.id, type: 'phone_number', value: '+390612345678', primary: false })
      expect(phones.body.identities.map((identity: { value: string }) => identity.value)).toEqual(['+393331112222', '+390612345678'])
      expect(standin.state.users.find((stored) => stored.id === user.id)?.phone).toBe('+393331112222')
    })

    it('filters the list by type', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222', email: 'giulia@example.com' })

      const emails = await api(standin, 'GET', `/api/v2/users/${user.id}/identities?${encodeURIComponent('type[]')}=email`)

      expect(emails.body.count).toBe(1)
      expect(emails.body.identities[0].value).toBe('giulia@example.com')
    })

    it('moves the user phone to a new primary', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222' })

      standin.seedIdentity(user.id, { type: 'phone_number', value: '+390612345678', primary: true })
      const listed = await api(standin, 'GET', `/api/v2/users/${user.id}/identities`)
      const profile = await api(standin, 'GET', `/api/v2/users/${user.id}`)

      expect(profile.body.user.phone).toBe('+390612345678')
      expect(listed.body.identities.map((identity: { value: string; primary: boolean }) => [identity.value, identity.primary])).toEqual([
        ['+390612345678', true],
        ['+393331112222', false],
      ])
    })

    it('follows a phone changed by create_or_update', async () => {
      await api(standin, 'POST', '/api/v2/users/create_or_update', { json: { user: { name: 'Luca', phone: '+390298765432', external_id: 'caller-3' } } })
      const user = standin.state.users.find((stored) => stored.external_id === 'caller-3')!
      const before = await api(standin, 'GET', `/api/v2/users/${user.id}/identities`)

      await api(standin, 'POST', '/api/v2/users/create_or_update', { json: { user: { external_id: 'caller-3', phone: '+390211112222' } } })
      const after = await api(standin, 'GET', `/api/v2/users/${user.id}/identities`)

      expect(after.body.identities).toHaveLength(1)
      expect(after.body.identities[0].id).toBe(before.body.identities[0].id)
      expect(after.body.identities[0].value).toBe('+390211112222')
    })

    it('rejects a repeated identity with 422', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222' })

      const response = await api(standin, 'POST', `/api/v2/users/${user.id}/identities`, {
        json: { identity: { type: 'phone_number', value: '+393331112222' } },
      })

      expect(response.status).toBe(422)
      expect(response.body.details.value).toHaveLength(1)
    })

    it('rejects an unknown type with 422', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222' })

      const response = await api(standin, 'POST', `/api/v2/users/${user.id}/identities`, { json: { identity: { type: 'fax', value: '+390600000000' } } })

      expect(response.status).toBe(422)
      expect(Object.keys(response.body.details)).toEqual(['type'])
    })

    it('returns 404 for an unknown user or identity', async () => {
      const user = standin.seedUser({ name: 'Giulia', phone: '+393331112222' })

      const unknownUser = await api(standin, 'GET', '/api/v2/users/999/identities')
      const unknownIdentity = await api(standin, 'GET', `/api/v2/users/${user.id}/identities/999`)

      expect(unknownUser.status).toBe(404)
      expect(unknownUser.body.error).toBe('RecordNotFound')
      expect(unknownIdentity.status).toBe(404)
    })

    it('seedIdentity throws for an unknown user', () => {
      expect(() => standin.seedIdentity(999, { type: 'phone_number', value: '+390600000000' })).toThrow('seedIdentity: user 999 does not exist in the Zendesk stand-in')
    })
  })

  describe('tickets', () => {
    it('creates a ticket with a Location header', async () => {
      const requester = standin.seedUser({ name: 'Anna', phone: '+390612345678' })

      const response = await api(standin, 'POST', '/api/v2/tickets.json', {
        json: {
          ticket: {
            subject: 'Chiamata da +390612345678',
            requester_id: requester.id,
            external_id: 'CON-1',
            tags: ['centralino'],
            comment: { body: 'Chiamata in arrivo', public: false },
          },
        },
      })

      expect(response.status).toBe(201)
      expect(response.headers.get('location')).toBe(response.body.ticket.url)
      expect(response.body.ticket).toMatchObject({ status: 'new', requester_id: requester.id, external_id: 'CON-1' })
    })

    it('ticket without comment body is 422', async () => {
      const response = await api(standin, 'POST', '/api/v2/tickets', { json: { ticket: { subject: 'Empty' } } })

      expect(response.status).toBe(422)
      expect(response.body.error).toBe('RecordInvalid')
      expect(standin.state.tickets).toHaveLength(0)
    })

    it('PUT on a closed ticket is 422', async () => {
      const requester = standin.seedUser({ name: 'Anna', phone: '+390612345678' })
      const ticket = standin.seedTicket({ requesterId: requester.id, subject: 'Old call', status: 'solved' })
      standin.closeTicket(ticket.id)

      const response = await api(standin, 'PUT', `/api/v2/tickets/${ticket.id}.json`, {
        json: { ticket: { comment: { body: 'New call' } } },
      })

      expect(response.status).toBe(422)
      expect(response.body).toEqual({
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: { status: [{ description: 'Status: closed prevents ticket update' }] },
      })
      expect(standin.state.comments.filter((comment) => comment.ticket_id === ticket.id)).toHaveLength(1)
    })

    it('follow-up requires a closed source ticket', async () => {
      const requester = standin.seedUser({ name: 'Anna', phone: '+390612345678' })
      const source = standin.seedTicket({ requesterId: requester.id, subject: 'Old call', status: 'solved' })
      const request = { ticket: { comment: { body: 'Follow-up' }, via_followup_source_id: source.id } }

      const whileSolved = await api(standin, 'POST', '/api/v2/tickets', { json: request })
      standin.closeTicket(source.id)
      const onceClosed = await api(standin, 'POST', '/api/v2/tickets', { json: request })

      expect(whileSolved.status).toBe(422)
      expect(onceClosed.status).toBe(201)
      expect(onceClosed.body.ticket.via_followup_source_id).toBe(source.id)
    })

    it('PUT appends a comment and tags', async () => {
      const requester = standin.seedUser({ name: 'Anna', phone: '+390612345678' })
      const ticket = standin.seedTicket({
        requesterId: requester.id,
        subject: 'Open call',
        status: 'open',
        updatedAt: new Date('2024-01-01T10:00:00Z'),
      })

      const response = await api(standin, 'PUT', `/api/v2/tickets/${ticket.id}`, {
        json: { ticket: { comment: { body: 'Second call', public: false }, additional_tags: ['callback'] } },
      })
      const comments = await api(standin, 'GET', `/api/v2/tickets/${ticket.id}/comments.json`)

      expect(response.status).toBe(200)
      expect(response.body.ticket.tags).toEqual(['callback'])
      expect(response.body.ticket.updated_at).not.toBe('2024-01-01T10:00:00Z')
      expect(response.body.audit.events[0]).toMatchObject({ type: 'Comment', body: 'Second call', public: false })
      expect(comments.body.comments.map((comment: { body: string }) => comment.body)).toEqual(['Open call', 'Second call'])
      expect(comments.body.comments[0]).not.toHaveProperty('ticket_id')
    })

    it('lists requested tickets by updated_at descending', async () => {
      const requester = standin.seedUser({ name: 'Anna', phone: '+390612345678' })
      const older = standin.seedTicket({
        requesterId: requester.id,
        subject: 'Older',
        status: 'open',
        updatedAt: new Date('2024-01-01T10:00:00Z'),
      })
      const newer = standin.seedTicket({
        requesterId: requester.id,
        subject: 'Newer',
        status: 'pending',
        updatedAt: new Date('2024-02-01T10:00:00Z'),
      })

      const response = await api(
        standin,
        'GET',
        `/api/v2/users/${requester.id}/tickets/requested.json?sort_by=updated_at&sort_order=desc`,
      )

      expect(response.body.tickets.map((ticket: { id: number }) => ticket.id)).toEqual([newer.id, older.id])
    })

    it('filters tickets by external_id', async () => {
      const requester = standin.seedUser({ name: 'Anna', phone: '+390612345678' })
      const match = standin.seedTicket({ requesterId: requester.id, subject: 'A', status: 'new', externalId: 'CON-7' })
      standin.seedTicket({ requesterId: requester.id, subject: 'B', status: 'new', externalId: 'CON-8' })

      const response = await api(standin, 'GET', '/api/v2/tickets.json?external_id=CON-7')

      expect(response.body.tickets).toEqual([match])
    })

    it('unknown ticket is 404 RecordNotFound', async () => {
      const response = await api(standin, 'GET', '/api/v2/tickets/999999')

      expect(response.status).toBe(404)
      expect(response.body).toEqual({ error: 'RecordNotFound', description: 'Not found' })
    })
  })

  describe('uploads', () => {
    it('attaches an uploaded file to a comment', async () => {
      const recording = Buffer.from('ID3 fake mp3 bytes')

      const upload = await uploadFile(standin, 'call.mp3', recording)
      const token = upload.body.upload.token
      const created = await api(standin, 'POST', '/api/v2/tickets', {
        json: { ticket: { subject: 'Call', comment: { body: 'Recording attached', uploads: [token] } } },
      })
      const comments = await api(standin, 'GET', `/api/v2/tickets/${created.body.ticket.id}/comments`)

      expect(upload.status).toBe(201)
      expect(upload.body.upload.attachment).toMatchObject({ file_name: 'call.mp3', content_type: 'audio/mpeg', size: 18 })
      expect(created.status).toBe(201)
      expect(comments.body.comments[0].attachments).toEqual([upload.body.upload.attachment])
      expect(standin.state.uploads[0]?.files[0]?.sha256).toBe(createHash('sha256').update(recording).digest('hex'))
    })

    it('rejects an upload token used twice', async () => {
      const upload = await uploadFile(standin, 'call.mp3', Buffer.from('bytes'))
      const comment = { body: 'Recording', uploads: [upload.body.upload.token] }

      const first = await api(standin, 'POST', '/api/v2/tickets', { json: { ticket: { comment } } })
      const second = await api(standin, 'POST', '/api/v2/tickets', { json: { ticket: { comment } } })

      expect(first.status).toBe(201)
      expect(second.status).toBe(422)
      expect(second.body.details.base[0].description).toBe('Upload token is invalid')
    })

    it('rejects an unknown upload token', async () => {
      const response = await api(standin, 'POST', '/api/v2/tickets', {
        json: { ticket: { comment: { body: 'Recording', uploads: ['no-such-token'] } } },
      })

      expect(response.status).toBe(422)
      expect(standin.state.tickets).toHaveLength(0)
    })

    it('keeps only the digest of large files', async () => {
      const large = Buffer.alloc(3 * 1024 * 1024, 7)

      const upload = await uploadFile(standin, 'long-call.mp3', large)

      expect(upload.body.upload.attachment.size).toBe(large.length)
      expect(standin.state.uploads[0]?.files[0]).toMatchObject({
        size: large.length,
        sha256: createHash('sha256').update(large).digest('hex'),
        bytes: null,
      })
    })

    it('upload without filename is 400', async () => {
      const response = await api(standin, 'POST', '/api/v2/uploads', { raw: Buffer.from('x'), contentType: 'audio/mpeg' })

      expect(response.status).toBe(400)
    })
  })

  describe('rate limits', () => {
    it('injected 429 carries Retry-After', async () => {
      standin.injectRateLimit({ method: 'POST', pathPrefix: '/api/v2/tickets' }, 7)
      const request = { json: { ticket: { comment: { body: 'Call' } } } }

      const limited = await api(standin, 'POST', '/api/v2/tickets.json', request)
      const retried = await api(standin, 'POST', '/api/v2/tickets.json', request)

      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('7')
      expect(limited.body).toEqual({
        error: 'APIRateLimitExceeded',
        description: 'Number of allowed API requests per minute exceeded',
      })
      expect(retried.status).toBe(201)
      expect(standin.state.tickets).toHaveLength(1)
    })

    it('injected 429 applies only to matching requests', async () => {
      standin.injectRateLimit({ method: 'GET', pathPrefix: '/api/v2/users/search' }, 2, 2)
      const searchPath = '/api/v2/users/search?query=phone:x'

      const other = await api(standin, 'GET', '/api/v2/users/me')
      const statuses = [
        (await api(standin, 'GET', searchPath)).status,
        (await api(standin, 'GET', searchPath)).status,
        (await api(standin, 'GET', searchPath)).status,
      ]

      expect(other.status).toBe(200)
      expect(statuses).toEqual([429, 429, 200])
    })
  })

  describe('Talk Partner Edition calls', () => {
    const callFields = {
      app_id: 1003048,
      from_line: '+393471234567',
      to_line: '+390299999999',
      call_started_at: '2024-03-01T09:00:00+01:00',
      direction: 'inbound',
      external_id: 'CON-42',
    }

    it('call without direction is 422', async () => {
      const { direction, ...withoutDirection } = callFields

      const response = await api(standin, 'POST', '/api/v2/calls.json', { json: { call: withoutDirection } })

      expect(response.status).toBe(422)
      expect(response.body.details).toHaveProperty('direction')
    })

    it('stores times in UTC and merges PATCH', async () => {
      const created = await api(standin, 'POST', '/api/v2/calls', { json: { call: callFields } })
      const patched = await api(standin, 'PATCH', `/api/v2/calls/${created.body.call.id}`, {
        json: { call: { duration: 95, app_id: 1 } },
      })

      expect(created.status).toBe(201)
      expect(created.body.call.call_started_at).toBe('2024-03-01T08:00:00Z')
      expect(patched.body.call).toMatchObject({ duration: 95, app_id: 1003048, external_id: 'CON-42' })
    })

    it('voice comment lands on the call ticket', async () => {
      const requester = standin.seedUser({ name: 'Anna', phone: '+393471234567' })
      const ticket = standin.seedTicket({ requesterId: requester.id, subject: 'Call', status: 'open' })
      const created = await api(standin, 'POST', '/api/v2/calls', { json: { call: { ...callFields, ticket_id: ticket.id } } })

      const response = await api(standin, 'POST', `/api/v2/calls/${created.body.call.id}/comments.json`, {
        json: { title: 'Chiamata in arrivo', call_fields: ['direction'] },
      })

      expect(response.status).toBe(201)
      expect(response.body).toMatchObject({
        type: 'TpeVoiceComment',
        public: false,
        data: { call_id: created.body.call.id, app_id: 1003048, external_id: 'CON-42', via_id: 45 },
      })
      expect(standin.state.comments.at(-1)?.ticket_id).toBe(ticket.id)
    })
  })

  describe('request handling', () => {
    it('unknown route is 404 JSON', async () => {
      const response = await api(standin, 'GET', '/api/v2/macros.json')

      expect(response.status).toBe(404)
      expect(response.body).toEqual({ error: 'InvalidEndpoint', description: 'Not found' })
    })

    it('malformed JSON is 400', async () => {
      const response = await api(standin, 'POST', '/api/v2/tickets', { raw: '{"ticket":', contentType: 'application/json' })

      expect(response.status).toBe(400)
      expect(response.body.error).toBe('Unprocessable Entity')
    })
  })
})
