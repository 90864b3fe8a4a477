import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { Database, Queryable } from '../db/database'
import { PermanentJobError, RetryableJobError } from '../errors'

/** Queue names. Each job's data contains ids only, never documents. */
export const QUEUES = {
  logCall: 'call-log',
  attachRecording: 'recording-attach',
  reconcileCalls: 'call-reconcile',
  refreshCaller: 'caller-refresh',
  screenPop: 'screen-pop',
} as const
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]

export interface JobData {
  'call-log': { callId: string }
  'recording-attach': { recordingId: string }
  'call-reconcile': Record<string, never>
  'caller-refresh': { phone: string }
  'screen-pop': { callId: string; agentId: string }
}

export interface JobContext {
  jobId: string
  attempt: number
  log: Logger
  signal: AbortSignal
}

export type JobHandler<Q extends QueueName> = (data: JobData[Q], context: JobContext) => Promise<void>

/**
 * Records why a job failed, so the call shows it in the API: `final` is true once no retry
 * is left, false while the job waits for its next attempt.
 */
export type FailureRecorder<Q extends QueueName> = (data: JobData[Q], reason: string, final: boolean) => Promise<void>

// Retries double the delay each time. With the default 20 s first delay, call-log's 10
// retries span about 6 hours and recording-attach's 12 retries about a day: long enough
// to ride out a Zendesk outage, well inside the 30 days Vonage keeps a recording.
const QUEUE_POLICIES: Record<QueueName, { retryLimit: number; expireInSeconds: number }> = {
  'call-log': { retryLimit: 10, expireInSeconds: 300 },
  'recording-attach': { retryLimit: 12, expireInSeconds: 1800 },
  'call-reconcile': { retryLimit: 0, expireInSeconds: 600 },
  'caller-refresh': { retryLimit: 3, expireInSeconds: 120 },
  // A screen pop is only useful while the agent is on the call.
  'screen-pop': { retryLimit: 1, expireInSeconds: 60 },
}

/**
 * The durable job queue: pg-boss on the bridge's own database, so that a job is
 * enqueued in the same transaction as the event that caused it.
 */
export class JobQueue {
  private readonly boss: PgBoss
  private readonly abort = new AbortController()

  constructor(
    db: Database,
    private readonly log: Logger,
    schema = 'pgboss',
    private readonly timing = { pollSeconds: 1, retryDelaySeconds: 20 },
  ) {
    this.boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => db.query(text, values) },
      schema,
      // The bridge's migrations own the application tables; pg-boss owns its schema.
      migrate: true,
    })
    this.boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'))
  }

  async start(): Promise<void> {
    await this.boss.start()
    for (const name of Object.values(QUEUES)) {
      const policy = QUEUE_POLICIES[name]
      const options = { name, policy: 'stately' as const, retryBackoff: true, retryDelay: this.timing.retryDelaySeconds, ...policy }
      await this.boss.createQueue(name, options)
      // createQueue leaves an existing queue as it was, so changed settings are applied here.
      await this.boss.updateQueue(name, options)
    }
  }

  /**
   * Enqueues a job inside the caller's transaction. `key` makes the queue keep at most
   * one queued and one running job per call or recording ("stately" policy).
   */
  async send<Q extends QueueName>(
    tx: Queryable,
    name: Q,
    data: JobData[Q],
    key: string,
    startAfterSeconds = 0,
  ): Promise<void> {
    await this.boss.send(name, data, {
      db: { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) },
      singletonKey: key,
      startAfter: startAfterSeconds,
    })
  }

  /** Runs a queue's job on a cron schedule (UTC); pg-boss makes sure one instance sends it. */
  async schedule(name: QueueName, cron: string): Promise<void> {
    await this.boss.schedule(name, cron, {}, { tz: 'UTC' })
  }

  /** Registers a handler; PermanentJobError ends the job at once, other errors retry with backoff. */
  async work<Q extends QueueName>(
    name: Q,
    handler: JobHandler<Q>,
    recordFailure: FailureRecorder<Q>,
    concurrency = 2,
  ): Promise<void> {
    for (let index = 0; index < concurrency; index += 1) {
      await this.boss.work<JobData[Q]>(
        name,
        { pollingIntervalSeconds: this.timing.pollSeconds, includeMetadata: true, batchSize: 1 },
        async ([job]) => this.runJob(name, job, handler, recordFailure),
      )
    }
  }

  private async runJob<Q extends QueueName>(
    name: Q,
    job: PgBoss.JobWithMetadata<JobData[Q]>,
    handler: JobHandler<Q>,
    recordFailure: FailureRecorder<Q>,
  ): Promise<void> {
    const log = this.log.child({ jobId: job.id, queue: name, ...job.data })
    const context = { jobId: job.id, attempt: job.retryCount + 1, log, signal: this.abort.signal }
    try {
      await handler(job.data, context)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      if (isPermanent(error)) {
        log.error({ err: error }, 'job failed and will not be retried')
        await recordFailure(job.data, reason, true)
        return
      }
      const lastAttempt = job.retryCount >= job.retryLimit
      // An expected wait (recording not ready, another job creating the caller) needs no stack trace.
      const detail = error instanceof RetryableJobError ? { reason } : { err: error }
      log.warn({ ...detail, attempt: context.attempt, lastAttempt }, lastAttempt ? 'job failed for good' : 'job failed, will retry')
      await recordFailure(job.data, reason, lastAttempt).catch((recordError) => log.error({ err: recordError }, 'could not record the job failure'))
      throw error
    }
  }

  /** Stops taking jobs and waits for running ones; long waits inside jobs are cut short. */
  async stop(timeoutMs = 20_000): Promise<void> {
    setTimeout(() => this.abort.abort(), Math.max(0, timeoutMs - 5_000)).unref()
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs })
  }
}

/** Tells whether a retry cannot help: a PermanentJobError, or an error marked `permanent` (a Zendesk 4xx). */
function isPermanent(error: unknown): boolean {
  return error instanceof PermanentJobError || (error instanceof Error && (error as { permanent?: unknown }).permanent === true)
}
