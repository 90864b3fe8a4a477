import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import jwt from 'jsonwebtoken'
import nock from 'nock'
import { answeredWithRecording, missed } from '../../../scripts/simulator/scenarios'
import type { ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import { createAppDist, openAppPage, openAppSession } from '../helpers/app-session'
import { AUDIO_DIR, settled, startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'
import { startTestBridge } from '../helpers/test-bridge'

const SESSION_SECRET = 'app-session-secret-0123456789abcdefghij'
let world: CallFlowWorld
let distDir: string
let admin: ZendeskUser
let agent: ZendeskUser
let restricted: ZendeskUser
let endUser: ZendeskUser
let answeredCall: any
let ticketId: number

const openLocation = (token: string | undefined, location = 'ticket_sidebar') => openAppPage(world.bridge, token, location)
const sessionFor = (user: ZendeskUser) => openAppSession(world.bridge, world.zendesk, user)

function call(session: string | undefined, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  return world.bridge.bridge.app.inject({ method, url, headers: session ? { authorization: `Bearer ${session}` } : {}, payload: payload as never })
}

beforeAll(async () => {
  distDir = createAppDist('centralino-app-dist-')
  writeFileSync(path.join(distDir, 'assets', 'main-abc123.js'), 'console.log(1)')
  world = await startCallFlowWorld({ env: { ZAF_APP_ID: '1001', APP_SESSION_SECRET: SESSION_SECRET, APP_DIST_DIR: distDir } })
  admin = world.zendesk.apps.seedStaff({ name: 'Anna Lead', email: 'anna@acme.example', role: 'admin' })
  agent = world.zendesk.apps.seedStaff({ name: 'Marco Agent', email: 'marco@acme.example', role: 'agent' })
  restricted = world.zendesk.apps.seedStaff({ name: 'Rita Restricted', email: 'rita@acme.example', role: 'agent' })
  Object.assign(restricted, { ticket_restriction: 'assigned' })
  endUser = world.zendesk.seedUser({ name: 'Carla Customer', phone: '+393401112233' })
  await world.bridge.bridge.db.query(`INSERT INTO agents (id, zendesk_user_id, name, state) VALUES ('marco', $1, 'Marco Agent', 'offline')`, [agent.id])

  const answered = await world.play(answeredWithRecording(world.input('393401112233')))
  const unanswered = await world.play(missed(world.input('393409998877')))
  answeredCall = await world.waitForCall(answered, settled, 'answered call logged')
  await world.waitForCall(unanswered, settled, 'missed call logged')
  ticketId = answeredCall.zendesk.ticket_id
})

afterAll(async () => {
  await world.close()
  rmSync(distDir, { recursive: true, force: true })
})

describe('app page and signed-URL session', () => {
  it('issues a session for a signed token', async () => {
    const page = await openLocation(world.zendesk.apps.signLocationToken(agent.id))
    expect(page.status).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self' 'nonce-")
    expect(page.bootstrap.location).toBe('ticket_sidebar')
    expect(page.bootstrap.session.token).toMatch(/^ey/)
    expect(page.bootstrap.error).toBeUndefined()
  })

  it('rejects a token signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    const forged = jwt.sign({}, other, { algorithm: 'RS256', subject: String(admin.id), audience: `${world.zendesk.url}/api/v2/apps/installations/2002.json`, expiresIn: 60 })
    const page = await openLocation(forged)
    expect(page.bootstrap.session).toBeUndefined()
    expect(page.bootstrap.error.code).toBe('CENTRALINO_ERR_APP_SIGNED_TOKEN')
  })

  it('rejects an expired token', async () => {
    const page = await openLocation(world.zendesk.apps.signLocationToken(agent.id, { expiresInSeconds: -120 }))
    expect(page.bootstrap.error.message).toContain('jwt expired')
  })

  it('rejects an HS256 token made with the public key', async () => {
    const confused = jwt.sign({ sub: String(admin.id) }, 'not-the-key', { algorithm: 'HS256' })
    expect((await openLocation(confused)).bootstrap.error.code).toBe('CENTRALINO_ERR_APP_SIGNED_TOKEN')
  })

  it('rejects end users and a missing token', async () => {
    expect((await openLocation(world.zendesk.apps.signLocationToken(endUser.id))).bootstrap.error.code).toBe('CENTRALINO_ERR_APP_USER')
    expect((await openLocation(undefined)).bootstrap.error.code).toBe('CENTRALINO_ERR_APP_SIGNED_TOKEN')
  })

  it('serves built assets and refuses others', async () => {
    expect((await call(undefined, 'GET', '/app/assets/main-abc123.js')).statusCode).toBe(200)
    expect((await call(undefined, 'GET', '/app/assets/..%2Findex.html')).statusCode).toBe(400)
    expect((await call(undefined, 'GET', '/app/assets/missing.js')).statusCode).toBe(404)
    expect((await call(undefined, 'GET', '/app/elsewhere')).statusCode).toBe(400)
  })
})

describe('app API with a session', () => {
  it('names the user and the role from Zendesk', async () => {
    const me = (await call(await sessionFor(admin), 'GET', '/app/api/me')).json()
    expect(me.user).toMatchObject({ zendesk_user_id: admin.id, is_lead: true, name: 'Anna Lead' })
    expect(me.agent).toBeNull()
    const agentMe = (await call(await sessionFor(agent), 'GET', '/app/api/me')).json()
    expect(agentMe.user.is_lead).toBe(false)
    expect(agentMe.agent).toMatchObject({ id: 'marco', state: 'offline' })
  })

  it('rejects missing and tampered sessions', async () => {
    expect((await call(undefined, 'GET', '/app/api/me')).statusCode).toBe(401)
    const session = await sessionFor(agent)
    const tampered = `${session.slice(0, -3)}${session.endsWith('AAA') ? 'BBB' : 'AAA'}`
    const response = await call(tampered, 'GET', '/app/api/me')
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('CENTRALINO_ERR_APP_SESSION')
  })

  it('refreshes a session', async () => {
    const response = await call(await sessionFor(agent), 'POST', '/app/api/session/refresh')
    expect(response.statusCode).toBe(200)
    expect(response.json().token).toMatch(/^ey/)
  })

  it('lists the calls of a ticket the agent can open', async () => {
    const response = await call(await sessionFor(agent), 'GET', `/app/api/tickets/${ticketId}/calls`)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.calls.map((item: { id: string }) => item.id)).toEqual([answeredCall.id])
    expect(body.calls[0]).toMatchObject({ outcome: 'answered', can_play: true, from: '+393401112233' })
    expect(body.calls[0].recordings).toHaveLength(1)
  })

  it('hides the calls of a ticket the agent cannot open', async () => {
    const response = await call(await sessionFor(restricted), 'GET', `/app/api/tickets/${ticketId}/calls`)
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('CENTRALINO_ERR_APP_TICKET_FORBIDDEN')
  })

  it('streams a recording through a link and audits it', async () => {
    const session = await sessionFor(agent)
    const recordingId = answeredCall.recordings[0].id
    const link = (await call(session, 'POST', `/app/api/recordings/${recordingId}/link`)).json()
    expect(link.url).toContain(`/app/recordings/${recordingId}?link=`)
    const audio = await call(undefined, 'GET', link.url)
    expect(audio.statusCode).toBe(200)
    expect(audio.headers['content-type']).toBe('audio/mpeg')
    expect(audio.rawPayload.equals(readFileSync(path.join(AUDIO_DIR, 'call-it.mp3')))).toBe(true)
    const audit = await world.bridge.bridge.db.query<{ plays: number; zendesk_user_id: string }>('SELECT plays, zendesk_user_id FROM app_playbacks WHERE recording_id = $1', [recordingId])
    expect(audit.rows.map((row) => ({ plays: row.plays, user: Number(row.zendesk_user_id) }))).toEqual([{ plays: 1, user: agent.id }])
  })

  it('refuses recording links to the wrong user or recording', async () => {
    const recordingId = answeredCall.recordings[0].id
    expect((await call(await sessionFor(restricted), 'POST', `/app/api/recordings/${recordingId}/link`)).statusCode).toBe(403)
    expect((await call(await sessionFor(agent), 'POST', '/app/api/recordings/nope/link')).statusCode).toBe(404)
    const link = (await call(await sessionFor(agent), 'POST', `/app/api/recordings/${recordingId}/link`)).json()
    const token = new URL(link.url, 'http://x').searchParams.get('link')
    expect((await call(undefined, 'GET', `/app/recordings/other-id?link=${token}`)).statusCode).toBe(403)
    expect((await call(await sessionFor(agent), 'GET', `/app/recordings/${recordingId}?link=${await sessionFor(agent)}`)).statusCode).toBe(403)
  })

  it('sets the agent state and names bad input', async () => {
    const session = await sessionFor(agent)
    const changed = await call(session, 'PUT', '/app/api/agent/state', { state: 'available' })
    expect(changed.json()).toMatchObject({ state: 'available', changed: true })
    const invalid = await call(session, 'PUT', '/app/api/agent/state', { state: 'on_call' })
    expect(invalid.statusCode).toBe(400)
    const stranger = await call(await sessionFor(admin), 'PUT', '/app/api/agent/state', { state: 'away' })
    expect(stranger.statusCode).toBe(404)
    expect(stranger.json().code).toBe('CENTRALINO_ERR_APP_NOT_AN_AGENT')
  })

  it('shows leads every call and agents their own', async () => {
    const all = (await call(await sessionFor(admin), 'GET', '/app/api/calls?per_page=10')).json()
    expect(all.total).toBe(2)
    expect((await call(await sessionFor(agent), 'GET', '/app/api/calls')).json().total).toBe(0)
    await world.bridge.bridge.db.query(`UPDATE calls SET agent_id = 'marco' WHERE id = $1`, [answeredCall.id])
    const own = (await call(await sessionFor(agent), 'GET', '/app/api/calls')).json()
    expect(own.calls.map((item: { id: string }) => item.id)).toEqual([answeredCall.id])
    expect(own.calls[0].agent).toMatchObject({ id: 'marco', name: 'Marco Agent' })
    expect((await call(await sessionFor(admin), 'GET', '/app/api/calls?outcome=missed')).json().total).toBe(1)
    expect((await call(await sessionFor(admin), 'GET', '/app/api/calls?outcome=lost')).statusCode).toBe(400)
  })

  it('exports the call log as CSV', async () => {
    const response = await call(await sessionFor(admin), 'GET', '/app/api/calls.csv')
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    const lines = response.body.trim().split('\r\n')
    expect(lines[0]).toBe('id,started_at,ended_at,direction,from,to,outcome,duration_seconds,talk_seconds,agent,queue_id,ticket_id,recordings')
    expect(lines).toHaveLength(3)
    expect(response.body).toContain(",'+393401112233,")
  })

  it('checks the number before dialling out', async () => {
    const session = await sessionFor(agent)
    const garbled = await call(session, 'POST', '/app/api/calls/outbound', { number: '0039 340', ticket_id: ticketId })
    expect(garbled.statusCode).toBe(400)
    expect(garbled.json()).toEqual({ code: 'CENTRALINO_ERR_OUTBOUND_NUMBER', message: 'Cannot call "0039 340": it is not a phone number; write it in E.164, such as +390212345678' })
    const abroad = await call(session, 'POST', '/app/api/calls/outbound', { number: '+14155552671' })
    expect(abroad.json().message).toBe('Cannot call "+14155552671": US is not in OUTBOUND_ALLOWED_COUNTRIES (IT)')
    const noDevice = await call(session, 'POST', '/app/api/calls/outbound', { number: '+393401112233' })
    expect(noDevice.statusCode).toBe(409)
    expect(noDevice.json().message).toBe('Cannot place the call: your agent profile has no phone or SIP device to ring first; pick Browser (softphone) under Ring me on in the top bar, or ask an admin to add your phone')
  })

  it('rings the agent, then the customer, and controls the call', async () => {
    try {
      await outboundAndControl()
    } finally {
      await world.bridge.bridge.db.query(`UPDATE agents SET state = 'offline', current_call_id = NULL WHERE id = 'marco'`)
      nock.cleanAll()
    }
  })

  async function outboundAndControl(): Promise<void> {
    const db = world.bridge.bridge.db
    await db.query(`UPDATE agents SET devices = '[{"type":"phone","number":"+390299000042"}]', state = 'available' WHERE id = 'marco'`)
    let created: any
    let dialled: any
    nock('https://api.nexmo.com')
      .post('/v1/calls', (body) => ((created = body), true))
      .reply(201, { uuid: 'agentleg42', status: 'started', direction: 'outbound', conversation_uuid: 'CON-outbound-42' })
      .post('/v1/calls', (body) => ((dialled = body), true))
      .reply(201, { uuid: 'customerleg42', status: 'started', direction: 'outbound', conversation_uuid: 'CON-customer-42' })
      .put('/v1/calls/agentleg42', { action: 'mute' })
      .reply(204)
      .put('/v1/calls/agentleg42', { action: 'unmute' })
      .reply(400, { title: 'Bad Request' })
    const session = await sessionFor(agent)

    const started = await call(session, 'POST', '/app/api/calls/outbound', { number: '+39 340 111 2233', ticket_id: ticketId })
    expect(started.statusCode).toBe(201)
    expect(started.json()).toEqual({ call_id: 'CON-outbound-42' })
    expect(created.to).toEqual([{ type: 'phone', number: '390299000042' }])
    expect(created.from).toEqual({ type: 'phone', number: '390240708090' })
    expect(created.ncco[1]).toMatchObject({ action: 'conversation', startOnEnter: true, endOnExit: true, record: true })
    const conversation = created.ncco[1].name
    expect(conversation).toMatch(/^centralino-out-[0-9a-f]{16}$/)
    expect(created.ncco[1].eventUrl).toEqual([`https://bridge.example.test/vonage/event?recording=call&outbound=${conversation}`])
    const row = await db.query<{ direction: string; ticket_id: string; agent_id: string }>('SELECT direction, ticket_id, agent_id FROM calls WHERE id = $1', ['CON-outbound-42'])
    expect({ ...row.rows[0], ticket_id: Number(row.rows[0].ticket_id) }).toEqual({ direction: 'outbound', ticket_id: ticketId, agent_id: 'marco' })
    expect((await db.query<{ state: string }>(`SELECT state FROM agents WHERE id = 'marco'`)).rows[0].state).toBe('on_call')

    const busy = await call(session, 'POST', '/app/api/calls/outbound', { number: '+393401112233' })
    expect(busy.json().message).toBe('Cannot place the call: you are already on a call or being offered one')
    expect((await call(session, 'POST', '/app/api/calls/CON-outbound-42/control', { action: 'mute' })).statusCode).toBe(204)
    const hold = await call(session, 'POST', '/app/api/calls/CON-outbound-42/control', { action: 'hold' })
    expect(hold.statusCode).toBe(400)
    expect(hold.json().message).toBe('the customer is not connected yet, so "hold" cannot be sent')
    const refused = await call(session, 'POST', '/app/api/calls/CON-outbound-42/control', { action: 'unmute' })
    expect(refused.statusCode).toBe(502)
    expect(refused.json().message).toBe('Vonage did not unmute the call (400); the call is as it was, try again')
    const stranger = await call(await sessionFor(admin), 'POST', '/app/api/calls/CON-outbound-42/control', { action: 'hangup' })
    expect(stranger.statusCode).toBe(409)

    // The customer's leg reports to the event URL that the bridge gave it, which names the call.
    const customerQuery: Record<string, string> = { step: 'customer', call: 'CON-outbound-42' }
    const event = (leg: string, status: string, extra: Record<string, unknown> = {}) => ({
      method: 'POST' as const,
      path: '/vonage/event' as const,
      query: leg === 'customerleg42' ? customerQuery : {},
      body: { uuid: leg, conversation_uuid: leg === 'customerleg42' ? 'CON-customer-42' : 'CON-outbound-42', status, direction: 'outbound', timestamp: new Date().toISOString(), ...extra },
    })
    expect((await world.bridge.deliver(event('agentleg42', 'answered'))).status).toBe(204)
    expect(dialled.to).toEqual([{ type: 'phone', number: '393401112233' }])
    expect(dialled.from).toEqual({ type: 'phone', number: '390240708090' })
    expect(dialled.ncco).toEqual([{ action: 'conversation', name: conversation, startOnEnter: true }])
    expect(dialled.event_url).toEqual(['https://bridge.example.test/vonage/event?step=customer&call=CON-outbound-42'])
    for (const delivery of [
      event('customerleg42', 'answered'),
      event('customerleg42', 'completed', { duration: '30' }),
      event('agentleg42', 'completed', { duration: '35' }),
    ]) {
      expect((await world.bridge.deliver(delivery)).status).toBe(204)
    }
    const logged = await world.waitForCall('CON-outbound-42', settled, 'the outbound call to be logged')
    expect(logged).toMatchObject({ direction: 'outbound', outcome: 'answered', duration_seconds: 35, talk_seconds: 30 })
    expect(logged.zendesk.ticket_id).toBe(ticketId)
    const note = world.zendesk.state.comments.find((comment) => comment.body.includes('CON-outbound-42'))
    expect(note?.body).toContain('Chiamata in uscita')
    expect(note?.body).toContain('A: +393401112233')
  }

  it('refuses an offer that is not ringing for the user', async () => {
    const response = await call(await sessionFor(agent), 'POST', '/app/api/offers/99/decline')
    expect(response.statusCode).toBe(404)
    expect(response.json().code).toBe('CENTRALINO_ERR_APP_OFFER_NOT_FOUND')
  })
})

describe('app event stream', () => {
  it('sends agent state changes', async () => {
    const app = world.bridge.bridge.app
    await app.listen({ port: 0, host: '127.0.0.1' })
    const port = (app.server.address() as AddressInfo).port
    const session = await sessionFor(agent)
    const controller = new AbortController()
    const response = await fetch(`http://127.0.0.1:${port}/app/api/events`, { headers: { authorization: `Bearer ${session}` }, signal: controller.signal })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const reader = response.body!.getReader()
    let text = ''
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value)
    }
    await readUntil('event: agent_state')
    await call(session, 'PUT', '/app/api/agent/state', { state: 'away' })
    await readUntil('"state":"away"')
    controller.abort()
    expect(text).toContain('retry: 5000')
  })
})

describe('app API without a session secret', () => {
  it('answers 503 with the settings to add', async () => {
    const bare = await startTestBridge({ workers: false })
    try {
      const response = await bare.bridge.app.inject({ method: 'GET', url: '/app/api/me' })
      expect(response.statusCode).toBe(503)
      expect(response.json().message).toContain('APP_SESSION_SECRET')
    } finally {
      await bare.close()
    }
  })
})
