import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import nock from 'nock'
import type { ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import { createAppDist, openAppSession } from '../helpers/app-session'
import { startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'
import { menuFlow, seedFlow, seedQueue, seedTeam } from '../helpers/routing-seed'

const SESSION_SECRET = 'app-session-secret-0123456789abcdefghij'
const ITALIAN_LINE = '390240708090'
const OFFICE_PHONE = { type: 'phone', number: '+390299000042' }
const DESK_SIP = { type: 'sip', uri: 'sip:marco@pbx.acme.example' }
const SOFTPHONE = { type: 'app', user: 'centralino-agent-marco' }
let world: CallFlowWorld
let distDir: string
let agent: ZendeskUser
let admin: ZendeskUser

const sessionFor = (user: ZendeskUser) => openAppSession(world.bridge, world.zendesk, user, 'top_bar')

function call(session: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) {
  return world.bridge.bridge.app.inject({ method, url, headers: { authorization: `Bearer ${session}` }, payload: payload as never })
}

async function storedDevice(): Promise<unknown> {
  const result = await world.bridge.bridge.db.query<{ active_device: unknown }>(`SELECT active_device FROM agents WHERE id = 'marco'`)
  return result.rows[0].active_device
}

async function setAgent(state: string, activeDevice: object | null): Promise<void> {
  await world.bridge.bridge.db.query(`UPDATE agents SET state = $1, active_device = $2, current_call_id = NULL WHERE id = 'marco'`, [
    state,
    activeDevice === null ? null : JSON.stringify(activeDevice),
  ])
}

beforeAll(async () => {
  distDir = createAppDist('centralino-app-dist-')
  world = await startCallFlowWorld({ env: { ZAF_APP_ID: '1001', APP_SESSION_SECRET: SESSION_SECRET, APP_DIST_DIR: distDir, ACD_INTERVAL_MS: '60000' } })
  agent = world.zendesk.apps.seedStaff({ name: 'Marco Agent', email: 'marco@acme.example', role: 'agent' })
  admin = world.zendesk.apps.seedStaff({ name: 'Anna Lead', email: 'anna@acme.example', role: 'admin' })
  const db = world.bridge.bridge.db
  await seedTeam(db, 'rome', 'Europe/Rome', { start: '00:00', end: '24:00' }, 501)
  await db.query(`INSERT INTO agents (id, zendesk_user_id, name, team_id, languages, devices, state) VALUES ('marco', $1, 'Marco Agent', 'rome', '{it}', $2, 'offline')`, [
    agent.id,
    JSON.stringify([OFFICE_PHONE, DESK_SIP]),
  ])
  await seedQueue(db, 'support', ['rome'])
  await seedFlow(db, 'main', menuFlow('support'), [`+${ITALIAN_LINE}`])
  nock.enableNetConnect('127.0.0.1')
})

afterEach(() => {
  nock.cleanAll()
})

afterAll(async () => {
  await world.close()
  rmSync(distDir, { recursive: true, force: true })
})

describe('agent device choice', () => {
  it('lists devices with the softphone and the default', async () => {
    await setAgent('offline', null)
    const me = (await call(await sessionFor(agent), 'GET', '/app/api/me')).json()
    expect(me.agent.devices).toEqual([OFFICE_PHONE, DESK_SIP, SOFTPHONE])
    expect(me.agent.active_device).toEqual(OFFICE_PHONE)
    expect(me.agent.device_chosen).toBe(false)
  })

  it('stores the picked device', async () => {
    await setAgent('available', null)
    const session = await sessionFor(agent)
    const picked = await call(session, 'PUT', '/app/api/me/device', SOFTPHONE)
    expect(picked.statusCode).toBe(200)
    expect(picked.json()).toEqual({ devices: [OFFICE_PHONE, DESK_SIP, SOFTPHONE], active_device: SOFTPHONE, device_chosen: true })
    expect(await storedDevice()).toEqual(SOFTPHONE)
    const me = (await call(session, 'GET', '/app/api/me')).json()
    expect(me.agent.active_device).toEqual(SOFTPHONE)
  })

  it('rejects an unknown device by name', async () => {
    await setAgent('available', DESK_SIP)
    const response = await call(await sessionFor(agent), 'PUT', '/app/api/me/device', { type: 'phone', number: '+390299000099' })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('CENTRALINO_ERR_DEVICE_UNKNOWN')
    expect(response.json().message).toBe(
      'Device "+390299000099" (phone) is not one of your devices: pick one listed by GET /app/api/me, or ask an admin to add it',
    )
    expect(await storedDevice()).toEqual(DESK_SIP)
  })

  it('rejects another agent’s softphone', async () => {
    await setAgent('available', null)
    const response = await call(await sessionFor(agent), 'PUT', '/app/api/me/device', { type: 'app', user: 'centralino-agent-anna' })
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toContain('"centralino-agent-anna" (app)')
    expect(await storedDevice()).toBeNull()
  })

  it('rejects malformed devices', async () => {
    const session = await sessionFor(agent)
    for (const body of [{ type: 'fax', number: '+390299000042' }, { type: 'phone', number: '02 9900 0042' }, { type: 'sip', uri: 'marco' }, {}]) {
      const response = await call(session, 'PUT', '/app/api/me/device', body)
      expect(response.statusCode).toBe(400)
      expect(response.json().code).toBe('CENTRALINO_ERR_VALIDATION')
    }
  })

  it('refuses a change during a call', async () => {
    const session = await sessionFor(agent)
    for (const state of ['offered', 'on_call']) {
      await setAgent(state, OFFICE_PHONE)
      const response = await call(session, 'PUT', '/app/api/me/device', DESK_SIP)
      expect(response.statusCode).toBe(409)
      expect(response.json().code).toBe('CENTRALINO_ERR_DEVICE_BUSY')
      expect(await storedDevice()).toEqual(OFFICE_PHONE)
    }
  })

  it('answers 404 to a user who is not an agent', async () => {
    const response = await call(await sessionFor(admin), 'PUT', '/app/api/me/device', SOFTPHONE)
    expect(response.statusCode).toBe(404)
    expect(response.json().code).toBe('CENTRALINO_ERR_APP_NOT_AN_AGENT')
  })

  it('reports an unreachable Vonage when minting a softphone token', async () => {
    nock('https://api.nexmo.com').post('/v1/users').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })
    const response = await call(await sessionFor(agent), 'POST', '/app/api/softphone/token')
    expect(response.statusCode).toBe(502)
    expect(response.json()).toEqual({
      code: 'CENTRALINO_ERR_SOFTPHONE_USER',
      message: 'The bridge could not reach Vonage to set up your softphone user; try again in a minute',
    })
  })

  it('falls back when an admin removed the picked device', async () => {
    await setAgent('offline', { type: 'phone', number: '+390299000077' })
    const me = (await call(await sessionFor(agent), 'GET', '/app/api/me')).json()
    expect(me.agent.active_device).toEqual(OFFICE_PHONE)
  })
})

