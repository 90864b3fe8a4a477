import { abandoned, answeredWithRecording, conversationUuidOf, missed } from '../../../scripts/simulator/scenarios'
import { API_TOKEN, startTestBridge, type TestBridge } from '../helpers/test-bridge'

let bridge: TestBridge
const callIds: Record<string, string> = {}

beforeAll(async () => {
  bridge = await startTestBridge({ workers: false })
  const plays = {
    first: answeredWithRecording({ callerNumber: '393471234567', calledNumber: '390240708090', startAt: new Date('2026-12-01T09:00:00Z') }),
    second: missed({ callerNumber: '393471234567', calledNumber: '390240708090', startAt: new Date('2026-12-02T09:00:00Z') }),
    third: abandoned({ callerNumber: '14845552121', calledNumber: '16105553939', startAt: new Date('2026-12-03T09:00:00Z') }),
  }
  for (const [name, deliveries] of Object.entries(plays)) {
    for (const delivery of deliveries) await bridge.deliver(delivery)
    callIds[name] = conversationUuidOf(deliveries)
  }
})

afterAll(async () => {
  await bridge.close()
})

describe('GET /api/calls', () => {
  it('lists calls newest first with their totals', async () => {
    const response = await bridge.api('/api/calls')
    expect(response.status).toBe(200)
    const body = response.json()
    expect(body.total).toBe(3)
    expect(body.calls.map((call: { id: string }) => call.id)).toEqual([callIds.third, callIds.second, callIds.first])
  })

  it('filters by outcome, caller and dates', async () => {
    expect((await bridge.api('/api/calls?outcome=missed')).json().calls.map((call: { id: string }) => call.id)).toEqual([callIds.second])
    expect((await bridge.api('/api/calls?phone=%2B393471234567')).json().total).toBe(2)
    const range = await bridge.api('/api/calls?from=2026-12-02T00:00:00Z&to=2026-12-03T00:00:00Z')
    expect(range.json().calls.map((call: { id: string }) => call.id)).toEqual([callIds.second])
  })

  it('pages through calls', async () => {
    const page = (await bridge.api('/api/calls?per_page=2&page=2')).json()
    expect(page).toMatchObject({ page: 2, per_page: 2, total: 3 })
    expect(page.calls.map((call: { id: string }) => call.id)).toEqual([callIds.first])
  })

  it('names the invalid filter', async () => {
    const response = await bridge.api('/api/calls?outcome=lost')
    expect(response.status).toBe(400)
    expect(response.json().code).toBe('CENTRALINO_ERR_VALIDATION')
    expect(response.json().message).toContain('querystring/outcome')
  })

  it('requires the API token', async () => {
    const missing = await bridge.bridge.app.inject({ method: 'GET', url: '/api/calls' })
    expect(missing.statusCode).toBe(401)
    expect(missing.json().message).toBe('Missing or invalid API token: send "Authorization: Bearer <API_TOKEN>"')
    const wrong = await bridge.bridge.app.inject({ method: 'GET', url: '/api/calls', headers: { authorization: `Bearer ${API_TOKEN}x` } })
    expect(wrong.statusCode).toBe(401)
  })
})

describe('GET /api/calls/:id', () => {
  it('returns legs, events and recordings without the recording URL', async () => {
    const call = (await bridge.api(`/api/calls/${callIds.first}`)).json()
    expect(call).toMatchObject({ id: callIds.first, outcome: 'answered', from: '+393471234567', to: '+390240708090', language: 'it' })
    expect(call.legs).toHaveLength(2)
    expect(call.recordings).toEqual([expect.objectContaining({ kind: 'call', state: 'pending', attempts: 0 })])
    expect(call.events.length).toBeGreaterThan(8)
    const record = call.events.find((event: { kind: string }) => event.kind === 'record')
    expect(record.payload.recording_url).toBe('[redacted]')
    expect(JSON.stringify(call)).not.toContain('api.nexmo.com/v1/files')
  })

  it('answers 404 for an unknown call', async () => {
    const response = await bridge.api('/api/calls/CON-unknown')
    expect(response.status).toBe(404)
    expect(response.json()).toEqual({ code: 'CENTRALINO_ERR_CALL_NOT_FOUND', message: 'Call "CON-unknown" not found' })
  })
})

describe('health', () => {
  it('reports the process up and the database ready', async () => {
    expect((await bridge.bridge.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    const ready = await bridge.bridge.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json().status).toBe('ready')
  })
})
