import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import en from '../../translations/en.json'
import it_ from '../../translations/it.json'
import { App } from '../src/App'
import { BridgeApi, type AppCall } from '../src/bridge-api'
import { makeTranslate } from '../src/i18n'
import { toQuery } from '../src/locations/NavBar'
import { fakeBridge, fakeClient } from './zaf-stand-in'

const SESSION = { token: 'session-token', expires_at: new Date(Date.now() + 900_000).toISOString() }
const CALL: AppCall = {
  id: 'CON-1', direction: 'inbound', from: '+393331112222', to: '+390240708090', caller_withheld: false, status: 'completed', outcome: 'answered',
  started_at: '2026-12-04T17:55:00Z', ended_at: '2026-12-04T17:56:00Z', duration_seconds: 60, talk_seconds: 20, ticket_id: 1, requester_id: 7,
  agent: { id: 'marco', name: 'Marco Verdi', zendesk_user_id: 9 }, queue_id: null, recordings: [{ id: 'rec-1', kind: 'call', state: 'attached', duration_seconds: 6 }], can_play: true,
}

function renderLocation(location: string, locale: 'it' | 'en', bridgeRoutes: Parameters<typeof fakeBridge>[0], session = SESSION) {
  const zaf = fakeClient(
    { 'ticket.id': 1, 'ticket.requester': { id: 7 } },
    { '/api/v2/users/7': { user: { id: 7, name: 'Giulia Rossi', phone: '+393331112222' } }, '/api/v2/users/search': { users: [{ id: 7, name: 'Giulia Rossi' }, { id: 8, name: 'Giulia Rossi (ufficio)' }] } },
  )
  const bridge = fakeBridge(bridgeRoutes)
  const bootstrap = { location, session }
  const api = new BridgeApi(bootstrap, '', bridge.fetchImpl)
  render(<App client={zaf.client} api={api} bootstrap={bootstrap} i18n={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }} />)
  return { zaf, bridge }
}

afterEach(cleanup)

describe('translations', () => {
  it('has every key in both languages', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([key, value]) => (typeof value === 'object' ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]))
    expect(keys(it_).sort()).toEqual(keys(en).sort())
  })

  it('throws on a missing key', () => {
    expect(() => makeTranslate('it')('nope.nothing')).toThrow('missing translation "nope.nothing" for locale it')
  })
})

describe('ticket sidebar', () => {
  it('lists calls in Italian in the user time zone', async () => {
    renderLocation('ticket_sidebar', 'it', { '/app/api/tickets/1/calls': { body: { calls: [CALL] } }, '/app/api/events': { body: {} } })
    await screen.findByText('Chiamate di questo ticket e del richiedente')
    expect(screen.getByText('Risposta')).toBeTruthy()
    expect(screen.getByText(/18:55/)).toBeTruthy()
    expect(screen.getByText('2 utenti hanno questo numero')).toBeTruthy()
  })

  it('shows the empty state', async () => {
    renderLocation('ticket_sidebar', 'en', { '/app/api/tickets/1/calls': { body: { calls: [] } }, '/app/api/events': { body: {} } })
    await screen.findByText('No calls for this ticket or its requester yet.')
  })

  it('shows the error and retries', async () => {
    renderLocation('ticket_sidebar', 'en', { '/app/api/tickets/1/calls': { status: 403, body: { code: 'CENTRALINO_ERR_APP_TICKET_FORBIDDEN', message: 'You cannot open ticket 1' } } })
    await screen.findByText('You cannot open ticket 1')
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy()
  })

  it('explains that outbound calls are not available', async () => {
    const { bridge } = renderLocation('ticket_sidebar', 'en', {
      '/app/api/tickets/1/calls': { body: { calls: [CALL] } },
      '/app/api/calls/outbound': { status: 501, body: { code: 'CENTRALINO_ERR_APP_OUTBOUND_UNAVAILABLE', message: 'Outbound calls are not available yet' } },
      '/app/api/events': { body: {} },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Call +393331112222' }))
    await screen.findByText('Outbound calls are not available yet')
    expect(bridge.requests.find((request) => request.url === '/app/api/calls/outbound')?.body).toBe('{"number":"+393331112222","ticket_id":1}')
  })

  it('saves the wrap-up as an internal note', async () => {
    const { zaf } = renderLocation('ticket_sidebar', 'en', { '/app/api/tickets/1/calls': { body: { calls: [CALL] } }, '/app/api/events': { body: {} } })
    fireEvent.click(await screen.findByRole('button', { name: 'Save to ticket' }))
    await waitFor(() => expect(zaf.calls.some((call) => call.method === 'request' && (call.args[0] as { type?: string }).type === 'PUT')).toBe(true))
    const put = zaf.calls.find((call) => (call.args[0] as { type?: string }).type === 'PUT')?.args[0] as { data: string }
    expect(JSON.parse(put.data)).toEqual({ ticket: { comment: { body: 'Call outcome: Resolved', public: false } } })
  })
})

describe('session and locations', () => {
  it('asks to reopen the app without a session', async () => {
    const zaf = fakeClient({})
    const bootstrap = { location: 'top_bar', error: { code: 'X', message: 'no token' } }
    render(<App client={zaf.client} api={new BridgeApi(bootstrap)} bootstrap={bootstrap} i18n={{ locale: 'it', timeZone: 'Europe/Rome', t: makeTranslate('it') }} />)
    expect(await screen.findByText(/Riapri l'app da Zendesk/)).toBeTruthy()
  })

  it('top bar changes the agent state', async () => {
    const { bridge } = renderLocation('top_bar', 'en', {
      '/app/api/me': { body: { user: { zendesk_user_id: 9, name: 'Marco', is_lead: false, account: 'x' }, agent: { id: 'marco', state: 'offline', changed_at: '' }, capabilities: { outbound_calls: false, call_control: false } } },
      '/app/api/agent/state': { body: { state: 'available', changed: true, changed_at: '' } },
      '/app/api/events': { body: {} },
    })
    fireEvent.change(await screen.findByLabelText('Your status'), { target: { value: 'available' } })
    await waitFor(() => expect(bridge.requests.some((request) => request.method === 'PUT' && request.body === '{"state":"available"}')).toBe(true))
  })

  it('builds the call log query from the filters', () => {
    const query = new URLSearchParams(toQuery({ from: '2026-12-01', to: '', agent_id: 'marco', queue_id: '', direction: '', outcome: 'missed' }, 2))
    expect(query.get('page')).toBe('2')
    expect(query.get('agent_id')).toBe('marco')
    expect(query.get('outcome')).toBe('missed')
    expect(query.has('queue_id')).toBe(false)
    expect(new Date(query.get('from') as string).toString()).not.toBe('Invalid Date')
  })
})
