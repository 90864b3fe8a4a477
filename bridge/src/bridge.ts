import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildApp } from './app'
import { EventStore } from './calls/event-store'
import { AcdLoop } from './routing/acd-loop'
import { Router } from './routing/router'
import { refreshCallerTickets } from './routing/caller-refresh'
import { routingHooks } from './routing/routing-hooks'
import { popScreen } from './routing/screen-pop'
import { VoiceControl } from './vonage/voice-control'
import { reconcileStaleCalls } from './calls/reconcile'
import type { Config } from './config'
import { openDatabase, type Database } from './db/database'
import { migrate } from './db/migrate'
import { attachRecording, recordAttachFailure } from './jobs/attach-recording'
import { logCall, recordLogFailure, type ZendeskJobDeps } from './jobs/log-call'
import { JobQueue, QUEUES } from './jobs/queue'
import { AccountSettingsCache } from './zendesk/account'
import { ZendeskClient } from './zendesk/client'

export interface Bridge {
  app: FastifyInstance
  db: Database
  queue: JobQueue
  /** The call distribution loop, when workers run. */
  acd?: AcdLoop
  /** Stops taking work, drains requests and jobs, and closes the database. */
  close(): Promise<void>
}

export interface BridgeOptions {
  log: Logger
  /** PostgreSQL schema for the bridge's tables (tests use one per file). */
  schema?: string
  /** Start the job workers (off for tests that only look at webhooks). */
  workers?: boolean
  /** The routing clock (tests and the demo move it through a day). */
  clock?: () => Date
}

/** Opens the database, applies migrations, starts the job queue and its workers, and builds the app. */
export async function startBridge(config: Config, options: BridgeOptions): Promise<Bridge> {
  const { log } = options
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: options.schema })
  const applied = await migrate(db, log)
  log.info({ database: db.kind, applied }, 'database ready')

  const queue = new JobQueue(db, log, options.schema ? `${options.schema}_jobs` : 'pgboss', {
    pollSeconds: config.jobPollSeconds,
    retryDelaySeconds: config.jobRetryDelaySeconds,
  })
  await queue.start()
  const store = new EventStore(db, queue, config.callLogDelaySeconds)
  const zendesk = new ZendeskClient(config.zendesk, log)
  const deps: ZendeskJobDeps = { config, db, zendesk, account: new AccountSettingsCache(config.zendesk, zendesk, log), queue }
  if (options.workers !== false) {
    await queue.work(QUEUES.logCall, (data, context) => logCall(deps, data, context), (data, reason, final) => recordLogFailure(db, data.callId, reason, final))
    await queue.work(
      QUEUES.attachRecording,
      (data, context) => attachRecording(deps, data, context),
      (data, reason, final) => recordAttachFailure(deps, data.recordingId, reason, final),
    )
  }
  if (options.workers !== false) {
    await queue.work(
      QUEUES.reconcileCalls,
      async (_data, context) => {
        await reconcileStaleCalls(db, store, config.vonage, config.reconcileAfterSeconds, context.log)
      },
      async () => undefined,
      1,
    )
    await queue.schedule(QUEUES.reconcileCalls, '*/10 * * * *')
    await queue.work(
      QUEUES.refreshCaller,
      async (data, context) => {
        await refreshCallerTickets(db, zendesk, data.phone, config.vonage.defaultCountry, context.log)
      },
      async () => undefined,
    )
    await queue.work(QUEUES.screenPop, (data, context) => popScreen(db, zendesk, data.callId, data.agentId, context.log), async () => undefined, 1)
  }
  const voice = new VoiceControl(config.vonage)
  const clock = options.clock ?? (() => new Date())
  const router = new Router(db, config.publicUrl, log, clock)
  const acd = options.workers !== false ? new AcdLoop(db, voice, { publicUrl: config.publicUrl, intervalMs: config.acdIntervalMs, maxMissedOffers: config.maxMissedOffers }, log, clock) : undefined
  acd?.start()
  const routing = routingHooks({
    db,
    router,
    acd,
    voice,
    queue,
    maxMissedOffers: config.maxMissedOffers,
    screenPop: config.zendesk.talkPartnerEdition,
    log,
  })
  const app = await buildApp({ config, db, store, routing, log })

  return {
    app,
    db,
    queue,
    acd,
    async close() {
      await app.close()
      await acd?.stop()
      await queue.stop()
      await db.close()
    },
  }
}
