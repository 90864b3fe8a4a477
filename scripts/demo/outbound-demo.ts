import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { chromium } from 'playwright-core'
import type { Bridge } from '../../bridge/src/bridge'
import type { AppHarness } from '../app/harness'
import { sendDelivery, type WebhookCredentials } from '../simulator/send'
import type { WebhookPath } from '../simulator/scenarios'
import type { VonageStandin } from '../standins/vonage-standin'
import type { ZendeskStandin } from '../standins/zendesk-standin'
import { AUDIO_DIR } from './demo-calls'

const CHROMIUM = '/usr/bin/chromium'
const APP_INDEX = path.join(__dirname, '..', '..', 'zendesk-app', 'dist', 'index.html')
const STEP_TIMEOUT_MS = 30_000
const LOG_TIMEOUT_MS = 90_000

export interface OutboundDemoDeps {
  bridge: Bridge
  vonage: VonageStandin
  zendesk: ZendeskStandin
  harness: AppHarness
  apiToken: string
  /** The agent's own device, which Vonage must ring first. */
  agentDevice: string
  /** The ticket whose sidebar the browser opens, and the requester's number on it. */
  ticketId: number
  customerNumber: string
}

/**
 * Makes the Vonage stand-in answer every click-to-call: it sends the agent leg's and the
 * customer leg's events and the record event to the bridge, signed like Vonage's webhooks.
 * `phasePauseMs` keeps each phase on screen for a person watching the page.
 */
export function answerOutboundCalls(vonage: VonageStandin, bridgeUrl: string, credentials: WebhookCredentials, phasePauseMs = 0): void {
  vonage.playOutboundCalls({
    phasePauseMs,
    // A watched call talks for as long as its talking phase stays on screen.
    talkSeconds: phasePauseMs > 0 ? Math.ceil(phasePauseMs / 1000) : undefined,
    recordingUrl: () => {
      const fileId = randomUUID()
      vonage.addRecording(fileId, path.join(AUDIO_DIR, 'call-it.mp3'), 'audio/mpeg')
      return vonage.fileUrl(fileId)
    },
    deliver: async (webhook) => {
      const delivery = { method: 'POST' as const, path: webhook.path as WebhookPath, query: webhook.query, body: webhook.body }
      const result = await sendDelivery(bridgeUrl, delivery, credentials)
      if (result.status >= 300) throw new Error(`the bridge rejected ${webhook.path} with ${result.status} ${JSON.stringify(result.body)}`)
    },
  })
}

/**
 * Opens the ticket sidebar in Chromium as the agent and clicks Call on the requester's number.
 * Then prints each step: the call Vonage was requested to place, the webhooks the stand-in
 * sent, and the note and recording on the Zendesk ticket. Returns false when a step failed.
 */
export async function placeCallFromPage(deps: OutboundDemoDeps): Promise<boolean> {
  const problem = missingPrerequisite()
  if (problem !== undefined) {
    console.log(`  FAIL ${problem}`)
    return false
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'centralino-demo-chromium-'))
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    return await clickAndFollow(deps, browser)
  } catch (error) {
    console.log(`  FAIL ${error instanceof Error ? error.message : String(error)}`)
    return false
  } finally {
    await browser.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

function missingPrerequisite(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`
  if (!existsSync(APP_INDEX)) return `${APP_INDEX} is missing: run "npm run app:build" first`
  return undefined
}

async function clickAndFollow(deps: OutboundDemoDeps, browser: Awaited<ReturnType<typeof chromium.launchPersistentContext>>): Promise<boolean> {
  const { vonage } = deps
  const callsBefore = vonage.createdCalls.length
  const page = await browser.newPage()
  const url = deps.harness.hostUrl('ticket_sidebar', { ticketId: deps.ticketId, locale: 'en', user: 'agent' })
  await page.goto(url)
  // The app labels the button with the number in its international format, such as +39 333 111 2222.
  const label = `Call ${parsePhoneNumberFromString(deps.customerNumber)?.formatInternational() ?? deps.customerNumber}`
  const button = page.frameLocator('#app').getByRole('button', { name: label })
  await button.waitFor({ timeout: STEP_TIMEOUT_MS })
  await button.click()
  console.log(`  ok   ${deps.harness.users.agent.name} opened ticket #${deps.ticketId} in Chromium and clicked "${label}"`)

  const created = await poll('Vonage to receive POST /v1/calls', STEP_TIMEOUT_MS, async () => vonage.createdCalls[callsBefore])
  const rang = (created.body.to as Array<{ number?: string }>)[0]?.number
  const ringsAgentFirst = `+${rang}` === deps.agentDevice
  report(ringsAgentFirst, `Vonage stand-in got POST /v1/calls ringing ${deps.agentDevice} (the agent's device) first; the bridge dials ${deps.customerNumber} once the agent answers`, `ringing +${rang}`)

  const callId = created.conversationUuid
  const detail = await poll('the bridge to log the call in Zendesk', LOG_TIMEOUT_MS, async () => {
    const response = await deps.bridge.app.inject({ method: 'GET', url: `/api/calls/${callId}`, headers: { authorization: `Bearer ${deps.apiToken}` } })
    const call = response.json()
    const settled = call.zendesk?.state === 'logged' && (call.recordings ?? []).length > 0 && call.recordings.every((recording: { state: string }) => recording.state !== 'pending')
    return settled ? call : undefined
  })
  const played = vonage.outboundEvents.filter((event) => event.conversationUuid === callId)
  const rejected = played.filter((event) => event.error !== undefined)
  report(rejected.length === 0, `Vonage stand-in played ${played.map((event) => `${event.leg} ${event.status}`).join(', ')}`, rejected.map((event) => event.error).join('; '))
  report(detail.outcome === 'answered', `call ${callId} ended ${detail.outcome}, ${detail.talk_seconds ?? '-'} s of talk`, `expected answered`)

  const comments = deps.zendesk.state.comments.filter((comment) => comment.ticket_id === detail.zendesk.ticket_id)
  const note = comments.find((comment) => comment.body.includes(callId))
  const heading = note?.body.split('\n').find((line) => /in uscita|outbound/i.test(line)) ?? ''
  report(detail.zendesk.ticket_id === deps.ticketId && note !== undefined, `ticket #${detail.zendesk.ticket_id} in the Zendesk stand-in has the call note "${heading}"`, `expected a note on ticket #${deps.ticketId}`)
  const recording = detail.recordings[0] as { id: string; state: string }
  const withFile = comments.find((comment) => comment.body.includes(recording.id) && comment.attachments.length > 0)
  report(recording.state === 'attached' && withFile !== undefined, `the recording is attached to ticket #${detail.zendesk.ticket_id} as ${withFile?.attachments[0]?.file_name ?? '-'}`, `recording ${recording.state}`)
  await page.close()
  return ringsAgentFirst && rejected.length === 0 && detail.outcome === 'answered' && note !== undefined && withFile !== undefined
}

function report(ok: boolean, text: string, problem: string): void {
  console.log(ok ? `  ok   ${text}` : `  FAIL ${text} (${problem})`)
}

async function poll<T>(description: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${description}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
