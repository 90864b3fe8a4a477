import type { Logger } from 'pino'
import type { Database } from '../db/database'
import { PROMPTS } from '../i18n/prompts'
import { ROUTING_PROMPTS } from '../i18n/routing-prompts'
import type { Language } from '../i18n/language'
import { buildVoicemailNcco } from '../vonage/ncco'
import type { VoiceControl } from '../vonage/voice-control'
import { loadQueue, loadTeams, openTeams } from './directory'
import { assignCalls, endOffer, ringAgent } from './dispatcher'

/** Seconds a ringing offer may outlive its ring time before the bridge stops waiting for its events. */
const LOST_EVENT_GRACE_SECONDS = 30
/** Handle time assumed for the wait estimate until the bridge has answered calls to average. */
const DEFAULT_HANDLE_SECONDS = 180

export interface AcdOptions {
  publicUrl: string
  intervalMs: number
  maxMissedOffers: number
}

/**
 * Runs the call distribution in the background. Each round ends wrap-ups that are due
 * and gives up on offers whose events never came. It overflows callers who waited too
 * long or whose teams all went off shift, announces queue positions, then assigns and rings.
 */
export class AcdLoop {
  private timer?: NodeJS.Timeout
  private running?: Promise<void>
  private again = false
  private stopped = false

