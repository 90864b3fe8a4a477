import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import nock from 'nock'
import type { ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import { callFlowHelpers, createAppDist, interceptNewCallsOn, openAppSession } from '../helpers/app-session'
import { settled, startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'
import { menuFlow, seedFlow, seedQueue, seedTeam } from '../helpers/routing-seed'

const LINE = '390240708090'
const REGION = 'https://api-eu-1.vonage.com'
const SUPPORT_MUSIC = 'https://music.example.test/support.mp3'
const BILLING_MUSIC = 'https://music.example.test/billing.mp3'
const SESSION_SECRET = 'transfer-session-secret-0123456789abcdef'

let world: CallFlowWorld
let distDir: string
let anna: ZendeskUser
let bruno: ZendeskUser
let annaSession: string
const created: Array<Record<string, any>> = []

const sessionFor = (user: ZendeskUser) => openAppSession(world.bridge, world.zendesk, user)
const { api, db, one, agentStates } = callFlowHelpers(() => world, () => annaSession)

/** A caller in the support queue whom the ACD gave to Anna, who answered. */
async function callAnsweredByAnna(): Promise<{ callId: string; callerLeg: string; annaLeg: string }> {
  // Earlier offers move a minute back, out of the ACD's budget of new calls per second.
  await db().query(`UPDATE offers SET state = CASE WHEN state IN ('ringing', 'accepted') THEN 'ended' ELSE state END, created_at = created_at - interval '1 minute'`)
  await db().query(`UPDATE queue_entries SET state = 'abandoned' WHERE state IN ('waiting', 'offering', 'connected')`)
  await db().query(`UPDATE agents SET state = 'offline', current_call_id = NULL`)
  await db().query(`UPDATE agents SET state = 'available' WHERE id = 'anna'`)
  const callId = `CON-${randomUUID()}`
  const callerLeg = randomUUID().replace(/-/g, '')
  await world.bridge.deliver({ method: 'GET', path: '/vonage/answer', query: { to: LINE, from: '393471234567', uuid: callerLeg, conversation_uuid: callId, region_url: REGION } })
  await world.bridge.deliver({ method: 'POST', path: '/vonage/event', query: { step: 'ivr', node: 'menu' }, body: { uuid: callerLeg, conversation_uuid: callId, dtmf: { digits: '1' } } })
  await world.bridge.bridge.acd!.settle()
  const offer = await one<{ id: string; agent_leg_id: string }>(`SELECT id, agent_leg_id FROM offers WHERE call_id = $1 AND agent_id = 'anna'`, [callId])
  await world.bridge.deliver({
    method: 'POST',
    path: '/vonage/event',
    query: { step: 'offer', offer: String(offer.id) },
    body: { uuid: offer.agent_leg_id, conversation_uuid: 'CON-anna', status: 'answered', direction: 'outbound', timestamp: new Date().toISOString() },
  })
  await db().query(`UPDATE agents SET state = 'available' WHERE id = 'bruno'`)
  return { callId, callerLeg, annaLeg: offer.agent_leg_id }
}

async function transferRows(callId: string) {
  const result = await db().query<{ kind: string; state: string; target_type: string; target_label: string }>(
    'SELECT kind, state, target_type, target_label FROM call_transfers WHERE call_id = $1 ORDER BY id',
    [callId],
  )
  return result.rows
}

function interceptNewCalls(): void {
  interceptNewCallsOn('https://api.nexmo.com', created)
}

beforeAll(async () => {
  distDir = createAppDist('centralino-transfer-dist-')
  world = await startCallFlowWorld({ env: { ACD_INTERVAL_MS: '60000', ZAF_APP_ID: '1001', APP_SESSION_SECRET: SESSION_SECRET, APP_DIST_DIR: distDir } })
  anna = world.zendesk.apps.seedStaff({ name: 'Anna Agent', email: 'anna@acme.example', role: 'agent' })
  bruno = world.zendesk.apps.seedStaff({ name: 'Bruno Agent', email: 'bruno@acme.example', role: 'agent' })
  await seedTeam(db(), 'rome', 'Europe/Rome', { start: '00:00', end: '24:00' }, 501, 600)
  for (const [id, user, phone] of [['anna', anna, '+390299000001'], ['bruno', bruno, '+390299000002']] as const) {
    await db().query(`INSERT INTO agents (id, zendesk_user_id, name, team_id, languages, devices, state) VALUES ($1, $2, $3, 'rome', '{it,en}', $4, 'offline')`, [
      id,
      user.id,
      user.name,
      JSON.stringify([{ type: 'phone', number: phone }]),
    ])
  }
  await seedQueue(db(), 'support', ['rome'])
  await seedQueue(db(), 'billing', ['rome'])
  await db().query(`UPDATE queues SET hold_music_url = $2 WHERE id = $1`, ['support', SUPPORT_MUSIC])
  await db().query(`UPDATE queues SET hold_music_url = $2, name = 'Billing' WHERE id = $1`, ['billing', BILLING_MUSIC])
  await seedFlow(db(), 'main', menuFlow('support'), [`+${LINE}`])
  interceptNewCalls()
  annaSession = await sessionFor(anna)
})

afterAll(async () => {
  nock.cleanAll()
  await world.close()
  rmSync(distDir, { recursive: true, force: true })
})

describe('mute', () => {
  it('mute state is read back', async () => {
    const { callId, annaLeg } = await callAnsweredByAnna()
    const scope = nock(REGION).put(`/v1/calls/${annaLeg}`, { action: 'mute' }).reply(204).put(`/v1/calls/${annaLeg}`, { action: 'unmute' }).reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/control`, { action: 'mute' })).statusCode).toBe(204)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toEqual({ on_hold: false, agent_muted: true, consult: null })

    expect((await api('POST', `/app/api/calls/${callId}/control`, { action: 'unmute' })).statusCode).toBe(204)
    expect(scope.isDone()).toBe(true)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toEqual({ on_hold: false, agent_muted: false, consult: null })
  })

  it('rejected mute stores nothing', async () => {
    const { callId, annaLeg } = await callAnsweredByAnna()
    nock(REGION).put(`/v1/calls/${annaLeg}`, { action: 'mute' }).reply(500, { title: 'Internal Error' })
    const refused = await api('POST', `/app/api/calls/${callId}/control`, { action: 'mute' })
    expect(refused.statusCode).toBe(502)
    expect((await one<{ muted_leg_id: string | null }>('SELECT muted_leg_id FROM calls WHERE id = $1', [callId])).muted_leg_id).toBeNull()
  })
})

describe('hold with music', () => {
  it('hold plays music, unhold restores', async () => {
    const { callId, callerLeg } = await callAnsweredByAnna()
    const hold = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, { action: 'earmuff' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'mute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}/stream`, { stream_url: [SUPPORT_MUSIC], loop: 0 })
      .reply(200, { message: 'Stream started', uuid: callerLeg })
    const held = await api('POST', `/app/api/calls/${callId}/control`, { action: 'hold' })
    expect(held.statusCode).toBe(204)
    expect(hold.isDone()).toBe(true)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toEqual({ on_hold: true, agent_muted: false, consult: null })

    const unhold = nock(REGION)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, { message: 'Stream stopped', uuid: callerLeg })
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/control`, { action: 'unhold' })).statusCode).toBe(204)
    expect(unhold.isDone()).toBe(true)
    expect((await one<{ on_hold: boolean }>('SELECT on_hold FROM calls WHERE id = $1', [callId])).on_hold).toBe(false)
  })

  it('rejected music undoes earlier steps', async () => {
    const { callId, callerLeg } = await callAnsweredByAnna()
    const scope = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, { action: 'earmuff' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'mute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}/stream`)
      .reply(400, { title: 'Bad Request' })
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
    const held = await api('POST', `/app/api/calls/${callId}/control`, { action: 'hold' })
    expect(held.statusCode).toBe(502)
    expect(held.json().message).toBe('Vonage did not hold the call (400); the call is as it was, try again')
    expect(scope.isDone()).toBe(true)
    expect((await one<{ on_hold: boolean }>('SELECT on_hold FROM calls WHERE id = $1', [callId])).on_hold).toBe(false)
  })
})

