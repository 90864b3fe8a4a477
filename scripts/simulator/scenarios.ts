/**
 * Webhook sequences that Vonage sends to the bridge for one inbound call, built from the
 * payloads that Vonage documents and that were captured from real traffic.
 * - The answer webhook is a GET with the call in its query string.
 * - Status events are POSTed JSON with `headers: {}` and string-typed `duration`, `rate` and `price`.
 * - The record event carries `conversation_uuid` but no leg `uuid`.
 * - Leg ids are 32 lowercase hex digits, and conversation ids are `CON-` plus a UUID.
 *
 * The bridge's NCCO connects the caller to an agent, so each call has two legs in one
 * conversation: the inbound caller leg and an outbound agent leg.
 */
import { randomUUID } from 'node:crypto'

export type WebhookPath = '/vonage/answer' | '/vonage/event' | '/vonage/fallback'

export interface Delivery {
  method: 'GET' | 'POST'
  path: WebhookPath
  query?: Record<string, string>
  body?: Record<string, unknown>
}

export interface ScenarioInput {
  /**
   * The caller as Vonage writes numbers: E.164 digits without `+`, such as `393471234567`.
   * `'Unknown'` is a withheld number, and `''` leaves `from` out of every payload.
   */
  callerNumber: string
  /** The Vonage number that was dialled, in the same format. */
  calledNumber: string
  /** Builds the recording URL for a file id. Default: Vonage's `https://api.nexmo.com/v1/files/{id}`. */
  recordingUrl?: (fileId: string) => string
  startAt: Date
  /** The destination that the bridge's NCCO connects to. Default `390212345678`. */
  agentNumber?: string
  /** Seconds of conversation for an answered call, or of message for a voicemail. */
  talkSeconds?: number
  /** The `region_url` of the answer webhook. Default `https://api-eu-3.vonage.com`. */
  regionUrl?: string
}

type Direction = 'inbound' | 'outbound'

interface Leg {
  uuid: string
  from: string | undefined
  to: string
  direction: Direction
  /** Per-minute price in EUR, as Vonage formats it. */
  rate: string
  network: string
}

const DEFAULT_AGENT_NUMBER = '390212345678'
const DEFAULT_REGION_URL = 'https://api-eu-3.vonage.com'
/** Vonage records MP3 at a constant 32 kbps, so one second is 4,000 bytes. */
const RECORDING_BYTES_PER_SECOND = 4000

function legId(): string {
  return randomUUID().replace(/-/g, '')
}

function defaultRecordingUrl(fileId: string): string {
  return `https://api.nexmo.com/v1/files/${fileId}`
}

/** Formats a time the way `start_time` and `end_time` of a completed event look: whole seconds with `.000Z`. */
function wholeSecondsIso(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString()
}

/** Formats a time the way the record event's `start_time` and `end_time` look: `2020-07-14T01:23:04Z`. */
function recordEventTime(date: Date): string {
  return wholeSecondsIso(date).replace('.000Z', 'Z')
}

function priceFor(rate: string, durationSeconds: number): string {
  return ((Number(rate) * durationSeconds) / 60).toFixed(8)
}

/** Collects the deliveries of one call in the order Vonage would send them. */
class CallBuilder {
  readonly conversationUuid = `CON-${randomUUID()}`
  readonly deliveries: Delivery[] = []
  readonly caller: Leg
  readonly agent: Leg

  constructor(private readonly input: ScenarioInput) {
    this.caller = {
      uuid: legId(),
      from: input.callerNumber === '' ? undefined : input.callerNumber,
      to: input.calledNumber,
      direction: 'inbound',
      rate: '0.00450000',
      network: '22201',
    }
    this.agent = {
      uuid: legId(),
      from: input.calledNumber,
      to: input.agentNumber ?? DEFAULT_AGENT_NUMBER,
      direction: 'outbound',
      rate: '0.01150000',
      network: 'IT-FIXED',
    }
  }

  at(seconds: number): Date {
    return new Date(this.input.startAt.getTime() + seconds * 1000)
  }

  /** Adds the answer webhook, with its query keys in the order of a captured request. */
  answer(): void {
    const query: Record<string, string> = { to: this.caller.to }
    if (this.caller.from !== undefined) {
      query.from = this.caller.from
    }
    Object.assign(query, {
      endpoint_type: 'phone',
      conversation_uuid: this.conversationUuid,
      region_url: this.input.regionUrl ?? DEFAULT_REGION_URL,
      uuid: this.caller.uuid,
    })
    this.deliveries.push({ method: 'GET', path: '/vonage/answer', query })
  }

