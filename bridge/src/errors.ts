/**
 * Every error the bridge raises on purpose, with a stable code and an HTTP status.
 * Codes appear in API replies and logs, so clients and log queries can match on them.
 */
export class BridgeError extends Error {
  readonly code: string
  readonly statusCode: number

  constructor(code: string, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BridgeError'
    this.code = code
    this.statusCode = statusCode
  }
}

export const webhookSignatureInvalid = (reason: string) =>
  new BridgeError('CENTRALINO_ERR_WEBHOOK_SIGNATURE', 401, `Invalid Vonage webhook signature: ${reason}`)

export const webhookPayloadInvalid = (reason: string) =>
  new BridgeError('CENTRALINO_ERR_WEBHOOK_PAYLOAD', 400, `Invalid Vonage webhook payload: ${reason}`)

export const unsupportedMediaType = (contentType: string) =>
  new BridgeError(
    'CENTRALINO_ERR_CONTENT_TYPE',
    415,
    `Unsupported content type "${contentType}": send application/json or application/x-www-form-urlencoded`,
  )

export const apiUnauthorized = () =>
  new BridgeError(
    'CENTRALINO_ERR_API_UNAUTHORIZED',
    401,
    'Missing or invalid API token: send "Authorization: Bearer <API_TOKEN>"',
  )

export const callNotFound = (id: string) =>
  new BridgeError('CENTRALINO_ERR_CALL_NOT_FOUND', 404, `Call "${id}" not found`)

/** A job step that cannot succeed however often it is retried (for example a Zendesk 422). */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PermanentJobError'
  }
}

/** A job step that is expected to succeed later (ticket not logged yet, recording still processing). */
export class RetryableJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RetryableJobError'
  }
}
