import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config'
import { normalizeCaller } from '../calls/phone-number'
import type { EventStore, RecordingKind } from '../calls/event-store'
import { unsupportedMediaType, webhookPayloadInvalid } from '../errors'
import type { Language } from '../i18n/language'
import { describeDestination } from './destination'
import { buildAnswerNcco, buildVoicemailNcco, type Ncco } from './ncco'
import type { Queryable } from '../db/database'
import type { RoutedCall } from '../routing/router'
import { parseAnswer, parseEvent, payloadFromQuery } from './webhook-event'
import { verifyWebhook, type WebhookClaims } from './webhook-signature'

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer
  }
}

/** Statuses of the connected leg after which Vonage asks the connect event URL for a new NCCO. */
const CONNECT_FAILURES = new Set(['busy', 'unanswered', 'rejected', 'failed', 'timeout'])

export interface WebhookDeps {
  config: Config
  store: EventStore
  routing: RoutingHooks
}

/** The routing calls the webhooks make; the bridge wires them to the router and the ACD loop. */
export interface RoutingHooks {
  /** Builds the answer NCCO from the called number's IVR flow, or returns undefined when it has none. */
  answerWithFlow(tx: Queryable, call: RoutedCall, calledE164: string | undefined): Promise<Ncco | undefined>
  onIvrInput(callId: string, nodeId: string, digits: string): Promise<Ncco>
  /** The call an offer belongs to, for events of the agent leg it rang. */
  callOfOffer(offerId: string): Promise<string | undefined>
  onOfferStatus(offerId: string, status: string): Promise<void>
  /**
   * A status of a leg of a call that is not an offer's, a supervisor's or a transfer
   * target's: the caller's leg, or a leg of an outbound call, which may dial the customer.
   * publicUrl is where the customer's leg reports.
   */
  onCallLegStatus(callId: string, legId: string | null, status: string, publicUrl: string): Promise<void>
  /** The outbound call that a customer leg (by call id) or an outbound conversation (by name) belongs to. */
  callOfOutbound(key: { callId?: string; conversation?: string }): Promise<string | undefined>
  /** A status of a supervisor's leg; the end of the leg ends the monitoring session. */
  onMonitorStatus(sessionId: string, status: string): Promise<void>
  /** A status of a consulted target's leg (a transfer's), kept out of the call's own state. */
  onTransferStatus(transferId: string, status: string): Promise<void>
  /** A key pressed by a caller waiting in a queue; returns the NCCO to switch to, if any. */
  onQueueKey(callId: string, digits: string): Promise<Ncco | undefined>
}

/**
 * The Vonage application's webhooks: answer, event and fallback, each as GET (query
 * string) or POST (JSON or form body). Every request must carry a valid signature.
 */
export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  // The signature covers the exact body bytes, so bodies are kept raw and parsed here.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer
    try {
      done(null, parseBody(request.headers['content-type'] ?? '', body as Buffer))
    } catch (error) {
      done(error as Error)
    }
  })
  app.addContentTypeParser('*', (request, _payload, done) => done(unsupportedMediaType(request.headers['content-type'] ?? '')))

  const answer = (request: FastifyRequest, reply: FastifyReply) => handleAnswer(deps, request, reply)
  const event = (request: FastifyRequest, reply: FastifyReply) => handleEvent(deps, request, reply)
  const fallback = (request: FastifyRequest, reply: FastifyReply) => {
    const original = readPayload(request).original_request as { type?: string } | undefined
    return original?.type === 'event' ? handleEvent(deps, request, reply) : handleAnswer(deps, request, reply)
  }
  app.route({ method: ['GET', 'POST'], url: '/vonage/answer', handler: answer })
  app.route({ method: ['GET', 'POST'], url: '/vonage/event', handler: event })
  app.route({ method: ['GET', 'POST'], url: '/vonage/fallback', handler: fallback })
}

/** Returns the keys pressed in an input event ("" when the caller pressed none). */
function readDigits(payload: Record<string, unknown>): string {
  const dtmf = payload.dtmf as { digits?: unknown } | undefined
  return typeof dtmf?.digits === 'string' ? dtmf.digits : ''
}

function parseBody(contentType: string, body: Buffer): unknown {
  if (body.length === 0) return {}
  if (contentType.startsWith('application/x-www-form-urlencoded')) return payloadFromQuery(new URLSearchParams(body.toString('utf8')))
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw webhookPayloadInvalid('the body is not valid JSON')
  }
}

function verify(deps: WebhookDeps, request: FastifyRequest): WebhookClaims {
  return verifyWebhook(
    {
      method: request.method,
      authorization: request.headers.authorization,
      rawBody: request.rawBody,
      rawQuery: rawQuery(request),
    },
    deps.config.vonage.signatureSecret,
    deps.config.vonage.signatureMaxAgeSeconds,
  )
}

function rawQuery(request: FastifyRequest): string {
  const index = request.url.indexOf('?')
  return index === -1 ? '' : request.url.slice(index + 1)
}

/** Returns the webhook fields: the query for GET, the body for POST (our own query keys aside). */
function readPayload(request: FastifyRequest): Record<string, unknown> {
  if (request.method === 'GET' || request.rawBody === undefined) return payloadFromQuery(new URLSearchParams(rawQuery(request)))
  const body = request.body
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw webhookPayloadInvalid('the body must be a JSON object')
  return body as Record<string, unknown>
}

