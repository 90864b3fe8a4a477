import type { Queryable } from '../../src/db/database'
import { API_TOKEN, startTestBridge, type TestBridge } from '../helpers/test-bridge'

/**
 * A fixed day of calls, 2026-03-10 (Europe/Rome is UTC+1 until 29 March). Times are UTC.
 * Teams: rome (wrap-up 30 s) with agents anna and bruno, ny (wrap-up 10 s) with carl.
 * Queues: sales and support. Each expected value below is worked out by hand from this table.
 *
 * call  queue    outcome    start     answer   talk  agent  offers (agent, state, created_at)
 * C1    sales    answered   09:00:00  +10 s    300   anna   anna ended 09:00:05
 * C2    sales    answered   09:20:00  +30 s    120   anna   bruno missed 09:20:05, anna ended 09:20:25
 * C3    sales    answered   10:00:00  +15 s    200   bruno  bruno ended 10:00:10
 * C4    sales    abandoned  10:10:00  ends +3 s       -      -                       (short abandon)
 * C5    sales    abandoned  10:30:00  ends +60 s      -      anna cancelled 10:30:20
 * C6    sales    voicemail  11:00:00  ends +60 s      -      -
 * C7    support  answered   14:00:00  +20 s    600   carl   carl ended 14:00:15    (exactly the service level)
 * C8    support  answered   14:30:00  +40 s    60    carl   carl ended 14:30:35
 * C9    support  answered   15:00:00  +5 s     100   bruno  bruno ended 15:00:02
 * C10   support  abandoned  15:10:00  ends +60 s      carl   carl ended 15:20:00    (callback booked and called back)
 * C11   support  abandoned  15:40:00  ends +50 s      -      -                       (callback booked, not yet called)
 * C12   -        missed     16:00:00  ends +25 s      -      -                       (direct call, no queue)
 * C13   support  abandoned  16:30:00  ends +120 s     -      carl missed 16:30:10
 * C14   sales    answered   23:30:00  +11 s    50    anna   anna ended 23:30:05    (00:30 on 11 March in Rome)
 * C15   support  answered   09 Mar 23:15:00 +25 s 30  carl   carl ended 23:15:20    (00:15 on 10 March in Rome)
 * C16   outbound call by anna at 12:00:00, answered: never in a report
 * C17   sales    abandoned  12:30:00  ends +5 s       -      -                       (exactly the short-abandon threshold)
 * C18   support  in progress 17:00:00               -      -                       (no outcome yet)
 */
const DAY = '2026-03-10'
const UTC_DAY = `from=${DAY}T00:00:00Z&to=2026-03-11T00:00:00Z`
const ROME_DAY = `from=${encodeURIComponent(`${DAY}T00:00:00+01:00`)}&to=${encodeURIComponent('2026-03-11T00:00:00+01:00')}`

interface SeedCall {
  id: string
  queue: string | null
  outcome: string | null
  start: string
  answerAfter?: number
  endAfter?: number
  talk?: number
  agent?: string
  direction?: string
  callback?: 'connected' | 'callback'
  offers?: Array<[agent: string, state: string, createdAt: string]>
}

const at = (time: string) => (time.includes('T') ? time : `${DAY}T${time}Z`)
const plus = (time: string, seconds: number) => new Date(new Date(at(time)).getTime() + seconds * 1000).toISOString()

