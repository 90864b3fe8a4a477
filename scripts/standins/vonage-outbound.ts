/**
 * Plays the webhooks of an answered outbound call for the Vonage stand-in: the call that
 * POST /v1/calls created rings the first leg (the agent's device), whose NCCO joins a named
 * conversation that the agent's leg owns (`endOnExit`) and records. When the bridge, told
 * that the agent answered, creates a second call into the same conversation (the
 * customer's), the customer's leg rings and answers, both hang up, and the conversation's
 * record event follows. Payload shapes follow the simulator's scenarios: status events with
 * `headers: {}` and string `duration`, the record event with `conversation_uuid` and no leg
 * `uuid`.
 */
import { randomUUID } from 'node:crypto'

/** One webhook to send, addressed by the path and query of the URL that Vonage was given. */
export interface OutboundWebhook {
  path: string
  query: Record<string, string>
  body: Record<string, unknown>
}

export interface OutboundPlayback {
  /** Sends one webhook to the bridge, signed as Vonage signs it, and throws when the bridge rejects it. */
  deliver(webhook: OutboundWebhook): Promise<void>
  /** Returns the URL of a recording that the stand-in serves, for the record event. */
  recordingUrl(): string
  /** Seconds the agent and the customer talk. Default 20. */
  talkSeconds?: number
  /** Pause in milliseconds between the ringing, talking and ended phases, so a page can show each. Default 0. */
  phasePauseMs?: number
}

/** One webhook the stand-in sent, with the error when the bridge rejected it. */
export interface PlayedOutboundEvent {
  conversationUuid: string
  leg: 'agent' | 'customer' | 'recording'
  status: string
  error?: string
}

interface NccoAction {
  action?: string
  name?: string
  endOnExit?: boolean
  record?: boolean
  eventUrl?: string[]
}

/** A call created with POST /v1/calls, as the stand-in keeps it. */
export interface CreatedOutboundCall {
  uuid: string
  conversationUuid: string
  body: Record<string, unknown>
}

interface Leg {
  name: 'agent' | 'customer'
  uuid: string
  conversationUuid: string
  from: string
  to: string
  eventUrl: string | undefined
}

const RING_SECONDS = 3
const DEFAULT_TALK_SECONDS = 20

/** Splits a webhook URL into the path and query that the stand-in delivers to; a missing URL means `/vonage/event`. */
function addressOf(url: string | undefined): Pick<OutboundWebhook, 'path' | 'query'> {
  if (url === undefined) return { path: '/vonage/event', query: {} }
  const parsed = new URL(url)
  return { path: parsed.pathname, query: Object.fromEntries(parsed.searchParams) }
}

function wholeSecondsIso(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString()
}

function conversationOf(body: Record<string, unknown>): NccoAction | undefined {
  const ncco = (Array.isArray(body.ncco) ? body.ncco : []) as NccoAction[]
  return ncco.find((action) => action.action === 'conversation' && typeof action.name === 'string')
}

function legOf(name: Leg['name'], call: CreatedOutboundCall): Leg {
  const to = (call.body.to as Array<{ number?: string; uri?: string; user?: string }> | undefined)?.[0]
  return {
    name,
    uuid: call.uuid,
    conversationUuid: call.conversationUuid,
    from: String((call.body.from as { number?: string } | undefined)?.number ?? ''),
    to: String(to?.number ?? to?.uri ?? to?.user ?? ''),
    eventUrl: (call.body.event_url as string[] | undefined)?.[0],
  }
}

/**
 * Plays the call created with `body` (the POST /v1/calls request) when it is a click-to-call:
 * its NCCO joins an outbound conversation (`centralino-out-...`) that the leg ends on exit.
 * Other calls, such as the customer's leg into that conversation or a consulted target, are
 * left alone. `calls` is every call created so far, where the customer's leg is looked up.
 */
