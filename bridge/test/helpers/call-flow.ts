import path from 'node:path'
import { startVonageStandin, type VonageStandin } from '../../../scripts/standins/vonage-standin'
import { startZendeskStandin, type ZendeskStandin } from '../../../scripts/standins/zendesk-standin'
import { conversationUuidOf, type Delivery, type ScenarioInput } from '../../../scripts/simulator/scenarios'
import { APPLICATION_ID, PUBLIC_KEY_PEM, startTestBridge, waitFor, type TestBridge, type TestBridgeOptions } from './test-bridge'

export const AUDIO_DIR = path.join(__dirname, '..', '..', '..', 'scripts', 'demo', 'audio')

export interface CallFlowWorld {
  zendesk: ZendeskStandin
  vonage: VonageStandin
  bridge: TestBridge
  /** Scenario input whose recordings the Vonage stand-in serves. */
  input(callerNumber: string, calledNumber?: string, audio?: string): ScenarioInput
  play(deliveries: Delivery[]): Promise<string>
  waitForCall(callId: string, until: (call: any) => boolean, description: string): Promise<any>
  close(): Promise<void>
}

/** Starts the Zendesk and Vonage stand-ins on loopback and a bridge wired to them. */
export async function startCallFlowWorld(options: TestBridgeOptions = {}): Promise<CallFlowWorld> {
  const zendesk = await startZendeskStandin({ locale: 'it' })
  const vonage = await startVonageStandin({ applicationId: APPLICATION_ID, publicKeyPem: PUBLIC_KEY_PEM })
  const bridge = await startTestBridge({
    ...options,
    env: {
      ZENDESK_URL: zendesk.url,
      VONAGE_RECORDING_HOSTS: `api.nexmo.com,*.vonage.com,${vonage.url}`,
      ...options.env,
    },
  })
  const world: CallFlowWorld = {
    zendesk,
    vonage,
    bridge,
    input: (callerNumber, calledNumber = '390240708090', audio = 'call-it.mp3') => ({
      callerNumber,
      calledNumber,
      startAt: new Date(Date.now() - 60_000),
      recordingUrl: (fileId) => {
        vonage.addRecording(fileId, path.join(AUDIO_DIR, audio), 'audio/mpeg')
        return vonage.fileUrl(fileId)
      },
    }),
    async play(deliveries) {
      for (const delivery of deliveries) {
        const response = await world.bridge.deliver(delivery)
        if (response.status >= 300) throw new Error(`${delivery.path} answered ${response.status}: ${response.body}`)
      }
      return conversationUuidOf(deliveries)
    },
    async waitForCall(callId, until, description) {
      return waitFor(description, async () => {
        const response = await world.bridge.api(`/api/calls/${callId}`)
        if (response.status !== 200) return undefined
        const call = response.json()
        return until(call) ? call : undefined
      })
    },
    async close() {
      await world.bridge.close()
      await zendesk.close()
      await vonage.close()
    },
  }
  return world
}

/** True once the call's ticket is written and every recording is attached or failed. */
export function settled(call: any): boolean {
  return (
    (call.zendesk.state === 'logged' || call.zendesk.state === 'failed') &&
    call.recordings.every((recording: { state: string }) => recording.state !== 'pending')
  )
}
