import { tokenGenerate } from '@vonage/jwt'
import type { Config } from '../config'
import type { Ncco } from './ncco'

/** Region hosts Vonage names in region_url; anything else falls back to VONAGE_API_URL. */
const REGION_HOST = /^api(-[a-z]{2}-\d)?\.(vonage|nexmo)\.com$/

/** A phone number (E.164 digits without "+"), a SIP URI or a Client SDK user. */
export type CallEndpoint = { type: 'phone'; number: string } | { type: 'sip'; uri: string } | { type: 'app'; user: string }

export class VoiceApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    body: string,
  ) {
    super(`Vonage ${path} failed with ${status}: ${body.slice(0, 200)}`)
    this.name = 'VoiceApiError'
  }
}

/**
 * Calls the Voice API with a fresh application JWT. A call can only be controlled in
 * the region that holds it, so requests about an existing call go to its region_url.
 */
export class VoiceControl {
  constructor(private readonly config: Config['vonage']) {}

  /** Places an outbound call that runs `ncco` when answered; returns the new leg and the conversation it starts in. */
  async createCall(input: { to: CallEndpoint; from: string; ncco: Ncco; eventUrl: string; ringingTimer: number }): Promise<{ legId: string; conversationId: string }> {
    const result = await this.send<{ uuid: string; conversation_uuid: string }>('POST', '/v1/calls', undefined, {
      to: [input.to],
      from: { type: 'phone', number: input.from },
      ncco: input.ncco,
      event_url: [input.eventUrl],
      event_method: 'POST',
      ringing_timer: input.ringingTimer,
    })
    return { legId: result.uuid, conversationId: result.conversation_uuid }
  }

  /** Sends a control action (mute, unmute, earmuff, unearmuff, hangup) to one leg. */
  async control(legId: string, regionUrl: string | null, action: 'mute' | 'unmute' | 'earmuff' | 'unearmuff' | 'hangup'): Promise<void> {
    await this.send('PUT', `/v1/calls/${encodeURIComponent(legId)}`, regionUrl, { action })
  }

  /** Plays DTMF tones into a leg, such as an extension for the far end's IVR. */
  async sendDtmf(legId: string, regionUrl: string | null, digits: string): Promise<void> {
    await this.send('PUT', `/v1/calls/${encodeURIComponent(legId)}/dtmf`, regionUrl, { digits })
  }

  /** Replaces what a leg is doing with a new NCCO. */
  async transfer(legId: string, regionUrl: string | null, ncco: Ncco): Promise<void> {
    await this.send('PUT', `/v1/calls/${encodeURIComponent(legId)}`, regionUrl, { action: 'transfer', destination: { type: 'ncco', ncco } })
  }

  async hangup(legId: string, regionUrl: string | null): Promise<void> {
    await this.send('PUT', `/v1/calls/${encodeURIComponent(legId)}`, regionUrl, { action: 'hangup' })
  }

  /**
   * Plays audio files into a leg: `PUT /v1/calls/{uuid}/stream` with `stream_url` (an
   * array) and `loop`, where 0 repeats until stopped (Voice API reference and the
   * play-an-audio-stream-into-a-call snippet on developer.vonage.com).
   */
  async startStream(legId: string, regionUrl: string | null, streamUrl: string, loop = 0): Promise<void> {
    await this.send('PUT', `/v1/calls/${encodeURIComponent(legId)}/stream`, regionUrl, { stream_url: [streamUrl], loop })
  }

  /** Stops the audio that startStream plays into a leg (`DELETE /v1/calls/{uuid}/stream`). */
  async stopStream(legId: string, regionUrl: string | null): Promise<void> {
    await this.send('DELETE', `/v1/calls/${encodeURIComponent(legId)}/stream`, regionUrl, undefined)
  }

  /** Speaks a text into a live leg (queue position announcements). */
  async say(legId: string, regionUrl: string | null, text: string, language: string): Promise<void> {
    await this.send('PUT', `/v1/calls/${encodeURIComponent(legId)}/talk`, regionUrl, { text, language })
  }

  private async send<T>(method: string, path: string, regionUrl: string | null | undefined, body: unknown): Promise<T> {
    const base = regionBase(regionUrl) ?? this.config.apiUrl
    const token = tokenGenerate(this.config.applicationId, this.config.privateKey, { ttl: 300 })
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'error',
    })
    const text = await response.text()
    if (!response.ok) throw new VoiceApiError(response.status, `${method} ${path}`, text)
    return (text === '' ? {} : JSON.parse(text)) as T
  }
}

export function regionBase(regionUrl: string | null | undefined): string | undefined {
  if (!regionUrl) return undefined
  try {
    const url = new URL(regionUrl)
    return url.protocol === 'https:' && url.port === '' && REGION_HOST.test(url.hostname) ? url.origin : undefined
  } catch {
    return undefined
  }
}