export async function playOutboundCall(call: CreatedOutboundCall, calls: CreatedOutboundCall[], playback: OutboundPlayback, played: PlayedOutboundEvent[]): Promise<void> {
  const conversation = conversationOf(call.body)
  if (conversation === undefined || !conversation.name?.startsWith('centralino-out-') || conversation.endOnExit !== true) return
  const agent = legOf('agent', call)
  const namedConversationUuid = `CON-${randomUUID()}`

  const talkSeconds = playback.talkSeconds ?? DEFAULT_TALK_SECONDS
  // Without pauses the virtual clock starts in the past, so no timestamp is later than the moment
  // it is sent. With pauses it starts now, so a page watching the call shows a timer from zero.
  const start = (playback.phasePauseMs ?? 0) > 0 ? Date.now() : Date.now() - (2 * RING_SECONDS + talkSeconds + 5) * 1000
  const at = (seconds: number) => new Date(start + seconds * 1000)
  const agentAnswered = RING_SECONDS
  const customerAnswered = agentAnswered + 1 + RING_SECONDS
  const hangUp = customerAnswered + talkSeconds

  const send = async (leg: Leg['name'] | 'recording', status: string, webhook: OutboundWebhook) => {
    const entry: PlayedOutboundEvent = { conversationUuid: call.conversationUuid, leg, status }
    played.push(entry)
    await playback.deliver(webhook).catch((error: Error) => (entry.error = error.message))
  }
  const status = (leg: Leg, value: string, seconds: number, extra: Record<string, unknown> = {}) =>
    send(leg.name, value, {
      ...addressOf(leg.eventUrl),
      body: { headers: {}, from: leg.from, to: leg.to, uuid: leg.uuid, conversation_uuid: leg.conversationUuid, status: value, direction: 'outbound', ...extra, timestamp: at(seconds).toISOString() },
    })
  const completed = (leg: Leg, answeredAt: number) =>
    status(leg, 'completed', hangUp + 0.3, {
      start_time: wholeSecondsIso(at(answeredAt)),
      end_time: wholeSecondsIso(at(hangUp)),
      duration: String(Math.round(hangUp - answeredAt)),
      rate: '0.01150000',
      price: ((0.0115 * (hangUp - answeredAt)) / 60).toFixed(8),
      network: 'IT-FIXED',
    })
  const pause = () => new Promise((resolve) => setTimeout(resolve, playback.phasePauseMs ?? 0))

  await status(agent, 'started', 0)
  await status(agent, 'ringing', 0)
  await pause()
  await status(agent, 'answered', agentAnswered, { start_time: null, rate: null, network: null })
  // The bridge dials the customer while it handles the answered event, so the call exists by now.
  const dialled = calls.find((candidate) => candidate.uuid !== call.uuid && conversationOf(candidate.body)?.name === conversation.name)
  if (dialled === undefined) {
    played.push({ conversationUuid: call.conversationUuid, leg: 'customer', status: 'not dialled', error: `the bridge did not dial the customer into ${conversation.name}` })
    await completed(agent, agentAnswered)
    return
  }
  const customer = legOf('customer', dialled)
  await status(customer, 'started', agentAnswered + 1)
  await status(customer, 'ringing', agentAnswered + 1)
  await status(customer, 'answered', customerAnswered, { start_time: null, rate: null, network: null })
  await pause()
  await completed(customer, customerAnswered)
  await completed(agent, agentAnswered)
  if (conversation.record !== true) return
  await send('recording', 'recorded', {
    ...addressOf(conversation.eventUrl?.[0]),
    body: {
      start_time: wholeSecondsIso(at(agentAnswered)).replace('.000Z', 'Z'),
      recording_url: playback.recordingUrl(),
      size: Math.round((hangUp - agentAnswered) * 4000),
      recording_uuid: randomUUID(),
      end_time: wholeSecondsIso(at(hangUp)).replace('.000Z', 'Z'),
      conversation_uuid: namedConversationUuid,
      timestamp: at(hangUp + 0.5).toISOString(),
    },
  })
}
