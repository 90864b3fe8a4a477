import { randomUUID } from 'node:crypto'
import nock from 'nock'
import { startTestBridge, type TestBridge } from '../helpers/test-bridge'
import { seedAgent, seedFlow, seedQueue, seedTeam } from '../helpers/routing-seed'
import type { IvrFlow } from '../../src/routing/model'

const LINE = '390240708090'
let bridge: TestBridge
let now = new Date()

/** Straight to the queue: the follow-the-sun decision is all that is under test. */
const directFlow: IvrFlow = { start: 'q', nodes: { q: { type: 'queue', queue_id: 'world' } } }

beforeAll(async () => {
  bridge = await startTestBridge({ env: { ACD_INTERVAL_MS: '60000' }, workers: true, clock: () => now })
  const db = bridge.bridge.db
  await seedTeam(db, 'rome', 'Europe/Rome', { start: '09:00', end: '18:00' }, 100)
  await seedTeam(db, 'newyork', 'America/New_York', { start: '09:00', end: '18:00' }, 200)
  await seedTeam(db, 'manila', 'Asia/Manila', { start: '09:00', end: '18:00' }, 300)
  await seedAgent(db, 'rossi', 'rome', 1)
  await seedAgent(db, 'smith', 'newyork', 2)
  await seedAgent(db, 'santos', 'manila', 3)
  await seedQueue(db, 'world', ['rome', 'newyork', 'manila'])
  await seedFlow(db, 'direct', directFlow, [`+${LINE}`])
  nock.enableNetConnect('127.0.0.1')
})

afterAll(async () => {
  nock.cleanAll()
  await bridge.close()
})

async function callAt(instant: string) {
  now = new Date(instant)
  const callId = `CON-${randomUUID()}`
  nock('https://api.nexmo.com').post('/v1/calls').reply(201, { uuid: `leg-${callId}`, status: 'started' })
  const response = await bridge.deliver({
    method: 'GET',
    path: '/vonage/answer',
    query: { to: LINE, from: '393471234567', uuid: randomUUID().replace(/-/g, ''), conversation_uuid: callId },
  })
  expect(response.status).toBe(200)
  await bridge.bridge.acd!.settle()
  const offer = await bridge.bridge.db.query<{ agent_id: string; id: string }>('SELECT agent_id, id FROM offers WHERE call_id = $1', [callId])
  const call = await bridge.bridge.db.query<{ zendesk_group_id: string | null; route_reason: string | null }>(
    'SELECT zendesk_group_id, route_reason FROM calls WHERE id = $1',
    [callId],
  )
  // Free the agent again for the next call of the day.
  await bridge.bridge.db.query(`UPDATE offers SET state = 'ended', ended_at = now() WHERE call_id = $1`, [callId])
  await bridge.bridge.db.query(`UPDATE agents SET state = 'available', current_call_id = NULL`)
  return { ncco: response.json() as Array<Record<string, unknown>>, agent: offer.rows[0]?.agent_id, groupId: call.rows[0].zendesk_group_id, reason: call.rows[0].route_reason }
}

describe(`follow-the-sun day (process time zone ${process.env.TZ ?? 'unset'})`, () => {
  it('offers a morning call in Rome to the Rome team', async () => {
    const result = await callAt('2026-12-04T09:30:00Z')
    expect(result.agent).toBe('rossi')
    expect(Number(result.groupId)).toBe(100)
  })

  it('offers an evening call to New York once Rome has closed', async () => {
    const result = await callAt('2026-12-04T18:30:00Z')
    expect(result.agent).toBe('smith')
    expect(Number(result.groupId)).toBe(200)
  })

  it('offers a night call to Manila', async () => {
    const result = await callAt('2026-12-05T02:30:00Z')
    expect(result.agent).toBe('santos')
  })

  it('takes a voicemail when no team works and files it for the next team to open', async () => {
    const result = await callAt('2026-12-04T23:30:00Z')
    expect(result.agent).toBeUndefined()
    expect(result.ncco.map((action) => action.action)).toEqual(['talk', 'talk', 'record'])
    expect(result.ncco[0].text).toBe('In questo momento i nostri uffici sono chiusi.')
    expect(Number(result.groupId)).toBe(300)
    expect(result.reason).toBe('no team of queue world on shift; next opens manila at 2026-12-05T01:00:00.000Z')
  })

  it('closes New York at 18:00 summer time after the clocks change', async () => {
    expect((await callAt('2026-03-09T21:45:00Z')).agent).toBe('smith')
    const closed = await callAt('2026-03-09T22:30:00Z')
    expect(closed.agent).toBeUndefined()
    expect(closed.reason).toBe('no team of queue world on shift; next opens manila at 2026-03-10T01:00:00.000Z')
  })
})
