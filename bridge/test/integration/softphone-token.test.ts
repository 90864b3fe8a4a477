import jwt from 'jsonwebtoken'
import nock from 'nock'
import { issueClientToken } from '../../src/softphone/client-token'
import { PUBLIC_KEY_PEM, startTestBridge, type TestBridge } from '../helpers/test-bridge'
import { seedAgent, seedTeam } from '../helpers/routing-seed'

let bridge: TestBridge

beforeAll(async () => {
  bridge = await startTestBridge({ workers: false })
  await seedTeam(bridge.bridge.db, 'rome', 'Europe/Rome', { start: '09:00', end: '18:00' }, 1)
  await seedAgent(bridge.bridge.db, 'anna', 'rome', 4242)
})

afterAll(async () => {
  nock.cleanAll()
  await bridge.close()
})

describe('softphone token', () => {
  it('creates the Vonage user once and signs a short-lived token for it', async () => {
    let body: Record<string, unknown> | undefined
    const vonage = nock('https://api.nexmo.com')
      .post('/v1/users', (sent) => ((body = sent), true))
      .reply(201, { id: 'USR-1', name: 'centralino-agent-anna' })
      .post('/v1/users')
      .reply(409, { title: 'Conflict', code: 'user:error:duplicate-name' })
    const first = await issueClientToken(bridge.bridge.db, bridge.config, 4242)
    const second = await issueClientToken(bridge.bridge.db, bridge.config, 4242)
    expect(vonage.isDone()).toBe(true)
    expect(body).toEqual({ name: 'centralino-agent-anna', display_name: 'Agent anna' })
    expect(second.user).toBe('centralino-agent-anna')
    const claims = jwt.verify(first.token, PUBLIC_KEY_PEM, { algorithms: ['RS256'] }) as Record<string, any>
    expect(claims.sub).toBe('centralino-agent-anna')
    expect(claims.application_id).toBe(bridge.config.vonage.applicationId)
    expect(claims.exp - claims.iat).toBe(900)
    expect(Object.keys(claims.acl.paths)).toContain('/*/sessions/**')
  })

  it('refuses a user who is not an agent', async () => {
    await expect(issueClientToken(bridge.bridge.db, bridge.config, 1)).rejects.toThrow('You are not set up as an agent of the call center')
  })

  it('reports a Vonage failure without a token', async () => {
    nock('https://api.nexmo.com').post('/v1/users').reply(500, {})
    await expect(issueClientToken(bridge.bridge.db, bridge.config, 4242)).rejects.toThrow('Vonage did not create your softphone user (500); try again')
  })
})