const CALLS: SeedCall[] = [
  { id: 'C1', queue: 'sales', outcome: 'answered', start: '09:00:00', answerAfter: 10, talk: 300, agent: 'anna', offers: [['anna', 'ended', '09:00:05']] },
  { id: 'C2', queue: 'sales', outcome: 'answered', start: '09:20:00', answerAfter: 30, talk: 120, agent: 'anna', offers: [['bruno', 'missed', '09:20:05'], ['anna', 'ended', '09:20:25']] },
  { id: 'C3', queue: 'sales', outcome: 'answered', start: '10:00:00', answerAfter: 15, talk: 200, agent: 'bruno', offers: [['bruno', 'ended', '10:00:10']] },
  { id: 'C4', queue: 'sales', outcome: 'abandoned', start: '10:10:00', endAfter: 3 },
  { id: 'C5', queue: 'sales', outcome: 'abandoned', start: '10:30:00', endAfter: 60, offers: [['anna', 'cancelled', '10:30:20']] },
  { id: 'C6', queue: 'sales', outcome: 'voicemail', start: '11:00:00', endAfter: 60 },
  { id: 'C7', queue: 'support', outcome: 'answered', start: '14:00:00', answerAfter: 20, talk: 600, agent: 'carl', offers: [['carl', 'ended', '14:00:15']] },
  { id: 'C8', queue: 'support', outcome: 'answered', start: '14:30:00', answerAfter: 40, talk: 60, agent: 'carl', offers: [['carl', 'ended', '14:30:35']] },
  { id: 'C9', queue: 'support', outcome: 'answered', start: '15:00:00', answerAfter: 5, talk: 100, agent: 'bruno', offers: [['bruno', 'ended', '15:00:02']] },
  { id: 'C10', queue: 'support', outcome: 'abandoned', start: '15:10:00', endAfter: 60, agent: 'carl', callback: 'connected', offers: [['carl', 'ended', '15:20:00']] },
  { id: 'C11', queue: 'support', outcome: 'abandoned', start: '15:40:00', endAfter: 50, callback: 'callback' },
  { id: 'C12', queue: null, outcome: 'missed', start: '16:00:00', endAfter: 25 },
  { id: 'C13', queue: 'support', outcome: 'abandoned', start: '16:30:00', endAfter: 120, offers: [['carl', 'missed', '16:30:10']] },
  { id: 'C14', queue: 'sales', outcome: 'answered', start: '23:30:00', answerAfter: 11, talk: 50, agent: 'anna', offers: [['anna', 'ended', '23:30:05']] },
  { id: 'C15', queue: 'support', outcome: 'answered', start: '2026-03-09T23:15:00Z', answerAfter: 25, talk: 30, agent: 'carl', offers: [['carl', 'ended', '2026-03-09T23:15:20Z']] },
  { id: 'C16', queue: null, outcome: 'answered', start: '12:00:00', answerAfter: 8, talk: 90, agent: 'anna', direction: 'outbound' },
  { id: 'C17', queue: 'sales', outcome: 'abandoned', start: '12:30:00', endAfter: 5 },
  { id: 'C18', queue: 'support', outcome: null, start: '17:00:00' },
]

async function seed(db: Queryable): Promise<void> {
  await db.query(`INSERT INTO teams (id, name, time_zone, wrap_up_seconds) VALUES ('rome', 'Roma', 'Europe/Rome', 30), ('ny', 'New York', 'America/New_York', 10)`)
  await db.query(
    `INSERT INTO agents (id, zendesk_user_id, name, team_id) VALUES
     ('anna', 1001, 'Anna Bianchi', 'rome'), ('bruno', 1002, 'Bruno Verdi', 'rome'), ('carl', 1003, 'Carl Jones', 'ny')`,
  )
  await db.query(`INSERT INTO queues (id, name, team_ids) VALUES ('sales', 'Vendite', '{rome}'), ('support', 'Support, "24h"', '{rome,ny}')`)
  for (const call of CALLS) {
    const answeredAt = call.answerAfter === undefined ? null : plus(call.start, call.answerAfter)
    const endedAt = call.talk !== undefined ? plus(call.start, call.answerAfter! + call.talk) : call.endAfter !== undefined ? plus(call.start, call.endAfter) : null
    await db.query(
      `INSERT INTO calls (id, direction, status, outcome, started_at, answered_at, ended_at, talk_seconds, queue_id, agent_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [call.id, call.direction ?? 'inbound', call.outcome ? 'completed' : 'in_progress', call.outcome, at(call.start), answeredAt, endedAt, call.talk ?? null, call.queue, call.agent ?? null],
    )
    if (call.queue !== null) {
      await db.query(
        `INSERT INTO queue_entries (call_id, queue_id, state, language, conversation_name, callback_number, enqueued_at) VALUES ($1, $2, $3, 'it', $4, $5, $6)`,
        [call.id, call.queue, call.callback ?? (call.outcome === null ? 'waiting' : 'abandoned'), `centralino-${call.id}`, call.callback ? '+393331112222' : null, at(call.start)],
      )
    }
    for (const [agent, state, createdAt] of call.offers ?? []) {
      await db.query(`INSERT INTO offers (call_id, agent_id, state, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [call.id, agent, state, at(createdAt), plus(createdAt, 20)])
    }
  }
}

let bridge: TestBridge

beforeAll(async () => {
  bridge = await startTestBridge({ workers: false })
  await seed(bridge.bridge.db)
})

afterAll(async () => {
  await bridge.close()
})

async function report(query: string) {
  const response = await bridge.api(`/api/reports?${query}`)
  expect(response.status).toBe(200)
  return response.json()
}

const rowOf = (body: { rows: Array<{ key: string | null; offered: number }> }, key: string | null) => body.rows.find((row) => row.key === key)

