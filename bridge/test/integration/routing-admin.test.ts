import nock from 'nock'
import { DEFAULT_RULES } from '../../src/routing/model'
import { API_TOKEN, startTestBridge, type TestBridge } from '../helpers/test-bridge'

const ZENDESK = 'https://acme.zendesk.test'
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri']

let bridge: TestBridge

beforeAll(async () => {
  bridge = await startTestBridge({ workers: false })
})

afterAll(async () => {
  await bridge.close()
})

afterEach(() => {
  nock.cleanAll()
  nock.enableNetConnect()
})

/** Sends an admin request with the API token (or the given authorization header, or none). */
async function admin(method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown, authorization: string | null = `Bearer ${API_TOKEN}`) {
  const response = await bridge.bridge.app.inject({
    method,
    url,
    headers: authorization === null ? {} : { authorization },
    ...(body !== undefined ? { payload: body as object } : {}),
  })
  return { status: response.statusCode, body: response.body ? response.json() : undefined }
}

const prompt = (text: string) => ({ it: text, en: text })

function team(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Roma',
    time_zone: 'Europe/Rome',
    shifts: [{ days: WEEKDAYS, start: '09:00', end: '18:00' }],
    holidays: [{ name: 'Natale', from: '2026-12-25', to: '2026-12-26' }],
    ...overrides,
  }
}

function agent(zendeskUserId: number, teamId: string, overrides: Record<string, unknown> = {}) {
  return { zendesk_user_id: zendeskUserId, name: `Agent ${zendeskUserId}`, team_id: teamId, languages: ['it'], devices: [{ type: 'app', user: `u${zendeskUserId}` }], ...overrides }
}

function queue(teamIds: string[], overrides: Record<string, unknown> = {}) {
  return { name: 'Support', team_ids: teamIds, ...overrides }
}

/** Builds a flow: a welcome, then a menu that sends 1 to the queue and no input to voicemail. */
function flow(queueId: string) {
  return {
    start: 'welcome',
    nodes: {
      welcome: { type: 'say', text: prompt('Benvenuti'), next: 'menu' },
      menu: { type: 'menu', prompt: prompt('Premi 1'), options: { '1': 'hours' }, no_input: 'voicemail' },
      hours: { type: 'business_hours', queue_id: queueId, open: 'to_queue', closed: 'voicemail' },
      to_queue: { type: 'queue', queue_id: queueId },
      voicemail: { type: 'voicemail' },
    },
  }
}

async function createTeam(id: string, overrides: Record<string, unknown> = {}) {
  const response = await admin('PUT', `/api/admin/teams/${id}`, team(overrides))
  expect(response.status).toBe(201)
}

async function createQueue(id: string, teamIds: string[], overrides: Record<string, unknown> = {}) {
  const response = await admin('PUT', `/api/admin/queues/${id}`, queue(teamIds, overrides))
  expect(response.status).toBe(201)
}

function expectValidationError(response: { status: number; body: { code: string; message: string } }, ...fragments: string[]) {
  expect(response.status).toBe(400)
  expect(response.body.code).toBe('CENTRALINO_ERR_VALIDATION')
  for (const fragment of fragments) expect(response.body.message).toContain(fragment)
}

describe('authentication', () => {
  it.each([
    ['GET', '/api/admin/teams'],
    ['PUT', '/api/admin/teams/rome'],
    ['GET', '/api/admin/agents'],
    ['POST', '/api/admin/ivr-flows/main/versions'],
    ['DELETE', '/api/admin/numbers/%2B390240708090'],
    ['PUT', '/api/admin/routing-rules'],
  ] as const)('%s %s without token answers 401', async (method, url) => {
    const response = await admin(method, url, method === 'GET' || method === 'DELETE' ? undefined : {}, null)
    expect(response.status).toBe(401)
    expect(response.body.code).toBe('CENTRALINO_ERR_API_UNAUTHORIZED')
  })

  it('rejects a wrong token', async () => {
    const response = await admin('GET', '/api/admin/teams', undefined, `Bearer ${API_TOKEN}x`)
    expect(response.status).toBe(401)
  })

  it('stores nothing for an unauthenticated write', async () => {
    await admin('PUT', '/api/admin/teams/intruder', team(), null)
    expect((await admin('GET', '/api/admin/teams/intruder')).status).toBe(404)
  })
})

