import type { Config } from '../config'
import type { Database } from '../db/database'
import { PermanentJobError } from '../errors'
import type { CallOutcome } from '../calls/call-state'
import { normalizeCaller } from '../calls/phone-number'
import { callNote, fill, ticketSubject, ticketTexts, type CallSummary } from '../i18n/ticket-texts'
import { transferLogLines } from '../transfers/transfer-log'
import type { Language } from '../i18n/language'
import type { AccountSettingsCache } from '../zendesk/account'
import { ZendeskApiError, type ZendeskClient } from '../zendesk/client'
import { createCallRecord, ensureVoiceComment } from '../zendesk/talk-partner'
import {
  addInternalNote,
  ClosedTicketError,
  createTicket,
  findReusableTicket,
  findTicketByExternalId,
  listComments,
} from '../zendesk/tickets'
import { resolveRequester } from '../zendesk/users'
import { QUEUES, type JobContext, type JobQueue } from './queue'

export interface ZendeskJobDeps {
  config: Config
  db: Database
  zendesk: ZendeskClient
  account: AccountSettingsCache
  queue: JobQueue
}

interface CallRow {
  id: string
  direction: 'inbound' | 'outbound'
  from_e164: string | null
  to_e164: string | null
  to_raw: string | null
  caller_withheld: boolean
  destination: string | null
  outcome: CallOutcome | null
  started_at: Date | null
  duration_seconds: number | null
  talk_seconds: number | null
  zendesk_state: string
  requester_id: string | null
  ticket_id: string | null
  ticket_reused: boolean | null
  zendesk_call_id: string | null
  agent_zendesk_user_id: string | null
  zendesk_group_id: string | null
}

/** The external_id of tickets the bridge creates, so a repeated create finds the first one. */
export const ticketExternalId = (callId: string) => `centralino-call:${callId}`

/**
 * Writes one finished call into Zendesk: the requester, then the ticket (a new one, or a
 * note on the caller's open ticket), then in Talk Partner Edition the call record and its
 * voice comment. Every step checks what an earlier, interrupted run already did, so a
 * crash at any point still ends with one ticket and one note.
 */
export async function logCall(deps: ZendeskJobDeps, data: { callId: string }, context: JobContext): Promise<void> {
  const call = await loadCall(deps.db, data.callId)
  if (call === undefined) throw new PermanentJobError(`call ${data.callId} not found`)
  if (call.zendesk_state === 'logged') return
  if (call.outcome === null) throw new PermanentJobError(`call ${data.callId} has not ended`)

  const { language, timeZone } = await deps.account.get()
  const summary = summarize(call)
  const log = context.log.child({ callId: call.id })
  const requesterId = await findRequester(deps, call, language, log)
  const transfers = await transferLogLines(deps.db, call.id, language)
  const ticketId = await ensureTicket({ deps, call, summary, requesterId, language, timeZone, transfers })
  log.info({ ticketId, requesterId }, 'call logged on Zendesk ticket')

  if (deps.config.zendesk.talkPartnerEdition) await ensureTalkRecord(deps, call, summary, ticketId, requesterId, language)
  await finishLogging(deps, call.id, ticketId)
}

async function findRequester(deps: ZendeskJobDeps, call: CallRow, language: Language, log: JobContext['log']): Promise<number | undefined> {
  if (call.requester_id !== null) return Number(call.requester_id)
  // The customer is the one who called in, or the one an agent called out to.
  const customerNumber = call.direction === 'outbound' ? call.to_e164 : call.from_e164
  const caller = normalizeCaller(customerNumber, deps.config.vonage.defaultCountry)
  // Withheld and anonymous callers get no Zendesk user; the ticket's requester is then the API user.
  if (caller.kind === 'withheld') return undefined
  const requesterId = await resolveRequester(deps.db, deps.zendesk, caller, language, deps.config.vonage.defaultCountry, log)
  await deps.db.query('UPDATE calls SET requester_id = $2, updated_at = now() WHERE id = $1', [call.id, requesterId])
  return requesterId
}

/** What the ticket steps of one call share. */
interface TicketWrite {
  deps: ZendeskJobDeps
  call: CallRow
  summary: CallSummary
  requesterId: number | undefined
  language: Language
  timeZone: string
  /** One line per transfer or conference of the call, written above the call's details. */
  transfers: string[]
}

async function ensureTicket(write: TicketWrite): Promise<number> {
  const { deps, call, summary, requesterId, language, timeZone } = write
  // A ticket carrying this call's external_id was created by an earlier run, with the note.
  const earlier = await findTicketByExternalId(deps.zendesk, ticketExternalId(call.id))
  if (earlier) {
    await storeTicket(deps.db, call.id, earlier.id, false)
    return earlier.id
  }
  if (call.ticket_id === null) {
    const reusable = await chooseReusableTicket(deps, requesterId)
    if (reusable === undefined) return createCallTicket(write)
    // The choice is stored before the note is written, so a repeat writes to the same ticket.
    await storeTicket(deps.db, call.id, reusable, true)
    call.ticket_id = String(reusable)
    call.ticket_reused = true
  }

  const ticketId = Number(call.ticket_id)
  const texts = ticketTexts(language)
  const comments = await listComments(deps.zendesk, ticketId)
  if (comments.some((comment) => comment.body?.includes(call.id))) return ticketId
  const reason = call.ticket_reused ? [fill(texts.reused, { days: deps.config.zendesk.reuseWindowDays })] : []
  try {
    await addInternalNote(deps.zendesk, ticketId, { body: callNote(summary, language, timeZone, [...reason, ...write.transfers]), tags: callTags(summary) })
    return ticketId
  } catch (error) {
    if (!(error instanceof ClosedTicketError)) throw error
    return createCallTicket(write, ticketId)
  }
}