describe('GET /api/reports by queue', () => {
  it('counts the UTC day per queue', async () => {
    const body = await report(`${UTC_DAY}&group_by=queue`)
    expect(body).toMatchObject({ time_zone: 'UTC', group_by: 'queue', short_abandon_seconds: 5, service_level_seconds: 20 })
    expect(body.rows.map((row: { key: string | null }) => row.key)).toEqual(['sales', 'support', null])
    // sales: C1 C2 C3 C4 C5 C6 C14 C17. ASA (10+30+15+11)/4 = 16.5. AHT (300+30 + 120+30 + 200+30 + 50+30)/4 = 790/4 = 197.5.
    // Service level: C1, C3, C14 within 20 s, out of 7 ended calls that are not short abandons (C4) = 42.9 %.
    // Occupancy: 790 s over the agent-hours anna 09, bruno 09, bruno 10, anna 10, anna 23 = 790/18000 = 4.4 %.
    expect(rowOf(body, 'sales')).toEqual({
      key: 'sales',
      label: 'Vendite',
      offered: 8,
      answered: 4,
      abandoned: 2,
      short_abandoned: 1,
      voicemails: 1,
      callbacks_requested: 0,
      callbacks_completed: 0,
      average_speed_of_answer_seconds: 16.5,
      average_handle_seconds: 197.5,
      service_level_percent: 42.9,
      occupancy_percent: 4.4,
    })
    // support: C7 C8 C9 C10 C11 C13 C18. Abandoned is C13 only (C10 and C11 booked a callback).
    // ASA (20+40+5)/3 = 21.7. AHT (600+10 + 60+10 + 100+30)/3 = 810/3 = 270.
    // Service level: C7 (exactly 20 s) and C9 out of 6 ended calls (C18 is in progress) = 33.3 %.
    // Occupancy: 810 s over carl 14, bruno 15, carl 15, carl 16 = 810/14400 = 5.6 %.
    expect(rowOf(body, 'support')).toEqual({
      key: 'support',
      label: 'Support, "24h"',
      offered: 7,
      answered: 3,
      abandoned: 1,
      short_abandoned: 0,
      voicemails: 0,
      callbacks_requested: 2,
      callbacks_completed: 1,
      average_speed_of_answer_seconds: 21.7,
      average_handle_seconds: 270,
      service_level_percent: 33.3,
      occupancy_percent: 5.6,
    })
    // C12 reached no queue: one missed call, so 0 of 1 met the service level.
    expect(rowOf(body, null)).toMatchObject({ label: 'no queue', offered: 1, answered: 0, service_level_percent: 0, average_speed_of_answer_seconds: null, occupancy_percent: null })
  })

  it('adds a total row over every call', async () => {
    const body = await report(`${UTC_DAY}&group_by=queue`)
    // ASA 131/7 = 18.7. AHT 1600/7 = 228.6. Service level 5/14 = 35.7 %. Occupancy 1600/(9 × 3600) = 4.9 %.
    expect(body.total).toEqual({
      offered: 16,
      answered: 7,
      abandoned: 3,
      short_abandoned: 1,
      voicemails: 1,
      callbacks_requested: 2,
      callbacks_completed: 1,
      average_speed_of_answer_seconds: 18.7,
      average_handle_seconds: 228.6,
      service_level_percent: 35.7,
      occupancy_percent: 4.9,
    })
  })

  it('applies the chosen thresholds', async () => {
    // A 2 s threshold makes C4 (3 s) a full abandon; 30 s lets C2 (30 s) meet the service level.
    const body = await report(`${UTC_DAY}&group_by=queue&short_abandon_seconds=2&service_level_seconds=30`)
    expect(rowOf(body, 'sales')).toMatchObject({ abandoned: 3, short_abandoned: 0, service_level_percent: 50 })
    // A 6 s threshold makes C17 (exactly 5 s) short as well: C1, C3 and C14 of 6 ended calls = 50 %.
    const wider = await report(`${UTC_DAY}&group_by=queue&short_abandon_seconds=6`)
    expect(rowOf(wider, 'sales')).toMatchObject({ abandoned: 1, short_abandoned: 2, service_level_percent: 50 })
  })
})

