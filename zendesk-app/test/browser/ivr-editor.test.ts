import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openLocation, saveScreenshot as shoot, type Chromium } from './chromium'
import { startBrowserWorld, type BrowserWorld } from './world'

let world: BrowserWorld
let browser: Chromium

const prompt = (it: string, en: string) => ({ it, en })

/** A flow with a greeting, a menu of two queues and a goodbye when no key is pressed. */
function menuFlow() {
  return {
    start: 'welcome',
    nodes: {
      welcome: { type: 'say', text: prompt('Benvenuto in Centralino.', 'Welcome to Centralino.'), next: 'menu' },
      menu: { type: 'menu', prompt: prompt('Premi 1 per l’assistenza, 2 per le vendite.', 'Press 1 for support, 2 for sales.'), options: { '1': 'support', '2': 'sales' }, no_input: 'goodbye', timeout_seconds: 5 },
      support: { type: 'queue', queue_id: 'ivr-support' },
      sales: { type: 'queue', queue_id: 'ivr-sales' },
      goodbye: { type: 'hangup', text: prompt('Arrivederci.', 'Goodbye.') },
    },
  }
}

async function versionsOf(flowId: string): Promise<number[]> {
  const result = await world.bridge.db.query<{ version: number }>('SELECT version FROM ivr_flows WHERE id = $1 ORDER BY version', [flowId])
  return result.rows.map((row) => Number(row.version))
}

beforeAll(async () => {
  browser = await launchChromium()
  world = await startBrowserWorld()
  const db = world.bridge.db
  await db.query(`INSERT INTO teams (id, name, time_zone, shifts) VALUES ('ivr-team', 'IVR team', 'Europe/Rome', '[]')`)
  for (const queue of ['ivr-support', 'ivr-sales']) {
    await db.query(`INSERT INTO queues (id, name, team_ids, overflow) VALUES ($1, $1, '{ivr-team}', '{"type":"voicemail"}')`, [queue])
  }
  for (const flowId of ['flow-en', 'flow-it']) await db.query('INSERT INTO ivr_flows (id, version, definition) VALUES ($1, 1, $2)', [flowId, JSON.stringify(menuFlow())])
})

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

const openNavBar = (locale: 'it' | 'en', user: 'lead' | 'agent') => openLocation(browser, world, 'nav_bar', { locale, user, height: 1000 })