describe('teams', () => {
  it('creates, replaces and reads a team', async () => {
    const created = await admin('PUT', '/api/admin/teams/rome', team())
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ id: 'rome', name: 'Roma', time_zone: 'Europe/Rome', wrap_up_seconds: 30, zendesk_group_id: null })
    expect(created.body.shifts).toEqual([{ days: WEEKDAYS, start: '09:00', end: '18:00' }])

    const replaced = await admin('PUT', '/api/admin/teams/rome', team({ name: 'Roma centro', wrap_up_seconds: 60, zendesk_group_id: 360001 }))
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ name: 'Roma centro', wrap_up_seconds: 60, zendesk_group_id: 360001 })

    const read = await admin('GET', '/api/admin/teams/rome')
    expect(read.status).toBe(200)
    expect(read.body.name).toBe('Roma centro')
    expect(typeof read.body.open_now).toBe('boolean')
    expect(read.body.holidays).toEqual([{ name: 'Natale', from: '2026-12-25', to: '2026-12-26' }])

    const list = await admin('GET', '/api/admin/teams')
    expect(list.body.teams.map((entry: { id: string }) => entry.id)).toContain('rome')
  })

  it('reports open_now and next_opening', async () => {
    await createTeam('always-open', { shifts: [{ days: [...WEEKDAYS, 'sat', 'sun'], start: '00:00', end: '24:00' }], holidays: [] })
    const open = (await admin('GET', '/api/admin/teams/always-open')).body
    expect(open.open_now).toBe(true)
    expect(Math.abs(Date.parse(open.next_opening) - Date.now())).toBeLessThan(60_000)

    await createTeam('never-open', { shifts: [], holidays: [] })
    const closed = (await admin('GET', '/api/admin/teams/never-open')).body
    expect(closed.open_now).toBe(false)
    expect(closed.next_opening).toBeNull()
  })

  it('names a bad time zone', async () => {
    const response = await admin('PUT', '/api/admin/teams/mars', team({ time_zone: 'Mars/Olympus' }))
    expectValidationError(response, 'body/time_zone "Mars/Olympus" is not an IANA time zone')
    expect((await admin('GET', '/api/admin/teams/mars')).status).toBe(404)
  })

  it('names a bad shift time and its value', async () => {
    const response = await admin('PUT', '/api/admin/teams/rome', team({ shifts: [{ days: ['mon'], start: '9:00', end: '18:00' }] }))
    expectValidationError(response, 'body/shifts/0/start must match pattern "HH:MM"; got "9:00"')
  })

  it('lists every schedule problem', async () => {
    const response = await admin(
      'PUT',
      '/api/admin/teams/rome',
      team({ shifts: [{ days: ['mon'], start: '09:00', end: '09:00' }], holidays: [{ name: 'Ferie', from: '2026-08-20', to: '2026-08-10' }] }),
    )
    expectValidationError(response, 'body/shifts/0 starts and ends at 09:00', 'body/holidays/0/to "2026-08-10" is before from "2026-08-20"')
  })

  it('names unknown fields, missing fields and wrong types', async () => {
    const unknown = await admin('PUT', '/api/admin/teams/rome', { ...team(), timezone: 'Europe/Rome' })
    expectValidationError(unknown, 'body has unknown field "timezone"')
    const { name: _name, ...nameless } = team()
    expectValidationError(await admin('PUT', '/api/admin/teams/rome', nameless), 'body/name is missing')
    expectValidationError(await admin('PUT', '/api/admin/teams/rome', team({ wrap_up_seconds: '30' })), 'body/wrap_up_seconds must be integer; got "30"')
    expectValidationError(await admin('PUT', '/api/admin/teams/rome', team({ shifts: [{ days: ['monday'], start: '09:00', end: '18:00' }] })), 'body/shifts/0/days/0 must be one of "mon"', 'got "monday"')
  })

  it('rejects an id that is not a slug', async () => {
    expectValidationError(await admin('PUT', '/api/admin/teams/Rome%20Team', team()), 'params/id must match pattern', 'got "Rome Team"')
  })

  it('answers 404 for an unknown team', async () => {
    const response = await admin('GET', '/api/admin/teams/atlantis')
    expect(response.status).toBe(404)
    expect(response.body).toEqual({ code: 'CENTRALINO_ERR_TEAM_NOT_FOUND', message: 'Team "atlantis" not found: create it with PUT /api/admin/teams/atlantis' })
  })

  it('refuses to delete a team that agents or queues use', async () => {
    await createTeam('milan')
    await admin('PUT', '/api/admin/agents/marco', agent(9001, 'milan'))
    await createQueue('milan-sales', ['milan'])
    const blocked = await admin('DELETE', '/api/admin/teams/milan')
    expect(blocked.status).toBe(409)
    expect(blocked.body.code).toBe('CENTRALINO_ERR_TEAM_IN_USE')
    expect(blocked.body.message).toBe('Team "milan" is still used by agents "marco", queues "milan-sales": move them to another team or delete them first')

    expect((await admin('DELETE', '/api/admin/agents/marco')).status).toBe(204)
    expect((await admin('DELETE', '/api/admin/queues/milan-sales')).status).toBe(204)
    expect((await admin('DELETE', '/api/admin/teams/milan')).status).toBe(204)
    expect((await admin('GET', '/api/admin/teams/milan')).status).toBe(404)
    expect((await admin('DELETE', '/api/admin/teams/milan')).status).toBe(404)
  })
})

