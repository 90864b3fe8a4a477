import { randomUUID } from 'node:crypto'
import nock from 'nock'
import { createLogger } from '../../src/logger'
import { endMonitoringOnStatus, startMonitoring, switchMonitoring } from '../../src/monitoring/monitor'
import { VoiceControl } from '../../src/vonage/voice-control'
import { startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'
import { menuFlow, seedAgent, seedFlow, seedQueue, seedTeam } from '../helpers/routing-seed'

const LINE = '390240708090'
const log = createLogger('silent')
let world: CallFlowWorld
let callId: string
let callerLeg: string
const created: Array<Record<string, any>> = []

beforeAll(async () => {
  world = await startCallFlowWorld({ env: { ACD_INTERVAL_MS: '60000' } })
  const db = world.bridge.bridge.db
  await seedTeam(db, 'rome', 'Europe/Rome', { start: '00:00', end: '24:00' }, 501)
  await seedAgent(db, 'anna', 'rome', 9001)
  await seedAgent(db, 'laura', 'rome', 9100, 'offline')
  await seedQueue(db, 'support', ['rome'])
  await seedFlow(db, 'main', menuFlow('support'), [`+${LINE}`])
  nock('https://api.nexmo.com')
    .post('/v1/calls', (body) => (created.push(body), true))
    .times(5)
    .reply(201, () => ({ uuid: `leg${created.length}`, status: 'started', conversation_uuid: `CON-leg-${created.length}` }))

  callId = `CON-${randomUUID()}`
  callerLeg = randomUUID().replace(/-/g, '')
  await world.bridge.deliver({ method: 'GET', path: '/vonage/answer', query: { to: LINE, from: '393471234567', uuid: callerLeg, conversation_uuid: callId } })
  await world.bridge.deliver({ method: 'POST', path: '/vonage/event', query: { step: 'ivr', node: 'menu' }, body: { uuid: callerLeg, conversation_uuid: callId, dtmf: { digits: '1' } } })
  await world.bridge.bridge.acd!.settle()
  const offer = await db.query<{ id: string }>('SELECT id FROM offers WHERE call_id = $1', [callId])
  await world.bridge.deliver({
    method: 'POST',
    path: '/vonage/event',
    query: { step: 'offer', offer: String(offer.rows[0].id) },
    body: { uuid: 'leg1', conversation_uuid: 'CON-leg-1', status: 'answered', direction: 'outbound', timestamp: new Date().toISOString() },
  })
})

afterAll(async () => {
  nock.cleanAll()
  await world.close()
})

const voice = () => new VoiceControl(world.bridge.config.vonage)

async function auditRows() {
  const result = await world.bridge.bridge.db.query<{ action: string; mode: string; detail: string | null }>('SELECT action, mode, detail FROM monitor_audit ORDER BY id')
  return result.rows
}

describe('live monitoring', () => {
  it('refuses agents who are not leads', async () => {
    await expect(
      startMonitoring(world.bridge.bridge.db, voice(), world.bridge.config, { callId, leadZendeskUserId: 9001, isLead: false, mode: 'listen' }, log),
    ).rejects.toThrow('Only team leads and admins may monitor calls')
  })

  it('joins a listening lead muted, then lets them barge in', async () => {
    const { sessionId } = await startMonitoring(world.bridge.bridge.db, voice(), world.bridge.config, { callId, leadZendeskUserId: 9100, isLead: true, mode: 'listen' }, log)
    const lead = created.at(-1)!
    expect(lead.to).toEqual([{ type: 'phone', number: '390200009100' }])
    expect(lead.ncco).toEqual([
      {
        action: 'conversation',
        name: `centralino-${callId}`,
        startOnEnter: true,
        eventUrl: [`https://bridge.example.test/vonage/event?step=monitor&session=${sessionId}`],
        mute: true,
      },
    ])

    nock('https://api.nexmo.com').put('/v1/calls/leg2', { action: 'unmute' }).reply(204)
    await switchMonitoring(world.bridge.bridge.db, voice(), { sessionId, leadZendeskUserId: 9100, mode: 'barge' }, log)
    await expect(switchMonitoring(world.bridge.bridge.db, voice(), { sessionId, leadZendeskUserId: 9100, mode: 'whisper' }, log)).rejects.toThrow(
      'Cannot switch from barge to whisper during the call',
    )

    const ended = await world.bridge.deliver({
      method: 'POST',
      path: '/vonage/event',
      query: { step: 'monitor', session: sessionId },
      body: { uuid: 'leg2', conversation_uuid: 'CON-leg-2', status: 'completed', direction: 'outbound', timestamp: new Date().toISOString() },
    })
    expect(ended.status).toBe(204)
    expect(await auditRows()).toEqual([
      { action: 'start', mode: 'listen', detail: null },
      { action: 'switch', mode: 'barge', detail: 'from listen' },
      { action: 'refused_switch', mode: 'whisper', detail: 'from barge' },
      { action: 'end', mode: 'barge', detail: 'lead leg completed' },
    ])
    const phantom = await world.bridge.bridge.db.query('SELECT id FROM calls WHERE id = $1', ['CON-leg-2'])
    expect(phantom.rowCount).toBe(0)
  })

  it('lets a whispering lead speak only to the agent', async () => {
    const { sessionId } = await startMonitoring(world.bridge.bridge.db, voice(), world.bridge.config, { callId, leadZendeskUserId: 9100, isLead: true, mode: 'whisper' }, log)
    expect(created.at(-1)!.ncco[0]).toMatchObject({ canHear: [callerLeg, 'leg1'], canSpeak: ['leg1'] })
    await endMonitoringOnStatus(world.bridge.bridge.db, sessionId, 'completed')
  })

  it('refuses a call that has no agent on it', async () => {
    await expect(
      startMonitoring(world.bridge.bridge.db, voice(), world.bridge.config, { callId: 'CON-nothing', leadZendeskUserId: 9100, isLead: true, mode: 'barge' }, log),
    ).rejects.toThrow('Call "CON-nothing" is not a live queue call with an agent on it, so it cannot be monitored')
  })
})
