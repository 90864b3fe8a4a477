import { deriveCallState, type StoredEvent } from '../../src/calls/call-state'

const CALLER = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const AGENT = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'

function status(leg: string, value: string, at: string, extra: Record<string, unknown> = {}): StoredEvent {
  const direction = leg === CALLER ? 'inbound' : 'outbound'
  return { kind: 'status', status: value, legId: leg, payload: { uuid: leg, status: value, direction, timestamp: at, ...extra }, receivedAt: new Date(at) }
}

const answer: StoredEvent = { kind: 'answer', status: null, legId: CALLER, payload: { uuid: CALLER }, receivedAt: new Date('2026-12-01T10:00:00.000Z') }

const answeredCall: StoredEvent[] = [
  answer,
  status(CALLER, 'started', '2026-12-01T10:00:00.100Z'),
  status(CALLER, 'ringing', '2026-12-01T10:00:00.100Z'),
  status(CALLER, 'answered', '2026-12-01T10:00:00.300Z'),
  status(AGENT, 'started', '2026-12-01T10:00:01.000Z'),
  status(AGENT, 'ringing', '2026-12-01T10:00:01.500Z'),
  status(AGENT, 'answered', '2026-12-01T10:00:06.000Z'),
  status(AGENT, 'completed', '2026-12-01T10:00:26.000Z', { duration: '20', start_time: '2026-12-01T10:00:06.000Z', end_time: '2026-12-01T10:00:26.000Z' }),
  status(CALLER, 'completed', '2026-12-01T10:00:26.100Z', { duration: '26', start_time: '2026-12-01T10:00:00.300Z', end_time: '2026-12-01T10:00:26.000Z' }),
]

/** Returns `count` seeded shuffles of the events. */
function orderings(events: StoredEvent[], count: number): StoredEvent[][] {
  const result: StoredEvent[][] = []
  let seed = 7
  for (let index = 0; index < count; index += 1) {
    const copy = [...events]
    for (let i = copy.length - 1; i > 0; i -= 1) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      const j = seed % (i + 1)
      ;[copy[i], copy[j]] = [copy[j], copy[i]]
    }
    result.push(copy)
  }
  return result
}

describe('deriveCallState', () => {
  it('summarises an answered call', () => {
    const state = deriveCallState(answeredCall, CALLER)
    expect(state.status).toBe('completed')
    expect(state.outcome).toBe('answered')
    expect(state.durationSeconds).toBe(26)
    expect(state.talkSeconds).toBe(20)
    expect(state.startedAt?.toISOString()).toBe('2026-12-01T10:00:00.000Z')
    expect(state.answeredAt?.toISOString()).toBe('2026-12-01T10:00:06.000Z')
    expect(state.endedAt?.toISOString()).toBe('2026-12-01T10:00:26.000Z')
  })

  it('gives the same state for any arrival order', () => {
    const expected = deriveCallState(answeredCall, CALLER)
    for (const order of orderings(answeredCall, 200)) {
      expect(deriveCallState(order, CALLER)).toEqual(expected)
    }
  })

  it('keeps a call in progress until the caller leg completes', () => {
    const state = deriveCallState(answeredCall.slice(0, 7), CALLER)
    expect(state.status).toBe('in_progress')
    expect(state.outcome).toBeUndefined()
  })

  it('reads completed before answered as answered', () => {
    const state = deriveCallState([answeredCall[8], answeredCall[7], answeredCall[6], answer], CALLER)
    expect(state.outcome).toBe('answered')
  })

  it('counts a talk time on completed as answered when answered was lost', () => {
    const withoutAnswered = answeredCall.filter((event) => !(event.legId === AGENT && event.status === 'answered'))
    expect(deriveCallState(withoutAnswered, CALLER).outcome).toBe('answered')
  })

  it.each([
    ['unanswered', 'missed'],
    ['timeout', 'missed'],
    ['busy', 'missed'],
    ['failed', 'missed'],
    ['cancelled', 'abandoned'],
  ])('reads an agent leg ending %s as %s', (agentStatus, outcome) => {
    const events = [
      answer,
      status(CALLER, 'answered', '2026-12-01T10:00:00.300Z'),
      status(AGENT, 'ringing', '2026-12-01T10:00:01.500Z'),
      status(AGENT, agentStatus, '2026-12-01T10:00:20.000Z'),
      status(AGENT, 'completed', '2026-12-01T10:00:20.000Z', { duration: '0' }),
      status(CALLER, 'completed', '2026-12-01T10:00:21.000Z', { duration: '21' }),
    ]
    expect(deriveCallState(events, CALLER).outcome).toBe(outcome)
  })

  it('reads a voicemail recording as voicemail', () => {
    const recording: StoredEvent = { kind: 'record', status: 'voicemail', legId: null, payload: {}, receivedAt: new Date() }
    const events = [answer, status(AGENT, 'timeout', '2026-12-01T10:00:20.000Z'), recording, status(CALLER, 'completed', '2026-12-01T10:00:40.000Z')]
    expect(deriveCallState(events, CALLER).outcome).toBe('voicemail')
  })

  it('reads a caller who hangs up before any agent leg as abandoned', () => {
    expect(deriveCallState([answer, status(CALLER, 'completed', '2026-12-01T10:00:05.000Z', { duration: '5' })], CALLER).outcome).toBe('abandoned')
  })
})