async function chooseReusableTicket(deps: ZendeskJobDeps, requesterId: number | undefined): Promise<number | undefined> {
  const { ticketMode, reuseWindowDays } = deps.config.zendesk
  if (ticketMode === 'always_new' || requesterId === undefined) return undefined
  return (await findReusableTicket(deps.zendesk, requesterId, reuseWindowDays))?.id
}

async function createCallTicket(write: TicketWrite, closedTicketId?: number): Promise<number> {
  const { deps, call, summary, requesterId, language, timeZone } = write
  const extra = closedTicketId !== undefined ? [fill(ticketTexts(language).followUp, { ticket: closedTicketId })] : []
  try {
    const ticket = await createTicket(deps.zendesk, {
      subject: ticketSubject(summary, language),
      body: callNote(summary, language, timeZone, [...extra, ...write.transfers]),
      requesterId,
      tags: callTags(summary),
      externalId: ticketExternalId(call.id),
      followUpOf: closedTicketId,
      // The agent who took the call owns the new ticket; routed calls also carry their team's group.
      assigneeId: call.agent_zendesk_user_id !== null ? Number(call.agent_zendesk_user_id) : undefined,
      groupId: call.zendesk_group_id !== null ? Number(call.zendesk_group_id) : undefined,
    })
    await storeTicket(deps.db, call.id, ticket.id, false)
    return ticket.id
  } catch (error) {
    if (error instanceof ZendeskApiError && error.permanent) {
      throw new PermanentJobError(`Zendesk rejected the ticket for call ${call.id}: ${error.message}`, { cause: error })
    }
    throw error
  }
}

async function ensureTalkRecord(
  deps: ZendeskJobDeps,
  call: CallRow,
  summary: CallSummary,
  ticketId: number,
  requesterId: number | undefined,
  language: Language,
): Promise<void> {
  let zendeskCallId = call.zendesk_call_id !== null ? Number(call.zendesk_call_id) : undefined
  if (zendeskCallId === undefined) {
    // NOTE: a crash between this create and the update below leaves one extra call record
    // in Zendesk. Nobody sees it, because only a voice comment shows a call record.
    zendeskCallId = await createCallRecord(deps.zendesk, deps.config.zendesk.appId as number, summary, ticketId, requesterId)
    await deps.db.query('UPDATE calls SET zendesk_call_id = $2, updated_at = now() WHERE id = $1', [call.id, zendeskCallId])
  }
  await ensureVoiceComment(deps.zendesk, ticketId, zendeskCallId, ticketSubject(summary, language))
}

/** Marks the call logged and sends on the recordings that waited for its ticket, in one transaction. */
async function finishLogging(deps: ZendeskJobDeps, callId: string, ticketId: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.query(`UPDATE calls SET zendesk_state = 'logged', zendesk_error = NULL, ticket_id = $2, updated_at = now() WHERE id = $1`, [
      callId,
      ticketId,
    ])
    const waiting = await tx.query<{ id: string }>(`SELECT id FROM recordings WHERE call_id = $1 AND state = 'pending'`, [callId])
    for (const recording of waiting.rows) {
      await deps.queue.send(tx, QUEUES.attachRecording, { recordingId: recording.id }, recording.id)
    }
    // Routed callers' tickets changed; the routing rules read a local copy of them.
    const caller = await tx.query<{ from_e164: string | null }>('SELECT from_e164 FROM calls WHERE id = $1 AND ivr_flow_id IS NOT NULL', [callId])
    const phone = caller.rows[0]?.from_e164
    if (phone) await deps.queue.send(tx, QUEUES.refreshCaller, { phone }, phone)
  })
}

async function storeTicket(db: Database, callId: string, ticketId: number, reused: boolean): Promise<void> {
  await db.query('UPDATE calls SET ticket_id = $2, ticket_reused = $3, updated_at = now() WHERE id = $1', [callId, ticketId, reused])
}

/**
 * Records why the call could not be written: while retries remain as the error of the
 * queued call, then as its failure, which also leaves its recordings without a ticket.
 */
export async function recordLogFailure(db: Database, callId: string, reason: string, final: boolean): Promise<void> {
  if (!final) {
    await db.query(`UPDATE calls SET zendesk_error = $2, updated_at = now() WHERE id = $1 AND zendesk_state = 'queued'`, [callId, `retrying: ${reason}`])
    return
  }
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE calls SET zendesk_state = 'failed', zendesk_error = $2, updated_at = now() WHERE id = $1`, [callId, reason])
    await tx.query(
      `UPDATE recordings SET state = 'failed', reason = $2, updated_at = now() WHERE call_id = $1 AND state = 'pending'`,
      [callId, RECORDING_WITHOUT_TICKET],
    )
  })
}

export const RECORDING_WITHOUT_TICKET = 'the call could not be logged in Zendesk, so its recording has no ticket'

async function loadCall(db: Database, callId: string): Promise<CallRow | undefined> {
  const result = await db.query<CallRow>(
    `SELECT c.*, a.zendesk_user_id AS agent_zendesk_user_id FROM calls c LEFT JOIN agents a ON a.id = c.agent_id WHERE c.id = $1`,
    [callId],
  )
  return result.rows[0]
}

function summarize(call: CallRow): CallSummary {
  return {
    callId: call.id,
    direction: call.direction,
    from: call.from_e164,
    to: call.to_e164 ?? call.to_raw,
    startedAt: call.started_at ? new Date(call.started_at) : null,
    durationSeconds: call.duration_seconds,
    talkSeconds: call.talk_seconds,
    agent: call.destination,
    outcome: call.outcome as CallOutcome,
  }
}

function callTags(summary: CallSummary): string[] {
  return ['centralino', `centralino_${summary.direction}`, `centralino_${summary.outcome}`]
}