describe('Zendesk schedule import', () => {
  const MONDAY = 24 * 60
  const intervals = WEEKDAYS.map((_day, index) => ({ start_time: MONDAY * (index + 1) + 9 * 60, end_time: MONDAY * (index + 1) + 18 * 60 }))

  beforeAll(async () => {
    await createTeam('zendesk-team', { time_zone: 'UTC', shifts: [], holidays: [] })
  })

  beforeEach(() => {
    nock.disableNetConnect()
  })

  it('stores shifts, holidays and the IANA zone of the Rails zone "Rome"', async () => {
    const zendesk = nock(ZENDESK)
      .get('/api/v2/business_hours/schedules/42.json')
      .reply(200, { schedule: { id: 42, name: 'Roma', time_zone: 'Rome', intervals } })
      .get('/api/v2/business_hours/schedules/42/holidays.json')
      .reply(200, { holidays: [{ id: 1, name: 'Ferragosto', start_date: '2026-08-15', end_date: '2026-08-15' }] })
    const response = await admin('POST', '/api/admin/teams/zendesk-team/import-zendesk-schedule', { schedule_id: 42 })
    expect(response.status).toBe(200)
    expect(response.body.time_zone).toBe('Europe/Rome')
    expect(response.body.shifts).toHaveLength(5)
    expect(response.body.shifts[0]).toEqual({ days: ['mon'], start: '09:00', end: '18:00' })
    expect(response.body.shifts[4]).toEqual({ days: ['fri'], start: '09:00', end: '18:00' })
    expect(response.body.holidays).toEqual([{ name: 'Ferragosto', from: '2026-08-15', to: '2026-08-15' }])
    expect(zendesk.isDone()).toBe(true)

    const stored = (await admin('GET', '/api/admin/teams/zendesk-team')).body
    expect(stored.time_zone).toBe('Europe/Rome')
    expect(stored.name).toBe('Roma')
  })

  it('names a schedule id that Zendesk does not have', async () => {
    nock(ZENDESK).get('/api/v2/business_hours/schedules/404.json').reply(404, { error: 'RecordNotFound' })
    const response = await admin('POST', '/api/admin/teams/zendesk-team/import-zendesk-schedule', { schedule_id: 404 })
    expectValidationError(response, 'body/schedule_id 404 is not a schedule in Zendesk')
  })

  it('rejects a time zone without an IANA zone', async () => {
    nock(ZENDESK)
      .get('/api/v2/business_hours/schedules/7.json')
      .reply(200, { schedule: { id: 7, name: 'Atlantide', time_zone: 'Atlantis', intervals } })
      .get('/api/v2/business_hours/schedules/7/holidays.json')
      .reply(200, { holidays: [] })
    const response = await admin('POST', '/api/admin/teams/zendesk-team/import-zendesk-schedule', { schedule_id: 7 })
    expect(response.status).toBe(422)
    expect(response.body.code).toBe('CENTRALINO_ERR_ZENDESK_SCHEDULE')
    expect(response.body.message).toContain('"Atlantis"')
    expect((await admin('GET', '/api/admin/teams/zendesk-team')).body.time_zone).toBe('Europe/Rome')
  })

  it('answers 502 when Zendesk refuses the credentials', async () => {
    nock(ZENDESK).get('/api/v2/business_hours/schedules/8.json').reply(403, { error: 'Forbidden' })
    const response = await admin('POST', '/api/admin/teams/zendesk-team/import-zendesk-schedule', { schedule_id: 8 })
    expect(response.status).toBe(502)
    expect(response.body.code).toBe('CENTRALINO_ERR_ZENDESK_UNAVAILABLE')
    expect(response.body.message).toContain('403')
  })

  it('asks Zendesk nothing for an unknown team', async () => {
    const zendesk = nock(ZENDESK).get(/.*/).reply(200, {})
    const response = await admin('POST', '/api/admin/teams/nobody/import-zendesk-schedule', { schedule_id: 42 })
    expect(response.status).toBe(404)
    expect(zendesk.isDone()).toBe(false)
  })

  it('names a bad schedule id', async () => {
    expectValidationError(await admin('POST', '/api/admin/teams/zendesk-team/import-zendesk-schedule', { schedule_id: 'forty-two' }), 'body/schedule_id must be integer; got "forty-two"')
  })
})

