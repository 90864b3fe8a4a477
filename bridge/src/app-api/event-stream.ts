import type { ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Database } from '../db/database'
import type { AppUser } from './session'

/**
 * Events sent to the app over server-sent events (`event:` name, `data:` JSON):
 * - `agent_state` {state, changed_at, current_call_id}: to the agent whose state changed.
 * - `call_offered` {offer_id, call_id, from, caller_withheld, ticket_id, requester_id, expires_at}:
 *   to the agent that routing rings (a row of `offers` in state ringing).
 * - `offer_ended` {offer_id, call_id, state}: the offer was taken, missed or cancelled.
 * - `call_updated` {call_id, status, outcome, ticket_id}: to leads, to the call's agent and
 *   to subscribers watching the call's ticket.
 */
export type AppEvent =
  | { type: 'agent_state'; data: { state: string; changed_at: string; current_call_id: string | null } }
  | { type: 'call_offered'; data: Record<string, unknown> }
  | { type: 'offer_ended'; data: { offer_id: string; call_id: string; state: string } }
  | { type: 'call_updated'; data: { call_id: string; status: string; outcome: string | null; ticket_id: number | null; agent_zendesk_user_id: number | null } }

interface Subscriber {
  user: AppUser
  ticketId?: number
  reply: ServerResponse
}

const HEARTBEAT_MS = 25_000

/**
 * Fans database changes out to the app's open streams. One poller runs per bridge while
 * anyone listens, whatever the number of browsers, so clients never poll the bridge.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>()
  private timer?: NodeJS.Timeout
  private heartbeat?: NodeJS.Timeout
  private since = new Date()
  private callSnapshot = new Map<string, string>()
  private polling = false
  private primed = false

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  get size(): number {
    return this.subscribers.size
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber)
    if (!this.timer) this.start()
    return () => {
      this.subscribers.delete(subscriber)
      if (this.subscribers.size === 0) this.stop()
    }
  }

  stop(): void {
    clearInterval(this.timer)
    clearInterval(this.heartbeat)
    this.timer = undefined
    this.heartbeat = undefined
  }

  /** Writes one event to the subscribers it concerns. */
  publish(event: AppEvent, recipients: (subscriber: Subscriber) => boolean): void {
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`
    for (const subscriber of this.subscribers) {
      if (recipients(subscriber)) subscriber.reply.write(frame)
    }
  }

  private start(): void {
    this.since = new Date(Date.now() - 1000)
    this.callSnapshot.clear()
    this.primed = false
    this.timer = setInterval(() => void this.poll(), this.intervalMs)
    this.heartbeat = setInterval(() => {
      for (const subscriber of this.subscribers) subscriber.reply.write(': heartbeat\n\n')
    }, HEARTBEAT_MS)
  }

  /** Runs one round of change queries; exported through `poll` for tests. */
  async poll(): Promise<void> {
    if (this.polling) return
    this.polling = true
    const until = new Date()
    try {
      await this.pollAgents(this.since)
      await this.pollOffers(this.since)
      await this.pollCalls()
      this.since = until
    } catch (error) {
      this.log.warn({ err: error }, 'app event poll failed; retrying on the next tick')
    } finally {
      this.polling = false
    }
  }

  private async pollAgents(since: Date): Promise<void> {
    const rows = await this.db.query<{ zendesk_user_id: string; state: string; state_changed_at: Date; current_call_id: string | null }>(
      'SELECT zendesk_user_id, state, state_changed_at, current_call_id FROM agents WHERE state_changed_at >= $1',
      [since],
    )
    for (const row of rows.rows) {
      const data = { state: row.state, changed_at: new Date(row.state_changed_at).toISOString(), current_call_id: row.current_call_id }
      this.publish({ type: 'agent_state', data }, (subscriber) => subscriber.user.zendeskUserId === Number(row.zendesk_user_id))
    }
  }

  private async pollOffers(since: Date): Promise<void> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT o.id, o.call_id, o.state, o.created_at, o.ended_at, o.expires_at, a.zendesk_user_id,
              c.from_e164, c.caller_withheld, c.ticket_id, c.requester_id
       FROM offers o JOIN agents a ON a.id = o.agent_id JOIN calls c ON c.id = o.call_id
       WHERE o.created_at >= $1 OR o.ended_at >= $1`,
      [since],
    )
    for (const row of rows.rows) {
      const forAgent = (subscriber: Subscriber) => subscriber.user.zendeskUserId === Number(row.zendesk_user_id)
      if (row.state === 'ringing') {
        const data = {
          offer_id: String(row.id),
          call_id: row.call_id,
          from: row.caller_withheld ? null : row.from_e164,
          caller_withheld: row.caller_withheld,
          ticket_id: row.ticket_id === null ? null : Number(row.ticket_id),
          requester_id: row.requester_id === null ? null : Number(row.requester_id),
          expires_at: new Date(row.expires_at as string).toISOString(),
        }
        this.publish({ type: 'call_offered', data }, forAgent)
      } else if (row.ended_at !== null || row.state === 'accepted') {
        this.publish({ type: 'offer_ended', data: { offer_id: String(row.id), call_id: String(row.call_id), state: String(row.state) } }, forAgent)
      }
    }
  }

  /** Compares recent calls with the previous round, because a call's status changes do not all touch updated_at. */
  private async pollCalls(): Promise<void> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT c.id, c.status, c.outcome, c.ticket_id, a.zendesk_user_id
       FROM calls c LEFT JOIN agents a ON a.id = c.agent_id
       WHERE c.started_at > now() - interval '6 hours' OR c.status = 'in_progress' OR c.updated_at > now() - interval '1 minute'`,
    )
    const first = !this.primed
    this.primed = true
    const seen = new Map<string, string>()
    for (const row of rows.rows) {
      const id = String(row.id)
      const fingerprint = `${row.status}|${row.outcome}|${row.ticket_id}|${row.zendesk_user_id}`
      seen.set(id, fingerprint)
      if (first || this.callSnapshot.get(id) === fingerprint) continue
      const data = {
        call_id: id,
        status: String(row.status),
        outcome: (row.outcome ?? null) as string | null,
        ticket_id: row.ticket_id === null ? null : Number(row.ticket_id),
        agent_zendesk_user_id: row.zendesk_user_id === null ? null : Number(row.zendesk_user_id),
      }
      this.publish({ type: 'call_updated', data }, (subscriber) =>
        subscriber.user.isLead || subscriber.user.zendeskUserId === data.agent_zendesk_user_id || (data.ticket_id !== null && subscriber.ticketId === data.ticket_id),
      )
    }
    this.callSnapshot = seen
  }
}
