import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { App } from '../src/App'
import { BridgeApi } from '../src/bridge-api'
import { formatPhoneNumber } from '../src/devices-api'
import { makeTranslate } from '../src/i18n'
import { fakeBridge, fakeClient } from './zaf-stand-in'

vi.mock('@vonage/client-sdk', () => ({ VonageClient: class {} }))

const SESSION = { token: 'session-token', expires_at: new Date(Date.now() + 900_000).toISOString() }
const PHONE = { type: 'phone', number: '+390299000042' }
const SIP = { type: 'sip', uri: 'sip:marco@pbx.acme.example' }
const SOFTPHONE = { type: 'app', user: 'centralino-agent-marco' }
const DEVICES = [PHONE, SIP, SOFTPHONE]

function me(activeDevice: object | null, deviceChosen = false) {
  return {
    user: { zendesk_user_id: 9, name: 'Marco Verdi', is_lead: false, account: 'demo' },
    agent: { id: 'marco', state: 'available', changed_at: '', devices: DEVICES, active_device: activeDevice, device_chosen: deviceChosen },
    capabilities: { outbound_calls: true, call_control: true },
  }
}

function renderTopBar(routes: Parameters<typeof fakeBridge>[0], locale: 'en' | 'it' = 'en') {
  const zaf = fakeClient({})
  const bridge = fakeBridge({ '/app/api/events': { body: {} }, ...routes })
  const bootstrap = { location: 'top_bar', session: SESSION }
  const api = new BridgeApi(bootstrap, '', bridge.fetchImpl)
  render(<App client={zaf.client} api={api} bootstrap={bootstrap} i18n={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }} />)
  return bridge
}

afterEach(cleanup)

describe('device picker', () => {
  it('lists devices with readable labels', async () => {
    renderTopBar({ '/app/api/me': { body: me(PHONE) } }, 'it')
    const select = (await screen.findByLabelText('Squilla su')) as HTMLSelectElement
    expect(Array.from(select.options).map((option) => option.text)).toEqual(['Telefono +39 02 9900 0042', 'SIP sip:marco@pbx.acme.example', 'Browser (softphone)'])
    expect(select.value).toBe('phone:+390299000042')
    expect(screen.getByText('Non hai ancora scelto un dispositivo, quindi le chiamate squillano sul dispositivo predefinito indicato qui.')).toBeTruthy()
  })

  it('saves the picked device on the bridge', async () => {
    const bridge = renderTopBar({
      '/app/api/me/device': { body: { devices: DEVICES, active_device: SIP, device_chosen: true } },
      '/app/api/me': { body: me(PHONE) },
    })
    const select = (await screen.findByLabelText('Ring me on')) as HTMLSelectElement
    fireEvent.change(select, { target: { value: 'sip:sip:marco@pbx.acme.example' } })
    await screen.findByText('Offered calls and click-to-call ring this device.')
    const saved = bridge.requests.find((request) => request.url === '/app/api/me/device')
    expect(saved?.method).toBe('PUT')
    expect(JSON.parse(saved?.body ?? '{}')).toEqual(SIP)
    expect(select.value).toBe('sip:sip:marco@pbx.acme.example')
  })

  it('shows the bridge error and keeps the device', async () => {
    renderTopBar({
      '/app/api/me/device': { status: 409, body: { code: 'CENTRALINO_ERR_DEVICE_BUSY', message: 'You cannot change device while a call is ringing for you or you are on a call; try again when it ends' } },
      '/app/api/me': { body: me(PHONE) },
    })
    const select = (await screen.findByLabelText('Ring me on')) as HTMLSelectElement
    fireEvent.change(select, { target: { value: 'app:centralino-agent-marco' } })
    await screen.findByText('Your device was not changed: You cannot change device while a call is ringing for you or you are on a call; try again when it ends')
    expect(select.value).toBe('phone:+390299000042')
  })

  it('starts the softphone when the browser is picked', async () => {
    renderTopBar({
      '/app/api/me/device': { body: { devices: DEVICES, active_device: SOFTPHONE, device_chosen: true } },
      '/app/api/me': { body: me(PHONE) },
    })
    fireEvent.change(await screen.findByLabelText('Ring me on'), { target: { value: 'app:centralino-agent-marco' } })
    // jsdom has no navigator.mediaDevices, like an iframe without microphone access.
    await screen.findByText('The softphone cannot use your microphone')
    const open = vi.spyOn(window, 'open').mockReturnValue(null)
    fireEvent.click(screen.getByRole('button', { name: 'Open softphone in a window' }))
    expect(open).toHaveBeenCalledWith(`${window.location.origin}/app/softphone`, 'centralino-softphone', 'popup,width=380,height=560')
    await screen.findByText('The browser blocked the softphone window. Allow pop-ups for this page, then open it again.')
    open.mockRestore()
  })

  it('hides the softphone for phone devices', async () => {
    renderTopBar({ '/app/api/me': { body: me(SIP, true) } })
    await screen.findByLabelText('Ring me on')
    await waitFor(() => expect(screen.queryByText(/Softphone:/)).toBeNull())
  })
})

describe('phone number format', () => {
  it('groups after the country code', () => {
    expect(formatPhoneNumber('+390299000042')).toBe('+39 02 9900 0042')
    expect(formatPhoneNumber('+14155552671')).toBe('+1 415 555 2671')
    expect(formatPhoneNumber('+353861234567')).toBe('+353 86 123 4567')
    expect(formatPhoneNumber('0299000042')).toBe('0299000042')
  })
})
