import { createHash } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { payloadHash, verifyWebhook } from '../../src/vonage/webhook-signature'

const SECRET = 'unit-signature-secret-0123456789'
const NOW = new Date('2026-12-04T12:00:00Z')
const body = Buffer.from('{"status":"started","uuid":"0A0000000123ABCD1"}')

function token(claims: Record<string, unknown>, secret = SECRET): string {
  return jwt.sign({ iat: NOW.getTime() / 1000, jti: 'jti-1', iss: 'Vonage', payload_hash: createHash('sha256').update(body).digest('hex'), ...claims }, secret)
}

const request = (authorization: string) => ({ method: 'POST', authorization: `Bearer ${authorization}`, rawBody: body, rawQuery: '' })

describe('verifyWebhook', () => {
  it('returns the claims of a valid token', () => {
    expect(verifyWebhook(request(token({ api_key: 'abcd1234' })), SECRET, 300, NOW)).toEqual({ jti: 'jti-1', iat: NOW.getTime() / 1000, apiKey: 'abcd1234', applicationId: undefined })
  })

  it.each([
    ['a wrong secret', token({}, 'another-secret-0123456789'), 'the signature does not match the signature secret'],
    ['a missing jti', token({ jti: undefined }), 'the token has no jti claim'],
    ['a missing payload hash', token({ payload_hash: undefined }), 'the token has no payload_hash claim'],
    ['a future iat', token({ iat: NOW.getTime() / 1000 + 600 }), 'the token was issued 600 s away from now (limit 300 s)'],
    ['another payload', token({ payload_hash: 'ab'.repeat(32) }), 'payload_hash does not match the request payload'],
  ])('rejects %s', (_case, signed, reason) => {
    expect(() => verifyWebhook(request(signed), SECRET, 300, NOW)).toThrow(`Invalid Vonage webhook signature: ${reason}`)
  })

  it('hashes a GET query as compact JSON in the order received', () => {
    const rawQuery = 'to=16105553939&from=14845552121&uuid=0A0000000123ABCD1'
    const expected = createHash('sha256').update('{"to":"16105553939","from":"14845552121","uuid":"0A0000000123ABCD1"}').digest('hex')
    expect(payloadHash({ method: 'GET', rawBody: undefined, rawQuery })).toBe(expected)
  })
})
