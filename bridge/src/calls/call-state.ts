/**
 * Derives a call's state from the full set of its stored events. The result depends only
 * on which events exist, never on their arrival order, because Vonage does not guarantee
 * order (a `completed` can arrive before `answered`) and sends duplicates.
 */

export type CallOutcome = 'answered' | 'missed' | 'voicemail' | 'abandoned'

export interface StoredEvent {
  kind: string
  status: string | null
  legId: string | null
  payload: Record<string, unknown>
  receivedAt: Date
}

export interface LegState {
  id: string
  direction?: string
  from?: string
  to?: string
  status: string
  /** The failure status (busy, timeout, ...) when the leg had one before `completed`. */
  detail?: string
  startedAt?: Date
  answeredAt?: Date
  endedAt?: Date
  durationSeconds?: number
}

export interface CallState {
  status: 'in_progress' | 'completed'
  outcome?: CallOutcome
  legs: LegState[]
  startedAt?: Date
  answeredAt?: Date
  endedAt?: Date
  durationSeconds?: number
  talkSeconds?: number
}

const STATUS_RANK: Record<string, number> = {
  started: 1,
  ringing: 2,
  answered: 3,
  human: 3,
  machine: 3,
  busy: 4,
  cancelled: 4,
  unanswered: 4,
  disconnected: 4,
  rejected: 4,
  failed: 4,
  timeout: 4,
  completed: 5,
}
/** Tie-break between two failure statuses on one leg, so the result stays order-free. */
const FAILURE_ORDER = ['rejected', 'failed', 'busy', 'unanswered', 'timeout', 'cancelled', 'disconnected']
const NOT_ANSWERED = new Set(['busy', 'unanswered', 'rejected', 'failed', 'timeout'])

export function deriveCallState(events: StoredEvent[], callerLegId: string | null): CallState {
  const legs = deriveLegs(events)
  const callerLeg = findCallerLeg(legs, callerLegId)
  const agentLegs = legs.filter((leg) => leg !== callerLeg)
  const answerEvent = events.find((event) => event.kind === 'answer')

  const startCandidates = [callerLeg?.startedAt, answerEvent?.receivedAt].filter(isDate)
  const startedAt = earliest(startCandidates)
  const answeredLegs = agentLegs.filter((leg) => leg.answeredAt !== undefined)
  const answeredAt = earliest(answeredLegs.map((leg) => leg.answeredAt).filter(isDate))
  const ended = callerLeg !== undefined && (callerLeg.status === 'completed' || callerLeg.status === 'rejected')

  const state: CallState = { status: ended ? 'completed' : 'in_progress', legs, startedAt, answeredAt }
  if (!ended || callerLeg === undefined) return state

  state.endedAt = callerLeg.endedAt
  state.durationSeconds = callerLeg.durationSeconds ?? secondsBetween(startedAt, callerLeg.endedAt)
  const talkLeg = answeredLegs.sort((a, b) => a.id.localeCompare(b.id))[0]
  if (talkLeg) state.talkSeconds = talkLeg.durationSeconds ?? secondsBetween(talkLeg.answeredAt, talkLeg.endedAt)
  state.outcome = deriveOutcome(events, agentLegs)
  return state
}

function deriveOutcome(events: StoredEvent[], agentLegs: LegState[]): CallOutcome {
  if (events.some((event) => event.kind === 'record' && event.status === 'voicemail')) return 'voicemail'
  if (agentLegs.some((leg) => leg.answeredAt !== undefined)) return 'answered'
  if (agentLegs.some((leg) => leg.detail !== undefined && NOT_ANSWERED.has(leg.detail))) return 'missed'
  return 'abandoned'
}

function deriveLegs(events: StoredEvent[]): LegState[] {
  const byLeg = new Map<string, StoredEvent[]>()
  for (const event of events) {
    if (event.kind !== 'status' || event.legId === null || event.status === null) continue
    byLeg.set(event.legId, [...(byLeg.get(event.legId) ?? []), event])
  }
  return [...byLeg.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, legEvents]) => deriveLeg(id, legEvents))
}

function deriveLeg(id: string, events: StoredEvent[]): LegState {
  const rank = (event: StoredEvent) => STATUS_RANK[event.status ?? ''] ?? 0
  const top = events.reduce((best, event) => (rank(event) > rank(best) ? event : best))
  const failures = events.map((event) => event.status ?? '').filter((status) => FAILURE_ORDER.includes(status))
  const detail = failures.sort((a, b) => FAILURE_ORDER.indexOf(a) - FAILURE_ORDER.indexOf(b))[0]
  const find = (status: string) => events.find((event) => event.status === status)
  const completed = find('completed')
  const answered = find('answered')
  const timestamps = events.map((event) => eventTime(event)).filter(isDate)

  return {
    id,
    direction: firstText(events, 'direction'),
    from: firstText(events, 'from'),
    to: firstText(events, 'to'),
    status: top.status ?? 'unknown',
    detail,
    startedAt: earliest(timestamps),
    answeredAt: answered
      ? (eventTime(answered) ?? parseTime(completed?.payload.start_time))
      : answeredWithoutEvent(completed, detail),
    endedAt: completed ? (parseTime(completed.payload.end_time) ?? eventTime(completed)) : undefined,
    durationSeconds: completed ? parseSeconds(completed.payload.duration) : undefined,
  }
}

/** A lost `answered` event still shows in `completed`: a talk time above zero and no failure. */
function answeredWithoutEvent(completed: StoredEvent | undefined, detail: string | undefined): Date | undefined {
  if (completed === undefined || detail !== undefined) return undefined
  if ((parseSeconds(completed.payload.duration) ?? 0) <= 0) return undefined
  return parseTime(completed.payload.start_time) ?? eventTime(completed)
}

function findCallerLeg(legs: LegState[], callerLegId: string | null): LegState | undefined {
  if (callerLegId !== null) return legs.find((leg) => leg.id === callerLegId)
  return legs.find((leg) => leg.direction === 'inbound')
}

function firstText(events: StoredEvent[], key: string): string | undefined {
  const values = events.map((event) => event.payload[key]).filter((value): value is string => typeof value === 'string')
  return values.sort()[0]
}

function eventTime(event: StoredEvent): Date | undefined {
  return parseTime(event.payload.timestamp)
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

function parseSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'number' ? value : Number(value)
  return value !== null && value !== undefined && value !== '' && Number.isFinite(seconds) ? Math.round(seconds) : undefined
}

function secondsBetween(start: Date | undefined, end: Date | undefined): number | undefined {
  return start && end ? Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000)) : undefined
}

function earliest(dates: Date[]): Date | undefined {
  return dates.length === 0 ? undefined : new Date(Math.min(...dates.map((date) => date.getTime())))
}

function isDate(value: Date | undefined): value is Date {
  return value !== undefined
}
