import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import nock from 'nock'
import { answeredWithRecording } from '../../../scripts/simulator/scenarios'
import type { ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import { createAppDist, openAppSession } from '../helpers/app-session'
import { settled, startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'

const SESSION_SECRET = 'app-session-secret-0123456789abcdefghij'
let world: CallFlowWorld
let distDir: string
let agent: ZendeskUser
let carla: ZendeskUser
let paolo: ZendeskUser
let pia: ZendeskUser
let carlaTicketId: number
let carlaCallId: string

const sessionFor = (user: ZendeskUser) => openAppSession(world.bridge, world.zendesk, user, 'user_sidebar')

function call(session: string | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return world.bridge.bridge.app.inject({ method, url, headers: session ? { authorization: `Bearer ${session}` } : {}, payload: payload as never })
}

/** Makes the intercepted Voice API reply to POST /v1/calls with the given legs, and returns the request bodies it receives. */
function vonageCreates(agentLeg: string, conversation: string): unknown[] {
  const bodies: unknown[] = []
  nock('https://api.nexmo.com')
    .post('/v1/calls', (body) => (bodies.push(body), true))
    .reply(201, { uuid: agentLeg, status: 'started', direction: 'outbound', conversation_uuid: conversation })
  return bodies
}

/** Plays an answered, recorded outbound call: agent leg, customer leg, both completed, then the record event. */
async function playOutbound(conversation: string, agentLeg: string, customerNumber: string): Promise<void> {
  const recordingUrl = world.input(customerNumber).recordingUrl!(randomUUID())
  const now = Date.now()
  const event = (body: Record<string, unknown>, query?: Record<string, string>) => ({ method: 'POST' as const, path: '/vonage/event' as const, ...(query ? { query } : {}), body })
  const status = (leg: string, value: string, extra: Record<string, unknown> = {}) =>
    event({ uuid: leg, conversation_uuid: conversation, status: value, direction: 'outbound', timestamp: new Date().toISOString(), ...extra })
  const customerLeg = `${agentLeg}c`
  for (const delivery of [
    status(agentLeg, 'answered'),
    status(customerLeg, 'answered'),
    status(customerLeg, 'completed', { duration: '30' }),
    status(agentLeg, 'completed', { duration: '35' }),
    event(
      {
        start_time: new Date(now - 35_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        recording_url: recordingUrl,
        size: 120_000,
        recording_uuid: randomUUID(),
        end_time: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
        conversation_uuid: conversation,
        timestamp: new Date(now).toISOString(),
      },
      { recording: 'call' },
    ),
  ]) {
    expect((await world.bridge.deliver(delivery)).status).toBe(204)
  }
}

async function freeAgent(): Promise<void> {
  await world.bridge.bridge.db.query(`UPDATE agents SET state = 'available', current_call_id = NULL WHERE id = 'marco'`)
}

beforeAll(async () => {
  distDir = createAppDist('centralino-app-dist-')
  world = await startCallFlowWorld({ env: { ZAF_APP_ID: '1001', APP_SESSION_SECRET: SESSION_SECRET, APP_DIST_DIR: distDir } })
  agent = world.zendesk.apps.seedStaff({ name: 'Marco Agent', email: 'marco@acme.example', role: 'agent' })
  carla = world.zendesk.seedUser({ name: 'Carla Customer', phone: '+393401112233' })
  // Paolo and Pia share one landline, so only the requester id identifies whom an agent called.
  paolo = world.zendesk.seedUser({ name: 'Paolo Rossi', phone: '+390612345678' })
  pia = world.zendesk.seedUser({ name: 'Pia Rossi', phone: '+390612345678' })
  carlaTicketId = world.zendesk.seedTicket({ requesterId: carla.id, subject: 'Fattura doppia', status: 'open' }).id
  await world.bridge.bridge.db.query(
    `INSERT INTO agents (id, zendesk_user_id, name, state, devices) VALUES ('marco', $1, 'Marco Agent', 'available', '[{"type":"phone","number":"+390299000042"}]')`,
    [agent.id],
  )
  carlaCallId = await world.play(answeredWithRecording(world.input('393401112233')))
  await world.waitForCall(carlaCallId, settled, 'Carla call logged')
})

afterEach(async () => {
  nock.cleanAll()
  await freeAgent()
})

afterAll(async () => {
  await world.close()
  rmSync(distDir, { recursive: true, force: true })
})

describe('user sidebar calls', () => {
  it('lists the calls and the open ticket', async () => {
    const response = await call(await sessionFor(agent), 'GET', `/app/api/users/${carla.id}/calls`)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.user_id).toBe(carla.id)
    expect(body.open_ticket).toEqual({ id: carlaTicketId, subject: 'Fattura doppia', status: 'open' })
    expect(body.calls.map((item: { id: string }) => item.id)).toEqual([carlaCallId])
    expect(body.calls[0].can_play).toBe(true)
  })

  it('returns no open ticket for a new user', async () => {
    const body = (await call(await sessionFor(agent), 'GET', `/app/api/users/${pia.id}/calls`)).json()
    expect(body.open_ticket).toBeNull()
    expect(body.calls).toEqual([])
  })

  it('rejects unknown users and missing sessions', async () => {
    const session = await sessionFor(agent)
    const unknown = await call(session, 'GET', '/app/api/users/999999/calls')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual({ code: 'CENTRALINO_ERR_APP_USER_NOT_FOUND', message: "Zendesk user 999999 not found: reopen the user's profile in Zendesk" })
    expect((await call(undefined, 'GET', `/app/api/users/${carla.id}/calls`)).statusCode).toBe(401)
    expect((await call(session, 'GET', '/app/api/users/0/calls')).statusCode).toBe(400)
  })
})

describe('user sidebar click-to-call', () => {
  it('logs on the open ticket', async () => {
    const bodies = vonageCreates('userleg01', 'CON-user-01')
    const started = await call(await sessionFor(agent), 'POST', `/app/api/users/${carla.id}/calls`, { number: '+393401112233', ticket_id: carlaTicketId })
    expect(started.statusCode).toBe(201)
    expect(started.json()).toEqual({ call_id: 'CON-user-01', ticket_id: carlaTicketId })
    expect((bodies[0] as { to: unknown }).to).toEqual([{ type: 'phone', number: '390299000042' }])

    await playOutbound('CON-user-01', 'userleg01', '393401112233')
    const logged = await world.waitForCall('CON-user-01', settled, 'the outbound call to be logged')
    expect(logged.zendesk.ticket_id).toBe(carlaTicketId)
    expect(logged.recordings.map((recording: { state: string }) => recording.state)).toEqual(['attached'])
    const note = world.zendesk.state.comments.find((comment) => comment.ticket_id === carlaTicketId && comment.body.includes('CON-user-01'))
    expect(note?.body).toContain('Chiamata in uscita')
  })

  it('creates a ticket for the called user', async () => {
    const ticketsBefore = world.zendesk.state.tickets.length
    vonageCreates('userleg02', 'CON-user-02')
    const started = await call(await sessionFor(agent), 'POST', `/app/api/users/${pia.id}/calls`, { number: '+39 06 1234 5678' })
    expect(started.json()).toEqual({ call_id: 'CON-user-02', ticket_id: null })
    const stored = await world.bridge.bridge.db.query<{ requester_id: string; ticket_id: string | null }>('SELECT requester_id, ticket_id FROM calls WHERE id = $1', ['CON-user-02'])
    expect(Number(stored.rows[0].requester_id)).toBe(pia.id)
    expect(stored.rows[0].ticket_id).toBeNull()

    await playOutbound('CON-user-02', 'userleg02', '390612345678')
    const logged = await world.waitForCall('CON-user-02', settled, 'the outbound call to get a new ticket')
    expect(world.zendesk.state.tickets.length).toBe(ticketsBefore + 1)
    const ticket = world.zendesk.state.tickets.find((candidate) => candidate.id === logged.zendesk.ticket_id)
    expect(ticket?.requester_id).toBe(pia.id)
    expect(ticket?.requester_id).not.toBe(paolo.id)
    expect(logged.zendesk.ticket_reused).toBe(false)
    expect(logged.recordings.map((recording: { state: string }) => recording.state)).toEqual(['attached'])
  })

  it('rejects bad input without dialling', async () => {
    const session = await sessionFor(agent)
    const scope = nock('https://api.nexmo.com').post('/v1/calls').reply(201, {})
    const otherTicket = await call(session, 'POST', `/app/api/users/${pia.id}/calls`, { number: '+390612345678', ticket_id: carlaTicketId })
    expect(otherTicket.statusCode).toBe(400)
    expect(otherTicket.json().message).toBe(
      `Ticket ${carlaTicketId} belongs to requester ${carla.id}, not to user ${pia.id}: call from that ticket's sidebar, or leave ticket_id out`,
    )
    const garbled = await call(session, 'POST', `/app/api/users/${pia.id}/calls`, { number: 'abc' })
    expect(garbled.json()).toEqual({ code: 'CENTRALINO_ERR_OUTBOUND_NUMBER', message: 'Cannot call "abc": it is not a phone number; write it in E.164, such as +390212345678' })
    const unknown = await call(session, 'POST', '/app/api/users/999999/calls', { number: '+390612345678' })
    expect(unknown.statusCode).toBe(404)
    expect(scope.isDone()).toBe(false)
    const agentRow = await world.bridge.bridge.db.query<{ state: string }>(`SELECT state FROM agents WHERE id = 'marco'`)
    expect(agentRow.rows[0].state).toBe('available')
  })
})
