import { rmSync } from 'node:fs'
import type { ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import { startZendeskStandin, type ZendeskStandin } from '../../../scripts/standins/zendesk-standin'
import { createAppDist, openAppSession } from '../helpers/app-session'
import { startTestBridge, type TestBridge } from '../helpers/test-bridge'

/**
 * Four inbound calls on 2026-03-10 (times UTC), one outbound call that no report counts:
 *
 * call  queue  outcome    start     answer  talk  agent  offer
 * R1    sales  answered   09:00:00  +10 s   300   anna   anna ended 09:00:05
 * R2    sales  abandoned  10:00:00  ends +60 s     -      -
 * R3    sales  abandoned  10:30:00  ends +3 s      -      -        (short abandon)
 * R4    -      missed     11:00:00  ends +25 s     -      -        (direct call, no queue)
 * R5    outbound call by anna at 12:00:00
 *
 * By queue, sales: ASA 10 s, AHT 300 + 30 s wrap-up = 330 s, service level R1 of R1 and R2
 * (R3 is a short abandon) = 50 %, occupancy 330 s over the agent-hour anna 09 = 9.2 %.
 */
const RANGE = `from=${encodeURIComponent('2026-03-10T00:00:00Z')}&to=${encodeURIComponent('2026-03-11T00:00:00Z')}`
const SESSION_SECRET = 'app-reports-session-secret-0123456789abcdef'

let distDir: string
let zendesk: ZendeskStandin
let bridge: TestBridge
let lead: ZendeskUser
let agent: ZendeskUser

async function seed(): Promise<void> {
  const db = bridge.bridge.db
  await db.query(`INSERT INTO teams (id, name, time_zone, wrap_up_seconds) VALUES ('rome', 'Roma', 'Europe/Rome', 30)`)
  await db.query(`INSERT INTO agents (id, zendesk_user_id, name, team_id) VALUES ('anna', $1, 'Anna Bianchi', 'rome')`, [agent.id])
  await db.query(`INSERT INTO queues (id, name, team_ids) VALUES ('sales', 'Vendite', '{rome}')`)
  await db.query(
    `INSERT INTO calls (id, direction, status, outcome, started_at, answered_at, ended_at, talk_seconds, queue_id, agent_id) VALUES
     ('R1', 'inbound', 'completed', 'answered', '2026-03-10T09:00:00Z', '2026-03-10T09:00:10Z', '2026-03-10T09:05:10Z', 300, 'sales', 'anna'),
     ('R2', 'inbound', 'completed', 'abandoned', '2026-03-10T10:00:00Z', NULL, '2026-03-10T10:01:00Z', NULL, 'sales', NULL),
     ('R3', 'inbound', 'completed', 'abandoned', '2026-03-10T10:30:00Z', NULL, '2026-03-10T10:30:03Z', NULL, 'sales', NULL),
     ('R4', 'inbound', 'completed', 'missed', '2026-03-10T11:00:00Z', NULL, '2026-03-10T11:00:25Z', NULL, NULL, NULL),
     ('R5', 'outbound', 'completed', 'answered', '2026-03-10T12:00:00Z', '2026-03-10T12:00:08Z', '2026-03-10T12:01:38Z', 90, NULL, 'anna')`,
  )
  await db.query(
    `INSERT INTO offers (call_id, agent_id, state, created_at, expires_at) VALUES ('R1', 'anna', 'ended', '2026-03-10T09:00:05Z', '2026-03-10T09:00:25Z')`,
  )
}

const sessionFor = (user: ZendeskUser) => openAppSession(bridge, zendesk, user, 'nav_bar')

async function get(user: ZendeskUser | undefined, url: string) {
  const headers = user === undefined ? {} : { authorization: `Bearer ${await sessionFor(user)}` }
  return bridge.bridge.app.inject({ method: 'GET', url, headers })
}

beforeAll(async () => {
  // The session comes from the app page, which needs a built index.html with the bootstrap marker.
  distDir = createAppDist('centralino-app-dist-')
  zendesk = await startZendeskStandin({ locale: 'it' })
  bridge = await startTestBridge({
    workers: false,
    env: { ZENDESK_URL: zendesk.url, ZAF_APP_ID: String(zendesk.apps.appId), APP_SESSION_SECRET: SESSION_SECRET, APP_DIST_DIR: distDir },
  })
  lead = zendesk.apps.seedStaff({ name: 'Lucia Lead', email: 'lucia@acme.example', role: 'admin' })
  agent = zendesk.apps.seedStaff({ name: 'Anna Bianchi', email: 'anna@acme.example', role: 'agent' })
  await seed()
})

afterAll(async () => {
  await bridge.close()
  await zendesk.close()
  rmSync(distDir, { recursive: true, force: true })
})

describe('GET /app/api/reports', () => {
  it('returns a lead the figures per queue', async () => {
    const response = await get(lead, `/app/api/reports?${RANGE}&group_by=queue&time_zone=Europe/Rome`)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({ time_zone: 'Europe/Rome', group_by: 'queue', short_abandon_seconds: 5, service_level_seconds: 20 })
    expect(body.rows.map((row: { key: string | null }) => row.key)).toEqual(['sales', null])
    expect(body.rows[0]).toEqual({
      key: 'sales',
      label: 'Vendite',
      offered: 3,
      answered: 1,
      abandoned: 1,
      short_abandoned: 1,
      voicemails: 0,
      callbacks_requested: 0,
      callbacks_completed: 0,
      average_speed_of_answer_seconds: 10,
      average_handle_seconds: 330,
      service_level_percent: 50,
      occupancy_percent: 9.2,
    })
    expect(body.rows[1]).toMatchObject({ label: 'no queue', offered: 1, answered: 0, service_level_percent: 0 })
    expect(body.total).toMatchObject({ offered: 4, answered: 1, abandoned: 1, short_abandoned: 1 })
  })

  it('counts hours of day in the chosen zone', async () => {
    const body = (await get(lead, `/app/api/reports?${RANGE}&group_by=hour&time_zone=Europe/Rome`)).json()
    // Rome is UTC+1 in March, so 09:00Z is 10:00 there.
    expect(body.rows.map((row: { label: string; offered: number }) => [row.label, row.offered])).toEqual([
      ['10:00', 1],
      ['11:00', 2],
      ['12:00', 1],
    ])
  })

  it('applies the chosen thresholds', async () => {
    // A 2 s threshold makes R3 (3 s) a full abandon. R1, answered after 10 s, misses a 5 s service level.
    const body = (await get(lead, `/app/api/reports?${RANGE}&short_abandon_seconds=2&service_level_seconds=5`)).json()
    expect(body.rows[0]).toMatchObject({ key: 'sales', abandoned: 2, short_abandoned: 0, service_level_percent: 0 })
  })

  it('rejects an agent with the reason', async () => {
    const response = await get(agent, `/app/api/reports?${RANGE}`)
    expect(response.statusCode).toBe(403)
    expect(response.json()).toEqual({
      code: 'CENTRALINO_ERR_REPORTS_FORBIDDEN',
      message: 'Only team leads and admins may see call center reports: a Zendesk admin can give you a role listed in APP_LEAD_ROLE_IDS',
    })
  })

  it('rejects an agent before checking parameters', async () => {
    const response = await get(agent, '/app/api/reports?from=yesterday')
    expect(response.statusCode).toBe(403)
  })

  it('rejects a request without a session', async () => {
    const response = await get(undefined, `/app/api/reports?${RANGE}`)
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('CENTRALINO_ERR_APP_SESSION')
  })

  it.each([
    ['a reversed range', 'from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z', 'from "2026-03-11T00:00:00Z" must be before to "2026-03-10T00:00:00Z"'],
    ['a date without a time', 'from=2026-03-10&to=2026-03-11T00:00:00Z', 'from "2026-03-10" must match format "date-time"'],
    ['a missing end', 'from=2026-03-10T00:00:00Z', 'to is missing'],
    ['an unknown time zone', `${RANGE}&time_zone=Mars/Olympus`, 'time_zone "Mars/Olympus" is not an IANA time zone such as Europe/Rome or UTC'],
    ['a POSIX time zone', `${RANGE}&time_zone=UTC%2B2`, 'time_zone "UTC+2" is not an IANA time zone such as Europe/Rome or UTC'],
    ['a negative threshold', `${RANGE}&short_abandon_seconds=-1`, 'short_abandon_seconds "-1" must be >= 0'],
    ['a text threshold', `${RANGE}&service_level_seconds=soon`, 'service_level_seconds "soon" must be integer'],
    ['an unknown grouping', `${RANGE}&group_by=week`, 'group_by "week" must be one of queue, team, agent, hour'],
    ['a misspelled parameter', `${RANGE}&groupby=hour`, 'groupby is not a report parameter'],
  ])('names %s in the 400', async (_case, query, problem) => {
    const response = await get(lead, `/app/api/reports?${query}`)
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('CENTRALINO_ERR_VALIDATION')
    expect(response.json().message).toContain(problem)
  })
})

describe('GET /app/api/reports.csv', () => {
  it('returns the header, rows and total', async () => {
    const response = await get(lead, `/app/api/reports.csv?${RANGE}&group_by=agent`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe('attachment; filename="centralino-report-agent.csv"')
    const lines = response.body.trim().split('\r\n')
    expect(lines[0]).toBe(
      'agent,label,offered,answered,abandoned,short_abandoned,voicemails,callbacks_requested,callbacks_completed,average_speed_of_answer_seconds,average_handle_seconds,service_level_percent,occupancy_percent',
    )
    expect(lines[1]).toBe('anna,Anna Bianchi,1,1,0,0,0,0,0,10,330,100,9.2')
    expect(lines[3]).toBe(',total,4,1,1,1,0,0,0,10,330,33.3,9.2')
    expect(lines).toHaveLength(4)
  })

  it('rejects an agent and a bad time zone', async () => {
    expect((await get(agent, `/app/api/reports.csv?${RANGE}`)).statusCode).toBe(403)
    const invalid = await get(lead, `/app/api/reports.csv?${RANGE}&time_zone=Nowhere`)
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().message).toContain('time_zone "Nowhere" is not an IANA time zone')
  })
})
