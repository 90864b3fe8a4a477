import { rmSync } from 'node:fs'
import nock from 'nock'
import type { ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import { callFlowHelpers, createAppDist, interceptNewCallsOn, openAppSession } from '../helpers/app-session'
import { settled, startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'
import { seedQueue, seedTeam } from '../helpers/routing-seed'

const LINE = '390240708090'
const CUSTOMER = '+393471234567'
// Outbound calls get no answer webhook, so no region_url: the bridge creates and controls them through VONAGE_API_URL.
const REGION = 'https://api-eu-1.vonage.com'
const HOLD_MUSIC = 'https://music.example.test/hold.mp3'
const BILLING_MUSIC = 'https://music.example.test/billing.mp3'
const SESSION_SECRET = 'outbound-session-secret-0123456789abcdef'
const PUBLIC_URL = 'https://bridge.example.test'

let world: CallFlowWorld
let distDir: string
let anna: ZendeskUser
let bruno: ZendeskUser
let annaSession: string
const created: Array<Record<string, any>> = []

const sessionFor = (user: ZendeskUser) => openAppSession(world.bridge, world.zendesk, user)
const { api, db, one, agentStates } = callFlowHelpers(() => world, () => annaSession)

function interceptNewCalls(): void {
  interceptNewCallsOn(REGION, created, { direction: 'outbound' })
}

let eventSeconds = 0
/** A status event of a leg; each gets its own timestamp, so two events are two deliveries unless the test repeats one. */
function legEvent(leg: string, conversation: string, status: string, query: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  eventSeconds += 1
  return {
    method: 'POST' as const,
    path: '/vonage/event' as const,
    query,
    body: { uuid: leg, conversation_uuid: conversation, status, direction: 'outbound', timestamp: new Date(Date.UTC(2026, 0, 1, 9, 0, eventSeconds)).toISOString(), ...extra },
  }
}

async function resetAgents(): Promise<void> {
  await db().query(`UPDATE offers SET state = CASE WHEN state IN ('ringing', 'accepted') THEN 'ended' ELSE state END, created_at = created_at - interval '1 minute'`)
  await db().query(`UPDATE queue_entries SET state = 'abandoned' WHERE state IN ('waiting', 'offering', 'connected')`)
  await db().query(`UPDATE agents SET state = 'offline', current_call_id = NULL`)
  await db().query(`UPDATE agents SET state = 'available' WHERE id IN ('anna', 'bruno')`)
}

/** Anna clicks to call the customer; returns the call and its agent leg, before the agent answers. */
async function placeCall(): Promise<{ callId: string; agentLeg: string; conversation: string }> {
  await resetAgents()
  const before = created.length
  const started = await api('POST', '/app/api/calls/outbound', { number: CUSTOMER })
  expect(started.statusCode).toBe(201)
  const callId = started.json().call_id
  expect(callId).toBe(`CON-leg-${before + 1}`)
  return { callId, agentLeg: `leg${before + 1}`, conversation: created[before].ncco[1].name }
}

/** An outbound call where Anna answered and the bridge dialled the customer, who answered too. */
async function connectedCall(): Promise<{ callId: string; agentLeg: string; customerLeg: string; conversation: string }> {
  const { callId, agentLeg, conversation } = await placeCall()
  const before = created.length
  await world.bridge.deliver(legEvent(agentLeg, callId, 'answered'))
  expect(created.length).toBe(before + 1)
  const customerLeg = `leg${before + 1}`
  await world.bridge.deliver(legEvent(customerLeg, `CON-leg-${before + 1}`, 'answered', { step: 'customer', call: callId }))
  return { callId, agentLeg, customerLeg, conversation }
}

function holdScope(customerLeg: string) {
  return nock(REGION)
    .put(`/v1/calls/${customerLeg}`, { action: 'earmuff' })
    .reply(204)
    .put(`/v1/calls/${customerLeg}`, { action: 'mute' })
    .reply(204)
    .put(`/v1/calls/${customerLeg}/stream`, { stream_url: [HOLD_MUSIC], loop: 0 })
    .reply(200, { message: 'Stream started' })
}

function unholdScope(customerLeg: string) {
  return nock(REGION)
    .delete(`/v1/calls/${customerLeg}/stream`)
    .reply(200, { message: 'Stream stopped' })
    .put(`/v1/calls/${customerLeg}`, { action: 'unmute' })
    .reply(204)
    .put(`/v1/calls/${customerLeg}`, { action: 'unearmuff' })
    .reply(204)
}

beforeAll(async () => {
  distDir = createAppDist('centralino-outbound-dist-')
  world = await startCallFlowWorld({
    env: {
      ACD_INTERVAL_MS: '60000',
      ZAF_APP_ID: '1001',
      APP_SESSION_SECRET: SESSION_SECRET,
      APP_DIST_DIR: distDir,
      VONAGE_API_URL: REGION,
      OUTBOUND_CALLER_ID: `+${LINE}`,
      HOLD_MUSIC_URL: HOLD_MUSIC,
    },
  })
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
  await db().query(`UPDATE queues SET hold_music_url = $2, name = 'Billing' WHERE id = $1`, ['billing', BILLING_MUSIC])
  interceptNewCalls()
  annaSession = await sessionFor(anna)
})

afterAll(async () => {
  nock.cleanAll()
  await world.close()
  rmSync(distDir, { recursive: true, force: true })
})

describe('outbound call in a conversation', () => {
  it('rings the agent into a recorded conversation', async () => {
    const before = created.length
    const { callId, conversation } = await placeCall()
    const ring = created[before]
    expect(ring.to).toEqual([{ type: 'phone', number: '390299000001' }])
    expect(ring.from).toEqual({ type: 'phone', number: LINE })
    expect(ring.ncco[0]).toMatchObject({ action: 'talk', text: `Chiamata verso ${CUSTOMER}.` })
    expect(ring.ncco[1]).toEqual({
      action: 'conversation',
      name: conversation,
      startOnEnter: true,
      endOnExit: true,
      record: true,
      eventUrl: [`${PUBLIC_URL}/vonage/event?recording=call&outbound=${conversation}`],
    })
    expect(conversation).toMatch(/^centralino-out-[0-9a-f]{16}$/)
    expect(ring.ncco).toHaveLength(2)
    expect(await one('SELECT customer_dial, agent_id FROM calls WHERE id = $1', [callId])).toEqual({ customer_dial: 'waiting', agent_id: 'anna' })
    expect((await agentStates()).anna).toBe('on_call')
  })

  it('duplicated answered events dial once', async () => {
    const { callId, agentLeg, conversation } = await placeCall()
    const before = created.length
    const answered = legEvent(agentLeg, callId, 'answered')
    await world.bridge.deliver(answered)
    await world.bridge.deliver({ ...answered })
    await world.bridge.deliver(legEvent(agentLeg, `CON-named-${callId}`, 'answered'))
    expect(created.length).toBe(before + 1)
    const dial = created[before]
    expect(dial.to).toEqual([{ type: 'phone', number: '393471234567' }])
    expect(dial.from).toEqual({ type: 'phone', number: LINE })
    expect(dial.ncco).toEqual([{ action: 'conversation', name: conversation, startOnEnter: true }])
    expect(dial.event_url).toEqual([`${PUBLIC_URL}/vonage/event?step=customer&call=${callId}`])
    expect(await one('SELECT customer_dial, customer_leg_id FROM calls WHERE id = $1', [callId])).toEqual({ customer_dial: 'dialled', customer_leg_id: `leg${before + 1}` })
  })

  it('agent hangs up first: no dial', async () => {
    const { callId, agentLeg } = await placeCall()
    const before = created.length
    // Reordered: the completed event arrives before the answered one.
    await world.bridge.deliver(legEvent(agentLeg, callId, 'completed', {}, { duration: '2' }))
    await world.bridge.deliver(legEvent(agentLeg, callId, 'answered'))
    expect(created.length).toBe(before)
    expect(await one('SELECT customer_dial, status FROM calls WHERE id = $1', [callId])).toEqual({ customer_dial: 'cancelled', status: 'completed' })
    expect((await agentStates()).anna).toBe('wrap_up')
  })

  it('unanswered agent leg: no dial', async () => {
    const { callId, agentLeg } = await placeCall()
    const before = created.length
    await world.bridge.deliver(legEvent(agentLeg, callId, 'timeout'))
    await world.bridge.deliver(legEvent(agentLeg, callId, 'answered'))
    expect(created.length).toBe(before)
    expect((await one<{ customer_dial: string }>('SELECT customer_dial FROM calls WHERE id = $1', [callId])).customer_dial).toBe('cancelled')
  })

  it('rejected dial ends the call', async () => {
    const { callId, agentLeg } = await placeCall()
    nock.cleanAll()
    try {
      const refused = nock(REGION).post('/v1/calls').reply(403, { title: 'Forbidden', detail: 'Destination not allowed' })
      const hangup = nock(REGION).put(`/v1/calls/${agentLeg}`, { action: 'hangup' }).reply(204)
      expect((await world.bridge.deliver(legEvent(agentLeg, callId, 'answered'))).status).toBe(204)
      expect(refused.isDone()).toBe(true)
      expect(hangup.isDone()).toBe(true)
      const row = await one<{ customer_dial: string; customer_dial_error: string }>('SELECT customer_dial, customer_dial_error FROM calls WHERE id = $1', [callId])
      expect(row.customer_dial).toBe('failed')
      expect(row.customer_dial_error).toContain('Vonage POST /v1/calls failed with 403')
    } finally {
      nock.cleanAll()
      interceptNewCalls()
    }
    await world.bridge.deliver(legEvent(agentLeg, callId, 'completed', {}, { duration: '4' }))
    const logged = await world.waitForCall(callId, settled, 'the failed outbound call to be logged')
    expect(logged.outcome).toBe('abandoned')
    const note = world.zendesk.state.comments.find((comment) => comment.body.includes(callId))
    expect(note?.body).toContain('Il cliente non è stato chiamato perché Vonage ha rifiutato la chiamata (Vonage POST /v1/calls failed with 403')
  })

  it('customer leaving hangs up the agent', async () => {
    const { callId, agentLeg, customerLeg } = await connectedCall()
    const hangup = nock(REGION).put(`/v1/calls/${agentLeg}`, { action: 'hangup' }).reply(204)
    await world.bridge.deliver(legEvent(customerLeg, 'CON-x', 'completed', { step: 'customer', call: callId }, { duration: '10' }))
    expect(hangup.isDone()).toBe(true)
    expect((await one<{ status: string }>('SELECT status FROM calls WHERE id = $1', [callId])).status).toBe('in_progress')
  })

  it('conversation recording finds the call', async () => {
    const { callId, conversation } = await connectedCall()
    const response = await world.bridge.deliver({
      method: 'POST',
      path: '/vonage/event',
      query: { recording: 'call', outbound: conversation },
      body: {
        start_time: '2026-01-01T09:00:00Z',
        recording_url: `${REGION}/v1/files/0a1b2c3d-0000-4000-8000-000000000001`,
        size: 12000,
        recording_uuid: `rec-${callId}`,
        end_time: '2026-01-01T09:00:30Z',
        conversation_uuid: 'CON-named-conversation-uuid',
        timestamp: new Date().toISOString(),
      },
    })
    expect(response.status).toBe(204)
    expect(await one('SELECT call_id, kind FROM recordings WHERE id = $1', [`rec-${callId}`])).toEqual({ call_id: callId, kind: 'call' })
  })
})

describe('outbound controls', () => {
  it('hold and unhold the customer', async () => {
    const { callId, customerLeg } = await connectedCall()
    const hold = holdScope(customerLeg)
    expect((await api('POST', `/app/api/calls/${callId}/control`, { action: 'hold' })).statusCode).toBe(204)
    expect(hold.isDone()).toBe(true)
    expect((await api('GET', `/app/api/calls/${callId}/transfer`)).json()).toEqual({ on_hold: true, agent_muted: false, consult: null })
    const unhold = unholdScope(customerLeg)
    expect((await api('POST', `/app/api/calls/${callId}/control`, { action: 'unhold' })).statusCode).toBe(204)
    expect(unhold.isDone()).toBe(true)
  })

  it('consult an agent, then complete', async () => {
    const { callId, agentLeg, customerLeg, conversation } = await connectedCall()
    const hold = holdScope(customerLeg)
    const before = created.length
    const consult = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'agent', value: 'bruno' } })
    expect(consult.statusCode).toBe(200)
    expect(consult.json()).toMatchObject({ on_hold: true, consult: { state: 'consulting', target: 'Bruno Agent' } })
    expect(hold.isDone()).toBe(true)
    const ring = created[before]
    const targetLeg = `leg${before + 1}`
    expect(ring.to).toEqual([{ type: 'phone', number: '390299000002' }])
    expect(ring.from).toEqual({ type: 'phone', number: LINE })
    expect(ring.ncco[0]).toMatchObject({ action: 'talk', text: `Anna Agent ti chiede una consulenza su una chiamata di ${CUSTOMER}.` })
    expect(ring.ncco[1]).toMatchObject({ action: 'conversation', name: conversation, startOnEnter: true })

    const moves: any[] = []
    const complete = nock(REGION)
      .put(`/v1/calls/${customerLeg}`, (body) => (moves.push(body), body.action === 'transfer'))
      .reply(204)
      .put(`/v1/calls/${targetLeg}`, (body) => (moves.push(body), body.action === 'transfer'))
      .reply(204)
    const unhold = unholdScope(customerLeg)
    const hangup = nock(REGION).put(`/v1/calls/${agentLeg}`, { action: 'hangup' }).reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'complete' })).json()).toEqual({ state: 'completed' })
    expect(complete.isDone()).toBe(true)
    expect(unhold.isDone()).toBe(true)
    expect(hangup.isDone()).toBe(true)
    const [customerMove, targetMove] = moves.map((body) => body.destination.ncco[0])
    expect(customerMove).toMatchObject({ action: 'conversation', startOnEnter: false, musicOnHoldUrl: [HOLD_MUSIC] })
    expect(customerMove.name).toMatch(new RegExp(`^centralino-${callId}-[0-9a-f]{8}$`))
    expect(targetMove).toEqual({ action: 'conversation', name: customerMove.name, startOnEnter: true, endOnExit: true })
    expect(await one('SELECT agent_id, caller_leg_id, conversation_name FROM calls WHERE id = $1', [callId])).toEqual({
      agent_id: 'bruno',
      caller_leg_id: customerLeg,
      conversation_name: customerMove.name,
    })
    expect(await agentStates()).toEqual({ anna: 'wrap_up', bruno: 'on_call' })

    // Anna's leg ends; the call goes on with Bruno until the customer leaves.
    await world.bridge.deliver(legEvent(agentLeg, callId, 'completed', {}, { duration: '30' }))
    expect((await one<{ status: string }>('SELECT status FROM calls WHERE id = $1', [callId])).status).toBe('in_progress')
    expect((await agentStates()).bruno).toBe('on_call')
    const brunoSession = await sessionFor(bruno)
    const mute = nock(REGION).put(`/v1/calls/${targetLeg}`, { action: 'mute' }).reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/control`, { action: 'mute' }, brunoSession)).statusCode).toBe(204)
    expect(mute.isDone()).toBe(true)

    await world.bridge.deliver(legEvent(customerLeg, 'CON-y', 'completed', { step: 'customer', call: callId }, { duration: '60' }))
    expect((await one<{ status: string }>('SELECT status FROM calls WHERE id = $1', [callId])).status).toBe('completed')
    await world.waitForCall(callId, settled, 'the transferred outbound call to be logged')
    const note = world.zendesk.state.comments.find((comment) => comment.body.includes(callId))
    expect(note?.body).toContain('Trasferita a Bruno Agent (operatore) da Anna Agent, dopo una consulenza.')
  })

  it('conference, then end for everyone', async () => {
    const { callId, agentLeg, customerLeg } = await connectedCall()
    holdScope(customerLeg)
    const before = created.length
    await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'consult', target: { type: 'number', value: '+39 02 1234 5678' } })
    const targetLeg = `leg${before + 1}`
    expect(created[before].to).toEqual([{ type: 'phone', number: '390212345678' }])

    const unhold = unholdScope(customerLeg)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'conference' })).json()).toEqual({ state: 'conference' })
    expect(unhold.isDone()).toBe(true)

    const end = nock(REGION)
      .put(`/v1/calls/${customerLeg}`, { action: 'hangup' })
      .reply(204)
      .put(`/v1/calls/${targetLeg}`, { action: 'hangup' })
      .reply(204)
      .put(`/v1/calls/${agentLeg}`, { action: 'hangup' })
      .reply(204)
    expect((await api('POST', `/app/api/calls/${callId}/consult`, { action: 'end' })).json()).toEqual({ state: 'ended' })
    expect(end.isDone()).toBe(true)
    expect(await one('SELECT state, target_type FROM call_transfers WHERE call_id = $1', [callId])).toEqual({ state: 'ended', target_type: 'number' })
  })

  it('cold transfer to an agent', async () => {
    const { callId, agentLeg, customerLeg } = await connectedCall()
    let moved: any
    const scope = nock(REGION)
      .put(`/v1/calls/${customerLeg}`, (body) => ((moved = body), body.action === 'transfer'))
      .reply(204)
      .put(`/v1/calls/${agentLeg}`, { action: 'hangup' })
      .reply(204)
    const before = created.length
    const response = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'cold', target: { type: 'agent', value: 'bruno' } })
    expect(response.statusCode).toBe(200)
    expect(scope.isDone()).toBe(true)
    const conversation = moved.destination.ncco[0]
    expect(conversation).toMatchObject({ action: 'conversation', startOnEnter: false, musicOnHoldUrl: [HOLD_MUSIC] })
    const ring = created[before]
    expect(ring.to).toEqual([{ type: 'phone', number: '390299000002' }])
    expect(ring.from).toEqual({ type: 'phone', number: LINE })
    // The whisper names the customer (the number called), found through the caller lookup, not our own line.
    expect(ring.ncco[0].text).toBe('Chiamata da Chiamante +39 347 123 4567, coda Billing.')
    expect(ring.ncco.at(-1)).toEqual({ action: 'conversation', name: conversation.name, startOnEnter: true, endOnExit: true })
    expect(await agentStates()).toEqual({ anna: 'wrap_up', bruno: 'offered' })
    // Bruno's team serves billing and support; the customer waits in the first, so the ACD can offer the call on.
    expect(await one('SELECT queue_id, state, caller_leg_id FROM queue_entries WHERE call_id = $1', [callId])).toEqual({ queue_id: 'billing', state: 'offering', caller_leg_id: customerLeg })

    const offer = await one<{ id: string }>(`SELECT id FROM offers WHERE call_id = $1 AND agent_id = 'bruno'`, [callId])
    await world.bridge.deliver(legEvent(`leg${before + 1}`, 'CON-bruno', 'answered', { step: 'offer', offer: String(offer.id) }))
    expect((await one<{ agent_id: string }>('SELECT agent_id FROM calls WHERE id = $1', [callId])).agent_id).toBe('bruno')
    await world.bridge.deliver(legEvent(agentLeg, callId, 'completed', {}, { duration: '20' }))
    expect(await agentStates()).toEqual({ anna: 'wrap_up', bruno: 'on_call' })
  })

  it('cold transfer to a queue', async () => {
    const { callId, agentLeg, customerLeg } = await connectedCall()
    let moved: any
    const scope = nock(REGION)
      .put(`/v1/calls/${customerLeg}`, (body) => ((moved = body), body.action === 'transfer'))
      .reply(204)
      .put(`/v1/calls/${agentLeg}`, { action: 'hangup' })
      .reply(204)
    const response = await api('POST', `/app/api/calls/${callId}/transfer`, { mode: 'cold', target: { type: 'queue', value: 'billing' } })
    expect(response.statusCode).toBe(200)
    expect(scope.isDone()).toBe(true)
    expect(moved.destination.ncco[0]).toMatchObject({ action: 'conversation', startOnEnter: false, musicOnHoldUrl: [BILLING_MUSIC] })
    const entry = await one<{ queue_id: string; state: string; conversation_name: string }>('SELECT queue_id, state, conversation_name FROM queue_entries WHERE call_id = $1', [callId])
    expect(entry).toEqual({ queue_id: 'billing', state: 'waiting', conversation_name: moved.destination.ncco[0].name })
    expect((await one<{ queue_id: string }>('SELECT queue_id FROM calls WHERE id = $1', [callId])).queue_id).toBe('billing')
    expect((await agentStates()).anna).toBe('wrap_up')

    // The ACD offers the waiting customer to Bruno like any caller of the queue, naming the customer's number.
    const before = created.length
    await world.bridge.bridge.acd!.settle()
    const ring = created[before]
    expect(ring.to).toEqual([{ type: 'phone', number: '390299000002' }])
    // The whisper names the customer (the number called), found through the caller lookup, not our own line.
    expect(ring.ncco[0].text).toBe('Chiamata da Chiamante +39 347 123 4567, coda Billing.')
    expect(ring.ncco.at(-1)).toMatchObject({ action: 'conversation', name: entry.conversation_name })
    expect((await agentStates()).bruno).toBe('offered')
  })
})