describe.each(['it', 'en'] as const)('IVR editor in %s', (locale) => {
  const flowId = `flow-${locale}`
  const text = {
    it: {
      tab: 'Flussi IVR', flow: 'Flusso', deleteNode: 'Elimina nodo', validate: 'Verifica', discard: 'Scarta le modifiche',
      missing: 'Il collegamento options/1 porta al nodo "support", che non esiste.', keys: 'Tasti premuti', hours: 'Orario di servizio',
      run: 'Avvia anteprima', queued: 'Il chiamante entra nella coda ivr-support.', message: 'Inglese', publish: 'Pubblica…', confirm: 'Pubblica',
      published: 'La versione 2 è pubblicata.', rollback: 'Ripristina…', rollbackConfirm: 'Ripristina la versione 1', rolledBack: 'La versione 1 è di nuovo attiva come versione 3.',
      log: 'Registro chiamate',
    },
    en: {
      tab: 'IVR flows', flow: 'Flow', deleteNode: 'Delete node', validate: 'Validate', discard: 'Discard changes',
      missing: 'Link options/1 leads to node "support", which does not exist.', keys: 'Key presses', hours: 'Business hours',
      run: 'Run preview', queued: 'The caller joins queue ivr-support.', message: 'English', publish: 'Publish…', confirm: 'Publish',
      published: 'Version 2 is published.', rollback: 'Roll back…', rollbackConfirm: 'Roll back to version 1', rolledBack: 'Version 1 is live again as version 3.',
      log: 'Call log',
    },
  }[locale]

  it('edits, validates, previews, publishes and rolls back a flow', async () => {
    const { page, app, errors } = await openNavBar(locale, 'lead')
    await app.getByRole('tab', { name: text.tab }).click()
    await app.getByLabel(text.flow, { exact: true }).selectOption(flowId)
    const menu = app.getByTestId('ivr-node-menu')
    await menu.waitFor()
    // React Flow draws an edge once both of its nodes are measured, so this checks the CSS and layout in a real browser.
    await expect.poll(() => app.locator('.react-flow__edge').count(), { timeout: 10_000 }).toBe(4)
    await shoot(page, `ivr-editor-${locale}`)

    await app.getByTestId('ivr-node-support').click()
    await app.getByRole('button', { name: text.deleteNode }).click()
    await app.getByRole('button', { name: text.validate }).click()
    await menu.getByText(text.missing).waitFor()
    expect(await menu.getAttribute('data-problem')).toBe('true')
    await shoot(page, `ivr-editor-problem-${locale}`)
    await app.getByRole('button', { name: text.discard }).click()
    await app.getByTestId('ivr-node-support').waitFor()

    await app.getByLabel(text.keys).fill('1')
    await app.getByLabel(text.hours).selectOption('open')
    await app.getByRole('button', { name: text.run }).click()
    await app.getByText(text.queued).waitFor()
    expect(await app.getByTestId('ivr-node-support').getAttribute('data-walked')).toBe('true')
    expect(await app.getByTestId('ivr-node-sales').getAttribute('data-walked')).toBeNull()
    await shoot(page, `ivr-editor-preview-${locale}`)

    await app.getByTestId('ivr-node-welcome').click()
    await app.getByLabel(text.message, { exact: true }).first().fill('Hello from the editor.')
    await shoot(page, `ivr-editor-panel-${locale}`)

    // The automatic layout puts sales in row 2, column 1, at (250, 380), and the drag moves it right and down.
    const sales = await app.getByTestId('ivr-node-sales').boundingBox()
    if (!sales) throw new Error('the sales card has no bounding box')
    await page.mouse.move(sales.x + sales.width / 2, sales.y + 12)
    await page.mouse.down()
    await page.mouse.move(sales.x + sales.width / 2 + 150, sales.y + 72, { steps: 10 })
    await page.mouse.up()
    await app.getByRole('button', { name: text.publish }).click()
    await app.getByRole('button', { name: text.confirm, exact: true }).click()
    await app.getByText(text.published).waitFor()
    expect(await versionsOf(flowId)).toEqual([1, 2])
    const stored = await world.bridge.db.query<{ definition: any }>('SELECT definition FROM ivr_flows WHERE id = $1 AND version = 2', [flowId])
    expect(stored.rows[0].definition.nodes.welcome.text.en).toBe('Hello from the editor.')
    const layout = (await world.bridge.db.query<{ layout: any }>('SELECT layout FROM ivr_flows WHERE id = $1 AND version = 2', [flowId])).rows[0].layout
    expect(Object.keys(layout).sort()).toEqual(['goodbye', 'menu', 'sales', 'support', 'welcome'])
    expect(layout.welcome).toEqual({ x: 0, y: 0 })
    expect(layout.sales.x).toBeGreaterThan(300)
    expect(layout.sales.y).toBeGreaterThan(400)

    await app.getByRole('button', { name: text.rollback }).click()
    await app.getByRole('button', { name: text.rollbackConfirm }).click()
    await app.getByText(text.rolledBack).waitFor()
    expect(await versionsOf(flowId)).toEqual([1, 2, 3])
    const restored = await world.bridge.db.query<{ definition: any }>('SELECT definition FROM ivr_flows WHERE id = $1 AND version = 3', [flowId])
    expect(restored.rows[0].definition.nodes.welcome.text.en).toBe('Welcome to Centralino.')
    // Version 1 was stored without positions, so its copy has none either.
    const restoredLayout = await world.bridge.db.query<{ layout: unknown }>('SELECT layout FROM ivr_flows WHERE id = $1 AND version = 3', [flowId])
    expect(restoredLayout.rows[0].layout).toBeNull()
    await shoot(page, `ivr-editor-versions-${locale}`)
    expect(errors).toEqual([])
    await page.close()
  })

  it('hides the tab from an agent', async () => {
    const { page, app } = await openNavBar(locale, 'agent')
    await app.getByText(text.log).first().waitFor()
    expect(await app.getByRole('tab', { name: text.tab }).count()).toBe(0)
    await page.close()
  })
})
