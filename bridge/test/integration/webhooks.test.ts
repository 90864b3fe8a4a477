import { randomUUID } from 'node:crypto'
import { signVonageWebhook } from '../../../scripts/simulator/sign-webhook'
import { answeredWithRecording } from '../../../scripts/simulator/scenarios'
import { readCapturedRequest } from '../helpers/fixtures'
import { APPLICATION_ID, SIGNATURE_SECRET, startTestBridge, type TestBridge } from '../helpers/test-bridge'

let bridge: TestBridge

beforeAll(async () => {
  bridge = await startTestBridge({ workers: false })
})

afterAll(async () => {
  await bridge.close()
})

async function countRows(table: string): Promise<number> {
  const result = await bridge.bridge.db.query<{ count: string }>(`SELECT count(*) AS count FROM ${table}`)
  return Number(result.rows[0].count)
}

/** Replays a captured request byte for byte, signed as Vonage signs it. */
async function replay(name: string, path: string, overrides: { secret?: string; tamper?: boolean } = {}) {
  const captured = readCapturedRequest(name)
  const token = signVonageWebhook({
    secret: overrides.secret ?? SIGNATURE_SECRET,
    body: captured.body,
    query: captured.method === 'GET' ? new URLSearchParams(captured.rawQuery) : undefined,
    apiKey: 'abcd1234',
    applicationId: APPLICATION_ID,
  })
  const body = overrides.tamper && captured.body ? captured.body.replace('"7"', '"70"') : captured.body
  return bridge.bridge.app.inject({
    method: captured.method,
    url: captured.rawQuery ? `${path}?${captured.rawQuery}` : path,
    headers: { authorization: `Bearer ${token}`, ...(captured.contentType ? { 'content-type': captured.contentType } : {}) },
    payload: body,
  })
}

describe('signed webhooks', () => {
  it('accepts the captured answer request and returns an NCCO', async () => {
    const response = await replay('answer-get.txt', '/vonage/answer')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    const ncco = response.json()
    expect(ncco.map((action: { action: string }) => action.action)).toEqual(['talk', 'record', 'connect'])
    expect(ncco[2].endpoint).toEqual([{ type: 'phone', number: '390299887766' }])
    expect(ncco[2].eventType).toBe('synchronous')
    expect(ncco[2].eventUrl).toEqual(['https://bridge.example.test/vonage/event?step=connect'])
    expect(ncco[1].eventUrl).toEqual(['https://bridge.example.test/vonage/event?recording=call'])
  })

  it.each([
    ['event-post-started.txt', 'status', 'started'],
    ['event-post-ringing.txt', 'status', 'ringing'],
    ['event-post-answered.txt', 'status', 'answered'],
    ['event-post-completed.txt', 'status', 'completed'],
    ['event-post-failed.txt', 'status', 'failed'],
    ['event-post-transfer.txt', 'transfer', null],
    ['event-post-notify.txt', 'notify', null],
    ['event-get-notify.txt', 'notify', null],
    ['dtmf-post.txt', 'input', null],
    ['dtmf-get.txt', 'input', null],
    ['recording-get.txt', 'record', 'call'],
    ['error-get.txt', 'error', null],
  ])('stores the captured %s as %s', async (file, kind, status) => {
    const before = await countRows('call_events')
    const response = await replay(file, '/vonage/event')
    expect(response.statusCode).toBe(204)
    expect(await countRows('call_events')).toBe(before + 1)
    const stored = await bridge.bridge.db.query<{ kind: string; status: string | null }>('SELECT kind, status FROM call_events ORDER BY id DESC LIMIT 1')
    expect(stored.rows[0]).toEqual({ kind, status })
  })

  it('stores a duplicated event once', async () => {
    const before = await countRows('call_events')
    expect((await replay('event-post-ringing.txt', '/vonage/event')).statusCode).toBe(204)
    expect(await countRows('call_events')).toBe(before)
  })

  it('keeps the nested JSON of a GET event', async () => {
    const stored = await bridge.bridge.db.query<{ payload: { dtmf: { digits: string } } }>(
      `SELECT payload FROM call_events WHERE kind = 'input' AND payload->'dtmf'->>'digits' = '3'`,
    )
    expect(stored.rows[0].payload.dtmf.digits).toBe('3')
  })

  it('rejects a wrong signature and stores nothing', async () => {
    const before = await countRows('call_events')
    const response = await replay('event-post-started.txt', '/vonage/event', { secret: 'another-secret-0123456789' })
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('CENTRALINO_ERR_WEBHOOK_SIGNATURE')
    expect(await countRows('call_events')).toBe(before)
  })

  it('rejects a body changed after signing', async () => {
    const response = await replay('event-post-completed.txt', '/vonage/event', { tamper: true })
    expect(response.statusCode).toBe(401)
    expect(response.json().message).toBe('Invalid Vonage webhook signature: payload_hash does not match the request payload')
  })

  const scenario = () =>
    answeredWithRecording({ callerNumber: '393471234567', calledNumber: '390240708090', startAt: new Date() })

  it('rejects a request without a signature', async () => {
    const calls = await countRows('calls')
    const response = await bridge.deliver(scenario()[0], { authorization: null })
    expect(response.status).toBe(401)
    expect(response.json()).toEqual({
      code: 'CENTRALINO_ERR_WEBHOOK_SIGNATURE',
      message: 'Invalid Vonage webhook signature: the Authorization header has no Bearer token',
    })
    expect(await countRows('calls')).toBe(calls)
  })

  it('rejects a token issued too long ago', async () => {
    const response = await bridge.deliver(scenario()[0], { iat: Math.floor(Date.now() / 1000) - 3600 })
    expect(response.status).toBe(401)
    expect(response.json().message).toMatch(/issued 36\d\d s away from now \(limit 300 s\)/)
  })

  it('rejects a replayed token id', async () => {
    const jti = randomUUID()
    const [answer, started] = scenario()
    expect((await bridge.deliver(answer, { jti })).status).toBe(200)
    const events = await countRows('call_events')
    const replayed = await bridge.deliver(started, { jti })
    expect(replayed.status).toBe(401)
    expect(replayed.json().message).toBe(`Invalid Vonage webhook signature: token ${jti} was already used (replay)`)
    expect(await countRows('call_events')).toBe(events)
  })

  it('rejects an unsigned token', async () => {
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"iat":1}').toString('base64url')}.`
    const response = await bridge.deliver(scenario()[0], { authorization: `Bearer ${unsigned}` })
    expect(response.status).toBe(401)
    expect(response.json().message).toBe('Invalid Vonage webhook signature: the token is not an HS256 JWT')
  })
})

