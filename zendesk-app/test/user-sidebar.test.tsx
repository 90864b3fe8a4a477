import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../src/App'
import { BridgeApi, type AppCall } from '../src/bridge-api'
import { makeTranslate } from '../src/i18n'
import { phoneNumbersOf, type OpenTicket } from '../src/locations/UserSidebar'
import { fakeClient } from './zaf-stand-in'

const SESSION = { token: 'session-token', expires_at: new Date(Date.now() + 900_000).toISOString() }
const USER_CALLS_URL = '/app/api/users/7/calls'
const CALL: AppCall = {
  id: 'CON-1', direction: 'inbound', from: '+393331112222', to: '+390240708090', caller_withheld: false, status: 'completed', outcome: 'answered',
  started_at: '2026-12-04T17:55:00Z', ended_at: '2026-12-04T17:56:00Z', duration_seconds: 60, talk_seconds: 20, ticket_id: 1, requester_id: 7,
  agent: { id: 'marco', name: 'Marco Verdi', zendesk_user_id: 9 }, queue_id: null, recordings: [{ id: 'rec-1', kind: 'call', state: 'attached', duration_seconds: 6 }], can_play: true,
}
const OPEN_TICKET: OpenTicket = { id: 1, subject: 'Ordine 412 non ancora arrivato', status: 'open' }
const IDENTITIES = [
  { type: 'email', value: 'giulia.rossi@example.com' },
  { type: 'phone_number', value: '+393331112222' },
  { type: 'phone_number', value: '+390612345678' },
]

interface BridgeReplies {
  list: { status?: number; body: unknown }
  dial?: { status?: number; body: unknown }
}

/** A bridge stand-in that replies to the user sidebar's GET and POST on the same path with different bodies. */
function fakeUserBridge(replies: BridgeReplies) {
  const requests: Array<{ url: string; method: string; body?: string }> = []
  const fetchImpl = (async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    requests.push({ url, method, body: init.body as string | undefined })
    if (url !== USER_CALLS_URL) return new Response('{}', { status: 404 })
    const reply = method === 'POST' ? replies.dial : replies.list
    if (!reply) return new Response('{}', { status: 404 })
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { fetchImpl, requests }
}

function renderUserSidebar(locale: 'it' | 'en', replies: BridgeReplies, profile = { id: 7, name: 'Giulia Rossi', phone: '+393331112222' }, identities = IDENTITIES) {
  // The identities URL comes first, because the stand-in replies with the first key that prefixes the URL.
  const zaf = fakeClient({ 'user.id': 7 }, { '/api/v2/users/7/identities': { identities }, '/api/v2/users/7': { user: profile } })
  const bridge = fakeUserBridge(replies)
  const bootstrap = { location: 'user_sidebar', session: SESSION }
  const api = new BridgeApi(bootstrap, '', bridge.fetchImpl)
  render(<App client={zaf.client} api={api} bootstrap={bootstrap} i18n={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }} />)
  return { zaf, bridge }
}

afterEach(cleanup)

describe('user sidebar', () => {
  it('lists numbers, ticket and calls in Italian', async () => {
    renderUserSidebar('it', { list: { body: { user_id: 7, open_ticket: OPEN_TICKET, calls: [CALL] } } })
    await screen.findByText('Chiamate recenti con questo utente')
    expect(screen.getByRole('button', { name: 'Chiama +39 333 111 2222' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Chiama +39 06 1234 5678' })).toBeTruthy()
    expect(screen.getAllByRole('button', { name: /^Chiama / })).toHaveLength(2)
    expect(screen.getByRole('note').textContent).toBe(
      "Una chiamata da qui viene registrata sul ticket #1 (Ordine 412 non ancora arrivato), l'ultimo ticket aperto dell'utente.",
    )
    expect(screen.getByText('Risposta')).toBeTruthy()
    expect(screen.getByText(/18:55/)).toBeTruthy()
  })

  it('calls a number on the open ticket', async () => {
    const { bridge } = renderUserSidebar('en', {
      list: { body: { user_id: 7, open_ticket: OPEN_TICKET, calls: [] } },
      dial: { status: 201, body: { call_id: 'CON-NEW', ticket_id: 1 } },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Call +39 06 1234 5678' }))
    await screen.findByText('Your phone rings first; when you answer, Centralino calls +39 06 1234 5678.')
    const posts = bridge.requests.filter((request) => request.method === 'POST')
    expect(posts).toEqual([{ url: USER_CALLS_URL, method: 'POST', body: '{"number":"+390612345678","ticket_id":1}' }])
    await screen.findByRole('heading', { name: 'Ringing your phone…' })
  })

  it('calls without a ticket when none is open', async () => {
    const { bridge } = renderUserSidebar('en', {
      list: { body: { user_id: 7, open_ticket: null, calls: [] } },
      dial: { status: 201, body: { call_id: 'CON-NEW', ticket_id: null } },
    })
    expect((await screen.findByRole('note')).textContent).toBe('This user has no open ticket, so a call from here is logged on a new ticket.')
    await screen.findByText('No calls with this user yet.')
    fireEvent.click(screen.getByRole('button', { name: 'Call +39 333 111 2222' }))
    await waitFor(() => expect(bridge.requests.find((request) => request.method === 'POST')?.body).toBe('{"number":"+393331112222"}'))
  })

  it('shows the bridge error on a failed call', async () => {
    renderUserSidebar('en', {
      list: { body: { user_id: 7, open_ticket: null, calls: [] } },
      dial: { status: 409, body: { code: 'CENTRALINO_ERR_OUTBOUND_UNAVAILABLE', message: 'Cannot place the call: you are already on a call or being offered one' } },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Call +39 333 111 2222' }))
    await screen.findByText('Cannot place the call: you are already on a call or being offered one')
    expect(screen.queryByRole('heading', { name: 'Ringing your phone…' })).toBeNull()
  })

  it('explains a user without a phone', async () => {
    renderUserSidebar('it', { list: { body: { user_id: 7, open_ticket: null, calls: [] } } }, { id: 7, name: 'Giulia Rossi', phone: '' }, [])
    await screen.findByText('Questo utente non ha un numero di telefono in Zendesk.')
    expect(screen.queryAllByRole('button', { name: /^Chiama / })).toHaveLength(0)
  })

  it('shows the error when the bridge rejects the user', async () => {
    renderUserSidebar('en', { list: { status: 404, body: { code: 'CENTRALINO_ERR_APP_USER_NOT_FOUND', message: 'Zendesk user 7 not found' } } })
    await screen.findByText('Zendesk user 7 not found')
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy()
  })
})

describe('phoneNumbersOf', () => {
  it('merges profile phone and phone identities', () => {
    expect(phoneNumbersOf('+393331112222', IDENTITIES)).toEqual(['+393331112222', '+390612345678'])
  })

  it('skips empty values and other identity types', () => {
    expect(phoneNumbersOf(null, [{ type: 'email', value: 'a@b.c' }, { type: 'phone_number', value: ' ' }])).toEqual([])
  })
})
