import { createHash } from 'node:crypto'
import type { Database, Queryable } from '../db/database'
import { webhookSignatureInvalid } from '../errors'
import { QUEUES, type JobQueue } from '../jobs/queue'
import type { WebhookClaims } from '../vonage/webhook-signature'
import type { VonageEvent } from '../vonage/webhook-event'
import type { Ncco } from '../vonage/ncco'
import type { Language } from '../i18n/language'
import { deriveCallState, type StoredEvent } from './call-state'

export type RecordingKind = 'call' | 'voicemail'

export interface NewCall {
  id: string
  callerLegId: string
  fromRaw?: string
  toRaw?: string
  fromE164?: string
  toE164?: string
  callerWithheld: boolean
  language: string
  destination: string
  regionUrl?: string
}

/**
 * Stores every webhook once, as received, and keeps each call's derived state current.
 * Each write runs in one transaction with the replay check and the jobs it causes, so a
 * webhook is either fully stored (then answered 2xx) or not at all.
 */
export class EventStore {
  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly callLogDelaySeconds: number,
  ) {}

  /** Stores an answer webhook; a duplicate gets the NCCO of the first one and creates nothing. */
  async recordAnswer(
    call: NewCall,
    payload: Record<string, unknown>,
    claims: WebhookClaims,
    buildNcco: (tx: Queryable) => Promise<Ncco>,
  ): Promise<{ ncco: Ncco; duplicate: boolean }> {
    return this.db.transaction(async (tx) => {
      await claimToken(tx, claims)
      await tx.query(
        `INSERT INTO calls (id, direction, caller_leg_id, from_raw, to_raw, from_e164, to_e164, caller_withheld,
                            language, destination, region_url)
         VALUES ($1, 'inbound', $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET
           caller_leg_id = COALESCE(calls.caller_leg_id, EXCLUDED.caller_leg_id),
           from_raw = COALESCE(calls.from_raw, EXCLUDED.from_raw),
           to_raw = COALESCE(calls.to_raw, EXCLUDED.to_raw),
           from_e164 = COALESCE(calls.from_e164, EXCLUDED.from_e164),
           to_e164 = COALESCE(calls.to_e164, EXCLUDED.to_e164),
           caller_withheld = calls.caller_withheld OR EXCLUDED.caller_withheld,
           language = CASE WHEN calls.ncco IS NULL THEN EXCLUDED.language ELSE calls.language END,
           destination = COALESCE(calls.destination, EXCLUDED.destination),
           region_url = COALESCE(calls.region_url, EXCLUDED.region_url)`,
        [
          call.id,
          call.callerLegId,
          call.fromRaw ?? null,
          call.toRaw ?? null,
          call.fromE164 ?? null,
          call.toE164 ?? null,
          call.callerWithheld,
          call.language,
          call.destination,
          call.regionUrl ?? null,
        ],
      )
      await tx.query('INSERT INTO call_conversations (conversation_id, call_id) VALUES ($1, $1) ON CONFLICT DO NOTHING', [call.id])
      const stored = await insertEvent(tx, call.id, { kind: 'answer', legId: call.callerLegId, status: null }, payload)
      const row = await tx.query<{ ncco: Ncco | null }>('SELECT ncco FROM calls WHERE id = $1 FOR UPDATE', [call.id])
      let ncco = row.rows[0].ncco
      if (ncco === null) {
        ncco = await buildNcco(tx)
        await tx.query('UPDATE calls SET ncco = $2 WHERE id = $1', [call.id, JSON.stringify(ncco)])
      }
      if (stored) await this.refreshCall(tx, call.id)
      return { ncco, duplicate: !stored }
    })
  }

  /** Stores an event webhook; returns the call it belongs to, or null when none could be found. */
  async recordEvent(
    event: VonageEvent,
    payload: Record<string, unknown>,
    claims: WebhookClaims,
    recordingKind: RecordingKind,
    knownCallId?: string | null,
  ): Promise<{ callId: string | null; duplicate: boolean }> {
    return this.db.transaction(async (tx) => {
      await claimToken(tx, claims)
      // null: an event of a leg that is not part of any call (a supervisor's), stored on its own.
      const callId = knownCallId !== undefined ? knownCallId : await this.findOrCreateCall(tx, event)
      if (event.kind === 'transfer' && callId !== null && event.toConversationId) {
        await tx.query('INSERT INTO call_conversations (conversation_id, call_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [event.toConversationId, callId])
      }
      const status = eventStatus(event, recordingKind)
      const stored = await insertEvent(tx, callId, { kind: event.kind, legId: event.legId ?? null, status }, payload)
      if (!stored || callId === null) return { callId, duplicate: !stored }
      if (event.kind === 'record') await this.addRecording(tx, callId, event, recordingKind)
      await this.refreshCall(tx, callId)
      return { callId, duplicate: false }
    })
  }

  /**
   * Stores a status event that the bridge read from the Voice API instead of a webhook.
   * It goes through the same dedup and state refresh as a webhook.
   */
  async recordInternalEvent(callId: string, payload: Record<string, unknown>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const legId = typeof payload.uuid === 'string' ? payload.uuid : null
      const stored = await insertEvent(tx, callId, { kind: 'status', legId, status: String(payload.status) }, payload)
      if (stored) await this.refreshCall(tx, callId)
      return stored
    })
  }

  async callLanguage(callId: string): Promise<Language> {
    const result = await this.db.query<{ language: string }>('SELECT language FROM calls WHERE id = $1', [callId])
    return result.rows[0]?.language === 'it' ? 'it' : 'en'
  }

  /**
   * Finds the call an event belongs to: by its leg first (a leg keeps its call when it
   * moves into a queue's conversation), then by conversation, else it starts a call.
   */
  private async findOrCreateCall(tx: Queryable, event: VonageEvent): Promise<string | null> {
    if (event.legId !== undefined) {
      const byLeg = await tx.query<{ call_id: string }>(
        `SELECT id AS call_id FROM calls WHERE caller_leg_id = $1 UNION ALL SELECT call_id FROM call_legs WHERE id = $1 LIMIT 1`,
        [event.legId],
      )
      if (byLeg.rows[0]) return byLeg.rows[0].call_id
    }
    const conversationId = event.conversationId ?? null
    if (conversationId === null) return null
    const alias = await tx.query<{ call_id: string }>('SELECT call_id FROM call_conversations WHERE conversation_id = $1', [conversationId])
    if (alias.rows[0]) return alias.rows[0].call_id
    const direction = event.kind === 'status' && event.direction === 'outbound' ? 'outbound' : 'inbound'
    await tx.query(`INSERT INTO calls (id, direction) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [conversationId, direction])
    await tx.query('INSERT INTO call_conversations (conversation_id, call_id) VALUES ($1, $1) ON CONFLICT DO NOTHING', [conversationId])
    return conversationId
  }

  private async addRecording(
    tx: Queryable,
    callId: string,
    event: Extract<VonageEvent, { kind: 'record' }>,
    kind: RecordingKind,
  ): Promise<void> {
    const inserted = await tx.query(
      `INSERT INTO recordings (id, call_id, kind, url, size_bytes, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [event.recordingId, callId, kind, event.url, event.sizeBytes ?? null, event.startTime ?? null, event.endTime ?? null],
    )
    if (inserted.rowCount > 0) {
      await this.queue.send(tx, QUEUES.attachRecording, { recordingId: event.recordingId }, event.recordingId)
    }
  }

  /**
   * Recomputes the call from all its events. The row lock serialises concurrent webhooks
   * of one call, and the first time the caller's leg ends the Zendesk write is enqueued.
   * It starts after a short delay so that late events of the same call (which Vonage may
   * send in any order) are in before the ticket is written.
   */
  private async refreshCall(tx: Queryable, callId: string): Promise<void> {
    const call = await tx.query<{ caller_leg_id: string | null; zendesk_state: string }>(
      'SELECT caller_leg_id, zendesk_state FROM calls WHERE id = $1 FOR UPDATE',
      [callId],
    )
    const events = await tx.query<{ kind: string; status: string | null; leg_id: string | null; payload: Record<string, unknown>; received_at: Date }>(
      'SELECT kind, status, leg_id, payload, received_at FROM call_events WHERE call_id = $1 ORDER BY id',
      [callId],
    )
    const stored: StoredEvent[] = events.rows.map((row) => ({
      kind: row.kind,
      status: row.status,
      legId: row.leg_id,
      payload: row.payload,
      receivedAt: new Date(row.received_at),
    }))
    const state = deriveCallState(stored, call.rows[0].caller_leg_id)
    for (const leg of state.legs) {
      await tx.query(
        `INSERT INTO call_legs (id, call_id, direction, from_raw, to_raw, status, detail, started_at, answered_at, ended_at, duration_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET direction = $3, from_raw = $4, to_raw = $5, status = $6, detail = $7,
           started_at = $8, answered_at = $9, ended_at = $10, duration_seconds = $11`,
        [leg.id, callId, leg.direction ?? null, leg.from ?? null, leg.to ?? null, leg.status, leg.detail ?? null,
          leg.startedAt ?? null, leg.answeredAt ?? null, leg.endedAt ?? null, leg.durationSeconds ?? null],
      )
    }
    const startLogging = state.status === 'completed' && call.rows[0].zendesk_state === 'waiting'
    await tx.query(
      `UPDATE calls SET status = $2, outcome = $3, started_at = $4, answered_at = $5, ended_at = $6,
         duration_seconds = $7, talk_seconds = $8, zendesk_state = $9, updated_at = now()
       WHERE id = $1`,
      [callId, state.status, state.outcome ?? null, state.startedAt ?? null, state.answeredAt ?? null, state.endedAt ?? null,
        state.durationSeconds ?? null, state.talkSeconds ?? null, startLogging ? 'queued' : call.rows[0].zendesk_state],
    )
    if (startLogging) await this.queue.send(tx, QUEUES.logCall, { callId }, callId, this.callLogDelaySeconds)
  }
}

