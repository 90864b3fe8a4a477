import type { Logger } from 'pino'
import type { Database } from '../db/database'
import type { RoutingHooks } from '../vonage/webhook-routes'
import type { VoiceControl } from '../vonage/voice-control'
import type { AcdLoop } from './acd-loop'
import { onCallerGone, onOfferStatus } from './offer-events'
import type { Router } from './router'

/** Connects the webhooks to the router and the call distribution loop. */
export function routingHooks(db: Database, router: Router, acd: AcdLoop | undefined, voice: VoiceControl, maxMissedOffers: number, log: Logger): RoutingHooks {
  router.onQueued = () => acd?.poke()
  return {
    async answerWithFlow(tx, call, calledE164) {
      const flow = await router.flowForNumber(tx, calledE164)
      return flow ? router.startFlow(tx, call, flow) : undefined
    },
    onIvrInput: (callId, nodeId, digits) => router.onInput(callId, nodeId, digits),
    async callOfOffer(offerId) {
      if (!/^\d{1,18}$/.test(offerId)) return undefined
      const result = await db.query<{ call_id: string }>('SELECT call_id FROM offers WHERE id = $1', [offerId])
      return result.rows[0]?.call_id
    },
    async onOfferStatus(offerId, status) {
      const update = await onOfferStatus(db, offerId, status, maxMissedOffers, log)
      if (update.ended) acd?.poke()
    },
    async onCallerGone(callId) {
      await onCallerGone(db, voice, callId, log)
      acd?.poke()
    },
  }
}