describe('answer webhook', () => {
  it('greets in Italian on an Italian number', async () => {
    const [answer] = answeredWithRecording({ callerNumber: '393471234567', calledNumber: '390240708090', startAt: new Date() })
    const ncco = (await bridge.deliver(answer)).json() as Array<Record<string, unknown>>
    expect(ncco[0]).toMatchObject({ action: 'talk', language: 'it-IT' })
    expect(ncco[0].text).toContain('Grazie per aver chiamato')
    expect(ncco[2]).toMatchObject({ from: '390240708090' })
  })

  it('greets in English on a US number', async () => {
    const [answer] = answeredWithRecording({ callerNumber: '14845552121', calledNumber: '16105553939', startAt: new Date() })
    const ncco = (await bridge.deliver(answer)).json() as Array<Record<string, unknown>>
    expect(ncco[0]).toMatchObject({ action: 'talk', language: 'en-US' })
    expect(ncco[0].text).toContain('Thank you for calling')
  })

  it('answers a duplicate with the same NCCO and no new call', async () => {
    const [answer] = answeredWithRecording({ callerNumber: '393471234567', calledNumber: '390240708090', startAt: new Date() })
    const first = await bridge.deliver(answer)
    const calls = await countRows('calls')
    const second = await bridge.deliver(answer)
    expect(second.status).toBe(200)
    expect(second.json()).toEqual(first.json())
    expect(await countRows('calls')).toBe(calls)
  })

  it('accepts a form-encoded POST', async () => {
    const conversation = `CON-${randomUUID()}`
    const body = new URLSearchParams({ to: '390240708090', from: '393471234567', uuid: 'f7aebf19bd374d638f3532352f48901b', conversation_uuid: conversation }).toString()
    const token = signVonageWebhook({ secret: SIGNATURE_SECRET, body, apiKey: 'abcd1234', applicationId: APPLICATION_ID })
    const response = await bridge.bridge.app.inject({
      method: 'POST',
      url: '/vonage/answer',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    })
    expect(response.statusCode).toBe(200)
    const call = await bridge.api(`/api/calls/${conversation}`)
    expect(call.json()).toMatchObject({ id: conversation })
    expect(call.json().from).toBe('+393471234567')
  })

  it('rejects an unsupported content type', async () => {
    const response = await bridge.bridge.app.inject({ method: 'POST', url: '/vonage/answer', headers: { 'content-type': 'text/plain' }, payload: 'hello' })
    expect(response.statusCode).toBe(415)
    expect(response.json().message).toBe('Unsupported content type "text/plain": send application/json or application/x-www-form-urlencoded')
  })

  it('names a missing field', async () => {
    const [answer] = answeredWithRecording({ callerNumber: '393471234567', calledNumber: '390240708090', startAt: new Date() })
    const response = await bridge.deliver({ ...answer, query: { to: '390240708090', from: '393471234567' } })
    expect(response.status).toBe(400)
    expect(response.json().message).toBe('Invalid Vonage webhook payload: field "uuid" is missing')
  })

  it('answers the fallback URL like the answer URL', async () => {
    const [answer] = answeredWithRecording({ callerNumber: '393471234567', calledNumber: '390240708090', startAt: new Date() })
    const response = await bridge.deliver({ ...answer, path: '/vonage/fallback' })
    expect(response.status).toBe(200)
    expect((response.json() as unknown[]).length).toBe(3)
  })
})