/** The status column: a leg status, or for a record event the recording kind. */
function eventStatus(event: VonageEvent, recordingKind: RecordingKind): string | null {
  if (event.kind === 'status') return event.status
  if (event.kind === 'record') return recordingKind
  return null
}

/** Rejects a webhook token whose jti was already used, inside the webhook's own transaction. */
async function claimToken(tx: Queryable, claims: WebhookClaims): Promise<void> {
  const inserted = await tx.query(
    'INSERT INTO webhook_tokens (jti, issued_at) VALUES ($1, to_timestamp($2)) ON CONFLICT (jti) DO NOTHING',
    [claims.jti, claims.iat],
  )
  if (inserted.rowCount === 0) throw webhookSignatureInvalid(`token ${claims.jti} was already used (replay)`)
}

/** Inserts the event unless the same delivery is stored; returns false for a duplicate. */
async function insertEvent(
  tx: Queryable,
  callId: string | null,
  event: { kind: string; legId: string | null; status: string | null },
  payload: Record<string, unknown>,
): Promise<boolean> {
  const occurredAt = typeof payload.timestamp === 'string' && !Number.isNaN(Date.parse(payload.timestamp)) ? payload.timestamp : null
  const hash = createHash('sha256').update(`${event.kind}:${event.status ?? ''}:${canonicalJson(payload)}`).digest('hex')
  const result = await tx.query(
    `INSERT INTO call_events (call_id, leg_id, kind, status, occurred_at, payload, content_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (content_hash) DO NOTHING`,
    [callId, event.legId, event.kind, event.status, occurredAt, JSON.stringify(payload), hash],
  )
  return result.rowCount > 0
}

/** JSON with sorted keys, so that one payload sent as GET or POST hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