describe('ringing the active device', () => {
  function nockCreateCall(sent: Array<Record<string, any>>) {
    return nock('https://api.nexmo.com')
      .post('/v1/calls', (body) => (sent.push(body), true))
      .reply(201, () => ({ uuid: `agentleg${sent.length}`, status: 'started', direction: 'outbound', conversation_uuid: `CON-device-${randomUUID()}` }))
  }

  it('click-to-call rings the softphone first', async () => {
    await setAgent('available', SOFTPHONE)
    const sent: Array<Record<string, any>> = []
    const vonage = nockCreateCall(sent)
    const started = await call(await sessionFor(agent), 'POST', '/app/api/calls/outbound', { number: '+393401112233' })
    expect(started.statusCode).toBe(201)
    expect(vonage.isDone()).toBe(true)
    expect(sent[0].to).toEqual([SOFTPHONE])
    expect(sent[0].ncco[1]).toMatchObject({ action: 'conversation', startOnEnter: true, endOnExit: true })
  })

  it('click-to-call rings the default phone', async () => {
    await setAgent('available', null)
    const sent: Array<Record<string, any>> = []
    nockCreateCall(sent)
    expect((await call(await sessionFor(agent), 'POST', '/app/api/calls/outbound', { number: '+393401112233' })).statusCode).toBe(201)
    expect(sent[0].to).toEqual([{ type: 'phone', number: '390299000042' }])
  })

  it('an offer rings the picked SIP device', async () => {
    await setAgent('available', DESK_SIP)
    const sent: Array<Record<string, any>> = []
    const vonage = nockCreateCall(sent)
    const callId = `CON-${randomUUID()}`
    const leg = randomUUID().replace(/-/g, '')
    const answered = await world.bridge.deliver({ method: 'GET', path: '/vonage/answer', query: { to: ITALIAN_LINE, from: '393471234567', uuid: leg, conversation_uuid: callId } })
    expect(answered.status).toBe(200)
    const queued = await world.bridge.deliver({
      method: 'POST',
      path: '/vonage/event',
      query: { step: 'ivr', node: 'menu' },
      body: { uuid: leg, conversation_uuid: callId, dtmf: { digits: '1', timed_out: false }, timestamp: new Date().toISOString() },
    })
    expect(queued.status).toBe(200)
    await world.bridge.bridge.acd!.settle()
    expect(vonage.isDone()).toBe(true)
    expect(sent[0].to).toEqual([DESK_SIP])
  })
})
