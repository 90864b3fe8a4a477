import { generateKeyPairSync, randomUUID } from 'node:crypto'

import jwt from 'jsonwebtoken'

import { type OutboundWebhook } from '../standins/vonage-outbound'
import { startVonageStandin, type VonageStandin } from '../standins/vonage-standin'

const APPLICATION_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
})

const CONVERSATION = 'centralino-out-0123456789abcdef'

/** The click-to-call request that the bridge sends: ring the agent into a recorded conversation that ends when they leave. */
const CLICK_TO_CALL = {
  to: [{ type: 'phone', number: '390299000009' }],
  from: { type: 'phone', number: '390240708090' },
  ncco: [
    { action: 'talk', text: 'Chiamata verso +393331112222.' },
    {
      action: 'conversation',
      name: CONVERSATION,
      startOnEnter: true,
      endOnExit: true,
      record: true,
      eventUrl: [`http://127.0.0.1:3000/vonage/event?recording=call&outbound=${CONVERSATION}`],
    },
  ],
  event_url: ['http://127.0.0.1:3000/vonage/event'],
  event_method: 'POST',
  ringing_timer: 30,
}

/** The request that the bridge sends once the agent answered: dial the customer into the same conversation. */
const CUSTOMER_DIAL = {
  to: [{ type: 'phone', number: '393331112222' }],
  from: { type: 'phone', number: '390240708090' },
  ncco: [{ action: 'conversation', name: CONVERSATION, startOnEnter: true }],
  event_url: ['http://127.0.0.1:3000/vonage/event?step=customer&call=CON-agent'],
  event_method: 'POST',
  ringing_timer: 45,
}

async function createCall(standin: VonageStandin, body: unknown): Promise<{ uuid: string; conversation_uuid: string }> {
  const now = Math.floor(Date.now() / 1000)
  const token = jwt.sign({ application_id: APPLICATION_ID, iat: now, exp: now + 900, jti: randomUUID() }, keys.privateKey, { algorithm: 'RS256' })
  const response = await fetch(`${standin.url}/v1/calls`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(response.status).toBe(201)
  return (await response.json()) as { uuid: string; conversation_uuid: string }
}

async function waitForEvents(standin: VonageStandin, count: number): Promise<void> {
  const deadline = Date.now() + 5000
  while (standin.outboundEvents.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
}

describe('Vonage stand-in outbound calls', () => {
  let standin: VonageStandin
  let sent: OutboundWebhook[]
  let dialCustomer: boolean

  beforeEach(async () => {
    standin = await startVonageStandin({ applicationId: APPLICATION_ID, publicKeyPem: keys.publicKey })
    sent = []
    dialCustomer = true
    standin.playOutboundCalls({
      // Acts as the bridge: when the agent's leg answers, it dials the customer into the conversation.
      deliver: async (webhook) => {
        sent.push(webhook)
        if (dialCustomer && webhook.body.status === 'answered' && webhook.query.step === undefined) await createCall(standin, CUSTOMER_DIAL)
      },
      recordingUrl: () => `${standin.url}/v1/files/recording-1`,
      talkSeconds: 30,
    })
  })

  afterEach(async () => {
    await standin.close()
  })

  it('plays both legs and the recording', async () => {
    const created = await createCall(standin, CLICK_TO_CALL)
    await waitForEvents(standin, 9)

    const legOf = (webhook: OutboundWebhook) => {
      if (webhook.body.uuid === created.uuid) return 'agent'
      if (webhook.body.uuid !== undefined) return 'customer'
      return 'record'
    }
    const statuses = sent.map((webhook) => `${legOf(webhook)} ${webhook.body.status ?? ''}`.trim())
    expect(statuses).toEqual([
      'agent started', 'agent ringing', 'agent answered',
      'customer started', 'customer ringing', 'customer answered',
      'customer completed', 'agent completed', 'record',
    ])
    expect(standin.createdCalls).toHaveLength(2)
    expect(sent.filter((webhook) => legOf(webhook) === 'customer').every((webhook) => webhook.body.uuid === standin.createdCalls[1].uuid)).toBe(true)
    expect(standin.outboundEvents.every((event) => event.conversationUuid === created.conversation_uuid)).toBe(true)
    expect(standin.outboundEvents.filter((event) => event.error !== undefined)).toEqual([])
  })

  it('addresses the NCCO event URLs', async () => {
    await createCall(standin, CLICK_TO_CALL)
    await waitForEvents(standin, 9)

    expect(sent[0].path).toBe('/vonage/event')
    expect(sent[0].query).toEqual({})
    expect(sent[3].query).toEqual({ step: 'customer', call: 'CON-agent' })
    const record = sent[8]
    expect(record.path).toBe('/vonage/event')
    expect(record.query).toEqual({ recording: 'call', outbound: CONVERSATION })
    expect(record.body.recording_url).toBe(`${standin.url}/v1/files/recording-1`)
    expect(record.body.uuid).toBeUndefined()
  })

  it('reports talk time on completed legs', async () => {
    await createCall(standin, CLICK_TO_CALL)
    await waitForEvents(standin, 9)

    const customerCompleted = sent[6].body
    expect(customerCompleted.duration).toBe('30')
    expect(customerCompleted.to).toBe('393331112222')
    expect(customerCompleted.from).toBe('390240708090')
    expect(sent[0].body.to).toBe('390299000009')
    expect(Date.parse(String(sent[8].body.timestamp))).toBeLessThanOrEqual(Date.now())
  })

  it('records a rejected webhook', async () => {
    standin.playOutboundCalls({
      deliver: async () => {
        throw new Error('the bridge rejected /vonage/event with 401')
      },
      recordingUrl: () => `${standin.url}/v1/files/recording-1`,
    })
    await createCall(standin, CLICK_TO_CALL)
    await waitForEvents(standin, 5)

    // Nobody dialled the customer, so the agent's leg ends after it answered.
    expect(standin.outboundEvents.map((event) => `${event.leg} ${event.status}`)).toEqual([
      'agent started', 'agent ringing', 'agent answered', 'customer not dialled', 'agent completed',
    ])
    expect(standin.outboundEvents[0].error).toBe('the bridge rejected /vonage/event with 401')
    expect(standin.outboundEvents[3].error).toBe(`the bridge did not dial the customer into ${CONVERSATION}`)
  })

  it('leaves other calls alone', async () => {
    dialCustomer = false
    await createCall(standin, { ...CLICK_TO_CALL, ncco: [{ action: 'talk', text: 'Ciao' }] })
    await createCall(standin, CUSTOMER_DIAL)
    await new Promise((resolve) => setTimeout(resolve, 100))

    expect(sent).toEqual([])
    expect(standin.createdCalls).toHaveLength(2)
  })
})
