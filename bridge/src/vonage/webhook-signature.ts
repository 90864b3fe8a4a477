import { createHash, timingSafeEqual } from 'node:crypto'
import { verifySignature } from '@vonage/jwt'
import jwt from 'jsonwebtoken'
import { webhookSignatureInvalid } from '../errors'

/** The claims of a verified Vonage webhook JWT that the bridge relies on. */
export interface WebhookClaims {
  jti: string
  iat: number
  apiKey?: string
  applicationId?: string
}

export interface SignedRequest {
  method: string
  authorization: string | undefined
  /** The exact body bytes received (POST), or undefined for GET. */
  rawBody: Buffer | undefined
  /** The query string as received, without the leading "?". */
  rawQuery: string
}

/**
 * Verifies a signed Vonage webhook: an HS256 JWT made with the account signature secret,
 * whose payload_hash is the SHA-256 of the exact body (POST) or of the query parameters
 * as compact JSON in the order received (GET). Vonage sets no `exp`, so `iat` must fall
 * within `maxAgeSeconds` of now. Replays (a `jti` seen before) are the caller's check,
 * because that needs the database.
 */
export function verifyWebhook(
  request: SignedRequest,
  secret: string,
  maxAgeSeconds: number,
  now: Date = new Date(),
): WebhookClaims {
  const token = bearerToken(request.authorization)
  const header = jwt.decode(token, { complete: true })?.header
  if (header?.alg !== 'HS256') throw webhookSignatureInvalid('the token is not an HS256 JWT')
  if (!verifySignature(token, secret)) throw webhookSignatureInvalid('the signature does not match the signature secret')

  const claims = jwt.decode(token) as Record<string, unknown> | null
  if (claims === null || typeof claims !== 'object') throw webhookSignatureInvalid('the token has no claims')
  const iat = Number(claims.iat)
  if (!Number.isFinite(iat)) throw webhookSignatureInvalid('the token has no iat claim')
  const skew = Math.abs(now.getTime() / 1000 - iat)
  if (skew > maxAgeSeconds) {
    throw webhookSignatureInvalid(`the token was issued ${Math.round(skew)} s away from now (limit ${maxAgeSeconds} s)`)
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') throw webhookSignatureInvalid('the token has no jti claim')
  if (typeof claims.payload_hash !== 'string') throw webhookSignatureInvalid('the token has no payload_hash claim')
  if (!sameHex(claims.payload_hash, payloadHash(request))) {
    throw webhookSignatureInvalid('payload_hash does not match the request payload')
  }
  return {
    jti: claims.jti,
    iat,
    apiKey: typeof claims.api_key === 'string' ? claims.api_key : undefined,
    applicationId: typeof claims.application_id === 'string' ? claims.application_id : undefined,
  }
}

/** The hex SHA-256 that Vonage puts in payload_hash for this request. */
export function payloadHash(request: Pick<SignedRequest, 'method' | 'rawBody' | 'rawQuery'>): string {
  if (request.method !== 'GET' && request.rawBody !== undefined) {
    return createHash('sha256').update(request.rawBody).digest('hex')
  }
  const params = Object.fromEntries(new URLSearchParams(request.rawQuery))
  return createHash('sha256').update(JSON.stringify(params)).digest('hex')
}

function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
  if (!match) throw webhookSignatureInvalid('the Authorization header has no Bearer token')
  return match[1]
}

function sameHex(claimed: string, computed: string): boolean {
  const a = Buffer.from(claimed.toLowerCase())
  const b = Buffer.from(computed)
  return a.length === b.length && timingSafeEqual(a, b)
}
