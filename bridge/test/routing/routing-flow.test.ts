import { randomUUID } from 'node:crypto'
import nock from 'nock'
import type { Delivery } from '../../../scripts/simulator/scenarios'
import { settled, startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'
import { menuFlow, seedAgent, seedFlow, seedQueue, seedTeam } from '../helpers/routing-seed'

const ITALIAN_LINE = '390240708090'
let world: CallFlowWorld
let createdCalls: Array<Record<string, any>>
let now = new Date('2026-12-04T10:00:00Z')

beforeEach(async () => {
  now = new Date('2026-12-04T10:00:00Z')
  world = await startCallFlowWorld({ env: { ACD_INTERVAL_MS: '60000', MAX_MISSED_OFFERS: '1' }, clock: () => now })
  const db = world.bridge.bridge.db
  await seedTeam(db, 'rome', 'Europe/Rome', { start: '00:00', end: '24:00' }, 501, 1)
  await seedAgent(db, 'anna', 'rome', 9001, 'available', new Date('2026-12-04T07:00:00Z'))
  await seedAgent(db, 'bruno', 'rome', 9002, 'available', new Date('2026-12-04T08:00:00Z'))
  await seedQueue(db, 'support', ['rome'])
  await seedFlow(db, 'main', menuFlow('support'), [`+${ITALIAN_LINE}`])
  createdCalls = []
  nock.enableNetConnect('127.0.0.1')
  nock('https://api.nexmo.com')
    .post('/v1/calls', (body) => (createdCalls.push(body), true))
    .times(10)
    .reply(201, () => ({ uuid: `agentleg${createdCalls.length}`, status: 'started', direction: 'outbound', conversation_uuid: `CON-agent-${createdCalls.length}` }))
})

afterEach(async () => {
  nock.cleanAll()
  await world.close()
})

const callerLeg = () => randomUUID().replace(/-/g, '')

function answer(callId: string, leg: string, from = '393471234567'): Delivery {
  return { method: 'GET', path: '/vonage/answer', query: { to: ITALIAN_LINE, from, uuid: leg, conversation_uuid: callId, region_url: 'https://api-eu-3.vonage.com' } }
}

function press(callId: string, leg: string, node: string, digits: string): Delivery {
  return {
    method: 'POST',
    path: '/vonage/event',
    query: { step: 'ivr', node },
    body: { uuid: leg, conversation_uuid: callId, dtmf: { digits, timed_out: false }, speech: { error: 'Speech was not enabled' }, timestamp: now.toISOString() },
  }
}

function status(callId: string, leg: string, value: string, query: Record<string, string> = {}, extra: Record<string, unknown> = {}): Delivery {
  const outbound = 'offer' in query
  return {
    method: 'POST',
    path: '/vonage/event',
    query,
    body: { uuid: leg, conversation_uuid: callId, status: value, direction: outbound ? 'outbound' : 'inbound', timestamp: new Date().toISOString(), headers: {}, ...extra },
  }
}

async function offersOf(callId: string) {
  const result = await world.bridge.bridge.db.query<{ id: string; agent_id: string; state: string }>('SELECT id, agent_id, state FROM offers WHERE call_id = $1 ORDER BY id', [callId])
  return result.rows.map((row) => ({ ...row, id: String(row.id) }))
}

async function agentState(id: string): Promise<string> {
  const result = await world.bridge.bridge.db.query<{ state: string }>('SELECT state FROM agents WHERE id = $1', [id])
  return result.rows[0].state
}

async function queueCaller(callId: string, leg: string): Promise<Array<Record<string, any>>> {
  const first = await world.bridge.deliver(answer(callId, leg))
  expect(first.status).toBe(200)
  const menu = first.json()
  expect(menu.map((action: { action: string }) => action.action)).toEqual(['talk', 'talk', 'input'])
  const queued = await world.bridge.deliver(press(callId, leg, 'menu', '1'))
  expect(queued.status).toBe(200)
  return queued.json()
}

describe('queue and ACD', () => {
  it('puts the caller in a conversation and rings the longest-idle agent', async () => {
    const callId = `CON-${randomUUID()}`
    const leg = callerLeg()
    const ncco = await queueCaller(callId, leg)
    expect(ncco[1]).toEqual({ action: 'conversation', name: `centralino-${callId}`, startOnEnter: false, eventUrl: ['https://bridge.example.test/vonage/event?step=conversation'] })

    await world.bridge.bridge.acd!.settle()
    const [offer] = await offersOf(callId)
    expect(offer).toMatchObject({ agent_id: 'anna', state: 'ringing' })
    expect(await agentState('anna')).toBe('offered')
    expect(createdCalls[0].to).toEqual([{ type: 'phone', number: '390200009001' }])
    expect(createdCalls[0].from).toEqual({ type: 'phone', number: ITALIAN_LINE })
    expect(createdCalls[0].ncco[0]).toMatchObject({ action: 'talk', text: 'Chiamata da +393471234567, coda support.' })
    expect(createdCalls[0].ncco[1]).toEqual({ action: 'conversation', name: `centralino-${callId}`, startOnEnter: true, endOnExit: true })
    expect(createdCalls[0].event_url).toEqual([`https://bridge.example.test/vonage/event?step=offer&offer=${offer.id}`])

    const agentLeg = 'agentleg1'
    await world.bridge.deliver(status('CON-agent-1', agentLeg, 'answered', { step: 'offer', offer: offer.id }))
    expect(await agentState('anna')).toBe('on_call')
    expect((await offersOf(callId))[0].state).toBe('accepted')

    await world.bridge.deliver(status(callId, leg, 'completed', {}, { duration: '95' }))
    await world.bridge.deliver(status('CON-agent-1', agentLeg, 'completed', { step: 'offer', offer: offer.id }, { duration: '80' }))
    expect(await agentState('anna')).toBe('wrap_up')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    await world.bridge.bridge.acd!.settle()
    expect(await agentState('anna')).toBe('available')

    const call = await world.waitForCall(callId, settled, 'the call to be logged')
    expect(call).toMatchObject({ outcome: 'answered', destination: 'Agent anna' })
    const note = world.zendesk.state.comments.find((comment) => comment.body.includes(callId))
    expect(note?.body).toContain('Operatore: Agent anna')
  })

  it('moves on after a ring-no-answer and sets the agent away', async () => {
    const callId = `CON-${randomUUID()}`
    await queueCaller(callId, callerLeg())
    await world.bridge.bridge.acd!.settle()
    const [first] = await offersOf(callId)
    expect(first.agent_id).toBe('anna')

    await world.bridge.deliver(status('CON-agent-1', 'agentleg1', 'timeout', { step: 'offer', offer: first.id }))
    expect(await agentState('anna')).toBe('away')
    now = new Date(now.getTime() + 2000)
    await world.bridge.bridge.acd!.settle()
    const offers = await offersOf(callId)
    expect(offers.map((offer) => [offer.agent_id, offer.state])).toEqual([
      ['anna', 'missed'],
      ['bruno', 'ringing'],
    ])
  })

  it('never offers an agent two calls at once', async () => {
    const first = `CON-${randomUUID()}`
    const second = `CON-${randomUUID()}`
    const third = `CON-${randomUUID()}`
    for (const callId of [first, second, third]) {
      // Callers arrive a second apart, as they would, so the queue order is theirs.
      now = new Date(now.getTime() + 1000)
      await queueCaller(callId, callerLeg())
    }
    await world.bridge.bridge.acd!.settle()
    const live = await world.bridge.bridge.db.query<{ agent_id: string; call_id: string }>(`SELECT agent_id, call_id FROM offers WHERE state = 'ringing' ORDER BY agent_id`)
    expect(live.rows.map((row) => [row.agent_id, row.call_id])).toEqual([
      ['anna', first],
      ['bruno', second],
    ])
    const waiting = await world.bridge.bridge.db.query<{ state: string }>('SELECT state FROM queue_entries WHERE call_id = $1', [third])
    expect(waiting.rows[0].state).toBe('waiting')
  })

  it('abandons the entry and frees the agent when the caller hangs up while ringing', async () => {
    const callId = `CON-${randomUUID()}`
    const leg = callerLeg()
    await queueCaller(callId, leg)
    await world.bridge.bridge.acd!.settle()
    nock('https://api.nexmo.com').put('/v1/calls/agentleg1', { action: 'hangup' }).reply(204)
    await world.bridge.deliver(status(callId, leg, 'completed', {}, { duration: '30' }))
    expect((await offersOf(callId))[0].state).toBe('cancelled')
    expect(await agentState('anna')).toBe('available')
    const call = await world.waitForCall(callId, settled, 'the call to be logged')
    expect(call.outcome).toBe('abandoned')
  })
})

describe('callback from the queue', () => {
  it('keeps the caller’s place and rings an agent who then dials the caller', async () => {
    const db = world.bridge.bridge.db
    await db.query(`UPDATE queues SET callback_key = '9' WHERE id = 'support'`)
    await db.query(`UPDATE agents SET state = 'away'`)
    const callId = `CON-${randomUUID()}`
    const leg = callerLeg()
    const ncco = await queueCaller(callId, leg)
    expect(ncco.map((action) => action.action)).toEqual(['talk', 'talk', 'input', 'conversation'])
    expect(ncco[1].text).toBe('Se preferisci essere richiamato senza perdere il tuo posto, premi 9 in qualsiasi momento.')
    expect(ncco[2]).toMatchObject({ type: ['dtmf'], mode: 'asynchronous', eventUrl: ['https://bridge.example.test/vonage/event?step=queue-key'] })

    const pressed = await world.bridge.deliver({
      method: 'POST',
      path: '/vonage/event',
      query: { step: 'queue-key' },
      body: { uuid: leg, conversation_uuid: callId, dtmf: { digits: '9', timed_out: false }, timestamp: new Date().toISOString() },
    })
    expect(pressed.status).toBe(200)
    expect(pressed.json()[0].text).toBe('Grazie. Ti richiameremo al numero da cui chiami appena un operatore sarà libero. Mantieni il tuo posto in coda.')
    const entry = await db.query<{ state: string; callback_number: string }>('SELECT state, callback_number FROM queue_entries WHERE call_id = $1', [callId])
    expect(entry.rows[0]).toEqual({ state: 'callback', callback_number: '+393471234567' })

    await db.query(`UPDATE agents SET state = 'available' WHERE id = 'bruno'`)
    await world.bridge.bridge.acd!.settle()
    expect((await offersOf(callId))[0].agent_id).toBe('bruno')
    expect(createdCalls[0].ncco[1]).toMatchObject({ action: 'connect', endpoint: [{ type: 'phone', number: '393471234567' }] })
  })
})
