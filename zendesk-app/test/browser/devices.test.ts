import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openLocation, saveScreenshot, type Chromium } from './chromium'
import { startBrowserWorld, type BrowserWorld } from './world'

const OFFICE_PHONE = { type: 'phone', number: '+390299000042' }
const SOFTPHONE = { type: 'app', user: 'centralino-agent-marco' }
let world: BrowserWorld
let browser: Chromium

beforeAll(async () => {
  browser = await launchChromium({
    args: [
      // A fake microphone that the pop-out may use without a prompt.
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      // Every host name but 127.0.0.1 fails to resolve, so the Client SDK's connection to Vonage fails here and no request leaves the machine.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  })
  world = await startBrowserWorld()
})

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

const openTopBar = (locale: 'it' | 'en') => openLocation(browser, world, 'top_bar', { locale, user: 'agent' })

async function storedDevice(): Promise<unknown> {
  const result = await world.bridge.db.query<{ active_device: unknown }>(`SELECT active_device FROM agents WHERE id = 'marco'`)
  return result.rows[0].active_device
}

describe.each(['it', 'en'] as const)('agent devices in %s', (locale) => {
  const text = {
    it: {
      picker: 'Squilla su', softphone: 'Browser (softphone)', phone: 'Telefono +39 02 9900 0042', blocked: 'Il softphone non può usare il microfono',
      open: 'Apri il softphone in una finestra', unreachable: 'Vonage non raggiungibile', active: 'La finestra del softphone gestisce le tue chiamate. Tienila aperta.',
      closed: 'La finestra del softphone è chiusa', failing: 'La finestra del softphone è aperta ma non può ricevere chiamate',
    },
    en: {
      picker: 'Ring me on', softphone: 'Browser (softphone)', phone: 'Phone +39 02 9900 0042', blocked: 'The softphone cannot use your microphone',
      open: 'Open softphone in a window', unreachable: 'Cannot reach Vonage', active: 'The softphone window handles your calls. Keep it open.',
      closed: 'The softphone window is closed', failing: 'The softphone window is open but cannot take calls',
    },
  }[locale]

  it('picks the softphone and opens its window', async () => {
    await world.bridge.db.query(`UPDATE agents SET devices = $1, active_device = NULL, state = 'available' WHERE id = 'marco'`, [JSON.stringify([OFFICE_PHONE])])
    const { page, app } = await openTopBar(locale)
    const picker = app.getByLabel(text.picker)
    await picker.waitFor()
    expect(await picker.locator('option:checked').textContent()).toBe(text.phone)

    await picker.selectOption({ label: text.softphone })
    // The harness iframe has no allow="microphone", as Zendesk's frames may lack it too.
    await app.getByText(text.blocked).waitFor()
    expect(await storedDevice()).toEqual(SOFTPHONE)
    await saveScreenshot(page, `devices-top_bar-${locale}`)

    const opened = browser.context.waitForEvent('page')
    await app.getByRole('button', { name: text.open }).click()
    const popout = await opened
    await popout.waitForLoadState()
    expect(popout.url()).toBe(`${world.bridgeUrl}/app/softphone`)
    await app.getByText(text.active).waitFor()
    // The token is minted through the Vonage stand-in; Vonage's own servers cannot be resolved.
    await popout.getByText(text.unreachable, { exact: true }).first().waitFor({ timeout: 40_000 })
    // The window tells the top bar, which no longer says that calls are handled.
    await app.getByText(text.failing).waitFor()
    await saveScreenshot(page, `devices-top_bar-failing-${locale}`)
    await popout.setViewportSize({ width: 380, height: 560 })
    await saveScreenshot(popout, `devices-softphone-window-${locale}`)

    await popout.close()
    await app.getByText(text.closed).waitFor()
    await page.close()
  })
})
