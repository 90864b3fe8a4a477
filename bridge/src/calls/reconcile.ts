import type { Logger } from 'pino'
import type { Config } from '../config'
import type { Database } from '../db/database'
import { fetchCallLeg, restTimeToIso } from '../vonage/voice-api'
import type { EventStore } from './event-store'

/** Leg statuses after which Vonage sends no more events for the leg. */
const FINAL_STATUSES = new Set(['completed', 'failed', 'rejected', 'busy', 'timeout', 'cancelled', 'unanswered'])
const CALLS_PER_RUN = 50

/**
 * Finds calls still in progress long after any call can last (their `completed` webhook
 * was lost), reads from the Voice API how the caller's leg ended, and stores that as the missing
 * event, so the call is written to Zendesk like any other. Returns the ids reconciled.
 */
export async function reconcileStaleCalls(
  db: Database,
  store: EventStore,
  config: Config['vonage'],
  staleAfterSeconds: number,
  log: Logger,
): Promise<string[]> {
  const stale = await db.query<{ id: string; caller_leg_id: string; region_url: string | null }>(
    `SELECT id, caller_leg_id, region_url FROM calls
     WHERE status = 'in_progress' AND caller_leg_id IS NOT NULL AND created_at < now() - make_interval(secs => $1)
     ORDER BY created_at LIMIT $2`,
    [staleAfterSeconds, CALLS_PER_RUN],
  )
  const reconciled: string[] = []
  for (const call of stale.rows) {
    const callLog = log.child({ callId: call.id, legId: call.caller_leg_id })
    try {
      const leg = await fetchCallLeg(config, call.caller_leg_id, call.region_url)
      if (leg === undefined || !FINAL_STATUSES.has(leg.status)) {
        callLog.warn({ status: leg?.status ?? 'not found' }, 'stale call not ended at Vonage; checking again later')
        continue
      }
      const endTime = restTimeToIso(leg.end_time) ?? new Date().toISOString()
      await store.recordInternalEvent(call.id, {
        uuid: call.caller_leg_id,
        conversation_uuid: call.id,
        status: 'completed',
        direction: leg.direction ?? 'inbound',
        duration: leg.duration,
        start_time: restTimeToIso(leg.start_time),
        end_time: endTime,
        timestamp: endTime,
        reconciled_from: 'GET /v1/calls',
      })
      callLog.info({ vonageStatus: leg.status }, 'stale call completed from the Voice API')
      reconciled.push(call.id)
    } catch (error) {
      callLog.warn({ err: error }, 'could not reconcile a stale call')
    }
  }
  return reconciled
}
