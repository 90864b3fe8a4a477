import { PermanentJobError } from '../errors'
import { fill, formatDuration, formatMegabytes, ticketTexts, type TicketTexts } from '../i18n/ticket-texts'
import { extensionFor, openRecording, RecordingTooLargeError } from '../vonage/recording-download'
import { rejectRecordingUrl } from '../vonage/recording-hosts'
import { ZendeskApiError } from '../zendesk/client'
import { addInternalNote, ClosedTicketError, createTicket, listComments } from '../zendesk/tickets'
import type { ZendeskUpload } from '../zendesk/types'
import type { JobContext } from './queue'
import { RECORDING_WITHOUT_TICKET, ticketExternalId, type ZendeskJobDeps } from './log-call'

interface RecordingRow {
  id: string
  call_id: string
  kind: 'call' | 'voicemail'
  url: string | null
  size_bytes: string | null
  started_at: Date | null
  ended_at: Date | null
  state: string
  file_name: string | null
  upload_token: string | null
  upload_token_at: Date | null
  ticket_id: string | null
  zendesk_state: string
  call_ticket_id: string | null
}

/** Zendesk keeps an unattached upload for 60 minutes; a token older than this is not reused. */
const UPLOAD_TOKEN_REUSE_MS = 45 * 60 * 1000

/**
 * Streams one recording from Vonage into a Zendesk upload and attaches it to the call's
 * ticket as an internal note. Runs after the call's ticket exists. The file name carries
 * the recording id, which is how a repeat after a crash finds an attachment already made.
 */
export async function attachRecording(deps: ZendeskJobDeps, data: { recordingId: string }, context: JobContext): Promise<void> {
  const recording = await loadRecording(deps, data.recordingId)
  if (recording === undefined) throw new PermanentJobError(`recording ${data.recordingId} not found`)
  if (recording.state !== 'pending') return
  if (recording.zendesk_state === 'failed') throw new PermanentJobError(RECORDING_WITHOUT_TICKET)
  // log-call sends this job again once the ticket exists.
  if (recording.zendesk_state !== 'logged' || recording.call_ticket_id === null) return

  const log = context.log.child({ callId: recording.call_id, recordingId: recording.id })
  await deps.db.query('UPDATE recordings SET attempts = attempts + 1, updated_at = now() WHERE id = $1', [recording.id])
  const { language } = await deps.account.get()
  const texts = ticketTexts(language)
  let ticketId = Number(recording.ticket_id ?? recording.call_ticket_id)

  const existing = await findEarlierNote(deps, ticketId, recording.id)
  if (existing !== undefined) {
    await markRecording(deps, recording.id, { state: existing.attachmentId ? 'attached' : 'failed', ticketId, attachmentId: existing.attachmentId })
    return
  }

  const problem = precheck(recording, deps)
  if (problem !== undefined) {
    const body = withReference(problemNote(problem, texts, deps.config.recordingMaxBytes), recording.id, texts)
    ticketId = await noteOnTicket(deps, recording, ticketId, body)
    await markRecording(deps, recording.id, { state: 'failed', reason: problem.reason, ticketId })
    log.warn({ reason: problem.reason, ticketId }, 'recording not attached')
    return
  }

  const fileName = recording.file_name ?? `${recording.kind}-${recording.call_id}-${recording.id}`

  try {
    const token = await reusableToken(recording) ?? (await uploadRecording(deps, recording, fileName, context.signal))
    const body = withReference(recordingNote(recording, texts, language), recording.id, texts)
    ticketId = await noteOnTicket(deps, recording, ticketId, body, [token])
    await markRecording(deps, recording.id, { state: 'attached', ticketId })
    log.info({ ticketId }, 'recording attached to Zendesk ticket')
  } catch (error) {
    if (!(error instanceof RecordingTooLargeError)) throw error
    const problem = { code: 'too_large' as const, reason: error.message }
    const body = withReference(problemNote(problem, texts, deps.config.recordingMaxBytes), recording.id, texts)
    ticketId = await noteOnTicket(deps, recording, ticketId, body)
    await markRecording(deps, recording.id, { state: 'failed', reason: error.message, ticketId })
  }
}

type RecordingProblem = { code: 'no_url' | 'too_large' | 'host_refused'; reason: string }

/** Returns why the recording cannot be fetched, checked before any request (and any token) leaves. */
function precheck(recording: RecordingRow, deps: ZendeskJobDeps): RecordingProblem | undefined {
  if (!recording.url) return { code: 'no_url', reason: 'Vonage sent the recording event without a URL' }
  const maxBytes = deps.config.recordingMaxBytes
  if (recording.size_bytes !== null && Number(recording.size_bytes) > maxBytes) {
    return { code: 'too_large', reason: `the recording is ${recording.size_bytes} bytes, over RECORDING_MAX_BYTES (${maxBytes} bytes)` }
  }
  const refusal = rejectRecordingUrl(recording.url, deps.config.vonage.recordingHosts)
  return refusal === undefined ? undefined : { code: 'host_refused', reason: `recording URL refused: ${refusal}` }
}

