import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { startBridge, type Bridge } from '../../bridge/src/bridge'
import { parseConfig } from '../../bridge/src/config'
import { createLogger } from '../../bridge/src/logger'
import { conversationUuidOf } from '../simulator/scenarios'
import { sendDelivery } from '../simulator/send'
import { startVonageStandin, type VonageStandin } from '../standins/vonage-standin'
import { startZendeskStandin, type ZendeskStandin } from '../standins/zendesk-standin'
import { AUDIO_DIR, demoCalls, type DemoCall } from './demo-calls'
import { startAppHarness, type AppHarness } from '../app/harness'
import { answerOutboundCalls, placeCallFromPage } from './outbound-demo'
import { printSunTable, printTable, type DemoRow } from './report'
import { playSunDay } from './sun-day'

const APPLICATION_ID = 'demo0000-0000-4000-8000-000000000001'
const SIGNATURE_SECRET = 'demo-signature-secret-0123456789'
const API_TOKEN = 'demo-api-token-0123456789abcdef'
// npm runs this script in scripts/, so a relative DEMO_DATA_DIR is taken from where npm was started (INIT_CWD).
const DATA_DIR = path.resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DEMO_DATA_DIR ?? path.join(__dirname, '..', '..', 'data', 'demo'))
/** A file the demo leaves in its folder, so that a later run deletes only a folder the demo made. */
const DATA_DIR_MARKER = '.centralino-demo'
const SETTLE_TIMEOUT_MS = 90_000
/** `npm run demo -- --serve` keeps the bridge and the app page running after the tables. */
const SERVE = process.argv.includes('--serve')
/**
 * `--outbound` (and `--serve`, before it stays up) also clicks Call in the ticket sidebar in
 * Chromium and checks the call that results. The app must be built first (`npm run app:build`).
 */
const OUTBOUND = SERVE || process.argv.includes('--outbound')
/** The harness agent's own phone, which an outbound call rings first. */
const AGENT_DEVICE = '+390299000009'
/** Giulia Rossi's number, seeded in the Zendesk stand-in with one open ticket. */
const CUSTOMER_NUMBER = '+393331112222'
const CREDENTIALS = { secret: SIGNATURE_SECRET, apiKey: 'demo1234', applicationId: APPLICATION_ID }
/** The routing clock: real time, until the follow-the-sun day moves it. */
const clock: { now?: Date } = {}

/**
 * Plays signed Vonage webhook sequences into a real bridge on the embedded database, with
 * local stand-ins for Zendesk and Vonage, then prints what landed in Zendesk. Exits 1
 * unless every call became a ticket with the expected outcome and recording.
 */