describe('outbound call connected straight to the customer', () => {
  // Calls placed before outbound calls ran in a conversation: their legs are joined by connect.
  it('holds without music, rejects consult', async () => {
    await callAnsweredByAnna()
    const callId = `CON-out-${randomUUID()}`
    await db().query(`INSERT INTO calls (id, direction, caller_leg_id, from_e164, to_e164, status, agent_id, region_url) VALUES ($1, 'outbound', $2, $3, $4, 'in_progress', 'anna', $5)`, [
      callId,
      'annaout',
      `+${LINE}`,
      '+393471234567',
      REGION,
    ])
    await db().query(`INSERT INTO call_legs (id, call_id, status) VALUES ('annaout', $1, 'answered'), ('customerout', $1, 'answered')`, [callId])
    const hold = nock(REGION).put('/v1/calls/customerout', { action: 'earmuff' }).reply(204).put('/v1/calls/customerout', { action: 'mute' }).reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/control`, { action: 'hold' })).statusCode).toBe(204)
    expect(hold.isDone()).toBe(true)

    const consult = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'number', value: '+390212345678' } })
    expect(consult.statusCode).toBe(409)
    expect(consult.json().message).toBe(
      'Cannot transfer the call: this call is connected straight to a number, not through a conversation, so nobody can join it for a consultation; transfer it to a number instead',
    )
    const toAgent = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'cold', target: { type: 'agent', value: 'bruno' } })
    expect(toAgent.json().message).toBe(
      'Cannot transfer the call: this call is connected straight to a number, not through a conversation, so an agent or a queue cannot take it over; transfer it to a number instead',
    )
    expect(await transferRows(callId)).toEqual([])
  })
})

describe('cold transfer', () => {
  it('cold transfer to an agent', async () => {
    const { callId, callerLeg, annaLeg } = await callAnsweredByAnna()
    let moved: any
    const scope = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, (body) => ((moved = body), body.action === 'transfer'))
      .reply(204)
      .put(`/v1/calls/${annaLeg}`, { action: 'hangup' })
      .reply(204)
    const before = created.length
    const response = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'cold', target: { type: 'agent', value: 'bruno' } })
    expect(response.statusCode).toBe(200)
    expect(scope.isDone()).toBe(true)

    const conversation = moved.destination.ncco[0]
    expect(conversation).toMatchObject({ action: 'conversation', startOnEnter: false, musicOnHoldUrl: [SUPPORT_MUSIC] })
    expect(conversation.name).toMatch(new RegExp(`^centralino-${callId}-[0-9a-f]{8}$`))
    const ring = created[before]
    expect(ring.to).toEqual([{ type: 'phone', number: '390299000002' }])
    expect(ring.ncco.at(-1)).toMatchObject({ action: 'conversation', name: conversation.name, startOnEnter: true, endOnExit: true })
    expect(await agentStates()).toEqual({ anna: 'wrap_up', bruno: 'offered' })
    expect(await transferRows(callId)).toEqual([{ kind: 'cold', state: 'completed', target_type: 'agent', target_label: 'Bruno Agent' }])

    const offer = await one<{ id: string; agent_leg_id: string }>(`SELECT id, agent_leg_id FROM offers WHERE call_id = $1 AND agent_id = 'bruno'`, [callId])
    await world.bridge.deliver({
      method: 'POST',
      path: '/vonage/event',
      query: { step: 'offer', offer: String(offer.id) },
      body: { uuid: offer.agent_leg_id, conversation_uuid: 'CON-bruno', status: 'answered', direction: 'outbound', timestamp: new Date().toISOString() },
    })
    expect((await one<{ agent_id: string }>('SELECT agent_id FROM calls WHERE id = $1', [callId])).agent_id).toBe('bruno')

    for (const [leg, status] of [[annaLeg, 'answered'], [callerLeg, 'answered'], [annaLeg, 'completed'], [callerLeg, 'completed']]) {
      await world.bridge.deliver({ method: 'POST', path: '/vonage/event', body: { uuid: leg, conversation_uuid: callId, status, direction: 'inbound', timestamp: new Date().toISOString(), duration: '40' } })
    }
    await world.waitForCall(callId, settled, 'the transferred call to be logged')
    const note = world.zendesk.state.comments.find((comment) => comment.body.includes(callId))
    expect(note?.body).toContain('Trasferita a Bruno Agent (operatore) da Anna Agent, senza consulenza.')
  })

  it('cold transfer to a queue keeps place', async () => {
    const { callId, callerLeg, annaLeg } = await callAnsweredByAnna()
    const enqueued = await one<{ enqueued_at: Date }>('SELECT enqueued_at FROM queue_entries WHERE call_id = $1', [callId])
    let moved: any
    const scope = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, (body) => ((moved = body), true))
      .reply(204)
      .put(`/v1/calls/${annaLeg}`, { action: 'hangup' })
      .reply(204)
    const response = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'cold', target: { type: 'queue', value: 'billing' } })
    expect(response.statusCode).toBe(200)
    expect(scope.isDone()).toBe(true)
    expect(moved.destination.ncco[0].musicOnHoldUrl).toEqual([BILLING_MUSIC])
    const entry = await one<{ queue_id: string; state: string; enqueued_at: Date; conversation_name: string }>(
      'SELECT queue_id, state, enqueued_at, conversation_name FROM queue_entries WHERE call_id = $1',
      [callId],
    )
    expect(entry.queue_id).toBe('billing')
    expect(entry.state).toBe('waiting')
    expect(new Date(entry.enqueued_at).toISOString()).toBe(new Date(enqueued.enqueued_at).toISOString())
    expect(entry.conversation_name).toBe(moved.destination.ncco[0].name)
    expect((await agentStates()).anna).toBe('wrap_up')
  })

  it('rejects bad targets and input', async () => {
    const { callId } = await callAnsweredByAnna()
    const transfer = (target: unknown) => api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'cold', target })

    const unknownAgent = await transfer({ type: 'agent', value: 'zoe' })
    expect(unknownAgent.statusCode).toBe(404)
    expect(unknownAgent.json().message).toBe('No agent "zoe" exists; pick one from the list of transfer targets')
    const unknownQueue = await transfer({ type: 'queue', value: 'sales' })
    expect(unknownQueue.json().message).toBe('No queue "sales" exists; pick one from the list of transfer targets')
    const self = await transfer({ type: 'agent', value: 'anna' })
    expect(self.statusCode).toBe(409)
    expect(self.json().message).toBe('Cannot transfer the call: you cannot transfer a call to yourself; pick another agent')
    await db().query(`UPDATE agents SET state = 'away' WHERE id = 'bruno'`)
    const away = await transfer({ type: 'agent', value: 'bruno' })
    expect(away.json().message).toBe('Cannot transfer the call: agent "Bruno Agent" is away, not available; pick an available agent or a queue')
    const fax = await transfer({ type: 'fax', value: '1' })
    expect(fax.statusCode).toBe(400)
    expect(fax.json().message).toBe('Invalid request: body/target/type must be one of "agent", "queue", "number"; got "fax"')
    const abroad = await transfer({ type: 'number', value: '+14155552671' })
    expect(abroad.json().message).toBe('Cannot call "+14155552671": US is not in OUTBOUND_ALLOWED_COUNTRIES (IT)')

    expect(await transferRows(callId)).toEqual([])
    expect((await agentStates()).anna).toBe('on_call')
  })

  it('checks the session before the body', async () => {
    const response = await world.bridge.bridge.app.inject({ method: 'POST', url: '/app/api/calls/CON-any/transfer', payload: { mode: 'cold', target: { type: 'fax' } } })
    expect(response.statusCode).toBe(401)
  })

  it('call control transfers to a number', async () => {
    const { callId, callerLeg, annaLeg } = await callAnsweredByAnna()
    const scope = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, {
        action: 'transfer',
        destination: { type: 'ncco', ncco: [{ action: 'connect', from: LINE, endpoint: [{ type: 'phone', number: '390212345678' }] }] },
      })
      .reply(204)
      .put(`/v1/calls/${annaLeg}`, { action: 'hangup' })
      .reply(204)
    const response = await api('POST', `/app/api/calls/${callId}/control`, { action: 'transfer', to: '+39 02 1234 5678' })
    expect(response.statusCode).toBe(204)
    expect(scope.isDone()).toBe(true)
    expect(await transferRows(callId)).toEqual([{ kind: 'cold', state: 'completed', target_type: 'number', target_label: '+390212345678' }])
    expect((await agentStates()).anna).toBe('wrap_up')
  })

  it('lists agents and queues to pick', async () => {
    await callAnsweredByAnna()
    const response = await api('GET', '/app/api/transfer-targets')
    expect(response.json()).toEqual({
      agents: [{ id: 'bruno', name: 'Bruno Agent' }],
      queues: [
        { id: 'billing', name: 'Billing' },
        { id: 'support', name: 'support' },
      ],
    })
  })
})

describe('warm transfer', () => {
  function holdScope(callerLeg: string) {
    return nock(REGION)
      .put(`/v1/calls/${callerLeg}`, { action: 'earmuff' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'mute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}/stream`, { stream_url: [SUPPORT_MUSIC], loop: 0 })
      .reply(200, { message: 'Stream started' })
  }

  it('consult, second consult rejected, complete', async () => {
    const { callId, callerLeg, annaLeg } = await callAnsweredByAnna()
    const hold = holdScope(callerLeg)
    const before = created.length
    const consult = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'agent', value: 'bruno' } })
    expect(consult.statusCode).toBe(200)
    expect(consult.json()).toMatchObject({ on_hold: true, consult: { state: 'consulting', target: 'Bruno Agent' } })
    expect(hold.isDone()).toBe(true)
    const ring = created[before]
    const targetLeg = `leg${before + 1}`
    expect(ring.to).toEqual([{ type: 'phone', number: '390299000002' }])
    expect(ring.ncco[0]).toMatchObject({ action: 'talk', text: 'Anna Agent ti chiede una consulenza su una chiamata di +393471234567.' })
    expect(ring.ncco[1]).toMatchObject({ action: 'conversation', name: `centralino-${callId}`, startOnEnter: true })
    expect(ring.event_url[0]).toMatch(/step=transfer&transfer=\d+$/)
    expect(await agentStates()).toEqual({ anna: 'on_call', bruno: 'on_call' })

    const unhold = await api('POST', `/app/api/calls/${callId}/control`, { action: 'unhold' })
    expect(unhold.statusCode).toBe(409)
    expect(unhold.json().message).toBe('Cannot take the customer off hold during a consultation; use Return or Conference to bring the customer back')
    const again = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'number', value: '+390212345678' } })
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toBe('Cannot transfer the call: a consultation is already in progress on this call; complete it or return to the customer first')
    expect(created.length).toBe(before + 1)

    const moves: any[] = []
    const complete = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, (body) => (moves.push(body), body.action === 'transfer'))
      .reply(204)
      .put(`/v1/calls/${targetLeg}`, (body) => (moves.push(body), body.action === 'transfer'))
      .reply(204)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, {})
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
      .put(`/v1/calls/${annaLeg}`, { action: 'hangup' })
      .reply(204)
    const done = await api('POST', `/app/api/calls/${callId}/consult`, { action: 'complete' })
    expect(done.json()).toEqual({ state: 'completed' })
    expect(complete.isDone()).toBe(true)
    const [customerMove, targetMove] = moves.map((body) => body.destination.ncco[0])
    expect(customerMove.name).toBe(targetMove.name)
    expect(targetMove).toMatchObject({ startOnEnter: true, endOnExit: true })
    expect((await one<{ agent_id: string }>('SELECT agent_id FROM calls WHERE id = $1', [callId])).agent_id).toBe('bruno')
    expect(await agentStates()).toEqual({ anna: 'wrap_up', bruno: 'on_call' })
    expect(await transferRows(callId)).toEqual([{ kind: 'warm', state: 'completed', target_type: 'agent', target_label: 'Bruno Agent' }])

    const transferId = /transfer=(\d+)/.exec(ring.event_url[0])![1]
    await world.bridge.deliver({
      method: 'POST',
      path: '/vonage/event',
      query: { step: 'transfer', transfer: transferId },
      body: { uuid: targetLeg, conversation_uuid: `CON-leg-${before + 1}`, status: 'completed', direction: 'outbound', timestamp: new Date().toISOString() },
    })
    expect((await agentStates()).bruno).toBe('wrap_up')
    expect((await db().query('SELECT id FROM call_legs WHERE id = $1', [targetLeg])).rowCount).toBe(0)
    expect((await one<{ status: string }>('SELECT status FROM calls WHERE id = $1', [callId])).status).toBe('in_progress')
  })

  it('rejected consult changes nothing', async () => {
    const { callId, callerLeg } = await callAnsweredByAnna()
    // The shared interceptor for new calls would reply 201, so this test swaps in a 500.
    nock.cleanAll()
    const hold = holdScope(callerLeg)
    const failing = nock('https://api.nexmo.com').post('/v1/calls').reply(500, { title: 'Internal Error' })
    const undo = nock(REGION)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, {})
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
    try {
      const response = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'agent', value: 'bruno' } })
      expect(response.statusCode).toBe(502)
      expect(response.json().message).toBe('Vonage did not start a consultation on the call (500); the call is as it was, try again')
      expect(hold.isDone()).toBe(true)
      expect(failing.isDone()).toBe(true)
      expect(undo.isDone()).toBe(true)
      expect(await transferRows(callId)).toEqual([])
      expect(await agentStates()).toEqual({ anna: 'on_call', bruno: 'available' })
      expect((await one<{ on_hold: boolean }>('SELECT on_hold FROM calls WHERE id = $1', [callId])).on_hold).toBe(false)
    } finally {
      nock.cleanAll()
      interceptNewCalls()
    }
  })

  it('consult a number, then return', async () => {
    const { callId, callerLeg } = await callAnsweredByAnna()
    holdScope(callerLeg)
    const before = created.length
    await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'number', value: '+39 02 1234 5678' } })
    const targetLeg = `leg${before + 1}`
    expect(created[before].to).toEqual([{ type: 'phone', number: '390212345678' }])
    expect(created[before].from).toEqual({ type: 'phone', number: LINE })
    expect(created[before].ncco).toHaveLength(1)

    const back = nock(REGION)
      .put(`/v1/calls/${targetLeg}`, { action: 'hangup' })
      .reply(204)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, {})
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'return' })).json()).toEqual({ state: 'returned' })
    expect(back.isDone()).toBe(true)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toEqual({ on_hold: false, agent_muted: false, consult: null })
    const none = await api('POST', `/app/api/calls/${callId}/consult`, { action: 'complete' })
    expect(none.statusCode).toBe(409)
    expect(none.json().message).toBe(`Call "${callId}" has no consultation in progress to complete; start one with Consult`)
  })

  it('conference, then the agent leaves', async () => {
    const { callId, callerLeg, annaLeg } = await callAnsweredByAnna()
    holdScope(callerLeg)
    const before = created.length
    await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'queue', value: 'support' } })
    const targetLeg = `leg${before + 1}`
    expect(created[before].to).toEqual([{ type: 'phone', number: '390299000002' }])

    const unhold = nock(REGION)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, {})
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'conference' })).json()).toEqual({ state: 'conference' })
    expect(unhold.isDone()).toBe(true)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toMatchObject({ on_hold: false, consult: { state: 'conference', target: 'Bruno Agent (support)' } })

    const leave = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, (body) => body.action === 'transfer')
      .reply(204)
      .put(`/v1/calls/${targetLeg}`, (body) => body.action === 'transfer')
      .reply(204)
      .put(`/v1/calls/${annaLeg}`, { action: 'hangup' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'complete' })).json()).toEqual({ state: 'completed' })
    expect(leave.isDone()).toBe(true)
    expect(await agentStates()).toEqual({ anna: 'wrap_up', bruno: 'on_call' })
  })

  it('rejected return keeps the consultation', async () => {
    const { callId, callerLeg } = await callAnsweredByAnna()
    holdScope(callerLeg)
    const before = created.length
    await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'agent', value: 'bruno' } })
    const refused = nock(REGION).put(`/v1/calls/leg${before + 1}`, { action: 'hangup' }).reply(404, { title: 'Not Found' })
    const response = await api('POST', `/app/api/calls/${callId}/consult`, { action: 'return' })
    expect(response.statusCode).toBe(502)
    expect(response.json().message).toBe('Vonage did not return the consultation on the call (404); the call is as it was, try again')
    expect(refused.isDone()).toBe(true)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toMatchObject({ on_hold: true, consult: { state: 'consulting' } })
    expect(await agentStates()).toEqual({ anna: 'on_call', bruno: 'on_call' })
  })

  it('target hangs up: return only', async () => {
    const { callId, callerLeg } = await callAnsweredByAnna()
    holdScope(callerLeg)
    const before = created.length
    await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'agent', value: 'bruno' } })
    const targetLeg = `leg${before + 1}`
    const transferId = /transfer=(\d+)/.exec(created[before].event_url[0])![1]
    await world.bridge.deliver({
      method: 'POST',
      path: '/vonage/event',
      query: { step: 'transfer', transfer: transferId },
      body: { uuid: targetLeg, conversation_uuid: `CON-leg-${before + 1}`, status: 'completed', direction: 'outbound', timestamp: new Date().toISOString() },
    })
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toMatchObject({ on_hold: true, consult: { state: 'target_left', target: 'Bruno Agent' } })
    expect(await agentStates()).toEqual({ anna: 'on_call', bruno: 'available' })
    for (const action of ['complete', 'conference']) {
      const refused = await api('POST', `/app/api/calls/${callId}/consult`, { action })
      expect(refused.statusCode).toBe(409)
      expect(refused.json().message).toBe(`Cannot transfer the call: Bruno Agent is no longer on the line, so you cannot ${action}; use Return to take the customer back`)
    }

    // Return hangs up nobody, because the target already left, and takes the customer off hold.
    const back = nock(REGION)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, {})
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'return' })).json()).toEqual({ state: 'returned' })
    expect(back.isDone()).toBe(true)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toEqual({ on_hold: false, agent_muted: false, consult: null })
  })

  it('end hangs up everyone in a conference', async () => {
    const { callId, callerLeg, annaLeg } = await callAnsweredByAnna()
    holdScope(callerLeg)
    const before = created.length
    await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'agent', value: 'bruno' } })
    const targetLeg = `leg${before + 1}`
    nock(REGION)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, {})
      .put(`/v1/calls/${callerLeg}`, { action: 'unmute' })
      .reply(204)
      .put(`/v1/calls/${callerLeg}`, { action: 'unearmuff' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'conference' })).json()).toEqual({ state: 'conference' })

    const end = nock(REGION)
      .put(`/v1/calls/${callerLeg}`, { action: 'hangup' })
      .reply(204)
      .put(`/v1/calls/${targetLeg}`, { action: 'hangup' })
      .reply(204)
      .put(`/v1/calls/${annaLeg}`, { action: 'hangup' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'end' })).json()).toEqual({ state: 'ended' })
    expect(end.isDone()).toBe(true)
    expect(await transferRows(callId)).toEqual([{ kind: 'warm', state: 'ended', target_type: 'agent', target_label: 'Bruno Agent' }])
    expect((await agentStates()).bruno).toBe('wrap_up')
  })
})

