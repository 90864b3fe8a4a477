import { createHash, randomUUID } from 'node:crypto'

import jwt from 'jsonwebtoken'

export interface WebhookSignatureInput {
  /** The account's signature secret, which Vonage signs webhooks with (not the application's private key). */
  secret: string
  /** The exact POST body bytes, as sent. Takes precedence over `query`. */
  body?: string
  /** The query parameters of a GET webhook, in the order they appear in the URL. */
  query?: URLSearchParams
  apiKey: string
  applicationId: string
  /** Issue time in seconds since the epoch. Default: now. */
  iat?: number
  /** Token id. Default: a random UUID v4. */
  jti?: string
}

/**
 * Computes the `payload_hash` claim, a hex SHA-256. A POST hashes its body bytes. A GET hashes
 * the compact JSON of an object built from the query parameters in URL order. The GET rule
 * comes from a Vonage support article and has not been checked against real traffic.
 */
export function hashWebhookPayload(body: string | undefined, query: URLSearchParams | undefined): string {
  const payload = body ?? JSON.stringify(Object.fromEntries(query ?? new URLSearchParams()))
  return createHash('sha256').update(payload, 'utf8').digest('hex')
}

/**
 * Signs a webhook as Vonage does, with an HS256 JWT over `iat`, `jti`, `iss`, `payload_hash`,
 * `api_key` and `application_id` and no `exp`. The result goes in `Authorization: Bearer <token>`.
 */
export function signVonageWebhook(input: WebhookSignatureInput): string {
  const claims = {
    iat: input.iat ?? Math.floor(Date.now() / 1000),
    jti: input.jti ?? randomUUID(),
    iss: 'Vonage',
    payload_hash: hashWebhookPayload(input.body, input.query),
    api_key: input.apiKey,
    application_id: input.applicationId,
  }
  // jsonwebtoken keeps a non-zero iat from the payload and adds no exp unless asked to.
  return jwt.sign(claims, input.secret, { algorithm: 'HS256' })
}