  constructor(
    private readonly db: Database,
    private readonly voice: VoiceControl,
    private readonly options: AcdOptions,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poke(), this.options.intervalMs)
    this.timer.unref()
  }

  /** Runs a round now, or right after the one in progress. */
  poke(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.round()
      .catch((error) => this.log.error({ err: error }, 'call distribution round failed'))
      .finally(() => {
        this.running = undefined
        if (this.again) {
          this.again = false
          this.poke()
        }
      })
  }

  /** Runs rounds until none is pending (tests and the demo use it to wait for the loop). */
  async settle(): Promise<void> {
    this.poke()
    while (this.running) await this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.running
  }

  async round(): Promise<void> {
    const now = this.clock()
    // Each housekeeping step runs on its own, so one failing never stops the assignment.
    const steps: Array<[string, () => Promise<void>]> = [
      ['end wrap-ups', () => this.endWrapUps()],
      ['expire lost offers', () => this.expireLostOffers(now)],
      ['overflow long waits', () => this.overflowWaits(now)],
      ['announce positions', () => this.announcePositions(now)],
    ]
    for (const [name, step] of steps) {
      await step().catch((error) => this.log.error({ err: error, step: name }, 'call distribution step failed'))
    }
    const offers = await assignCalls(this.db, now)
    await Promise.all(offers.map((offer) => ringAgent(this.db, this.voice, offer, this.options.publicUrl, this.log)))
  }

  private async endWrapUps(): Promise<void> {
    await this.db.query(
      `UPDATE agents a SET state = 'available', state_changed_at = now()
       FROM teams t WHERE a.team_id = t.id AND a.state = 'wrap_up'
         AND a.state_changed_at <= now() - make_interval(secs => t.wrap_up_seconds)`,
    )
  }

  private async expireLostOffers(now: Date): Promise<void> {
    const lost = await this.db.query<{ id: string }>(`SELECT id FROM offers WHERE state = 'ringing' AND expires_at < $1`, [
      new Date(now.getTime() - LOST_EVENT_GRACE_SECONDS * 1000),
    ])
    for (const offer of lost.rows) {
      await endOffer(this.db, offer.id, 'missed', 'no event from the agent leg after the ring time', this.options.maxMissedOffers)
    }
  }

  /** Sends callers to the queue's overflow when the wait is over or no team of the queue works any more. */
  private async overflowWaits(now: Date): Promise<void> {
    const waiting = await this.db.query<{ call_id: string; queue_id: string; enqueued_at: Date; language: Language; caller_leg_id: string | null; region_url: string | null; from_e164: string | null }>(
      `SELECT e.call_id, e.queue_id, e.enqueued_at, e.language, e.caller_leg_id, e.region_url, c.from_e164
       FROM queue_entries e JOIN calls c ON c.id = e.call_id WHERE e.state = 'waiting'`,
    )
    for (const entry of waiting.rows) {
      const queue = await loadQueue(this.db, entry.queue_id)
      if (queue === undefined) continue
      const waited = (now.getTime() - new Date(entry.enqueued_at).getTime()) / 1000
      const closed = openTeams(await loadTeams(this.db, queue.team_ids), now).length === 0
      if (waited < queue.max_wait_seconds && !closed) continue
      const log = this.log.child({ callId: entry.call_id, queueId: queue.id })
      if (queue.overflow.type === 'queue') {
        await this.db.query(`UPDATE queue_entries SET queue_id = $2, updated_at = now() WHERE call_id = $1 AND state = 'waiting'`, [entry.call_id, queue.overflow.queue_id])
        log.info({ to: queue.overflow.queue_id, waited, closed }, 'caller moved to the overflow queue, keeping their place')
        continue
      }
      const callback = queue.overflow.type === 'callback' && entry.from_e164 !== null
      await this.db.query(`UPDATE queue_entries SET state = $2, callback_number = $3, updated_at = now() WHERE call_id = $1 AND state = 'waiting'`, [
        entry.call_id,
        callback ? 'callback' : 'overflowed',
        callback ? entry.from_e164 : null,
      ])
      const prompts = ROUTING_PROMPTS[entry.language]
      const tts = PROMPTS[entry.language].ttsLanguage
      const ncco = callback ? [{ action: 'talk', text: prompts.callbackBooked, language: tts }] : buildVoicemailNcco(entry.language, this.options.publicUrl)
      if (entry.caller_leg_id) {
        await this.voice.transfer(entry.caller_leg_id, entry.region_url, ncco).catch((error) => log.error({ err: error }, 'could not move the caller to overflow'))
      }
      log.info({ overflow: callback ? 'callback' : 'voicemail', waited, closed }, 'caller overflowed')
    }
  }

  /** Tells each waiting caller their position and estimated wait, every queue's interval. */
  private async announcePositions(now: Date): Promise<void> {
    const due = await this.db.query<{ call_id: string; language: Language; caller_leg_id: string; region_url: string | null; position: string; serving: string }>(
      `SELECT e.call_id, e.language, e.caller_leg_id, e.region_url,
              (SELECT count(*) FROM queue_entries o WHERE o.queue_id = e.queue_id AND o.state = 'waiting'
                 AND (o.priority > e.priority OR (o.priority = e.priority AND o.enqueued_at <= e.enqueued_at))) AS position,
              (SELECT count(*) FROM agents a WHERE a.team_id = ANY(q.team_ids) AND a.state <> 'offline' AND a.state <> 'away') AS serving
       FROM queue_entries e JOIN queues q ON q.id = e.queue_id
       WHERE e.state = 'waiting' AND e.caller_leg_id IS NOT NULL AND q.announce_every_seconds > 0
         AND COALESCE(e.last_announced_at, e.enqueued_at) <= $1::timestamptz - make_interval(secs => q.announce_every_seconds)`,
      [now],
    )
    if (due.rowCount === 0) return
    const handle = await this.averageHandleSeconds()
    for (const entry of due.rows) {
      const minutes = Math.max(1, Math.ceil((Number(entry.position) * handle) / Math.max(1, Number(entry.serving)) / 60))
      const text = ROUTING_PROMPTS[entry.language].position.replace('{position}', entry.position).replace('{minutes}', String(minutes))
      await this.db.query('UPDATE queue_entries SET last_announced_at = $2 WHERE call_id = $1', [entry.call_id, now])
      await this.voice
        .say(entry.caller_leg_id, entry.region_url, text, PROMPTS[entry.language].ttsLanguage)
        .catch((error) => this.log.warn({ err: error, callId: entry.call_id }, 'could not announce the queue position'))
    }
  }

  private async averageHandleSeconds(): Promise<number> {
    const result = await this.db.query<{ average: string | null }>(
      `SELECT avg(talk_seconds) AS average FROM (SELECT talk_seconds FROM calls WHERE talk_seconds IS NOT NULL ORDER BY ended_at DESC NULLS LAST LIMIT 50) recent`,
    )
    const average = Number(result.rows[0]?.average)
    return Number.isFinite(average) && average > 0 ? average : DEFAULT_HANDLE_SECONDS
  }
}
