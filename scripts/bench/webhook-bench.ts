/**
 * Webhook benchmarks: answer-webhook latency and status events stored per second, sent
 * over HTTP on 127.0.0.1 to a bridge started in this process.
 */
import { answeredWithRecording, conversationUuidOf, type Delivery } from '../simulator/scenarios'
import { signVonageWebhook } from '../simulator/sign-webhook'
import { APPLICATION_ID, CALLED_NUMBER, SIGNATURE_SECRET, VONAGE_API_KEY, startBenchBridge } from './bench-bridge'
import { runLoad } from './load'
import type { LoadJob, LoadRequest, LoadResult } from './load-types'
import { summarizeLatencies, type LatencySummary } from './stats'

export interface WebhookBenchSettings {
  /** Answer webhooks sent before the measured run and left out of the figures. */
  warmupAnswers: number
  answers: number
  answerConcurrency: number
  /** Calls whose status events are sent. Each answered call has eight status events. */
  eventCalls: number
  eventConcurrency: number
  /** No request of a run starts after this many ms. */
  runDeadlineMs: number
}

export interface RunFigures {
  /** Requests prepared for the run. */
  planned: number
  /** Requests sent, fewer than `planned` only when the run reached its deadline. */
  requests: number
  failures: number
  firstFailure?: string
  stoppedAtDeadline: boolean
  elapsedMs: number
  latency?: LatencySummary
}

export interface WebhookBenchResult {
  answers: RunFigures
  events: RunFigures & { perSecond: number }
  warnings: number
}

const REQUEST_TIMEOUT_MS = 10_000

/** Signs a delivery as Vonage does, with a fresh `jti` and `iat` of now. */
export function signDelivery(delivery: Delivery): LoadRequest {
  const query = new URLSearchParams(delivery.query ?? {})
  const queryString = query.toString()
  const path = `${delivery.path}${queryString ? `?${queryString}` : ''}`
  const body = delivery.method === 'POST' ? JSON.stringify(delivery.body ?? {}) : undefined
  const token = signVonageWebhook({
    secret: SIGNATURE_SECRET,
    body,
    query: delivery.method === 'GET' ? query : undefined,
    apiKey: VONAGE_API_KEY,
    applicationId: APPLICATION_ID,
  })
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  return { method: delivery.method, path, headers, body }
}

/** Builds `count` answered and recorded calls, each with its own conversation id and caller. */
function buildCalls(count: number, firstCaller: number): Delivery[][] {
  const startAt = new Date()
  return Array.from({ length: count }, (_, index) =>
    answeredWithRecording({
      callerNumber: `39347${String(firstCaller + index).padStart(7, '0')}`,
      calledNumber: CALLED_NUMBER,
      startAt,
    }),
  )
}

function answerOf(call: Delivery[]): Delivery {
  const answer = call.find((delivery) => delivery.path === '/vonage/answer')
  if (answer === undefined) throw new Error(`call ${conversationUuidOf(call)} has no answer webhook`)
  return answer
}

function isStatusEvent(delivery: Delivery): boolean {
  return delivery.path === '/vonage/event' && typeof delivery.body?.status === 'string'
}

/**
 * Orders the status events round-robin across calls: the first event of every call, then
 * the second, and so on. Each call's events keep their order, and concurrent requests
 * mostly belong to different calls, as on a line with many calls at once.
 */
function interleaveStatusEvents(calls: Delivery[][]): Delivery[] {
  const perCall = calls.map((call) => call.filter(isStatusEvent))
  const longest = Math.max(...perCall.map((events) => events.length))
  const ordered: Delivery[] = []
  for (let position = 0; position < longest; position += 1) {
    for (const events of perCall) {
      if (position < events.length) ordered.push(events[position])
    }
  }
  return ordered
}

function figuresOf(planned: number, result: LoadResult): RunFigures {
  return {
    planned,
    requests: result.sent,
    failures: result.failures,
    firstFailure: result.firstFailure,
    stoppedAtDeadline: result.stoppedAtDeadline,
    elapsedMs: result.elapsedMs,
    latency: result.latenciesMs.length > 0 ? summarizeLatencies(result.latenciesMs) : undefined,
  }
}

/**
 * Starts a bridge on the given database, sends the warm-up answers, the measured answers,
 * then the status events of the first `eventCalls` answered calls, and stops the bridge.
 * Requests are signed just before each run, because the bridge accepts a token only
 * within VONAGE_SIGNATURE_MAX_AGE_SECONDS (300 s by default) of its `iat`.
 */
export async function runWebhookBench(settings: WebhookBenchSettings, databaseUrl?: string): Promise<WebhookBenchResult> {
  if (settings.eventCalls > settings.answers) throw new Error('eventCalls must not exceed answers: events are sent for answered calls')
  const bench = await startBenchBridge({ databaseUrl })
  try {
    const job = (requests: LoadRequest[], concurrency: number, expectedStatus: number): LoadJob => ({
      baseUrl: bench.url,
      requests,
      concurrency,
      expectedStatus,
      deadlineMs: settings.runDeadlineMs,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    })

    const warmupCalls = buildCalls(settings.warmupAnswers, 0)
    const warmup = await runLoad(job(warmupCalls.map((call) => signDelivery(answerOf(call))), settings.answerConcurrency, 200))
    if (warmup.failures > 0) throw new Error(`${warmup.failures} warm-up answer webhooks failed, the first with: ${warmup.firstFailure}`)

    const calls = buildCalls(settings.answers, settings.warmupAnswers)
    const answerRequests = calls.map((call) => signDelivery(answerOf(call)))
    const answers = figuresOf(answerRequests.length, await runLoad(job(answerRequests, settings.answerConcurrency, 200)))

    const statusEvents = interleaveStatusEvents(calls.slice(0, settings.eventCalls)).map(signDelivery)
    const eventRun = await runLoad(job(statusEvents, settings.eventConcurrency, 204))
    const stored = eventRun.latenciesMs.length
    const events = { ...figuresOf(statusEvents.length, eventRun), perSecond: stored / (eventRun.elapsedMs / 1000) }

    const expectedRows = warmup.latenciesMs.length + (answers.latency?.count ?? 0) + stored
    const rows = await bench.bridge.db.query<{ count: number }>('SELECT count(*)::int AS count FROM call_events')
    if (rows.rows[0].count !== expectedRows) {
      throw new Error(`the bridge returned success for ${expectedRows} webhooks but stored ${rows.rows[0].count} rows in call_events`)
    }

    return { answers, events, warnings: bench.logs.warnings }
  } finally {
    await bench.close()
  }
}