async function main(): Promise<void> {
  resetDataDir(DATA_DIR)
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const zendesk = await startZendeskStandin({ locale: 'it' })
  const vonage = await startVonageStandin({
    applicationId: APPLICATION_ID,
    publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  })
  const ticketId = seedZendesk(zendesk)
  // Zendesk answers the first ticket creation with 429, as under a burst of calls.
  zendesk.injectRateLimit({ method: 'POST', pathPrefix: '/api/v2/tickets' }, 2)

  const bridge = await startDemoBridge(zendesk, vonage, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
  const bridgeUrl = `http://127.0.0.1:${(bridge.app.server.address() as AddressInfo).port}`
  console.log(`Centralino demo: bridge on ${bridgeUrl}, embedded database in ${DATA_DIR}`)
  console.log(`Zendesk stand-in on ${zendesk.url}, Vonage stand-in on ${vonage.url}\n`)

  let failed = true
  try {
    const calls = demoCalls((audio, notFoundTimes) => (fileId) => {
      vonage.addRecording(fileId, path.join(AUDIO_DIR, audio), 'audio/mpeg', { notFoundTimes })
      return vonage.fileUrl(fileId)
    })
    await playAll(bridgeUrl, calls)
    const rows = await waitForRows(bridge, zendesk, calls)
    printTable(rows)
    const coreFailed = rows.some((row) => !row.ok)
    console.log(coreFailed ? '\nSome calls did not land as expected (see the last column).' : `\nAll ${rows.length} calls landed in Zendesk.`)
    console.log(`Zendesk stand-in answered ${zendesk.state.requests.filter((request) => request.status === 429).length} request(s) with 429; the bridge waited and retried.`)

    console.log('\nFollow-the-sun day on the support line (+39 02 4070 8091): Rome, New York and Manila, each 09:00-18:00 local time.')
    console.log('The queue lists them in that order, so when two teams work at once the first one gets the call.')
    console.log('Zendesk groups: 101 Rome, 102 New York, 103 Manila.\n')
    const sunRows = await playSunDay({ bridge, bridgeUrl, apiToken: API_TOKEN, vonage, credentials: CREDENTIALS, setClock: (instant) => (clock.now = instant) })
    printSunTable(sunRows)
    const sunFailed = sunRows.some((row) => !row.ok)
    console.log(sunFailed ? '\nSome follow-the-sun calls did not go where expected.' : '\nEvery call went to the team on shift, and the night call to voicemail for the next team.')
    failed = coreFailed || sunFailed
    if (OUTBOUND) {
      // While a person watches, each phase of the call stays on screen for a few seconds.
      answerOutboundCalls(vonage, bridgeUrl, CREDENTIALS, SERVE ? 3000 : 0)
      const harness = await startAgentHarness(bridgeUrl, zendesk, bridge)
      try {
        failed = !(await demoOutboundCall(bridge, zendesk, vonage, harness, ticketId)) || failed
        if (SERVE) await serveApp(harness, ticketId)
      } finally {
        await harness.close()
      }
    }
  } finally {
    await bridge.close()
    await zendesk.close()
    await vonage.close()
  }
  process.exitCode = failed ? 1 : 0
}

/** Starts the page that stands in for Zendesk, with the harness agent seated in the Rome team and given a phone. */
async function startAgentHarness(bridgeUrl: string, zendesk: ZendeskStandin, bridge: Bridge): Promise<AppHarness> {
  const harness = await startAppHarness({ bridgeUrl, zendesk })
  const seat = await bridge.app.inject({
    method: 'PUT',
    url: '/api/admin/agents/marco',
    headers: { authorization: `Bearer ${API_TOKEN}` },
    payload: { zendesk_user_id: harness.users.agent.id, name: harness.users.agent.name, team_id: 'rome', languages: ['it', 'en'], devices: [{ type: 'phone', number: AGENT_DEVICE }] },
  })
  if (seat.statusCode >= 300) throw new Error(`could not seat the harness agent: ${seat.statusCode} ${seat.body}`)
  return harness
}

async function demoOutboundCall(bridge: Bridge, zendesk: ZendeskStandin, vonage: VonageStandin, harness: AppHarness, ticketId: number): Promise<boolean> {
  console.log(`\nClick-to-call from the ticket sidebar, in Chromium as agent ${harness.users.agent.name}:`)
  const ok = await placeCallFromPage({ bridge, vonage, zendesk, harness, apiToken: API_TOKEN, agentDevice: AGENT_DEVICE, ticketId, customerNumber: CUSTOMER_NUMBER })
  console.log(ok ? 'The outbound call rang the agent first and landed on the ticket with its recording.' : 'The outbound call did not land as expected (see FAIL above).')
  return ok
}

/**
 * Keeps the app page that stands in for Zendesk running, so a person can click through the
 * calls the demo created and place an outbound call, until Ctrl-C.
 */
async function serveApp(harness: AppHarness, ticketId: number): Promise<void> {
  console.log(`\nThe Zendesk app runs at ${harness.url}`)
  console.log(`  call log (team lead):     ${harness.hostUrl('nav_bar', { locale: 'it' })}`)
  console.log(`  ticket sidebar, ticket ${ticketId}: ${harness.hostUrl('ticket_sidebar', { ticketId, locale: 'it' })}`)
  console.log(`  user sidebar (requester): ${harness.hostUrl('user_sidebar', { ticketId, locale: 'it' })}`)
  console.log(`  top bar (agent, English): ${harness.hostUrl('top_bar', { locale: 'en', user: 'agent' })}`)
  console.log(`  click-to-call (agent):    ${harness.hostUrl('ticket_sidebar', { ticketId, locale: 'en', user: 'agent' })}`)
  console.log(`    click "Call ${parsePhoneNumberFromString(CUSTOMER_NUMBER)?.formatInternational()}": the Vonage stand-in rings ${AGENT_DEVICE}, then the customer, and hangs up after`)
  console.log(`    a few seconds; the call note and its recording then appear on ticket ${ticketId} and in the sidebar's call list.`)
  console.log('Press Ctrl-C to stop.')
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))
  console.log('\nStopping the app page and the bridge.')
}

/** Seeds Giulia Rossi with one open ticket and returns the ticket's id. */
class DataDirError extends Error {}

/**
 * Empties the demo's folder for a fresh run. A folder that holds anything besides the
 * marker and the embedded database's `pglite` folder was not made by the demo, so it is
 * left alone and the demo stops with a message instead.
 */
function resetDataDir(dir: string): void {
  const entries = existsSync(dir) ? readdirSync(dir) : []
  if (entries.some((entry) => entry !== DATA_DIR_MARKER && entry !== 'pglite')) {
    throw new DataDirError(`DEMO_DATA_DIR "${dir}" contains files that the demo did not write, and the demo empties its folder on every run: point DEMO_DATA_DIR at a new or empty folder`)
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, DATA_DIR_MARKER), 'Folder of the Centralino demo: every run of npm run demo deletes and rewrites it.\n')
}