describe('GET /api/reports by team and agent', () => {
  it('puts each call under the team of its agent', async () => {
    const body = await report(`${UTC_DAY}&group_by=team`)
    expect(body.rows.map((row: { key: string | null }) => row.key)).toEqual(['ny', 'rome', null])
    // ny: C7 C8 C10. ASA (20+40)/2 = 30. AHT (610+70)/2 = 340. Service level 1/3. Occupancy 680/(3 × 3600) = 6.3 %.
    expect(rowOf(body, 'ny')).toMatchObject({ label: 'New York', offered: 3, answered: 2, callbacks_requested: 1, callbacks_completed: 1, average_speed_of_answer_seconds: 30, average_handle_seconds: 340, service_level_percent: 33.3, occupancy_percent: 6.3 })
    // rome: C1 C2 C14 (anna), C3 C9 (bruno). ASA 71/5 = 14.2. AHT 920/5 = 184. 4 of 5 within 20 s. Occupancy 920/(6 × 3600) = 4.3 %.
    expect(rowOf(body, 'rome')).toMatchObject({ label: 'Roma', offered: 5, answered: 5, average_speed_of_answer_seconds: 14.2, average_handle_seconds: 184, service_level_percent: 80, occupancy_percent: 4.3 })
    // No agent took C4 C5 C6 C11 C12 C13 C17 C18.
    expect(rowOf(body, null)).toMatchObject({ label: 'no team', offered: 8, answered: 0, abandoned: 3, short_abandoned: 1, voicemails: 1, callbacks_requested: 1, occupancy_percent: null })
    expect(body.total.offered).toBe(16)
    expect(body.total.occupancy_percent).toBe(4.9)
  })

  it('puts each call under the agent who took it', async () => {
    const body = await report(`${UTC_DAY}&group_by=agent`)
    expect(body.rows.map((row: { key: string | null }) => row.key)).toEqual(['anna', 'bruno', 'carl', null])
    // anna: C1 C2 C14. ASA 51/3 = 17. AHT 560/3 = 186.7. Offers in hours 09, 10 (C5), 23: 560/10800 = 5.2 %.
    expect(rowOf(body, 'anna')).toMatchObject({ label: 'Anna Bianchi', offered: 3, answered: 3, average_speed_of_answer_seconds: 17, average_handle_seconds: 186.7, service_level_percent: 66.7, occupancy_percent: 5.2 })
    // bruno: C3 C9. ASA 10. AHT 180. Offers in hours 09 (missed C2), 10, 15: 360/10800 = 3.3 %.
    expect(rowOf(body, 'bruno')).toMatchObject({ offered: 2, answered: 2, average_speed_of_answer_seconds: 10, average_handle_seconds: 180, service_level_percent: 100, occupancy_percent: 3.3 })
    // carl: C7 C8 C10. Offers in hours 14, 15, 16: 680/10800 = 6.3 %.
    expect(rowOf(body, 'carl')).toMatchObject({ offered: 3, answered: 2, callbacks_completed: 1, average_handle_seconds: 340, occupancy_percent: 6.3 })
    expect(rowOf(body, null)).toMatchObject({ label: 'no agent', offered: 8, service_level_percent: 0 })
  })
})

describe('GET /api/reports by hour', () => {
  it('counts hours in UTC', async () => {
    const body = await report(`${UTC_DAY}&group_by=hour&time_zone=UTC`)
    expect(body.rows.map((row: { key: string }) => row.key)).toEqual(['9', '10', '11', '12', '14', '15', '16', '17', '23'])
    expect(rowOf(body, '23')).toMatchObject({ label: '23:00', offered: 1, answered: 1 })
  })

  it('counts hours and the day in Europe/Rome', async () => {
    const body = await report(`${ROME_DAY}&group_by=hour&time_zone=Europe%2FRome`)
    // The Rome day contains C15 (00:15 Rome) and not C14 (00:30 on the next day in Rome).
    expect(body.rows.map((row: { key: string }) => row.key)).toEqual(['0', '10', '11', '12', '13', '15', '16', '17', '18'])
    // 00: C15 with ASA 25 (over 20 s) and AHT 30 + 10; carl's offer at 00:15 Rome is one agent-hour: 40/3600 = 1.1 %.
    expect(rowOf(body, '0')).toEqual(expect.objectContaining({ label: '00:00', offered: 1, answered: 1, average_speed_of_answer_seconds: 25, average_handle_seconds: 40, service_level_percent: 0, occupancy_percent: 1.1 }))
    // 10: C1 and C2. Offers by anna and bruno in that hour: 480/7200 = 6.7 %.
    expect(rowOf(body, '10')).toMatchObject({ offered: 2, answered: 2, average_speed_of_answer_seconds: 20, average_handle_seconds: 240, service_level_percent: 50, occupancy_percent: 6.7 })
    // 11: C3, C4 (short) and C5. Service level 1 of 2; offers by bruno and anna: 230/7200 = 3.2 %.
    expect(rowOf(body, '11')).toMatchObject({ offered: 3, answered: 1, short_abandoned: 1, abandoned: 1, service_level_percent: 50, occupancy_percent: 3.2 })
    expect(body.total.offered).toBe(16)
  })

  it('moves the day boundary with the zone', async () => {
    const utc = await report(`${UTC_DAY}&group_by=queue`)
    const rome = await report(`${ROME_DAY}&group_by=queue&time_zone=Europe%2FRome`)
    // C14 is on 10 March in UTC only; C15 is on 10 March in Rome only.
    expect(rowOf(utc, 'sales')?.offered).toBe(8)
    expect(rowOf(rome, 'sales')?.offered).toBe(7)
    expect(rowOf(utc, 'support')?.offered).toBe(7)
    expect(rowOf(rome, 'support')?.offered).toBe(8)
  })

  it('returns zero counts for a range without calls', async () => {
    const body = await report('from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z')
    expect(body.rows).toEqual([])
    expect(body.total).toMatchObject({ offered: 0, answered: 0, average_speed_of_answer_seconds: null, service_level_percent: null, occupancy_percent: null })
  })
})

