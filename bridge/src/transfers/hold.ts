import type { VoiceControl } from '../vonage/voice-control'
import type { VoiceStep } from './steps'

/**
 * Hold with music, on the customer's leg only. Earmuff stops the customer hearing the
 * conversation and mute stops anyone hearing them; Vonage documents earmuff as "cannot
 * hear other participants", and a stream plays into the leg itself, so the customer
 * hears the music. The agent's leg is not touched, so the agent can talk to a
 * consultation target meanwhile. Chosen over moving the leg to a hold conversation with
 * musicOnHoldUrl because the leg then stays where it is and needs no move back.
 * NOTE: that the stream is heard through earmuff follows from the documentation's
 * wording; it has not been tried against live Vonage.
 */
export function holdSteps(voice: VoiceControl, customerLeg: string, regionUrl: string | null, musicUrl: string | undefined): VoiceStep[] {
  const steps: VoiceStep[] = [
    { name: 'earmuff customer', run: () => voice.control(customerLeg, regionUrl, 'earmuff'), undo: () => voice.control(customerLeg, regionUrl, 'unearmuff') },
    { name: 'mute customer', run: () => voice.control(customerLeg, regionUrl, 'mute'), undo: () => voice.control(customerLeg, regionUrl, 'unmute') },
  ]
  if (musicUrl !== undefined) {
    steps.push({ name: 'start hold music', run: () => voice.startStream(customerLeg, regionUrl, musicUrl, 0), undo: () => voice.stopStream(customerLeg, regionUrl) })
  }
  return steps
}

/** Reverses holdSteps: the music stops first, then the customer hears and is heard again. */
export function unholdSteps(voice: VoiceControl, customerLeg: string, regionUrl: string | null, musicUrl: string | undefined): VoiceStep[] {
  const steps: VoiceStep[] = []
  if (musicUrl !== undefined) {
    steps.push({ name: 'stop hold music', run: () => voice.stopStream(customerLeg, regionUrl), undo: () => voice.startStream(customerLeg, regionUrl, musicUrl, 0) })
  }
  steps.push(
    { name: 'unmute customer', run: () => voice.control(customerLeg, regionUrl, 'unmute'), undo: () => voice.control(customerLeg, regionUrl, 'mute') },
    { name: 'unearmuff customer', run: () => voice.control(customerLeg, regionUrl, 'unearmuff'), undo: () => voice.control(customerLeg, regionUrl, 'earmuff') },
  )
  return steps
}
