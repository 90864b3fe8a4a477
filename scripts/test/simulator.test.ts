import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import jwt from 'jsonwebtoken'

import {
  abandoned,
  answeredWithRecording,
  conversationUuidOf,
  duplicate,
  missed,
  shuffle,
  voicemail,
  withheld,
  type Delivery,
  type ScenarioInput,
} from '../simulator/scenarios'
import { sendDelivery } from '../simulator/send'
import { hashWebhookPayload, signVonageWebhook } from '../simulator/sign-webhook'

const SECRET = 'signature-secret-for-tests'
const CREDENTIALS = { secret: SECRET, apiKey: 'abcd1234', applicationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }

const INPUT: ScenarioInput = {
  callerNumber: '393471234567',
  calledNumber: '390299999999',
  startAt: new Date('2024-03-01T09:00:00.000Z'),
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

function statusesOf(deliveries: Delivery[], legUuid: string): unknown[] {
  return deliveries.filter((delivery) => delivery.body?.uuid === legUuid).map((delivery) => delivery.body?.status)
}

function legUuids(deliveries: Delivery[]): string[] {
  const uuids = deliveries.map((delivery) => delivery.body?.uuid).filter((uuid) => typeof uuid === 'string')
  return [...new Set(uuids as string[])]
}

describe('signVonageWebhook', () => {
  it('hashes the exact POST body bytes', () => {
    const body = '{"status":"answered","uuid":"0a1b","note":"caffè"}'

    const token = signVonageWebhook({ ...CREDENTIALS, body, iat: 1_700_000_000, jti: 'fixed-jti' })
    const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload

    expect(claims).toEqual({
      iat: 1_700_000_000,
      jti: 'fixed-jti',
      iss: 'Vonage',
      payload_hash: sha256Hex(body),
      api_key: CREDENTIALS.apiKey,
      application_id: CREDENTIALS.applicationId,
    })
  })

  it('hashes GET parameters as compact JSON in URL order', () => {
    const query = new URLSearchParams('to=390299999999&from=393471234567&uuid=abc')

    const hash = hashWebhookPayload(undefined, query)

    expect(hash).toBe(sha256Hex('{"to":"390299999999","from":"393471234567","uuid":"abc"}'))
  })

  it('adds a random jti and no exp', () => {
    const first = jwt.decode(signVonageWebhook({ ...CREDENTIALS, body: '{}' })) as jwt.JwtPayload
    const second = jwt.decode(signVonageWebhook({ ...CREDENTIALS, body: '{}' })) as jwt.JwtPayload

    expect(first.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(first.jti).not.toBe(second.jti)
    expect(first).not.toHaveProperty('exp')
  })
})

describe('scenarios', () => {
  it('answeredWithRecording has two legs and a call recording', () => {
    const deliveries = answeredWithRecording({ ...INPUT, recordingUrl: (fileId) => `http://127.0.0.1:9/v1/files/${fileId}` })
    const [callerUuid, agentUuid] = legUuids(deliveries)
    const answer = deliveries[0]
    const record = deliveries.at(-1)

    expect(answer).toMatchObject({ method: 'GET', path: '/vonage/answer' })
    expect(Object.keys(answer?.query ?? {})).toEqual(['to', 'from', 'endpoint_type', 'conversation_uuid', 'region_url', 'uuid'])
    expect(answer?.query?.uuid).toBe(callerUuid)
    expect(callerUuid).toMatch(/^[0-9a-f]{32}$/)
    expect(agentUuid).toMatch(/^[0-9a-f]{32}$/)
    expect(conversationUuidOf(deliveries)).toMatch(/^CON-[0-9a-f-]{36}$/)
    expect(statusesOf(deliveries, callerUuid!)).toEqual(['started', 'ringing', 'answered', 'completed'])
    expect(statusesOf(deliveries, agentUuid!)).toEqual(['started', 'ringing', 'answered', 'completed'])
    expect(record).toMatchObject({ method: 'POST', path: '/vonage/event', query: { recording: 'call' } })
    expect(record?.body).not.toHaveProperty('uuid')
    expect(record?.body?.recording_url).toMatch(/^http:\/\/127\.0\.0\.1:9\/v1\/files\/[0-9a-f-]{36}$/)
  })

  it('completed events carry string-typed money fields', () => {
    const completed = answeredWithRecording(INPUT).find((delivery) => delivery.body?.status === 'completed')

    expect(completed?.body).toMatchObject({
      headers: {},
      direction: 'inbound',
      duration: expect.stringMatching(/^\d+$/),
      rate: '0.00450000',
      price: expect.stringMatching(/^\d+\.\d{8}$/),
      start_time: expect.stringMatching(/\.000Z$/),
    })
  })

  it('missed, voicemail and abandoned end the agent leg', () => {
    const cases: Array<[Delivery[], unknown[]]> = [
      [missed(INPUT), ['started', 'ringing', 'unanswered', 'completed']],
      [voicemail(INPUT), ['started', 'ringing', 'timeout', 'completed']],
      [abandoned(INPUT), ['started', 'ringing', 'cancelled', 'completed']],
    ]

    for (const [deliveries, expectedAgentStatuses] of cases) {
      const [, agentUuid] = legUuids(deliveries)
      expect(statusesOf(deliveries, agentUuid!)).toEqual(expectedAgentStatuses)
    }
  })

  it('voicemail sends a voicemail recording only', () => {
    const recordings = voicemail(INPUT).filter((delivery) => delivery.body?.recording_url !== undefined)

    expect(recordings.map((delivery) => delivery.query)).toEqual([{ recording: 'voicemail' }])
    expect(missed(INPUT).some((delivery) => delivery.body?.recording_url !== undefined)).toBe(false)
  })

  it('withheld sends Unknown or no from', () => {
    const unknownCaller = withheld(INPUT)
    const missingCaller = withheld({ ...INPUT, callerNumber: '' })

    expect(unknownCaller[0]?.query?.from).toBe('Unknown')
    expect(missingCaller[0]?.query).not.toHaveProperty('from')
    expect(missingCaller[1]?.body).not.toHaveProperty('from')
  })

  it('shuffle keeps the answer first and is deterministic', () => {
    const deliveries = answeredWithRecording(INPUT)

    const first = shuffle(deliveries, 42)
    const again = shuffle(deliveries, 42)
    const other = shuffle(deliveries, 7)

    expect(first[0]).toBe(deliveries[0])
    expect(again).toEqual(first)
    expect(other).not.toEqual(first)
    expect(first.map((delivery) => JSON.stringify(delivery)).sort()).toEqual(
      deliveries.map((delivery) => JSON.stringify(delivery)).sort(),
    )
  })

  it('duplicate repeats answer, completed and record', () => {
    const deliveries = answeredWithRecording(INPUT)

    const duplicated = duplicate(deliveries)

    expect(duplicated).toHaveLength(deliveries.length + 4)
    expect(duplicated[1]).toEqual(duplicated[0])
    expect(duplicated[1]).not.toBe(duplicated[0])
  })
})

describe('sendDelivery', () => {
  interface Received {
    method: string
    url: string
    authorization: string
    body: string
  }

  let server: Server
  let bridgeUrl: string
  const received: Received[] = []

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of req) {
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks).toString('utf8')
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      void readBody(req).then((body) => {
        received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '', body })
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end('[{"action":"talk","text":"ok"}]')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('signs the POST bytes it sends', async () => {
    const record = answeredWithRecording(INPUT).at(-1)!

    const result = await sendDelivery(bridgeUrl, record, CREDENTIALS)
    const request = received.at(-1)!
    const claims = jwt.verify(request.authorization.replace('Bearer ', ''), SECRET) as jwt.JwtPayload

    expect(result).toEqual({ status: 200, body: [{ action: 'talk', text: 'ok' }] })
    expect(request.url).toBe('/vonage/event?recording=call')
    expect(claims.payload_hash).toBe(sha256Hex(request.body))
    expect(JSON.parse(request.body)).toEqual(record.body)
  })

  it('signs the GET query it sends', async () => {
    const answer = answeredWithRecording(INPUT)[0]!

    await sendDelivery(bridgeUrl, answer, CREDENTIALS)
    const request = received.at(-1)!
    const query = new URL(request.url, bridgeUrl).searchParams
    const claims = jwt.verify(request.authorization.replace('Bearer ', ''), SECRET) as jwt.JwtPayload

    expect(request.method).toBe('GET')
    expect(claims.payload_hash).toBe(sha256Hex(JSON.stringify(Object.fromEntries(query))))
  })

  it('rejects a non-loopback bridge URL', async () => {
    const answer = answeredWithRecording(INPUT)[0]!

    await expect(sendDelivery('http://bridge.example.test:3000', answer, CREDENTIALS)).rejects.toThrow('not a loopback host')
  })
})
