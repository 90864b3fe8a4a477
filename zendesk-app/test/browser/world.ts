import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { startBridge, type Bridge } from '../../../bridge/src/bridge'
import { parseConfig } from '../../../bridge/src/config'
import { createLogger } from '../../../bridge/src/logger'
import { startAppHarness, type AppHarness } from '../../../scripts/app/harness'
import { answeredWithRecording, conversationUuidOf, missed, voicemail } from '../../../scripts/simulator/scenarios'
import { sendDelivery } from '../../../scripts/simulator/send'
import { startVonageStandin, type VonageStandin } from '../../../scripts/standins/vonage-standin'
import { startZendeskStandin, type ZendeskStandin } from '../../../scripts/standins/zendesk-standin'

const SIGNATURE_SECRET = 'browser-signature-secret-0123456789'
const API_TOKEN = 'browser-api-token-0123456789abcdef'
const APPLICATION_ID = 'b0000000-0000-4000-8000-000000000001'
const AUDIO_DIR = path.join(__dirname, '..', '..', '..', 'scripts', 'demo', 'audio')

export interface BrowserWorld {
  bridge: Bridge
  bridgeUrl: string
  zendesk: ZendeskStandin
  harness: AppHarness
  ticketId: number
  /** Zendesk id of Giulia Rossi, the ticket's requester, who has a second phone number as an identity. */
  requesterId: number
  callIds: string[]
  close(): Promise<void>
}

/** Starts the stand-ins, a bridge with the app API on the embedded database, three calls and the harness page. */
export async function startBrowserWorld(): Promise<BrowserWorld> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'centralino-browser-'))
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const zendesk = await startZendeskStandin({ locale: 'it' })
  const vonage: VonageStandin = await startVonageStandin({ applicationId: APPLICATION_ID, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() })
  const giulia = zendesk.seedUser({ name: 'Giulia Rossi', phone: '+393331112222', email: 'giulia.rossi@example.com' })
  zendesk.seedIdentity(giulia.id, { type: 'phone_number', value: '+390612345678' })
  zendesk.seedUser({ name: 'Giulia Rossi (ufficio)', phone: '+393331112222', email: 'g.rossi@ufficio.example' })
  const ticket = zendesk.seedTicket({ requesterId: giulia.id, subject: 'Ordine 412 non ancora arrivato', status: 'open' })
  const config = parseConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://127.0.0.1:3000',
    API_TOKEN,
    LOG_LEVEL: 'error',
    ZENDESK_SUBDOMAIN: 'demo',
    ZENDESK_URL: zendesk.url,
    ZENDESK_EMAIL: 'admin@centralino.test',
    ZENDESK_API_TOKEN: 'browser-zendesk-token',
    ZENDESK_TIME_ZONE: 'Europe/Rome',
    ZAF_APP_ID: String(zendesk.apps.appId),
    APP_SESSION_SECRET: 'browser-app-session-secret-0123456789abcdef',
    VONAGE_APPLICATION_ID: APPLICATION_ID,
    VONAGE_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    VONAGE_SIGNATURE_SECRET: SIGNATURE_SECRET,
    VONAGE_RECORDING_HOSTS: `api.nexmo.com,${vonage.url}`,
    // Softphone tokens create the agent's Vonage user; the stand-in answers that instead of Vonage.
    VONAGE_API_URL: vonage.url,
    VONAGE_NUMBERS: '+390240708090=it,+16105553939=en',
    DEFAULT_DESTINATION: '+390299887766',
    CALL_LOG_DELAY_SECONDS: '0',
    JOB_POLL_SECONDS: '0.5',
    JOB_RETRY_DELAY_SECONDS: '1',
  })
  const bridge = await startBridge(config, { log: createLogger('error') })
  await bridge.app.listen({ port: 0, host: '127.0.0.1' })
  const bridgeUrl = `http://127.0.0.1:${(bridge.app.server.address() as AddressInfo).port}`

  const recordingUrl = (fileId: string) => {
    vonage.addRecording(fileId, path.join(AUDIO_DIR, 'call-it.mp3'), 'audio/mpeg')
    return vonage.fileUrl(fileId)
  }
  const hour = 3_600_000
  const plays = [
    answeredWithRecording({ callerNumber: '393331112222', calledNumber: '390240708090', startAt: new Date(Date.now() - 3 * hour), recordingUrl }),
    missed({ callerNumber: '393331112222', calledNumber: '390240708090', startAt: new Date(Date.now() - 2 * hour) }),
    voicemail({ callerNumber: '393479876543', calledNumber: '390240708090', startAt: new Date(Date.now() - hour), recordingUrl }),
  ]
  const credentials = { secret: SIGNATURE_SECRET, apiKey: 'browser1', applicationId: APPLICATION_ID }
  for (const deliveries of plays) {
    for (const delivery of deliveries) await sendDelivery(bridgeUrl, delivery, credentials)
  }
  const callIds = plays.map(conversationUuidOf)
  await waitForLogged(bridge, callIds)

  const harness = await startAppHarness({ bridgeUrl, zendesk })
  await bridge.db.query(`INSERT INTO agents (id, zendesk_user_id, name, state) VALUES ('marco', $1, $2, 'available')`, [harness.users.agent.id, harness.users.agent.name])
  await bridge.db.query(`UPDATE calls SET agent_id = 'marco' WHERE id = $1`, [callIds[0]])
  return {
    bridge,
    bridgeUrl,
    zendesk,
    harness,
    ticketId: ticket.id,
    requesterId: giulia.id,
    callIds,
    async close() {
      await harness.close()
      await bridge.close()
      await zendesk.close()
      await vonage.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function waitForLogged(bridge: Bridge, callIds: string[]): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const result = await bridge.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM calls WHERE id = ANY($1::text[]) AND zendesk_state = 'logged'
       AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = calls.id AND r.state = 'pending')`,
      [callIds],
    )
    if (Number(result.rows[0].n) === callIds.length) return
    if (Date.now() > deadline) throw new Error('timed out waiting for the calls to reach Zendesk')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
