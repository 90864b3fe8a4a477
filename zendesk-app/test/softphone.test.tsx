import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { ThemeProvider } from '@zendeskgarden/react-theming'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BridgeApi } from '../src/bridge-api'
import { checkMicrophone } from '../src/components/softphone/microphone'
import { Softphone } from '../src/components/softphone/Softphone'
import { refreshDelayMs, type SoftphoneOptions } from '../src/components/softphone/use-softphone'
import { I18nProvider, makeTranslate } from '../src/i18n'
import { fakeBridge } from './zaf-stand-in'

type Handler = (...args: any[]) => void

/** Stand-in for the SDK: every VonageClient records its calls and lets the test fire its events. */
const sdk = vi.hoisted(() => {
  const clients: any[] = []
  class VonageClient {
    handlers = new Map<string, Handler>()
    createSession = vi.fn(async (_token: string) => 'session-1')
    refreshSession = vi.fn(async (_token: string) => undefined)
    deleteSession = vi.fn(async () => undefined)
    answer = vi.fn(async (_callId: string) => undefined)
    reject = vi.fn(async (_callId: string) => undefined)
    hangup = vi.fn(async (_callId: string) => undefined)
    mute = vi.fn(async (_callId: string) => undefined)
    unmute = vi.fn(async (_callId: string) => undefined)
    constructor() {
      clients.push(this)
    }
    on(event: string, handler: Handler) {
      this.handlers.set(event, handler)
      return Symbol(event)
    }
    off() {
      return true
    }
    emit(event: string, ...args: unknown[]) {
      this.handlers.get(event)?.(...args)
    }
  }
  return { clients, VonageClient }
})

vi.mock('@vonage/client-sdk', () => ({ VonageClient: sdk.VonageClient }))

const SESSION = { token: 'session-token', expires_at: new Date(Date.now() + 900_000).toISOString() }
const granted = async () => 'granted' as const
const blocked = async () => 'blocked' as const
const GRANTED: SoftphoneOptions = { checkMicrophone: granted }
const BLOCKED: SoftphoneOptions = { checkMicrophone: blocked }

function tokenReply(token: string, expiresInMs = 900_000) {
  return { body: { token, user: 'centralino-agent-marco', expires_at: new Date(Date.now() + expiresInMs).toISOString() } }
}

function renderSoftphone(routes: Parameters<typeof fakeBridge>[0], options: SoftphoneOptions, onOpenWindow?: () => void, locale: 'en' | 'it' = 'en') {
  const bridge = fakeBridge(routes)
  const api = new BridgeApi({ location: 'top_bar', session: SESSION }, '', bridge.fetchImpl)
  render(
    <ThemeProvider>
      <I18nProvider value={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }}>
        <Softphone api={api} options={options} onOpenWindow={onOpenWindow} />
      </I18nProvider>
    </ThemeProvider>,
  )
  return bridge
}

