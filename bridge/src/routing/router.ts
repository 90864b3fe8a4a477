import type { Logger } from 'pino'
import type { Database, Queryable } from '../db/database'
import type { Language } from '../i18n/language'
import { PROMPTS } from '../i18n/prompts'
import { ROUTING_PROMPTS } from '../i18n/routing-prompts'
import { buildVoicemailNcco, type Ncco } from '../vonage/ncco'
import { loadCallerContext, type CallerContext } from './caller-context'
import { agentOfZendeskUser, loadQueue, loadRules, loadTeams, nextTeamToOpen, openTeams, queueOfGroup, type QueueRow } from './directory'
import { nextAfterInput, runIvr, type IvrOutcome } from './ivr-runtime'
import type { IvrFlow } from './model'
import { decideRoute } from './rules'

/** The call fields routing reads; `tx` sees the call row the answer webhook just stored. */
export interface RoutedCall {
  id: string
  language: Language
  fromE164: string | null
  callerLegId: string | null
  regionUrl: string | null
}

const MAX_OVERFLOW_DEPTH = 3

/**
 * Runs IVR flows and puts callers in queues. Every decision reads local tables only
 * (flows, queues, teams, the caller's cached tickets), so webhook replies never wait on
 * Zendesk.
 */
export class Router {
  /** Called after a caller joins a queue, so the dispatcher looks at once. */
  onQueued: () => void = () => undefined

