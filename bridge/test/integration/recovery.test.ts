import nock from 'nock'
import { ZendeskClient } from '../../src/zendesk/client'
import { answeredWithRecording, missed } from '../../../scripts/simulator/scenarios'
import { settled, startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'

let world: CallFlowWorld
const realFetch = globalThis.fetch

beforeAll(async () => {
  world = await startCallFlowWorld()
})

afterEach(() => {
  jest.restoreAllMocks()
  globalThis.fetch = realFetch
  nock.cleanAll()
  nock.enableNetConnect()
})

afterAll(async () => {
  await world.close()
})

const ticketsFor = (callId: string) => world.zendesk.state.tickets.filter((ticket) => ticket.external_id === `centralino-call:${callId}`)
const attachmentsOf = (ticketId: number) =>
  world.zendesk.state.comments.filter((comment) => comment.ticket_id === ticketId).flatMap((comment) => comment.attachments)
const notesOf = (ticketId: number) => world.zendesk.state.comments.filter((comment) => comment.ticket_id === ticketId)

/**
 * Makes the process "die" right after Zendesk accepted the first matching request.
 * Zendesk keeps what it did, but the bridge never reads the response.
 */
function crashAfter(method: string, pathPattern: RegExp): { crashed: () => boolean } {
  let crashed = false
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await realFetch(input, init)
    const url = new URL(input instanceof Request ? input.url : input.toString())
    if (!crashed && (init?.method ?? 'GET') === method && pathPattern.test(url.pathname) && response.ok) {
      crashed = true
      throw new Error(`simulated crash after ${method} ${url.pathname}`)
    }
    return response
  }
  return { crashed: () => crashed }
}

/**
 * Like crashAfter, for requests the Zendesk client does not send through fetch (streamed
 * uploads): Zendesk has stored the upload, but the bridge dies before it keeps the token.
 */
function crashAfterClientRequest(method: string, pathPattern: RegExp): { crashed: () => boolean } {
  let crashed = false
  const original = ZendeskClient.prototype.request
  jest.spyOn(ZendeskClient.prototype, 'request').mockImplementation(async function (this: ZendeskClient, ...args: Parameters<ZendeskClient['request']>) {
    const result = await original.apply(this, args)
    if (!crashed && args[0] === method && pathPattern.test(args[1])) {
      crashed = true
      throw new Error(`simulated crash after ${method} ${args[1]}`)
    }
    return result
  })
  return { crashed: () => crashed }
}

/** Makes the process "die" just before the first matching request leaves. */
function crashBefore(method: string, pathPattern: RegExp): { crashed: () => boolean } {
  let crashed = false
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString())
    if (!crashed && (init?.method ?? 'GET') === method && pathPattern.test(url.pathname)) {
      crashed = true
      throw new Error(`simulated crash before ${method} ${url.pathname}`)
    }
    return realFetch(input, init)
  }
  return { crashed: () => crashed }
}

async function restartBridge(): Promise<void> {
  world.bridge = await world.bridge.restart()
}

describe('crash recovery', () => {
  it('creates one ticket when the bridge dies after Zendesk created it', async () => {
    const crash = crashAfter('POST', /^\/api\/v2\/tickets(\.json)?$/)
    const callId = await world.play(answeredWithRecording(world.input('393472000001')))
    await world.waitForCall(callId, () => crash.crashed(), 'the crash')
    await restartBridge()
    const call = await world.waitForCall(callId, settled, 'the call to settle after the restart')
    expect(ticketsFor(callId)).toHaveLength(1)
    expect(call.zendesk.ticket_id).toBe(ticketsFor(callId)[0].id)
    expect(attachmentsOf(call.zendesk.ticket_id)).toHaveLength(1)
  })

  it('attaches once when the bridge dies before it sees the upload token', async () => {
    const crash = crashAfterClientRequest('POST', /^\/api\/v2\/uploads(\.json)?$/)
    const callId = await world.play(answeredWithRecording(world.input('393472000002')))
    await world.waitForCall(callId, () => crash.crashed(), 'the crash')
    await restartBridge()
    const call = await world.waitForCall(callId, settled, 'the call to settle after the restart')
    const recordingId = call.recordings[0].id
    expect(attachmentsOf(call.zendesk.ticket_id)).toHaveLength(1)
    // The first upload was never attached; Zendesk deletes such uploads after 60 minutes.
    const uploads = world.zendesk.state.uploads.filter((upload) => upload.attachments[0].file_name.includes(recordingId))
    expect(uploads.map((upload) => upload.used_by_comment_id !== null)).toEqual([false, true])
  })

  it('reuses the stored upload when the bridge dies before the note', async () => {
    const crash = crashBefore('PUT', /^\/api\/v2\/tickets\/\d+(\.json)?$/)
    const callId = await world.play(answeredWithRecording(world.input('393472000004')))
    await world.waitForCall(callId, () => crash.crashed(), 'the crash')
    await restartBridge()
    const call = await world.waitForCall(callId, settled, 'the call to settle after the restart')
    const recordingId = call.recordings[0].id
    expect(attachmentsOf(call.zendesk.ticket_id)).toHaveLength(1)
    expect(world.zendesk.state.uploads.filter((upload) => upload.attachments[0].file_name.includes(recordingId))).toHaveLength(1)
  })

  it('attaches once when the bridge dies after the note was written', async () => {
    const crash = crashAfter('PUT', /^\/api\/v2\/tickets\/\d+(\.json)?$/)
    const callId = await world.play(answeredWithRecording(world.input('393472000003')))
    await world.waitForCall(callId, () => crash.crashed(), 'the crash')
    await restartBridge()
    const call = await world.waitForCall(callId, settled, 'the call to settle after the restart')
    expect(call.recordings[0].state).toBe('attached')
    expect(attachmentsOf(call.zendesk.ticket_id)).toHaveLength(1)
    expect(notesOf(call.zendesk.ticket_id)).toHaveLength(2)
  })
})