describe('GET /api/reports.csv', () => {
  it('returns a header, one line per row and the total', async () => {
    const response = await bridge.bridge.app.inject({ method: 'GET', url: `/api/reports.csv?${UTC_DAY}&group_by=queue`, headers: { authorization: `Bearer ${API_TOKEN}` } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe('attachment; filename="centralino-report-queue.csv"')
    const lines = response.body.split('\r\n')
    expect(lines[0]).toBe(
      'queue,label,offered,answered,abandoned,short_abandoned,voicemails,callbacks_requested,callbacks_completed,' +
        'average_speed_of_answer_seconds,average_handle_seconds,service_level_percent,occupancy_percent',
    )
    expect(lines[1]).toBe('sales,Vendite,8,4,2,1,1,0,0,16.5,197.5,42.9,4.4')
    expect(lines[2]).toBe('support,"Support, ""24h""",7,3,1,0,0,2,1,21.7,270,33.3,5.6')
    expect(lines[3]).toBe(',no queue,1,0,0,0,0,0,0,,,0,')
    expect(lines[4]).toBe(',total,16,7,3,1,1,2,1,18.7,228.6,35.7,4.9')
    expect(lines[5]).toBe('')
  })
})

describe('GET /api/reports input checks', () => {
  const cases: Array<[string, string]> = [
    [`${UTC_DAY}&time_zone=Mars%2FOlympus`, 'time_zone "Mars/Olympus" is not an IANA time zone'],
    [`${UTC_DAY}&time_zone=UTC%2B2`, 'time_zone "UTC+2" is not an IANA time zone'],
    ['from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z', 'from "2026-03-11T00:00:00Z" must be before to "2026-03-10T00:00:00Z"'],
    [`${UTC_DAY}&group_by=day`, 'group_by "day" must be one of queue, team, agent, hour'],
    [`${UTC_DAY}&short_abandon_seconds=-1`, 'short_abandon_seconds "-1" must be >= 0'],
    [`${UTC_DAY}&service_level_seconds=ten`, 'service_level_seconds "ten" must be integer'],
    [`from=yesterday&to=2026-03-10T00:00:00Z`, 'from "yesterday" must match format "date-time"'],
    ['to=2026-03-10T00:00:00Z', 'from is missing'],
    [`${UTC_DAY}&queue=sales`, 'queue is not a report parameter'],
  ]

  it.each(cases)('rejects %s', async (query, message) => {
    const response = await bridge.api(`/api/reports?${query}`)
    expect(response.status).toBe(400)
    expect(response.json().code).toBe('CENTRALINO_ERR_VALIDATION')
    expect(response.json().message).toContain(message)
  })

  it('rejects the CSV with the same message', async () => {
    const response = await bridge.bridge.app.inject({ method: 'GET', url: `/api/reports.csv?${UTC_DAY}&time_zone=Nowhere`, headers: { authorization: `Bearer ${API_TOKEN}` } })
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toContain('time_zone "Nowhere" is not an IANA time zone')
  })

  it('requires the API token', async () => {
    for (const url of [`/api/reports?${UTC_DAY}`, `/api/reports.csv?${UTC_DAY}`]) {
      const response = await bridge.bridge.app.inject({ method: 'GET', url })
      expect(response.statusCode).toBe(401)
    }
  })
})