  private legFields(leg: Leg): Record<string, unknown> {
    return {
      headers: {},
      ...(leg.from === undefined ? {} : { from: leg.from }),
      to: leg.to,
      uuid: leg.uuid,
      conversation_uuid: this.conversationUuid,
    }
  }

  private postEvent(body: Record<string, unknown>, query?: Record<string, string>): void {
    this.deliveries.push({ method: 'POST', path: '/vonage/event', ...(query ? { query } : {}), body })
  }

  /** Adds a status event. `extra` contains the fields that only some statuses carry. */
  status(leg: Leg, status: string, seconds: number, extra: Record<string, unknown> = {}): void {
    this.postEvent({
      ...this.legFields(leg),
      status,
      direction: leg.direction,
      ...extra,
      timestamp: this.at(seconds).toISOString(),
    })
  }

  /** Adds `answered`, whose money and network fields are still null. */
  answered(leg: Leg, seconds: number): void {
    this.status(leg, 'answered', seconds, { start_time: null, rate: null, network: null })
  }

  /**
   * Adds `completed` with the call summary. A leg that never connected gets a zero duration
   * and price. NOTE: the exact start_time that Vonage reports for such a leg is a guess.
   */
  completed(leg: Leg, answeredAtSeconds: number | null, endedAtSeconds: number): void {
    const startSeconds = answeredAtSeconds ?? endedAtSeconds
    const duration = Math.round(endedAtSeconds - startSeconds)
    this.status(leg, 'completed', endedAtSeconds + 0.3, {
      end_time: wholeSecondsIso(this.at(endedAtSeconds)),
      network: leg.network,
      duration: String(duration),
      start_time: wholeSecondsIso(this.at(startSeconds)),
      rate: answeredAtSeconds === null ? '0.00000000' : leg.rate,
      price: answeredAtSeconds === null ? '0.00000000' : priceFor(leg.rate, duration),
    })
  }

  /** Adds the record event to `/vonage/event?recording=<kind>`. */
  recording(kind: 'call' | 'voicemail', startSeconds: number, endSeconds: number): void {
    const fileId = randomUUID()
    const recordingUrl = (this.input.recordingUrl ?? defaultRecordingUrl)(fileId)
    const body = {
      start_time: recordEventTime(this.at(startSeconds)),
      recording_url: recordingUrl,
      size: Math.round((endSeconds - startSeconds) * RECORDING_BYTES_PER_SECOND),
      recording_uuid: randomUUID(),
      end_time: recordEventTime(this.at(endSeconds)),
      conversation_uuid: this.conversationUuid,
      timestamp: this.at(endSeconds + 0.5).toISOString(),
    }
    this.postEvent(body, { recording: kind })
  }

  /** Adds the start of every scenario: the answer webhook, then the events of Vonage answering the caller's leg. */
  callerArrives(): void {
    this.answer()
    this.status(this.caller, 'started', 0.1)
    this.status(this.caller, 'ringing', 0.1)
    this.answered(this.caller, 0.3)
  }

  /** Adds the agent leg that the NCCO's connect action creates. Its `started` and `ringing` share a timestamp. */
  agentRings(atSeconds: number): void {
    this.status(this.agent, 'started', atSeconds)
    this.status(this.agent, 'ringing', atSeconds)
  }
}

const CALLER_ANSWERED_AT = 0.3
const AGENT_DIALLED_AT = 1
const DEFAULT_TALK_SECONDS = 20
const DEFAULT_VOICEMAIL_SECONDS = 8
/** Ring time in seconds before the connect action gives up. The bridge's NCCO may use another value. */
const RING_TIMEOUT_SECONDS = 20

/** Builds a call that the agent answers. They talk, the caller hangs up, and the whole-call recording arrives. */
export function answeredWithRecording(input: ScenarioInput): Delivery[] {
  const call = new CallBuilder(input)
  const agentAnsweredAt = AGENT_DIALLED_AT + 5
  const hangUpAt = agentAnsweredAt + (input.talkSeconds ?? DEFAULT_TALK_SECONDS)

  call.callerArrives()
  call.agentRings(AGENT_DIALLED_AT)
  call.answered(call.agent, agentAnsweredAt)
  call.completed(call.caller, CALLER_ANSWERED_AT, hangUpAt)
  call.completed(call.agent, agentAnsweredAt, hangUpAt)
  call.recording('call', CALLER_ANSWERED_AT, hangUpAt)
  return call.deliveries
}

