import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
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
    fireEvent.click(await screen.findByRole('button', { name: 'Call +39 333 111 2222' }))
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
    fireEvent.click(await screen.findByRole('button', { name: 'Call +39 333 111 2222' }))
    expect(screen.queryByRole('timer')).toBeNull()
    await screen.findByText('Your phone rings first; when you answer, Centralino calls +39 333 111 2222.')
    await screen.findByRole('heading', { name: 'Ringing your phone…' })
    expect(screen.getByRole('button', { name: 'Call +39 333 111 2222' }).getAttribute('aria-disabled')).toBe('true')
    fireEvent.click(await screen.findByRole('button', { name: 'Hang up' }))
    await screen.findByText('Call ended.')
    expect(bridge.requests.find((request) => request.url === CONTROL_URL)?.body).toBe('{"action":"hangup"}')
  })

  it('shows a ringing outbound call', async () => {
    const ringing: AppCall = { ...LIVE_CALL, started_at: null }
    renderLocation('ticket_sidebar', 'en', { '/app/api/tickets/1/calls': { body: { calls: [CALL, ringing] } }, '/app/api/me': { body: ME_AGENT }, '/app/api/events': { body: {} } })
    await screen.findByRole('heading', { name: 'Ringing your phone…' })
    expect(screen.queryByRole('timer')).toBeNull()
    expect(screen.getByRole('button', { name: 'Call +39 333 111 2222' }).getAttribute('aria-disabled')).toBe('true')
    expect(screen.getByText('just now')).toBeTruthy()
    expect(screen.getByText('Recording: none')).toBeTruthy()
  })

  it('requires a disposition before saving', async () => {
    const { zaf } = renderLocation('ticket_sidebar', 'en', { '/app/api/tickets/1/calls': { body: { calls: [CALL] } }, '/app/api/events': { body: {} } })
    const save = await screen.findByRole('button', { name: 'Save to ticket' })
    expect((screen.getByLabelText('Disposition') as HTMLSelectElement).value).toBe('')
    fireEvent.click(save)
    await screen.findByText('Choose a disposition before saving.')
    expect(zaf.calls.some((call) => call.method === 'request' && (call.args[0] as { type?: string }).type === 'PUT')).toBe(false)

    fireEvent.change(screen.getByLabelText('Disposition'), { target: { value: 'resolved' } })
    expect(screen.queryByText('Choose a disposition before saving.')).toBeNull()
    fireEvent.click(save)
    await waitFor(() => expect(zaf.calls.some((call) => call.method === 'request' && (call.args[0] as { type?: string }).type === 'PUT')).toBe(true))
    const put = zaf.calls.find((call) => (call.args[0] as { type?: string }).type === 'PUT')?.args[0] as { data: string }
    expect(JSON.parse(put.data)).toEqual({ ticket: { comment: { body: 'Call disposition: Resolved', public: false } } })
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

  it('top bar shows a dial-out call', async () => {
    const { zaf, bridge } = renderLocation('top_bar', 'en', {
      '/app/api/me': { body: ME_AGENT },
      '/app/api/calls/outbound': { status: 201, body: { call_id: 'CON-LIVE' } },
      '/app/api/events': { body: {} },
    })
    await screen.findByText('No call right now.')
    zaf.trigger('voice.dialout', { number: '+393331112222' })
    await screen.findByText('Calling +393331112222…')
    expect(screen.queryByText('No call right now.')).toBeNull()
    await waitFor(() => expect(bridge.requests.find((request) => request.url === '/app/api/calls/outbound')?.body).toBe('{"number":"+393331112222"}'))
  })

  it('top bar hints at Available when offline', async () => {
    renderLocation('top_bar', 'en', { '/app/api/me': { body: { ...ME_AGENT, agent: { id: 'marco', state: 'offline', changed_at: '' } } }, '/app/api/events': { body: {} } })
    await screen.findByText('Calls are offered to you only while your status is Available.')
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

const ME_LEAD = { ...ME_AGENT, user: { ...ME_AGENT.user, is_lead: true } }
const WALLBOARD = {
  generated_at: '2026-12-04T18:00:00Z',
  day_start: '2026-12-03T23:00:00Z',
  queues: [{ queue_id: 'sales', name: 'Vendite', waiting: 2, longest_wait_seconds: 65, in_progress: 1, answered_today: 7, offered_today: 9, service_level_percent: 77.8 }],
  agents: [
    { agent_id: 'marco', name: 'Marco Verdi', team_id: null, state: 'on_call', seconds_in_state: 125 },
    { agent_id: 'anna', name: 'Anna Neri', team_id: null, state: 'available', seconds_in_state: 30 },
  ],
  agents_by_state: { on_call: 1, available: 1 },
}
const QUEUE_CALL: AppCall = { ...LIVE_CALL, id: 'CON-Q', direction: 'inbound', queue_id: 'sales' }

/** Renders the nav bar with an event stream that the test writes to with `send`. */
function renderNavBar(locale: 'it' | 'en', bridgeRoutes: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge(bridgeRoutes)
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    if (!url.startsWith('/app/api/events')) return bridge.fetchImpl(url, init)
    bridge.requests.push({ url, method: 'GET' })
    return new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) }), { headers: { 'content-type': 'text/event-stream' } })
  }) as typeof fetch
  const zaf = fakeClient({})
  const bootstrap = { location: 'nav_bar', session: SESSION }
  render(<App client={zaf.client} api={new BridgeApi(bootstrap, '', fetchImpl)} bootstrap={bootstrap} i18n={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }} />)
  const send = (type: string, data: unknown) => stream?.enqueue(new TextEncoder().encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`))
  return { bridge, send }
}

const LEAD_ROUTES = {
  '/app/api/me': { body: ME_LEAD },
  '/app/api/wallboard': { body: WALLBOARD },
  '/app/api/calls?': { body: { calls: [QUEUE_CALL, CALL], total: 2 } },
}

describe('nav bar wallboard', () => {
  it('keeps agents on the call log', async () => {
    renderLocation('nav_bar', 'en', { '/app/api/me': { body: ME_AGENT }, '/app/api/calls': { body: { calls: [CALL], total: 1 } } })
    await screen.findByText('Call log')
    expect(screen.queryByRole('tab')).toBeNull()
  })

  it('renders queue and agent figures', async () => {
    const { bridge } = renderNavBar('it', LEAD_ROUTES)
    fireEvent.click(await screen.findByRole('tab', { name: 'Wallboard' }))
    await screen.findByText('Vendite')
    expect(screen.getByRole('timer', { name: 'Attesa più lunga in Vendite' }).textContent).toBe('01:05')
    expect(screen.getByText('7 / 9')).toBeTruthy()
    expect(screen.getByText('77.8%')).toBeTruthy()
    expect(screen.getByRole('timer', { name: 'Tempo nello stato di Marco Verdi' }).textContent).toBe('02:05')
    expect(screen.getByText('Disponibile')).toBeTruthy()
    const wallboardUrl = bridge.requests.find((request) => request.url.startsWith('/app/api/wallboard'))?.url ?? ''
    expect(new URLSearchParams(wallboardUrl.split('?')[1]).get('time_zone')).toBe('Europe/Rome')
    expect(new URLSearchParams(wallboardUrl.split('?')[1]).get('service_level_seconds')).toBe('20')
  })

  it('moves between tabs with arrow keys', async () => {
    renderNavBar('en', { ...LEAD_ROUTES, '/app/api/monitoring/audit': { body: { entries: [] } } })
    const logTab = await screen.findByRole('tab', { name: 'Call log' })
    fireEvent.keyDown(logTab, { key: 'ArrowLeft' })
    expect(screen.getByRole('tab', { name: 'Monitoring audit' }).getAttribute('aria-selected')).toBe('true')
    await screen.findByText('No monitoring sessions yet.')
  })

  it('reloads once after a burst of events', async () => {
    const { bridge, send } = renderNavBar('en', LEAD_ROUTES)
    fireEvent.click(await screen.findByRole('tab', { name: 'Wallboard' }))
    await screen.findByText('Vendite')
    const wallboardReads = () => bridge.requests.filter((request) => request.url.startsWith('/app/api/wallboard')).length
    await waitFor(() => expect(bridge.requests.some((request) => request.url === '/app/api/events')).toBe(true))
    expect(wallboardReads()).toBe(1)
    send('call_updated', { call_id: 'CON-Q', status: 'completed', outcome: 'answered', ticket_id: 1 })
    send('agent_state', { state: 'available', changed_at: '', current_call_id: null })
    await waitFor(() => expect(wallboardReads()).toBe(2), { timeout: 3000 })
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(wallboardReads()).toBe(2)
  })

  it('posts the monitor mode', async () => {
    const { bridge } = renderNavBar('en', { ...LEAD_ROUTES, '/app/api/calls/CON-Q/monitor': { status: 201, body: { session_id: '41' } } })
    fireEvent.click(await screen.findByRole('tab', { name: 'Wallboard' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Whisper' }))
    await screen.findByText('Monitoring session')
    const request = bridge.requests.find((item) => item.url === '/app/api/calls/CON-Q/monitor')
    expect(request?.method).toBe('POST')
    expect(request?.body).toBe('{"mode":"whisper"}')
    expect(screen.getAllByRole('button', { name: 'Whisper' })).toHaveLength(1)
  })

  it('asks before take over', async () => {
    const { bridge } = renderNavBar('en', { ...LEAD_ROUTES, '/app/api/calls/CON-Q/monitor': { status: 201, body: { session_id: '42' } } })
    fireEvent.click(await screen.findByRole('tab', { name: 'Wallboard' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Take over' }))
    await screen.findByText('Take over this call?')
    expect(bridge.requests.some((item) => item.url.endsWith('/monitor'))).toBe(false)
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Take over' }))
    await screen.findByText('Monitoring session')
    expect(bridge.requests.find((item) => item.url.endsWith('/monitor'))?.body).toBe('{"mode":"take_over"}')
  })

  it('shows a refused switch message', async () => {
    const message = 'Cannot switch from whisper to barge during the call: Vonage sets who hears a whisper only when the lead joins. End this session and start a barge session'
    const { bridge } = renderNavBar('en', {
      ...LEAD_ROUTES,
      '/app/api/calls/CON-Q/monitor': { status: 201, body: { session_id: '43' } },
      '/app/api/monitoring/43': { status: 409, body: { code: 'CENTRALINO_ERR_MONITOR_SWITCH', message } },
    })
    fireEvent.click(await screen.findByRole('tab', { name: 'Wallboard' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Whisper' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Switch to barge' }))
    await screen.findByText(message)
    expect(bridge.requests.find((item) => item.url === '/app/api/monitoring/43')?.method).toBe('PUT')
    expect(screen.getByText(/mode: Whisper/)).toBeTruthy()
  })

  it('switches listen to barge', async () => {
    const { bridge } = renderNavBar('en', {
      ...LEAD_ROUTES,
      '/app/api/calls/CON-Q/monitor': { status: 201, body: { session_id: '44' } },
      '/app/api/monitoring/44': { status: 204, body: null },
    })
    fireEvent.click(await screen.findByRole('tab', { name: 'Wallboard' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Listen' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Switch to barge' }))
    await screen.findByRole('button', { name: 'Switch to listen' })
    expect(bridge.requests.find((item) => item.url === '/app/api/monitoring/44')?.body).toBe('{"mode":"barge"}')
  })

  it('renders the audit table', async () => {
    renderNavBar('it', {
      ...LEAD_ROUTES,
      '/app/api/monitoring/audit': {
        body: { entries: [{ session_id: '43', call_id: 'CON-Q', lead_zendesk_user_id: 9, action: 'refused_switch', mode: 'barge', detail: 'from whisper', at: '2026-12-04T17:30:00Z' }] },
      },
    })
    fireEvent.click(await screen.findByRole('tab', { name: 'Registro monitoraggio' }))
    await screen.findByText('Cambio rifiutato')
    expect(screen.getByText(/18:30/)).toBeTruthy()
    expect(screen.getByText('Intervieni')).toBeTruthy()
    expect(screen.getByText('from whisper')).toBeTruthy()
    expect(screen.getByText('Utente Zendesk 9')).toBeTruthy()
  })

  it('shows the wallboard error', async () => {
    renderNavBar('en', { ...LEAD_ROUTES, '/app/api/wallboard': { status: 403, body: { code: 'CENTRALINO_ERR_WALLBOARD_FORBIDDEN', message: 'Only team leads and admins may see the wallboard' } } })
    fireEvent.click(await screen.findByRole('tab', { name: 'Wallboard' }))
    await screen.findByText('Only team leads and admins may see the wallboard')
  })
})