describe('consultation action guard', () => {
  async function consulting(): Promise<{ callId: string; callerLeg: string; annaLeg: string; targetLeg: string }> {
    const call = await callAnsweredByAnna()
    nock(REGION)
      .put(`/v1/calls/${call.callerLeg}`, { action: 'earmuff' })
      .reply(204)
      .put(`/v1/calls/${call.callerLeg}`, { action: 'mute' })
      .reply(204)
      .put(`/v1/calls/${call.callerLeg}/stream`)
      .reply(200, {})
    const before = created.length
    await api('POST', `/app/api/calls/${call.callId}/transfer`, { mode: 'consult', target: { type: 'number', value: '+390212345678' } })
    return { ...call, targetLeg: `leg${before + 1}` }
  }

  it('double complete sends once', async () => {
    const { callId, callerLeg, annaLeg, targetLeg } = await consulting()
    const moves: string[] = []
    nock(REGION)
      .persist()
      .put(/\/v1\/calls\/[^/]+$/, (body) => (moves.push(body.action), true))
      .reply(204)
      .delete(`/v1/calls/${callerLeg}/stream`)
      .reply(200, {})
    try {
      const [first, second] = await Promise.all([
        api('POST', `/app/api/calls/${callId}/consult`, { action: 'complete' }),
        api('POST', `/app/api/calls/${callId}/consult`, { action: 'complete' }),
      ])
      const replies = [first, second].sort((a, b) => a.statusCode - b.statusCode)
      expect(replies.map((reply) => reply.statusCode)).toEqual([200, 409])
      expect(replies[1].json().message).toMatch(/^(Cannot complete the consultation: a "complete" request for it is already being sent to Vonage; wait for it to finish, then reload the call panel|Call ".+" has no consultation in progress to complete; start one with Consult)$/)
      // One customer move, one target move, unmute, unearmuff and the first agent's hangup: nothing twice.
      expect(moves.sort()).toEqual(['hangup', 'transfer', 'transfer', 'unearmuff', 'unmute'])
      expect(await transferRows(callId)).toEqual([{ kind: 'warm', state: 'completed', target_type: 'number', target_label: '+390212345678' }])
      expect(annaLeg).not.toBe(targetLeg)
    } finally {
      nock.cleanAll()
      interceptNewCalls()
    }
  })

  it('claimed consultation rejects others', async () => {
    const { callId } = await consulting()
    await db().query(`UPDATE call_transfers SET pending_action = 'return', pending_since = now() WHERE call_id = $1 AND state = 'consulting'`, [callId])
    const busy = await api('POST', `/app/api/calls/${callId}/consult`, { action: 'conference' })
    expect(busy.statusCode).toBe(409)
    expect(busy.json()).toEqual({
      code: 'CENTRALINO_ERR_CONSULT_BUSY',
      message: 'Cannot conference the consultation: a "return" request for it is already being sent to Vonage; wait for it to finish, then reload the call panel',
    })
    // A claim left by a stopped bridge process expires, and the next request goes through.
    await db().query(`UPDATE call_transfers SET pending_since = now() - interval '10 minutes' WHERE call_id = $1`, [callId])
    const music = nock(REGION).delete(/stream$/).reply(200, {}).put(/\/v1\/calls\//).times(2).reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'conference' })).json()).toEqual({ state: 'conference' })
    expect(music.isDone()).toBe(true)
  })

  it('rejected complete releases the claim', async () => {
    const { callId, callerLeg } = await consulting()
    const refused = nock(REGION).put(`/v1/calls/${callerLeg}`).reply(500, { title: 'Internal Error' })
    const failed = await api('POST', `/app/api/calls/${callId}/consult`, { action: 'complete' })
    expect(failed.statusCode).toBe(502)
    expect(failed.json().message).toBe('Vonage did not complete the consultation on the call (500); the call is as it was, try again')
    expect(refused.isDone()).toBe(true)
    expect(await one('SELECT state, pending_action FROM call_transfers WHERE call_id = $1', [callId])).toEqual({ state: 'consulting', pending_action: null })
  })
})