describe('agents', () => {
  beforeAll(async () => {
    await createTeam('naples')
    await createTeam('turin')
  })

  it('creates an agent offline and keeps its state on replace', async () => {
    const created = await admin('PUT', '/api/admin/agents/giulia', agent(1001, 'naples', { skills: ['billing'] }))
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ id: 'giulia', zendesk_user_id: 1001, team_id: 'naples', state: 'offline', skills: ['billing'], languages: ['it'] })

    expect((await admin('PUT', '/api/admin/agents/giulia/state', { state: 'available' })).status).toBe(200)
    const replaced = await admin('PUT', '/api/admin/agents/giulia', agent(1001, 'turin', { languages: ['it', 'en'], devices: [{ type: 'sip', uri: 'sip:giulia@pbx.example.com' }] }))
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ team_id: 'turin', state: 'available', languages: ['it', 'en'], devices: [{ type: 'sip', uri: 'sip:giulia@pbx.example.com' }] })
  })

  it('names an unknown team', async () => {
    const response = await admin('PUT', '/api/admin/agents/paolo', agent(1002, 'nowhere'))
    expectValidationError(response, 'body/team_id "nowhere" is not a team')
    expect((await admin('GET', '/api/admin/agents/paolo')).status).toBe(404)
  })

  it('refuses a Zendesk user that belongs to another agent', async () => {
    await admin('PUT', '/api/admin/agents/anna', agent(1003, 'naples'))
    const response = await admin('PUT', '/api/admin/agents/anna-bis', agent(1003, 'naples'))
    expect(response.status).toBe(409)
    expect(response.body).toEqual({
      code: 'CENTRALINO_ERR_ZENDESK_USER_TAKEN',
      message: 'Zendesk user 1003 is already agent "anna": edit that agent, or delete it first',
    })
  })

  it('names a bad device and its value', async () => {
    const response = await admin('PUT', '/api/admin/agents/luca', agent(1004, 'naples', { devices: [{ type: 'phone', number: '0612345' }, { type: 'fax', number: '+390612345' }] }))
    expectValidationError(
      response,
      'body/devices/0/number must match pattern "E.164 number such as +390240708090"; got "0612345"',
      'body/devices/1/type must be one of "phone", "sip", "app"; got "fax"',
    )
  })

  it('filters by team and state', async () => {
    await admin('PUT', '/api/admin/agents/sara', agent(1005, 'naples'))
    await admin('PUT', '/api/admin/agents/sara/state', { state: 'away' })
    const naples = (await admin('GET', '/api/admin/agents?team_id=naples')).body.agents.map((entry: { id: string }) => entry.id)
    expect(naples).toEqual(expect.arrayContaining(['anna', 'sara']))
    expect(naples).not.toContain('giulia')
    const away = (await admin('GET', '/api/admin/agents?team_id=naples&state=away')).body.agents.map((entry: { id: string }) => entry.id)
    expect(away).toEqual(['sara'])
    expectValidationError(await admin('GET', '/api/admin/agents?state=sleeping'), 'querystring/state must be one of', 'got "sleeping"')
  })

  it('sets a state, and reports an unchanged one', async () => {
    await admin('PUT', '/api/admin/agents/elena', agent(1006, 'naples'))
    const changed = await admin('PUT', '/api/admin/agents/elena/state', { state: 'available' })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ id: 'elena', state: 'available', changed: true })
    const unchanged = await admin('PUT', '/api/admin/agents/elena/state', { state: 'available' })
    expect(unchanged.body).toMatchObject({ state: 'available', changed: false })
    expectValidationError(await admin('PUT', '/api/admin/agents/elena/state', { state: 'on_call' }), 'body/state must be one of "available", "away", "offline"; got "on_call"')
    expect((await admin('PUT', '/api/admin/agents/ghost/state', { state: 'away' })).status).toBe(404)
  })

  it.each(['offered', 'on_call'])('keeps an agent who is %s and answers 409 with the state', async (busyState) => {
    const id = `busy-${busyState.replace('_', '-')}`
    await admin('PUT', `/api/admin/agents/${id}`, agent(busyState === 'offered' ? 1007 : 1008, 'naples'))
    await bridge.bridge.db.query('UPDATE agents SET state = $2 WHERE id = $1', [id, busyState])
    const response = await admin('PUT', `/api/admin/agents/${id}/state`, { state: 'offline' })
    expect(response.status).toBe(409)
    expect(response.body.code).toBe('CENTRALINO_ERR_AGENT_BUSY')
    expect(response.body.state).toBe(busyState)
    expect((await admin('GET', `/api/admin/agents/${id}`)).body.state).toBe(busyState)
    const deleted = await admin('DELETE', `/api/admin/agents/${id}`)
    expect(deleted.status).toBe(409)
    expect(deleted.body.code).toBe('CENTRALINO_ERR_AGENT_IN_USE')
  })

  it('deletes an agent, but not one with offers in the history', async () => {
    await admin('PUT', '/api/admin/agents/temp', agent(1009, 'naples'))
    expect((await admin('DELETE', '/api/admin/agents/temp')).status).toBe(204)
    expect((await admin('GET', '/api/admin/agents/temp')).status).toBe(404)
    expect((await admin('DELETE', '/api/admin/agents/temp')).status).toBe(404)

    await admin('PUT', '/api/admin/agents/veteran', agent(1010, 'naples'))
    await bridge.bridge.db.query(`INSERT INTO calls (id) VALUES ('CON-veteran')`)
    await bridge.bridge.db.query(`INSERT INTO offers (call_id, agent_id, state, expires_at, ended_at) VALUES ('CON-veteran', 'veteran', 'ended', now(), now())`)
    const response = await admin('DELETE', '/api/admin/agents/veteran')
    expect(response.status).toBe(409)
    expect(response.body.message).toContain('1 call offers in the history refer to it')
  })
})

