import nock from 'nock'
import { answeredWithRecording, conversationUuidOf, missed } from '../../../scripts/simulator/scenarios'
import { EventStore } from '../../src/calls/event-store'
import { reconcileStaleCalls } from '../../src/calls/reconcile'
import { createLogger } from '../../src/logger'
import { settled } from '../helpers/call-flow'
import { startTestBridge, waitFor, ZENDESK_CREDENTIALS, type TestBridge } from '../helpers/test-bridge'

const ZENDESK = 'https://acme.zendesk.test'
const BASIC = `Basic ${Buffer.from(`${ZENDESK_CREDENTIALS.email}/token:${ZENDESK_CREDENTIALS.token}`).toString('base64')}`

let bridge: TestBridge | undefined

beforeEach(() => {
  nock.disableNetConnect()
})

afterEach(async () => {
  await bridge?.close()
  bridge = undefined
  nock.cleanAll()
  nock.enableNetConnect()
})

async function play(deliveries: ReturnType<typeof missed>): Promise<string> {
  for (const delivery of deliveries) {
    const response = await bridge!.deliver(delivery)
    expect(response.status).toBeLessThan(300)
  }
  return conversationUuidOf(deliveries)
}

async function settledCall(callId: string): Promise<any> {
  return waitFor('the call to settle', async () => {
    const call = (await bridge!.api(`/api/calls/${callId}`)).json()
    return settled(call) ? call : undefined
  })
}

describe('Talk Partner Edition', () => {
  it('creates a call record and a voice comment on the ticket', async () => {
    bridge = await startTestBridge({ env: { ZENDESK_TALK_PARTNER_EDITION: 'true', ZAF_APP_ID: '4242', ZENDESK_LOCALE: 'en' } })
    const deliveries = missed({ callerNumber: '14845552121', calledNumber: '16105553939', startAt: new Date('2026-12-01T15:00:00Z') })
    const callId = conversationUuidOf(deliveries)
    let callBody: any
    let commentBody: any

    const zendesk = nock(ZENDESK, { reqheaders: { authorization: BASIC } })
      .get('/api/v2/users/search.json').query({ query: '+14845552121' }).reply(200, { users: [] })
      .post('/api/v2/users/create_or_update.json', (body) => body.user.phone === '+14845552121' && body.user.external_id === 'centralino-phone:+14845552121')
      .reply(201, { user: { id: 501, name: 'Caller +1 484 555 2121' } })
      .get('/api/v2/tickets.json').query({ external_id: `centralino-call:${callId}` }).reply(200, { tickets: [] })
      .get('/api/v2/users/501/tickets/requested.json').query(true).reply(200, { tickets: [] })
      .post('/api/v2/tickets.json', (body) => body.ticket.external_id === `centralino-call:${callId}` && body.ticket.requester_id === 501)
      .reply(201, { ticket: { id: 9001, status: 'new', updated_at: new Date().toISOString() } })
      .post('/api/v2/calls.json', (body) => ((callBody = body), true))
      .reply(201, { call: { id: 77 } })
      .get('/api/v2/tickets/9001/comments.json').query(true).reply(200, { comments: [{ id: 1, type: 'Comment', body: 'note' }], next_page: null })
      .post('/api/v2/calls/77/comments.json', (body) => ((commentBody = body), true))
      .reply(201, { comment: { id: 2, type: 'TpeVoiceComment' } })

    await play(deliveries)
    const call = await settledCall(callId)
    expect(zendesk.isDone()).toBe(true)
    expect(call.zendesk).toMatchObject({ state: 'logged', ticket_id: 9001, call_id: 77, requester_id: 501 })
    expect(callBody.call).toMatchObject({
      app_id: 4242,
      external_id: callId,
      ticket_id: 9001,
      end_user_id: 501,
      from_line: '+14845552121',
      to_line: '+16105553939',
      direction: 'inbound',
      completion_status: 'abandoned_in_voicemail',
      voicemail: false,
      call_disposition: 'missed',
    })
    expect(callBody.call.call_started_at).toMatch(/^2026-12-01T15:00:0\d/)
    expect(commentBody.title).toBe('Missed call from +14845552121')
  })
})

