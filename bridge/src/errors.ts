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

/**
 * A routing admin request that matches its JSON schema but breaks a rule the schema cannot
 * express (an unknown team, a broken IVR graph). Each problem names the field and the value.
 */
export const routingInputInvalid = (problems: string[]) =>
  new BridgeError('CENTRALINO_ERR_VALIDATION', 400, `Invalid request: ${problems.join('; ')}`)

export const teamNotFound = (id: string) =>
  new BridgeError('CENTRALINO_ERR_TEAM_NOT_FOUND', 404, `Team "${id}" not found: create it with PUT /api/admin/teams/${id}`)

export const agentNotFound = (id: string) =>
  new BridgeError('CENTRALINO_ERR_AGENT_NOT_FOUND', 404, `Agent "${id}" not found: create it with PUT /api/admin/agents/${id}`)

export const queueNotFound = (id: string) =>
  new BridgeError('CENTRALINO_ERR_QUEUE_NOT_FOUND', 404, `Queue "${id}" not found: create it with PUT /api/admin/queues/${id}`)

export const ivrFlowNotFound = (id: string, version?: number) =>
  version === undefined
    ? new BridgeError('CENTRALINO_ERR_IVR_FLOW_NOT_FOUND', 404, `IVR flow "${id}" not found: create it with POST /api/admin/ivr-flows/${id}/versions`)
    : new BridgeError('CENTRALINO_ERR_IVR_FLOW_NOT_FOUND', 404, `IVR flow "${id}" has no version ${version}: GET /api/admin/ivr-flows/${id} lists its versions`)

export const phoneNumberNotFound = (e164: string) =>
  new BridgeError('CENTRALINO_ERR_NUMBER_NOT_FOUND', 404, `Number "${e164}" not found: add it with PUT /api/admin/numbers/${encodeURIComponent(e164)}`)

export const teamInUse = (id: string, users: string[]) =>
  new BridgeError('CENTRALINO_ERR_TEAM_IN_USE', 409, `Team "${id}" is still used by ${users.join(', ')}: move them to another team or delete them first`)

export const queueInUse = (id: string, users: string[]) =>
  new BridgeError('CENTRALINO_ERR_QUEUE_IN_USE', 409, `Queue "${id}" is still used by ${users.join(', ')}: point them at another queue, or wait for the callers, then delete it`)

export const agentInUse = (id: string, reason: string) =>
  new BridgeError('CENTRALINO_ERR_AGENT_IN_USE', 409, `Agent "${id}" cannot be deleted because ${reason}`)

export const zendeskUserTaken = (zendeskUserId: number, agentId: string) =>
  new BridgeError(
    'CENTRALINO_ERR_ZENDESK_USER_TAKEN',
    409,
    `Zendesk user ${zendeskUserId} is already agent "${agentId}": edit that agent, or delete it first`,
  )

/** The agent is offered a call or is on one, and only routing moves it out of that state. */
export const agentBusy = (id: string, state: string) =>
  new BridgeError('CENTRALINO_ERR_AGENT_BUSY', 409, `Agent "${id}" is ${state} and keeps that state until the call ends: set the state again afterwards`)

export const concurrentChange = (what: string) =>
  new BridgeError('CENTRALINO_ERR_CONFLICT', 409, `${what} was changed by another request at the same time: send the request again`)

export const zendeskScheduleInvalid = (scheduleId: number, reason: string) =>
  new BridgeError('CENTRALINO_ERR_ZENDESK_SCHEDULE', 422, `Zendesk schedule ${scheduleId} cannot be imported: ${reason}`)

export const zendeskUnavailable = (action: string, cause: unknown) =>
  new BridgeError(
    'CENTRALINO_ERR_ZENDESK_UNAVAILABLE',
    502,
    `${action} failed: ${cause instanceof Error ? cause.message : String(cause)}; try again later`,
    { cause },
  )

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