describe('queues', () => {
  beforeAll(async () => {
    await createTeam('venice')
    await createTeam('manila', { time_zone: 'Asia/Manila' })
  })

  it('creates a queue with defaults and replaces it', async () => {
    const created = await admin('PUT', '/api/admin/queues/support', queue(['venice', 'manila']))
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      id: 'support',
      team_ids: ['venice', 'manila'],
      max_wait_seconds: 300,
      overflow: { type: 'voicemail' },
      hold_music_url: null,
      ring_seconds: 20,
      required_skills: [],
    })
    const replaced = await admin('PUT', '/api/admin/queues/support', queue(['manila'], { overflow: { type: 'callback' }, max_wait_seconds: 120 }))
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ team_ids: ['manila'], overflow: { type: 'callback' }, max_wait_seconds: 120 })
    expect((await admin('GET', '/api/admin/queues/support')).body.team_ids).toEqual(['manila'])
    expect((await admin('GET', '/api/admin/queues')).body.queues.map((entry: { id: string }) => entry.id)).toContain('support')
  })

  it('names each unknown team', async () => {
    const response = await admin('PUT', '/api/admin/queues/sales', queue(['venice', 'ghost', 'phantom']))
    expectValidationError(response, 'body/team_ids/1 "ghost" is not a team', 'body/team_ids/2 "phantom" is not a team')
  })

  it('checks the overflow queue', async () => {
    expectValidationError(await admin('PUT', '/api/admin/queues/sales', queue(['venice'], { overflow: { type: 'queue', queue_id: 'sales' } })), 'body/overflow/queue_id "sales" is this queue itself')
    expectValidationError(await admin('PUT', '/api/admin/queues/sales', queue(['venice'], { overflow: { type: 'queue', queue_id: 'nowhere' } })), 'body/overflow/queue_id "nowhere" is not a queue')

    await createQueue('first-line', ['venice'])
    await createQueue('second-line', ['venice'], { overflow: { type: 'queue', queue_id: 'first-line' } })
    const circle = await admin('PUT', '/api/admin/queues/first-line', queue(['venice'], { overflow: { type: 'queue', queue_id: 'second-line' } }))
    expectValidationError(circle, 'body/overflow/queue_id "second-line" leads back to this queue (first-line -> second-line -> first-line)')
  })

  it('names a bad hold music URL and an out-of-range ring time', async () => {
    const response = await admin('PUT', '/api/admin/queues/sales', queue(['venice'], { hold_music_url: 'http://music.example.com/a.mp3', ring_seconds: 1 }))
    expectValidationError(response, 'body/hold_music_url must match pattern "^https://"; got "http://music.example.com/a.mp3"', 'body/ring_seconds must be >= 5; got 1')
  })

  it('blocks deleting a queue in use', async () => {
    await createQueue('busy', ['venice'])
    await createQueue('spill', ['venice'], { overflow: { type: 'queue', queue_id: 'busy' } })
    expect((await admin('POST', '/api/admin/ivr-flows/busy-flow/versions', flow('busy'))).status).toBe(201)
    const byFlow = await admin('DELETE', '/api/admin/queues/busy')
    expect(byFlow.status).toBe(409)
    expect(byFlow.body.code).toBe('CENTRALINO_ERR_QUEUE_IN_USE')
    expect(byFlow.body.message).toContain('IVR flow "busy-flow" version 1 (nodes "hours", "to_queue")')
    expect(byFlow.body.message).toContain('the overflow of queues "spill"')

    await createQueue('waiting-room', ['venice'])
    await bridge.bridge.db.query(`INSERT INTO calls (id) VALUES ('CON-waiting')`)
    await bridge.bridge.db.query(`INSERT INTO queue_entries (call_id, queue_id, language, conversation_name) VALUES ('CON-waiting', 'waiting-room', 'it', 'conv-waiting')`)
    const byCaller = await admin('DELETE', '/api/admin/queues/waiting-room')
    expect(byCaller.status).toBe(409)
    expect(byCaller.body.message).toContain('1 callers waiting or connected')

    // Once the call has ended its entry is history and no longer blocks the delete.
    await bridge.bridge.db.query(`UPDATE queue_entries SET state = 'abandoned' WHERE call_id = 'CON-waiting'`)
    expect((await admin('DELETE', '/api/admin/queues/waiting-room')).status).toBe(204)
    expect((await admin('GET', '/api/admin/queues/waiting-room')).status).toBe(404)
  })
})

