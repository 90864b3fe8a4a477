import type { Logger } from 'pino'
import type { Database } from '../db/database'
import type { RoutingHooks } from '../vonage/webhook-routes'
import type { VoiceControl } from '../vonage/voice-control'
import { QUEUES, type JobQueue } from '../jobs/queue'
import type { AcdLoop } from './acd-loop'
import { onCallerGone, onOfferStatus } from './offer-events'
import { endMonitoringOnStatus } from '../monitoring/monitor'
import { onTransferLegStatus } from '../transfers/transfer-events'
import { followOutboundLeg, outboundCallOf } from '../outbound/customer-dial'
import type { Router } from './router'

/** Connects the webhooks to the router and the call distribution loop. */
export interface RoutingHookDeps {
  db: Database
  router: Router
  acd?: AcdLoop
  voice: VoiceControl
  queue: JobQueue
  maxMissedOffers: number
  /** Show the caller's ticket to the agent through Talk Partner Edition when they answer. */
  screenPop: boolean
  log: Logger
}

export function routingHooks({ db, router, acd, voice, queue, maxMissedOffers, screenPop, log }: RoutingHookDeps): RoutingHooks {
  router.onQueued = () => acd?.poke()
  return {
    async answerWithFlow(tx, call, calledE164) {
      const flow = await router.flowForNumber(tx, calledE164)
      if (flow === undefined) return undefined
      // The routing rules read the caller's tickets from a local copy; refresh it while the IVR talks.
      if (call.fromE164) await queue.send(tx, QUEUES.refreshCaller, { phone: call.fromE164 }, call.fromE164)
      return router.startFlow(tx, call, flow)
    },
    onIvrInput: (callId, nodeId, digits) => router.onInput(callId, nodeId, digits),
    async callOfOffer(offerId) {
      if (!/^\d{1,18}$/.test(offerId)) return undefined
      const result = await db.query<{ call_id: string }>('SELECT call_id FROM offers WHERE id = $1', [offerId])
      return result.rows[0]?.call_id
    },
    async onOfferStatus(offerId, status) {
      const update = await onOfferStatus(db, offerId, status, maxMissedOffers, log)
      if (update.accepted && screenPop) await queue.send(db, QUEUES.screenPop, update.accepted, offerId)
      if (update.ended) acd?.poke()
    },
    onQueueKey: (callId, digits) => router.onQueueKey(callId, digits),
    onMonitorStatus: (sessionId, status) => endMonitoringOnStatus(db, sessionId, status),
    async onTransferStatus(transferId, status) {
      await onTransferLegStatus(db, transferId, status)
      acd?.poke()
    },
    async onCallLegStatus(callId, legId, status, publicUrl) {
      const { callEnded } = await followOutboundLeg(db, voice, publicUrl, callId, legId, status, log)
      if (!callEnded) return
      await onCallerGone(db, voice, callId, log)
      acd?.poke()
    },
    callOfOutbound: (key) => outboundCallOf(db, key),
  }
}