  constructor(
    private readonly db: Database,
    private readonly publicUrl: string,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The flow for a called number, with its latest version, or undefined for the default NCCO. */
  async flowForNumber(tx: Queryable, calledE164: string | undefined): Promise<{ id: string; version: number; flow: IvrFlow } | undefined> {
    if (!calledE164) return undefined
    const result = await tx.query<{ id: string; version: number; definition: IvrFlow }>(
      `SELECT f.id, f.version, f.definition FROM phone_numbers n
       JOIN ivr_flows f ON f.id = n.flow_id
       WHERE n.e164 = $1 ORDER BY f.version DESC LIMIT 1`,
      [calledE164],
    )
    const row = result.rows[0]
    return row && { id: row.id, version: row.version, flow: row.definition }
  }

  /** Builds the answer NCCO from the flow's start node and records the flow version on the call. */
  async startFlow(tx: Queryable, call: RoutedCall, flow: { id: string; version: number; flow: IvrFlow }): Promise<Ncco> {
    await tx.query('UPDATE calls SET ivr_flow_id = $2, ivr_flow_version = $3 WHERE id = $1', [call.id, flow.id, flow.version])
    const caller = await loadCallerContext(tx, call.fromE164)
    return this.continueFlow(tx, call, flow.flow, flow.flow.start, caller, true)
  }

  /** Handles a key press on an input node and returns the NCCO that follows it. */
  async onInput(callId: string, nodeId: string, digits: string): Promise<Ncco> {
    return this.db.transaction(async (tx) => {
      const call = await loadRoutedCall(tx, callId)
      const flowRow = await tx.query<{ definition: IvrFlow; route_reason: string | null }>(
        `SELECT f.definition, c.route_reason FROM calls c JOIN ivr_flows f ON f.id = c.ivr_flow_id AND f.version = c.ivr_flow_version WHERE c.id = $1`,
        [callId],
      )
      const flow = flowRow.rows[0]?.definition
      const node = flow?.nodes[nodeId]
      if (call === undefined || flow === undefined || node === undefined) {
        this.log.warn({ callId, nodeId }, 'key press for an unknown call or IVR node; ending the call politely')
        return [{ action: 'talk', text: ROUTING_PROMPTS.en.goodbye, language: 'en-US' }]
      }
      const choice = nextAfterInput(node, digits)
      if (choice.language) {
        call.language = choice.language
        await tx.query('UPDATE calls SET language = $2 WHERE id = $1', [callId, choice.language])
      }
      if (choice.ticketAccepted === false) await tx.query(`UPDATE calls SET route_reason = 'declined_ticket' WHERE id = $1`, [callId])
      const ticketAccepted = choice.ticketAccepted ?? flowRow.rows[0].route_reason !== 'declined_ticket'
      const caller = await loadCallerContext(tx, call.fromE164)
      return this.continueFlow(tx, call, flow, choice.next, caller, ticketAccepted)
    })
  }

  /**
   * Turns a waiting caller who pressed the queue's callback key into a callback that keeps
   * their place (priority and time of arrival), and thanks them before the call ends.
   */
  async onQueueKey(callId: string, digits: string): Promise<Ncco | undefined> {
    return this.db.transaction(async (tx) => {
      const entry = await tx.query<{ callback_key: string | null; language: string; from_e164: string | null }>(
        `SELECT q.callback_key, e.language, c.from_e164 FROM queue_entries e JOIN queues q ON q.id = e.queue_id JOIN calls c ON c.id = e.call_id
         WHERE e.call_id = $1 AND e.state = 'waiting' FOR UPDATE OF e`,
        [callId],
      )
      const row = entry.rows[0]
      if (!row || !row.callback_key || !row.from_e164 || !digits.includes(row.callback_key)) return undefined
      await tx.query(`UPDATE queue_entries SET state = 'callback', callback_number = $2, updated_at = now() WHERE call_id = $1`, [callId, row.from_e164])
      const language = row.language === 'en' ? 'en' : 'it'
      this.log.info({ callId }, 'waiting caller asked for a callback; their place is kept')
      return [{ action: 'talk', text: ROUTING_PROMPTS[language].callbackBooked, language: PROMPTS[language].ttsLanguage }]
    })
  }

  private async continueFlow(tx: Queryable, call: RoutedCall, flow: IvrFlow, nodeId: string, caller: CallerContext, ticketAccepted: boolean): Promise<Ncco> {
    const queueIds = Object.values(flow.nodes).flatMap((node) => ('queue_id' in node ? [node.queue_id] : []))
    const openQueues = new Set<string>()
    for (const queueId of new Set(queueIds)) {
      const queue = await loadQueue(tx, queueId)
      if (queue && openTeams(await loadTeams(tx, queue.team_ids), this.clock()).length > 0) openQueues.add(queueId)
    }
    const step = runIvr(flow, nodeId, {
      callId: call.id,
      language: call.language,
      caller,
      publicUrl: this.publicUrl,
      isQueueOpen: (queueId) => openQueues.has(queueId),
      ticketAccepted,
    })
    return [...step.actions, ...(await this.handOff(tx, call, step.outcome, caller))]
  }

  private async handOff(tx: Queryable, call: RoutedCall, outcome: IvrOutcome, caller: CallerContext): Promise<Ncco> {
    switch (outcome.type) {
      case 'input':
      case 'hangup':
        return []
      case 'voicemail':
        return buildVoicemailNcco(call.language, this.publicUrl)
      case 'callback':
        return this.bookCallback(tx, call, outcome.queueId, ROUTING_PROMPTS[call.language].callbackBooked)
      case 'queue':
        return this.enterQueue(tx, call, outcome.queueId, caller, outcome.useTicket, 0)
    }
  }

  /**
   * Puts the caller in a queue chosen by the routing rules, or overflows when no team of
   * that queue works now. The ticket then goes to the group of the next team to open.
   */
  async enterQueue(tx: Queryable, call: RoutedCall, requestedQueueId: string, caller: CallerContext, useTicket: boolean, depth: number): Promise<Ncco> {
    const rules = await loadRules(tx)
    const ticket = useTicket ? caller.openTicket : undefined
    const assigneeAgent = ticket?.assigneeId ? await agentOfZendeskUser(tx, ticket.assigneeId) : undefined
    const groupQueue = ticket?.groupId ? await queueOfGroup(tx, ticket.groupId) : undefined
    const decision = decideRoute(rules, requestedQueueId, caller, { agentOf: () => assigneeAgent, queueOfGroup: () => groupQueue }, useTicket)
    const queue = await loadQueue(tx, decision.queueId)
    if (queue === undefined) throw new Error(`queue "${decision.queueId}" not found`)

    const now = this.clock()
    const teams = await loadTeams(tx, queue.team_ids)
    const open = openTeams(teams, now)
    if (open.length === 0) return this.overflowClosed(tx, call, queue, depth, caller)

    const groupId = queue.zendesk_group_id ?? open[0].zendesk_group_id
    await tx.query('UPDATE calls SET queue_id = $2, zendesk_group_id = $3, route_reason = COALESCE(route_reason, $4) WHERE id = $1', [
      call.id,
      queue.id,
      groupId,
      decision.reasons.join('; '),
    ])
    await tx.query(
      `INSERT INTO queue_entries (call_id, queue_id, priority, language, preferred_agent_id, preferred_until, caller_leg_id, region_url, conversation_name, enqueued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (call_id) DO NOTHING`,
      [
        call.id,
        queue.id,
        decision.priority,
        call.language,
        decision.preferredAgentId ?? null,
        decision.preferredAgentId ? new Date(now.getTime() + (decision.preferredWaitSeconds ?? 0) * 1000) : null,
        call.callerLegId,
        call.regionUrl,
        conversationName(call.id),
        now,
      ],
    )
    this.log.info({ callId: call.id, queueId: queue.id, priority: decision.priority, reasons: decision.reasons }, 'caller queued')
    setImmediate(() => this.onQueued())
    return waitingNcco(call, queue, this.publicUrl)
  }

  private async overflowClosed(tx: Queryable, call: RoutedCall, queue: QueueRow, depth: number, caller: CallerContext): Promise<Ncco> {
    const next = nextTeamToOpen(await loadTeams(tx, queue.team_ids), this.clock())
    const groupId = next?.team.zendesk_group_id ?? queue.zendesk_group_id
    await tx.query(`UPDATE calls SET queue_id = $2, zendesk_group_id = $3, route_reason = $4 WHERE id = $1`, [
      call.id,
      queue.id,
      groupId,
      `no team of queue ${queue.id} on shift; next opens ${next ? `${next.team.id} at ${next.opensAt.toISOString()}` : 'never'}`,
    ])
    const prompts = ROUTING_PROMPTS[call.language]
    const tts = PROMPTS[call.language].ttsLanguage
    if (queue.overflow.type === 'queue' && depth < MAX_OVERFLOW_DEPTH) {
      return this.enterQueue(tx, call, queue.overflow.queue_id, caller, false, depth + 1)
    }
    if (queue.overflow.type === 'callback' && call.fromE164) {
      return this.bookCallback(tx, call, queue.id, prompts.closedCallback)
    }
    return [{ action: 'talk', text: prompts.closedVoicemail, language: tts }, ...buildVoicemailNcco(call.language, this.publicUrl)]
  }

  /** Keeps the caller's place in the queue and ends the call; the dispatcher calls them back. */
  private async bookCallback(tx: Queryable, call: RoutedCall, queueId: string, message: string): Promise<Ncco> {
    const tts = PROMPTS[call.language].ttsLanguage
    if (!call.fromE164) return buildVoicemailNcco(call.language, this.publicUrl)
    await tx.query(
      `INSERT INTO queue_entries (call_id, queue_id, state, language, caller_leg_id, region_url, conversation_name, callback_number, enqueued_at)
       VALUES ($1, $2, 'callback', $3, $4, $5, $6, $7, $8)
       ON CONFLICT (call_id) DO UPDATE SET state = 'callback', callback_number = EXCLUDED.callback_number, updated_at = now()`,
      [call.id, queueId, call.language, call.callerLegId, call.regionUrl, conversationName(call.id), call.fromE164, this.clock()],
    )
    await tx.query('UPDATE calls SET queue_id = COALESCE(queue_id, $2) WHERE id = $1', [call.id, queueId])
    setImmediate(() => this.onQueued())
    return [{ action: 'talk', text: message, language: tts }]
  }
}

/** One named conversation per call: Vonage joins every leg with the same name, so names must never be reused. */
export function conversationName(callId: string): string {
  return `centralino-${callId}`
}

function waitingNcco(call: RoutedCall, queue: QueueRow, publicUrl: string): Ncco {
  const prompts = ROUTING_PROMPTS[call.language]
  const tts = PROMPTS[call.language].ttsLanguage
  const callbackOffer: Ncco =
    queue.callback_key && call.fromE164
      ? [
          { action: 'talk', text: prompts.pressForCallback.replace('{key}', queue.callback_key), language: tts },
          // NOTE: an asynchronous input reports each key as its own event while the NCCO goes
          // on to the conversation. This follows the SDK's description of asynchronous DTMF
          // and has not been tried against live Vonage.
          { action: 'input', type: ['dtmf'], mode: 'asynchronous', eventUrl: [`${publicUrl}/vonage/event?step=queue-key`] },
        ]
      : []
  return [
    { action: 'talk', text: prompts.queued, language: tts },
    ...callbackOffer,
    {
      action: 'conversation',
      name: conversationName(call.id),
      startOnEnter: false,
      ...(queue.hold_music_url ? { musicOnHoldUrl: [queue.hold_music_url] } : {}),
      eventUrl: [`${publicUrl}/vonage/event?step=conversation`],
    },
  ]
}

export async function loadRoutedCall(tx: Queryable, callId: string): Promise<RoutedCall | undefined> {
  const result = await tx.query<{ id: string; language: string; from_e164: string | null; caller_leg_id: string | null; region_url: string | null }>(
    'SELECT id, language, from_e164, caller_leg_id, region_url FROM calls WHERE id = $1',
    [callId],
  )
  const row = result.rows[0]
  return row && { id: row.id, language: row.language === 'en' ? 'en' : 'it', fromE164: row.from_e164, callerLegId: row.caller_leg_id, regionUrl: row.region_url }
}