describe('IVR flows', () => {
  beforeAll(async () => {
    await createTeam('florence')
    await createQueue('front-desk', ['florence'])
  })

  it('stores versions and reads the latest, the list and one version', async () => {
    const first = await admin('POST', '/api/admin/ivr-flows/main/versions', flow('front-desk'))
    expect(first.status).toBe(201)
    expect(first.body).toEqual({ id: 'main', version: 1 })
    const changed = flow('front-desk')
    changed.nodes.welcome.text = prompt('Buongiorno')
    const second = await admin('POST', '/api/admin/ivr-flows/main/versions', changed)
    expect(second.body).toEqual({ id: 'main', version: 2 })

    const latest = await admin('GET', '/api/admin/ivr-flows/main')
    expect(latest.status).toBe(200)
    expect(latest.body.version).toBe(2)
    expect(latest.body.definition.nodes.welcome.text).toEqual(prompt('Buongiorno'))
    expect(latest.body.versions.map((entry: { version: number }) => entry.version)).toEqual([2, 1])

    const list = (await admin('GET', '/api/admin/ivr-flows')).body.flows
    expect(list.find((entry: { id: string }) => entry.id === 'main')).toMatchObject({ version: 2 })

    const old = await admin('GET', '/api/admin/ivr-flows/main/versions/1')
    expect(old.status).toBe(200)
    expect(old.body.definition.nodes.welcome.text).toEqual(prompt('Benvenuti'))
    // Ajv fills the menu's default timeout inside the node type that was matched.
    expect(old.body.definition.nodes.menu.timeout_seconds).toBe(5)
    expect((await admin('GET', '/api/admin/ivr-flows/main/versions/9')).status).toBe(404)
    expect((await admin('GET', '/api/admin/ivr-flows/unknown')).status).toBe(404)
  })

  it('rolls back by storing a copy of an old version', async () => {
    const v1 = await admin('POST', '/api/admin/ivr-flows/rollback-flow/versions', flow('front-desk'))
    const changed = flow('front-desk')
    changed.nodes.welcome.text = prompt('Chiuso per ferie')
    await admin('POST', '/api/admin/ivr-flows/rollback-flow/versions', changed)
    const rolledBack = await admin('POST', '/api/admin/ivr-flows/rollback-flow/rollback', { version: v1.body.version })
    expect(rolledBack.status).toBe(201)
    expect(rolledBack.body).toEqual({ id: 'rollback-flow', version: 3 })
    const latest = (await admin('GET', '/api/admin/ivr-flows/rollback-flow')).body
    expect(latest.version).toBe(3)
    expect(latest.definition).toEqual((await admin('GET', '/api/admin/ivr-flows/rollback-flow/versions/1')).body.definition)

    const missing = await admin('POST', '/api/admin/ivr-flows/rollback-flow/rollback', { version: 9 })
    expect(missing.status).toBe(404)
    expect(missing.body.message).toBe('IVR flow "rollback-flow" has no version 9: GET /api/admin/ivr-flows/rollback-flow lists its versions')
  })

  it('refuses to roll back to a version whose queue was deleted', async () => {
    await createQueue('seasonal', ['florence'])
    await admin('POST', '/api/admin/ivr-flows/summer/versions', flow('seasonal'))
    await admin('POST', '/api/admin/ivr-flows/summer/versions', flow('front-desk'))
    expect((await admin('DELETE', '/api/admin/queues/seasonal')).status).toBe(204)
    const response = await admin('POST', '/api/admin/ivr-flows/summer/rollback', { version: 1 })
    expectValidationError(response, 'body/version 1 cannot be restored: nodes/hours/queue_id: queue "seasonal" does not exist')
    expect((await admin('GET', '/api/admin/ivr-flows/summer')).body.version).toBe(2)
  })

  it('names the node and field of a missing node', async () => {
    const broken = flow('front-desk')
    broken.nodes.welcome.next = 'menu2'
    const response = await admin('POST', '/api/admin/ivr-flows/broken/versions', broken)
    expectValidationError(response, 'body/nodes/welcome/next: node "menu2" does not exist')
    expect((await admin('GET', '/api/admin/ivr-flows/broken')).status).toBe(404)
  })

  it('names an unreachable node', async () => {
    const orphaned = { ...flow('front-desk'), nodes: { ...flow('front-desk').nodes, orphan: { type: 'hangup' } } }
    expectValidationError(await admin('POST', '/api/admin/ivr-flows/broken/versions', orphaned), 'body/nodes/orphan: not reachable from start "welcome"')
  })

  it('names a loop without a key press', async () => {
    const looping = {
      start: 'a',
      nodes: {
        a: { type: 'say', text: prompt('A'), next: 'b' },
        b: { type: 'say', text: prompt('B'), next: 'a' },
      },
    }
    expectValidationError(await admin('POST', '/api/admin/ivr-flows/broken/versions', looping), 'loop without a key press (a -> b -> a)')
  })

  it('names an unknown queue', async () => {
    expectValidationError(await admin('POST', '/api/admin/ivr-flows/broken/versions', flow('nowhere')), 'body/nodes/hours/queue_id: queue "nowhere" does not exist', 'body/nodes/to_queue/queue_id: queue "nowhere" does not exist')
  })

  it('names schema errors inside a node', async () => {
    const bad = {
      start: 'welcome',
      nodes: {
        welcome: { type: 'say', text: { it: 'Ciao' }, next: 'dial' },
        dial: { type: 'dial', number: '+390612345' },
        menu: { type: 'menu', prompt: prompt('Premi'), options: { '12': 'welcome' }, no_input: 'welcome', timeout_seconds: 60 },
      },
    }
    const response = await admin('POST', '/api/admin/ivr-flows/broken/versions', bad)
    expectValidationError(
      response,
      'body/nodes/welcome/text/en is missing',
      'body/nodes/dial/type must be one of "say", "menu"',
      'got "dial"',
      'body/nodes/menu/options key "12" must match pattern',
      'body/nodes/menu/timeout_seconds must be <= 10; got 60',
    )
  })
})