describe('Zendesk rate limits', () => {
  it('waits for Retry-After and still writes one ticket', async () => {
    world.zendesk.injectRateLimit({ method: 'POST', pathPrefix: '/api/v2/tickets' }, 1)
    const callId = await world.play(missed(world.input('393472000010')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    expect(call.zendesk.state).toBe('logged')
    expect(ticketsFor(callId)).toHaveLength(1)
    const posts = world.zendesk.state.requests.filter((request) => request.method === 'POST' && request.path === '/api/v2/tickets')
    const limited = posts.findIndex((request) => request.status === 429)
    expect(limited).toBeGreaterThanOrEqual(0)
    expect(posts[limited + 1].status).toBe(201)
    expect(Date.parse(posts[limited + 1].at) - Date.parse(posts[limited].at)).toBeGreaterThanOrEqual(1000)
    expect(world.bridge.logs.some((line) => line.includes('Zendesk rate limit reached; pausing requests'))).toBe(true)
  })
})

describe('recordings', () => {
  it('shows a recording as pending while Vonage answers 404, then attaches it', async () => {
    const input = world.input('393472000020')
    const base = input.recordingUrl!
    input.recordingUrl = (fileId) => {
      const url = base(fileId)
      world.vonage.addRecording(fileId, `${__dirname}/../../../scripts/demo/audio/call-it.mp3`, 'audio/mpeg', { notFoundTimes: 2 })
      return url
    }
    const callId = await world.play(answeredWithRecording(input))
    const pending = await world.waitForCall(callId, (call) => call.recordings[0]?.attempts >= 1, 'a first attempt')
    expect(pending.recordings[0].state).toBe('pending')
    const call = await world.waitForCall(callId, settled, 'the recording to be attached')
    expect(call.recordings[0].state).toBe('attached')
    expect(call.recordings[0].attempts).toBe(3)
    expect(attachmentsOf(call.zendesk.ticket_id)).toHaveLength(1)
  })

  it('never sends the token to a host outside the allowlist', async () => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
    const evil = nock('https://recordings.example.com').get(/.*/).reply(200, 'audio')
    const input = { ...world.input('393472000021'), recordingUrl: (fileId: string) => `https://recordings.example.com/v1/files/${fileId}` }
    const callId = await world.play(answeredWithRecording(input))
    const call = await world.waitForCall(callId, settled, 'the recording to settle')
    expect(evil.isDone()).toBe(false)
    expect(call.recordings[0].state).toBe('failed')
    expect(call.recordings[0].reason).toBe('recording URL refused: host recordings.example.com is not in VONAGE_RECORDING_HOSTS')
    const note = notesOf(call.zendesk.ticket_id).find((comment) => comment.body.includes(call.recordings[0].id))
    expect(note?.body).toMatch(/^La registrazione non è disponibile: l’indirizzo della registrazione non appartiene a un host Vonage consentito\./)
  })

  it('notes a recording event that has no URL', async () => {
    const deliveries = answeredWithRecording(world.input('393472000022'))
    for (const delivery of deliveries) if (delivery.body && 'recording_url' in delivery.body) delivery.body.recording_url = ''
    const callId = await world.play(deliveries)
    const call = await world.waitForCall(callId, settled, 'the recording to settle')
    expect(call.recordings[0].state).toBe('failed')
    expect(call.recordings[0].reason).toBe('Vonage sent the recording event without a URL')
    expect(notesOf(call.zendesk.ticket_id).some((comment) => comment.body.startsWith('La registrazione non è disponibile: Vonage ha segnalato la registrazione senza indicarne l’indirizzo.'))).toBe(true)
  })

  it('notes a recording over the size limit without downloading it', async () => {
    const deliveries = answeredWithRecording(world.input('393472000023'))
    for (const delivery of deliveries) if (delivery.body && 'recording_url' in delivery.body) delivery.body.size = String(200 * 1024 * 1024)
    const downloads = world.vonage.requests.length
    const callId = await world.play(deliveries)
    const call = await world.waitForCall(callId, settled, 'the recording to settle')
    expect(call.recordings[0].state).toBe('failed')
    expect(world.vonage.requests.length).toBe(downloads)
    expect(notesOf(call.zendesk.ticket_id).some((comment) => comment.body.includes('il file supera il limite configurato di 50 MB'))).toBe(true)
  })
})