/**
 * Stores the answer webhook and returns its NCCO: the called number's IVR flow when it has
 * one, else the greeting that connects to DEFAULT_DESTINATION.
 */
async function handleAnswer(deps: WebhookDeps, request: FastifyRequest, reply: FastifyReply) {
  const claims = verify(deps, request)
  const payload = readPayload(request)
  const answer = parseAnswer(payload)
  const { vonage, publicUrl } = deps.config

  const caller = normalizeCaller(answer.from, vonage.defaultCountry)
  const called = normalizeCaller(answer.to, vonage.defaultCountry)
  const calledE164 = called.kind === 'number' ? called.e164 : undefined
  const callerE164 = caller.kind === 'number' ? caller.e164 : undefined
  const language: Language = (calledE164 && vonage.numberLanguages.get(calledE164)) || vonage.defaultLanguage

  const defaultNcco = () =>
    buildAnswerNcco({
      language,
      destination: vonage.defaultDestination,
      calledNumber: answer.to,
      publicUrl,
      connectTimeoutSeconds: vonage.connectTimeoutSeconds,
    })
  const routedCall = { id: answer.conversationId, language, fromE164: callerE164 ?? null, callerLegId: answer.legId, regionUrl: answer.regionUrl ?? null }
  const newCall = {
    id: answer.conversationId,
    callerLegId: answer.legId,
    fromRaw: answer.from ?? answer.fromUser,
    toRaw: answer.to,
    fromE164: callerE164,
    toE164: calledE164,
    callerWithheld: caller.kind === 'withheld',
    language,
    destination: describeDestination(vonage.defaultDestination),
    regionUrl: answer.regionUrl,
  }

  const result = await deps.store.recordAnswer(newCall, payload, claims, async (tx) => (await deps.routing.answerWithFlow(tx, routedCall, calledE164)) ?? defaultNcco())
  request.log.child({ callId: answer.conversationId, legId: answer.legId }).info({ duplicate: result.duplicate, language }, 'call answered')
  return reply.code(200).type('application/json').send(result.ncco)
}

async function handleEvent(deps: WebhookDeps, request: FastifyRequest, reply: FastifyReply) {
  const claims = verify(deps, request)
  const payload = readPayload(request)
  const event = parseEvent(payload)
  const query = request.query as Record<string, string | undefined>
  const recordingKind: RecordingKind = query.recording === 'voicemail' ? 'voicemail' : 'call'
  const offerId = query.step === 'offer' || query.step === 'callback' ? query.offer : undefined
  const offerCall = offerId ? await deps.routing.callOfOffer(offerId) : undefined
  const monitorSession = query.step === 'monitor' ? query.session : undefined
  const transferId = query.step === 'transfer' ? query.transfer : undefined
  const outboundKey = query.step === 'customer' ? { callId: query.call ?? '' } : query.outbound !== undefined ? { conversation: query.outbound } : undefined
  const outboundCall = outboundKey !== undefined ? await deps.routing.callOfOutbound(outboundKey) : undefined
  const knownCall = monitorSession !== undefined || transferId !== undefined ? null : (offerCall ?? outboundCall)
  const { callId, duplicate } = await deps.store.recordEvent(event, payload, claims, recordingKind, knownCall)
  if (monitorSession !== undefined && event.kind === 'status') {
    await deps.routing.onMonitorStatus(monitorSession, event.status)
    return reply.code(204).send()
  }
  if (transferId !== undefined) {
    if (event.kind === 'status') await deps.routing.onTransferStatus(transferId, event.status)
    return reply.code(204).send()
  }
  const log = request.log.child({ callId, legId: event.legId })
  log.info({ kind: event.kind, status: event.kind === 'status' ? event.status : undefined, duplicate }, 'call event stored')
  if (callId === null) log.warn('event names no known call; stored without a call')

  if (query.step === 'ivr' && callId !== null && query.node) {
    const digits = readDigits(payload)
    log.info({ node: query.node, digits }, 'IVR key press')
    return reply.code(200).type('application/json').send(await deps.routing.onIvrInput(callId, query.node, digits))
  }
  if (query.step === 'queue-key' && callId !== null) {
    const ncco = await deps.routing.onQueueKey(callId, readDigits(payload))
    if (ncco) return reply.code(200).type('application/json').send(ncco)
    return reply.code(204).send()
  }
  if (query.step === 'offer' && offerId && event.kind === 'status') await deps.routing.onOfferStatus(offerId, event.status)
  if (event.kind === 'status' && callId !== null && !offerId) {
    await deps.routing.onCallLegStatus(callId, event.legId ?? null, event.status, deps.config.publicUrl)
  }
  if (query.step === 'connect' && event.kind === 'status' && CONNECT_FAILURES.has(event.status) && callId !== null) {
    const language = await deps.store.callLanguage(callId)
    log.info({ status: event.status }, 'destination did not answer; taking a voicemail')
    return reply.code(200).type('application/json').send(buildVoicemailNcco(language, deps.config.publicUrl))
  }
  return reply.code(204).send()
}