describe('numbers', () => {
  beforeAll(async () => {
    await createTeam('genoa')
    await createQueue('genoa-desk', ['genoa'])
    await admin('POST', '/api/admin/ivr-flows/genoa-flow/versions', flow('genoa-desk'))
  })

  it('creates, reads, lists and deletes a number', async () => {
    const created = await admin('PUT', '/api/admin/numbers/%2B390101234567', { language: 'it', flow_id: 'genoa-flow' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ e164: '+390101234567', language: 'it', flow_id: 'genoa-flow' })
    const replaced = await admin('PUT', '/api/admin/numbers/%2B390101234567', { language: 'en', flow_id: null })
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ language: 'en', flow_id: null })
    expect((await admin('GET', '/api/admin/numbers/+390101234567')).body.e164).toBe('+390101234567')
    expect((await admin('GET', '/api/admin/numbers')).body.numbers.map((entry: { e164: string }) => entry.e164)).toContain('+390101234567')

    await admin('PUT', '/api/admin/numbers/%2B390101234567', { language: 'it', flow_id: 'genoa-flow' })
    expect((await admin('GET', '/api/admin/ivr-flows/genoa-flow')).body.numbers).toEqual(['+390101234567'])

    expect((await admin('DELETE', '/api/admin/numbers/%2B390101234567')).status).toBe(204)
    const gone = await admin('DELETE', '/api/admin/numbers/%2B390101234567')
    expect(gone.status).toBe(404)
    expect(gone.body.code).toBe('CENTRALINO_ERR_NUMBER_NOT_FOUND')
  })

  it('names an unknown flow', async () => {
    expectValidationError(await admin('PUT', '/api/admin/numbers/%2B390107654321', { language: 'it', flow_id: 'ghost-flow' }), 'body/flow_id "ghost-flow" is not an IVR flow')
    expect((await admin('GET', '/api/admin/numbers/%2B390107654321')).status).toBe(404)
  })

  it('names a number that is not E.164 and a bad language', async () => {
    expectValidationError(await admin('PUT', '/api/admin/numbers/0101234567', { language: 'it', flow_id: null }), 'params/e164 must match pattern', 'got "0101234567"')
    expectValidationError(await admin('PUT', '/api/admin/numbers/%2B390101234567', { language: 'fr', flow_id: null }), 'body/language must be one of "it", "en"; got "fr"')
  })
})