/** Builds a call that the agent's phone rejects (`unanswered`), so the NCCO and the call end without a recording. */
export function missed(input: ScenarioInput): Delivery[] {
  const call = new CallBuilder(input)
  const rejectedAt = AGENT_DIALLED_AT + 8

  call.callerArrives()
  call.agentRings(AGENT_DIALLED_AT)
  call.status(call.agent, 'unanswered', rejectedAt, { detail: 'unavailable', sip_code: 480 })
  call.completed(call.agent, null, rejectedAt)
  call.completed(call.caller, CALLER_ANSWERED_AT, rejectedAt + 0.5)
  return call.deliveries
}

/** Builds a call that no agent answers before the ring timeout, so the caller leaves a voicemail and hangs up. */
export function voicemail(input: ScenarioInput): Delivery[] {
  const call = new CallBuilder(input)
  const timedOutAt = AGENT_DIALLED_AT + RING_TIMEOUT_SECONDS
  const recordingStartsAt = timedOutAt + 4 // after the voicemail greeting and the beep
  const recordingEndsAt = recordingStartsAt + (input.talkSeconds ?? DEFAULT_VOICEMAIL_SECONDS)

  call.callerArrives()
  call.agentRings(AGENT_DIALLED_AT)
  call.status(call.agent, 'timeout', timedOutAt)
  call.completed(call.agent, null, timedOutAt)
  call.recording('voicemail', recordingStartsAt, recordingEndsAt)
  call.completed(call.caller, CALLER_ANSWERED_AT, recordingEndsAt + 2)
  return call.deliveries
}

/** Builds a call that the caller ends while the agent's phone still rings, so Vonage cancels the agent leg. */
export function abandoned(input: ScenarioInput): Delivery[] {
  const call = new CallBuilder(input)
  const hangUpAt = AGENT_DIALLED_AT + 12

  call.callerArrives()
  call.agentRings(AGENT_DIALLED_AT)
  call.completed(call.caller, CALLER_ANSWERED_AT, hangUpAt)
  call.status(call.agent, 'cancelled', hangUpAt + 0.1)
  call.completed(call.agent, null, hangUpAt + 0.1)
  return call.deliveries
}

/**
 * Builds an answered, recorded call from a withheld number. `callerNumber: ''` leaves `from`
 * out of the payloads, and any other value is replaced by `'Unknown'`.
 */
export function withheld(input: ScenarioInput): Delivery[] {
  const callerNumber = input.callerNumber === '' ? '' : 'Unknown'
  return answeredWithRecording({ ...input, callerNumber })
}

export const scenarios = { answeredWithRecording, missed, voicemail, abandoned, withheld }

export type ScenarioName = keyof typeof scenarios

/** Returns the `conversation_uuid` that every delivery of a scenario shares. */
export function conversationUuidOf(deliveries: Delivery[]): string {
  const first = deliveries[0]
  const uuid = first?.query?.conversation_uuid ?? first?.body?.conversation_uuid
  if (typeof uuid !== 'string') {
    throw new Error('conversationUuidOf: the first delivery has no conversation_uuid')
  }
  return uuid
}

function isRetriedByVonage(delivery: Delivery): boolean {
  if (delivery.path === '/vonage/answer') {
    return true
  }
  const body = delivery.body ?? {}
  return body.status === 'completed' || 'recording_url' in body
}

/**
 * Sends the answer webhook, every `completed` event and every record event twice in a row,
 * as after a timed-out delivery that Vonage retried. Each copy is a deep clone.
 */
export function duplicate(deliveries: Delivery[]): Delivery[] {
  return deliveries.flatMap((delivery) =>
    isRetriedByVonage(delivery) ? [delivery, structuredClone(delivery)] : [delivery],
  )
}

/** mulberry32: a small seeded generator of numbers in [0, 1), so a seed always gives the same order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Returns the deliveries in a random order that depends only on `seed`. The first answer
 * webhook stays first and only what follows it is reordered, because Vonage does not
 * guarantee the order of events.
 */
export function shuffle(deliveries: Delivery[], seed: number): Delivery[] {
  const answerIndex = deliveries.findIndex((delivery) => delivery.path === '/vonage/answer')
  const head = answerIndex === -1 ? [] : [deliveries[answerIndex]]
  const rest = deliveries.filter((_, index) => index !== answerIndex)

  const random = seededRandom(seed)
  for (let i = rest.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1))
    ;[rest[i], rest[j]] = [rest[j], rest[i]]
  }
  return [...head, ...rest]
}
