import type { CallOutcome } from '../calls/call-state'
import type { CallSummary } from '../i18n/ticket-texts'
import type { ZendeskClient } from './client'
import { listComments } from './tickets'

/** Zendesk's completion_status values for the bridge's outcomes. */
const COMPLETION_STATUS: Record<CallOutcome, string> = {
  answered: 'completed',
  voicemail: 'completed',
  missed: 'abandoned_in_voicemail',
  abandoned: 'abandoned_in_queue',
}

/** Creates the Talk Partner Edition call record (Calls API) for a call; returns its id. */
export async function createCallRecord(
  client: ZendeskClient,
  appId: number,
  summary: CallSummary,
  ticketId: number,
  endUserId: number | undefined,
): Promise<number> {
  const startedAt = summary.startedAt ?? new Date()
  const endedAt = summary.durationSeconds !== null ? new Date(startedAt.getTime() + summary.durationSeconds * 1000) : undefined
  const result = await client.request<{ call: { id: number } }>('POST', '/api/v2/calls.json', {
    json: {
      call: {
        app_id: appId,
        external_id: summary.callId,
        ticket_id: ticketId,
        ...(endUserId !== undefined ? { end_user_id: endUserId } : {}),
        from_line: summary.from ?? 'anonymous',
        to_line: summary.to ?? 'unknown',
        direction: summary.direction,
        call_started_at: startedAt.toISOString(),
        ...(endedAt ? { call_ended_at: endedAt.toISOString() } : {}),
        ...(summary.durationSeconds !== null ? { duration: summary.durationSeconds } : {}),
        ...(summary.talkSeconds !== null ? { talk_time: summary.talkSeconds } : {}),
        completion_status: COMPLETION_STATUS[summary.outcome],
        voicemail: summary.outcome === 'voicemail',
        call_disposition: summary.outcome,
      },
    },
  })
  return result.call.id
}

/**
 * Adds the voice comment that shows the call record on its ticket, unless the ticket
 * already has one for this call (a repeat after a crash).
 */
export async function ensureVoiceComment(client: ZendeskClient, ticketId: number, zendeskCallId: number, title: string): Promise<void> {
  const comments = await listComments(client, ticketId)
  const present = comments.some((comment) => comment.type === 'TpeVoiceComment' && Number(comment.data?.call_id) === zendeskCallId)
  if (present) return
  await client.request('POST', `/api/v2/calls/${zendeskCallId}/comments.json`, {
    json: { title, call_fields: ['from_line', 'to_line', 'call_started_at', 'duration', 'completion_status'] },
  })
}