describe('routing rules', () => {
  it('returns the default rules until others are stored', async () => {
    const response = await admin('GET', '/api/admin/routing-rules')
    expect(response.status).toBe(200)
    expect(response.body).toEqual(DEFAULT_RULES)
  })

  it('stores rules with their defaults', async () => {
    const rules = [{ type: 'ticket_assignee' }, { type: 'organization_tag_boost', tag: 'gold', boost: 50 }]
    const stored = await admin('PUT', '/api/admin/routing-rules', rules)
    expect(stored.status).toBe(200)
    expect(stored.body).toEqual([{ type: 'ticket_assignee', wait_seconds: 20 }, { type: 'organization_tag_boost', tag: 'gold', boost: 50 }])
    expect((await admin('GET', '/api/admin/routing-rules')).body).toEqual(stored.body)
  })

  it('names an invalid rule', async () => {
    const response = await admin('PUT', '/api/admin/routing-rules', [{ type: 'ticket_group' }, { type: 'priority_boost', ticket_priorities: ['critical'], boost: 0 }])
    expectValidationError(response, 'body/1/ticket_priorities/0 must be one of "urgent", "high", "normal", "low"; got "critical"', 'body/1/boost must be >= 1; got 0')
    expectValidationError(await admin('PUT', '/api/admin/routing-rules', [{ type: 'round_robin' }]), 'body/0/type must be one of', 'got "round_robin"')
  })
})