function problemNote(problem: RecordingProblem, texts: TicketTexts, maxBytes: number): string {
  const detail = fill(texts.recordingProblems[problem.code], { limit: formatMegabytes(maxBytes) })
  return fill(texts.recordingMissing, { reason: detail })
}

function withReference(body: string, recordingId: string, texts: TicketTexts): string {
  return `${body}\n\n${texts.reference}: ${recordingId}`
}

function reusableToken(recording: RecordingRow): string | undefined {
  if (recording.upload_token === null || recording.upload_token_at === null) return undefined
  return Date.now() - new Date(recording.upload_token_at).getTime() < UPLOAD_TOKEN_REUSE_MS ? recording.upload_token : undefined
}

async function uploadRecording(deps: ZendeskJobDeps, recording: RecordingRow, baseName: string, signal: AbortSignal): Promise<string> {
  const file = await openRecording(recording.url as string, deps.config.vonage, deps.config.recordingMaxBytes, signal)
  const fileName = `${baseName}.${extensionFor(file.contentType)}`
  const headers: Record<string, string> = { 'Content-Type': file.contentType }
  if (file.contentLength !== undefined) headers['Content-Length'] = String(file.contentLength)
  const result = await deps.zendesk.request<{ upload: ZendeskUpload }>('POST', '/api/v2/uploads.json', {
    query: { filename: fileName },
    body: file.body,
    headers,
    signal,
  })
  // Stored at once, so a crash before the note reuses the upload instead of sending the file twice.
  await deps.db.query(
    'UPDATE recordings SET file_name = $2, upload_token = $3, upload_token_at = now(), updated_at = now() WHERE id = $1',
    [recording.id, baseName, result.upload.token],
  )
  return result.upload.token
}

/** Adds the note to the ticket; a ticket closed meanwhile gets a follow-up ticket instead. */
async function noteOnTicket(deps: ZendeskJobDeps, recording: RecordingRow, ticketId: number, body: string, uploads?: string[]): Promise<number> {
  try {
    await addInternalNote(deps.zendesk, ticketId, { body, uploads })
    return ticketId
  } catch (error) {
    if (error instanceof ZendeskApiError && error.permanent) {
      throw new PermanentJobError(`Zendesk rejected the recording note: ${error.message}`, { cause: error })
    }
    if (!(error instanceof ClosedTicketError)) throw error
  }
  const { language } = await deps.account.get()
  const followUp = await createTicket(deps.zendesk, {
    subject: fill(ticketTexts(language).followUp, { ticket: ticketId }),
    body,
    uploads,
    tags: ['centralino'],
    externalId: `${ticketExternalId(recording.call_id)}:${recording.id}`,
    followUpOf: ticketId,
  })
  await deps.db.query('UPDATE recordings SET ticket_id = $2, updated_at = now() WHERE id = $1', [recording.id, followUp.id])
  return followUp.id
}

/** Finds a note about this recording that an earlier, interrupted run already wrote. */
async function findEarlierNote(deps: ZendeskJobDeps, ticketId: number, recordingId: string): Promise<{ attachmentId?: number } | undefined> {
  const comments = await listComments(deps.zendesk, ticketId)
  for (const comment of comments) {
    const attachment = comment.attachments?.find((item) => item.file_name.includes(recordingId))
    if (attachment) return { attachmentId: attachment.id }
    if (comment.body?.includes(recordingId)) return {}
  }
  return undefined
}

function recordingNote(recording: RecordingRow, texts: TicketTexts, language: 'it' | 'en'): string {
  const seconds =
    recording.started_at && recording.ended_at
      ? Math.round((new Date(recording.ended_at).getTime() - new Date(recording.started_at).getTime()) / 1000)
      : null
  const template = recording.kind === 'voicemail' ? texts.voicemailRecording : texts.recording
  return fill(template, { duration: formatDuration(seconds, language) })
}

async function markRecording(
  deps: ZendeskJobDeps,
  recordingId: string,
  result: { state: 'attached' | 'failed'; ticketId: number; reason?: string; attachmentId?: number },
): Promise<void> {
  await deps.db.query(
    `UPDATE recordings SET state = $2, reason = $3, ticket_id = $4, attachment_id = COALESCE($5, attachment_id),
       upload_token = NULL, updated_at = now() WHERE id = $1`,
    [recordingId, result.state, result.reason ?? null, result.ticketId, result.attachmentId ?? null],
  )
}

/** Records why the recording is not attached: pending with the reason while retries remain, then failed. */
export async function recordAttachFailure(deps: ZendeskJobDeps, recordingId: string, reason: string, final: boolean): Promise<void> {
  await deps.db.query(
    `UPDATE recordings SET state = CASE WHEN $3 THEN 'failed' ELSE state END, reason = $2, updated_at = now() WHERE id = $1 AND state = 'pending'`,
    [recordingId, final ? reason : `retrying: ${reason}`, final],
  )
}

async function loadRecording(deps: ZendeskJobDeps, recordingId: string): Promise<RecordingRow | undefined> {
  const result = await deps.db.query<RecordingRow>(
    `SELECT r.*, c.zendesk_state, c.ticket_id AS call_ticket_id
     FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.id = $1`,
    [recordingId],
  )
  return result.rows[0]
}