function seedZendesk(zendesk: ZendeskStandin): number {
  const giulia = zendesk.seedUser({ name: 'Giulia Rossi', phone: CUSTOMER_NUMBER, email: 'giulia.rossi@example.com' })
  return zendesk.seedTicket({ requesterId: giulia.id, subject: 'Ordine 412 non ancora arrivato', status: 'open' }).id
}

async function startDemoBridge(zendesk: ZendeskStandin, vonage: VonageStandin, privateKey: string): Promise<Bridge> {
  const config = parseConfig({
    DATA_DIR,
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    API_TOKEN,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    ZENDESK_SUBDOMAIN: 'demo',
    ZENDESK_URL: zendesk.url,
    ZENDESK_EMAIL: 'admin@centralino.test',
    ZENDESK_API_TOKEN: 'demo-zendesk-token',
    ZENDESK_TIME_ZONE: 'Europe/Rome',
    ZAF_APP_ID: String(zendesk.apps.appId),
    APP_SESSION_SECRET: 'demo-app-session-secret-0123456789abcdef',
    VONAGE_APPLICATION_ID: APPLICATION_ID,
    VONAGE_PRIVATE_KEY: privateKey,
    VONAGE_SIGNATURE_SECRET: SIGNATURE_SECRET,
    VONAGE_RECORDING_HOSTS: `api.nexmo.com,*.vonage.com,${vonage.url}`,
    VONAGE_API_URL: vonage.url,
    VONAGE_NUMBERS: '+390240708090=it,+16105553939=en',
    DEFAULT_DESTINATION: '+390299887766',
    CALL_LOG_DELAY_SECONDS: '1',
    JOB_POLL_SECONDS: '0.5',
    JOB_RETRY_DELAY_SECONDS: '1',
  })
  const bridge = await startBridge(config, { log: createLogger(config.logLevel), clock: () => clock.now ?? new Date() })
  await bridge.app.listen({ port: 0, host: '127.0.0.1' })
  return bridge
}

async function playAll(bridgeUrl: string, calls: DemoCall[]): Promise<void> {
  const credentials = CREDENTIALS
  await Promise.all(
    calls.map(async (call) => {
      for (const delivery of call.deliveries) {
        const result = await sendDelivery(bridgeUrl, delivery, credentials)
        if (result.status >= 300) throw new Error(`${call.label}: ${delivery.path} answered ${result.status} ${JSON.stringify(result.body)}`)
      }
    }),
  )
}

async function waitForRows(bridge: Bridge, zendesk: ZendeskStandin, calls: DemoCall[]): Promise<DemoRow[]> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS
  for (;;) {
    const rows = await Promise.all(calls.map((call) => describeCall(bridge, zendesk, call)))
    if (rows.every((row) => row.settled) || Date.now() > deadline) return rows
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

async function describeCall(bridge: Bridge, zendesk: ZendeskStandin, call: DemoCall): Promise<DemoRow> {
  const id = conversationUuidOf(call.deliveries)
  const response = await bridge.app.inject({ method: 'GET', url: `/api/calls/${id}`, headers: { authorization: `Bearer ${API_TOKEN}` } })
  const detail = response.json()
  const ticketId: number | null = detail.zendesk?.ticket_id ?? null
  const recordings: Array<{ state: string; ticket_id: number | null }> = detail.recordings ?? []
  const requester = zendesk.state.users.find((user) => user.id === detail.zendesk?.requester_id)
  const attached = recordings.filter((recording) => recording.state === 'attached').length
  const settled = ['logged', 'failed'].includes(detail.zendesk?.state) && recordings.every((recording) => recording.state !== 'pending')
  const problems = [
    detail.zendesk?.state !== 'logged' ? `zendesk ${detail.zendesk?.state}${detail.zendesk?.error ? `: ${detail.zendesk.error}` : ''}` : '',
    detail.outcome !== call.expectOutcome ? `outcome ${detail.outcome}, expected ${call.expectOutcome}` : '',
    call.expectRecording && attached === 0 ? 'recording not attached' : '',
  ].filter(Boolean)
  return {
    label: call.label,
    callId: id,
    language: detail.language,
    caller: detail.from ?? 'withheld',
    outcome: detail.outcome ?? '-',
    ticket: ticketId === null ? '-' : `#${ticketId}${detail.zendesk.ticket_reused ? ' (existing)' : ''}`,
    requester: requester ? requester.name : detail.caller_withheld ? '(API user)' : '-',
    recording: recordings.length === 0 ? '-' : `${attached}/${recordings.length} attached`,
    settled,
    ok: settled && problems.length === 0,
    problem: problems.join('; '),
  }
}

main().catch((error) => {
  if (error instanceof DataDirError) {
    console.error(`Demo not started: ${error.message}`)
    process.exit(1)
  }
  console.error(`Demo failed: ${error instanceof Error ? error.stack : String(error)}`)
  process.exit(1)
})
