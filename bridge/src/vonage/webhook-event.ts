import { webhookPayloadInvalid } from '../errors'

/** The leg statuses Vonage reports, in the order a leg can reach them. */
export const LEG_STATUSES = [
  'started',
  'ringing',
  'answered',
  'busy',
  'cancelled',
  'unanswered',
  'disconnected',
  'rejected',
  'failed',
  'timeout',
  'human',
  'machine',
  'completed',
] as const
export type LegStatus = (typeof LEG_STATUSES)[number]

export type VonageEvent =
  | {
      kind: 'answer'
      legId: string
      conversationId: string
      from?: string
      fromUser?: string
      to?: string
      regionUrl?: string
      endpointType?: string
    }
  | {
      kind: 'status'
      legId: string
      conversationId?: string
      status: string
      direction?: string
      from?: string
      to?: string
      detail?: string
      timestamp?: string
      startTime?: string
      endTime?: string
      durationSeconds?: number
    }
  | {
      kind: 'record'
      /** Record events name no leg, only the conversation. */
      legId?: undefined
      conversationId: string
      recordingId: string
      url: string
      sizeBytes?: number
      startTime?: string
      endTime?: string
      timestamp?: string
    }
  | { kind: 'transfer'; legId?: string; conversationId?: string; toConversationId?: string; timestamp?: string }
  | { kind: 'input' | 'notify' | 'error' | 'other'; legId?: string; conversationId?: string; timestamp?: string }

/** Keys whose values Vonage sends as JSON text when it uses GET with a query string. */
const NESTED_JSON_KEYS = ['dtmf', 'speech', 'payload', 'original_request', 'headers', 'custom_data']

/** Turns query parameters into a payload object, decoding the nested JSON that GET webhooks carry. */
export function payloadFromQuery(query: URLSearchParams): Record<string, unknown> {
  const payload: Record<string, unknown> = {}
  for (const [key, value] of query) {
    payload[key] = NESTED_JSON_KEYS.includes(key) ? parseNestedJson(value) : value
  }
  return payload
}

function parseNestedJson(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

/** Reads an answer webhook payload; `uuid` and `conversation_uuid` are required. */
export function parseAnswer(payload: Record<string, unknown>): Extract<VonageEvent, { kind: 'answer' }> {
  return {
    kind: 'answer',
    legId: requireText(payload, 'uuid'),
    conversationId: requireText(payload, 'conversation_uuid'),
    from: optionalText(payload, 'from'),
    fromUser: optionalText(payload, 'from_user'),
    to: optionalText(payload, 'to'),
    regionUrl: optionalText(payload, 'region_url'),
    endpointType: optionalText(payload, 'endpoint_type'),
  }
}

/**
 * Classifies an event webhook payload. Vonage gives no event type field, so the shape
 * decides, in the order Vonage's own PHP SDK uses: status, transfer, record, error,
 * notify, input.
 */
export function parseEvent(payload: Record<string, unknown>): VonageEvent {
  const conversationId = optionalText(payload, 'conversation_uuid')
  const timestamp = optionalText(payload, 'timestamp')
  const status = optionalText(payload, 'status')
  if (status !== undefined && status !== 'transfer' && status !== 'input') {
    return {
      kind: 'status',
      legId: optionalText(payload, 'uuid') ?? requireText(payload, 'call_uuid'),
      conversationId,
      status,
      direction: optionalText(payload, 'direction'),
      from: optionalText(payload, 'from'),
      to: optionalText(payload, 'to'),
      detail: optionalText(payload, 'detail'),
      timestamp,
      startTime: optionalText(payload, 'start_time'),
      endTime: optionalText(payload, 'end_time'),
      durationSeconds: optionalNumber(payload, 'duration'),
    }
  }
  if (payload.type === 'transfer' || status === 'transfer') {
    return {
      kind: 'transfer',
      legId: optionalText(payload, 'uuid'),
      conversationId: optionalText(payload, 'conversation_uuid_from') ?? conversationId,
      toConversationId: optionalText(payload, 'conversation_uuid_to'),
      timestamp,
    }
  }
  if ('recording_url' in payload || 'recording_uuid' in payload) {
    return {
      kind: 'record',
      conversationId: requireText(payload, 'conversation_uuid'),
      recordingId: requireText(payload, 'recording_uuid'),
      url: optionalText(payload, 'recording_url') ?? '',
      sizeBytes: optionalNumber(payload, 'size'),
      startTime: optionalText(payload, 'start_time'),
      endTime: optionalText(payload, 'end_time'),
      timestamp,
    }
  }
  const legId = optionalText(payload, 'uuid')
  if ('reason' in payload) return { kind: 'error', legId, conversationId, timestamp }
  if ('payload' in payload) return { kind: 'notify', legId, conversationId, timestamp }
  if ('dtmf' in payload || 'speech' in payload || status === 'input') return { kind: 'input', legId, conversationId, timestamp }
  return { kind: 'other', legId, conversationId, timestamp }
}

function requireText(payload: Record<string, unknown>, key: string): string {
  const value = optionalText(payload, key)
  if (value === undefined) throw webhookPayloadInvalid(`field "${key}" is missing`)
  return value
}

function optionalText(payload: Record<string, unknown>, key: string): string | undefined {
  const value = payload[key]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw webhookPayloadInvalid(`field "${key}" must be text, got ${JSON.stringify(value)}`)
}

/** Vonage sends numbers such as duration and size as strings ("7"); both forms are read. */
function optionalNumber(payload: Record<string, unknown>, key: string): number | undefined {
  const value = payload[key]
  if (value === undefined || value === null || value === '') return undefined
  const number = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(number)) throw webhookPayloadInvalid(`field "${key}" must be a number, got ${JSON.stringify(value)}`)
  return number
}
