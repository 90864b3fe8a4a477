import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { ThemeProvider } from '@zendeskgarden/react-theming'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BridgeApi } from '../src/bridge-api'
import { LiveCall } from '../src/components/LiveCall'
import { I18nProvider, makeTranslate } from '../src/i18n'

const SESSION = { token: 'session-token', expires_at: new Date(Date.now() + 900_000).toISOString() }
const TARGETS = { agents: [{ id: 'bruno', name: 'Bruno Bianchi' }], queues: [{ id: 'billing', name: 'Billing' }] }
const TRANSFER_URL = '/app/api/calls/CON-LIVE/transfer'
const CONSULT_URL = '/app/api/calls/CON-LIVE/consult'

type Reply = { status?: number; body: unknown }

/**
 * A bridge whose replies depend on method and path; each POST reply is used once, in order.
 * Like the real one, GET of the transfer state returns what the last transfer or consult step left.
 */
function fakeBridge(gets: Record<string, Reply>, posts: Record<string, Reply[]>) {
  const requests: Array<{ method: string; url: string; body: unknown }> = []
  const fetchImpl = (async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    requests.push({ method, url, body: init.body ? JSON.parse(init.body as string) : undefined })
    const reply = method === 'GET' ? gets[url] : posts[url]?.shift()
    if (!reply) return new Response('{}', { status: 404 })
    if (method === 'POST' && (reply.status ?? 200) === 200) followState(gets, url, reply.body as Record<string, any>)
    if (reply.status === 204) return new Response(null, { status: 204 })
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { fetchImpl, requests }
}

function followState(gets: Record<string, Reply>, url: string, body: Record<string, any>): void {
  if (url === TRANSFER_URL) gets[TRANSFER_URL] = { body }
  if (url !== CONSULT_URL) return
  const current = (gets[TRANSFER_URL]?.body ?? { consult: null }) as Record<string, any>
  const consult = body.state === 'conference' && current.consult ? { ...current.consult, state: 'conference' } : null
  gets[TRANSFER_URL] = { body: { on_hold: false, consult } }
}

function renderCall(locale: 'en' | 'it', gets: Record<string, Reply>, posts: Record<string, Reply[]> = {}) {
  const bridge = fakeBridge({ '/app/api/transfer-targets': { body: TARGETS }, [TRANSFER_URL]: { body: { on_hold: false, consult: null } }, ...gets }, posts)
  const api = new BridgeApi({ location: 'ticket_sidebar', session: SESSION }, '', bridge.fetchImpl)
  const onCallChanged = vi.fn()
  render(
    <ThemeProvider>
      <I18nProvider value={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }}>
        <LiveCall api={api} callId="CON-LIVE" startedAt={new Date().toISOString()} disabledReason={null} onCallChanged={onCallChanged} />
      </I18nProvider>
    </ThemeProvider>,
  )
  return { bridge, onCallChanged }
}

const posted = (bridge: ReturnType<typeof fakeBridge>, url: string) => bridge.requests.filter((request) => request.method === 'POST' && request.url === url).map((request) => request.body)

afterEach(cleanup)

describe('live call state', () => {
  it('shows mute and hold from the bridge', async () => {
    renderCall('en', { [TRANSFER_URL]: { body: { on_hold: true, agent_muted: true, consult: null } } })
    expect(await screen.findByRole('button', { name: 'Unmute' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy()
  })
})

describe('transfer panel', () => {
  it('transfers to an available agent', async () => {
    const { bridge, onCallChanged } = renderCall('en', {}, { [TRANSFER_URL]: [{ body: { on_hold: false, consult: null } }] })
    fireEvent.change(await screen.findByLabelText('Transfer to'), { target: { value: 'agent' } })
    const picker = (await screen.findByLabelText('Agent')) as HTMLSelectElement
    await within(picker).findByRole('option', { name: 'Bruno Bianchi' })
    fireEvent.change(picker, { target: { value: 'bruno' } })
    fireEvent.click(screen.getByRole('button', { name: 'Transfer' }))

    await screen.findByText('Call transferred to Bruno Bianchi.')
    expect(posted(bridge, TRANSFER_URL)).toEqual([{ mode: 'cold', target: { type: 'agent', value: 'bruno' } }])
    expect(onCallChanged).toHaveBeenCalledTimes(1)
  })

  it('consults a queue in Italian, then completes', async () => {
    const consulting = { on_hold: true, consult: { id: '7', state: 'consulting', target: 'Bruno Bianchi (Billing)' } }
    const { bridge } = renderCall('it', {}, { [TRANSFER_URL]: [{ body: consulting }], [CONSULT_URL]: [{ body: { state: 'completed' } }] })
    fireEvent.change(await screen.findByLabelText('Trasferisci a'), { target: { value: 'queue' } })
    const picker = (await screen.findByLabelText('Coda')) as HTMLSelectElement
    await within(picker).findByRole('option', { name: 'Billing' })
    fireEvent.change(picker, { target: { value: 'billing' } })
    fireEvent.click(screen.getByRole('button', { name: 'Consulta' }))

    await screen.findByText('Consulenza con Bruno Bianchi (Billing) in corso. Il cliente è in attesa con la musica.')
    expect(screen.getByText('In attesa (musica): il cliente sente la musica e nessuno lo sente.')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Torna al cliente' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Conferenza' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Completa il trasferimento' }))

    await screen.findByText('Il cliente ora è con Bruno Bianchi (Billing).')
    expect(posted(bridge, TRANSFER_URL)).toEqual([{ mode: 'consult', target: { type: 'queue', value: 'billing' } }])
    expect(posted(bridge, CONSULT_URL)).toEqual([{ action: 'complete' }])
  })

  it('goes into a conference and offers leave and end', async () => {
    const consulting = { on_hold: true, consult: { id: '7', state: 'consulting', target: '+390212345678' } }
    renderCall('en', { [TRANSFER_URL]: { body: consulting } }, { [CONSULT_URL]: [{ body: { state: 'conference' } }, { body: { state: 'returned' } }] })
    fireEvent.click(await screen.findByRole('button', { name: 'Conference' }))

    await screen.findByText('Conference with +390212345678 and the customer.')
    expect(screen.queryByText('On hold (music): the customer hears music and nobody hears them.')).toBeNull()
    expect(screen.getByRole('button', { name: 'Leave conference' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'End call for everyone' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Return to customer' }))
    await screen.findByText('You are back with the customer.')
    expect(screen.getByRole('button', { name: 'Consult' })).toBeTruthy()
  })

  it('shows the bridge message when a consult is rejected', async () => {
    const message = 'Cannot transfer the call: a consultation is already in progress on this call; complete it or return to the customer first'
    renderCall('en', {}, { [TRANSFER_URL]: [{ status: 409, body: { code: 'CENTRALINO_ERR_TRANSFER_REJECTED', message } }] })
    fireEvent.change(await screen.findByLabelText('Transfer to number'), { target: { value: '+390212345678' } })
    fireEvent.click(screen.getByRole('button', { name: 'Consult' }))

    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The transfer did not happen')
    expect(alert.textContent).toContain(message)
    expect(screen.getByRole('button', { name: 'Consult' }).getAttribute('aria-busy')).toBeNull()
    expect(screen.queryByText(/On hold \(music\)/)).toBeNull()
  })
})
