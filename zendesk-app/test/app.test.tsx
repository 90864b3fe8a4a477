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

const LIVE_CALL: AppCall = {
  ...CALL, id: 'CON-LIVE', direction: 'outbound', status: 'in_progress', outcome: null, started_at: new Date(Date.now() - 75_000).toISOString(),
  ended_at: null, duration_seconds: null, talk_seconds: null, recordings: [], can_play: true,
}
const ME_AGENT = { user: { zendesk_user_id: 9, name: 'Marco Verdi', is_lead: false, account: 'demo' }, agent: { id: 'marco', state: 'on_call', changed_at: '' }, capabilities: { outbound_calls: true, call_control: true } }
const CONTROL_URL = '/app/api/calls/CON-LIVE/control'

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

  it('shows the click-to-call error', async () => {
    const { bridge } = renderLocation('ticket_sidebar', 'en', {
      '/app/api/tickets/1/calls': { body: { calls: [CALL] } },
      '/app/api/calls/outbound': { status: 501, body: { code: 'CENTRALINO_ERR_APP_OUTBOUND_UNAVAILABLE', message: 'Outbound calls are not available yet' } },
      '/app/api/events': { body: {} },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Call +393331112222' }))
    await screen.findByText('Outbound calls are not available yet')
    expect(bridge.requests.find((request) => request.url === '/app/api/calls/outbound')?.body).toBe('{"number":"+393331112222","ticket_id":1}')
  })

  it('enables controls for the call agent', async () => {
    renderLocation('ticket_sidebar', 'en', { '/app/api/tickets/1/calls': { body: { calls: [LIVE_CALL] } }, '/app/api/me': { body: ME_AGENT }, '/app/api/events': { body: {} } })
    await screen.findByRole('heading', { name: /^Call in progress/ })
    for (const name of ['Mute', 'Hold', 'Hang up', 'Keypad']) expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(false)
    expect(screen.getByRole('timer').textContent).toMatch(/^1:1\d$/)
    expect((screen.getByRole('button', { name: 'Transfer' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('disables controls for another agent', async () => {
    const other = { ...LIVE_CALL, agent: { id: 'anna', name: 'Anna Neri', zendesk_user_id: 10 } }
    renderLocation('ticket_sidebar', 'en', { '/app/api/tickets/1/calls': { body: { calls: [other] } }, '/app/api/me': { body: ME_AGENT }, '/app/api/events': { body: {} } })
    await screen.findByText('Only the agent on this call can control it.')
    expect((screen.getByRole('button', { name: 'Mute' }) as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByRole('button', { name: 'Hang up' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('flips mute to unmute on success', async () => {
    const { bridge } = renderLocation('ticket_sidebar', 'it', {
      '/app/api/tickets/1/calls': { body: { calls: [LIVE_CALL] } },
      '/app/api/me': { body: ME_AGENT },
      [CONTROL_URL]: { status: 204, body: null },
      '/app/api/events': { body: {} },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Silenzia' }))
    await screen.findByRole('button', { name: 'Riattiva microfono' })
    expect(bridge.requests.filter((request) => request.url === CONTROL_URL).map((request) => request.body)).toEqual(['{"action":"mute"}'])
    fireEvent.click(screen.getByRole('button', { name: 'Riattiva microfono' }))
    await screen.findByRole('button', { name: 'Silenzia' })
    expect(bridge.requests.filter((request) => request.url === CONTROL_URL).map((request) => request.body)).toEqual(['{"action":"mute"}', '{"action":"unmute"}'])
  })

  it('shows a 502 message and keeps the state', async () => {
    const message = 'Vonage did not mute the call (503); the call is as it was, try again'
    renderLocation('ticket_sidebar', 'en', {
      '/app/api/tickets/1/calls': { body: { calls: [LIVE_CALL] } },
      '/app/api/me': { body: ME_AGENT },
      [CONTROL_URL]: { status: 502, body: { code: 'CENTRALINO_ERR_CALL_CONTROL', message } },
      '/app/api/events': { body: {} },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Mute' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain(message)
    expect(alert.textContent).toContain('The call was not changed')
    expect(screen.getByRole('button', { name: 'Mute' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Unmute' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Mute' }).getAttribute('aria-busy')).toBeNull()
  })

  it('sends hold, tones and a transfer', async () => {
    const { bridge } = renderLocation('ticket_sidebar', 'en', {
      '/app/api/tickets/1/calls': { body: { calls: [LIVE_CALL] } },
      '/app/api/me': { body: ME_AGENT },
      [CONTROL_URL]: { status: 204, body: null },
      '/app/api/events': { body: {} },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Hold' }))
    await screen.findByRole('button', { name: 'Resume' })
    expect((screen.getByRole('button', { name: 'Mute' }) as HTMLButtonElement).disabled).toBe(true)

    fireEvent.click(screen.getByRole('button', { name: 'Keypad' }))
    fireEvent.click(screen.getByRole('button', { name: '5' }))
    await screen.findByText('Tones sent: 5')

    fireEvent.change(screen.getByLabelText('Transfer to number'), { target: { value: '+390212345678' } })
    fireEvent.click(screen.getByRole('button', { name: 'Transfer' }))
    await screen.findByText('Call transferred to +390212345678.')

    const bodies = bridge.requests.filter((request) => request.url === CONTROL_URL).map((request) => JSON.parse(request.body as string))
    expect(bodies).toEqual([{ action: 'hold' }, { action: 'dtmf', digits: '5' }, { action: 'transfer', to: '+390212345678' }])
  })

  it('controls the click-to-call call', async () => {
    const { bridge } = renderLocation('ticket_sidebar', 'en', {
      '/app/api/tickets/1/calls': { body: { calls: [CALL] } },
      '/app/api/me': { body: ME_AGENT },
      '/app/api/calls/outbound': { status: 201, body: { call_id: 'CON-LIVE' } },
      [CONTROL_URL]: { status: 204, body: null },
      '/app/api/events': { body: {} },
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Call +393331112222' }))
    expect(screen.queryByRole('timer')).toBeNull()
    await screen.findByText('Your phone rings first; when you answer, Centralino calls +393331112222.')
    fireEvent.click(await screen.findByRole('button', { name: 'Hang up' }))
    await screen.findByText('Call ended.')
    expect(bridge.requests.find((request) => request.url === CONTROL_URL)?.body).toBe('{"action":"hangup"}')
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