beforeEach(() => {
  sdk.clients.length = 0
})

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('softphone session', () => {
  it('creates the session with the bridge token', async () => {
    const bridge = renderSoftphone({ '/app/api/softphone/token': tokenReply('sdk-token-1') }, GRANTED)
    await screen.findByText('Softphone: ready for calls')
    expect(sdk.clients).toHaveLength(1)
    expect(sdk.clients[0].createSession).toHaveBeenCalledWith('sdk-token-1')
    expect(bridge.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /app/api/softphone/token'])
  })

  it('answers an invite through the SDK', async () => {
    renderSoftphone({ '/app/api/softphone/token': tokenReply('sdk-token-1') }, GRANTED)
    await screen.findByText('Softphone: ready for calls')
    act(() => sdk.clients[0].emit('callInvite', 'CALL-1', '+393331112222', 'phone'))
    expect(await screen.findByText('+393331112222')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Answer' }))
    await screen.findByText('On a call with +393331112222')
    expect(sdk.clients[0].answer).toHaveBeenCalledWith('CALL-1')

    fireEvent.click(screen.getByRole('button', { name: 'Mute' }))
    await screen.findByRole('button', { name: 'Unmute' })
    expect(sdk.clients[0].mute).toHaveBeenCalledWith('CALL-1')
    fireEvent.click(screen.getByRole('button', { name: 'Hang up' }))
    await waitFor(() => expect(screen.queryByText('On a call with +393331112222')).toBeNull())
    expect(sdk.clients[0].hangup).toHaveBeenCalledWith('CALL-1')
  })

  it('rejects an invite and clears a cancelled one', async () => {
    renderSoftphone({ '/app/api/softphone/token': tokenReply('sdk-token-1') }, GRANTED, undefined, 'it')
    await screen.findByText('Softphone: pronto a ricevere chiamate')
    act(() => sdk.clients[0].emit('callInvite', 'CALL-2', '+393331112222', 'phone'))
    fireEvent.click(await screen.findByRole('button', { name: 'Rifiuta' }))
    await waitFor(() => expect(screen.queryByText('Chiamata in arrivo')).toBeNull())
    expect(sdk.clients[0].reject).toHaveBeenCalledWith('CALL-2')

    act(() => sdk.clients[0].emit('callInvite', 'CALL-3', '+393331112222', 'phone'))
    await screen.findByText('Chiamata in arrivo')
    act(() => sdk.clients[0].emit('callInviteCancel', 'CALL-3', 'RemoteCancel'))
    await waitFor(() => expect(screen.queryByText('Chiamata in arrivo')).toBeNull())
  })

  it('offers the pop-out when the microphone is denied', async () => {
    const openWindow = vi.fn()
    const bridge = renderSoftphone({ '/app/api/softphone/token': tokenReply('sdk-token-1') }, BLOCKED, openWindow)
    await screen.findByText('The softphone cannot use your microphone')
    expect(screen.getByText(/Zendesk does not let this panel use the microphone/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Open softphone in a window' }))
    expect(openWindow).toHaveBeenCalledTimes(1)
    expect(bridge.requests).toEqual([])
    expect(sdk.clients).toHaveLength(0)
  })

  it('schedules the token refresh', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const routes = { '/app/api/softphone/token': tokenReply('sdk-token-1', 120_000) }
    renderSoftphone(routes, GRANTED)
    await screen.findByText('Softphone: ready for calls')
    routes['/app/api/softphone/token'] = tokenReply('sdk-token-2')
    await act(async () => {
      await vi.advanceTimersByTimeAsync(61_000)
    })
    await waitFor(() => expect(sdk.clients[0].refreshSession).toHaveBeenCalledWith('sdk-token-2'))
    expect(sdk.clients[0].createSession).toHaveBeenCalledTimes(1)
  })

  it('reports a session error and retries', async () => {
    renderSoftphone({ '/app/api/softphone/token': tokenReply('sdk-token-1') }, GRANTED)
    await screen.findByText('Softphone: ready for calls')
    act(() => sdk.clients[0].emit('sessionError', 'PING_TIMEOUT'))
    await screen.findByText('The softphone lost its connection')
    expect(screen.getByText(/The connection to Vonage ended \(PING_TIMEOUT\)/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await screen.findByText('Softphone: ready for calls')
    expect(sdk.clients).toHaveLength(2)
  })

  it('reports an unreachable Vonage', async () => {
    renderSoftphone({ '/app/api/softphone/token': tokenReply('sdk-token-1') }, { checkMicrophone: granted, createClient: unreachableClient })
    await screen.findByText('Cannot reach Vonage')
    expect(screen.getByText(/could not connect to Vonage, so calls to your browser will not ring \(socket closed\)/)).toBeTruthy()
  })

  it('shows the bridge error when no token is issued', async () => {
    renderSoftphone(
      { '/app/api/softphone/token': { status: 409, body: { code: 'CENTRALINO_ERR_SOFTPHONE_AGENT', message: 'You are not set up as an agent of the call center; ask an admin to add you' } } },
      GRANTED,
    )
    await screen.findByText('The softphone could not start')
    expect(screen.getByText('You are not set up as an agent of the call center; ask an admin to add you')).toBeTruthy()
    expect(sdk.clients).toHaveLength(0)
  })
})

async function unreachableClient() {
  const client = new sdk.VonageClient()
  client.createSession = vi.fn(async () => {
    throw new Error('socket closed')
  })
  return client as never
}

describe('softphone helpers', () => {
  it('renews a minute before expiry', () => {
    const now = Date.parse('2026-12-04T10:00:00Z')
    expect(refreshDelayMs('2026-12-04T10:15:00Z', now)).toBe(14 * 60_000)
    expect(refreshDelayMs('2026-12-04T10:00:30Z', now)).toBe(5_000)
  })

  it('classifies microphone failures', async () => {
    const failing = (name: string) => ({ getUserMedia: async () => Promise.reject(Object.assign(new Error(name), { name })) })
    expect(await checkMicrophone(undefined)).toBe('blocked')
    expect(await checkMicrophone(failing('NotAllowedError'))).toBe('blocked')
    expect(await checkMicrophone(failing('SecurityError'))).toBe('blocked')
    expect(await checkMicrophone(failing('NotFoundError'))).toBe('no_device')
    const stop = vi.fn()
    expect(await checkMicrophone({ getUserMedia: async () => ({ getTracks: () => [{ stop }] }) as never })).toBe('granted')
    expect(stop).toHaveBeenCalledTimes(1)
  })
})
