import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core'
import type { BrowserWorld } from './world'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOT_DIR = path.join(__dirname, '..', '..', '..', 'tmp', 'app-screenshots')
const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface Chromium {
  context: BrowserContext
  close(): Promise<void>
}

/**
 * Starts Debian's Chromium headless with a fresh profile, after checking that it and the
 * app build exist. `args` adds Chromium switches to the ones every browser test uses.
 */
export async function launchChromium(options: { args?: string[]; acceptDownloads?: boolean } = {}): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`)
  if (!existsSync(path.join(__dirname, '..', '..', 'dist', 'index.html'))) throw new Error('zendesk-app/dist is missing: run "npm run app:build" first')
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const profile = mkdtempSync(path.join(tmpdir(), 'centralino-chromium-'))
  // Playwright passes the fresh profile folder to Chromium as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: options.acceptDownloads ?? false,
    args: [...BASE_ARGS, ...(options.args ?? [])],
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export interface OpenedLocation {
  page: Page
  /** The app's frame, served by the bridge inside the harness page. */
  app: Frame
  /** Uncaught errors of the page so far; the array keeps filling while the page is open. */
  errors: string[]
}

/** Opens one app location in the harness page and waits until the app has rendered. */
export async function openLocation(
  chromium: Chromium,
  world: BrowserWorld,
  location: string,
  options: { locale: 'it' | 'en'; user?: 'lead' | 'agent'; width?: number; height?: number },
): Promise<OpenedLocation> {
  const page = await chromium.context.newPage()
  await page.setViewportSize({ width: options.width ?? (location === 'nav_bar' ? 1500 : 760), height: options.height ?? 900 })
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(world.harness.hostUrl(location, { ticketId: world.ticketId, locale: options.locale, user: options.user ?? 'lead' }))
  await page.frameLocator('#app').locator('#root > *').first().waitFor({ timeout: 20_000 })
  const app = page.frames().find((candidate) => candidate.url().startsWith(world.bridgeUrl)) as Frame
  return { page, app, errors }
}

/** Saves a full-page screenshot as tmp/app-screenshots/{name}.png for a person to review. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300)
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}
