import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import jwt from 'jsonwebtoken'

import { startVonageStandin, type VonageStandin } from '../standins/vonage-standin'

const APPLICATION_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
const RECORDING_PATH = join(__dirname, '..', 'demo', 'audio', 'call-it.mp3')

function rsaKeyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
}

const applicationKeys = rsaKeyPair()
const otherKeys = rsaKeyPair()

/** Signs a token shaped like the ones @vonage/jwt makes: RS256 with application_id, iat, jti and exp. */
function applicationToken(claims: Record<string, unknown> = {}, privateKey = applicationKeys.privateKey): string {
  const now = Math.floor(Date.now() / 1000)
  const payload = { application_id: APPLICATION_ID, iat: now, exp: now + 900, jti: randomUUID(), ...claims }
  return jwt.sign(payload, privateKey, { algorithm: 'RS256' })
}

async function download(standin: VonageStandin, fileId: string, authorization?: string) {
  const headers: Record<string, string> = authorization ? { Authorization: authorization } : {}
  const response = await fetch(standin.fileUrl(fileId), { headers })
  const bytes = Buffer.from(await response.arrayBuffer())
  return { status: response.status, headers: response.headers, bytes }
}

describe('Vonage stand-in', () => {
  let standin: VonageStandin

  beforeEach(async () => {
    standin = await startVonageStandin({
      applicationId: APPLICATION_ID,
      publicKeyPem: applicationKeys.publicKey,
      port: 0,
    })
    standin.addRecording('file-1', RECORDING_PATH)
  })

  afterEach(async () => {
    await standin.close()
  })

  it('serves a recording for a valid JWT', async () => {
    const expected = readFileSync(RECORDING_PATH)

    const response = await download(standin, 'file-1', `Bearer ${applicationToken()}`)

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('audio/mpeg')
    expect(response.headers.get('content-length')).toBe(String(expected.length))
    expect(response.bytes.equals(expected)).toBe(true)
    expect(standin.requests).toEqual([{ path: '/v1/files/file-1', status: 200, authorized: true }])
  })

  it('rejects a request without a JWT', async () => {
    const response = await download(standin, 'file-1')

    expect(response.status).toBe(401)
    expect(JSON.parse(response.bytes.toString('utf8'))).toMatchObject({ title: 'Unauthorized' })
    expect(standin.requests).toEqual([{ path: '/v1/files/file-1', status: 401, authorized: false }])
  })

  it.each([
    ['another private key', () => applicationToken({}, otherKeys.privateKey)],
    ['another application id', () => applicationToken({ application_id: 'other-application' })],
    ['an expired exp', () => applicationToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    [
      'no exp claim',
      () => jwt.sign({ application_id: APPLICATION_ID }, applicationKeys.privateKey, { algorithm: 'RS256' }),
    ],
    [
      'HS256 over the public key',
      () =>
        jwt.sign({ application_id: APPLICATION_ID, exp: Math.floor(Date.now() / 1000) + 60 }, applicationKeys.publicKey, {
          algorithm: 'HS256',
        }),
    ],
  ])('rejects a JWT with %s', async (_case, makeToken) => {
    const response = await download(standin, 'file-1', `Bearer ${makeToken()}`)

    expect(response.status).toBe(401)
  })

  it('returns 404 until the recording is ready', async () => {
    standin.addRecording('file-2', RECORDING_PATH, 'audio/mpeg', { notFoundTimes: 2 })
    const authorization = `Bearer ${applicationToken()}`

    const statuses = [
      (await download(standin, 'file-2', authorization)).status,
      (await download(standin, 'file-2', authorization)).status,
      (await download(standin, 'file-2', authorization)).status,
    ]

    expect(statuses).toEqual([404, 404, 200])
  })

  it('unknown file is 404', async () => {
    const response = await download(standin, 'no-such-file', `Bearer ${applicationToken()}`)

    expect(response.status).toBe(404)
  })

  it('addRecording rejects a missing file', () => {
    expect(() => standin.addRecording('file-3', '/nonexistent/recording.mp3')).toThrow('does not exist')
  })
})