describe('Zendesk errors', () => {
  it('fails the call when Zendesk rejects the ticket', async () => {
    bridge = await startTestBridge({ env: { TICKET_MODE: 'always_new' } })
    const deliveries = missed({ callerNumber: 'Unknown', calledNumber: '390240708090', startAt: new Date() })
    const callId = conversationUuidOf(deliveries)
    const zendesk = nock(ZENDESK)
      .get('/api/v2/tickets.json').query(true).reply(200, { tickets: [] })
      .post('/api/v2/tickets.json')
      .reply(422, { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: 'Subject is too long' }] } })

    await play(deliveries)
    const call = await settledCall(callId)
    expect(zendesk.isDone()).toBe(true)
    expect(call.zendesk.state).toBe('failed')
    expect(call.zendesk.error).toBe(
      `Zendesk rejected the ticket for call ${callId}: Zendesk POST /api/v2/tickets.json failed with 422: RecordInvalid - Record validation errors - {"base":[{"description":"Subject is too long"}]}`,
    )
    const failed = await bridge.api('/api/calls?zendesk_state=failed')
    expect(failed.json().calls.map((item: { id: string }) => item.id)).toContain(callId)
    expect(bridge.logs.some((line) => line.includes('job failed and will not be retried') && line.includes(callId))).toBe(true)
  })

  it('retries a Zendesk outage until it ends', async () => {
    bridge = await startTestBridge({ env: { TICKET_MODE: 'always_new' } })
    const deliveries = missed({ callerNumber: 'Unknown', calledNumber: '390240708090', startAt: new Date() })
    const callId = conversationUuidOf(deliveries)
    const zendesk = nock(ZENDESK)
      .get('/api/v2/tickets.json').query(true).times(4).reply(503, 'Service Unavailable')
      .get('/api/v2/tickets.json').query(true).reply(200, { tickets: [] })
      .post('/api/v2/tickets.json').reply(201, { ticket: { id: 31, status: 'new', updated_at: new Date().toISOString() } })

    await play(deliveries)
    const call = await settledCall(callId)
    expect(zendesk.isDone()).toBe(true)
    expect(call.zendesk).toMatchObject({ state: 'logged', ticket_id: 31 })
  })

  it('never logs the Zendesk token or a recording URL', async () => {
    bridge = await startTestBridge({ env: { TICKET_MODE: 'always_new' } })
    nock(ZENDESK).get(/.*/).times(20).reply(401, { error: "Couldn't authenticate you" }).post(/.*/).times(20).reply(401, {})
    const deliveries = answeredWithRecording({ callerNumber: 'Unknown', calledNumber: '390240708090', startAt: new Date() })
    const callId = await play(deliveries)
    const call = await settledCall(callId)
    expect(call.zendesk.state).toBe('failed')
    expect(call.zendesk.error).toMatch(/failed with 401: Couldn't authenticate you \(check ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN\)$/)
    expect(call.recordings[0]).toMatchObject({ state: 'failed', reason: 'the call could not be logged in Zendesk, so its recording has no ticket' })
    const logs = bridge.logs.join('\n')
    expect(logs).not.toContain(ZENDESK_CREDENTIALS.token)
    expect(logs).not.toContain(BASIC.slice(6))
    expect(logs).not.toContain('https://api.nexmo.com/v1/files/')
  })
})

describe('lost completed webhook', () => {
  it('completes a stale call from the Voice API in the call’s region', async () => {
    bridge = await startTestBridge({ env: { TICKET_MODE: 'always_new', RECONCILE_AFTER_SECONDS: '1' }, workers: true })
    const deliveries = missed({ callerNumber: 'Unknown', calledNumber: '390240708090', startAt: new Date() })
    const callId = conversationUuidOf(deliveries)
    const answer = deliveries[0]
    const callerLeg = answer.query!.uuid
    await play(deliveries.filter((delivery) => delivery.body?.status !== 'completed' || delivery.body?.uuid !== callerLeg))
    await new Promise((resolve) => setTimeout(resolve, 1100))

    const vonage = nock('https://api-eu-3.vonage.com', { reqheaders: { authorization: /^Bearer ey/ } })
      .get(`/v1/calls/${callerLeg}`)
      .reply(200, { uuid: callerLeg, status: 'completed', direction: 'inbound', duration: '30', start_time: '2026-12-04 10:00:00', end_time: '2026-12-04 10:00:30' })
    const zendesk = nock(ZENDESK)
      .get('/api/v2/tickets.json').query(true).reply(200, { tickets: [] })
      .post('/api/v2/tickets.json').reply(201, { ticket: { id: 44, status: 'new', updated_at: new Date().toISOString() } })

    const store = new EventStore(bridge.bridge.db, bridge.bridge.queue, 0)
    const reconciled = await reconcileStaleCalls(bridge.bridge.db, store, bridge.config.vonage, 1, createLogger('silent'))
    expect(reconciled).toEqual([callId])
    expect(vonage.isDone()).toBe(true)
    const call = await settledCall(callId)
    expect(call).toMatchObject({ status: 'completed', outcome: 'missed', duration_seconds: 30 })
    expect(call.zendesk).toMatchObject({ state: 'logged', ticket_id: 44 })
    expect(zendesk.isDone()).toBe(true)
  })
})
