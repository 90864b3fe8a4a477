import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openLocation, saveScreenshot as shoot, type Chromium } from './chromium'
import { startBrowserWorld, type BrowserWorld } from './world'

let world: BrowserWorld
let browser: Chromium

beforeAll(async () => {
  browser = await launchChromium({ acceptDownloads: true })
  world = await startBrowserWorld()
})

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

const openNavBar = (locale: 'it' | 'en') => openLocation(browser, world, 'nav_bar', { locale, user: 'lead' })

describe.each(['it', 'en'] as const)('nav bar reports in %s', (locale) => {
  const text = {
    it: { tab: 'Report', noQueue: 'Nessuna coda', chart: 'Chiamate per coda', hourChart: 'Chiamate per ora del giorno', groupBy: 'Raggruppa per', apply: 'Mostra report', export: 'Esporta CSV', table: 'Metriche per gruppo', timeZone: 'Fuso orario', zoneError: '"Marte/Olimpo" non è un fuso orario: scrivi un nome IANA come Europe/Rome.' },
    en: { tab: 'Reports', noQueue: 'No queue', chart: 'Calls per queue', hourChart: 'Calls by hour of day', groupBy: 'Group by', apply: 'Show report', export: 'Export CSV', table: 'Metrics per group', timeZone: 'Time zone', zoneError: '"Marte/Olimpo" is not a time zone: write an IANA name such as Europe/Rome.' },
  }[locale]

  it('shows figures, a chart and a table', async () => {
    const { page, app, errors } = await openNavBar(locale)
    await app.getByRole('tab', { name: text.tab }).click()
    const table = app.getByRole('table', { name: text.table })
    await table.waitFor()
    // The world's three calls (answered, missed, voicemail) reached no queue.
    const row = table.getByRole('row').filter({ hasText: text.noQueue })
    expect((await row.getByRole('cell').allTextContents()).slice(0, 3)).toEqual([text.noQueue, '3', '1'])
    const chart = app.getByRole('region', { name: text.chart })
    await chart.locator('.recharts-bar-rectangle').first().waitFor()
    expect(await chart.locator('.recharts-wrapper > svg').evaluate((svg) => svg.getBoundingClientRect().width)).toBeGreaterThan(400)
    await shoot(page, `nav_bar-reports-${locale}`)
    // A nav bar about 1050 px wide shows all twelve columns with no sideways scroll. A narrower one scrolls.
    expect(await table.evaluate((element) => element.parentElement!.scrollWidth - element.parentElement!.clientWidth)).toBeLessThanOrEqual(0)

    await app.getByLabel(text.groupBy).selectOption('hour')
    await app.getByRole('button', { name: text.apply }).click()
    await app.getByRole('region', { name: text.hourChart }).locator('.recharts-bar-rectangle').first().waitFor()
    await shoot(page, `nav_bar-reports-hour-${locale}`)
    expect(errors).toEqual([])
    await page.close()
  })

  it('downloads the report as CSV', async () => {
    const { page, app } = await openNavBar(locale)
    await app.getByRole('tab', { name: text.tab }).click()
    await app.getByRole('table', { name: text.table }).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), app.getByRole('button', { name: text.export }).click()])
    expect(download.suggestedFilename()).toBe('centralino-report-queue.csv')
    const lines = readFileSync(await download.path(), 'utf8').trim().split('\r\n')
    expect(lines[0]).toMatch(/^queue,label,offered,answered,/)
    expect(lines[1]).toMatch(/^,no queue,3,1,/)
    expect(lines[2]).toMatch(/^,total,3,1,/)
    await page.close()
  })

  it('names an invalid time zone', async () => {
    const { page, app } = await openNavBar(locale)
    await app.getByRole('tab', { name: text.tab }).click()
    await app.getByRole('table', { name: text.table }).waitFor()
    await app.getByLabel(text.timeZone).fill('Marte/Olimpo')
    await app.getByRole('button', { name: text.apply }).click()
    await app.getByText(text.zoneError).waitFor()
    await shoot(page, `nav_bar-reports-invalid-${locale}`)
    await page.close()
  })
})
